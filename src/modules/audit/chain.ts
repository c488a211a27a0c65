/**
 * The hash chain over the audit log, and its verification.
 *
 * Writers insert entries unhashed, each in its own transaction (./log.ts): nobody waits for anybody
 * to write. The chainer — run by the sweeper on every node, one at a time across the cluster by an
 * advisory lock and a check of the head — numbers and hashes them afterwards, in (xid, id) order,
 * and only those below the feed horizon (the oldest transaction of this database still running;
 * src/domain/cursor.ts). Every transaction below the horizon has finished, so no entry can ever
 * appear before the head after it was chained: (xid, id) is a commit-safe total order, and the
 * chain is append-only like the rows it covers.
 *
 * Entry n (1, 2, … with no gap) is one audit_log row. `entry_hash` is the SHA-256 of that row's
 * content (`entryHash`, computed by PostgreSQL both when chaining and when verifying), and
 * `hash` = SHA-256("<hash of entry n − 1>:<n>:<entry_hash>"), starting from 64 zeros. So:
 * - a changed row no longer matches its entry_hash;
 * - a deleted row leaves its chain entry without a row, a deleted chain entry leaves a gap;
 * - a row inserted behind the head is in no entry, and entries are in (xid, id) order;
 * - rewriting hashes breaks the link of the next entry, and rewriting the whole chain changes its
 *   head, which is published: `GET /v1/audit/verify`, and a log line every AUDIT_HEAD_EVERY entries.
 *
 * Verification reads the chain in keyset pages (bounded memory however long the log is); only
 * hashes leave the database.
 */
import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { rows, type Database, type Executor } from '../../db/client.js';
import { pgArray, toRfc3339 } from '../../db/sql.js';
import { compareFeedPositions, type FeedPosition } from '../../domain/cursor.js';
import { feedHorizon } from '../feeds/query.js';

export const GENESIS = '0'.repeat(64);
/** pg_try_advisory_xact_lock key of the chainer (the migrator uses 7362001). */
const CHAIN_LOCK = 7362011;
/** Entries per chaining transaction, and about how many bytes of indicator ids they may carry. */
const CHAIN_BATCH = 5000;
const CHAIN_BATCH_BYTES = 512 * 1024; // about 3 full feed pages: a short transaction (it holds the feed horizon while it runs)
const VERIFY_PAGE = 2000;
const MAX_PROBLEMS = 100;

/** SHA-256 (hex) of the content of the audit_log row aliased `alias`: every column, in a fixed text form. */
export function entryHash(alias: string): SQL {
  const c = (name: string) => sql.raw(`${alias}.${name}`);
  return sql`encode(sha256(convert_to(json_build_array(${c('id')}, ${c('xid')}::text,
    to_char(${c('at')} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ${c('actor')}, ${c('actor_org')}, ${c('action')},
    ${c('path')}, ${c('subject')}, ${c('subject_org')}, ${c('indicator_ids')}, ${c('versions')}, ${c('detail')})::text, 'UTF8')), 'hex')`;
}

/** The hash of entry `entry`, following `previous`. */
export function link(previous: string, entry: number, entryHashHex: string): string {
  return createHash('sha256').update(`${previous}:${entry}:${entryHashHex}`).digest('hex');
}

export interface ChainHead { entry: number; hash: string; at: string; logId: number; logXid: string }

interface HeadRow { entry: string | number; hash: string; chained_at: string; log_id: string | number; log_xid: string }
const headOf = (r: HeadRow | undefined): ChainHead | null => (r
  ? { entry: Number(r.entry), hash: r.hash, at: toRfc3339(r.chained_at), logId: Number(r.log_id), logXid: r.log_xid }
  : null);

export async function chainHead(db: Executor, atOrBefore?: number): Promise<ChainHead | null> {
  const [row] = await rows<HeadRow>(db, sql`select entry, hash, chained_at, log_id, log_xid::text as log_xid from audit_chain
    ${atOrBefore === undefined ? sql`` : sql`where entry <= ${atOrBefore}`} order by entry desc limit 1`);
  return headOf(row);
}

const positionOf = (head: ChainHead | null): FeedPosition => (head ? { xid: head.logXid, pos: head.logId } : { xid: '0', pos: 0 });

export interface ChainOptions {
  log?: Pick<FastifyBaseLogger, 'info'>;
  /** Log the hash of every entry whose number is a multiple of this. */
  headEvery?: number;
  /** Chaining transactions at most in this call (the sweeper's bound per round). */
  maxBatches?: number;
}

/** Chains what is final and not chained yet; returns how many entries it added and the head. */
export async function chainAudit(db: Database, options: ChainOptions = {}): Promise<{ chained: number; head: ChainHead | null }> {
  const { headEvery = 10_000, maxBatches = 20 } = options;
  let chained = 0;
  let head = await chainHead(db);
  for (let batch = 0; batch < maxBatches; batch++) {
    const horizon = await feedHorizon(db); // outside any transaction: see feedHorizon
    const after = positionOf(head);
    // Hashes are computed here, before the writing transaction: a short transaction holds the feed horizon back least.
    const weight = sql`(coalesce(pg_column_size(a.indicator_ids), 0) + 200)`;
    const found = await rows<{ id: string | number; xid: string; action: string; entry_hash: string }>(db, sql`
      select s.id, s.xid::text as xid, s.action, ${entryHash('s')} as entry_hash
      from (
        select a.*, sum(${weight}) over (order by a.xid, a.id) - ${weight} as before
        from audit_log a
        where (a.xid, a.id) > (${after.xid}::xid8, ${after.pos}::bigint) and a.xid < ${horizon}::xid8
        order by a.xid, a.id
        limit ${CHAIN_BATCH}
      ) s
      where s.before < ${CHAIN_BATCH_BYTES}
      order by s.xid, s.id`);
    if (found.length === 0) break;
    const entries: number[] = [], hashes: string[] = [];
    let previous = head?.hash ?? GENESIS;
    let next = (head?.entry ?? 0) + 1;
    for (const row of found) {
      previous = link(previous, next, row.entry_hash);
      entries.push(next++);
      hashes.push(previous);
    }
    const deliveries = found.filter((r) => r.action === 'delivery').map((r) => String(r.id));
    const added = await db.transaction(async (tx) => {
      const [lock] = await rows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${CHAIN_LOCK}) as locked`);
      if (!lock?.locked) return false;
      // Another node chained since the head was read: leave it to the next round.
      const [now] = await rows<{ entry: string | number | null }>(tx, sql`select max(entry) as entry from audit_chain`);
      if (Number(now?.entry ?? 0) !== (head?.entry ?? 0)) return false;
      await tx.execute(sql`insert into audit_chain (entry, log_id, log_xid, entry_hash, hash)
        select * from unnest(${`{${entries.join(',')}}`}::bigint[], ${`{${found.map((r) => r.id).join(',')}}`}::bigint[],
          ${pgArray(found.map((r) => r.xid))}::xid8[], ${pgArray(found.map((r) => r.entry_hash))}::text[], ${pgArray(hashes)}::text[])`);
      if (deliveries.length) {
        await tx.execute(sql`insert into indicator_recipients (indicator_id, org_id)
          select distinct u.id, a.actor_org from audit_log a cross join unnest(a.indicator_ids) as u(id)
          where a.id = any(${`{${deliveries.join(',')}}`}::bigint[]) and a.actor_org is not null
          on conflict do nothing`);
      }
      return true;
    });
    if (!added) break;
    const last = found[found.length - 1]!;
    const first = head?.entry ?? 0;
    head = { entry: entries[entries.length - 1]!, hash: previous, at: new Date().toISOString(), logId: Number(last.id), logXid: last.xid };
    chained += found.length;
    // The head, published: the hash of every AUDIT_HEAD_EVERY-th entry, for comparison from outside.
    for (let k = Math.ceil((first + 1) / headEvery) * headEvery; k <= head.entry; k += headEvery) {
      options.log?.info({ audit: { entry: k, hash: hashes[k - first - 1] } }, 'audit chain head');
    }
  }
  return { chained, head };
}

export interface VerifyProblem { entry?: number; audit_id?: number; problem: string }
export interface VerifyResult {
  ok: boolean;
  /** Entries verified. */
  entries: number;
  /** The last entry verified: its number, hash and when it was chained. */
  head: { entry: number; hash: string; at: string } | null;
  /** Entries written but not chained yet (their transactions were running, or the chainer has not come by). */
  pending: number;
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /** Verify only the entries after this one, trusting it — with `hash`, only if it has that hash (a head published earlier). */
  after?: { entry: number; hash?: string };
  pageSize?: number;
}

/**
 * Checks the whole chain (or the part after a trusted entry) against the rows: numbering, links,
 * content, order, and that no row sits behind the head unchained. Names each problem by its entry.
 */
export async function verifyAudit(db: Executor, options: VerifyOptions = {}): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  const report = (p: VerifyProblem) => { if (problems.length < MAX_PROBLEMS) problems.push(p); };
  const head = await chainHead(db);
  const start = options.after ? await chainHead(db, options.after.entry) : null;
  if (options.after && (start?.entry !== options.after.entry)) {
    report({ entry: options.after.entry, problem: 'is not in the chain' });
  } else if (options.after?.hash !== undefined && start?.hash !== options.after.hash) {
    report({ entry: options.after.entry, problem: 'has another hash than the one given: the chain was rewritten up to here' });
  }
  let previous = start?.hash ?? GENESIS;
  let expected = (start?.entry ?? 0) + 1;
  let position: FeedPosition | null = start ? positionOf(start) : null;
  let verified = 0;
  const pageSize = options.pageSize ?? VERIFY_PAGE;
  while (head && expected <= head.entry) {
    const page = await rows<{ entry: string | number; log_id: string | number; log_xid: string; entry_hash: string; hash: string; present: boolean; actual: string | null }>(db, sql`
      select c.entry, c.log_id, c.log_xid::text as log_xid, c.entry_hash, c.hash, a.id is not null as present, ${entryHash('a')} as actual
      from audit_chain c left join audit_log a on a.id = c.log_id
      where c.entry >= ${expected} and c.entry <= ${head.entry}
      order by c.entry limit ${pageSize}`);
    if (page.length === 0) break;
    for (const row of page) {
      const entry = Number(row.entry);
      const auditId = Number(row.log_id);
      if (entry !== expected) {
        report({ entry: expected, problem: entry - expected === 1 ? 'is missing from the chain (deleted)' : `is missing from the chain, and so are the ${entry - expected - 1} entries after it (deleted)` });
      }
      if (!row.present) report({ entry, audit_id: auditId, problem: `its audit row ${auditId} was deleted` });
      else if (row.actual !== row.entry_hash) report({ entry, audit_id: auditId, problem: `its audit row ${auditId} was changed: its content no longer has the hash it was chained with` });
      // The link follows the hash stored for the entry before (not a recomputed one): one rewritten entry is one problem, not a cascade.
      if (row.hash !== link(previous, entry, row.entry_hash)) {
        report({ entry, audit_id: auditId, problem: `its hash does not follow from the entry before it: the chain was rewritten or an entry removed here` });
      }
      const here = { xid: row.log_xid, pos: auditId };
      if (position && compareFeedPositions(here, position) <= 0) {
        report({ entry, audit_id: auditId, problem: `is out of order: its audit row ${auditId} was written before the entry ahead of it (inserted into the past)` });
      }
      position = here;
      previous = row.hash;
      expected = entry + 1;
      verified++;
    }
  }
  if (head) {
    // Rows behind the head that no entry covers: written into the past (an explicit old id or xid), or their entry deleted.
    const from = positionOf(start);
    const stray = await rows<{ id: string | number; action: string }>(db, sql`
      select a.id, a.action from audit_log a
      where (a.xid, a.id) > (${from.xid}::xid8, ${from.pos}::bigint) and (a.xid, a.id) <= (${head.logXid}::xid8, ${head.logId}::bigint)
        and not exists (select 1 from audit_chain c where c.log_id = a.id)
      order by a.id limit ${MAX_PROBLEMS}`);
    for (const row of stray) {
      report({ audit_id: Number(row.id), problem: `audit row ${row.id} (${row.action}) lies behind the head of the chain but is in no entry: inserted into the past, or its entry was deleted` });
    }
  }
  const after = positionOf(head);
  const [pending] = await rows<{ n: string | number }>(db, sql`select count(*) as n from audit_log a where (a.xid, a.id) > (${after.xid}::xid8, ${after.pos}::bigint)`);
  return {
    ok: problems.length === 0,
    entries: verified,
    head: head ? { entry: head.entry, hash: head.hash, at: head.at } : null,
    pending: Number(pending?.n ?? 0),
    problems,
  };
}
