/**
 * STIX 2.1 mapping of feed entries (contract §4, `format=stix` and TAXII): pure, no I/O.
 *
 * - One I-SOP indicator is one STIX Indicator whose id is derived from ours (a UUIDv5 of our id
 *   under a fixed namespace: STIX identifiers must be UUID versions 1–5, ours are v7), so every
 *   version of it (and its tombstone) shares one STIX id and differs by `modified`: STIX
 *   versioning. Organisations' Identity objects get their ids the same way.
 * - The output depends only on the entries (apart from the random bundle id), so the same
 *   entry always gives the same objects: consumers and TAXII can de-duplicate on (id, modified).
 * - Observables STIX 2.1 has no SCO for (IBAN, crypto wallet, payment account, tracking id)
 *   use custom SCO types named `x-isop-…`, and our own fields are `x_isop_…` properties: the
 *   `x-<source>-`/`x_<source>_` custom-content convention, which STIX 2.1 deprecates in favour
 *   of extension definitions but still accepts (MITRE ATT&CK ships the same way). There is no
 *   OASIS-published SCO for any of them, and vendors disagree (OpenCTI `cryptocurrency-wallet:value`,
 *   others `cryptocurrency-wallet:address`): borrowing one vendor's name would look standard
 *   without being so, while our prefix says plainly whose definition it is.
 */
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import {
  TLP_LEVELS,
  type FeedEntry, type FeedItem, type IndicatorType, type Reference, type Tlp, type Tombstone,
} from './types.js';

/** A STIX object as emitted here: the common properties plus whatever its type defines. */
export type StixObject = { type: string; id: string; [property: string]: unknown };

/** A bundle; an empty one has no `objects` (STIX requires at least one when the property is present). */
export interface StixBundle { type: 'bundle'; id: string; objects?: StixObject[] }

/**
 * FIRST TLP 2.0 marking definitions as published by OASIS (cti-stix-common-objects,
 * extension-definition-specifications/tlp-2.0, whose JSON schema pins exactly these ids).
 */
export const TLP_MARKING_IDS: Record<Tlp, string> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export const TLP_2_0_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

/** The OASIS marking-definition object for one TLP level, byte for byte as published. */
export function tlpMarkingDefinition(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_MARKING_IDS[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${tlp}`,
    extensions: {
      [TLP_2_0_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() },
    },
  };
}

/**
 * The namespace of our STIX ids (RFC 9562 UUIDv5: SHA-1 of namespace and name). Fixed for good:
 * changing it would give every indicator and organisation a new STIX id. The database derives
 * the same ids (`uuid_generate_v5`, migrations/) to find an object by its STIX id.
 */
export const STIX_ID_NAMESPACE = '245403c0-bef7-4e5d-885f-9bf43d3e16f8';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The UUIDv5 standing for one of our UUIDs in STIX ids (the name is our UUID in lower case). */
export function stixUuid(uuid: string): string {
  const lower = uuid.toLowerCase();
  if (!UUID.test(lower)) throw new TypeError(`not a UUID: ${uuid}`);
  return uuidv5(lower, STIX_ID_NAMESPACE);
}

/** The STIX id of an indicator: the same for all its versions and its tombstone. */
export function stixIndicatorId(indicatorId: string): string {
  return `indicator--${stixUuid(indicatorId)}`;
}

export function stixIdentityId(orgId: string): string {
  return `identity--${stixUuid(orgId)}`;
}

// ---------------------------------------------------------------------------------------------
// Patterns

/** A STIX pattern string literal: only `\` and `'` need (and may be given) a backslash escape. */
function literal(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** `[type:path = 'value' AND type:path2 = 'platform']`, the platform clause only when known. */
function observation(objectType: string, path: string, value: string, platformPath?: string, platform?: string | null): string {
  const comparisons = [`${objectType}:${path} = ${literal(value)}`];
  if (platformPath && platform) comparisons.push(`${objectType}:${platformPath} = ${literal(platform)}`);
  return `[${comparisons.join(' AND ')}]`;
}

/**
 * The STIX 2.1 pattern that matches one observable. Values are expected in our normal form
 * (contract §3.1); the platform is part of the observable for the types that have one.
 */
export function stixPattern(type: IndicatorType, value: string, platform: string | null): string {
  switch (type) {
    case 'domain': return observation('domain-name', 'value', value);
    case 'url': return observation('url', 'value', value);
    case 'ipv4': return observation('ipv4-addr', 'value', value);
    case 'ipv6': return observation('ipv6-addr', 'value', value);
    // ipv4-addr/ipv6-addr values are CIDR by definition in STIX 2.1; `=` (rather than ISSUBSET)
    // is the form MISP, OpenCTI and most TIPs recognise for a network indicator.
    case 'cidr': return observation(value.includes(':') ? 'ipv6-addr' : 'ipv4-addr', 'value', value);
    case 'asn': {
      const match = /^(?:AS)?(\d+)$/i.exec(value);
      if (!match) throw new RangeError(`not an AS number: ${value}`);
      return `[autonomous-system:number = ${Number(match[1])}]`;
    }
    case 'email': return observation('email-addr', 'value', value);
    case 'iban': return observation('x-isop-bank-account', 'iban', value);
    case 'crypto_address': return observation('x-isop-cryptocurrency-wallet', 'address', value, 'chain', platform);
    case 'payment_account': return observation('x-isop-payment-account', 'account_id', value, 'provider', platform);
    // account_type is an open vocabulary in STIX 2.1 (account-type-ov): our platform names fit it.
    case 'social_account': return observation('user-account', 'account_login', value, 'account_type', platform);
    // A package/bundle id is not the software's display `name`: custom properties on the
    // standard Software SCO keep the object type recognisable without misusing `name`.
    case 'app': return observation('software', 'x_isop_package_id', value, 'x_isop_platform', platform);
    case 'tracking_id': return observation('x-isop-tracking-id', 'value', value, 'platform', platform);
  }
}

// ---------------------------------------------------------------------------------------------
// Timestamps

/**
 * STIX timestamps are RFC 3339 in UTC with `Z`; `created`/`modified` need millisecond precision.
 * A UTC timestamp that already has ≥ 3 fractional digits is kept as is, so microseconds from
 * PostgreSQL still order two versions written within one millisecond.
 */
function stixTimestamp(value: string): string {
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3,}Z$/.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${value}`);
  return date.toISOString();
}

/** The creation time a UUIDv7 carries in its first 48 bits; null for other UUID versions. */
function uuidv7Time(uuid: string): number | null {
  const hex = uuid.replace(/-/g, '');
  return hex[12] === '7' ? parseInt(hex.slice(0, 12), 16) : null;
}

/**
 * `created` must stay the same across all versions of an object and must not be later than
 * `modified`. Neither `valid_from` (a source can PATCH it, and it may lie in the future) nor
 * `updated_at` (changes every version) qualifies; the indicator's UUIDv7 records when it was
 * created, identically in items and tombstones. For an id that is not a v7 UUID we fall back
 * to `modified`. Clamped to `modified` so a skewed clock cannot make an invalid object.
 */
function createdFor(uuid: string, modified: string): string {
  const time = uuidv7Time(uuid);
  if (time === null || time > Date.parse(modified)) return modified;
  return new Date(time).toISOString();
}

/** Identities carry no update time of their own: a fixed one keeps repeated exports identical. */
const IDENTITY_FALLBACK_TIME = '1970-01-01T00:00:00.000Z';

// ---------------------------------------------------------------------------------------------
// Objects

/** STIX forbids null property values and empty lists: leave such properties out. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(
    ([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0),
  ));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Our categories describe piracy operations, which STIX calls `malicious-activity`; a few
 * categories add a more specific indicator-type-ov term.
 */
const CATEGORY_INDICATOR_TYPES: Readonly<Record<string, string>> = {
  proxy: 'anonymization',
  vpn: 'anonymization',
  anonymizer: 'anonymization',
  payment: 'attribution', // a payment account leads to whoever runs the service
};

function indicatorTypes(categories: string[]): string[] {
  return unique(['malicious-activity', ...categories.flatMap((c) => CATEGORY_INDICATOR_TYPES[c] ?? [])]);
}

function indicatorName(entry: FeedEntry): string {
  return entry.platform ? `${entry.type}: ${entry.value} (${entry.platform})` : `${entry.type}: ${entry.value}`;
}

/** STIX requires one of url/external_id besides source_name: a bare kind carries nothing. */
function externalReferences(references: Reference[]): Record<string, unknown>[] {
  return references
    .filter((reference) => reference.id || reference.url)
    .map((reference) => compact({ source_name: reference.kind, external_id: reference.id, url: reference.url }));
}

function indicatorFromItem(item: FeedItem): StixObject {
  const modified = stixTimestamp(item.updated_at);
  return {
    type: 'indicator',
    id: stixIndicatorId(item.id),
    ...compact({
      spec_version: '2.1',
      created: createdFor(item.id, modified),
      modified,
      created_by_ref: item.source ? stixIdentityId(item.source.org_id) : null,
      name: indicatorName(item),
      description: item.description,
      indicator_types: indicatorTypes(item.categories),
      pattern: stixPattern(item.type, item.value, item.platform),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: stixTimestamp(item.valid_from),
      valid_until: stixTimestamp(item.valid_until),
      confidence: Math.round(item.confidence),
      labels: unique([...item.categories, ...item.tags]),
      external_references: externalReferences(item.references),
      object_marking_refs: [TLP_MARKING_IDS[item.tlp]],
      x_isop_status: item.status,
      x_isop_version: item.version,
      x_isop_platform: item.platform,
      x_isop_pap: item.pap,
      x_isop_grading: item.grading,
      x_isop_sector: item.sector,
      x_isop_shared_infrastructure: item.shared_infrastructure,
      x_isop_disputed: item.disputed,
      x_isop_first_seen: item.first_seen,
      x_isop_last_seen: item.last_seen,
      x_isop_relations: item.relations.map((relation) => ({ ...relation, target: compact(relation.target) })),
      x_isop_evidence: item.evidence,
    }),
  };
}

/**
 * A tombstone becomes a revoked version of the same Indicator. It keeps the TLP marking and
 * the named source it carries (a withdrawn AMBER value never travels unmarked); `valid_from`
 * (required) is the moment of the change and `x_isop_status` says whether it was withdrawn,
 * expired or is no longer receivable.
 */
function indicatorFromTombstone(tombstone: Tombstone): StixObject {
  const modified = stixTimestamp(tombstone.updated_at);
  return {
    type: 'indicator',
    id: stixIndicatorId(tombstone.id),
    ...compact({
      spec_version: '2.1',
      created: createdFor(tombstone.id, modified),
      modified,
      created_by_ref: tombstone.source ? stixIdentityId(tombstone.source.org_id) : null,
      name: indicatorName(tombstone),
      pattern: stixPattern(tombstone.type, tombstone.value, tombstone.platform),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: modified,
      revoked: true,
      object_marking_refs: tombstone.tlp ? [TLP_MARKING_IDS[tombstone.tlp]] : null,
      x_isop_status: tombstone.status,
      x_isop_version: tombstone.version,
      x_isop_platform: tombstone.platform,
    }),
  };
}

function identity(source: { org_id: string; name: string }): StixObject {
  const time = uuidv7Time(source.org_id);
  const created = time === null ? IDENTITY_FALLBACK_TIME : new Date(time).toISOString();
  return {
    type: 'identity',
    spec_version: '2.1',
    id: stixIdentityId(source.org_id),
    created,
    modified: created,
    name: source.name,
    identity_class: 'organization',
  };
}

/** The Indicator for one entry, preceded by its source's Identity when the source is named. */
export function toStixObjects(entry: FeedEntry): StixObject[] {
  const indicator = entry.status === 'active' ? indicatorFromItem(entry) : indicatorFromTombstone(entry);
  return entry.source ? [identity(entry.source), indicator] : [indicator];
}

/**
 * A bundle of the entries: the TLP marking definitions in use, each source Identity once,
 * then the Indicators in feed order (an empty bundle has no `objects`). `opts.now` is accepted
 * for callers that pass it, but nothing here depends on the clock: every timestamp comes from
 * the entries themselves.
 */
export function toStixBundle(entries: FeedEntry[], _opts: { now?: Date } = {}): StixBundle {
  const objects = stixObjectsOf(entries);
  return { type: 'bundle', id: `bundle--${randomUUID()}`, ...(objects.length ? { objects } : {}) };
}

/**
 * The objects of a bundle of `entries`, in the order a consumer can resolve them: the TLP
 * marking definitions in use (in TLP order), each source Identity once, then the Indicators.
 */
export function stixObjectsOf(entries: FeedEntry[]): StixObject[] {
  const tlps = new Set<Tlp>();
  const identities = new Map<string, StixObject>();
  const indicators: StixObject[] = [];
  for (const entry of entries) {
    if (entry.tlp) tlps.add(entry.tlp);
    for (const object of toStixObjects(entry)) {
      if (object.type === 'indicator') indicators.push(object);
      else if (!identities.has(object.id)) identities.set(object.id, object);
    }
  }
  return [...TLP_LEVELS.filter((tlp) => tlps.has(tlp)).map(tlpMarkingDefinition), ...identities.values(), ...indicators];
}

// ---------------------------------------------------------------------------------------------
// Relationships (the link graph, src/modules/analysis)

/** An edge of the link graph between two indicators, for `stixRelationship`. */
export interface GraphLink {
  source: string;
  target: string;
  /** corroboration, shared, contains, a relation type (hosted_on …) or a derived link (domain …). */
  type: string;
  observable: { type: IndicatorType; value: string; platform: string | null };
  /** The later `updated_at` of its two ends: a relationship changes when they do. */
  modified: string;
}

/** Namespace of the name-based ids of relationships (RFC 9562 UUIDv5), apart from the one of our own ids. */
const RELATIONSHIP_NAMESPACE = '5f1d3c2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f';

/**
 * A link of the graph as a STIX Relationship between the two Indicators. The id is derived from
 * (source, type, target), so the same link is the same object in every export; `relationship_type`
 * is our link type in STIX's lower-case-and-hyphen form (`hosted-on`), and the observable where the
 * two meet is `x_isop_observable`.
 */
export function stixRelationship(link: GraphLink): StixObject {
  const relationshipType = link.type.replace(/_/g, '-');
  const modified = stixTimestamp(link.modified);
  const sourceRef = stixIndicatorId(link.source), targetRef = stixIndicatorId(link.target);
  return {
    type: 'relationship',
    spec_version: '2.1',
    id: `relationship--${uuidv5(`${sourceRef} ${relationshipType} ${targetRef}`, RELATIONSHIP_NAMESPACE)}`,
    created: modified,
    modified,
    relationship_type: relationshipType,
    source_ref: sourceRef,
    target_ref: targetRef,
    x_isop_observable: compact({ ...link.observable }),
  };
}
