/**
 * Who may call what: every route the app registers × every organisation kind × scope sets,
 * against an access table written out from the contract. A route without a row fails the
 * walk, so a new route cannot slip in unexamined; a /v1 route that declares no access stops
 * the app at start.
 */
import t from 'tap';
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';
import auth, { type ScopeName } from '../../src/plugins/auth.js';
import { adminToken, createMember, createTestApp, json, tokenFor } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);

type Access = 'public' | 'authenticated' | readonly ScopeName[];

/** The contract's access rules (§1–§4), one row per registered route; HEAD uses its GET row. */
const ACCESS: Record<string, Access> = {
  // Operations and documentation.
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /metrics': ['admin'], // or the METRICS_TOKEN secret: test/plugins/operations.test.ts
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'HEAD /docs/': 'public',
  'GET /docs/json': 'public',
  'GET /docs/yaml': 'public',
  'GET /docs/static/*': 'public',
  'GET /docs/static/index.html': 'public',
  'GET /docs/static/swagger-initializer.js': 'public',
  // §2 identity.
  'GET /.well-known/jwks.json': 'public',
  'POST /v1/auth/token': 'public',
  'POST /v1/orgs': ['admin'],
  'GET /v1/orgs': 'authenticated',
  'POST /v1/orgs/:id/clients': ['admin'],
  'DELETE /v1/clients/:client_id': ['admin'],
  'POST /v1/sharing-groups': ['admin'],
  'PATCH /v1/sharing-groups/:id': ['admin'],
  'GET /v1/sharing-groups': 'authenticated',
  // §3 indicators and warninglists.
  'POST /v1/indicators': ['indicators:write'],
  'GET /v1/indicators/:id': ['indicators:read'],
  'GET /v1/indicators': ['indicators:read'],
  'PATCH /v1/indicators/:id': ['indicators:write'],
  'DELETE /v1/indicators/:id': ['indicators:write', 'admin'],
  'POST /v1/indicators/extend': ['indicators:write'],
  'GET /v1/lookup': ['indicators:read'],
  'GET /v1/warninglists': 'authenticated',
  'POST /v1/warninglists/:name/entries': ['admin'],
  // §4 feeds.
  'GET /v1/feed': ['feed:read'],
  'POST /v1/feeds': ['feed:read'],
  'GET /v1/feeds': ['feed:read'],
  'GET /v1/feeds/:id/items': ['feed:read'],
  'GET /v1/blocklist': ['feed:read'],
  'GET /v1/feed/stream': ['feed:read'],
  // §4 resolver zones (intermediaries' RPZ over DNS).
  'POST /v1/clients/:client_id/tsig-key': ['admin'],
  'GET /v1/dns-zone': ['feed:read'],
  'GET /v1/clients/:client_id/dns-zone': ['admin'],
  'PATCH /v1/clients/:client_id/dns-zone': ['admin'],
  // §5 outcomes: outcomes:write reports (indicators:write lets the source confirm a disputed indicator).
  'POST /v1/indicators/:id/outcomes': ['outcomes:write', 'indicators:write'],
  'GET /v1/indicators/:id/outcomes': ['outcomes:read', 'outcomes:write'],
  'GET /v1/outcomes': ['outcomes:read'],
  // §6 analysis.
  'GET /v1/indicators/:id/related': ['indicators:read'],
  'GET /v1/indicators/:id/network': ['indicators:read'],
  'GET /v1/stats': ['admin'],
  'GET /v1/stats/me': 'authenticated',
  // §4 TAXII 2.1 (bearer tokens or HTTP Basic; a collection's own rules inside: test/modules/taxii.test.ts).
  'GET /taxii2/': 'authenticated',
  'GET /taxii2/api/': 'authenticated',
  'GET /taxii2/api/status/:statusId/': ['indicators:write'],
  'GET /taxii2/api/collections/': 'authenticated',
  'GET /taxii2/api/collections/:collectionId/': 'authenticated',
  'GET /taxii2/api/collections/:collectionId/manifest/': ['feed:read'],
  'GET /taxii2/api/collections/:collectionId/objects/': ['feed:read'],
  'POST /taxii2/api/collections/:collectionId/objects/': ['indicators:write'],
  'GET /taxii2/api/collections/:collectionId/objects/:objectId/': ['feed:read'],
  'GET /taxii2/api/collections/:collectionId/objects/:objectId/versions/': ['feed:read'],
  // §7 audit (the secretariat only).
  'GET /v1/audit': ['admin'],
  'GET /v1/audit/verify': ['admin'],
};

/**
 * Routes that answer an authorised caller with an endless stream (Server-Sent Events): the walk
 * takes the head of the answer (status, headers) and lets the stream go; a refusal is read whole.
 */
const STREAMING = new Set(['GET /v1/feed/stream']);
async function call(target: { method: 'GET'; url: string }, route: string, headers: Record<string, string> = {}) {
  if (!STREAMING.has(route)) return app.inject({ ...target, headers });
  const abort = new AbortController();
  const res = await app.inject({ ...target, headers, payloadAsStream: true, signal: abort.signal });
  if (res.statusCode === 200) {
    abort.abort();
    return { statusCode: res.statusCode, headers: res.headers, body: '' } as unknown as typeof res;
  }
  let body = '';
  for await (const chunk of res.stream()) body += String(chunk);
  return { statusCode: res.statusCode, headers: res.headers, body } as unknown as typeof res;
}

const rowOf = (method: string, url: string): Access | undefined =>
  ACCESS[`${method} ${url}`] ?? (method === 'HEAD' ? ACCESS[`GET ${url}`] : undefined);

/** A concrete URL for a route pattern: parameters that name nothing. */
const concrete = (url: string) => url
  .replace(':client_id', 'no-such-client').replace(':name', 'no-such-list').replace(/:[a-z_]+/g, randomUUID()).replace('*', 'no-such-file');

const ALL_SCOPES: ScopeName[] = ['indicators:write', 'indicators:read', 'outcomes:read', 'outcomes:write', 'feed:read', 'admin'];
const KINDS = ['partner', 'agency', 'intermediary', 'secretariat'] as const;

interface TokenCase { label: string; token: string; scopes: ReadonlySet<string> }

/** Per kind: its default token, a token with each single scope it may hold, and a token with none. */
async function tokensFor(kind: (typeof KINDS)[number]): Promise<TokenCase[]> {
  const member = await createMember(app, admin, kind, 'FR', kind === 'partner' ? { sectors: ['film_tv'] } : {});
  const defaults = json(await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: member.clientId, client_secret: member.secret } }));
  const mayHold = ALL_SCOPES.filter((s) => s !== 'admin' || kind === 'secretariat');
  const wide = json(await app.inject({
    method: 'POST', url: `/v1/orgs/${member.orgId}/clients`, headers: { authorization: `Bearer ${admin}` },
    payload: { name: 'every scope', scopes: mayHold },
  }));
  const cases: TokenCase[] = [{ label: `${kind} default (${defaults.scope})`, token: defaults.access_token, scopes: new Set(defaults.scope.split(' ')) }];
  for (const scope of mayHold) {
    cases.push({ label: `${kind} ${scope} only`, token: await tokenFor(app, wide.client_id, wide.client_secret, scope), scopes: new Set([scope]) });
  }
  // The token endpoint never issues a token without scopes; one signed by the service itself still must open nothing scoped.
  const bare = app.jwt.sign({ sub: member.clientId, org: member.orgId, org_kind: kind, scope: '', jti: randomUUID() });
  cases.push({ label: `${kind} no scopes`, token: bare, scopes: new Set() });
  return cases;
}

/** A missing scope, as problem+json or (under /taxii2/) as a TAXII error message. */
const refusesScope = (body: { type?: string; error_code?: string }) =>
  body.type === 'urn:isop:problem:insufficient-scope' || body.error_code === 'insufficient-scope';

const allows = (access: Access, scopes: ReadonlySet<string>) =>
  access === 'public' || access === 'authenticated' || access.some((scope) => scopes.has(scope));

t.test('every registered route has a row in the access table, and every row a route', async (t) => {
  const missing = app.routeAccess.filter((r) => rowOf(r.method, r.url) === undefined).map((r) => `${r.method} ${r.url}`);
  t.same(missing, [], 'routes without a row: add them to ACCESS with the access the contract gives them');
  const registered = new Set(app.routeAccess.map((r) => `${r.method} ${r.url}`));
  t.same(Object.keys(ACCESS).filter((row) => !registered.has(row)), [], 'rows without a route');
  const undeclared = app.routeAccess.filter((r) => r.url.startsWith('/v1/') && r.access === undefined);
  t.same(undeclared, [], 'every /v1 route declares its access');
});

t.test('every route × every kind × scope sets answers as the table says', async (t) => {
  const tokens = (await Promise.all(KINDS.map(tokensFor))).flat();
  const failures: string[] = [];
  for (const { method, url } of app.routeAccess) {
    const access = rowOf(method, url);
    if (!access) continue; // reported by the test above
    const target = { method: method as 'GET', url: concrete(url) };

    const anonymous = await call(target, `${method} ${url}`);
    const bearerChallenge = (res: typeof anonymous) => res.statusCode === 401 && /^Bearer/.test(String(res.headers['www-authenticate']));
    if (access === 'public') {
      if (bearerChallenge(anonymous) || anonymous.statusCode === 403) failures.push(`${method} ${url} without a token: ${anonymous.statusCode}, expected it open`);
    } else if (!bearerChallenge(anonymous)) {
      failures.push(`${method} ${url} without a token: ${anonymous.statusCode}, expected 401 with a Bearer challenge`);
    }

    for (const { label, token, scopes } of tokens) {
      const res = await call(target, `${method} ${url}`, { authorization: `Bearer ${token}` });
      if (allows(access, scopes)) {
        if (bearerChallenge(res) || res.statusCode === 403) failures.push(`${method} ${url} as ${label}: ${res.statusCode}, expected neither 401 nor 403`);
      } else if (res.statusCode !== 403 || (method !== 'HEAD' && !refusesScope(json(res)))) {
        failures.push(`${method} ${url} as ${label}: ${res.statusCode}, expected 403 insufficient-scope`);
      }
    }
  }
  t.same(failures, [], `${app.routeAccess.length} routes × ${tokens.length} tokens and none`);
});

t.test('withdrawing needs indicators:write (or admin): a read-only client of the source gets 403', async (t) => {
  const partner = await createMember(app, admin, 'partner', 'GB', { sectors: ['film_tv'] });
  const pushed = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { items: [{ type: 'domain', value: 'withdraw-scope-check.com' }] } }));
  t.equal(pushed.results[0].status, 'created');
  const id = pushed.results[0].id as string;
  const readOnly = await tokenFor(app, partner.clientId, partner.secret, 'indicators:read');

  const refused = await app.inject({ method: 'DELETE', url: `/v1/indicators/${id}`, headers: { authorization: `Bearer ${readOnly}` } });
  t.equal(refused.statusCode, 403);
  t.match(json(refused), { type: 'urn:isop:problem:insufficient-scope', detail: /indicators:write/ });
  t.equal(json(await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: partner.auth })).status, 'active', 'still active');

  const withdrawn = await app.inject({ method: 'DELETE', url: `/v1/indicators/${id}`, headers: partner.auth });
  t.equal(withdrawn.statusCode, 200, 'the source with indicators:write may');
  t.equal(json(withdrawn).status, 'withdrawn');
});

t.test('a /v1 route that declares no access stops the app at start', async (t) => {
  const build = async (declare: (instance: ReturnType<typeof Fastify>) => void) => {
    const probe = Fastify();
    await probe.register(auth, { db: database.db, keyRing: app.keyRing, tokenTtlSeconds: 900, revocationCacheSeconds: 0 });
    await probe.register(async (child) => declare(child as never));
    t.teardown(() => probe.close());
    return probe.ready();
  };
  await t.rejects(build((c) => c.get('/v1/forgotten', async () => 'open')), /GET \/v1\/forgotten declares no access/);
  await t.resolves(build((c) => c.get('/v1/open', { config: { public: true } }, async () => 'open')), 'public when declared');
  await t.resolves(build((c) => c.get('/v1/scoped', { onRequest: c.authorize(['feed:read', 'admin']) }, async () => 'x')));
  await t.resolves(build((c) => c.get('/elsewhere', async () => 'x')), 'outside /v1 (health, docs) nothing is required');
  t.throws(() => (app.authorize as (access?: unknown) => unknown)(), /needs the access/, 'authorize() without access is a mistake');
  t.throws(() => app.authorize([]), /needs the access/);
});
