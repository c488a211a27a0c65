/**
 * Statistics (contract §6): what was reported, what became of it, how fast, and how far behind
 * the feed head each consumer is. Counted in the database, for the whole exchange (the secretariat)
 * or for one organisation's own reports and clients.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Database, type Executor } from '../../db/client.js';
import { pgArray, toRfc3339 } from '../../db/sql.js';
import { TIMED_ACTIONS } from '../../domain/outcomes.js';
import type { OrgKind } from '../../domain/types.js';
import { effectiveStatus } from '../../domain/visibility.js';
import { feedRows } from '../feeds/query.js';

/** Receivable changes counted after a consumer's position, at most (beyond: `pending_capped`). */
export const PENDING_CAP = 1_000;

/** Whose statistics: everything, or one organisation's own reports and clients. */
export type StatsScope = { all: true } | { orgId: string };

type Counts = Record<string, number>;
interface Timed { action: string; reports: number; median_seconds: number; p90_seconds: number }

const counts = (list: Array<{ key: string | null; n: string | number }>): Counts =>
  Object.fromEntries(list.map((r) => [r.key ?? 'none', Number(r.n)]));

async function indicatorCounts(db: Executor, scope: StatsScope) {
  const where = 'all' in scope ? sql`true` : sql`i.source_org_id = ${scope.orgId}::uuid`;
  // One scan, every grouping: statuses over all reports, the rest over the active ones.
  const grouped = await rows<{ set: string; key: string | null; name: string | null; n: string | number }>(db, sql`
    select case grouping(x.status, x.type, x.sector, x.tlp, x.source) when 15 then 'status' when 23 then 'type' when 27 then 'sector'
        when 29 then 'tlp' else 'source' end as set,
      coalesce(x.status, x.type, x.sector, x.tlp, x.source::text) as key, max(x.name) as name, count(*) as n
    from (select ${effectiveStatus('i')} as status, case when ${effectiveStatus('i')} = 'active' then i.type end as type,
        case when ${effectiveStatus('i')} = 'active' then coalesce(i.sector, 'none') end as sector,
        case when ${effectiveStatus('i')} = 'active' then i.tlp end as tlp,
        case when ${effectiveStatus('i')} = 'active' then i.source_org_id end as source, o.name
      from indicators i join orgs o on o.id = i.source_org_id where ${where}) x
    group by grouping sets ((x.status), (x.type), (x.sector), (x.tlp), (x.source))`);
  const set = (name: string) => grouped.filter((g) => g.set === name && g.key !== null);
  return {
    total: set('status').reduce((sum, g) => sum + Number(g.n), 0),
    by_status: counts(set('status')),
    by_type: counts(set('type')),
    by_sector: counts(set('sector')),
    by_tlp: counts(set('tlp')),
    ...('all' in scope ? {
      by_source: set('source').map((g) => ({ org_id: g.key!, name: g.name!, active: Number(g.n) })).sort((a, b) => b.active - a.active).slice(0, 100),
    } : {}),
  };
}

async function outcomeStats(db: Executor, scope: StatsScope) {
  const where = 'all' in scope ? sql`true` : sql`oc.source_org_id = ${scope.orgId}::uuid`;
  const byAction = await rows<{ key: string; n: string | number }>(db, sql`
    select oc.action as key, count(*) as n from outcomes oc where ${where} group by oc.action order by oc.action`);
  // From the report (the indicator's creation) to each reporter's first outcome of each timed action.
  const timed = await rows<Timed & { by: 'country' | 'intermediary'; key: string; name: string | null }>(db, sql`
    with firsts as (
      select oc.indicator_id, oc.reporter_org_id, oc.action, min(oc.occurred_at) as at from outcomes oc
      where ${where} and oc.action = any(${pgArray(TIMED_ACTIONS)}::text[]) group by oc.indicator_id, oc.reporter_org_id, oc.action
    ), timed as (
      select f.action, r.id as org_id, r.name, r.kind, r.country, greatest(0, extract(epoch from f.at - i.created_at))::float8 as s
      from firsts f join indicators i on i.id = f.indicator_id join orgs r on r.id = f.reporter_org_id
    )
    select 'country' as by, action, country as key, null as name, count(*) as reports,
      percentile_cont(0.5) within group (order by s) as median_seconds, percentile_cont(0.9) within group (order by s) as p90_seconds
    from timed group by action, country
    union all
    select 'intermediary', action, org_id::text, max(name), count(*),
      percentile_cont(0.5) within group (order by s), percentile_cont(0.9) within group (order by s)
    from timed where kind = 'intermediary' group by action, org_id
    order by 1, 2, 3`);
  const shape = (t: Timed) => ({ action: t.action, reports: Number(t.reports), median_seconds: Number(t.median_seconds), p90_seconds: Number(t.p90_seconds) });
  return {
    outcomes: { total: byAction.reduce((sum, r) => sum + Number(r.n), 0), by_action: counts(byAction) },
    time_to_action: {
      by_country: timed.filter((t) => t.by === 'country').map((t) => ({ ...shape(t), country: t.key })),
      by_intermediary: timed.filter((t) => t.by === 'intermediary').map((t) => ({ ...shape(t), org_id: t.key, name: t.name! })),
    },
  };
}

interface PositionRow { client_id: string; client_name: string; org_id: string; org_name: string; kind: OrgKind; country: string; feed: string; xid: string; pos: string | number; pulled_at: string | Date }

/**
 * Each consumer's lag behind the feed head: the changes after where its last page ended that it
 * may receive (the sharing rule, through the feed query itself; its filters aside), counted up to
 * PENDING_CAP, and how long the oldest of them has waited.
 */
async function consumerLag(db: Database, scope: StatsScope, horizon: string) {
  const where = 'all' in scope ? sql`true` : sql`o.id = ${scope.orgId}::uuid`;
  const positions = await rows<PositionRow>(db, sql`
    select p.client_id, c.name as client_name, o.id as org_id, o.name as org_name, o.kind, o.country, p.feed, p.xid::text as xid, p.pos::int8 as pos, p.pulled_at
    from feed_positions p join clients c on c.client_id = p.client_id join orgs o on o.id = c.org_id
    where c.revoked_at is null and ${where} order by o.name, c.name, p.feed`);
  const out = [];
  for (const p of positions) {
    const consumer = { orgId: p.org_id, orgKind: p.kind, country: p.country, groups: [] };
    const pending = await feedRows(db, consumer, {}, { after: { xid: p.xid, pos: Number(p.pos) }, horizon, limit: PENDING_CAP + 1, positionsOnly: true });
    const [oldest] = pending.length
      ? await rows<{ waited: number }>(db, sql`select extract(epoch from now() - created_at)::float8 as waited from indicator_changes where pos = ${Number(pending[0]!.pos)}`)
      : [];
    out.push({
      client_id: p.client_id, client_name: p.client_name, org_id: p.org_id, org_name: p.org_name, feed: p.feed,
      last_pulled_at: toRfc3339(p.pulled_at),
      pending_changes: Math.min(pending.length, PENDING_CAP), pending_capped: pending.length > PENDING_CAP,
      lag_seconds: Math.max(0, oldest?.waited ?? 0),
    });
  }
  return out;
}

export async function statistics(db: Database, scope: StatsScope, horizon: string) {
  return {
    generated_at: new Date().toISOString(),
    indicators: await indicatorCounts(db, scope),
    ...await outcomeStats(db, scope),
    consumers: await consumerLag(db, scope, horizon),
  };
}
