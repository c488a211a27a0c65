import t from 'tap';
import { fromStixObjects, observableOf, singleObservation, type IntakeVerdict } from '../../src/domain/stix-intake.js';
import { stixPattern, TLP_2_0_EXTENSION_ID, TLP_MARKING_IDS, tlpMarkingDefinition } from '../../src/domain/stix.js';
import { INDICATOR_TYPES, type IndicatorType } from '../../src/domain/types.js';

const ID = (n: number) => `indicator--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d${String(n).padStart(2, '0')}`;
const indicator = (pattern: string, extra: Record<string, unknown> = {}, n = 1) => ({
  type: 'indicator', spec_version: '2.1', id: ID(n), created: '2026-01-01T00:00:00.000Z', modified: '2026-01-02T00:00:00.000Z',
  pattern, pattern_type: 'stix', valid_from: '2026-01-01T00:00:00.000Z', ...extra,
});
/** Before the fixtures' valid_from: their validity is taken as given. */
const NOW = Date.parse('2025-12-01T00:00:00.000Z');
const only = (objects: unknown[], now = NOW): IntakeVerdict => fromStixObjects(objects, now).at(-1)!;

const SUPPORTED: Array<[IndicatorType, string, string | null]> = [
  ['domain', 'pirate-stream.example', null],
  ['url', "https://pirate-stream.example/it's\\here?x=1", null],
  ['ipv4', '203.0.113.7', null],
  ['ipv6', '2001:db8::7', null],
  ['cidr', '198.51.100.0/24', null],
  ['cidr', '2001:db8::/32', null],
  ['asn', 'AS13335', null],
  ['email', 'sales@pirate-stream.example', null],
  ['iban', 'DE89370400440532013000', null],
  ['crypto_address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'btc'],
  ['payment_account', 'payments@pirate-stream.example', 'paypal'],
  ['social_account', "o'neil", 'telegram'],
  ['app', 'com.pirate.iptv', 'google_play'],
  ['tracking_id', 'G-ABC123XYZ', 'google_analytics'],
];

t.test('every pattern we write is read back as the same observable', async (t) => {
  t.same(new Set(SUPPORTED.map(([type]) => type)), new Set(INDICATOR_TYPES), 'every type');
  for (const [type, value, platform] of SUPPORTED) {
    t.same(observableOf(stixPattern(type, value, platform)), { type, value, ...(platform ? { platform } : {}) }, `${type} ${value}`);
  }
  t.same(observableOf("[ user-account:account_type = 'telegram'  AND user-account:account_login = 'x' ]"),
    { type: 'social_account', value: 'x', platform: 'telegram' }, 'comparison order and spacing do not matter');
  t.same(observableOf("[software:x_isop_package_id = 'com.x']"), { type: 'app', value: 'com.x' }, 'a platform type without a platform (the pipeline rejects it)');
});

t.test('patterns that describe more than one value, or a condition, are unsupported', async (t) => {
  for (const pattern of [
    "[domain-name:value = 'a.example'] OR [domain-name:value = 'b.example']",
    "[domain-name:value = 'a.example' OR domain-name:value = 'b.example']",
    "[domain-name:value = 'a.example'] AND [url:value = 'https://b.example/']",
    "[domain-name:value = 'a.example'] WITHIN 300 SECONDS",
    "[domain-name:value = 'a.example'] REPEATS 2 TIMES",
    "[domain-name:value != 'a.example']",
    "[domain-name:value MATCHES '^a']",
    "[domain-name:value LIKE 'a%']",
    "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
    "[domain-name:value = 'a.example' AND url:value = 'https://a.example/']",
    "[ipv4-addr:value = '203.0.113.7' AND ipv4-addr:value = '203.0.113.8']",
    "[file:hashes.'SHA-256' = 'aa']",
    "[file:name = 'pirate.apk']",
    "[domain-name:resolves_to_refs[*].value = '203.0.113.7']",
    "[autonomous-system:number = 'AS1']",
    "[domain-name:value = 'a\\x']",
    "domain-name:value = 'a.example'",
    '',
  ]) {
    t.ok('unsupported' in observableOf(pattern), JSON.stringify(pattern));
  }
  t.same(singleObservation("[domain-name:value = 'a' AND domain-name:value = 'b']")?.length, 2, 'the parser itself reads AND');
});

t.test('an indicator becomes an item: TLP, confidence, validity, labels, references and our own properties', async (t) => {
  const verdict = only([indicator(stixPattern('domain', 'pirate-stream.example', null), {
    object_marking_refs: [TLP_MARKING_IDS.GREEN],
    confidence: 85, valid_until: '2026-06-01T00:00:00.000Z', description: 'live streams',
    labels: ['streaming_site', 'iptv_service', 'derby', 'Premier League'],
    external_references: [
      { source_name: 'court_order', external_id: 'HC-1', url: 'https://courts.example/1' },
      { source_name: 'vendor-blog', url: 'https://blog.example/post' },
      { source_name: 'mitre-attack', external_id: 'T1000' },
    ],
    x_isop_pap: 'CLEAR', x_isop_sector: 'live_sports', x_isop_grading: { source: '1', assessment: 'A', handling: 'P' },
    x_isop_audience: { kinds: ['agency'] }, x_isop_unknown: 'ignored', kill_chain_phases: [{ kill_chain_name: 'x', phase_name: 'y' }],
  })]);
  t.equal(verdict.kind, 'indicator');
  if (verdict.kind !== 'indicator') return;
  t.same(verdict.item, {
    type: 'domain', value: 'pirate-stream.example', tlp: 'GREEN', confidence: 85, valid_from: '2026-01-01T00:00:00.000Z',
    valid_until: '2026-06-01T00:00:00.000Z', description: 'live streams', categories: ['streaming_site', 'iptv_service'],
    tags: ['derby', 'Premier League'],
    references: [{ kind: 'court_order', id: 'HC-1', url: 'https://courts.example/1' }, { kind: 'url', url: 'https://blog.example/post' }],
    pap: 'CLEAR', sector: 'live_sports', grading: { source: '1', assessment: 'A', handling: 'P' }, audience: { kinds: ['agency'] },
  });
  t.match(verdict.warnings, [/external references with neither a known kind nor a url/]);
  t.equal(verdict.stixId, ID(1));
  t.equal(verdict.version, '2026-01-02T00:00:00.000Z', 'the version is `modified`');
});

t.test('TLP from TLP 2.0 and 1.0 markings, from marking definitions in the bundle, the most restrictive one winning', async (t) => {
  const tlpOf = (objects: unknown[]) => { const v = only(objects); return v.kind === 'indicator' ? [v.item.tlp, v.warnings] : [v.kind]; };
  const pattern = stixPattern('ipv4', '203.0.113.7', null);
  t.same(tlpOf([indicator(pattern, { object_marking_refs: [TLP_MARKING_IDS['AMBER+STRICT']] })]), ['AMBER+STRICT', []]);
  t.same(tlpOf([indicator(pattern, { object_marking_refs: ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'] })]), ['CLEAR', []], 'TLP 1.0 WHITE is CLEAR');
  t.same(tlpOf([indicator(pattern, { object_marking_refs: ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed'] })]), ['RED', []]);
  const custom = 'marking-definition--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad001';
  t.same(tlpOf([
    { type: 'marking-definition', spec_version: '2.1', id: custom, created: '2026-01-01T00:00:00.000Z', definition_type: 'TLP', definition: { TLP: 'TLP:AMBER+STRICT' } },
    indicator(pattern, { object_marking_refs: [custom] }),
  ]), ['AMBER+STRICT', []], 'a TLP marking definition of the bundle (as OpenCTI writes them)');
  t.same(tlpOf([
    { ...tlpMarkingDefinition('GREEN'), id: custom },
    indicator(pattern, { object_marking_refs: [custom] }),
  ]), ['GREEN', []], 'one carrying the TLP 2.0 extension');
  const [tlp, warnings] = tlpOf([indicator(pattern, { object_marking_refs: [TLP_MARKING_IDS.GREEN, TLP_MARKING_IDS.RED, 'marking-definition--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad002'] })]);
  t.equal(tlp, 'RED', 'the most restrictive');
  t.match(warnings, [/several TLP markings \(RED, GREEN\)/, /markings other than TLP are not kept/]);
  t.same(tlpOf([indicator(pattern)]), [undefined, ['no TLP marking: stored as TLP:AMBER']]);
  t.ok(TLP_2_0_EXTENSION_ID);
});

t.test('every object is accounted for: context skipped, the rest unsupported or invalid, with the reason', async (t) => {
  const objects = [
    tlpMarkingDefinition('AMBER'),
    { type: 'identity', spec_version: '2.1', id: 'identity--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad010', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'x' },
    { type: 'marking-definition', spec_version: '2.1', id: 'marking-definition--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad011', created: '2026-01-01T00:00:00.000Z', definition_type: 'statement', definition: { statement: 'c' } },
    { type: 'malware', spec_version: '2.1', id: 'malware--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad012', is_family: false },
    { type: 'relationship', spec_version: '2.1', id: 'relationship--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad013', relationship_type: 'indicates' },
    { type: 'domain-name', spec_version: '2.1', id: 'domain-name--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad014', value: 'a.example' },
    { type: 'x-vendor-thing', id: 'x-vendor-thing--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad015' },
    indicator("[domain-name:value = 'a.example'] OR [domain-name:value = 'b.example']", {}, 2),
    indicator('title: pirate rule', { pattern_type: 'sigma' }, 3),
    indicator(stixPattern('domain', 'gone.example', null), { revoked: true }, 4),
    indicator(stixPattern('domain', 'old.example', null), { spec_version: '3.0' }, 5),
    { type: 'indicator', id: 'indicator--018f0a2b-3c4d-7e5f-8a6b-7c8d9e0f1a2b', pattern: "[domain-name:value = 'v7.example']" },
    { type: 'indicator', id: 'malware--0c2ea6b5-7c3e-4a61-9b71-3a6f0f3ad016', pattern: "[domain-name:value = 'x.example']" },
    indicator('', { pattern: undefined }, 6),
    'not an object',
    null,
  ];
  const verdicts = fromStixObjects(objects, NOW);
  t.equal(verdicts.length, objects.length, 'one verdict per object');
  t.same(verdicts.map((v) => v.kind), [
    'skipped', 'skipped', 'skipped', 'unsupported', 'unsupported', 'unsupported', 'unsupported',
    'unsupported', 'unsupported', 'unsupported', 'unsupported', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid',
  ]);
  const reason = (v: IntakeVerdict) => ('message' in v ? v.message : v.kind === 'invalid' ? v.errors[0]!.message : '');
  t.match(reason(verdicts[0]!), /its TLP applies to the indicators/);
  t.match(reason(verdicts[1]!), /attributed to the organisation that submits it/);
  t.match(reason(verdicts[2]!), /other than TLP is not kept/);
  t.match(reason(verdicts[3]!), /malware objects are not supported/);
  t.match(reason(verdicts[7]!), /not one observation/);
  t.match(reason(verdicts[8]!), /pattern_type "sigma"/);
  t.match(reason(verdicts[9]!), /revoked indicator is not applied/);
  t.match(reason(verdicts[10]!), /spec_version "3.0"/);
  t.match(reason(verdicts[11]!), /UUID versions 1-5/);
  t.equal(verdicts[11]!.stixId, null, 'an id that is not one is not echoed');
  t.match(reason(verdicts[13]!), /needs a pattern/);
  t.match(reason(verdicts[14]!), /not a STIX object/);
});

t.test('a valid_from long past without valid_until starts the default window now, not in the past', async (t) => {
  const pattern = stixPattern('domain', 'old.example', null);
  const later = Date.parse('2027-01-01T00:00:00.000Z');
  const open = only([indicator(pattern)], later);
  t.ok(open.kind === 'indicator' && !('valid_from' in open.item), 'valid_from left to the pipeline (now; kept on resubmission)');
  t.ok(open.kind === 'indicator' && open.warnings.some((w) => /no valid_until/.test(w)), 'and says so');
  const bounded = only([indicator(pattern, { valid_until: '2027-06-01T00:00:00.000Z' })], later);
  t.match(bounded.kind === 'indicator' ? bounded.item : {}, { valid_from: '2026-01-01T00:00:00.000Z', valid_until: '2027-06-01T00:00:00.000Z' }, 'with valid_until, both as given');
  const future = only([indicator(pattern)]);
  t.match(future.kind === 'indicator' ? future.item : {}, { valid_from: '2026-01-01T00:00:00.000Z' }, 'a valid_from still to come is kept');
});
