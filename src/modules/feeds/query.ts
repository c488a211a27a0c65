/**
 * The change feed: what changed, after a cursor, that this caller may see — as items (the
 * indicator as it is now) or tombstones (it was receivable before the change and is not now).
 *
 * Gap-free by construction (the full argument is in src/domain/cursor.ts): rows are read in
 * (xid, pos) order and only from transactions older than every running one.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { compareFeedPositions, type FeedPosition } from '../../domain/cursor.js';
import { currentState, effectiveStatus, previousState, receivableBy, type CallerIdentity } from '../../domain/visibility.js';
import { indicatorJson, tombstoneJson } from '../indicators/view.js';

export interface FeedFilters {
  types?: string[];
  sectors?: string[];
  tlp?: string[];
  min_confidence?: number;
  include_shared?: boolean;
}

export const FEED_START: FeedPosition = { xid: '0', pos: 0 };

/** The oldest transaction still running: every change below it is committed for good. */
export async function feedHorizon(db: Executor): Promise<string> {
  const [row] = await rows<{ xmin: string }>(db, sql`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`);
  return row!.xmin;
}

function filterConditions(filters: FeedFilters): SQL[] {
  const where: SQL[] = [];
  if (filters.types?.length) where.push(sql`i.type = any(${pgArray(filters.types)}::text[])`);
  if (filters.sectors?.length) where.push(sql`i.sector = any(${pgArray(filters.sectors)}::text[])`);
  if (filters.tlp?.length) where.push(sql`i.tlp = any(${pgArray(filters.tlp)}::text[])`);
  if (filters.min_confidence !== undefined) where.push(sql`i.confidence >= ${filters.min_confidence}`);
  if (filters.include_shared === false) where.push(sql`cardinality(i.shared_infrastructure) = 0`);
  return where;
}

export interface FeedRow { xid: string; pos: number; id: string; json: string }

/**
 * One window of the feed: changes in (after, upTo] below `horizon`, at most `limit` rows.
 * Each row is an item or a tombstone as JSON text.
 */
export async function feedRows(db: Executor, caller: CallerIdentity, filters: FeedFilters, window: {
  after: FeedPosition; horizon: string; limit: number; upTo?: FeedPosition; positionsOnly?: boolean;
}): Promise<FeedRow[]> {
  const now = receivableBy(caller, currentState('i'));
  const before = receivableBy(caller, previousState('c', 'i'));
  // Withdrawn or expired as they are; still active but no longer for this consumer: revoked.
  const tombstoneStatus = sql`(case when ${effectiveStatus('i')} = 'active' then 'revoked' else ${effectiveStatus('i')} end)`;
  const where = [
    sql`(c.xid, c.pos) > (${window.after.xid}::xid8, ${window.after.pos}::bigint)`,
    sql`c.xid < ${window.horizon}::xid8`,
    ...(window.upTo ? [sql`(c.xid, c.pos) <= (${window.upTo.xid}::xid8, ${window.upTo.pos}::bigint)`] : []),
    sql`(${now} or ${before})`,
    ...filterConditions(filters),
  ];
  const payload = window.positionsOnly
    ? sql`''`
    : sql`case when ${now} then ${indicatorJson(caller)} else ${tombstoneJson(tombstoneStatus)} end`;
  return rows<FeedRow>(db, sql`
    select c.xid::text as xid, c.pos::int8 as pos, i.id, ${payload} as json
    from indicator_changes c
    join indicators i on i.id = c.indicator_id
    join orgs o on o.id = i.source_org_id
    where ${sql.join(where, sql` and `)}
    order by c.xid, c.pos
    limit ${window.limit}`);
}

/** Where a consumer stands after a page: its last row, or — when the page was not full — the horizon. */
export function nextPosition(after: FeedPosition, page: FeedRow[], full: boolean, horizon: string): FeedPosition {
  const last = page.length ? { xid: page[page.length - 1]!.xid, pos: Number(page[page.length - 1]!.pos) } : after;
  if (full) return last;
  // Everything below the horizon that this consumer may see has been served.
  const atHorizon = { xid: horizon, pos: 0 };
  return compareFeedPositions(atHorizon, last) > 0 ? atHorizon : last;
}

/** Keeps the first row of each indicator in a page: every row shows the indicator as it is now. */
export function firstPerIndicator(): (row: FeedRow) => boolean {
  const seen = new Set<string>();
  return (row) => {
    if (seen.has(row.id)) return false;
    seen.add(row.id);
    return true;
  };
}
