/** Indicator write and read shapes (contract §3). */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_JSON_DEPTH } from '../src/domain/json.js';
import { INDICATOR_TYPES, PAP_LEVELS, SECTORS, TLP_LEVELS } from '../src/domain/types.js';
import { CountryCode, Nullable, StringEnum, Timestamp, Uuid } from './common.js';

export const IndicatorType = StringEnum(INDICATOR_TYPES, { $id: 'IndicatorType' });
export const TlpLevel = StringEnum(TLP_LEVELS, { $id: 'Tlp', description: 'FIRST TLP 2.0' });
export const PapLevel = StringEnum(PAP_LEVELS, { $id: 'Pap', description: 'Permissible Actions Protocol' });

/**
 * What one submission may weigh. Each field has its own bound (below, in the schemas); on top,
 * an indicator with its batch's defaults applied may weigh at most MAX_INDICATOR_WEIGHT, and a
 * batch with the defaults applied to every item that uses them at most MAX_BATCH_WEIGHT (413
 * otherwise, before anything is stored). Weight is about the size of the JSON, without spaces.
 */
export const MAX_BATCH_ITEMS = 10_000;
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const MAX_INDICATOR_WEIGHT = 64 * 1024;
export const MAX_BATCH_WEIGHT = 64 * 1024 * 1024;

const SectorValue = StringEnum(SECTORS);
const Platform = Type.String({ minLength: 1, maxLength: 64, description: 'Chain, provider, store or social network; required exactly for the types that have one' });
const Tag = Type.String({ minLength: 1, maxLength: 100 });

export const Grading = Type.Object({
  source: StringEnum(['1', '2', '3']),
  assessment: StringEnum(['A', 'B', 'C', 'D', 'E']),
  handling: StringEnum(['P', 'C']),
  conditions: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
}, { $id: 'Grading', additionalProperties: false, description: '3x5x2 grading; conditions (at most 2,000 characters) required when handling is C' });

export const Audience = Type.Object({
  kinds: Type.Optional(Type.Array(StringEnum(['partner', 'agency', 'intermediary']), { uniqueItems: true, maxItems: 3 })),
  countries: Type.Optional(Type.Array(CountryCode, { uniqueItems: true, maxItems: 250 })),
  orgs: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 1000 })),
  groups: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 100, description: 'Sharing groups the submitting organisation is a member of (the secretariat may name any)' })),
}, { $id: 'Audience', additionalProperties: false, description: 'Long lists of organisations count towards the weight of every indicator they are given to: a sharing group is lighter' });

export const Exclusion = Type.Object({
  orgs: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 1000 })),
  countries: Type.Optional(Type.Array(CountryCode, { uniqueItems: true, maxItems: 250 })),
}, { $id: 'Exclusion', additionalProperties: false });

export const Reference = Type.Object({
  kind: StringEnum(['court_order', 'case', 'notice', 'url']),
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  url: Type.Optional(Type.String({ format: 'uri', maxLength: 2048 })),
}, { $id: 'Reference', additionalProperties: false });

export const Evidence = Type.Object({
  sha256: Type.String({ pattern: '^[a-fA-F0-9]{64}$' }),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  captured_at: Type.Optional(Timestamp),
}, { $id: 'Evidence', additionalProperties: false });

export const RELATION_TYPES = ['resolves_to', 'hosted_on', 'redirects_to', 'mirror_of', 'uses_payment', 'operated_by', 'advertised_on', 'related_to'] as const;
export const Relation = Type.Object({
  type: StringEnum(RELATION_TYPES),
  target: Type.Object({
    type: Type.Ref(IndicatorType),
    value: Type.String({ minLength: 1, maxLength: 2048 }),
    platform: Type.Optional(Platform),
  }, { additionalProperties: false }),
}, { $id: 'Relation', additionalProperties: false });

/** Fields an indicator carries besides its observable; all optional on input. */
const handlingAndDescription = {
  tlp: Type.Optional(Type.Ref(TlpLevel)),
  pap: Type.Optional(Type.Ref(PapLevel)),
  grading: Type.Optional(Type.Ref(Grading)),
  confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  audience: Type.Optional(Type.Ref(Audience)),
  exclude: Type.Optional(Type.Ref(Exclusion)),
  attribution: Type.Optional(StringEnum(['named', 'anonymous'])),
  valid_from: Type.Optional(Timestamp),
  valid_until: Type.Optional(Timestamp),
  sector: Type.Optional(SectorValue),
  categories: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9_]{1,64}$' }), { uniqueItems: true, maxItems: 20 })),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  tags: Type.Optional(Type.Array(Tag, { uniqueItems: true, maxItems: 50 })),
  first_seen: Type.Optional(Timestamp),
  last_seen: Type.Optional(Timestamp),
  references: Type.Optional(Type.Array(Type.Ref(Reference), { maxItems: 20 })),
  evidence: Type.Optional(Type.Array(Type.Ref(Evidence), { maxItems: 20 })),
  relations: Type.Optional(Type.Array(Type.Ref(Relation), { maxItems: 50 })),
};

const weightRule = `An indicator may weigh at most ${MAX_INDICATOR_WEIGHT / 1024} KiB (about the size of its JSON without spaces), the batch's defaults included; a heavier item is rejected on its own.`;

export const IndicatorInput = Type.Object({
  type: Type.Ref(IndicatorType),
  value: Type.String({ minLength: 1, maxLength: 2048 }),
  platform: Type.Optional(Platform),
  ...handlingAndDescription,
}, { $id: 'IndicatorInput', additionalProperties: false, description: `${weightRule} Text may not contain NUL characters or unpaired surrogates.` });
export type IndicatorInput = Static<typeof IndicatorInput>;

export const IndicatorDefaults = Type.Object({
  type: Type.Optional(Type.Ref(IndicatorType)),
  platform: Type.Optional(Platform),
  ...handlingAndDescription,
}, {
  $id: 'IndicatorDefaults', additionalProperties: false,
  description: `Fields applied to every item that does not set them. Checked once: invalid defaults make the whole batch a 400. They count towards the weight of every item that uses them. ${weightRule}`,
});

export const IndicatorBatch = Type.Object({
  defaults: Type.Optional(Type.Ref(IndicatorDefaults)),
  items: Type.Array(Type.Ref(IndicatorInput), { minItems: 1, maxItems: MAX_BATCH_ITEMS }),
}, {
  $id: 'IndicatorBatch', additionalProperties: false,
  examples: [{
    defaults: { tlp: 'AMBER', pap: 'GREEN', sector: 'live_sports', categories: ['iptv_service'] },
    items: [
      { type: 'domain', value: 'superstreamz.tv', relations: [{ type: 'resolves_to', target: { type: 'ipv4', value: '185.234.72.19' } }] },
      { type: 'ipv4', value: '185.234.72.19', confidence: 80 },
      { type: 'crypto_address', platform: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
      { type: 'tracking_id', platform: 'google_analytics', value: 'G-7XK2M9QZ4P', tlp: 'RED', audience: { orgs: ['01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a'] } },
    ],
  }],
  description: `At most ${MAX_BATCH_ITEMS.toLocaleString('en')} items and ${MAX_BATCH_BYTES / 2 ** 20} MiB; JSON nested at most ${MAX_JSON_DEPTH} levels deep. ` +
    `With its defaults applied to every item that uses them, a batch may weigh at most ${MAX_BATCH_WEIGHT / 2 ** 20} MiB (413 otherwise; nothing is stored).`,
});

/** What the route validates up front; items are validated one by one so each gets its own result. */
export const IndicatorBatchEnvelope = Type.Object({
  defaults: Type.Optional(Type.Object({}, { additionalProperties: true })),
  items: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: MAX_BATCH_ITEMS }),
}, { additionalProperties: false });

export const ItemResult = Type.Object({
  index: Type.Integer(),
  status: StringEnum(['created', 'updated', 'unchanged', 'rejected', 'skipped', 'unsupported'], {
    description: 'skipped and unsupported: objects of a STIX bundle that are not indicators we store (the reason in warnings or errors)',
  }),
  stix_id: Type.Optional(Type.String({ description: 'STIX bundles: the id of the object at this index' })),
  id: Type.Optional(Uuid),
  value: Type.Optional(Type.String()),
  warnings: Type.Optional(Type.Array(Type.String())),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
}, { $id: 'ItemResult' });

export const BatchResult = Type.Object({
  results: Type.Array(Type.Ref(ItemResult)),
  summary: Type.Object({
    created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), rejected: Type.Integer(),
    skipped: Type.Optional(Type.Integer()), unsupported: Type.Optional(Type.Integer()),
  }),
}, { $id: 'BatchResult' });

export const IndicatorPatch = Type.Object(handlingAndDescription, {
  $id: 'IndicatorPatch', additionalProperties: false, minProperties: 1,
  examples: [{ tlp: 'RED', audience: { orgs: ['01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a'] } }, { description: 'Mirror of the main site since 2026-11-30', confidence: 90 }],
});

export const SourceRef = Type.Object({ org_id: Uuid, name: Type.String() });

/** An indicator as a caller may see it (contract §4). Its source also sees its handling fields. */
export const Indicator = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  status: StringEnum(['active', 'withdrawn', 'expired']),
  type: Type.Ref(IndicatorType),
  value: Type.String(),
  platform: Nullable(Type.String()),
  tlp: Type.Ref(TlpLevel),
  pap: Type.Ref(PapLevel),
  grading: Nullable(Type.Ref(Grading)),
  confidence: Type.Integer(),
  sector: Nullable(Type.String()),
  categories: Type.Array(Type.String()),
  tags: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  first_seen: Nullable(Timestamp),
  last_seen: Nullable(Timestamp),
  valid_from: Timestamp,
  valid_until: Timestamp,
  shared_infrastructure: Type.Array(Type.String()),
  relations: Type.Array(Type.Ref(Relation)),
  references: Type.Array(Type.Ref(Reference)),
  evidence: Type.Array(Type.Ref(Evidence)),
  source: Nullable(SourceRef),
  disputed: Type.Boolean(),
  updated_at: Timestamp,
  audience: Type.Optional(Nullable(Type.Ref(Audience))),
  exclude: Type.Optional(Nullable(Type.Ref(Exclusion))),
  attribution: Type.Optional(StringEnum(['named', 'anonymous'])),
  created_at: Type.Optional(Timestamp),
  withdrawn_reason: Type.Optional(Nullable(Type.String())),
  corroboration: Type.Optional(Type.Object({
    sources: Type.Integer({ description: 'sources that reported this observable, in reports the caller may receive (this one included)' }),
  }, { description: 'In single reads, lists, lookups and graph nodes; not in feed items' })),
  outcomes: Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: 'Outcomes reported on it, counted by action: shown to its source and the secretariat in reads' })),
  delivered: Type.Optional(Type.Object({
    orgs: Type.Integer({ description: 'Organisations, other than the source and the secretariat, that received any version of it' }),
    countries: Type.Integer({ description: 'The countries of those organisations' }),
  }, { description: 'Counted from the chained audit log: it trails deliveries by up to a sweep interval' })),
}, { $id: 'Indicator', description: 'audience, exclude, attribution, created_at, withdrawn_reason and delivered (in reads, lists and lookups) are shown to the source and the secretariat only. Past retention its value reads purged:<id> and its content is empty' });

export const IndicatorList = Type.Object({
  items: Type.Array(Type.Ref(Indicator)),
  next_cursor: Nullable(Type.String()),
}, { $id: 'IndicatorList' });

export const WarninglistHit = Type.Object({
  list: Type.String(), action: StringEnum(['reject', 'flag']), entry: Type.String(),
}, { $id: 'WarninglistHit' });

export const LookupResult = Type.Object({
  type: Type.Ref(IndicatorType),
  value: Type.String(),
  platform: Nullable(Type.String()),
  indicators: Type.Array(Type.Ref(Indicator)),
  warninglists: Type.Array(Type.Ref(WarninglistHit)),
}, { $id: 'LookupResult' });

export const WithdrawBody = Type.Object({
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
}, { $id: 'WithdrawBody', additionalProperties: false, examples: [{ reason: 'Site taken down and the domain is parked' }] });

export const WarninglistEntriesBody = Type.Object({
  entries: Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { minItems: 1, maxItems: 10_000 }),
  action: Type.Optional(StringEnum(['reject', 'flag'])),
  description: Type.Optional(Type.String({ maxLength: 500 })),
}, { $id: 'WarninglistEntriesBody', additionalProperties: false, examples: [{ entries: ['cdn.example-video.net', '203.0.113.0/24'], action: 'flag', description: 'Shared video CDN' }] });

export const indicatorSchemas = [
  IndicatorType, TlpLevel, PapLevel, Grading, Audience, Exclusion, Reference, Evidence, Relation,
  IndicatorInput, IndicatorDefaults, IndicatorBatch, ItemResult, BatchResult, IndicatorPatch, Indicator,
  IndicatorList, WarninglistHit, LookupResult, WithdrawBody, WarninglistEntriesBody,
];
