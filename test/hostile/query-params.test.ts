/**
 * Hostile query strings and path parameters, property-based, on every route of the OpenAPI
 * document: arbitrary values, numbers in every spelling, repeated and unknown parameters, bad
 * percent-encoding, every kind of caller. Never a 5xx; every 4xx is a problem document; nothing
 * is written by a read; a non-decimal integer or an unknown parameter is never accepted.
 * Runs are bounded (numRuns) and reproducible: a failure prints fast-check's seed and path.
 */
import fc from 'fast-check';
import t from 'tap';
import type { OpenAPIV3_1 } from 'openapi-types';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';
import { assertContract, oddString, stored } from '../helpers/hostile.js';

const { app, database } = await createTestApp(t, { LOG_LEVEL: 'silent' });
const admin = await adminToken(app);
const partner = await createMember(app, admin, 'partner', 'GB', { sectors: ['music'] });
const agency = await createMember(app, admin, 'agency', 'FR');
const intermediary = await createMember(app, admin, 'intermediary', 'NL');

const pushed = await app.inject({
  method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: {
    defaults: { tlp: 'CLEAR', pap: 'CLEAR', sector: 'music' },
    items: [
      { type: 'domain', value: 'hostile-query-one.tv' }, { type: 'url', value: 'https://hostile-query-two.tv/live' },
      { type: 'ipv4', value: '185.234.72.19' }, { type: 'crypto_address', platform: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
    ],
  },
});
const indicatorIds = json(pushed).results.map((r: { id: string }) => r.id) as string[];
const savedFeed = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: agency.auth, payload: { name: 'domains', filters: { types: ['domain'] } } })).id as string;
const feedCursor = json(await app.inject({ method: 'GET', url: '/v1/feed?limit=1', headers: agency.auth })).next_cursor as string;

const callers: Record<string, Record<string, string>> = {
  admin: { authorization: `Bearer ${admin}` }, partner: partner.auth, agency: agency.auth,
  intermediary: intermediary.auth, anonymous: {}, 'garbage token': { authorization: 'Bearer not.a.token' },
};
const caller = fc.constantFrom(...Object.keys(callers));
/** TAXII routes answer only who asks for TAXII (406 otherwise): ask, so the parameters are what gets tested. */
const withAccept = (path: string, headers: Record<string, string>) =>
  (path.startsWith('/taxii2/') ? { ...headers, accept: 'application/taxii+json;version=2.1' } : headers);

type Parameter = OpenAPIV3_1.ParameterObject & { schema: Record<string, any> };
interface Operation { method: string; path: string; query: Parameter[]; pathParams: Parameter[] }

/** Every operation in the service's own OpenAPI document (hidden routes are not API). */
const operations: Operation[] = [];
for (const [path, item] of Object.entries((app.swagger() as OpenAPIV3_1.Document).paths ?? {})) {
  for (const method of ['get', 'post', 'patch', 'delete', 'put'] as const) {
    const op = item?.[method];
    if (!op) continue;
    const params = (op.parameters ?? []) as Parameter[];
    const streams = JSON.stringify(op.responses ?? {}).includes('text/event-stream');
    if (!streams) operations.push({ method: method.toUpperCase(), path, query: params.filter((p) => p.in === 'query'), pathParams: params.filter((p) => p.in === 'path') });
  }
}
const reads = operations.filter((o) => o.method === 'GET');
/** Operations by `METHOD /path`, so counterexamples print a route, not a schema. */
const byRoute = new Map(operations.map((o) => [`${o.method} ${o.path}`, o]));
const route = (ops: Operation[]) => fc.constantFrom(...ops.map((o) => `${o.method} ${o.path}`));

/** Values a parameter takes when used rightly, read from its schema. */
function rightValues(p: Parameter): string[] {
  const s = p.schema;
  const enums = [...(s.enum ?? []), ...((s.anyOf ?? []) as Array<{ enum?: string[]; const?: string }>).flatMap((a) => a.enum ?? (a.const ? [a.const] : []))];
  if (enums.length) return enums.map(String);
  if (s.type === 'integer') return [String(s.minimum ?? 0), String(s.maximum ?? 100), '1', '50'];
  if (s.type === 'boolean') return ['true', 'false'];
  const listed = /comma-separated: (.*)$/.exec(String(s.description ?? ''));
  if (listed) { const all = listed[1]!.split(', '); return [all[0]!, all.slice(0, 3).join(','), all.join(',')]; }
  if (p.name === 'cursor') return [feedCursor];
  if (p.name === 'value') return ['hostile-query-one.tv', '185.234.72.19', 'HOSTILE-QUERY-ONE.TV.'];
  if (p.name === 'platform') return ['btc', 'telegram'];
  return ['x'];
}

/** Numbers in every spelling a coercing parser might take for a number. */
const NUMBER_SPELLINGS = ['1e3', '0x10', '-0', ' +1', '+1', '1.0', '1.5', '-1', '0', '010', '1_000', 'Infinity', 'NaN', '99999999999999999999', '1e-3', '0b11', '١٢', ''] as const;
/** Byte sequences no decoder should choke on. */
const RAW_ENCODINGS = ['%', '%Z', '%ZZ', '%00', '%C0%80', '%ED%A0%80', '%FF%FE', '%E2%80%AE', '+', '%2B1', '%20%2B1', '%0D%0Ax-injected:%201'] as const;

/** Percent-encodes every byte of the UTF-8 text (a lone surrogate becomes U+FFFD, as on the wire). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');

/** A value for a parameter: right, a number spelling, hostile text, or raw bytes (not encoded again). */
const valueFor = (p: Parameter | undefined) => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...(p ? rightValues(p) : ['x'])).map(pct) },
  { weight: 2, arbitrary: fc.constantFrom(...NUMBER_SPELLINGS).map(pct) },
  { weight: 2, arbitrary: oddString.filter((s) => s.length < 3000).map(pct) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_ENCODINGS) },
);

/** A query string for `op`: known parameters (some repeated), maybe unknown ones, in any order. */
function queryFor(op: Operation) {
  const known = op.query.length
    ? fc.array(fc.constantFrom(...op.query).chain((p) => fc.tuple(fc.constant(p.name), valueFor(p))), { maxLength: 5 })
    : fc.constant([] as Array<[string, string]>);
  const knownNames = new Set(op.query.map((p) => p.name));
  const unknown = fc.array(fc.tuple(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('limit ', 'LIMIT', 'cursor[]', 'type.x', '__proto__', 'constructor')).filter((n) => !knownNames.has(n)), valueFor(undefined)), { maxLength: 1 });
  return fc.tuple(known, fc.option(unknown, { freq: 3 })).map(([k, u]) => ({ pairs: [...k, ...(u ?? [])], unknown: (u ?? []).map(([n]) => n) }));
}

/** A path for `op`: each parameter a real id or hostile text. */
function pathFor(op: Operation) {
  const real = op.path.includes('/feeds/') ? [savedFeed] : op.path.startsWith('/v1/indicators') ? indicatorIds : [partner.orgId, agency.orgId, partner.clientId];
  const segment = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...real) },
    { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'a%00b', '%00', '..', '%2E%2E', 'x%2Fy', '%ED%A0%80', '%', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '01a2-…') },
    { weight: 2, arbitrary: oddString.filter((s) => s.length > 0 && s.length < 300).map(pct) },
  );
  return fc.array(segment, { minLength: op.pathParams.length, maxLength: op.pathParams.length }).map((values) => {
    let path = op.path;
    op.pathParams.forEach((p, i) => { path = path.replace(`{${p.name}}`, values[i]!); });
    return path;
  });
}

t.test('the OpenAPI document lists the read routes this file walks', async (t) => {
  const paths = reads.map((o) => o.path);
  for (const expected of ['/v1/feed', '/v1/feeds/{id}/items', '/v1/indicators', '/v1/indicators/{id}', '/v1/lookup', '/v1/blocklist', '/v1/orgs']) {
    t.ok(paths.includes(expected), `GET ${expected} is walked`);
  }
});

t.test('every query parameter of every GET route, hostile: never a 5xx, problem documents, strict parsing, no writes', async () => {
  const request = route(reads).chain((name) => fc.record({
    route: fc.constant(name), path: pathFor(byRoute.get(name)!), query: queryFor(byRoute.get(name)!), who: caller,
  }));
  await fc.assert(fc.asyncProperty(request, async ({ route: name, path, query, who }) => {
    const op = byRoute.get(name)!, headers = withAccept(path, callers[who]!);
    const url = `${path}${query.pairs.length ? '?' : ''}${query.pairs.map(([n, v]) => `${pct(n)}=${v}`).join('&')}`;
    const before = await stored(database.db);
    const res = await app.inject({ method: 'GET', url, headers });
    const sent = `GET ${url} as ${who}`;
    assertContract(res, sent);
    const after = await stored(database.db);
    if (after.indicators !== before.indicators || after.changes !== before.changes) throw new Error(`a read wrote: ${sent}`);
    if (res.statusCode >= 400) return;
    if (query.unknown.length && op.path.startsWith('/v1/')) throw new Error(`unknown parameter ${JSON.stringify(query.unknown)} accepted (${res.statusCode}): ${sent}`);
    for (const p of op.query.filter((q) => q.schema.type === 'integer')) {
      const given = query.pairs.filter(([n]) => n === p.name).map(([, v]) => { try { return decodeURIComponent(v); } catch { return v; } });
      const loose = given.find((v) => !/^\d+$/.test(v));
      if (loose !== undefined) throw new Error(`${p.name}=${JSON.stringify(loose)} accepted as an integer (${res.statusCode}): ${sent}`);
    }
  }), {
    numRuns: 400,
    // Always tried first: the spellings a coercing parser is known to take for integers.
    examples: ['1e3', '0x10', '-0', '%20%2B1', '1.0'].flatMap((v) => [
      [{ route: 'GET /v1/feed', path: '/v1/feed', query: { pairs: [['limit', v]], unknown: [] }, who: 'agency' }],
      [{ route: 'GET /v1/feed', path: '/v1/feed', query: { pairs: [['min_confidence', v]], unknown: [] }, who: 'intermediary' }],
    ] as Array<[{ route: string; path: string; query: { pairs: Array<[string, string]>; unknown: string[] }; who: string }]>),
  });
});

t.test('path parameters of every route and method, hostile, with and without credentials: never a 5xx', async () => {
  const withParams = operations.filter((o) => o.pathParams.length);
  const request = route(withParams).chain((name) => fc.record({ route: fc.constant(name), path: pathFor(byRoute.get(name)!), who: caller }));
  await fc.assert(fc.asyncProperty(request, async ({ route: name, path, who }) => {
    const op = byRoute.get(name)!, headers = withAccept(path, callers[who]!);
    const body = ['POST', 'PATCH', 'PUT'].includes(op.method) ? { payload: {} } : {};
    const res = await app.inject({ method: op.method as 'GET', url: path, headers, ...body });
    assertContract(res, `${op.method} ${path} as ${who}`);
  }), {
    numRuns: 150,
    examples: [
      [{ route: 'DELETE /v1/clients/{client_id}', path: '/v1/clients/a%00b', who: 'admin' }],
      [{ route: 'DELETE /v1/clients/{client_id}', path: '/v1/clients/a%00b', who: 'anonymous' }],
      [{ route: 'GET /v1/indicators/{id}', path: '/v1/indicators/%ED%A0%80', who: 'agency' }],
    ],
  });
});

t.test('the token endpoint with hostile credentials (form, JSON, Basic): never a 5xx, problem documents', async () => {
  const credential = fc.oneof(fc.constantFrom(partner.clientId, 'a\u0000', 'a\u0000b', '\uD800', '', ' '), oddString.filter((s) => s.length < 500));
  const request = fc.record({
    id: credential, secret: credential,
    grant: fc.oneof(fc.constant('client_credentials'), oddString.filter((s) => s.length < 100)),
    scope: fc.option(oddString.filter((s) => s.length < 100)),
    style: fc.constantFrom('form', 'json', 'basic'),
  });
  type TokenAttempt = typeof request extends fc.Arbitrary<infer T> ? T : never;
  await fc.assert(fc.asyncProperty(request, async ({ id, secret, grant, scope, style }) => {
    const fields: Record<string, string> = { grant_type: grant, ...(scope !== null ? { scope } : {}) };
    const sent = `${style} ${JSON.stringify({ id, secret, ...fields })}`;
    const res = style === 'json'
      ? await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { ...fields, client_id: id, client_secret: secret } })
      : style === 'form'
        ? await app.inject({ method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: Object.entries({ ...fields, client_id: id, client_secret: secret }).map(([k, v]) => `${k}=${pct(v)}`).join('&') })
        : await app.inject({ method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${pct(id)}:${pct(secret)}`).toString('base64')}` }, payload: Object.entries(fields).map(([k, v]) => `${k}=${pct(v)}`).join('&') });
    assertContract(res, sent);
  }), {
    numRuns: 40,
    examples: (['form', 'json', 'basic'] as const).map((style) => [{ id: 'a\u0000', secret: 'not-the-secret', grant: 'client_credentials', scope: null as string | null, style }] as [TokenAttempt]),
  });
});
