/**
 * STIX 2.1 out, as a new user gets it from a real feed: every indicator type, every TLP and a
 * tombstone, through /v1/feed?format=stix and a saved feed, validated against the OASIS schemas.
 */
import t from 'tap';
import { stixIdentityId, stixIndicatorId, TLP_MARKING_IDS } from '../../src/domain/stix.js';
import { INDICATOR_TYPES, TLP_LEVELS } from '../../src/domain/types.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';
import { EVERY_TYPE } from '../helpers/observables.js';
import { stixBundleErrors } from '../helpers/stix-schemas.js';

const { app } = await createTestApp(t);
const admin = await adminToken(app);
const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });
const agency = await createMember(app, admin, 'agency', 'IT');


t.test('the feed as STIX: every type, every TLP and a tombstone validate against the OASIS schemas', async (t) => {
  t.same(new Set(EVERY_TYPE.map((i) => i.type)), new Set(INDICATOR_TYPES), 'the fixture covers every type');
  const items = EVERY_TYPE.map((item, index) => {
    const tlp = TLP_LEVELS[index % TLP_LEVELS.length]!;
    return {
      ...item, tlp, pap: 'GREEN', confidence: 70, sector: 'live_sports', categories: ['streaming_site'], tags: ['derby'],
      description: 'seen during the derby', references: [{ kind: 'case', id: 'CASE-7' }], evidence: [{ sha256: 'a'.repeat(64) }],
      grading: { source: '2', assessment: 'B', handling: 'P' },
      ...(tlp === 'RED' ? { audience: { orgs: [agency.orgId] } } : {}),
    };
  });
  const pushed = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items } }));
  t.equal(pushed.summary.created, items.length, pushed.summary.rejected ? JSON.stringify(pushed.results) : 'all stored');
  const withdrawn = pushed.results[0].id as string;
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawn}`, headers: source.auth })).statusCode, 200);

  const res = await app.inject({ method: 'GET', url: '/v1/feed?format=stix&limit=1000', headers: agency.auth });
  t.equal(res.statusCode, 200);
  // fastify writes the parameter as a quoted string (`version="2.1"`), which RFC 9110 makes the same value.
  t.match(res.headers['content-type'], /^application\/stix\+json; ?version="?2\.1"?/);
  const bundle = json(res);
  t.same(stixBundleErrors(bundle), [], 'zero schema errors');
  const indicators = bundle.objects.filter((o: { type: string }) => o.type === 'indicator');
  t.equal(indicators.length, items.length, 'one Indicator per indicator');
  t.same(new Set(bundle.objects.filter((o: { type: string }) => o.type === 'marking-definition').map((o: { id: string }) => o.id)),
    new Set(Object.values(TLP_MARKING_IDS)), 'every TLP marking is defined in the bundle');
  const tombstone = indicators.find((o: { id: string }) => o.id === stixIndicatorId(withdrawn));
  t.match(tombstone, { revoked: true, object_marking_refs: [TLP_MARKING_IDS.CLEAR], created_by_ref: stixIdentityId(source.orgId) },
    'the tombstone keeps its marking and its creator');
  t.ok(bundle.objects.some((o: { id: string }) => o.id === stixIdentityId(source.orgId)), 'the source as an Identity');

  const saved = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: agency.auth, payload: { name: 'payments', filters: { types: ['iban', 'payment_account', 'crypto_address'] } } }));
  const savedBundle = json(await app.inject({ method: 'GET', url: `/v1/feeds/${saved.id}/items?format=stix`, headers: agency.auth }));
  t.same(stixBundleErrors(savedBundle), [], 'a saved feed as STIX validates too');
  t.equal(savedBundle.objects.filter((o: { type: string }) => o.type === 'indicator').length, 3);
});

t.test('an empty page is a valid bundle without objects', async (t) => {
  const consumer = await createMember(app, admin, 'intermediary', 'PT');
  const bundle = json(await app.inject({ method: 'GET', url: '/v1/feed?format=stix&types=iban&tlp=RED', headers: consumer.auth }));
  t.same(Object.keys(bundle).sort(), ['id', 'type']);
  t.same(stixBundleErrors(bundle), []);
});

t.test('the schema check itself fails on what STIX forbids', async (t) => {
  const good = { type: 'bundle', id: 'bundle--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d70' };
  t.same(stixBundleErrors(good), []);
  t.not(stixBundleErrors({ ...good, objects: [] }).length, 0, 'an empty objects list');
  t.not(stixBundleErrors({ ...good, id: 'bundle--018f0a2b-3c4d-7e5f-8a6b-7c8d9e0f1a2b' }).length, 0, 'a UUIDv7 identifier');
});
