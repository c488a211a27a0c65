/**
 * The data model, in one file (drizzle-kit reads it to generate `migrations/`).
 *
 * Reading guide:
 * - orgs / clients / signing_keys / settings: identity and access (contract §2).
 * - indicators: one organisation's report about one observable, with its handling codes.
 *   `audience_tokens` / `exclude_tokens` are the sharing rule pre-computed as tokens, so that
 *   "who may receive this" is one indexed array-overlap test (see src/domain/visibility.ts).
 * - indicator_changes: the change log behind every feed. Rows are ordered by the writing
 *   transaction's id, and served only once that transaction is older than every running one
 *   (see src/domain/cursor.ts for why this gives gap-free cursors).
 * - audit_log / audit_chain: the append-only, hash-chained record of every write, token and
 *   delivery (contract §7, src/modules/audit/).
 */
import { sql } from 'drizzle-orm';
import {
  bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, smallint, text,
  timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

/** PostgreSQL's 64-bit transaction id (pg_current_xact_id()); handled as a decimal string in JS. */
const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => 'xid8',
});

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();

export const orgs = pgTable('orgs', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  kind: text('kind').notNull(),
  country: text('country').notNull(),
  sectors: text('sectors').array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('orgs_name_key').on(sql`lower(${t.name})`)]);

export const clients = pgTable('clients', {
  clientId: text('client_id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  name: text('name').notNull(),
  /** scrypt$N$r$p$salt$hash — never the secret itself. */
  secretHash: text('secret_hash').notNull(),
  scopes: text('scopes').array().notNull(),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
}, (t) => [index('clients_org_idx').on(t.orgId)]);

/** Token signing keys generated at first start when none are configured. */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  privateKeyPem: text('private_key_pem').notNull(),
  createdAt: createdAt(),
  /** Retired keys still verify tokens until they expire, but never sign. */
  retiredAt: timestamp('retired_at', { withTimezone: true, mode: 'string' }),
});

/** Small server-wide values (e.g. the key that signs feed cursors). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const sharingGroups = pgTable('sharing_groups', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const sharingGroupMembers = pgTable('sharing_group_members', {
  groupId: uuid('group_id').notNull().references(() => sharingGroups.id, { onDelete: 'cascade' }),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
}, (t) => [primaryKey({ columns: [t.groupId, t.orgId] }), index('sharing_group_members_org_idx').on(t.orgId)]);

export const indicators = pgTable('indicators', {
  id: uuid('id').primaryKey(),
  sourceOrgId: uuid('source_org_id').notNull().references(() => orgs.id),
  type: text('type').notNull(),
  /** '' for types without a platform, so the natural key can be a plain unique index. */
  platform: text('platform').notNull().default(''),
  value: text('value').notNull(),
  version: integer('version').notNull().default(1),
  /** active | withdrawn | expired */
  status: text('status').notNull().default('active'),
  tlp: text('tlp').notNull(),
  pap: text('pap').notNull(),
  grading: jsonb('grading'),
  confidence: smallint('confidence').notNull(),
  audience: jsonb('audience'),
  exclude: jsonb('exclude'),
  attribution: text('attribution').notNull(),
  audienceTokens: text('audience_tokens').array().notNull(),
  excludeTokens: text('exclude_tokens').array().notNull(),
  validFrom: timestamp('valid_from', { withTimezone: true, mode: 'string' }).notNull(),
  validUntil: timestamp('valid_until', { withTimezone: true, mode: 'string' }).notNull(),
  /** True while valid_from is in the future; the sweeper clears it and logs the change. */
  pending: boolean('pending').notNull().default(false),
  sector: text('sector'),
  categories: text('categories').array().notNull().default(sql`'{}'::text[]`),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  description: text('description'),
  firstSeen: timestamp('first_seen', { withTimezone: true, mode: 'string' }),
  lastSeen: timestamp('last_seen', { withTimezone: true, mode: 'string' }),
  references: jsonb('references').notNull().default(sql`'[]'::jsonb`),
  evidence: jsonb('evidence').notNull().default(sql`'[]'::jsonb`),
  relations: jsonb('relations').notNull().default(sql`'[]'::jsonb`),
  sharedInfrastructure: text('shared_infrastructure').array().notNull().default(sql`'{}'::text[]`),
  disputed: boolean('disputed').notNull().default(false),
  /** sha256 of the stored content: a resubmission with the same hash changes nothing. */
  contentHash: text('content_hash').notNull(),
  withdrawnReason: text('withdrawn_reason'),
  /**
   * Retention (src/modules/audit/retention.ts): when set, the content (value, description, evidence,
   * relations, references, withdrawal reason) is gone; `value` holds `purged:<id>` and `value_hash`
   * the SHA-256 of `type`, `platform` and the value as it was (hex, fields joined by U+001F).
   */
  purgedAt: timestamp('purged_at', { withTimezone: true, mode: 'string' }),
  valueHash: text('value_hash'),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  /**
   * The indicator as every recipient that is not its source sees it in a feed, stored as text at
   * write time by a trigger (migrations/0011_feed_json_trigger.sql) on every insert and update, in two
   * parts around what is spliced in at read time (src/modules/indicators/view.ts, `feedItemJson`):
   * `feed_mid` from `"type"` to `"evidence"`, `feed_tail` from `"disputed"` to the closing brace.
   * The id, version and status (it depends on now()) go before, the source (its organisation's
   * name may change) in between.
   */
  feedMid: text('feed_mid'),
  feedTail: text('feed_tail'),
}, (t) => [
  uniqueIndex('indicators_natural_key').on(t.sourceOrgId, t.type, t.platform, t.value),
  index('indicators_observable_idx').on(t.type, t.value),
  index('indicators_audience_tokens_idx').using('gin', t.audienceTokens),
  index('indicators_source_id_idx').on(t.sourceOrgId, t.id),
  index('indicators_valid_until_active_idx').on(t.validUntil).where(sql`status = 'active'`),
  index('indicators_pending_idx').on(t.validFrom).where(sql`pending`),
  // Purge candidates: no longer active and not purged, by the moment their retention started.
  index('indicators_retention_idx').on(sql`(case when ${t.status} = 'withdrawn' then least(${t.updatedAt}, ${t.validUntil}) else ${t.validUntil} end)`)
    .where(sql`${t.purgedAt} is null and ${t.status} <> 'active'`),
]);

/**
 * The change log. One row per change of one indicator; the `prev_*` columns keep who could
 * receive the indicator before the change, so former recipients get a tombstone.
 */
export const indicatorChanges = pgTable('indicator_changes', {
  pos: bigserial('pos', { mode: 'number' }).primaryKey(),
  xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  version: integer('version').notNull(),
  /** created | updated | withdrawn | expired | activated */
  kind: text('kind').notNull(),
  /** Receivability of the previous state; null for a newly created indicator. */
  prevAudienceTokens: text('prev_audience_tokens').array(),
  prevExcludeTokens: text('prev_exclude_tokens').array(),
  prevPap: text('prev_pap'),
  /** Whether the previous state was deliverable at all (active, valid_from passed). */
  prevDeliverable: boolean('prev_deliverable').notNull().default(false),
  /** The previous state's filterable values, so a filtered feed tombstones what it delivered. */
  prevTlp: text('prev_tlp'),
  prevSector: text('prev_sector'),
  prevConfidence: smallint('prev_confidence'),
  prevShared: boolean('prev_shared'),
  /** When set, the row concerns only these organisations (a group membership change). */
  onlyOrgs: uuid('only_orgs').array(),
  changedAt: createdAt(),
}, (t) => [
  index('indicator_changes_xid_pos_idx').on(t.xid, t.pos),
  index('indicator_changes_indicator_idx').on(t.indicatorId),
]);

/**
 * Changes of anonymous indicators wait here and are published to the change log in a
 * transaction of their own (see src/modules/indicators/anonymity.ts): in the log they never
 * share a transaction, hence a run of feed positions, with their source's named indicators.
 */
export const pendingChanges = pgTable('pending_changes', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  version: integer('version').notNull(),
  kind: text('kind').notNull(),
  prevAudienceTokens: text('prev_audience_tokens').array(),
  prevExcludeTokens: text('prev_exclude_tokens').array(),
  prevPap: text('prev_pap'),
  prevDeliverable: boolean('prev_deliverable').notNull().default(false),
  prevTlp: text('prev_tlp'),
  prevSector: text('prev_sector'),
  prevConfidence: smallint('prev_confidence'),
  prevShared: boolean('prev_shared'),
  changedAt: createdAt(),
});

/**
 * Idempotency keys are claimed (inserted) at the start of the transaction that processes the
 * request, so a concurrent request with the same key waits on the primary key and then replays
 * the stored response; status and response are filled in before that transaction commits.
 */
export const idempotencyKeys = pgTable('idempotency_keys', {
  clientId: text('client_id').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: smallint('status_code'),
  response: jsonb('response'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.clientId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)]);

/** Entries admins add to warninglists at run time (the shipped lists live in data/warninglists). */
export const warninglistEntries = pgTable('warninglist_entries', {
  list: text('list').notNull(),
  action: text('action').notNull(),
  entry: text('entry').notNull(),
  description: text('description'),
  addedBy: text('added_by').notNull(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.list, t.entry] })]);

export const savedFeeds = pgTable('saved_feeds', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  name: text('name').notNull(),
  filters: jsonb('filters').notNull(),
  createdAt: createdAt(),
}, (t) => [index('saved_feeds_org_idx').on(t.orgId)]);

/**
 * The resolver zones (contract §4, "Resolver zones"; src/modules/dns/): one Response Policy Zone
 * per intermediary client, with its TSIG key. The zone's records are materialised here, so that
 * every serial names exactly one content (AXFR) and every change is journaled (IXFR).
 */
export const dnsZones = pgTable('dns_zones', {
  clientId: text('client_id').primaryKey().references(() => clients.clientId),
  /** The zone is `<label>.<RPZ_ORIGIN>`; its TSIG key has the same name. */
  label: text('label').notNull(),
  /**
   * The TSIG secret. HMAC needs the secret itself to verify, so no hash will do: it is sealed
   * with AES-256-GCM under a key that is not in this table (TSIG_SEAL_KEY, see src/modules/dns/seal.ts).
   */
  tsigSecret: text('tsig_secret').notNull(),
  /** nxdomain | nodata | walled_garden */
  policy: text('policy').notNull().default('nxdomain'),
  /** Secondaries told of each change (NOTIFY): `address` or `address:port`, `[v6]:port`. */
  notify: text('notify').array().notNull().default(sql`'{}'::text[]`),
  /** Bumped by each change of the zone; `serial` is that version's SOA serial (32-bit). */
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  serial: bigint('serial', { mode: 'number' }).notNull().default(0),
  /** The journal holds every version after this one: IXFR from an older serial answers the whole zone. */
  journalFrom: bigint('journal_from', { mode: 'number' }).notNull().default(0),
  /** Every change of the log below this feed horizon (a transaction id) is in the zone. */
  position: xid8('position').notNull().default(sql`'0'::xid8`),
  /** What shapes every record (policy, its target, TTL, apex names): when it differs, the zone is sent anew. */
  shape: text('shape').notNull().default(''),
  /** Last full comparison with what the client may receive. */
  reconciledAt: timestamp('reconciled_at', { withTimezone: true, mode: 'string' }),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('dns_zones_label_key').on(t.label)]);

/** A zone's entries (its triggers are derived from them): what the zone holds at its current version. */
export const dnsZoneRecords = pgTable('dns_zone_records', {
  clientId: text('client_id').notNull().references(() => dnsZones.clientId, { onDelete: 'cascade' }),
  type: text('type').notNull(),
  value: text('value').notNull(),
}, (t) => [primaryKey({ columns: [t.clientId, t.type, t.value] })]);

/** Each version's additions and deletions, for IXFR; pruned by age. */
export const dnsZoneJournal = pgTable('dns_zone_journal', {
  clientId: text('client_id').notNull().references(() => dnsZones.clientId, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull(),
  /** The serial of this version and of the one before it (what a secondary holding it asks from). */
  serial: bigint('serial', { mode: 'number' }).notNull(),
  prevSerial: bigint('prev_serial', { mode: 'number' }).notNull(),
  /** add | del */
  op: text('op').notNull(),
  type: text('type').notNull(),
  value: text('value').notNull(),
  createdAt: createdAt(),
}, (t) => [index('dns_zone_journal_version_idx').on(t.clientId, t.version)]);

/**
 * The SOA serial of each RPZ file a client downloads (`/v1/blocklist?format=rpz`), per variant
 * (types, include_shared): it moves to the feed horizon whenever the file's entries differ from
 * the last ones served, so it rises with every change of that client's blocklist and only then.
 */
export const rpzFileSerials = pgTable('rpz_file_serials', {
  clientId: text('client_id').notNull(),
  variant: text('variant').notNull(),
  contentHash: text('content_hash').notNull(),
  serial: bigint('serial', { mode: 'number' }).notNull(),
}, (t) => [primaryKey({ columns: [t.clientId, t.variant] })]);

/**
 * Outcomes (contract §5): what an agency or intermediary did about an indicator, fed back to its
 * source. Rows are read by the source's outcomes feed in (xid, pos) order below the feed horizon,
 * like the change log (src/domain/cursor.ts); `source_org_id` is the indicator's source, kept here
 * so that feed is one index range.
 */
export const outcomes = pgTable('outcomes', {
  id: uuid('id').primaryKey(),
  pos: bigserial('pos', { mode: 'number' }).notNull(),
  xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  indicatorId: uuid('indicator_id').notNull().references(() => indicators.id),
  sourceOrgId: uuid('source_org_id').notNull().references(() => orgs.id),
  reporterOrgId: uuid('reporter_org_id').notNull().references(() => orgs.id),
  reporterClientId: text('reporter_client_id').notNull(),
  /** investigating | takedown_requested | taken_down | … | false_positive | confirmed (src/domain/outcomes.ts) */
  action: text('action').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'string' }).notNull(),
  note: text('note'),
  caseRef: text('case_ref'),
  shareWithAgencies: boolean('share_with_agencies').notNull().default(false),
  createdAt: createdAt(),
}, (t) => [
  index('outcomes_indicator_idx').on(t.indicatorId, t.id),
  index('outcomes_source_feed_idx').on(t.sourceOrgId, t.xid, t.pos),
  index('outcomes_reporter_idx').on(t.reporterOrgId),
]);

/**
 * The link graph's stored edges (src/modules/analysis/): the observables an indicator points at
 * besides its own — its submitted relations' targets and what is derived from its value (a URL's
 * and an e-mail's domain, a domain's registrable domain) — and, for addresses and networks, its
 * own value, so that containment is one GiST lookup here. Two indicators are linked when they share
 * an observable (its own or one of these) or their addresses overlap. Derived data: rewritten with
 * the indicator at ingest, never read without the sharing rule on the indicator that carries it.
 * No foreign key: it would cost a lookup per row at ingest for data nothing else writes.
 */
export const indicatorLinks = pgTable('indicator_links', {
  indicatorId: uuid('indicator_id').notNull(),
  type: text('type').notNull(),
  platform: text('platform').notNull().default(''),
  value: text('value').notNull(),
  /** A relation type (hosted_on …), or domain | registrable_domain | self (src/domain/links.ts). */
  via: text('via').notNull(),
}, (t) => [
  index('indicator_links_indicator_idx').on(t.indicatorId),
  index('indicator_links_observable_idx').on(t.type, t.value),
]);

/** Where each consumer's last feed page ended (for its lag behind the feed head in /v1/stats). */
export const feedPositions = pgTable('feed_positions', {
  clientId: text('client_id').notNull(),
  /** `feed` (/v1/feed) or a saved feed's id. */
  feed: text('feed').notNull(),
  xid: xid8('xid').notNull(),
  pos: bigint('pos', { mode: 'number' }).notNull(),
  pulledAt: timestamp('pulled_at', { withTimezone: true, mode: 'string' }).notNull(),
}, (t) => [primaryKey({ columns: [t.clientId, t.feed] })]);

/**
 * TAXII 2.1 `date_added` (src/modules/taxii/epochs.ts): each row says every change of the log
 * below `horizon` (a feed horizon, see src/domain/cursor.ts) was added by `stamped_at`. Both
 * columns only ever grow, so a change's date_added — the stamp of the first epoch above its
 * transaction — never moves and follows the gap-free (xid, pos) order of the log.
 */
export const taxiiEpochs = pgTable('taxii_epochs', {
  horizon: xid8('horizon').primaryKey(),
  stampedAt: timestamp('stamped_at', { withTimezone: true, mode: 'string' }).notNull(),
}, (t) => [index('taxii_epochs_stamped_at_idx').on(t.stampedAt)]);

/** TAXII status resources of writes (objects added to a collection), kept for their organisation for a while. */
export const taxiiStatuses = pgTable('taxii_statuses', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => orgs.id),
  /** The status resource as served. */
  resource: jsonb('resource').notNull(),
  createdAt: createdAt(),
}, (t) => [index('taxii_statuses_created_idx').on(t.createdAt)]);

/**
 * The audit log (contract §7; src/modules/audit/log.ts writes it). Writers insert entries in their
 * own transactions, unhashed; the chainer numbers and hashes them later, in (xid, id) order below
 * the feed horizon, into `audit_chain`. Triggers refuse UPDATE, DELETE and TRUNCATE of both tables
 * (custom migration `audit_append_only`). An entry never holds an indicator's value: purging an
 * indicator's content leaves its audit trail whole and tells nothing more.
 */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  xid: xid8('xid').notNull().default(sql`pg_current_xact_id()`),
  at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().default(sql`statement_timestamp()`),
  /** A client id, or `system:<what>` (sweeper, cli, bootstrap). */
  actor: text('actor').notNull(),
  actorOrg: uuid('actor_org'),
  /** e.g. `indicator.created`, `token.issued`, `delivery` (AUDIT_ACTIONS in src/modules/audit/log.ts). */
  action: text('action').notNull(),
  /** How a delivery left: `read`, `list`, `lookup`, `feed:json`, `saved-feed:csv`, `blocklist:rpz`, `dns:axfr` … */
  path: text('path'),
  /** What the entry is about besides indicators: an organisation, client, group, saved feed or list. */
  subject: text('subject'),
  subjectOrg: uuid('subject_org'),
  /** The indicators concerned and, index by index, their versions (at most 10,000 per entry). */
  indicatorIds: uuid('indicator_ids').array(),
  versions: integer('versions').array(),
  detail: jsonb('detail'),
}, (t) => [
  index('audit_log_xid_id_idx').on(t.xid, t.id),
  index('audit_log_actor_idx').on(t.actor, t.id),
  index('audit_log_actor_org_idx').on(t.actorOrg, t.id),
  index('audit_log_subject_org_idx').on(t.subjectOrg, t.id),
  index('audit_log_action_idx').on(t.action, t.id),
  index('audit_log_at_idx').on(t.at),
  // A long pending list: deliveries append to it, autovacuum merges it (not the request that fills it).
  index('audit_log_indicators_idx').using('gin', t.indicatorIds).with({ gin_pending_list_limit: 16384 }),
]);

/**
 * The chain: entry number `entry` (1, 2, … without gaps) is audit_log row `log_id`, whose content
 * hashes to `entry_hash`; `hash` = SHA-256 of "<hash of entry − 1>:<entry>:<entry_hash>".
 * Rewriting, inserting or deleting any entry breaks every hash after it; the head is published.
 */
export const auditChain = pgTable('audit_chain', {
  entry: bigint('entry', { mode: 'number' }).primaryKey(),
  logId: bigint('log_id', { mode: 'number' }).notNull(),
  logXid: xid8('log_xid').notNull(),
  entryHash: text('entry_hash').notNull(),
  hash: text('hash').notNull(),
  chainedAt: timestamp('chained_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
}, (t) => [uniqueIndex('audit_chain_log_id_key').on(t.logId)]);

/**
 * Which organisations received which indicator (any version), derived from chained delivery
 * entries by the chainer: what `delivered: { orgs, countries }` counts. Not evidence (the log is).
 */
export const indicatorRecipients = pgTable('indicator_recipients', {
  indicatorId: uuid('indicator_id').notNull(),
  orgId: uuid('org_id').notNull(),
}, (t) => [primaryKey({ columns: [t.indicatorId, t.orgId] })]);

export type OrgRow = typeof orgs.$inferSelect;
export type ClientRow = typeof clients.$inferSelect;
export type IndicatorRow = typeof indicators.$inferSelect;
