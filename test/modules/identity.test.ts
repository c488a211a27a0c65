import t from 'tap';
import { createHmac, createPrivateKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { buildApp } from '../../src/app.js';
import { loadKeyRing } from '../../src/modules/identity/keys.js';
import { runAdmin } from '../../src/cli/admin.js';
import { signingKeys } from '../../src/db/schema.js';
import { adminToken, BOOTSTRAP_ID, BOOTSTRAP_SECRET, createMember, createTestApp, json, tokenFor } from '../helpers/app.js';

const { app, database, config, logs } = await createTestApp(t);
const admin = await adminToken(app);
const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['film_tv'] });
const agency = await createMember(app, admin, 'agency', 'DE');

const b64url = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());

function es256(header: object, payload: object, key: KeyObject): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

const get = (token: string, url = '/v1/orgs') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

t.test('token: the three request styles', async (t) => {
  const form = await app.inject({
    method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: `grant_type=client_credentials&client_id=${partner.clientId}&client_secret=${encodeURIComponent(partner.secret)}`,
  });
  t.equal(form.statusCode, 200, form.body);
  const basic = await app.inject({
    method: 'POST', url: '/v1/auth/token',
    headers: { authorization: `Basic ${Buffer.from(`${partner.clientId}:${partner.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  });
  t.equal(basic.statusCode, 200, basic.body);
  const body = await app.inject({
    method: 'POST', url: '/v1/auth/token',
    payload: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.secret },
  });
  t.equal(body.statusCode, 200, body.body);
  for (const res of [form, basic, body]) {
    const token = json(res);
    t.equal(token.token_type, 'Bearer');
    t.equal(token.expires_in, config.tokenTtlSeconds);
    t.equal(token.scope, 'indicators:write indicators:read outcomes:read');
    t.equal(res.headers['cache-control'], 'no-store');
    const claims = claimsOf(token.access_token);
    t.equal(claims.sub, partner.clientId);
    t.equal(claims.org, partner.orgId);
    t.equal(claims.org_kind, 'partner');
    t.ok(claims.jti && claims.iat && claims.exp > claims.iat);
    t.equal(headerOf(token.access_token).alg, 'ES256');
    t.equal(headerOf(token.access_token).kid, app.keyRing.signing.kid);
  }
});

t.test('token: bad credentials are 401, scopes are a subset', async (t) => {
  const wrong = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: 'wrong-secret' } });
  t.equal(wrong.statusCode, 401);
  t.equal(wrong.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.equal(json(wrong).error, 'invalid_client');
  const unknown = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: 'nobody', client_secret: 'x' } });
  t.equal(unknown.statusCode, 401);
  const missing = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials' } });
  t.equal(missing.statusCode, 401);
  const badGrant = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'password', client_id: partner.clientId, client_secret: partner.secret } });
  t.equal(badGrant.statusCode, 400);

  const narrowed = await tokenFor(app, partner.clientId, partner.secret, 'indicators:read');
  t.equal(claimsOf(narrowed).scope, 'indicators:read');
  const widened = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: partner.clientId, client_secret: partner.secret, scope: 'admin' } });
  t.equal(widened.statusCode, 400);
  t.equal(json(widened).error, 'invalid_scope');
});

t.test('jwks publishes the verification key', async (t) => {
  const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  t.equal(res.statusCode, 200);
  const [key] = json(res).keys;
  t.match(key, { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: app.keyRing.signing.kid });
  t.notOk(key.d, 'no private part');
});

t.test('forged and expired tokens are 401', async (t) => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: partner.clientId, org: partner.orgId, org_kind: 'partner', scope: 'indicators:read', jti: 'j', iss: 'isop-exchange', iat: now, exp: now + 600 };
  const kid = app.keyRing.signing.kid;
  const [row] = await database.db.select().from(signingKeys);
  const realKey = createPrivateKey(row!.privateKeyPem);

  t.equal((await get(es256({ alg: 'ES256', typ: 'JWT', kid }, claims, realKey))).statusCode, 200, 'control: a well-formed token works');

  const none = `${b64url({ alg: 'none', typ: 'JWT', kid })}.${b64url(claims)}.`;
  t.equal((await get(none)).statusCode, 401, 'alg none');

  const hsInput = `${b64url({ alg: 'HS256', typ: 'JWT', kid })}.${b64url(claims)}`;
  const hs = `${hsInput}.${createHmac('sha256', app.keyRing.signing.publicPem).update(hsInput).digest('base64url')}`;
  t.equal((await get(hs)).statusCode, 401, 'HS256 keyed with the public key');

  const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  t.equal((await get(es256({ alg: 'ES256', typ: 'JWT', kid }, claims, foreign))).statusCode, 401, 'foreign key, our kid');
  t.equal((await get(es256({ alg: 'ES256', typ: 'JWT', kid: 'other' }, claims, foreign))).statusCode, 401, 'foreign key, unknown kid');

  const valid = await tokenFor(app, partner.clientId, partner.secret);
  const [h, , s] = valid.split('.');
  const tampered = `${h}.${b64url({ ...claimsOf(valid), scope: 'indicators:read admin' })}.${s}`;
  t.equal((await get(tampered)).statusCode, 401, 'tampered payload');

  const expired = es256({ alg: 'ES256', typ: 'JWT', kid }, { ...claims, iat: now - 1000, exp: now - 10 }, realKey);
  t.equal((await get(expired)).statusCode, 401, 'past exp');

  t.equal((await get('not-a-jwt')).statusCode, 401, 'garbage');
  const noHeader = await app.inject({ method: 'GET', url: '/v1/orgs' });
  t.equal(noHeader.statusCode, 401);
  t.match(noHeader.headers['www-authenticate'], /^Bearer/);
});

t.test('a missing scope is 403', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/v1/orgs', headers: agency.auth, payload: { name: 'x', kind: 'agency', country: 'FR' } });
  t.equal(res.statusCode, 403);
  t.match(json(res), { status: 403, type: 'urn:isop:problem:insufficient-scope' });
  const narrowed = await tokenFor(app, partner.clientId, partner.secret, 'indicators:read');
  const ok = await get(narrowed);
  t.equal(ok.statusCode, 200, 'directory needs only authentication');
});

t.test('organisation directory and admin validation', async (t) => {
  const dir = json(await get(agency.token));
  const entry = dir.items.find((o: { id: string }) => o.id === partner.orgId);
  t.same(Object.keys(entry).sort(), ['country', 'id', 'kind', 'name']);
  t.equal(dir.next_cursor, null);

  const badCountry = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'Nowhere', kind: 'agency', country: 'QQ' } });
  t.equal(badCountry.statusCode, 400);
  t.same(json(badCountry).errors, [{ path: '/body/country', message: 'unknown country code' }]);
  const userAssigned = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'Nowhere 2', kind: 'agency', country: 'ZZ' } });
  t.equal(userAssigned.statusCode, 400, 'user-assigned codes are not countries');
  const dup = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'dup org', kind: 'agency', country: 'FR' } });
  t.equal(dup.statusCode, 201);
  const dup2 = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { authorization: `Bearer ${admin}` }, payload: { name: 'DUP org', kind: 'agency', country: 'FR' } });
  t.equal(dup2.statusCode, 409);
  const adminScope = await app.inject({ method: 'POST', url: `/v1/orgs/${partner.orgId}/clients`, headers: { authorization: `Bearer ${admin}` }, payload: { name: 'sneaky', scopes: ['admin'] } });
  t.equal(adminScope.statusCode, 400);
  const noOrg = await app.inject({ method: 'POST', url: `/v1/orgs/00000000-0000-7000-8000-000000000000/clients`, headers: { authorization: `Bearer ${admin}` }, payload: { name: 'x' } });
  t.equal(noOrg.statusCode, 404);
});

t.test('sharing groups: admins manage, members see their own', async (t) => {
  const other = await createMember(app, admin, 'agency', 'ES');
  const auth = { authorization: `Bearer ${admin}` };
  const created = await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: auth, payload: { name: 'sports-ops', members: [partner.orgId, agency.orgId] } });
  t.equal(created.statusCode, 201, created.body);
  const group = json(created);
  t.same([...group.members].sort(), [partner.orgId, agency.orgId].sort());

  const seenByAgency = json(await get(agency.token, '/v1/sharing-groups')).items;
  t.same(seenByAgency.map((g: { id: string }) => g.id), [group.id]);
  t.same(json(await get(other.token, '/v1/sharing-groups')).items, [], 'non-members see nothing');

  const patched = await app.inject({ method: 'PATCH', url: `/v1/sharing-groups/${group.id}`, headers: auth, payload: { members: [other.orgId] } });
  t.equal(patched.statusCode, 200);
  t.same(json(patched).members, [other.orgId]);
  t.same(json(await get(agency.token, '/v1/sharing-groups')).items, []);

  const unknownMember = await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: auth, payload: { name: 'x', members: ['00000000-0000-7000-8000-000000000000'] } });
  t.equal(unknownMember.statusCode, 400);
  const missing = await app.inject({ method: 'PATCH', url: '/v1/sharing-groups/00000000-0000-7000-8000-000000000000', headers: auth, payload: { name: 'y' } });
  t.equal(missing.statusCode, 404);
  const forbidden = await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: agency.auth, payload: { name: 'x', members: [] } });
  t.equal(forbidden.statusCode, 403);
});

t.test('a revoked client is refused at once here and within the cache lifetime on another node', async (t) => {
  const victim = await createMember(app, admin, 'intermediary', 'NL');
  // A second node over the same database, with a 1-second revocation cache.
  const keyRing = await loadKeyRing(database.db, []);
  const other = await buildApp({ config: { ...config, revocationCacheSeconds: 1 }, database, keyRing, warninglists: app.warninglists, cursorKey: Buffer.alloc(32), logger: false });
  t.teardown(() => other.close());
  const onOther = () => other.inject({ method: 'GET', url: '/v1/orgs', headers: victim.auth });
  t.equal((await onOther()).statusCode, 200, 'works before revocation (and is now cached on the other node)');

  const del = await app.inject({ method: 'DELETE', url: `/v1/clients/${victim.clientId}`, headers: { authorization: `Bearer ${admin}` } });
  t.equal(del.statusCode, 204);
  t.equal((await get(victim.token)).statusCode, 401, 'this node refuses at once');
  const again = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: victim.clientId, client_secret: victim.secret } });
  t.equal(again.statusCode, 401, 'no new tokens');
  await new Promise((r) => setTimeout(r, 1100));
  t.equal((await onOther()).statusCode, 401, 'the other node refuses after its cache lifetime');
  const twice = await app.inject({ method: 'DELETE', url: `/v1/clients/${victim.clientId}`, headers: { authorization: `Bearer ${admin}` } });
  t.equal(twice.statusCode, 404);
});

t.test('signing keys rotate: a new key is accepted everywhere at once, a retired one is refused', async (t) => {
  const oldKid = app.keyRing.signing.kid;
  const oldToken = await tokenFor(app, partner.clientId, partner.secret);
  const cli = (args: string[]) => runAdmin(args, { out: () => {}, err: () => {} }, database);
  t.equal(await cli(['rotate-signing-key']), 0);
  // A node started after the rotation signs with the new key...
  const restarted = await buildApp({ config, database, keyRing: await loadKeyRing(database.db, []), warninglists: app.warninglists, cursorKey: Buffer.alloc(32), logger: false });
  t.teardown(() => restarted.close());
  const newToken = await tokenFor(restarted, partner.clientId, partner.secret);
  const newKid = headerOf(newToken).kid;
  t.not(newKid, oldKid, 'the new key signs');
  // ...and an older node accepts it at once, while the old key keeps working on the new node.
  t.equal((await get(newToken)).statusCode, 200, 'old node accepts the new key');
  t.equal((await restarted.inject({ method: 'GET', url: '/v1/orgs', headers: { authorization: `Bearer ${oldToken}` } })).statusCode, 200, 'new node accepts the old key');
  t.equal(json(await restarted.inject({ method: 'GET', url: '/.well-known/jwks.json' })).keys.length, 2, 'both keys published');

  t.equal(await cli(['retire-signing-key', '--kid', oldKid]), 0);
  t.equal(await cli(['retire-signing-key', '--kid', newKid]), 1, 'the last key is never retired');
  const later = await buildApp({ config, database, keyRing: await loadKeyRing(database.db, []), warninglists: app.warninglists, cursorKey: Buffer.alloc(32), logger: false });
  t.teardown(() => later.close());
  t.equal((await later.inject({ method: 'GET', url: '/v1/orgs', headers: { authorization: `Bearer ${oldToken}` } })).statusCode, 401, 'the retired key is refused');
  t.equal((await later.inject({ method: 'GET', url: '/v1/orgs', headers: { authorization: `Bearer ${newToken}` } })).statusCode, 200);
});

t.test('a node that has just started accepts a key another node began signing with, even right after made-up kids', async (t) => {
  const build = async () => {
    const node = await buildApp({ config, database, keyRing: await loadKeyRing(database.db, []), warninglists: app.warninglists, cursorKey: Buffer.alloc(32), logger: false });
    t.teardown(() => node.close());
    return node;
  };
  const started = await build(); // knows only the keys of before the rotation
  t.equal(await runAdmin(['rotate-signing-key'], { out: () => {}, err: () => {} }, database), 0);
  const signer = await build(); // started after the rotation: signs with the new key
  const token = await tokenFor(signer, partner.clientId, partner.secret);
  t.notOk(started.keyRing.byKid.has(headerOf(token).kid), 'the running node does not know the new key yet');

  const unknownKid = (kid: string) => es256({ alg: 'ES256', typ: 'JWT', kid }, { sub: partner.clientId, org: partner.orgId, iss: 'isop-exchange', exp: Math.floor(Date.now() / 1000) + 60, jti: kid }, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
  const storm = await Promise.all(Array.from({ length: 20 }, (_, i) => started.inject({ method: 'GET', url: '/v1/orgs', headers: { authorization: `Bearer ${unknownKid(`made-up-${i}`)}` } })));
  t.same([...new Set(storm.map((r) => r.statusCode))], [401], 'made-up kids are refused');
  const accepted = await started.inject({ method: 'GET', url: '/v1/orgs', headers: { authorization: `Bearer ${token}` } });
  t.equal(accepted.statusCode, 200, 'the new key is accepted at once after the start, and after the storm');
});

t.test('problem+json for bad requests', async (t) => {
  const auth = { authorization: `Bearer ${admin}` };
  const unknownRoute = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
  t.equal(unknownRoute.statusCode, 404);
  t.match(unknownRoute.headers['content-type'], /^application\/problem\+json/);
  t.match(json(unknownRoute), { type: 'urn:isop:problem:not-found', title: 'Not Found', status: 404 });

  const wrongMethod = await app.inject({ method: 'PUT', url: '/v1/orgs', headers: auth });
  t.equal(wrongMethod.statusCode, 405);
  t.match(wrongMethod.headers.allow, /GET/);

  const malformed = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name": ' });
  t.equal(malformed.statusCode, 400);
  t.match(json(malformed), { status: 400, detail: /not valid JSON/ });

  const unknownProperty = await app.inject({ method: 'POST', url: '/v1/orgs', headers: auth, payload: { name: 'x', kind: 'agency', country: 'FR', colour: 'red' } });
  t.equal(unknownProperty.statusCode, 400);
  t.same(json(unknownProperty).errors, [{ path: '/body/colour', message: 'is not a known property' }]);

  const unknownQuery = await app.inject({ method: 'GET', url: '/v1/orgs?limt=5', headers: auth });
  t.equal(unknownQuery.statusCode, 400, 'a route without parameters refuses unknown ones');
  t.same(json(unknownQuery).errors, [{ path: '/query/limt', message: 'is not a known property' }]);

  const badEnum = await app.inject({ method: 'POST', url: '/v1/orgs', headers: auth, payload: { name: 'x', kind: 'pirate', country: 'FR' } });
  t.equal(badEnum.statusCode, 400);
  t.ok(json(badEnum).errors.some((e: { path: string }) => e.path === '/body/kind'));

  const wrongType = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { ...auth, 'content-type': 'text/plain' }, payload: 'hello' });
  t.equal(wrongType.statusCode, 415);
  const form = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'name=x' });
  t.equal(form.statusCode, 415, 'forms only where the route accepts them');

  const huge = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
  t.equal(huge.statusCode, 413);
  t.match(huge.headers['content-type'], /^application\/problem\+json/);

  t.ok(unknownRoute.headers['x-request-id'], 'a request id is always given');
  const traced = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
  t.equal(traced.headers['x-request-id'], 'trace-123', 'a caller\'s request id is kept');
  const hostile = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'x y'.repeat(100) } });
  t.not(hostile.headers['x-request-id'], 'x y'.repeat(100), 'an odd one is replaced');
});

t.test('rate limits answer 429 with Retry-After', async (t) => {
  const limited = await createTestApp(t, { RATE_LIMIT_MAX: '2', TOKEN_RATE_LIMIT_MAX: '100' });
  const token = await adminToken(limited.app);
  const call = () => limited.app.inject({ method: 'GET', url: '/v1/orgs', headers: { authorization: `Bearer ${token}` } });
  t.equal((await call()).statusCode, 200);
  t.equal((await call()).statusCode, 200);
  const third = await call();
  t.equal(third.statusCode, 429);
  t.ok(Number(third.headers['retry-after']) > 0);
  t.match(json(third), { status: 429, type: 'urn:isop:problem:too-many-requests' });
});

t.test('operations endpoints', async (t) => {
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401, 'metrics are not for everyone');
  const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${admin}` } });
  t.equal(metrics.statusCode, 200);
  t.match(metrics.body, /http_request_duration_seconds_bucket\{[^}]*route="\/v1\/orgs"/);
  t.match(metrics.body, /http_requests_total\{method="GET",route="\/v1\/orgs",status_code="200"\}/);
  const docs = await app.inject({ method: 'GET', url: '/docs/' });
  t.equal(docs.statusCode, 200);
});

t.test('readyz is 503 when the database is gone', async (t) => {
  const doomed = await createTestApp(t);
  await doomed.database.close();
  const res = await doomed.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(res.statusCode, 503);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
});

t.test('secrets never reach the logs', async (t) => {
  const basic = Buffer.from(`${partner.clientId}:${partner.secret}`).toString('base64');
  await app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: `Basic ${basic}` }, payload: { grant_type: 'client_credentials' } });
  const token = await tokenFor(app, partner.clientId, partner.secret);
  await get(token);
  await app.inject({ method: 'POST', url: `/v1/orgs/${partner.orgId}/clients`, headers: { authorization: `Bearer ${admin}` }, payload: { name: 'second' } });
  const all = logs.join('');
  t.ok(all.includes('incoming request'), 'requests were logged');
  t.ok(all.includes('[redacted]'), 'authorization headers were logged masked');
  for (const secret of [partner.secret, BOOTSTRAP_SECRET, token, basic, admin]) {
    t.notOk(all.includes(secret), 'no secret or token in the logs');
  }
});
