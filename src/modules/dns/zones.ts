/**
 * The resolver zones in the database: issuing and rotating their TSIG keys, keeping each zone's
 * records in step with the feed, and reading them for AXFR and IXFR.
 *
 * Each intermediary client has one zone. Its records are the values it may receive (the sharing
 * rule, `receivableBy` from src/domain/visibility.ts, in every query), not disputed and not on a
 * shared-infrastructure warninglist, of the types a zone can hold. They are materialised in
 * `dns_zone_records` so that a serial names exactly one content; each change of that content is
 * a new version with a new serial, its additions and deletions journaled for IXFR.
 *
 * Keeping step with the feed: the change log is read like a feed (src/domain/cursor.ts) — every
 * change below the feed horizon is final — and a zone remembers the horizon it has reached
 * (`position`). The values touched by changes since then are checked again against the rule, and
 * what differs from the records is the next version. A full comparison runs every
 * DNS_RECONCILE_SECONDS as well, for what reaches the rule without a logged change (time passing
 * `valid_until` before the sweeper logs the expiry, a dispute set without a change row).
 */
import { randomBytes } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Database, type Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { withRetry } from '../../db/transaction.js';
import type { RpzConfig } from '../../config.js';
import { policyTarget, RPZ_TYPES, serialFor, type RpzEntry, type RpzPolicy } from '../../domain/rpz.js';
import type { OrgKind } from '../../domain/types.js';
import { currentState, receivableBy, type CallerIdentity } from '../../domain/visibility.js';
import { seal, unseal, type SealKeys } from './seal.js';
import { TSIG_ALGORITHM, type TsigKey } from './tsig.js';

/** A diff larger than this is applied without a journal: IXFR from before it answers the whole zone. */
export const JOURNAL_LIMIT = 100_000;
/** Journal entries older than this are pruned (a secondary further behind gets the whole zone). */
const JOURNAL_HOURS = 24;

/** The zone's first label, from the client id: DNS names are case-insensitive and have no `_`. */
export function zoneLabel(clientId: string): string {
  return clientId.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

export const zoneName = (label: string, rpz: Pick<RpzConfig, 'origin'>) => `${label}.${rpz.origin}`;

/** What a client is told once, when its key is issued or rotated (the secret is not kept in the clear). */
export interface IssuedTsigKey { zone: string; key_name: string; algorithm: typeof TSIG_ALGORITHM; secret: string }

/** Issues (or, for an existing zone, replaces) the TSIG key of `clientId`'s zone. */
export async function issueTsigKey(tx: Executor, clientId: string, keys: SealKeys, rpz: Pick<RpzConfig, 'origin'>): Promise<IssuedTsigKey> {
  const secret = randomBytes(32);
  const label = zoneLabel(clientId);
  await tx.execute(sql`insert into dns_zones (client_id, label, tsig_secret) values (${clientId}, ${label}, ${seal(keys, clientId, secret)})
    on conflict (client_id) do update set tsig_secret = excluded.tsig_secret`);
  const name = zoneName(label, rpz);
  return { zone: name, key_name: name, algorithm: TSIG_ALGORITHM, secret: secret.toString('base64') };
}

export interface ZoneState {
  clientId: string;
  label: string;
  policy: RpzPolicy;
  notify: string[];
  version: number;
  serial: number;
  journalFrom: number;
}

/** A zone as the DNS primary serves it: its state and its key. */
export interface ServedZone extends ZoneState { name: string; key: TsigKey }

interface ZoneRow {
  client_id: string; label: string; tsig_secret: string; policy: string; notify: string[];
  version: string | number; serial: string | number; journal_from: string | number;
}

function stateOf(row: ZoneRow): ZoneState {
  return {
    clientId: row.client_id, label: row.label, policy: row.policy as RpzPolicy, notify: row.notify,
    version: Number(row.version), serial: Number(row.serial), journalFrom: Number(row.journal_from),
  };
}

/** Zones of active intermediary clients only: a revoked client's key and zone stop at once. */
const LIVE = sql`join clients c on c.client_id = z.client_id and c.revoked_at is null
  join orgs o on o.id = c.org_id and o.kind = 'intermediary'`;

/** The zone whose TSIG key is named `keyName` (`<label>.<origin>`), or undefined. */
export async function zoneForKey(db: Executor, keyName: string, rpz: RpzConfig, keys: SealKeys): Promise<ServedZone | undefined> {
  const suffix = `.${rpz.origin}`;
  const name = keyName.toLowerCase().replace(/\.$/, '');
  if (!name.endsWith(suffix)) return undefined;
  const [row] = await rows<ZoneRow>(db, sql`select z.* from dns_zones z ${LIVE} where z.label = ${name.slice(0, -suffix.length)}`);
  return row ? served(row, rpz, keys) : undefined;
}

/** The zone of a client, with its key (to sign the NOTIFYs of its changes). */
export async function servedZone(db: Executor, clientId: string, rpz: RpzConfig, keys: SealKeys): Promise<ServedZone | undefined> {
  const [row] = await rows<ZoneRow>(db, sql`select z.* from dns_zones z ${LIVE} where z.client_id = ${clientId}`);
  return row ? served(row, rpz, keys) : undefined;
}

function served(row: ZoneRow, rpz: RpzConfig, keys: SealKeys): ServedZone | undefined {
  const secret = unseal(keys, row.client_id, row.tsig_secret);
  if (!secret) return undefined;
  const name = zoneName(row.label, rpz);
  return { ...stateOf(row), name, key: { name, secret } };
}

/** The zone's current state, read again (inside a transfer's transaction, say). */
export async function zoneState(db: Executor, clientId: string): Promise<ZoneState | undefined> {
  const [row] = await rows<ZoneRow>(db, sql`select z.* from dns_zones z ${LIVE} where z.client_id = ${clientId}`);
  return row ? stateOf(row) : undefined;
}

/**
 * The zone's entries in pages, for AXFR: one query read through a cursor, so the cost is one scan
 * whatever the size (paging with LIMIT let stale statistics turn each page into a scan of the
 * zone). `db` must be a transaction.
 */
export async function* zoneEntries(tx: Executor, clientId: string, pageSize = 10_000): AsyncGenerator<RpzEntry[]> {
  await tx.execute(sql`declare zone_entries no scroll cursor for
    select type, value from dns_zone_records where client_id = ${clientId} order by type, value`);
  try {
    for (;;) {
      const page = await rows<RpzEntry>(tx, sql`fetch ${sql.raw(String(pageSize))} from zone_entries`);
      if (page.length) yield page;
      if (page.length < pageSize) return;
    }
  } finally {
    await tx.execute(sql`close zone_entries`);
  }
}

/**
 * What changed since the version whose serial is `serial`, condensed to one difference (RFC 1995
 * §5 allows it): what to delete and what to add. Undefined when the journal does not reach back
 * that far (the caller answers the whole zone).
 */
export async function changesSince(db: Executor, zone: ZoneState, serial: number): Promise<{ deleted: RpzEntry[]; added: RpzEntry[] } | undefined> {
  const [start] = await rows<{ version: string | null }>(db, sql`select min(version) as version from dns_zone_journal
    where client_id = ${zone.clientId} and prev_serial = ${serial} and version > ${zone.journalFrom}`);
  if (start?.version == null) return undefined;
  const journal = await rows<{ op: 'add' | 'del'; type: string; value: string }>(db, sql`select op, type, value from dns_zone_journal
    where client_id = ${zone.clientId} and version >= ${Number(start.version)} order by version`);
  // Per entry: held before the first change (its first op is a deletion), held after the last.
  const seen = new Map<string, { entry: RpzEntry; before: boolean; after: boolean }>();
  for (const j of journal) {
    const key = `${j.type}\u0000${j.value}`;
    const known = seen.get(key);
    if (known) known.after = j.op === 'add';
    else seen.set(key, { entry: { type: j.type, value: j.value }, before: j.op === 'del', after: j.op === 'add' });
  }
  const deleted: RpzEntry[] = [], added: RpzEntry[] = [];
  for (const { entry, before, after } of seen.values()) {
    if (before && !after) deleted.push(entry);
    if (!before && after) added.push(entry);
  }
  return { deleted, added };
}

/** The rule for one zone: the client may receive it, it is not disputed, not shared infrastructure. */
function inZone(caller: CallerIdentity, alias: string): SQL {
  return sql`(${receivableBy(caller, currentState(alias))} and not ${sql.raw(alias)}.disputed and cardinality(${sql.raw(alias)}.shared_infrastructure) = 0)`;
}

const ZONE_TYPES = sql`(${sql.join(RPZ_TYPES.map((t) => sql`${t}`), sql`, `)})`;

/** The CNAME target of a policy; a walled garden with no notice host configured falls back to NXDOMAIN. */
export function targetOf(policy: RpzPolicy, rpz: RpzConfig): string {
  return policyTarget(policy === 'walled_garden' && !rpz.noticeHost ? 'nxdomain' : policy, rpz.noticeHost);
}

/** Everything that shapes every record of a zone: when it differs, the zone is sent anew. */
export function shapeOf(policy: RpzPolicy, rpz: RpzConfig): string {
  return JSON.stringify([targetOf(policy, rpz), rpz.ttl, rpz.nameServer, rpz.hostmaster]);
}

interface Change { op: 'add' | 'del'; type: string; value: string }

export interface ZoneOwner { clientId: string; orgId: string; orgKind: OrgKind; country: string }

/** Zones the refresher keeps: active intermediary clients', with their organisation. */
export async function liveZones(db: Executor, reconcileSeconds: number): Promise<Array<ZoneOwner & { position: string; due: boolean; shape: string; policy: RpzPolicy }>> {
  return rows(db, sql`select z.client_id as "clientId", o.id as "orgId", o.kind as "orgKind", o.country, z.position::text as position,
      z.shape, z.policy,
      (z.reconciled_at is null or z.reconciled_at <= now() - make_interval(secs => ${reconcileSeconds})) as due
    from dns_zones z ${LIVE}`);
}

export interface Refreshed { clientId: string; changed: boolean; serial: number }

/**
 * Brings one zone up to `horizon` (a feed horizon, see src/modules/feeds/query.ts): by the values
 * touched since its position, or (`full`) by comparing everything. Null when another node holds
 * the zone right now.
 */
export async function refreshZone(db: Database, owner: ZoneOwner, horizon: string, rpz: RpzConfig, full: boolean): Promise<Refreshed | null> {
  const caller: CallerIdentity = { orgId: owner.orgId, orgKind: owner.orgKind, country: owner.country, groups: [] };
  return withRetry(db, async (tx) => {
    const [zone] = await rows<ZoneRow & { position: string; shape: string }>(tx, sql`
      select *, position::text as position from dns_zones where client_id = ${owner.clientId} for update skip locked`);
    if (!zone) return null;
    const state = stateOf(zone);
    const shape = shapeOf(state.policy, rpz);
    const next = { version: state.version + 1, serial: serialFor(horizon, state.version === 0 ? undefined : state.serial) };
    const finish = (set: SQL) => tx.execute(sql`update dns_zones set position = ${horizon}::xid8, ${set} where client_id = ${owner.clientId}`);

    if (zone.shape !== shape) {
      // Every record changes (another policy, TTL or apex): the zone anew, with no journal behind it.
      await tx.execute(sql`delete from dns_zone_records where client_id = ${owner.clientId}`);
      await tx.execute(sql`insert into dns_zone_records (client_id, type, value)
        select distinct ${owner.clientId}, i.type, i.value from indicators i where i.type in ${ZONE_TYPES} and ${inZone(caller, 'i')}`);
      await tx.execute(sql`delete from dns_zone_journal where client_id = ${owner.clientId}`);
      await finish(sql`version = ${next.version}, serial = ${next.serial}, journal_from = ${next.version}, shape = ${shape}, reconciled_at = now()`);
      return { clientId: owner.clientId, changed: true, serial: next.serial };
    }

    const changes = full
      ? await rows<Change>(tx, sql`
          with wanted as (select distinct i.type, i.value from indicators i where i.type in ${ZONE_TYPES} and ${inZone(caller, 'i')}),
          held as (select type, value from dns_zone_records where client_id = ${owner.clientId})
          select 'add' as op, * from (select * from wanted except select * from held) a
          union all
          select 'del' as op, * from (select * from held except select * from wanted) d`)
      // The indicators of the touched values are fetched by value alone (materialised), and the rule
      // judged on those rows: the planner cannot trade the observable index for a scan of every
      // active indicator (as it did with statistics older than a bulk load).
      : await rows<Change>(tx, sql`
          with touched as materialized (
            select distinct i.type, i.value from indicator_changes c join indicators i on i.id = c.indicator_id
            where c.xid >= ${zone.position}::xid8 and c.xid < ${horizon}::xid8 and i.type in ${ZONE_TYPES}
              and (c.only_orgs is null or ${owner.orgId}::uuid = any(c.only_orgs))
          ), candidates as materialized (
            select j.* from touched t join indicators j on j.type = t.type and j.value = t.value
          ), wanted as (
            select distinct x.type, x.value from candidates x where ${inZone(caller, 'x')}
          ), held as (
            select r.type, r.value from touched t join dns_zone_records r
              on r.client_id = ${owner.clientId} and r.type = t.type and r.value = t.value
          )
          select 'add' as op, * from (select * from wanted except select * from held) a
          union all
          select 'del' as op, * from (select * from held except select * from wanted) d`);
    const reconciled = full ? sql`, reconciled_at = now()` : sql``;
    if (!changes.length) {
      await finish(sql`shape = shape${reconciled}`);
      return { clientId: owner.clientId, changed: false, serial: state.serial };
    }

    const of = (op: Change['op']) => changes.filter((c) => c.op === op);
    const arrays = (list: Change[]) => sql`${pgArray(list.map((c) => c.type))}::text[], ${pgArray(list.map((c) => c.value))}::text[]`;
    const added = of('add'), deleted = of('del');
    if (deleted.length) {
      await tx.execute(sql`delete from dns_zone_records r using unnest(${arrays(deleted)}) as x(type, value)
        where r.client_id = ${owner.clientId} and r.type = x.type and r.value = x.value`);
    }
    if (added.length) {
      await tx.execute(sql`insert into dns_zone_records (client_id, type, value)
        select ${owner.clientId}, x.type, x.value from unnest(${arrays(added)}) as x(type, value) on conflict do nothing`);
    }
    let journalFrom = sql``;
    if (changes.length > JOURNAL_LIMIT) {
      journalFrom = sql`, journal_from = ${next.version}`;
    } else {
      await tx.execute(sql`insert into dns_zone_journal (client_id, version, serial, prev_serial, op, type, value)
        select ${owner.clientId}, ${next.version}, ${next.serial}, ${state.serial}, x.op, x.type, x.value
        from unnest(${pgArray(changes.map((c) => c.op))}::text[], ${arrays(changes)}) as x(op, type, value)`);
    }
    await finish(sql`version = ${next.version}, serial = ${next.serial}${journalFrom}${reconciled}`);
    return { clientId: owner.clientId, changed: true, serial: next.serial };
  });
}

/** Drops journal entries older than a day; IXFR from before them answers the whole zone. */
export async function pruneJournal(db: Database): Promise<void> {
  await db.execute(sql`
    with old as (
      select client_id, max(version) as version from dns_zone_journal
      where created_at < now() - make_interval(hours => ${JOURNAL_HOURS}) group by client_id
    ), moved as (
      update dns_zones z set journal_from = greatest(z.journal_from, old.version) from old where z.client_id = old.client_id returning z.client_id
    )
    delete from dns_zone_journal j using old where j.client_id = old.client_id and j.version <= old.version`);
}
