/**
 * The audit log (contract §7): how every module records what happened. An entry says who (a client
 * and its organisation, or `system:<what>`), did what (`action`), to what (indicators with their
 * versions, or a `subject`), when, and — for a delivery — by which path. Never an indicator's value
 * or any free text a source wrote: purging content (./retention.ts) leaves nothing behind here.
 *
 * The calls, each ONE statement whatever the number of indicators:
 *
 *   recordAudit(db, actor, { action, subject?, subjectOrg?, path?, detail? })
 *       an event about no indicator (tokens, organisations, clients, groups, saved feeds, lists).
 *   recordIndicatorEvents(db, actor, { 'indicator.created': ids, … }, detail?)
 *       writes of indicators, in the writing transaction after the write: versions are read from the rows.
 *   recordDeliveries(db, caller, path, items: { id, version }[], detail?)
 *       what an organisation received: call it with exactly what the response holds (items and
 *       tombstones), BEFORE the response is sent. A failed record fails the request, so nothing
 *       leaves unrecorded. One statement per page, one row per 10,000 indicators.
 *       (recordDeliveriesTo: the same page to several callers, still one statement.)
 *   deliveriesFrom(caller, path, select, detail?)
 *       the same as SQL: an INSERT taking `id, version` rows from `select`, to run as a
 *       data-modifying CTE — `with page as (…), delivered as (${deliveriesFrom(…, sql`select id, version from page`)})
 *       select … from page` — so that a read and its record are one statement (single reads,
 *       lists and lookups do this).
 *
 * Delivery paths in use: `read`, `list`, `lookup`, `feed:<format>`, `saved-feed:<format>`,
 * `blocklist:<format>`, `dns:axfr`, `dns:ixfr`, `stream`, `taxii:objects`, `taxii:object`,
 * `graph:related`, `graph:network` (with `:stix` for a STIX bundle).
 *
 * Entries are written unhashed in the writer's own transaction (no lane every writer must pass
 * through); ./chain.ts numbers and hashes them afterwards. `configureAudit({ enabled: false })`
 * (AUDIT_OFF_FOR_BENCHMARKS) turns every call here into a no-op: for measuring what the audit
 * costs, never for production.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import type { CallerIdentity } from '../../domain/visibility.js';

/** Every action the log knows (GET /v1/audit filters by these): a new kind of write adds its own here. */
export const AUDIT_ACTIONS = [
  'token.issued', 'token.refused',
  'org.created', 'client.created', 'client.revoked', 'client.tsig_rotated', 'dns_zone.updated',
  'sharing_group.created', 'sharing_group.updated', 'signing_key.added', 'signing_key.retired',
  'indicator.created', 'indicator.updated', 'indicator.withdrawn', 'indicator.extended', 'indicator.expired', 'indicator.purged',
  'saved_feed.created', 'warninglist.entries_added', 'outcome.reported',
  'delivery',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Who acted: a client of an organisation, or the service itself (`system:sweeper` …, no organisation). */
export interface AuditActor { clientId: string; orgId: string | null }

export const SYSTEM_ACTORS = {
  sweeper: { clientId: 'system:sweeper', orgId: null },
  cli: { clientId: 'system:cli', orgId: null },
  bootstrap: { clientId: 'system:bootstrap', orgId: null },
} as const satisfies Record<string, AuditActor>;

/** At most this many indicators per entry: a bigger set is several entries of one statement. */
export const MAX_INDICATORS_PER_ENTRY = 10_000;

let enabled = true;

/** Process-wide: false (AUDIT_OFF_FOR_BENCHMARKS) records nothing at all. */
export function configureAudit(options: { enabled: boolean }): void {
  enabled = options.enabled;
}

export const auditEnabled = () => enabled;

const detailParam = (detail: Record<string, unknown> | undefined) => (detail === undefined ? sql`null` : sql`${JSON.stringify(detail)}::jsonb`);

export interface AuditEvent {
  action: AuditAction;
  path?: string;
  subject?: string;
  subjectOrg?: string;
  detail?: Record<string, unknown>;
}

/**
 * An event about no indicator. `actor.orgId` undefined: looked up from the client id (the DNS
 * primary knows only the client).
 */
export async function recordAudit(db: Executor, actor: { clientId: string; orgId?: string | null }, event: AuditEvent): Promise<void> {
  if (!enabled) return;
  const org = actor.orgId === undefined ? sql`(select org_id from clients where client_id = ${actor.clientId})` : sql`${actor.orgId}::uuid`;
  await db.execute(sql`insert into audit_log (actor, actor_org, action, path, subject, subject_org, detail)
    values (${actor.clientId}, ${org}, ${event.action}, ${event.path ?? null}, ${event.subject ?? null},
      ${event.subjectOrg ?? null}::uuid, ${detailParam(event.detail)})`);
}

/**
 * Writes of indicators, one entry per action (and per 10,000 indicators), in one statement; the
 * versions are those the rows hold now, so call it after the write, in its transaction.
 */
export async function recordIndicatorEvents(db: Executor, actor: AuditActor, events: Partial<Record<AuditAction, readonly string[]>>, detail?: Record<string, unknown>): Promise<void> {
  if (!enabled) return;
  const ids: string[] = [], actions: string[] = [];
  for (const [action, list] of Object.entries(events)) for (const id of list ?? []) { ids.push(id); actions.push(action); }
  if (ids.length === 0) return;
  await db.execute(sql`
    insert into audit_log (actor, actor_org, action, indicator_ids, versions, detail)
    select ${actor.clientId}, ${actor.orgId}::uuid, x.action, array_agg(i.id order by x.n), array_agg(i.version order by x.n), ${detailParam(detail)}
    from unnest(${pgArray(ids)}::uuid[], ${pgArray(actions)}::text[]) with ordinality as x(id, action, n)
    join indicators i on i.id = x.id
    group by x.action, (x.n - 1) / ${MAX_INDICATORS_PER_ENTRY}`);
}

export interface Delivered { id: string; version: number }

/** What `caller` received by `path`, before the response leaves: one statement, one row per 10,000. */
export async function recordDeliveries(db: Executor, caller: AuditActor, path: string, items: readonly Delivered[], detail?: Record<string, unknown>): Promise<void> {
  await recordDeliveriesTo(db, [caller], path, items, detail);
}

/** The same page delivered to several callers at once (subscribers of a live stream sharing a page): still one statement. */
export async function recordDeliveriesTo(db: Executor, callers: readonly AuditActor[], path: string, items: readonly Delivered[], detail?: Record<string, unknown>): Promise<void> {
  if (!enabled || items.length === 0 || callers.length === 0) return;
  const values: SQL[] = [];
  for (let from = 0; from < items.length; from += MAX_INDICATORS_PER_ENTRY) {
    const slice = items.slice(from, from + MAX_INDICATORS_PER_ENTRY);
    const ids = pgArray(slice.map((d) => d.id));
    const versions = `{${slice.map((d) => d.version).join(',')}}`;
    for (const caller of callers) {
      values.push(sql`(${caller.clientId}, ${caller.orgId}::uuid, 'delivery', ${path}, ${ids}::uuid[], ${versions}::int[], ${detailParam(detail)})`);
    }
  }
  await db.execute(sql`insert into audit_log (actor, actor_org, action, path, indicator_ids, versions, detail) values ${sql.join(values, sql`, `)}`);
}

/**
 * The SQL-level recordDeliveries: an INSERT of the `id, version` rows `select` yields, as deliveries
 * to `caller` by `path` — for a data-modifying CTE, so a read and its record are one statement.
 * Nothing when `select` yields no row (and a no-op SELECT when the audit is off).
 */
export function deliveriesFrom(caller: AuditActor, path: string, select: SQL, detail?: Record<string, unknown>): SQL {
  if (!enabled) return sql`select 1 where false`;
  return sql`insert into audit_log (actor, actor_org, action, path, indicator_ids, versions, detail)
    select ${caller.clientId}, ${caller.orgId}::uuid, 'delivery', ${path}, array_agg(d.id order by d.n), array_agg(d.version order by d.n), ${detailParam(detail)}
    from (select s.id, s.version, row_number() over () as n from (${select}) as s) d
    group by (d.n - 1) / ${MAX_INDICATORS_PER_ENTRY}`;
}

/**
 * An indicator's JSON (`json`, an expression over the row aliased `i`) with, for its source and the
 * secretariat, `delivered: { orgs, countries }`: how many organisations other than the source (and
 * the secretariat) received any version of it, and in how many countries — never who. Counted
 * from chained delivery entries (./chain.ts keeps `indicator_recipients`), so it trails the
 * deliveries by up to one chaining round.
 */
export function withDelivered(caller: CallerIdentity, json: SQL): SQL {
  const counts = sql`(select json_build_object('orgs', count(*), 'countries', count(distinct ro.country))::text
    from indicator_recipients r join orgs ro on ro.id = r.org_id
    where r.indicator_id = i.id and r.org_id <> i.source_org_id and ro.kind <> 'secretariat')`;
  const added = sql`(left(${json}, -1) || ',"delivered":' || ${counts} || '}')`;
  if (caller.orgKind === 'secretariat') return added;
  return sql`(case when i.source_org_id = ${caller.orgId}::uuid then ${added} else ${json} end)`;
}
