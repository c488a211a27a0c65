import t from 'tap';
import fc from 'fast-check';
import { v5 as uuidv5, validate as isUuid, version as uuidVersion } from 'uuid';
import {
  STIX_ID_NAMESPACE, TLP_2_0_EXTENSION_ID, TLP_MARKING_IDS, stixIdentityId, stixIndicatorId, stixPattern,
  toStixBundle, toStixObjects, type StixObject,
} from '../../src/domain/stix.js';
import {
  INDICATOR_TYPES, TLP_LEVELS, TYPES_WITH_PLATFORM,
  type FeedItem, type IndicatorType, type Tombstone,
} from '../../src/domain/types.js';

// ---------------------------------------------------------------------------------------------
// Fixtures

// UUIDv7s: the first 48 bits are the creation time (0x018f0a2b3c4d = 2024-04-23T08:55:56.749Z).
const ID_1 = '018f0a2b-3c4d-7e5f-8a6b-7c8d9e0f1a2b';
const ID_2 = '018f0a2b-3c4e-7000-8000-000000000002';
const ID_3 = '018f0a2b-3c4f-7000-8000-000000000003';
const ORG_A = '018e0000-0000-7000-8000-00000000000a';
const ORG_B = '018e0000-0000-7000-8000-00000000000b';

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: ID_1,
    version: 1,
    status: 'active',
    type: 'domain',
    value: 'pirate-stream.example',
    platform: null,
    tlp: 'AMBER',
    pap: 'GREEN',
    grading: null,
    confidence: 80,
    sector: 'sports',
    categories: ['streaming_site'],
    tags: ['football'],
    description: 'Live streams of league matches',
    first_seen: '2024-04-01T00:00:00.000Z',
    last_seen: '2024-04-20T00:00:00.000Z',
    valid_from: '2024-04-25T00:00:00.000Z',
    valid_until: '2024-10-22T00:00:00.000Z',
    shared_infrastructure: [],
    relations: [],
    references: [],
    evidence: [],
    source: { org_id: ORG_A, name: 'League Rights Ltd' },
    disputed: false,
    updated_at: '2024-04-25T10:00:00.000Z',
    ...overrides,
  };
}

function tombstone(overrides: Partial<Tombstone> = {}): Tombstone {
  return {
    id: ID_1,
    version: 2,
    status: 'withdrawn',
    type: 'domain',
    value: 'pirate-stream.example',
    platform: null,
    updated_at: '2024-05-01T12:00:00.000Z',
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------
// A strict checker for STIX 2.1 patterning (the subset of the OASIS STIXPattern grammar a
// single-observable indicator needs), so every pattern is proved parseable, not just eyeballed:
//
//   pattern     := observation ( (AND | OR) observation )*
//   observation := '[' orExpr ']'
//   orExpr      := andExpr ( OR andExpr )*
//   andExpr     := test ( AND test )*          -- all tests joined by AND share one object type
//   test        := objectPath op literal | '(' orExpr ')'
//   objectPath  := objectType ':' property ( '.' property | '[' (int | '*') ']' )*
//   objectType  := [a-z0-9]+ ('-' [a-z0-9]+)*   (3–250 characters)
//   property    := [a-z0-9_]+
//   op          := = | != | <= | >= | < | > | LIKE | MATCHES | ISSUBSET | ISSUPERSET
//   literal     := '…' (escapes \\ and \' only) | -?int | -?float | true | false | t'…'

interface Comparison { objectType: string; path: string; op: string; value: string | number | boolean }

function parseStixPattern(pattern: string): Comparison[] {
  let i = 0;
  const comparisons: Comparison[] = [];
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${i} in ${JSON.stringify(pattern)}`);
  };
  const ws = () => { while (i < pattern.length && /\s/.test(pattern[i]!)) i++; };
  const take = (re: RegExp): string | null => {
    const sticky = new RegExp(re.source, 'y');
    sticky.lastIndex = i;
    const match = sticky.exec(pattern);
    if (!match) return null;
    i = sticky.lastIndex;
    return match[0];
  };
  const keyword = (word: string): boolean => {
    const start = i;
    ws();
    if (take(new RegExp(`${word}(?![A-Za-z0-9_])`)) !== null) return true;
    i = start;
    return false;
  };

  const stringLiteral = (): string => {
    if (pattern[i] !== "'") fail('expected a string literal');
    i++;
    let out = '';
    for (;;) {
      const c = pattern[i];
      if (c === undefined) fail('unterminated string literal');
      if (c === "'") { i++; return out; }
      if (c === '\\') {
        const next = pattern[i + 1];
        if (next !== '\\' && next !== "'") fail('invalid escape');
        out += next;
        i += 2;
      } else {
        out += c;
        i++;
      }
    }
  };

  const literal = (): string | number | boolean => {
    ws();
    if (pattern[i] === "'") return stringLiteral();
    if (pattern[i] === 't' && pattern[i + 1] === "'") {
      i++;
      const timestamp = stringLiteral();
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(timestamp)) fail('invalid timestamp literal');
      return timestamp;
    }
    const number = take(/-?\d+(\.\d+)?/);
    if (number !== null) return Number(number);
    const bool = take(/(true|false)(?![A-Za-z0-9_])/);
    if (bool !== null) return bool === 'true';
    return fail('expected a literal');
  };

  const test = (): string[] => {
    ws();
    if (pattern[i] === '(') {
      i++;
      const types = orExpr();
      ws();
      if (pattern[i] !== ')') fail("expected ')'");
      i++;
      return types;
    }
    const objectType = take(/[a-z0-9]+(-[a-z0-9]+)*/);
    if (objectType === null || objectType.length < 3 || objectType.length > 250) return fail('expected an object type');
    if (pattern[i] !== ':') fail("expected ':'");
    i++;
    const path = take(/[a-z0-9_]+(\.[a-z0-9_]+|\[(\d+|\*)\])*/);
    if (path === null) return fail('expected a property path');
    ws();
    const op = take(/(!=|<=|>=|=|<|>|LIKE(?=\s)|MATCHES(?=\s)|ISSUBSET(?=\s)|ISSUPERSET(?=\s))/);
    if (op === null) return fail('expected a comparison operator');
    comparisons.push({ objectType, path, op, value: literal() });
    return [objectType];
  };

  const andExpr = (): string[] => {
    const types = test();
    while (keyword('AND')) types.push(...test());
    if (new Set(types).size > 1) fail('AND joins comparisons on different object types');
    return types;
  };

  function orExpr(): string[] {
    const types = andExpr();
    while (keyword('OR')) types.push(...andExpr());
    return types;
  }

  const observation = () => {
    ws();
    if (pattern[i] !== '[') fail("expected '['");
    i++;
    orExpr();
    ws();
    if (pattern[i] !== ']') fail("expected ']'");
    i++;
  };

  observation();
  while (keyword('AND') || keyword('OR')) observation();
  ws();
  if (i !== pattern.length) fail('trailing input');
  return comparisons;
}

t.test('the pattern checker itself is strict', async (t) => {
  t.same(parseStixPattern("[domain-name:value = 'a\\'b\\\\c']"), [
    { objectType: 'domain-name', path: 'value', op: '=', value: "a'b\\c" },
  ]);
  t.same(parseStixPattern('[autonomous-system:number = 13335]')[0]?.value, 13335);
  for (const bad of [
    '',
    "domain-name:value = 'a'",               // no brackets
    "[domain-name:value = 'a'",              // unclosed
    "[domain-name:value = 'it's']",          // unescaped quote
    "[domain-name:value = 'a\\b']",          // backslash escape other than \\ and \'
    "[domain-name:value = a]",               // bare word is no literal
    "[Domain-Name:value = 'a']",             // object types are lower case
    "[domain-name:value == 'a']",            // no such operator
    "[domain-name:value = 'a' AND url:value = 'b']", // AND across object types
    "[domain-name:value = 'a'] junk",
  ]) {
    t.throws(() => parseStixPattern(bad), SyntaxError, `rejects ${JSON.stringify(bad)}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Patterns

const PATTERN_CASES: [IndicatorType, string, string | null, string][] = [
  ['domain', 'pirate-stream.example', null, "[domain-name:value = 'pirate-stream.example']"],
  ['url', 'https://pirate-stream.example/live?ch=1', null, "[url:value = 'https://pirate-stream.example/live?ch=1']"],
  ['ipv4', '203.0.113.7', null, "[ipv4-addr:value = '203.0.113.7']"],
  ['ipv6', '2001:db8::7', null, "[ipv6-addr:value = '2001:db8::7']"],
  ['cidr', '198.51.100.0/24', null, "[ipv4-addr:value = '198.51.100.0/24']"],
  ['cidr', '2001:db8::/32', null, "[ipv6-addr:value = '2001:db8::/32']"],
  ['asn', 'AS13335', null, '[autonomous-system:number = 13335]'],
  ['email', 'sales@pirate-stream.example', null, "[email-addr:value = 'sales@pirate-stream.example']"],
  ['iban', 'DE89370400440532013000', null, "[x-isop-bank-account:iban = 'DE89370400440532013000']"],
  ['crypto_address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'btc',
    "[x-isop-cryptocurrency-wallet:address = 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' AND x-isop-cryptocurrency-wallet:chain = 'btc']"],
  ['payment_account', 'payments@pirate-stream.example', 'paypal',
    "[x-isop-payment-account:account_id = 'payments@pirate-stream.example' AND x-isop-payment-account:provider = 'paypal']"],
  ['social_account', 'piratestreams', 'telegram',
    "[user-account:account_login = 'piratestreams' AND user-account:account_type = 'telegram']"],
  ['app', 'com.pirate.iptv', 'google_play',
    "[software:x_isop_package_id = 'com.pirate.iptv' AND software:x_isop_platform = 'google_play']"],
  ['tracking_id', 'G-ABC123XYZ', 'google_analytics',
    "[x-isop-tracking-id:value = 'G-ABC123XYZ' AND x-isop-tracking-id:platform = 'google_analytics']"],
];

t.test('every indicator type has an exact, grammatical pattern', async (t) => {
  t.same(
    new Set(PATTERN_CASES.map(([type]) => type)), new Set(INDICATOR_TYPES),
    'the table covers every IndicatorType',
  );
  for (const [type, value, platform, expected] of PATTERN_CASES) {
    const pattern = stixPattern(type, value, platform);
    t.equal(pattern, expected, `${type} ${value}`);
    const comparisons = parseStixPattern(pattern);
    t.equal(comparisons[0]?.value, type === 'asn' ? 13335 : value, `${type}: the literal decodes to the value`);
    if (platform) t.equal(comparisons[1]?.value, platform, `${type}: the platform is part of the observable`);
  }
});

t.test('AS numbers are integers with or without the AS prefix; junk is refused', async (t) => {
  t.equal(stixPattern('asn', '13335', null), '[autonomous-system:number = 13335]');
  t.equal(stixPattern('asn', 'as4294967295', null), '[autonomous-system:number = 4294967295]');
  t.throws(() => stixPattern('asn', "AS1' OR 1", null), RangeError);
});

t.test("quotes and backslashes are escaped (and nothing else is)", async (t) => {
  t.equal(
    stixPattern('url', "https://x.example/it's\\here", null),
    "[url:value = 'https://x.example/it\\'s\\\\here']",
  );
  t.equal(
    stixPattern('social_account', "o'neil", "we\\ird"),
    "[user-account:account_login = 'o\\'neil' AND user-account:account_type = 'we\\\\ird']",
  );
  // A value trying to close the literal and add a clause stays one literal.
  const injected = "a' OR domain-name:value = 'b";
  t.same(parseStixPattern(stixPattern('domain', injected, null)).map((c) => c.value), [injected]);
});

t.test('any value and platform round-trip through a grammatical pattern (property)', async (t) => {
  const stringTypes = INDICATOR_TYPES.filter((type) => type !== 'asn');
  fc.assert(fc.property(
    fc.constantFrom(...stringTypes), fc.string({ unit: 'binary' }), fc.string({ unit: 'binary', minLength: 1 }),
    (type, value, platform) => {
      const withPlatform = TYPES_WITH_PLATFORM.has(type);
      const decoded = parseStixPattern(stixPattern(type, value, withPlatform ? platform : null)).map((c) => c.value);
      return JSON.stringify(decoded) === JSON.stringify(withPlatform ? [value, platform] : [value]);
    },
  ));
  t.pass('generated values and platforms parsed back exactly');
});

t.test('a platform type without a platform still gives a valid pattern', async (t) => {
  t.equal(stixPattern('app', 'com.pirate.iptv', null), "[software:x_isop_package_id = 'com.pirate.iptv']");
});

// ---------------------------------------------------------------------------------------------
// Objects and bundles

const objectsOfType = (objects: StixObject[] | undefined, type: string) => (objects ?? []).filter((o) => o.type === type);

t.test('TLP marking ids are the OASIS TLP 2.0 ones', async (t) => {
  t.same(TLP_MARKING_IDS, {
    CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
    GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
    AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
    'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
    RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
  });
  t.equal(TLP_2_0_EXTENSION_ID, 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d');
});

t.test('ids are stable UUIDv5s of our UUIDs (STIX identifiers allow versions 1-5 only)', async (t) => {
  const stixUuid = stixIndicatorId(ID_1).slice('indicator--'.length);
  t.ok(isUuid(stixUuid) && uuidVersion(stixUuid) === 5, 'a version 5 UUID');
  t.equal(stixUuid, uuidv5(ID_1, STIX_ID_NAMESPACE), 'of our id under the fixed namespace');
  t.equal(stixIndicatorId(ID_1.toUpperCase()), stixIndicatorId(ID_1), 'case does not matter');
  t.not(stixIndicatorId(ID_2), stixIndicatorId(ID_1));
  t.equal(stixIdentityId(ORG_A), `identity--${uuidv5(ORG_A, STIX_ID_NAMESPACE)}`);
  t.throws(() => stixIndicatorId('not-a-uuid'), TypeError);
  const v1 = toStixObjects(item({ version: 1 })).find((o) => o.type === 'indicator');
  const v2 = toStixObjects(item({ version: 2, updated_at: '2024-04-26T00:00:00.000Z', valid_from: '2024-05-01T00:00:00.000Z' }))
    .find((o) => o.type === 'indicator');
  const gone = toStixObjects(tombstone())[0];
  t.equal(v1?.id, v2?.id, 'versions share the STIX id');
  t.equal(v1?.id, gone?.id, 'so does the tombstone');
  t.equal(v1?.created, v2?.created, '`created` does not move between versions');
  t.equal(v1?.created, gone?.created);
  t.equal(v1?.created, '2024-04-23T08:55:56.749Z', '`created` is the time in the UUIDv7');
  t.not(v1?.modified, v2?.modified, '`modified` follows updated_at');
});

t.test('created never falls after modified, and non-v7 ids fall back to modified', async (t) => {
  const v4 = '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f';
  const indicator = toStixObjects(item({ id: v4, source: null }))[0];
  t.equal(indicator?.created, '2024-04-25T10:00:00.000Z');
  const early = toStixObjects(item({ updated_at: '2020-01-01T00:00:00.000Z', source: null }))[0];
  t.equal(early?.created, early?.modified);
});

t.test('timestamps are UTC with Z, keeping sub-millisecond precision', async (t) => {
  const indicator = toStixObjects(item({
    source: null,
    updated_at: '2024-04-25T10:00:00.123456Z',
    valid_from: '2024-04-25T12:00:00+02:00',
  }))[0];
  t.equal(indicator?.modified, '2024-04-25T10:00:00.123456Z');
  t.equal(indicator?.valid_from, '2024-04-25T10:00:00.000Z');
  t.throws(() => toStixObjects(item({ updated_at: 'yesterday' })), RangeError, 'a non-timestamp is refused');
});

t.test('an active item maps to a full Indicator', async (t) => {
  const objects = toStixObjects(item({
    tlp: 'AMBER+STRICT',
    grading: { source: '2', assessment: 'B', handling: 'C', conditions: 'court use only' },
    categories: ['streaming_site', 'payment'],
    tags: ['football', 'streaming_site'],
    shared_infrastructure: ['cloudflare'],
    references: [
      { kind: 'court_order', id: 'HC-2024-000123', url: 'https://courts.example/orders/123' },
      { kind: 'case', id: 'CASE-42' },
      { kind: 'notice' },
    ],
    disputed: true,
  }));
  t.equal(objects.length, 2);
  const indicator = objects[1]!;
  t.match(indicator, {
    type: 'indicator',
    spec_version: '2.1',
    id: stixIndicatorId(ID_1),
    created: '2024-04-23T08:55:56.749Z',
    modified: '2024-04-25T10:00:00.000Z',
    name: 'domain: pirate-stream.example',
    description: 'Live streams of league matches',
    pattern: "[domain-name:value = 'pirate-stream.example']",
    pattern_type: 'stix',
    valid_from: '2024-04-25T00:00:00.000Z',
    valid_until: '2024-10-22T00:00:00.000Z',
    confidence: 80,
    created_by_ref: stixIdentityId(ORG_A),
    x_isop_status: 'active',
    x_isop_version: 1,
    x_isop_pap: 'GREEN',
    x_isop_sector: 'sports',
    x_isop_disputed: true,
  });
  t.same(indicator.indicator_types, ['malicious-activity', 'attribution']);
  t.same(indicator.labels, ['streaming_site', 'payment', 'football'], 'categories then tags, once each');
  t.same(indicator.object_marking_refs, ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003']);
  t.same(indicator.x_isop_grading, { source: '2', assessment: 'B', handling: 'C', conditions: 'court use only' });
  t.same(indicator.x_isop_shared_infrastructure, ['cloudflare']);
  t.same(indicator.external_references, [
    { source_name: 'court_order', external_id: 'HC-2024-000123', url: 'https://courts.example/orders/123' },
    { source_name: 'case', external_id: 'CASE-42' },
  ], 'a reference with neither id nor url is left out: STIX needs one');
  t.notOk('revoked' in indicator);
});

t.test('STIX has no nulls and no empty lists: such properties are left out', async (t) => {
  const indicator = toStixObjects(item({
    description: null, sector: null, categories: [], tags: [], first_seen: null, last_seen: null, source: null,
  }))[0]!;
  for (const property of ['description', 'x_isop_sector', 'labels', 'external_references', 'x_isop_platform',
    'x_isop_first_seen', 'x_isop_relations', 'x_isop_evidence', 'x_isop_grading', 'x_isop_shared_infrastructure']) {
    t.notOk(property in indicator, `${property} omitted`);
  }
  t.same(indicator.indicator_types, ['malicious-activity'], 'default indicator type');
  t.notOk(Object.values(indicator).some((v) => v === null), 'no null values');
});

t.test('platform types name the platform and carry it as x_isop_platform', async (t) => {
  const indicator = toStixObjects(item({ type: 'social_account', value: 'piratestreams', platform: 'telegram', source: null }))[0]!;
  t.equal(indicator.name, 'social_account: piratestreams (telegram)');
  t.equal(indicator.x_isop_platform, 'telegram');
});

t.test('a tombstone is a revoked version of the same Indicator, still marked and attributed', async (t) => {
  const marked = toStixObjects(tombstone({ tlp: 'AMBER', source: { org_id: ORG_A, name: 'League Rights Ltd' } }));
  t.same(marked.map((o) => o.type), ['identity', 'indicator'], 'a named source comes with its identity');
  t.match(marked[1], { revoked: true, created_by_ref: stixIdentityId(ORG_A), object_marking_refs: [TLP_MARKING_IDS.AMBER] },
    'a withdrawn AMBER value never travels unmarked');
  const bundle = toStixBundle([tombstone({ tlp: 'RED', source: null })]);
  t.same(objectsOfType(bundle.objects, 'marking-definition').map((m) => m.id), [TLP_MARKING_IDS.RED], 'its marking definition is in the bundle');

  for (const status of ['withdrawn', 'expired', 'revoked'] as const) {
    const objects = toStixObjects(tombstone({ status, type: 'crypto_address', value: 'bc1qxyz', platform: 'btc' }));
    t.equal(objects.length, 1, 'no identity: this tombstone names no source (anonymous)');
    t.same(objects[0], {
      type: 'indicator',
      id: stixIndicatorId(ID_1),
      spec_version: '2.1',
      created: '2024-04-23T08:55:56.749Z',
      modified: '2024-05-01T12:00:00.000Z',
      name: 'crypto_address: bc1qxyz (btc)',
      pattern: "[x-isop-cryptocurrency-wallet:address = 'bc1qxyz' AND x-isop-cryptocurrency-wallet:chain = 'btc']",
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: '2024-05-01T12:00:00.000Z',
      revoked: true,
      x_isop_status: status,
      x_isop_version: 2,
      x_isop_platform: 'btc',
    });
  }
});

t.test('a bundle of items and tombstones', async (t) => {
  const entries = [
    item({ id: ID_1, tlp: 'GREEN' }),
    item({ id: ID_2, tlp: 'RED', type: 'ipv4', value: '203.0.113.7', source: { org_id: ORG_A, name: 'League Rights Ltd' } }),
    item({ id: ID_3, tlp: 'GREEN', source: { org_id: ORG_B, name: 'Film Studio "B", Inc.' } }),
    item({ id: ID_2, version: 2, tlp: 'CLEAR', type: 'ipv4', value: '203.0.113.7', source: null }),
    tombstone({ id: ID_3, version: 2, status: 'expired' }),
  ];
  const bundle = toStixBundle(entries, { now: new Date('2024-06-01T00:00:00Z') });

  t.equal(bundle.type, 'bundle');
  t.match(bundle.id, /^bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'bundle id is a UUIDv4');
  t.not(toStixBundle(entries).id, bundle.id, 'each bundle has its own id');
  t.notOk('spec_version' in bundle, 'STIX 2.1 bundles carry no spec_version');

  const markings = objectsOfType(bundle.objects, 'marking-definition');
  t.same(markings.map((m) => m.id), [TLP_MARKING_IDS.CLEAR, TLP_MARKING_IDS.GREEN, TLP_MARKING_IDS.RED],
    'each TLP in use once, in TLP order');
  t.same(markings[0], {
    type: 'marking-definition',
    spec_version: '2.1',
    id: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
    created: '2022-10-01T00:00:00.000Z',
    name: 'TLP:CLEAR',
    extensions: {
      'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': { extension_type: 'property-extension', tlp_2_0: 'clear' },
    },
  }, 'marking definition as OASIS publishes it');

  const identities = objectsOfType(bundle.objects, 'identity');
  t.same(identities.map((i) => i.id), [stixIdentityId(ORG_A), stixIdentityId(ORG_B)], 'one identity per named source');
  t.match(identities[1], { spec_version: '2.1', name: 'Film Studio "B", Inc.', identity_class: 'organization' });
  t.equal(identities[1]?.created, '2024-03-02T16:29:43.808Z', 'identity timestamps come from the org UUIDv7');

  const indicators = objectsOfType(bundle.objects, 'indicator');
  t.equal(indicators.length, entries.length, 'one indicator per entry, versions included');
  for (const indicator of indicators) {
    for (const property of ['type', 'spec_version', 'id', 'created', 'modified', 'pattern', 'pattern_type', 'valid_from']) {
      t.ok(property in indicator, `${indicator.id} has ${property}`);
    }
    t.doesNotThrow(() => parseStixPattern(String(indicator.pattern)));
    t.ok(String(indicator.created) <= String(indicator.modified), 'created <= modified');
    if (!indicator.revoked) {
      t.ok(String(indicator.valid_until) > String(indicator.valid_from), 'valid_until after valid_from');
      const refs = indicator.object_marking_refs as string[];
      t.ok(refs.every((ref) => markings.some((m) => m.id === ref)), 'every marking ref resolves inside the bundle');
    }
    if (indicator.created_by_ref) {
      t.ok(identities.some((i) => i.id === indicator.created_by_ref), 'created_by_ref resolves inside the bundle');
    }
  }
  t.same(indicators.map((i) => i.object_marking_refs),
    [[TLP_MARKING_IDS.GREEN], [TLP_MARKING_IDS.RED], [TLP_MARKING_IDS.GREEN], [TLP_MARKING_IDS.CLEAR], undefined]);

  const anonymous = indicators[3]!;
  t.notOk('created_by_ref' in anonymous, 'an anonymous item names no creator');
  t.match(indicators[4], { id: stixIndicatorId(ID_3), revoked: true, x_isop_status: 'expired' });

  const positions = (type: string) => bundle.objects!.flatMap((o, index) => (o.type === type ? [index] : []));
  t.ok(Math.max(...positions('marking-definition'), ...positions('identity')) < Math.min(...positions('indicator')),
    'referenced objects come before the indicators that reference them');
  t.same(JSON.parse(JSON.stringify(bundle)), bundle, 'the bundle is plain JSON');
});

t.test('an org id that is not a UUIDv7 gives an identity with fixed timestamps', async (t) => {
  const orgId = '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f';
  const identity = toStixObjects(item({ source: { org_id: orgId, name: 'Old Org' } }))[0];
  t.match(identity, { id: stixIdentityId(orgId), created: '1970-01-01T00:00:00.000Z', modified: '1970-01-01T00:00:00.000Z' });
});

t.test('an anonymous-only bundle has no identity at all', async (t) => {
  const bundle = toStixBundle([item({ source: null }), item({ id: ID_2, source: null }), tombstone({ id: ID_3 })]);
  t.same(objectsOfType(bundle.objects, 'identity'), []);
  t.notOk(bundle.objects!.some((o) => 'created_by_ref' in o));
});

t.test('an empty bundle is still a bundle, without an (empty, invalid) objects list', async (t) => {
  const empty = toStixBundle([]);
  t.equal(empty.type, 'bundle');
  t.notOk('objects' in empty);
});

t.test('every TLP level maps to its marking', async (t) => {
  for (const tlp of TLP_LEVELS) {
    const bundle = toStixBundle([item({ tlp })]);
    const marking = objectsOfType(bundle.objects, 'marking-definition');
    t.equal(marking.length, 1);
    t.equal(marking[0]?.id, TLP_MARKING_IDS[tlp]);
    t.equal(marking[0]?.name, `TLP:${tlp}`);
    t.same(marking[0]?.extensions, { [TLP_2_0_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp.toLowerCase() } });
  }
});
