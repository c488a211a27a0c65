/**
 * The change feed: what changed, after a cursor, that this caller may see — as items (the
 * indicator as it is now) or tombstones (it was receivable before the change and is not now).
 *
 * Gap-free by construction (the full argument is in src/domain/cursor.ts): rows are read in
 * (xid, pos) order and only from transactions older than every running one.
 */
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Sql as PgClient } from 'postgres';
import { plannerSettings, readPlanned, rows, type Database, type Executor } from '../../db/client.js';
import { copyOutBinary, inlineParams, type CopyTuple } from '../../db/copy-out.js';
import { pgArray } from '../../db/sql.js';
import { compareFeedPositions, horizonOf, standbyHorizon, type FeedPosition } from '../../domain/cursor.js';
import { currentState, effectiveStatus, previousState, receivableBy, type CallerIdentity, seesAsSource } from '../../domain/visibility.js';
import { feedItemJson, tombstoneJson } from '../indicators/view.js';

export interface FeedFilters {
  types?: string[];
  sectors?: string[];
  tlp?: string[];
  min_confidence?: number;
  include_shared?: boolean;
}

export const FEED_START: FeedPosition = { xid: '0', pos: 0 };

/**
 * The oldest transaction of this database still running: every change below it is committed for
 * good (see src/domain/cursor.ts). Two statements, in this order: the snapshot first, then which
 * of its running transactions belong to this database — a transaction that starts in between
 * gets an xid above the snapshot's xmax. Call it outside a transaction (statistics views are
 * frozen for the length of one). On a hot standby it is one statement: the snapshot's xmin.
 */
export async function feedHorizon(db: Executor): Promise<string> {
  const [snapshot] = await rows<{ xmin: string; xmax: string; xip: string[]; standby: boolean }>(db, sql`
    select pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax, array(select x::text from pg_snapshot_xip(s) as x) as xip,
      pg_is_in_recovery() as standby
    from pg_current_snapshot() as s`);
  // A hot standby (a read replica): the oldest transaction still running as far as replay knows,
  // in any database — its backends are not ours to see (src/domain/cursor.ts).
  if (snapshot!.standby) return standbyHorizon(snapshot!);
  if (!snapshot!.xip.length) return snapshot!.xmax;
  const [here] = await rows<{ xids: string[] }>(db, sql`
    select array(
      select backend_xid::text from pg_stat_activity where datname = current_database() and backend_xid is not null
      union all
      select transaction::text from pg_prepared_xacts where database = current_database()
    ) as xids`);
  return horizonOf(snapshot!, here!.xids);
}

/** The state of an indicator that filters look at: as it is now, or as a change recorded it before. */
interface FilterColumns { tlp: SQL; sector: SQL; confidence: SQL; shared: SQL; recorded?: true }
const CURRENT: FilterColumns = { tlp: sql`i.tlp`, sector: sql`i.sector`, confidence: sql`i.confidence`, shared: sql`cardinality(i.shared_infrastructure) > 0` };
// Rows logged before the previous state's values were recorded hold nulls: they match any filter,
// so such a tombstone errs on the side of being sent (it only ever goes to a former recipient).
const previousColumns = (change: string): FilterColumns => {
  const col = (name: string) => sql.raw(`${change}.${name}`);
  return { tlp: col('prev_tlp'), sector: col('prev_sector'), confidence: col('prev_confidence'), shared: col('prev_shared'), recorded: true };
};
const PREVIOUS = previousColumns('c');

/** Whether the state in `columns` matches the consumer's filters (the type never changes: it is not here). */
function matchesFilters(filters: FeedFilters, columns: FilterColumns): SQL {
  const where: SQL[] = [sql`true`];
  const orUnknown = (column: SQL, test: SQL) => (columns.recorded ? sql`(${column} is null or ${test})` : test);
  if (filters.sectors?.length) where.push(orUnknown(columns.sector, sql`${columns.sector} = any(${pgArray(filters.sectors)}::text[])`));
  if (filters.tlp?.length) where.push(orUnknown(columns.tlp, sql`${columns.tlp} = any(${pgArray(filters.tlp)}::text[])`));
  if (filters.min_confidence !== undefined) where.push(orUnknown(columns.confidence, sql`${columns.confidence} >= ${filters.min_confidence}`));
  if (filters.include_shared === false) where.push(orUnknown(columns.shared, sql`not ${columns.shared}`));
  return sql.join(where, sql` and `);
}

export interface FeedRow {
  xid: string; pos: number; id: string; version: number; json: string;
  /** The caller is the indicator's source (or the secretariat): the row shows its own view. */
  owned?: boolean;
}

/**
 * One window of the feed: changes in (after, upTo] below `horizon`, at most `limit` rows.
 * Each row is an item or a tombstone as JSON text.
 *
 * An item: the caller may receive the indicator now and it matches the filters now. A tombstone:
 * the caller could receive the state before the change — judged against the audience as it was
 * then (see audienceAsNow in src/domain/visibility.ts) — and that state matched its filters, but
 * it is not an item now. So a consumer that received an item gets its tombstone whatever its
 * filters, and nobody gets a tombstone for what it never could receive.
 */
export interface FeedWindow {
  after: FeedPosition; horizon: string; limit: number; upTo?: FeedPosition; positionsOnly?: boolean;
  /** Only these indicators. */
  ids?: readonly string[];
  /**
   * Each indicator once, at its last change this caller gets below the horizon (TAXII: a
   * collection holds an object once, at the last time it was added).
   */
  latestOnly?: boolean;
  /** End the window at the row whose JSON brings the window's to at least this many bytes (UTF-8). */
  budget?: number;
}

/**
 * How the log is walked, whatever the planner guesses: in (xid, pos) order down the log's index,
 * a lookup per row, no sort, no hash or merge join, no JIT — set for one transaction (`set_config`
 * with is_local). The rule's selectivity cannot be estimated (audience tokens overlap the
 * caller's), so as soon as the planner's guess at the rows that pass falls below the LIMIT (a
 * 1,000-row page at 100,000 indicators, a 10,000-row page at 1.45 M) it judges the whole result
 * needed and sequentially scans indicators, joins every change and sorts them: 4.4 s for a page
 * that this walk serves in 0.1 s (bench/NOTES.md, round three). Work is then what a keyset walk
 * costs: the rows read up to the page's end.
 */
export const PLANNED_WALK = plannerSettings({ enable_sort: 'off', enable_hashjoin: 'off', enable_mergejoin: 'off', jit: 'off' });

/** One window of the feed, planned as a walk of the log (call it outside a transaction). */
export async function feedRows(db: Database, caller: CallerIdentity, filters: FeedFilters, window: FeedWindow): Promise<FeedRow[]> {
  return readPlanned<FeedRow>(db, PLANNED_WALK, feedQuery(caller, filters, window));
}

const dialect = new PgDialect();

/** A row of a feed page as the page is assembled: its JSON as the UTF-8 bytes PostgreSQL sent. */
export interface PageRow {
  xid: string; pos: number; id: string; version: number; owned: boolean;
  json: Buffer;
}

/** A tuple of feedQuery's columns (xid, pos, id, version, json, owned) from a binary COPY. */
function pageRowOf({ buffer, starts, lengths }: CopyTuple): PageRow {
  return {
    xid: buffer.toString('latin1', starts[0], starts[0]! + lengths[0]!),
    pos: Number(buffer.readBigInt64BE(starts[1])),
    id: buffer.toString('latin1', starts[2], starts[2]! + lengths[2]!),
    version: buffer.readInt32BE(starts[3]),
    json: lengths[4]! > 0 ? buffer.subarray(starts[4], starts[4]! + lengths[4]!) : EMPTY,
    owned: lengths[5] === 1 && buffer[starts[5]!] === 1,
  };
}
const EMPTY = Buffer.alloc(0);

/**
 * The rows of one window as they arrive, from one query: on PostgreSQL (a postgres.js client
 * given) one binary COPY of the window in a read-only transaction planned as a walk (PLANNED_WALK),
 * whose JSON Node slices out without decoding (src/db/copy-out.ts); on PGlite keyset queries of
 * `chunk` rows. With `window.budget` the window also ends at the row that brings its JSON to that
 * many bytes (PostgreSQL stops sending there). Stops early when the consumer stops iterating.
 */
export async function* feedPageChunks(db: Database, pg: PgClient | undefined, caller: CallerIdentity, filters: FeedFilters,
  window: FeedWindow, chunk = 500): AsyncGenerator<PageRow[]> {
  if (pg) {
    const query = inlineParams(dialect.sqlToQuery(feedQuery(caller, filters, window)));
    const connection = await pg.reserve();
    let open = false;
    try {
      await connection.unsafe('begin read only');
      open = true;
      await connection.unsafe(dialect.sqlToQuery(PLANNED_WALK).sql);
      yield* copyOutBinary(connection, query, pageRowOf);
      await connection.unsafe('commit');
      open = false;
    } finally {
      if (open) await connection.unsafe('rollback').catch(() => {});
      connection.release();
    }
    return;
  }
  // Each keyset query gets what is left of the budget, so the SQL's budget holds for the whole window.
  let from = window.after;
  let bytes = 0;
  for (let left = window.limit; left > 0;) {
    const want = Math.min(chunk, left);
    const budget = window.budget === undefined ? {} : { budget: window.budget - bytes };
    const batch = (await feedRows(db, caller, filters, { ...window, ...budget, after: from, limit: want })).map((row): PageRow => (
      { xid: row.xid, pos: Number(row.pos), id: row.id, version: row.version, owned: row.owned === true, json: Buffer.from(row.json, 'utf8') }));
    if (batch.length) yield batch;
    if (batch.length < want) return;
    left -= batch.length;
    bytes += batch.reduce((sum, row) => sum + row.json.length, 0);
    from = { xid: batch[batch.length - 1]!.xid, pos: batch[batch.length - 1]!.pos };
  }
}

/** The SQL of one window (feedRows, feedPageChunks; exported for the plan test). */
export function feedQuery(caller: CallerIdentity, filters: FeedFilters, window: FeedWindow): SQL {
  const item = sql`(${receivableBy(caller, currentState('i'))} and ${matchesFilters(filters, CURRENT)})`;
  const formerlyAt = (change: string) => sql`(${receivableBy(caller, previousState(change, 'i'))} and ${matchesFilters(filters, previousColumns(change))})`;
  // A group membership change concerns only the organisations that joined or left.
  const concerns = (change: string) => sql`(${sql.raw(change)}.only_orgs is null or ${caller.orgId}::uuid = any(${sql.raw(change)}.only_orgs))`;
  // Withdrawn or expired as they are; still active but no longer for this consumer: revoked.
  const tombstoneStatus = sql`(case when ${effectiveStatus('i')} = 'active' then 'revoked' else ${effectiveStatus('i')} end)`;
  const where = [
    sql`(c.xid, c.pos) > (${window.after.xid}::xid8, ${window.after.pos}::bigint)`,
    sql`c.xid < ${window.horizon}::xid8`,
    ...(window.upTo ? [sql`(c.xid, c.pos) <= (${window.upTo.xid}::xid8, ${window.upTo.pos}::bigint)`] : []),
    concerns('c'),
    ...(window.ids ? [sql`c.indicator_id = any(${pgArray(window.ids)}::uuid[])`] : []),
    ...(filters.types?.length ? [sql`i.type = any(${pgArray(filters.types)}::text[])`] : []),
    sql`(${item} or ${formerlyAt('c')})`,
    ...(window.latestOnly ? [sql`not exists (select 1 from indicator_changes later
      where later.indicator_id = c.indicator_id and (later.xid, later.pos) > (c.xid, c.pos) and later.xid < ${window.horizon}::xid8
        and ${concerns('later')} and (${item} or ${formerlyAt('later')}))`] : []),
  ];
  const payload = window.positionsOnly
    ? sql`''`
    : sql`case when ${item} then ${feedItemJson(caller)} else ${tombstoneJson(tombstoneStatus, sql`coalesce(${PREVIOUS.tlp}, i.tlp)`)} end`;
  const budgeted = window.budget !== undefined;
  const walk = sql`
    select c.xid::text as xid, c.pos::int8 as pos, i.id::text as id, i.version, ${payload} as json,
      ${seesAsSource(caller)} as owned${budgeted ? sql`, c.xid as at_xid` : sql``}
    from indicator_changes c
    join indicators i on i.id = c.indicator_id
    join orgs o on o.id = i.source_org_id
    where ${sql.join(where, sql` and `)}
    order by c.xid, c.pos
    limit ${window.limit}`;
  if (!budgeted) return walk;
  // The bytes of the rows before each one, summed as the walk goes (no sort: the walk's order).
  return sql`
    select xid, pos, id, version, json, owned from (
      select w.*, coalesce(sum(octet_length(w.json)) over (order by w.at_xid, w.pos rows between unbounded preceding and 1 preceding), 0) as before
      from (${walk}) w
    ) b
    where b.before < ${window.budget}
    order by b.at_xid, b.pos`;
}

/** Where a consumer stands after a page: its last row, or — when the page was not full — the horizon. */
export function nextPosition(after: FeedPosition, page: ReadonlyArray<Pick<FeedRow, 'xid' | 'pos'>>, full: boolean, horizon: string): FeedPosition {
  const last = page.length ? { xid: page[page.length - 1]!.xid, pos: Number(page[page.length - 1]!.pos) } : after;
  if (full) return last;
  // Everything below the horizon that this consumer may see has been served.
  const atHorizon = { xid: horizon, pos: 0 };
  return compareFeedPositions(atHorizon, last) > 0 ? atHorizon : last;
}

/** Keeps the first row of each indicator in a page: every row shows the indicator as it is now. */
export function firstPerIndicator(): (row: Pick<FeedRow, 'id'>) => boolean {
  const seen = new Set<string>();
  return (row) => {
    if (seen.has(row.id)) return false;
    seen.add(row.id);
    return true;
  };
}
