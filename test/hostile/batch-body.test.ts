/**
 * Hostile batch bodies, property-based: whatever a partner sends to POST /v1/indicators, the
 * service answers without a 5xx, every error is a problem document, nothing is stored for
 * what it rejects, and one bad item never costs the good items of its batch.
 * Runs are bounded (numRuns) and reproducible: a failure prints fast-check's seed and path.
 */
import fc from 'fast-check';
import t from 'tap';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';
import { assertContract, BAD_DATES, nested, oddDate, oddString, POISON_STRINGS, stored } from '../helpers/hostile.js';

const { app, database } = await createTestApp(t, { LOG_LEVEL: 'silent' });
const admin = await adminToken(app);
const partner = await createMember(app, admin, 'partner', 'GB', { sectors: ['live_sports'] });
const agency = await createMember(app, admin, 'agency', 'FR');
const groupRes = await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'hostile-group', members: [agency.orgId] } });
const groupId = json(groupRes).id as string;

let unique = 0;
/** A fresh, valid observable each time, so a good item is always `created`. */
const freshDomain = (prefix: string) => `${prefix}${++unique}-${Date.now().toString(36)}.tv`;
const SHA = 'a'.repeat(64);

/** A complete, valid item: every field the poisoned variants below may spoil. */
function goodItem(value: string): Record<string, unknown> {
  return {
    type: 'domain', value, tlp: 'AMBER', pap: 'GREEN', confidence: 70, sector: 'live_sports', categories: ['iptv_service'],
    description: 'restreams premium matches', tags: ['iptv', 'sports'],
    grading: { source: '2', assessment: 'B', handling: 'C', conditions: 'no onward sharing' },
    references: [{ kind: 'case', id: 'CASE-1' }], evidence: [{ sha256: SHA, description: 'capture', captured_at: '2025-03-01T10:00:00Z' }],
    relations: [{ type: 'resolves_to', target: { type: 'ipv4', value: '45.77.1.2' } }],
    first_seen: '2025-01-01T00:00:00Z', last_seen: '2025-06-01T00:00:00Z',
  };
}

/** What is spoilt, and how (the label is what a counterexample shows). */
type Spoiler = [string, (item: Record<string, any>) => void];

/** Each field of a good item spoilt with text PostgreSQL cannot store (NUL) or that is not well-formed Unicode. */
const textSpoilers = (s: string): Spoiler[] => [
  [`description ${JSON.stringify(s)}`, (i) => { i.description = `text ${s} text`; }],
  [`tag ${JSON.stringify(s)}`, (i) => { i.tags = ['iptv', `t${s}`]; }],
  [`reference id ${JSON.stringify(s)}`, (i) => { i.references = [{ kind: 'case', id: `C-${s}` }]; }],
  [`grading conditions ${JSON.stringify(s)}`, (i) => { i.grading = { ...i.grading, conditions: `c${s}` }; }],
  [`evidence description ${JSON.stringify(s)}`, (i) => { i.evidence = [{ sha256: SHA, description: `e${s}` }]; }],
  [`relation target ${JSON.stringify(s)}`, (i) => { i.relations = [{ type: 'related_to', target: { type: 'domain', value: `r${s}.tv` } }]; }],
  [`value ${JSON.stringify(s)}`, (i) => { i.value = `${s}${i.value}`; }],
];
/** Each date field of a good item given a date that is not one, or not a sane one. */
const dateSpoilers = (d: string): Spoiler[] => [
  [`first_seen ${d}`, (i) => { i.first_seen = d; }],
  [`last_seen ${d}`, (i) => { i.last_seen = d; }],
  [`valid_from ${d}`, (i) => { i.valid_from = d; }],
  [`valid_until ${d}`, (i) => { i.valid_until = d; }],
  [`evidence captured_at ${d}`, (i) => { i.evidence = [{ sha256: SHA, captured_at: d }]; }],
];
const poison = fc.oneof(
  fc.constantFrom(...POISON_STRINGS).chain((s) => fc.constantFrom(...textSpoilers(s))),
  fc.constantFrom(...BAD_DATES).chain((d) => fc.constantFrom(...dateSpoilers(d))),
);

/** Any value a field could be given: right type or not. */
const anyValue = fc.oneof(
  { weight: 3, arbitrary: oddString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom(1e308, -0, 2 ** 53 + 1)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const orgOrGroupId = fc.oneof(fc.constant(agency.orgId), fc.constant(groupId), fc.uuid(), oddString);

/** An item shaped like an indicator, each field right, wrong or hostile, plus unknown properties. */
const hostileItem = fc.record({
  type: fc.oneof(fc.constantFrom('domain', 'url', 'ipv4', 'ipv6', 'cidr', 'asn', 'email', 'iban', 'crypto_address', 'payment_account', 'social_account', 'app', 'tracking_id'), anyValue),
  value: fc.oneof(fc.constant(null).map(() => freshDomain('h')), fc.constantFrom('185.234.72.19', 'https://x.tv/a?b=1#c', 'AS13335', 'GB82WEST12345698765432', 'localhost', '10.0.0.1', '::1'), anyValue),
  platform: fc.oneof(fc.constantFrom('btc', 'eth', 'telegram', 'paypal'), anyValue),
  tlp: fc.oneof(fc.constantFrom('CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED', 'red', 'WHITE'), anyValue),
  pap: fc.oneof(fc.constantFrom('CLEAR', 'GREEN', 'AMBER', 'RED'), anyValue),
  confidence: fc.oneof(fc.integer({ min: -5, max: 105 }), anyValue),
  audience: fc.oneof(
    fc.record({ orgs: fc.array(orgOrGroupId, { maxLength: 3 }), groups: fc.array(orgOrGroupId, { maxLength: 3 }), kinds: fc.array(fc.constantFrom('agency', 'partner', 'secretariat', 'x'), { maxLength: 3 }), countries: fc.array(fc.constantFrom('FR', 'DE', 'XX', 'fr'), { maxLength: 3 }) }, { requiredKeys: [] }),
    anyValue,
  ),
  exclude: fc.oneof(fc.record({ orgs: fc.array(orgOrGroupId, { maxLength: 2 }), countries: fc.array(fc.constantFrom('FR', 'ZZ'), { maxLength: 2 }) }, { requiredKeys: [] }), anyValue),
  attribution: fc.oneof(fc.constantFrom('named', 'anonymous'), anyValue),
  valid_from: oddDate, valid_until: oddDate, first_seen: oddDate, last_seen: oddDate,
  sector: fc.oneof(fc.constantFrom('live_sports', 'music', 'other', 'LIVE_SPORTS'), anyValue),
  categories: fc.oneof(fc.array(fc.oneof(fc.constantFrom('iptv_service', 'streaming_site'), oddString), { maxLength: 4 }), anyValue),
  description: fc.oneof(oddString, anyValue),
  tags: fc.oneof(fc.array(oddString, { maxLength: 4 }), anyValue),
  grading: fc.oneof(fc.record({ source: fc.constantFrom('1', '2', '3', '4', 1), assessment: fc.constantFrom('A', 'E', 'F'), handling: fc.constantFrom('P', 'C'), conditions: oddString }, { requiredKeys: [] }), anyValue),
  references: fc.oneof(fc.array(fc.record({ kind: fc.constantFrom('court_order', 'case', 'notice', 'url', 'other'), id: oddString, url: fc.oneof(fc.webUrl(), oddString) }, { requiredKeys: [] }), { maxLength: 3 }), anyValue),
  evidence: fc.oneof(fc.array(fc.record({ sha256: fc.oneof(fc.constant(SHA), oddString), description: oddString, captured_at: oddDate }, { requiredKeys: [] }), { maxLength: 3 }), anyValue),
  relations: fc.oneof(fc.array(fc.record({ type: fc.constantFrom('resolves_to', 'hosted_on', 'nope'), target: fc.oneof(fc.record({ type: fc.constantFrom('domain', 'ipv4', 'nope'), value: oddString, platform: oddString }, { requiredKeys: [] }), anyValue) }, { requiredKeys: [] }), { maxLength: 3 }), anyValue),
}, { requiredKeys: [] }).chain((item) => fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), anyValue, { maxKeys: 2 }).map((extra) => ({ ...extra, ...item })));

interface BatchAnswer { results: Array<{ index: number; status: string; id?: string; errors?: Array<{ path: unknown; message: unknown }> }>; summary: Record<string, number> }

/**
 * Sends one body and checks everything that must hold whatever it was: the error contract,
 * nothing stored on a 4xx, and on a 200/422 exactly what the answer reports.
 */
async function submit(payload: string, options: { atomic?: boolean; key?: string } = {}) {
  const before = await stored(database.db);
  const res = await app.inject({
    method: 'POST', url: `/v1/indicators${options.atomic ? '?atomic=true' : ''}`, payload,
    headers: { ...partner.auth, 'content-type': 'application/json', ...(options.key ? { 'idempotency-key': options.key } : {}) },
  });
  const sent = `${options.atomic ? '?atomic=true ' : ''}${payload}`;
  // Contract §3.4: an atomic batch with rejected items is a 422 carrying the item results.
  const atomicRefusal = (r: typeof res) => Boolean(options.atomic) && r.statusCode === 422
    && /^application\/json/.test(String(r.headers['content-type'])) && Array.isArray(json(r).results);
  assertContract(res, sent, { allowed: atomicRefusal });
  const after = await stored(database.db);
  const delta = { indicators: after.indicators - before.indicators, changes: after.changes - before.changes };
  const isBatchAnswer = res.statusCode === 200 || atomicRefusal(res);
  if (!isBatchAnswer) {
    if (delta.indicators || delta.changes) throw new Error(`rejected with ${res.statusCode} but stored ${JSON.stringify(delta)}\n  sent: ${sent.slice(0, 600)}`);
    return { res, answer: undefined };
  }
  const answer = json<BatchAnswer>(res);
  const { created, updated } = answer.summary;
  const expected = res.statusCode === 422 ? { indicators: 0, changes: 0 } : { indicators: created!, changes: created! + updated! };
  if (delta.indicators !== expected.indicators || delta.changes !== expected.changes) {
    throw new Error(`answered ${res.statusCode} ${JSON.stringify(answer.summary)} but stored ${JSON.stringify(delta)}\n  sent: ${sent.slice(0, 600)}`);
  }
  for (const r of answer.results) {
    if (r.status === 'rejected' && (!r.errors?.length || r.errors.some((e) => typeof e.path !== 'string' || typeof e.message !== 'string'))) {
      throw new Error(`item ${r.index} rejected without a reason: ${JSON.stringify(r)}`);
    }
  }
  return { res, answer };
}

t.test('any JSON value as the body: never a 5xx, errors are problem documents, nothing stored', async () => {
  await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
    await submit(JSON.stringify(body));
  }), { numRuns: 120 });
});

t.test('batch-shaped bodies with hostile defaults and items: answers match what is stored', async () => {
  const body = fc.record({
    defaults: fc.oneof(hostileItem.map(({ value: _v, ...rest }) => rest), anyValue),
    items: fc.oneof({ weight: 5, arbitrary: fc.array(hostileItem, { minLength: 1, maxLength: 12 }) }, { weight: 1, arbitrary: anyValue }),
  }, { requiredKeys: ['items'] }).chain((b) => fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), anyValue, { maxKeys: 1 }).map((extra) => ({ ...extra, ...b })));
  await fc.assert(fc.asyncProperty(body, fc.boolean(), fc.option(fc.string({ minLength: 1, maxLength: 20 })), async (b, atomic, key) => {
    await submit(JSON.stringify(b), { atomic, ...(key ? { key: `${key}-${++unique}` } : {}) });
  }), { numRuns: 100 });
});

t.test('good items mixed with poisoned ones (NUL, lone surrogates, impossible dates): the good are stored, each bad one is rejected with a reason', async () => {
  const mix = fc.array(fc.option(poison, { freq: 2 }), { minLength: 1, maxLength: 8 });
  await fc.assert(fc.asyncProperty(mix, async (plan) => {
    const items = plan.map((spoil) => {
      const item = goodItem(freshDomain(spoil ? 'bad' : 'good'));
      spoil?.[1](item);
      return item;
    });
    const { res, answer } = await submit(JSON.stringify({ items }));
    if (res.statusCode !== 200 || !answer) throw new Error(`a batch with some bad items answered ${res.statusCode}: ${res.body.slice(0, 300)}\n  poisons: ${plan.map((p) => p?.[0] ?? 'none').join(', ')}`);
    plan.forEach((spoil, index) => {
      const got = answer.results[index]!.status;
      const want = spoil ? 'rejected' : 'created';
      if (got !== want) throw new Error(`item ${index} (${spoil?.[0] ?? 'good'}) is ${got}, expected ${want}: ${JSON.stringify(answer.results[index])}`);
    });
  }), {
    numRuns: 60,
    // Always tried first: every field with NUL, with a lone surrogate, and with each date of finding 10, next to a good item.
    examples: [
      ...['\u0000', '\uD800'].map((s) => [[null, ...textSpoilers(s)]] as [Array<Spoiler | null>]),
      ...['0000-01-01', '9999-12-31T23:59:59-14:00', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z'].map((d) => [[...dateSpoilers(d), null]] as [Array<Spoiler | null>]),
    ],
  });
});

t.test('deeply nested JSON anywhere in the body, with an Idempotency-Key: a 4xx problem, never a 5xx', async () => {
  const where = fc.constantFrom<[string, (n: string) => string]>(
    ['in an item\'s description', (n) => `{"items":[{"type":"domain","value":"${freshDomain('deep')}","description":${n}}]}`],
    ['in defaults', (n) => `{"defaults":{"tags":${n}},"items":[{"type":"domain","value":"${freshDomain('deep')}"}]}`],
    ['in an unknown property', (n) => `{"items":[{"type":"domain","value":"${freshDomain('deep')}","x":${n}}]}`],
    ['as the items', (n) => `{"items":${n}}`],
    ['as the body', (n) => n],
  );
  const style = fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>;
  // Rejected at parse time or item by item, as long as it is answered properly (submit checks that).
  await fc.assert(fc.asyncProperty(where, fc.integer({ min: 200, max: 12_000 }), style, async ([, place], depth, nesting) => {
    await submit(place(nested(depth, nesting)), { key: `deep-${++unique}` });
  }), { numRuns: 30, examples: [[['in an item\'s description', (n) => `{"items":[{"type":"domain","value":"${freshDomain('deep')}","description":${n}}]}`], 10_000, 'array']] });
});
