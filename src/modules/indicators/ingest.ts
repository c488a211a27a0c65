/**
 * Set-based ingest: a batch of up to 10,000 items is a handful of SQL statements whatever its
 * size — look up the existing rows, insert the new ones, update the changed ones, log the
 * changes — each statement taking the whole batch as one JSON parameter.
 */
import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { rows, type Database, type Executor } from '../../db/client.js';
import { contentHash, DEFAULT_VALIDITY_MS, naturalKey, type PreparedBatch, type PreparedRow, type Problem } from './prepare.js';
import { currentState } from '../../domain/visibility.js';

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
  audience_tokens: string[];
  exclude_tokens: string[];
  pap: string;
  deliverable: boolean;
}

/** A change to write: the full new state plus, for updates, what it was before. */
interface Write {
  id: string;
  key: string;
  row: PreparedRow & { valid_from: number; valid_until: number };
  hash: string;
  existing?: Existing;
}

export class RetryableConflict extends Error {}

export { prepareBatch, type PreparedBatch } from './prepare.js';


const INDICATOR_RECORD = sql.raw(`x(
  id uuid, type text, platform text, value text, tlp text, pap text, grading jsonb, confidence smallint,
  audience jsonb, exclude jsonb, attribution text, audience_tokens text[], exclude_tokens text[],
  valid_from timestamptz, valid_until timestamptz, sector text, categories text[], tags text[],
  description text, first_seen timestamptz, last_seen timestamptz, "references" jsonb, evidence jsonb,
  relations jsonb, shared_infrastructure text[], content_hash text)`);

const toIso = (msValue: number | null) => (msValue === null ? null : new Date(msValue).toISOString());

function record(w: Write) {
  const r = w.row;
  return {
    id: w.id, type: r.type, platform: r.platform, value: r.value, tlp: r.tlp, pap: r.pap, grading: r.grading,
    confidence: r.confidence, audience: r.audience, exclude: r.exclude, attribution: r.attribution,
    audience_tokens: r.audience_tokens, exclude_tokens: r.exclude_tokens,
    valid_from: toIso(r.valid_from), valid_until: toIso(r.valid_until), sector: r.sector, categories: r.categories,
    tags: r.tags, description: r.description, first_seen: toIso(r.first_seen), last_seen: toIso(r.last_seen),
    references: r.references, evidence: r.evidence, relations: r.relations,
    shared_infrastructure: r.shared_infrastructure, content_hash: w.hash,
  };
}

const minNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxNullable = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Resolve the final state of each accepted item against what is stored: omitted validity
 * keeps the stored window (so resubmitting the same report changes nothing), first_seen keeps
 * the minimum and last_seen the maximum. A withdrawn or expired indicator that is submitted
 * again comes back to life with a new version.
 */
function resolve(row: PreparedRow, existing: Existing | undefined, now: number, replaceSeen: boolean): PreparedRow & { valid_from: number; valid_until: number } {
  const revive = existing && existing.status !== 'active';
  const keep = existing && !revive;
  const validFrom = row.valid_from ?? (keep ? existing.valid_from_ms : now);
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
 * Store the accepted items of a batch for `sourceOrgId` inside transaction `tx`, filling in
 * `results`. `replaceSeen` (PATCH) sets first_seen/last_seen outright instead of widening
 * them. Throws RetryableConflict when a concurrent batch inserted one of the same keys
 * first (the caller retries the transaction).
 */
export async function storeBatch(tx: Executor, sourceOrgId: string, batch: PreparedBatch, now: number, options: { replaceSeen?: boolean } = {}): Promise<void> {
  const { accepted, results } = batch;
  if (accepted.size === 0) return;
  const keys = [...accepted.values()].map(({ row }) => ({ type: row.type, platform: row.platform, value: row.value }));

  const existingRows = await rows<Existing & { type: string; platform: string; value: string }>(tx, sql`
    select i.id, i.type, i.platform, i.value, i.version, i.status, i.content_hash,
      (extract(epoch from i.valid_from) * 1000)::float8 as valid_from_ms,
      (extract(epoch from i.valid_until) * 1000)::float8 as valid_until_ms,
      (extract(epoch from i.first_seen) * 1000)::float8 as first_seen_ms,
      (extract(epoch from i.last_seen) * 1000)::float8 as last_seen_ms,
      i.audience_tokens, i.exclude_tokens, i.pap,
      ${currentState('i').deliverable} as deliverable
    from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(type text, platform text, value text)
    join indicators i on i.source_org_id = ${sourceOrgId}::uuid and i.type = k.type and i.platform = k.platform and i.value = k.value
    for update of i`);
  const existingByKey = new Map(existingRows.map((e) => [naturalKey(e), e]));

  const inserts: Write[] = [], updates: Write[] = [];
  for (const [key, { index, row, warnings }] of accepted) {
    const existing = existingByKey.get(key);
    const final = resolve(row, existing, now, options.replaceSeen ?? false);
    const hash = contentHash(final);
    const base = { index, value: row.value, ...(warnings.length ? { warnings } : {}) };
    if (!existing) {
      const id = uuidv7();
      inserts.push({ id, key, row: final, hash });
      results[index] = { ...base, status: 'created', id };
    } else if (existing.status === 'active' && existing.content_hash === hash) {
      results[index] = { ...base, status: 'unchanged', id: existing.id };
    } else {
      updates.push({ id: existing.id, key, row: final, hash, existing });
      results[index] = { ...base, status: 'updated', id: existing.id };
    }
  }
  for (const [earlier, later] of batch.duplicates) {
    const final = results[later]!;
    results[earlier] = {
      index: earlier, status: final.status, ...(final.id ? { id: final.id } : {}), ...(final.value ? { value: final.value } : {}),
      warnings: [`same observable as item ${later} of this batch, which was applied instead`],
    };
  }

  if (inserts.length) {
    const inserted = await rows<{ id: string }>(tx, sql`
      insert into indicators (id, source_org_id, type, platform, value, version, status, tlp, pap, grading, confidence,
        audience, exclude, attribution, audience_tokens, exclude_tokens, valid_from, valid_until, pending, sector,
        categories, tags, description, first_seen, last_seen, "references", evidence, relations, shared_infrastructure,
        content_hash, created_at, updated_at)
      select x.id, ${sourceOrgId}::uuid, x.type, x.platform, x.value, 1, 'active', x.tlp, x.pap, x.grading, x.confidence,
        x.audience, x.exclude, x.attribution, x.audience_tokens, x.exclude_tokens, x.valid_from, x.valid_until,
        x.valid_from > now(), x.sector, coalesce(x.categories, '{}'), coalesce(x.tags, '{}'), x.description,
        x.first_seen, x.last_seen, x."references", x.evidence, x.relations, x.shared_infrastructure, x.content_hash, now(), now()
      from jsonb_to_recordset(${JSON.stringify(inserts.map(record))}::jsonb) as ${INDICATOR_RECORD}
      on conflict (source_org_id, type, platform, value) do nothing
      returning id`);
    if (inserted.length !== inserts.length) throw new RetryableConflict('a concurrent batch stored the same observable');
  }

  if (updates.length) {
    await tx.execute(sql`
      update indicators i set
        version = i.version + 1, status = 'active', tlp = x.tlp, pap = x.pap, grading = x.grading, confidence = x.confidence,
        audience = x.audience, exclude = x.exclude, attribution = x.attribution, audience_tokens = x.audience_tokens,
        exclude_tokens = x.exclude_tokens, valid_from = x.valid_from, valid_until = x.valid_until,
        pending = x.valid_from > now(), sector = x.sector, categories = coalesce(x.categories, '{}'),
        tags = coalesce(x.tags, '{}'), description = x.description, first_seen = x.first_seen, last_seen = x.last_seen,
        "references" = x."references", evidence = x.evidence, relations = x.relations,
        shared_infrastructure = x.shared_infrastructure, content_hash = x.content_hash, withdrawn_reason = null,
        updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(updates.map(record))}::jsonb) as ${INDICATOR_RECORD}
      where i.id = x.id`);
  }

  const changes = [
    ...inserts.map((w) => ({ indicator_id: w.id, version: 1, kind: 'created', prev_audience_tokens: null, prev_exclude_tokens: null, prev_pap: null, prev_deliverable: false })),
    ...updates.map((w) => ({
      indicator_id: w.id, version: w.existing!.version + 1, kind: 'updated',
      prev_audience_tokens: w.existing!.audience_tokens, prev_exclude_tokens: w.existing!.exclude_tokens,
      prev_pap: w.existing!.pap, prev_deliverable: w.existing!.deliverable,
    })),
  ];
  if (changes.length) await logChanges(tx, changes);
}

export interface ChangeRecord {
  indicator_id: string;
  version: number;
  kind: 'created' | 'updated' | 'withdrawn' | 'expired' | 'activated' | string;
  prev_audience_tokens: string[] | null;
  prev_exclude_tokens: string[] | null;
  prev_pap: string | null;
  prev_deliverable: boolean;
}

/** Append entries to the change log that feeds read (see src/domain/cursor.ts). */
export async function logChanges(tx: Executor, changes: ChangeRecord[]): Promise<void> {
  await tx.execute(sql`
    insert into indicator_changes (indicator_id, version, kind, prev_audience_tokens, prev_exclude_tokens, prev_pap, prev_deliverable)
    select x.indicator_id, x.version, x.kind, x.prev_audience_tokens, x.prev_exclude_tokens, x.prev_pap, x.prev_deliverable
    from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as x(indicator_id uuid, version int, kind text,
      prev_audience_tokens text[], prev_exclude_tokens text[], prev_pap text, prev_deliverable boolean)`);
}

export function summarise(results: ItemResult[]): BatchOutcome['summary'] {
  const summary = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

/** Run `work` in a transaction, retrying when a concurrent writer won a race on a natural key. */
export async function withRetry<T>(db: Database, work: (tx: Executor) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx as unknown as Executor));
    } catch (err) {
      if (!(err instanceof RetryableConflict) || attempt >= attempts) throw err;
    }
  }
}
