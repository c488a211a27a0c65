/**
 * The link graph (contract §6), computed in PostgreSQL for one caller: nodes are indicators the
 * caller may receive; two are linked when they share an observable — each one's own value, or a
 * stored link (src/domain/links.ts: relation targets, a URL's or e-mail's domain, a registrable
 * domain) — or when their addresses and networks overlap (inet `&&`, GiST).
 *
 * The walk is bipartite, indicator → observables → indicators, and every indicator it reaches is
 * judged by the sharing rule (`receivableBy`) before it is followed: an indicator the caller may
 * not receive is never a node, never a bridge to other nodes, and never carries an observable
 * into the walk, so it changes no count. Each observable and each indicator is expanded once
 * (a hub shared by thousands of sites costs one index range, not one per site).
 *
 * - related: levels 1..depth built explicitly, each capped (`LEVEL_CAP`), ordered by relevance —
 *   distance, then how many observables a node shares with the level before, then confidence.
 * - network: the connected component as a recursive query (UNION: each row once), read lazily up
 *   to `NETWORK_MAX` members, counted by type in the database; only the first `limit` members
 *   (nearest first) leave it as nodes.
 */
import { sql, type SQL } from 'drizzle-orm';
import { plannerSettings, readPlanned, rows, type Database, type Executor } from '../../db/client.js';
import { currentState, receivableBy, type CallerIdentity } from '../../domain/visibility.js';
import { indicatorJson, withReadExtras } from '../indicators/view.js';

/** Members a network walk reads at most; beyond, the answer says `truncated`. */
export const NETWORK_MAX = 100_000;
/** Nodes kept per level of /related before the next level is expanded from them. */
export const LEVEL_CAP = 1_000;
/** Edges returned per node asked for (a hub of n sites would otherwise give n² shared edges). */
export const EDGES_PER_NODE = 5;

const ADDRESS = sql.raw(`('ipv4', 'ipv6', 'cidr')`);

const visible = (caller: CallerIdentity, alias: string) => receivableBy(caller, currentState(alias));

/** The observables of the indicators in CTE `frontier(id)`: their own values and their links. */
function keysOf(frontier: string): string {
  return `select j.type, j.platform, j.value from ${frontier} f join indicators j on j.id = f.id
    union
    select l.type, l.platform, l.value from ${frontier} f join indicator_links l on l.indicator_id = f.id where l.via <> 'self'`;
}

/** (id, confidence, observable) for every indicator the caller may receive that carries an observable of CTE `keys`. */
function carriersOf(caller: CallerIdentity, keys: string): SQL {
  const k = sql.raw(keys);
  return sql`select j.id, j.confidence, c.type, c.platform, c.value from (
      select j.id, k.type, k.platform, k.value from ${k} k join indicators j on j.type = k.type and j.value = k.value and j.platform = k.platform
      where k.type not in ${ADDRESS}
      union all
      select l.indicator_id, k.type, k.platform, k.value from ${k} k join indicator_links l on l.type = k.type and l.value = k.value and l.platform = k.platform
      where k.type not in ${ADDRESS}
      union all
      -- addresses and networks by containment (their own values are links too: equality included)
      select l.indicator_id, k.type, k.platform, k.value from ${k} k join indicator_links l
        on k.type in ${ADDRESS} and l.type in ${ADDRESS} and l.value::inet && k.value::inet
    ) c join indicators j on j.id = c.id
    where ${visible(caller, 'j')}`;
}

/**
 * CTEs over `r(id)` (the nodes returned): `rk`, their observables, and `edges`. An edge joins two
 * nodes that meet at an observable: `corroboration` (both report it), a relation type or a derived
 * link (one points at the other's value), `shared` (both point at it), or `contains` (an address
 * or network inside another).
 */
function edgeCtes(): SQL {
  return sql.raw(`rk as (
      select k.*, case when k.type in ('ipv4', 'ipv6', 'cidr') then k.value::inet end as net from (
        select r.id, j.type, j.platform, j.value, 'self'::text as via from r join indicators j on j.id = r.id
        union all
        select r.id, l.type, l.platform, l.value, l.via from r join indicator_links l on l.indicator_id = r.id where l.via <> 'self'
      ) k
    ), meetings as (
      select case when a.via = 'self' then b.id else a.id end as source, case when a.via = 'self' then a.id else b.id end as target,
        case when a.via = 'self' and b.via = 'self' then 'corroboration' when a.via = 'self' then b.via
          when b.via = 'self' then a.via else 'shared' end as type,
        case when a.via <> 'self' and b.via <> 'self' then 2 else 0 end as rank, a.type as o_type, a.platform as o_platform, a.value as o_value
      from rk a join rk b on a.type = b.type and a.value = b.value and a.platform = b.platform and a.id < b.id
      union all
      select a.id, b.id, 'contains', 1, b.type, b.platform, b.value
      from rk a join rk b on a.net is not null and b.net is not null and a.id <> b.id and a.net >> b.net
    ), edges as (
      select distinct on (source, target, type) * from meetings order by source, target, type, rank
    )`);
}

const edgeJson = sql.raw(`json_build_object('source', e.source, 'target', e.target, 'type', e.type,
  'observable', json_build_object('type', e.o_type, 'value', e.o_value, 'platform', nullif(e.o_platform, '')))::text`);

/** What a graph query answers: JSON arrays as text, ready to send or to parse for STIX. */
export interface GraphRows {
  nodes: string;
  edges: string;
  edgesTruncated: boolean;
  /** The indicators delivered as nodes (id and version): for whoever records deliveries. */
  delivered: Array<{ id: string; version: number }>;
}

type GraphRow = { nodes: string; edges: string; edges_truncated: boolean; delivered: Array<{ id: string; version: number }> | null };

const graphRows = (row: GraphRow): GraphRows => ({
  nodes: `[${row.nodes}]`, edges: `[${row.edges}]`, edgesTruncated: row.edges_truncated, delivered: row.delivered ?? [],
});

/** The selected columns every graph query shares: `nodes` from `r(id, ord)` with `extra` added to each, and `edges`. */
function graphColumns(caller: CallerIdentity, extra: SQL, edgeLimit: number): SQL {
  return sql`(select coalesce(string_agg(left(${withReadExtras(indicatorJson(caller), caller)}, -1) || ${extra} || '}', ',' order by r.ord), '')
        from r join indicators i on i.id = r.id join orgs o on o.id = i.source_org_id) as nodes,
      (select json_agg(json_build_object('id', i.id, 'version', i.version) order by r.ord) from r join indicators i on i.id = r.id) as delivered,
      (select coalesce(string_agg(x.json, ',' order by x.rank, x.source, x.target), '') from
        (select ${edgeJson} as json, e.rank, e.source, e.target from edges e order by e.rank, e.source, e.target limit ${edgeLimit}) x) as edges,
      (select count(*) > ${edgeLimit} from edges) as edges_truncated`;
}

/**
 * Graph queries are planned as lookups (readPlanned with these settings): each step joins the indicators carrying a frontier's
 * observables (a frontier of at most LEVEL_CAP nodes) to `indicators` by id and tests the sharing
 * rule on each, so nested loops over the primary key are right whatever the table's size. Left to itself the planner
 * cannot estimate the rule (the caller's group tokens are read by the query) and at 5 M indicators
 * guessed 29 k receivable rows of 3.8 M: it built a hash of all of them to join 35 k candidates,
 * 11.8 s of a /related at depth 3 that lookups answer in 1.0 s (bench/NOTES.md, round three).
 * No JIT either: its cost estimates made PostgreSQL compile the walk, which took longer than the
 * walk itself (2.5 s of a 5.5 s answer).
 */
const AS_LOOKUPS = plannerSettings({ enable_hashjoin: 'off', enable_mergejoin: 'off', jit: 'off' });

/** Whether the caller may read the indicator at all (a graph starts only from one it may). */
export async function mayRead(db: Executor, caller: CallerIdentity, id: string): Promise<boolean> {
  const [row] = await rows(db, sql`select 1 from indicators i where i.id = ${id}::uuid and ${receivableBy(caller, currentState(), { forReading: true })}`);
  return row !== undefined;
}

/** The graph around `start` up to `depth` (1–3) indicator hops, at most `limit` nodes (start included) by relevance. */
export async function related(db: Database, caller: CallerIdentity, start: string, depth: number, limit: number): Promise<GraphRows> {
  const ctes: SQL[] = [sql`n0 as (select i.id, 0 as depth, 0::bigint as strength, i.confidence from indicators i where i.id = ${start}::uuid)`];
  const before = (d: number) => Array.from({ length: d }, (_, k) => `select id from n${k}`).join(' union all ');
  for (let d = 1; d <= depth; d++) {
    // No deeper level once the nearer ones fill the answer: relevance puts distance first.
    const full = `(select count(*) from (${before(d)}) s) >= ${limit}`;
    const seen = Array.from({ length: d - 1 }, (_, k) => ` except select type, platform, value from k${k + 1}`).join('');
    ctes.push(sql.raw(`k${d} as (select x.type, x.platform, x.value from (${keysOf(`n${d - 1}`)}) x where not ${full}${seen})`));
    ctes.push(sql`${sql.raw(`n${d}`)} as (
      select c.id, ${sql.raw(String(d))} as depth, count(distinct (c.type, c.platform, c.value)) as strength, max(c.confidence) as confidence
      from (${carriersOf(caller, `k${d}`)}) c
      where c.id not in (${sql.raw(before(d))})
      group by c.id order by strength desc, confidence desc, c.id limit ${LEVEL_CAP})`);
  }
  const levels = Array.from({ length: depth + 1 }, (_, d) => `select * from n${d}`).join(' union all ');
  ctes.push(sql.raw(`ranked as (select *, row_number() over (order by depth, strength desc, confidence desc, id) as ord from (${levels}) l)`));
  ctes.push(sql`r as (select id, ord, depth from ranked where ord <= ${limit})`);
  ctes.push(edgeCtes());
  const [row] = await readPlanned<GraphRow>(db, AS_LOOKUPS, sql`
    with ${sql.join(ctes, sql`, `)}
    select ${graphColumns(caller, sql`',"depth":' || r.depth`, limit * EDGES_PER_NODE)}`);
  return graphRows(row!);
}

export interface NetworkRows extends GraphRows { members: number; byType: Record<string, number>; truncated: boolean }

/** The connected component of `start` as the caller may see it: its size and counts by type, and its first `limit` members. */
export async function network(db: Database, caller: CallerIdentity, start: string, limit: number): Promise<NetworkRows> {
  const isIndicator = sql.raw(`w.k = 'i'`), isKey = sql.raw(`w.k = 'k'`);
  const [row] = await readPlanned<GraphRow & { members: string | number; by_type: string }>(db, AS_LOOKUPS, sql`
    with recursive walk(k, id, type, platform, value) as (
      select x.* from indicators j cross join lateral (values ('i'::text, j.id, j.type, null::text, null::text), ('k', null, j.type, j.platform, j.value)) x
      where j.id = ${start}::uuid
      union
      select n.k, n.id, n.type, n.platform, n.value from walk w cross join lateral (
        -- an indicator: the observables it points at (its own value came with it)
        select 'k'::text as k, null::uuid as id, l.type, l.platform, l.value from indicator_links l where ${isIndicator} and l.indicator_id = w.id and l.via <> 'self'
        union all
        -- an observable: the indicators the caller may receive that carry it, each with its own value
        select x.* from (
          select j.id, j.type, j.platform, j.value from indicators j
          where ${isKey} and w.type not in ${ADDRESS} and j.type = w.type and j.value = w.value and j.platform = w.platform and ${visible(caller, 'j')}
          union all
          select j.id, j.type, j.platform, j.value from indicator_links l join indicators j on j.id = l.indicator_id
          where ${isKey} and w.type not in ${ADDRESS} and l.type = w.type and l.value = w.value and l.platform = w.platform and ${visible(caller, 'j')}
          union all
          -- addresses and networks, by containment (their own values are links too: equality included)
          select j.id, j.type, j.platform, j.value from indicator_links l join indicators j on j.id = l.indicator_id
          where ${isKey} and w.type in ${ADDRESS} and l.type in ${ADDRESS} and l.value::inet && w.value::inet and ${visible(caller, 'j')}
        ) c cross join lateral (values ('i'::text, c.id, c.type, null::text, null::text), ('k', null, c.type, c.platform, c.value)) x
      ) n
    ), found as materialized (
      select id, type, row_number() over () as ord from (select id, type from walk where k = 'i' limit ${NETWORK_MAX + 1}) m
    ), members as (select id, type, ord from found where ord <= ${NETWORK_MAX}),
    r as (select id, ord from members where ord <= ${limit}),
    ${edgeCtes()}
    select (select count(*) from found) as members,
      (select coalesce(json_object_agg(t.type, t.n order by t.type), '{}'::json)::text
        from (select m.type, count(*) as n from members m group by m.type) t) as by_type,
      ${graphColumns(caller, sql`''`, limit * EDGES_PER_NODE)}`);
  const found = Number(row!.members);
  return {
    ...graphRows(row!), members: Math.min(found, NETWORK_MAX), truncated: found > NETWORK_MAX, byType: JSON.parse(row!.by_type) as Record<string, number>,
  };
}
