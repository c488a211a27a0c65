/**
 * STIX 2.1 in (contract §4; POST /v1/indicators as application/stix+json, TAXII "add objects"):
 * which objects of a bundle become indicator submissions, and why the others do not. Pure: the
 * submissions then go through the batch pipeline like any JSON item (src/modules/indicators/).
 *
 * - An Indicator whose pattern names one observable of a supported type (the patterns
 *   src/domain/stix.ts writes, and the standard observables they use) becomes an item: its TLP
 *   from its marking (TLP 2.0 or 1.0, by the OASIS ids or a TLP marking definition in the same
 *   bundle), confidence, valid_from/valid_until, description, labels (known categories, the rest
 *   tags), external references, and our own `x_isop_*` properties.
 * - Marking definitions and identities are the context of the indicators: skipped, with the
 *   reason (the source of every indicator is the organisation that submits it).
 * - Everything else — compound patterns, other pattern languages, revoked indicators, SDOs other
 *   than indicators, observables, relationships, unknown types — is reported as unsupported,
 *   object by object. Nothing is dropped without a word.
 */
import { TLP_2_0_EXTENSION_ID, TLP_MARKING_IDS } from './stix.js';
import { TLP_LEVELS, type IndicatorType, type Tlp } from './types.js';

export interface IntakeProblem { path: string; message: string }

/** What one object of a bundle becomes. `stixId`/`version` identify it in the answer. */
export type IntakeVerdict =
  | { kind: 'indicator'; stixId: string; version: string | null; item: Record<string, unknown>; warnings: string[] }
  | { kind: 'skipped'; stixId: string; version: string | null; message: string }
  | { kind: 'unsupported'; stixId: string | null; version: string | null; message: string }
  | { kind: 'invalid'; stixId: string | null; version: string | null; errors: IntakeProblem[] };

type StixInput = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Patterns

/** One `object-type:path = literal` comparison. */
interface Comparison { objectType: string; path: string; value: string | number }

/**
 * The comparisons of a pattern of exactly one observation joined by AND with `=` only, or null
 * for anything else (OR, several observations, qualifiers, other operators): such a pattern
 * describes more than one observable, or a condition, not an indicator value we can store.
 */
export function singleObservation(pattern: string): Comparison[] | null {
  const re = /\s*([a-z0-9][a-z0-9-]*[a-z0-9]):([a-z0-9_]+)\s*=\s*(?:'((?:[^'\\]|\\['\\])*)'|(-?\d+))\s*(AND\s|\])/y;
  const text = pattern.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return null;
  const comparisons: Comparison[] = [];
  re.lastIndex = 1;
  for (;;) {
    const start = re.lastIndex;
    const match = re.exec(text);
    if (!match || match.index !== start) return null;
    const [, objectType, path, quoted, integer, joiner] = match;
    comparisons.push({
      objectType: objectType!, path: path!,
      value: quoted !== undefined ? quoted.replace(/\\(['\\])/g, '$1') : Number(integer),
    });
    if (joiner === ']') return re.lastIndex === text.length ? comparisons : null;
  }
}

/** The observables we store, as STIX names them: object type, value property, platform property. */
const OBSERVABLES: ReadonlyArray<{ objectType: string; value: string; platform?: string; type: IndicatorType | 'ip' }> = [
  { objectType: 'domain-name', value: 'value', type: 'domain' },
  { objectType: 'url', value: 'value', type: 'url' },
  { objectType: 'ipv4-addr', value: 'value', type: 'ip' },
  { objectType: 'ipv6-addr', value: 'value', type: 'ip' },
  { objectType: 'autonomous-system', value: 'number', type: 'asn' },
  { objectType: 'email-addr', value: 'value', type: 'email' },
  { objectType: 'x-isop-bank-account', value: 'iban', type: 'iban' },
  { objectType: 'x-isop-cryptocurrency-wallet', value: 'address', platform: 'chain', type: 'crypto_address' },
  { objectType: 'x-isop-payment-account', value: 'account_id', platform: 'provider', type: 'payment_account' },
  { objectType: 'user-account', value: 'account_login', platform: 'account_type', type: 'social_account' },
  { objectType: 'software', value: 'x_isop_package_id', platform: 'x_isop_platform', type: 'app' },
  { objectType: 'x-isop-tracking-id', value: 'value', platform: 'platform', type: 'tracking_id' },
];

/** The observable a pattern names, or why it names none we store. */
export function observableOf(pattern: string): { type: IndicatorType; value: string; platform?: string } | { unsupported: string } {
  const comparisons = singleObservation(pattern);
  if (!comparisons) return { unsupported: 'the pattern is not one observation of equality comparisons (compound patterns, OR, qualifiers and other operators describe no single value)' };
  const objectType = comparisons[0]!.objectType;
  const known = OBSERVABLES.find((o) => o.objectType === objectType && comparisons.some((c) => c.path === o.value));
  if (!known) return { unsupported: `no supported observable in the pattern (${objectType}:${comparisons.map((c) => c.path).join(', ')})` };
  const stray = comparisons.filter((c) => c.objectType !== objectType || (c.path !== known.value && c.path !== known.platform));
  if (stray.length) return { unsupported: `the pattern compares more than one observable: ${stray.map((c) => `${c.objectType}:${c.path}`).join(', ')}` };
  const byPath = (path: string | undefined) => comparisons.filter((c) => c.path === path);
  if (byPath(known.value).length > 1 || (known.platform && byPath(known.platform).length > 1)) return { unsupported: 'the pattern names several values of one observable' };
  const value = byPath(known.value)[0]!.value;
  const platform = byPath(known.platform)[0]?.value;
  if (known.type === 'asn') return typeof value === 'number' ? { type: 'asn', value: `AS${value}` } : { unsupported: 'an AS number is an integer' };
  if (typeof value !== 'string' || (platform !== undefined && typeof platform !== 'string')) return { unsupported: `${objectType} values are strings` };
  const type = known.type === 'ip' ? (value.includes('/') ? 'cidr' : objectType === 'ipv4-addr' ? 'ipv4' : 'ipv6') : known.type;
  return { type, value, ...(platform !== undefined ? { platform } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Markings

/** TLP 1.0 marking definitions as published by OASIS (STIX 2.1 §7.2.1.4); WHITE is TLP 2.0's CLEAR. */
const TLP_1_0_IDS: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'CLEAR',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'GREEN',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'AMBER',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'RED',
};

const KNOWN_TLP: ReadonlyMap<string, Tlp> = new Map([
  ...Object.entries(TLP_MARKING_IDS).map(([tlp, id]) => [id, tlp as Tlp] as const),
  ...Object.entries(TLP_1_0_IDS),
]);

/** A TLP level written in any of the usual ways (`amber`, `TLP:AMBER+STRICT`, `white`). */
function tlpNamed(text: unknown): Tlp | null {
  if (typeof text !== 'string') return null;
  const name = text.trim().toUpperCase().replace(/^TLP:\s*/, '');
  if (name === 'WHITE') return 'CLEAR';
  return (TLP_LEVELS as readonly string[]).includes(name) ? name as Tlp : null;
}

/** The TLP a marking definition object of the bundle stands for, if it is a TLP marking. */
function tlpOfDefinition(object: StixInput): Tlp | null {
  const extension = (object.extensions as Record<string, { tlp_2_0?: unknown }> | undefined)?.[TLP_2_0_EXTENSION_ID];
  if (extension) return tlpNamed(extension.tlp_2_0);
  if (typeof object.definition_type === 'string' && object.definition_type.toLowerCase() === 'tlp' && object.definition && typeof object.definition === 'object') {
    const entry = Object.entries(object.definition).find(([key]) => key.toLowerCase() === 'tlp');
    return tlpNamed(entry?.[1]);
  }
  return tlpNamed(object.name);
}

const TLP_ORDER = (tlp: Tlp) => TLP_LEVELS.indexOf(tlp);

// ---------------------------------------------------------------------------------------------
// Indicators

/**
 * Our categories among labels; the other labels are tags. Categories are an open list
 * (contract §3.3): these are the ones it names, and the ones our STIX output gives meaning to.
 */
export const KNOWN_CATEGORIES: ReadonlySet<string> = new Set([
  'streaming_site', 'iptv_service', 'torrent_site', 'cyberlocker', 'linking_site', 'stream_ripping',
  'piracy_app', 'reseller', 'payment', 'hosting', 'proxy', 'vpn', 'anonymizer',
]);

const REFERENCE_KINDS = new Set(['court_order', 'case', 'notice', 'url']);

/** Our own properties (src/domain/stix.ts writes the first ones) and those only intake reads. */
const OWN_PROPERTIES = {
  x_isop_pap: 'pap', x_isop_grading: 'grading', x_isop_sector: 'sector', x_isop_first_seen: 'first_seen',
  x_isop_last_seen: 'last_seen', x_isop_relations: 'relations', x_isop_evidence: 'evidence',
  x_isop_audience: 'audience', x_isop_exclude: 'exclude', x_isop_attribution: 'attribution',
} as const;

const isObject = (value: unknown): value is StixInput => value !== null && typeof value === 'object' && !Array.isArray(value);
const STIX_ID = /^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/;

/** An object's version (`modified`, else `created`), when it is a timestamp: it is echoed back and stored. */
function versionOf(object: StixInput): string | null {
  const version = object.modified ?? object.created;
  return typeof version === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/.test(version) ? version : null;
}

function fromIndicator(object: StixInput, stixId: string, version: string | null, tlps: ReadonlyMap<string, Tlp>, now: number): IntakeVerdict {
  const invalid = (errors: IntakeProblem[]): IntakeVerdict => ({ kind: 'invalid', stixId, version, errors });
  const unsupported = (message: string): IntakeVerdict => ({ kind: 'unsupported', stixId, version, message });
  if (object.revoked === true) return unsupported('a revoked indicator is not applied: withdraw the indicator it stands for with DELETE /v1/indicators/{id}');
  if (object.pattern_type !== undefined && object.pattern_type !== 'stix') return unsupported(`pattern_type ${JSON.stringify(object.pattern_type)}: only STIX patterns name an observable`);
  if (typeof object.pattern !== 'string') return invalid([{ path: '/pattern', message: 'an indicator needs a pattern' }]);
  const observable = observableOf(object.pattern);
  if ('unsupported' in observable) return unsupported(observable.unsupported);

  const warnings: string[] = [];
  const item: Record<string, unknown> = { ...observable };
  const marked = (Array.isArray(object.object_marking_refs) ? object.object_marking_refs : []).filter((ref): ref is string => typeof ref === 'string' && STIX_ID.test(ref));
  const levels = [...new Set(marked.flatMap((ref) => tlps.get(ref) ?? []))].sort((a, b) => TLP_ORDER(b) - TLP_ORDER(a));
  if (levels.length) item.tlp = levels[0];
  if (levels.length > 1) warnings.push(`several TLP markings (${levels.join(', ')}): the most restrictive, ${levels[0]}, applies`);
  if (!levels.length) warnings.push('no TLP marking: stored as TLP:AMBER');
  const others = marked.filter((ref) => !tlps.has(ref));
  if (others.length) warnings.push(`markings other than TLP are not kept: ${others.join(', ')}`);

  for (const field of ['confidence', 'valid_from', 'valid_until', 'description'] as const) {
    if (object[field] !== undefined) item[field] = object[field];
  }
  // STIX: no valid_until is valid for ever; ours: a default window from valid_from. From a
  // valid_from long past that window would be over, so such an indicator is valid from now (its
  // window then stays put when the same bundle is submitted again).
  if (object.valid_until === undefined && typeof object.valid_from === 'string' && Date.parse(object.valid_from) <= now) {
    delete item.valid_from;
    warnings.push('no valid_until: valid from now for the default period');
  }
  if (Array.isArray(object.labels)) {
    const labels = object.labels.filter((label): label is string => typeof label === 'string');
    const categories = labels.filter((label) => KNOWN_CATEGORIES.has(label));
    const tags = labels.filter((label) => !KNOWN_CATEGORIES.has(label));
    if (categories.length) item.categories = categories;
    if (tags.length) item.tags = tags;
  }
  if (Array.isArray(object.external_references)) {
    const references = object.external_references.filter(isObject).flatMap((ref) => {
      const kind = typeof ref.source_name === 'string' && REFERENCE_KINDS.has(ref.source_name) ? ref.source_name : ref.url ? 'url' : null;
      if (!kind) return [];
      return [{ kind, ...(ref.external_id !== undefined ? { id: ref.external_id } : {}), ...(ref.url !== undefined ? { url: ref.url } : {}) }];
    });
    if (references.length < object.external_references.length) warnings.push('external references with neither a known kind nor a url are not kept');
    if (references.length) item.references = references;
  }
  for (const [property, field] of Object.entries(OWN_PROPERTIES)) {
    if (object[property] !== undefined) item[field] = object[property];
  }
  return { kind: 'indicator', stixId, version, item, warnings };
}

const CONTEXT_OBJECTS: Record<string, string> = {
  'marking-definition': 'a marking definition: its TLP applies to the indicators that reference it',
  identity: 'an identity is not stored: every indicator is attributed to the organisation that submits it',
  'extension-definition': 'an extension definition is not stored',
};

/** What each object of a bundle (or a TAXII envelope's `objects`) becomes, in order; `now` in epoch ms. */
export function fromStixObjects(objects: readonly unknown[], now: number): IntakeVerdict[] {
  const tlps = new Map(KNOWN_TLP);
  for (const object of objects) {
    if (isObject(object) && object.type === 'marking-definition' && typeof object.id === 'string' && !tlps.has(object.id)) {
      const tlp = tlpOfDefinition(object);
      if (tlp) tlps.set(object.id, tlp);
    }
  }
  return objects.map((object): IntakeVerdict => {
    if (!isObject(object) || typeof object.type !== 'string' || typeof object.id !== 'string') {
      return { kind: 'invalid', stixId: null, version: null, errors: [{ path: '/', message: 'not a STIX object: it needs a type and an id' }] };
    }
    const { type, id } = object;
    const version = versionOf(object);
    // From here on the type and id are plain [a-z0-9-] text: safe to echo and to store.
    if (STIX_ID.exec(id)?.[1] !== type) {
      return { kind: 'invalid', stixId: null, version, errors: [{ path: '/id', message: 'must be <type>--<UUID> (UUID versions 1-5), the type being the object\'s' }] };
    }
    if (object.spec_version !== undefined && object.spec_version !== '2.1' && object.spec_version !== '2.0') {
      return { kind: 'unsupported', stixId: id, version, message: `spec_version ${JSON.stringify(object.spec_version)}: STIX 2.1 (or 2.0) only` };
    }
    if (type === 'indicator') return fromIndicator(object, id, version, tlps, now);
    const context = CONTEXT_OBJECTS[type];
    if (context) return { kind: 'skipped', stixId: id, version, message: type === 'marking-definition' && !tlps.has(id) ? 'a marking definition other than TLP is not kept' : context };
    return { kind: 'unsupported', stixId: id, version, message: `${type} objects are not supported: only indicators are stored` };
  });
}
