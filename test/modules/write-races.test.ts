/**
 * Concurrent writes lose nothing: PATCH is atomic and honours If-Match (finding 3); an
 * Idempotency-Key is processed once however many copies arrive at once (finding 9).
 * On PostgreSQL the requests really run in parallel (a pool of connections); on PGlite they
 * are serialised by its single connection, and the outcomes must be the same.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);
const source = await createMember(app, admin, 'partner', 'FR');
const agency = await createMember(app, admin, 'agency', 'FR');
const bystander = await createMember(app, admin, 'agency', 'DE');

let n = 0;
const unique = (label: string) => `${label}-${++n}-${process.pid}.com`;

async function pushOne(fields: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [{ type: 'domain', value: unique('race'), tlp: 'CLEAR', ...fields }] } });
  return json(res).results[0].id as string;
}

const patch = (id: string, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'PATCH', url: `/v1/indicators/${id}`, headers: { ...source.auth, ...headers }, payload });

t.test('finding 3: two concurrent PATCHes both land, and a RED change is never undone', async (t) => {
  for (let round = 0; round < 6; round++) {
    const id = await pushOne();
    const [red, typo] = await Promise.all([
      patch(id, { tlp: 'RED', audience: { orgs: [agency.orgId] } }),
      patch(id, { description: 'typo' }),
    ]);
    t.equal(red.statusCode, 200);
    t.equal(typo.statusCode, 200);
    const final = json(await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: source.auth }));
    t.equal(final.tlp, 'RED', `round ${round}: the RED change is kept`);
    t.equal(final.description, 'typo', `round ${round}: the description change is kept`);
    t.equal(final.version, 3, 'two changes, two new versions');
    t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: bystander.auth })).statusCode, 404, 'another agency cannot read it');
  }
});

t.test('finding 3: If-Match makes a PATCH conditional on the version it read', async (t) => {
  const id = await pushOne();
  const read = await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: source.auth });
  t.equal(read.headers.etag, '"1"', 'reads carry the version as ETag');
  const first = await patch(id, { confidence: 70 }, { 'if-match': '"1"' });
  t.equal(first.statusCode, 200);
  t.equal(first.headers.etag, '"2"');
  const stale = await patch(id, { confidence: 10 }, { 'if-match': '"1"' });
  t.equal(stale.statusCode, 412, 'a change based on an old version is refused');
  t.match(stale.headers['content-type'], /application\/problem\+json/);
  t.equal(stale.headers.etag, '"2"', 'the 412 names the current version');
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: source.auth })).confidence, 70, 'the refused change left nothing behind');
  t.equal((await patch(id, { confidence: 11 }, { 'if-match': '"5", "2"' })).statusCode, 200, 'any listed version may match');
  t.equal((await patch(id, { confidence: 12 }, { 'if-match': 'W/"3"' })).statusCode, 412, 'a weak tag never matches (strong comparison)');
  t.equal((await patch(id, { confidence: 13 }, { 'if-match': '*' })).statusCode, 200, '* matches any version');
  const bad = await patch(id, { confidence: 14 }, { 'if-match': 'version-4' });
  t.equal(bad.statusCode, 400);
  t.match(json(bad).errors, [{ path: '/headers/if-match' }]);

  // Two writers that both read version N: exactly one wins.
  const version = json(await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: source.auth })).version;
  const racing = await Promise.all([1, 2].map((i) => patch(id, { description: `writer ${i}` }, { 'if-match': `"${version}"` })));
  t.same(racing.map((r) => r.statusCode).sort(), [200, 412], 'one conditional writer wins, the other learns it lost');
});

t.test('finding 9: the same key and body sent four times at once is processed once', async (t) => {
  const value = unique('idem-same');
  const payload = { items: [{ type: 'domain', value }] };
  const headers = { ...source.auth, 'idempotency-key': `same-${value}` };
  const answers = await Promise.all([1, 2, 3, 4].map(() => app.inject({ method: 'POST', url: '/v1/indicators', headers, payload })));
  t.same(answers.map((a) => a.statusCode), [200, 200, 200, 200]);
  const ids = new Set(answers.map((a) => json(a).results[0].id));
  t.equal(ids.size, 1, 'every copy answers with the same indicator');
  t.same(answers.map((a) => json(a).results[0].status), ['created', 'created', 'created', 'created'], 'the replays are the first response');
  t.equal(answers.filter((a) => a.headers['idempotent-replayed'] === 'true').length, 3, 'three of them are replays');
  const [stored] = await rows<{ indicators: number; changes: number }>(database.db, sql`
    select (select count(*)::int from indicators where value = ${value}) as indicators,
      (select count(*)::int from indicator_changes c join indicators i on i.id = c.indicator_id where i.value = ${value}) as changes`);
  t.same(stored, { indicators: 1, changes: 1 }, 'stored once, logged once');
});

t.test('finding 9: the same key with two bodies at once stores one of them, the other is a 422', async (t) => {
  const [v1, v2] = [unique('idem-a'), unique('idem-b')];
  const headers = { ...source.auth, 'idempotency-key': `two-bodies-${v1}` };
  const answers = await Promise.all([v1, v2].map((value) => app.inject({ method: 'POST', url: '/v1/indicators', headers, payload: { items: [{ type: 'domain', value }] } })));
  t.same(answers.map((a) => a.statusCode).sort(), [200, 422]);
  const refused = answers.find((a) => a.statusCode === 422)!;
  t.match(json(refused), { type: 'urn:isop:problem:idempotency-key-reused' });
  const [stored] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from indicators where value in (${v1}, ${v2})`);
  t.equal(stored!.n, 1, 'only one of the two bodies was stored');
});

t.test('finding 9: an atomic batch refused with 422 is remembered and replayed like any answer', async (t) => {
  const headers = { ...source.auth, 'idempotency-key': `atomic-422-${n}` };
  const bad = await app.inject({ method: 'POST', url: '/v1/indicators?atomic=true', headers, payload: { items: [{ type: 'domain', value: 'localhost' }] } });
  t.equal(bad.statusCode, 422);
  const replay = await app.inject({ method: 'POST', url: '/v1/indicators?atomic=true', headers, payload: { items: [{ type: 'domain', value: 'localhost' }] } });
  t.equal(replay.statusCode, 422);
  t.equal(replay.headers['idempotent-replayed'], 'true');
});
