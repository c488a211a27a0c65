/**
 * Set-based ingest: a batch of up to 10,000 items is a handful of SQL statements whatever its
 * size — look up the existing rows, insert the new ones, update the changed ones, log the
 * changes. On PostgreSQL the batch's keys and rows go in by `COPY … FROM STDIN` into temporary
 * staging tables of the transaction's connection (src/db/copy.ts) and the statements read them
 * from there; on PGlite each statement takes the rows as JSON parameters (jsonb_to_recordset).
 * Both paths run the same statements over the same typed record `x`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { rows, transactionClient, type Executor } from '../../db/client.js';
import { copyIn, copyLine, type CopyType } from '../../db/copy.js';
import { RetryableConflict } from '../../db/transaction.js';
import { contentHash, DEFAULT_VALIDITY_MS, naturalKey, type PreparedBatch, type PreparedRow, type Problem } from './prepare.js';
import { recordChanges, recordCreated } from '../feeds/change-log.js';
import { effectiveStatus } from '../../domain/visibility.js';
import { pacer, type Pace } from '../../domain/pace.js';
import { storeLinks } from '../analysis/links.js';

export interface ItemResult {
  index: number;
  status: 'created' | 'updated' | 'unchanged' | 'rejected';
  id?: string;
  value?: string;
  warnings?: string[];
  errors?: Problem[];
}

export interface BatchOutcome {
  results: ItemResult[];
  summary: { created: number; updated: number; unchanged: number; rejected: number };
}

interface Existing {
  id: string;
  version: number;
  status: string;
  content_hash: string;
  valid_from_ms: number;
  valid_until_ms: number;
  first_seen_ms: number | null;
  last_seen_ms: number | null;
}

/** A change to write: the full new state plus, for updates, what it was before. */
interface Write {
  id: string;
  key: string;
  row: PreparedRow & { valid_from: number; valid_until: number };
  hash: string;
  existing?: Existing;
}


export { prepareBatch, type PreparedBatch } from './prepare.js';

/**
 * The columns a batch writes and their types: the one list the JSON record type, the COPY
 * staging table and its typed view are built from (storeBatch's statements name them too).
 */
const WRITE_COLUMNS = [
  ['id', 'uuid'], ['type', 'text'], ['platform', 'text'], ['value', 'text'], ['tlp', 'text'], ['pap', 'text'],
  ['grading', 'jsonb'], ['confidence', 'smallint'], ['audience', 'jsonb'], ['exclude', 'jsonb'], ['attribution', 'text'],
  ['audience_tokens', 'text[]'], ['exclude_tokens', 'text[]'], ['valid_from', 'timestamptz'], ['valid_until', 'timestamptz'],
  ['sector', 'text'], ['categories', 'text[]'], ['tags', 'text[]'], ['description', 'text'], ['first_seen', 'timestamptz'],
  ['last_seen', 'timestamptz'], ['references', 'jsonb'], ['evidence', 'jsonb'], ['relations', 'jsonb'],
  ['shared_infrastructure', 'text[]'], ['content_hash', 'text'],
] as const satisfies ReadonlyArray<readonly [string, CopyType]>;
type WriteColumn = (typeof WRITE_COLUMNS)[number][0];
const KEY_COLUMNS = [['type', 'text'], ['platform', 'text'], ['value', 'text']] as const satisfies ReadonlyArray<readonly [string, CopyType]>;

const quoted = (name: string) => `"${name}"`;
const recordType = (columns: ReadonlyArray<readonly [string, CopyType]>) => columns.map(([c, t]) => `${quoted(c)} ${t}`).join(', ');
const INDICATOR_RECORD = sql.raw(`x(${recordType(WRITE_COLUMNS)})`);

/**
 * COPY staging (PostgreSQL): temporary tables of text columns, one set per connection, emptied at
 * each commit; their names carry a hash of their columns, so a changed list never meets an old table.
 */
const STAGE_SUFFIX = createHash('sha256').update(JSON.stringify([WRITE_COLUMNS, KEY_COLUMNS])).digest('hex').slice(0, 10);
const STAGE_ROWS = `isop_ingest_rows_${STAGE_SUFFIX}`;
const STAGE_KEYS = `isop_ingest_keys_${STAGE_SUFFIX}`;
const STAGE_DDL = `
  create temp table if not exists ${STAGE_ROWS} (op text, ${WRITE_COLUMNS.map(([c]) => `${quoted(c)} text`).join(', ')}) on commit delete rows;
  create temp table if not exists ${STAGE_KEYS} (${KEY_COLUMNS.map(([c]) => `${quoted(c)} text`).join(', ')}) on commit delete rows`;
/** The staged writes of kind `op` ('i' insert, 'u' update) as the typed record `x`, like INDICATOR_RECORD. */
const staged = (op: 'i' | 'u') => sql.raw(`(select ${WRITE_COLUMNS.map(([c, t]) => `s.${quoted(c)}::${t} as ${quoted(c)}`).join(', ')}
  from ${STAGE_ROWS} s where s.op = '${op}') as x`);
const WRITE_TYPES = WRITE_COLUMNS.map(([, t]) => t);
const KEY_TYPES = KEY_COLUMNS.map(([, t]) => t);

const toIso = (msValue: number | null) => (msValue === null ? null : new Date(msValue).toISOString());

/** A write's values in WRITE_COLUMNS order. */
function writeValues(w: Write): Record<WriteColumn, unknown> {
  const r = w.row;
  return {
    id: w.id, type: r.type, platform: r.platform, value: r.value, tlp: r.tlp, pap: r.pap, grading: r.grading,
    confidence: r.confidence, audience: r.audience, exclude: r.exclude, attribution: r.attribution,
    audience_tokens: r.audience_tokens, exclude_tokens: r.exclude_tokens,
    valid_from: r.valid_from, valid_until: r.valid_until, sector: r.sector, categories: r.categories,
    tags: r.tags, description: r.description, first_seen: r.first_seen, last_seen: r.last_seen,
    references: r.references, evidence: r.evidence, relations: r.relations,
    shared_infrastructure: r.shared_infrastructure, content_hash: w.hash,
  };
}

/** A write as a JSON record for jsonb_to_recordset (timestamps as ISO text). */
function record(w: Write) {
  const v = writeValues(w);
  return { ...v, valid_from: toIso(w.row.valid_from), valid_until: toIso(w.row.valid_until), first_seen: toIso(w.row.first_seen), last_seen: toIso(w.row.last_seen) };
}

/** A write as a line of the COPY staging table (`op` first). */
function stagedLine(op: 'i' | 'u', w: Write): string {
  const v = writeValues(w);
  return copyLine([op, ...WRITE_COLUMNS.map(([c]) => v[c])], ['text', ...WRITE_TYPES]);
}

const minNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

const HOUR_MS = 3_600_000;

/**
 * Resolve the final state of each accepted item against what is stored: omitted validity
 * keeps the stored window (so resubmitting the same report changes nothing), first_seen keeps
 * the minimum and last_seen the maximum. A withdrawn or expired indicator that is submitted
 * again comes back to life with a new version. An anonymous item's default valid_from is the
 * start of the hour, so that its timestamps do not pin the batch it came in.
 */
function resolve(row: PreparedRow, existing: Existing | undefined, now: number, replaceSeen: boolean): PreparedRow & { valid_from: number; valid_until: number } {
  const revive = existing && existing.status !== 'active';
  const keep = existing && !revive;
  const start = row.attribution === 'anonymous' ? now - (now % HOUR_MS) : now;
  const validFrom = row.valid_from ?? (keep ? existing.valid_from_ms : start);
  const validUntil = row.valid_until ?? (keep ? existing.valid_until_ms : validFrom + DEFAULT_VALIDITY_MS);
  return {
    ...row,
    valid_from: validFrom,
    valid_until: validUntil,
    first_seen: existing && !replaceSeen ? minNullable(existing.first_seen_ms, row.first_seen) : row.first_seen,
    last_seen: existing && !replaceSeen ? maxNullable(existing.last_seen_ms, row.last_seen) : row.last_seen,
  };
}

/**
 * JSON arrays of at most ~`maxBytes` each: no statement parameter holds a whole 10,000-item batch.
 * Paced: serialising a large batch yields to other requests between slices.
 */
export async function* jsonChunks(records: readonly unknown[], pace: Pace, maxBytes = STATEMENT_BYTES): AsyncGenerator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const record of records) {
    await pace();
    const text = JSON.stringify(record);
    if (parts.length && size + text.length > maxBytes) {
      yield `[${parts.join(',')}]`;
      parts = [];
      size = 0;
    }
    parts.push(text);
    size += text.length + 1;
  }
  if (parts.length) yield `[${parts.join(',')}]`;
}

/** Bytes of JSON one statement parameter carries at most. */
const STATEMENT_BYTES = 4 * 1024 * 1024;

/**
 * An indicator's id. Anonymous indicators get a random (v4) id: a time-ordered id would sort it
 * between its source's named indicators of the same batch and carry the batch's millisecond.
 */
const newIndicatorId = (row: PreparedRow) => (row.attribution === 'anonymous' ? randomUUID() : uuidv7());

/** What a stored batch leaves for after its commit. */
export interface Stored {
  /** Changes of anonymous indicators wait to be published in a transaction of their own. */
  pendingAnonymous: number;
}

export interface StoreOptions {
  /** PATCH: set first_seen/last_seen outright instead of widening them. */
  replaceSeen?: boolean;
  /** Keep the link graph's stored links (default true; LINK_DERIVATION=false turns it off). */
  links?: boolean;
  /** false: write with JSON parameters even where COPY is possible (PostgreSQL); for comparing the two paths. */
  copy?: boolean;
}

/**
 * Store the accepted items of a batch for `sourceOrgId` inside transaction `tx`, filling in
 * `results`. `replaceSeen` (PATCH) sets first_seen/last_seen outright instead of widening
 * them. Throws RetryableConflict when a concurrent batch inserted one of the same keys
 * first (the caller retries the transaction). After the commit, call `publishPendingChanges`
 * when `pendingAnonymous` is not zero (the sweeper does it too, should the process die first).
 */
export async function storeBatch(tx: Executor, sourceOrgId: string, batch: PreparedBatch, now: number, options: StoreOptions = {}): Promise<Stored> {
  const { accepted, results } = batch;
  if (accepted.size === 0) return { pendingAnonymous: 0 };
  const pace = pacer();
  // PostgreSQL: rows go through COPY into staging tables (src/db/copy.ts); PGlite: JSON parameters.
  const client = options.copy === false ? undefined : transactionClient(tx);
  if (client) await client.unsafe(STAGE_DDL).simple();

  const lookup = (keys: SQL) => rows<Existing & { type: string; platform: string; value: string }>(tx, sql`
    select i.id, i.type, i.platform, i.value, i.version, ${effectiveStatus('i')} as status, i.content_hash,
      (extract(epoch from i.valid_from) * 1000)::float8 as valid_from_ms,
      (extract(epoch from i.valid_until) * 1000)::float8 as valid_until_ms,
      (extract(epoch from i.first_seen) * 1000)::float8 as first_seen_ms,
      (extract(epoch from i.last_seen) * 1000)::float8 as last_seen_ms
    from ${keys}
    join indicators i on i.source_org_id = ${sourceOrgId}::uuid and i.type = k.type and i.platform = k.platform and i.value = k.value
    order by i.id
    for update of i`);
  const existingByKey = new Map<string, Existing>();
  const found = (existing: Array<Existing & { type: string; platform: string; value: string }>) => {
    for (const e of existing) existingByKey.set(naturalKey(e), e);
  };
  if (client) {
    await copyIn(client, STAGE_KEYS, KEY_COLUMNS.map(([c]) => c), keyLines(accepted.values()), pace);
    found(await lookup(sql.raw(`${STAGE_KEYS} k`)));
  } else {
    const keys = [...accepted.values()].map(({ row }) => ({ type: row.type, platform: row.platform, value: row.value }));
    for await (const chunk of jsonChunks(keys, pace)) {
      found(await lookup(sql`jsonb_to_recordset(${chunk}::jsonb) as k(type text, platform text, value text)`));
    }
  }

  const inserts: Write[] = [], updates: Write[] = [];
  for (const [key, { index, row, warnings }] of accepted) {
    await pace();
    const existing = existingByKey.get(key);
    const final = resolve(row, existing, now, options.replaceSeen ?? false);
    const hash = contentHash(final);
    const base = { index, value: row.value, ...(warnings.length ? { warnings } : {}) };
    if (!existing) {
      const id = newIndicatorId(final);
      inserts.push({ id, key, row: final, hash });
      results[index] = { ...base, status: 'created', id };
    } else if (existing.status === 'active' && existing.content_hash === hash) {
      results[index] = { ...base, status: 'unchanged', id: existing.id };
    } else {
      updates.push({ id: existing.id, key, row: final, hash, existing });
      results[index] = { ...base, status: 'updated', id: existing.id };
    }
  }
  existingByKey.clear();
  for (const [earlier, later] of batch.duplicates) {
    const final = results[later]!;
    results[earlier] = {
      index: earlier, status: final.status, ...(final.id ? { id: final.id } : {}), ...(final.value ? { value: final.value } : {}),
      warnings: [`same observable as item ${later} of this batch, which was applied instead`],
    };
  }

  const anonymous = (w: Write) => w.row.attribution === 'anonymous';
  const ids = (writes: Write[], anon: boolean) => writes.filter((w) => anonymous(w) === anon).map((w) => w.id);

  const insertFrom = (source: SQL) => rows<{ id: string }>(tx, sql`
    insert into indicators (id, source_org_id, type, platform, value, version, status, tlp, pap, grading, confidence,
      audience, exclude, attribution, audience_tokens, exclude_tokens, valid_from, valid_until, pending, sector,
      categories, tags, description, first_seen, last_seen, "references", evidence, relations, shared_infrastructure,
      content_hash, created_at, updated_at)
    select x.id, ${sourceOrgId}::uuid, x.type, x.platform, x.value, 1, 'active', x.tlp, x.pap, x.grading, x.confidence,
      x.audience, x.exclude, x.attribution, x.audience_tokens, x.exclude_tokens, x.valid_from, x.valid_until,
      x.valid_from > now(), x.sector, coalesce(x.categories, '{}'), coalesce(x.tags, '{}'), x.description,
      x.first_seen, x.last_seen, x."references", x.evidence, x.relations, x.shared_infrastructure, x.content_hash, now(), now()
    from ${source}
    on conflict (source_org_id, type, platform, value) do nothing
    returning id`);
  const updateFrom = (source: SQL) => tx.execute(sql`
    update indicators i set
      version = i.version + 1, status = 'active', tlp = x.tlp, pap = x.pap, grading = x.grading, confidence = x.confidence,
      audience = x.audience, exclude = x.exclude, attribution = x.attribution, audience_tokens = x.audience_tokens,
      exclude_tokens = x.exclude_tokens, valid_from = x.valid_from, valid_until = x.valid_until,
      pending = x.valid_from > now(), sector = x.sector, categories = coalesce(x.categories, '{}'),
      tags = coalesce(x.tags, '{}'), description = x.description, first_seen = x.first_seen, last_seen = x.last_seen,
      "references" = x."references", evidence = x.evidence, relations = x.relations,
      shared_infrastructure = x.shared_infrastructure, content_hash = x.content_hash, withdrawn_reason = null,
      updated_at = now()
    from ${source}
    where i.id = x.id`);

  if (client && inserts.length + updates.length) await copyIn(client, STAGE_ROWS, ['op', ...WRITE_COLUMNS.map(([c]) => c)], stagedLines(inserts, updates), pace);

  let insertedCount = 0;
  if (client) {
    if (inserts.length) insertedCount = (await insertFrom(staged('i'))).length;
  } else {
    for await (const chunk of jsonChunks(inserts.map(record), pace)) {
      insertedCount += (await insertFrom(sql`jsonb_to_recordset(${chunk}::jsonb) as ${INDICATOR_RECORD}`)).length;
    }
  }
  if (insertedCount !== inserts.length) throw new RetryableConflict('a concurrent batch stored the same observable');
  await recordCreated(tx, ids(inserts, false));
  await recordCreated(tx, ids(inserts, true), 'pending_changes');

  // The previous state is recorded before the update overwrites it (rows locked above).
  await recordChanges(tx, { which: ids(updates, false), kind: 'updated', version: 'next' });
  await recordChanges(tx, { which: ids(updates, true), kind: 'updated', version: 'next', table: 'pending_changes' });
  if (client) {
    if (updates.length) await updateFrom(staged('u'));
  } else {
    for await (const chunk of jsonChunks(updates.map(record), pace)) {
      await updateFrom(sql`jsonb_to_recordset(${chunk}::jsonb) as ${INDICATOR_RECORD}`);
    }
  }
  // The link graph (src/modules/analysis/links.ts): statements of their own, after the batch's.
  if (options.links !== false) await storeLinks(tx, [...inserts, ...updates], updates.map((w) => w.id));
  return { pendingAnonymous: ids(inserts, true).length + ids(updates, true).length };
}

function* keyLines(items: Iterable<{ row: PreparedRow }>): Generator<string> {
  for (const { row } of items) yield copyLine([row.type, row.platform, row.value], KEY_TYPES);
}

function* stagedLines(inserts: readonly Write[], updates: readonly Write[]): Generator<string> {
  for (const w of inserts) yield stagedLine('i', w);
  for (const w of updates) yield stagedLine('u', w);
}

export function summarise(results: ItemResult[]): BatchOutcome['summary'] {
  const summary = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}
