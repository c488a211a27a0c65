/**
 * The shared feed page cache: two clients of one organisation asking the same page get the same
 * bytes (the second from the cache, still audited), ETag/If-None-Match answer 304, a change of an
 * indicator on the page ends the entry, and another organisation — even of the same kind and
 * country — never gets a page built for someone else.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { adminToken, createMember, createTestApp, json, pushItems, tokenFor } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const db = database.db;
const admin = await adminToken(app);
const source = await createMember(app, admin, 'partner', 'FR', { scopes: ['indicators:write', 'indicators:read', 'feed:read'] });
const agency = await createMember(app, admin, 'agency', 'FR');
// A second client of the same organisation.
const second = json(await app.inject({ method: 'POST', url: `/v1/orgs/${agency.orgId}/clients`, headers: { authorization: `Bearer ${admin}` }, payload: { name: 'second' } }));
const secondAuth = { authorization: `Bearer ${await tokenFor(app, second.client_id, second.client_secret)}` };
// Same kind and country, another organisation, and the source excludes it.
const excluded = await createMember(app, admin, 'agency', 'FR');

const items = Array.from({ length: 6 }, (_, k) => ({ type: 'domain', value: `cache-${k}.com`, exclude: { orgs: [excluded.orgId] } }));
const pushed = await pushItems(app, source, items);
const page = (auth: Record<string, string>, extra: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: '/v1/feed?limit=3', headers: { ...auth, ...extra } });
const deliveries = async (clientId: string) =>
  (await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log where action = 'delivery' and actor = ${clientId} and path = 'feed:json'`))[0]!.n;

t.test('same organisation: one build, the same bytes, audited for each client; ETag and 304', async (t) => {
  const a = await page(agency.auth);
  t.equal(a.statusCode, 200);
  t.equal(json(a).has_more, true, 'a full page');
  t.notOk(a.headers['x-feed-cache'], 'built');
  const b = await page(secondAuth);
  t.equal(b.headers['x-feed-cache'], 'hit', 'the other client of the organisation is served the cached page');
  t.equal(b.body, a.body, 'byte-identical');
  t.equal(b.headers.etag, a.headers.etag);
  t.equal(b.headers['x-next-cursor'], a.headers['x-next-cursor']);
  t.equal(await deliveries(agency.clientId), 1, 'delivery audited for the first client');
  t.equal(await deliveries(second.client_id), 1, 'and for the second, served from the cache');

  const again = await page(agency.auth, { 'if-none-match': a.headers.etag as string });
  t.equal(again.statusCode, 304, 'unchanged: 304');
  t.equal(again.body, '');
  t.equal((await page(agency.auth, { 'if-none-match': '"something-else"' })).statusCode, 200);
});

t.test('another organisation the rule treats differently never gets the cached page', async (t) => {
  const a = await page(agency.auth);
  t.equal(a.headers['x-feed-cache'], 'hit');
  const other = await page(excluded.auth);
  t.equal(other.statusCode, 200);
  t.notOk(other.headers['x-feed-cache'], 'built for itself');
  const ids = (json(other).items as Array<{ id: string }>).map((i) => i.id);
  t.notOk(ids.some((id) => pushed.some((p) => p.id === id)), 'none of the indicators it is excluded from');
  t.not(other.body, a.body);
});

t.test('a change of an indicator on the page ends its entry', async (t) => {
  const before = json(await page(agency.auth));
  const first = before.items[0] as { id: string; description: string | null };
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/indicators/${first.id}`, headers: source.auth, payload: { description: 'now changed' } })).statusCode, 200);
  const after = await page(secondAuth);
  t.notOk(after.headers['x-feed-cache'], 'rebuilt');
  t.equal((json(after).items as Array<{ id: string; description: string }>).find((i) => i.id === first.id)?.description, 'now changed');
});

t.test('the source sees its own view and its pages are not cached', async (t) => {
  const own = await app.inject({ method: 'GET', url: '/v1/feed?limit=3', headers: source.auth });
  t.equal(own.statusCode, 200);
  t.ok((json(own).items as Array<Record<string, unknown>>).every((i) => 'audience' in i), 'the source view');
  const again = await app.inject({ method: 'GET', url: '/v1/feed?limit=3', headers: source.auth });
  t.notOk(again.headers['x-feed-cache']);
});
