/**
 * The edges of HTTP: requests refused before any route (by Node's parser, by the router) and
 * input that ajv and the parsers let through. Every answer is problem+json; nothing reaches a
 * handler or the database. What inject() cannot send goes over a real socket.
 */
import t, { type Test } from 'tap';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const { app } = await createTestApp(t);
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
const agency = await createMember(app, admin, 'agency', 'FR');
await app.listen({ host: '127.0.0.1', port: 0 });
const { port } = app.server.address() as AddressInfo;

/** Sends raw bytes and reads the whole answer (the server closes the connection or answers once). */
function raw(request: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (err) => (chunks.length ? undefined : reject(err)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

interface Answer { status: number; headers: Record<string, unknown>; body: string }
const injected = (res: { statusCode: number; headers: Record<string, unknown>; body: string }): Answer => ({ status: res.statusCode, headers: res.headers, body: res.body });

const isProblem = (t: Test, res: Answer, status: number, detail: RegExp) => {
  t.equal(res.status, status);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.match(JSON.parse(res.body), { status, title: /./, type: /^urn:isop:problem:/, detail });
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.ok(res.headers['x-request-id'], 'a request id even here');
};

t.test('requests Node refuses get problem+json on the socket', async (t) => {
  const huge = await raw(`GET /v1/orgs HTTP/1.1\r\nHost: x\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
  isProblem(t, huge, 431, /headers are too large/);
  const longUrl = await raw(`GET /v1/lookup?value=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
  isProblem(t, longUrl, 431, /too large/);
  const control = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: abc\x01def\r\n\r\n');
  isProblem(t, control, 400, /not valid HTTP/);
  const garbage = await raw('HELLO\r\n\r\n');
  isProblem(t, garbage, 400, /not valid HTTP/);
});

t.test('router errors are problem+json: bad percent-encoding 400, an over-long path segment 414', async (t) => {
  const badPercent = await raw('GET /v1/indicators/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  isProblem(t, badPercent, 400, /bad percent-encoding/);
  isProblem(t, injected(await app.inject({ method: 'GET', url: '/v1/clients/%ED%A0%80' })), 400, /bad percent-encoding/);
  // maxParamLength is 200: fastify answers 414 for a longer path parameter when no route matches otherwise.
  isProblem(t, injected(await app.inject({ method: 'DELETE', url: `/v1/clients/${'a'.repeat(201)}`, headers: adminAuth })), 414, /too long/);
  const fits = await app.inject({ method: 'DELETE', url: `/v1/clients/${'a'.repeat(200)}`, headers: adminAuth });
  t.equal(fits.statusCode, 404, 'up to 200 characters the route answers');
});

t.test('NUL and unpaired surrogates never reach a handler: 400 problem', async (t) => {
  const form = await app.inject({
    method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials&client_id=a%00&client_secret=whatever-secret',
  });
  t.equal(form.statusCode, 400, 'token endpoint, form body');
  t.same(json(form).errors, [{ path: '/body/client_id', message: 'contains a NUL character' }]);

  const param = await app.inject({ method: 'DELETE', url: '/v1/clients/a%00b', headers: adminAuth });
  t.equal(param.statusCode, 400, 'path parameter');
  t.same(json(param).errors, [{ path: '/params/client_id', message: 'contains a NUL character' }]);
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/clients/a%00b' })).statusCode, 401, 'authentication still comes first');

  const query = await app.inject({ method: 'GET', url: '/v1/lookup?type=domain&value=a%00.com', headers: agency.auth });
  t.equal(query.statusCode, 400, 'query string');
  t.same(json(query).errors, [{ path: '/query/value', message: 'contains a NUL character' }]);

  const basic = Buffer.from('a%00:secret').toString('base64');
  const header = await app.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: `Basic ${basic}` }, payload: { grant_type: 'client_credentials' } });
  t.equal(header.statusCode, 401, 'HTTP Basic: no such client, without asking the database');
  t.equal(json(header).error, 'invalid_client');
});

t.test('query integers and booleans are plain; a scalar parameter comes once', async (t) => {
  const feed = (query: string) => app.inject({ method: 'GET', url: `/v1/feed?${query}`, headers: agency.auth });
  for (const [query, path, message] of [
    ['limit=1e3', '/query/limit', 'must be a whole number in plain decimal digits'],
    ['limit=0x10', '/query/limit', 'must be a whole number in plain decimal digits'],
    ['limit=010', '/query/limit', 'must be a whole number in plain decimal digits'],
    ['limit=+5', '/query/limit', 'must be a whole number in plain decimal digits'],
    ['limit=5.0', '/query/limit', 'must be a whole number in plain decimal digits'],
    ['limit=%205', '/query/limit', 'must be a whole number in plain decimal digits'],
    ['min_confidence=', '/query/min_confidence', 'must be a whole number in plain decimal digits'],
    ['include_shared=1', '/query/include_shared', 'must be true or false'],
    ['include_shared=TRUE', '/query/include_shared', 'must be true or false'],
    ['include_shared=', '/query/include_shared', 'must be true or false'],
    ['limit=5&limit=6', '/query/limit', 'must be given once'],
    ['format=json&format=csv', '/query/format', 'must be given once'],
    ['cursor=a&cursor=b', '/query/cursor', 'must be given once'],
  ] as const) {
    const res = await feed(query);
    t.equal(res.statusCode, 400, query);
    t.same(json(res).errors, [{ path, message }], query);
  }
  t.equal((await feed('limit=10&include_shared=false&min_confidence=0')).statusCode, 200, 'plain values pass');
  const atomic = await app.inject({ method: 'POST', url: '/v1/indicators?atomic=yes', headers: adminAuth, payload: { items: [] } });
  t.same(json(atomic).errors, [{ path: '/query/atomic', message: 'must be true or false' }], 'every route, from its own schema');
});

t.test('a platform filter without a value is a 400, not ignored', async (t) => {
  const list = (query: string) => app.inject({ method: 'GET', url: `/v1/indicators?${query}`, headers: agency.auth });
  const alone = await list('platform=telegram');
  t.equal(alone.statusCode, 400);
  t.same(json(alone).errors, [{ path: '/query/platform', message: 'needs type and value' }]);
  t.equal((await list('type=social_account&platform=telegram')).statusCode, 400, 'type without value');
  t.equal((await list('type=social_account&value=someone&platform=telegram')).statusCode, 200);
});
