/**
 * STIX in through POST /v1/indicators (application/stix+json): our STIX out, read by another
 * partner, gives the same indicators for every type; every object of a bundle gets a result,
 * unsupported ones with the reason; atomic, Idempotency-Key and media types as for JSON batches.
 */
import t from 'tap';
import { INDICATOR_TYPES } from '../../src/domain/types.js';
import { adminToken, createMember, createTestApp, json, type Member } from '../helpers/app.js';
import { EVERY_TYPE } from '../helpers/observables.js';

const { app } = await createTestApp(t);
const admin = await adminToken(app);
const original = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });
const agency = await createMember(app, admin, 'agency', 'FR');

const submitStix = (who: Member, bundle: unknown, query = '', headers: Record<string, string> = {}) => app.inject({
  method: 'POST', url: `/v1/indicators${query}`, headers: { ...who.auth, 'content-type': 'application/stix+json;version=2.1', ...headers }, payload: JSON.stringify(bundle),
});
const BUNDLE_ID = 'bundle--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d70';
const indicator = (n: number, pattern: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator', spec_version: '2.1', id: `indicator--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9e${String(n).padStart(2, '0')}`,
  created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', pattern, pattern_type: 'stix',
  valid_from: new Date(Date.now() - 3_600_000).toISOString(), valid_until: new Date(Date.now() + 30 * 86_400_000).toISOString(), ...extra,
});

/** The fields an indicator is made of (everything but identity, versions and times of change). */
const CONTENT = ['type', 'value', 'platform', 'tlp', 'pap', 'grading', 'confidence', 'sector', 'categories', 'tags', 'description',
  'first_seen', 'last_seen', 'valid_from', 'valid_until', 'references', 'evidence', 'relations', 'shared_infrastructure'] as const;
const content = (i: Record<string, unknown>) => Object.fromEntries(CONTENT.map((field) => [field, i[field]]));

t.test('our STIX out, submitted as STIX in, gives the same indicators for every type', async (t) => {
  const tlps = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'];
  const items = EVERY_TYPE.map((item, i) => ({
    ...item, tlp: tlps[i % tlps.length], pap: ['CLEAR', 'GREEN', 'AMBER'][i % 3], confidence: 40 + i, sector: 'live_sports',
    categories: ['streaming_site', ...(i % 2 ? ['iptv_service'] : [])], tags: ['derby', `round-${i}`], description: `seen in round ${i}`,
    grading: { source: '2', assessment: 'B', handling: 'C', conditions: 'court use only' },
    first_seen: '2026-01-01T00:00:00.000Z', last_seen: '2026-01-02T00:00:00.000Z',
    references: [{ kind: 'court_order', id: `HC-${i}`, url: `https://courts.example/${i}` }, { kind: 'case', id: `CASE-${i}` }],
    evidence: [{ sha256: 'b'.repeat(64), description: 'screenshot' }],
    relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: '185.77.1.9' } }],
  }));
  const pushed = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: original.auth, payload: { items } }));
  t.equal(pushed.summary.created, items.length, JSON.stringify(pushed.summary));
  const withdrawn = pushed.results[1].id as string;
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawn}`, headers: original.auth });

  const bundle = json(await app.inject({ method: 'GET', url: '/v1/feed?format=stix&limit=10000', headers: agency.auth }));
  const copier = await createMember(app, admin, 'partner', 'DE', { sectors: ['live_sports'] });
  const res = await submitStix(copier, bundle);
  t.equal(res.statusCode, 200, res.body);
  const answer = json(res);
  t.equal(answer.results.length, bundle.objects.length, 'one result per object');
  answer.results.forEach((r: { index: number; stix_id: string }, i: number) => {
    if (r.index !== i || r.stix_id !== bundle.objects[i].id) t.fail(`result ${i} is for object ${r.index} ${r.stix_id}`);
  });
  const byType = (type: string) => answer.results.filter((r: { index: number }) => bundle.objects[r.index].type === type);
  t.ok(byType('marking-definition').every((r: { status: string }) => r.status === 'skipped'), 'marking definitions: context');
  t.ok(byType('identity').every((r: { status: string; warnings: string[] }) => r.status === 'skipped' && /submits it/.test(r.warnings[0]!)), 'identities: context');
  t.match(answer.results.find((r: { status: string }) => r.status === 'unsupported'), { errors: [{ message: /revoked indicator is not applied/ }] }, 'the tombstone is reported, not applied');
  t.match(answer.summary, { created: items.length - 1, rejected: 0, unsupported: 1, skipped: bundle.objects.length - items.length });

  const list = async (who: Member) => json(await app.inject({ method: 'GET', url: '/v1/indicators?limit=1000', headers: who.auth })).items as Record<string, unknown>[];
  const key = (i: Record<string, unknown>) => `${i.type} ${i.platform} ${i.value}`;
  const copies = new Map((await list(copier)).map((i) => [key(i), i]));
  const originals = (await list(original)).filter((i) => i.status === 'active');
  t.same(new Set(originals.map((i) => i.type)), new Set(INDICATOR_TYPES.filter((type) => type !== EVERY_TYPE[1]!.type)), 'every type but the withdrawn one');
  for (const i of originals) t.same(content(copies.get(key(i)) ?? {}), content(i), `${i.type}: the same indicator`);

  const again = json(await submitStix(copier, bundle));
  t.match(again.summary, { created: 0, unchanged: items.length - 1 }, 'the same bundle again changes nothing');
});

t.test('TLP:RED needs an audience: x_isop_audience names it', async (t) => {
  const partner = await createMember(app, admin, 'partner', 'NL', { sectors: ['film_tv'] });
  const red = { object_marking_refs: ['marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1'] };
  const answer = json(await submitStix(partner, { type: 'bundle', id: BUNDLE_ID, objects: [
    indicator(1, "[domain-name:value = 'red-no-audience.tv']", red),
    indicator(2, "[domain-name:value = 'red-for-one.tv']", { ...red, x_isop_audience: { orgs: [agency.orgId] } }),
  ] }));
  t.match(answer.results, [
    { index: 0, status: 'rejected', errors: [{ path: '/audience', message: /TLP:RED needs an audience/ }] },
    { index: 1, status: 'created' },
  ]);
});

t.test('unsupported objects are reported one by one; atomic stores nothing then; Idempotency-Key replays', async (t) => {
  const partner = await createMember(app, admin, 'partner', 'BE', { sectors: ['music'] });
  const bundle = { type: 'bundle', id: BUNDLE_ID, objects: [
    indicator(3, "[domain-name:value = 'atomic-good.tv']"),
    { type: 'malware', spec_version: '2.1', id: 'malware--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d71', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'x', is_family: false },
    indicator(4, "[file:name = 'pirate.apk']"),
    indicator(5, "[domain-name:value = 'localhost']"),
  ] };
  const atomic = await submitStix(partner, bundle, '?atomic=true');
  t.equal(atomic.statusCode, 422);
  t.match(json(atomic).results, [
    { index: 0, status: 'unchanged', warnings: [/no TLP marking/, /not stored: the atomic batch/] },
    { index: 1, status: 'unsupported', stix_id: 'malware--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d71', errors: [{ message: /malware objects are not supported/ }] },
    { index: 2, status: 'unsupported', errors: [{ message: /no supported observable/ }] },
    { index: 3, status: 'rejected', errors: [{ path: '/value', message: /public suffix/ }] },
  ]);
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/indicators', headers: partner.auth })).items.length, 0, 'nothing stored');

  const keyed = { 'idempotency-key': 'stix-run-1' };
  const first = await submitStix(partner, bundle, '', keyed);
  t.equal(first.statusCode, 200);
  t.match(json(first).summary, { created: 1, rejected: 1, unsupported: 2, skipped: 0 });
  const replay = await submitStix(partner, bundle, '', keyed);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.same(json(replay), json(first));
});

t.test('text that cannot be stored is refused per object, and never echoed into what is stored', async (t) => {
  const partner = await createMember(app, admin, 'partner', 'MT', { sectors: ['music'] });
  const res = await submitStix(partner, { type: 'bundle', id: BUNDLE_ID, objects: [
    { type: 'x-\u0000', id: 'x-\u0000--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d72', modified: '2026-\u0000' },
    indicator(6, "[domain-name:value = 'nul-description.tv']", { description: 'a\u0000b', object_marking_refs: ['marking-\u0000'] }),
  ] }, '', { 'idempotency-key': 'stix-nul-1' });
  t.equal(res.statusCode, 200, 'stored with its Idempotency-Key: the answer holds no such text');
  t.match(json(res).results, [
    { index: 0, status: 'rejected', errors: [{ path: '/id' }] },
    { index: 1, status: 'rejected', errors: [{ path: '/description' }] },
  ]);
  t.notOk('stix_id' in json(res).results[0], 'an id that is not one is not echoed');
});

t.test('the envelope and the media type are checked', async (t) => {
  const partner = await createMember(app, admin, 'partner', 'LU', { sectors: ['games'] });
  for (const bad of [{ type: 'bundle', id: BUNDLE_ID }, { type: 'bundle', id: BUNDLE_ID, objects: [] }, { type: 'report', id: BUNDLE_ID, objects: [{}] }, { type: 'bundle', id: BUNDLE_ID, objects: [{}], extra: 1 }]) {
    const res = await submitStix(partner, bad);
    t.equal(res.statusCode, 400, JSON.stringify(bad));
    t.match(res.headers['content-type'], /problem\+json/);
  }
  const taxiiBody = await app.inject({ method: 'POST', url: '/v1/indicators', headers: { ...partner.auth, 'content-type': 'application/taxii+json;version=2.1' }, payload: JSON.stringify({ objects: [{}] }) });
  t.equal(taxiiBody.statusCode, 415, 'a TAXII envelope belongs to the TAXII collection');
  const xml = await app.inject({ method: 'POST', url: '/v1/indicators', headers: { ...partner.auth, 'content-type': 'application/xml' }, payload: '<x/>' });
  t.equal(xml.statusCode, 415);
  const asJson = await app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { type: 'bundle', id: BUNDLE_ID, objects: [{}] } });
  t.equal(asJson.statusCode, 400, 'a bundle sent as application/json is not a batch');
});
