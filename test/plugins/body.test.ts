/**
 * JSON bodies (src/plugins/body.ts) on a bare app: depth and syntax refused as problems, text
 * that cannot be stored refused outside bulk routes, the raw-body fingerprint, and the byte
 * budget of bulk bodies — taken before the body is read, given back however the request ends.
 */
import t from 'tap';
import Fastify, { type FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import body, { ByteBudget } from '../../src/plugins/body.js';
import problems from '../../src/plugins/problems.js';

t.test('ByteBudget: bytes granted in arrival order, a full queue refused, waiting cancelled, release idempotent', async (t) => {
  const budget = new ByteBudget(100, 2);
  const order: string[] = [];
  const a = budget.take(60);
  const b = budget.take(60); // waits for a
  const c = budget.take(10); // fits, but waits behind b: no overtaking
  void b.ready.then(() => order.push('b'));
  void c.ready.then(() => order.push('c'));
  await a.ready;
  t.equal(budget.free, 40);
  t.equal(budget.queued, 2);
  t.throws(() => budget.take(1), { name: 'QueueFull' }, 'a third waiter is refused');
  a.release();
  a.release(); // twice changes nothing
  await Promise.all([b.ready, c.ready]);
  t.same(order, ['b', 'c'], 'in arrival order');
  t.equal(budget.free, 30);
  const d = budget.take(50); // waits
  const e = budget.take(500); // more than the capacity: asks for all of it
  d.release(); // gives up waiting
  t.equal(budget.queued, 1);
  b.release();
  c.release();
  await e.ready;
  t.equal(budget.free, 0, 'the oversized request holds the whole budget');
  e.release();
  t.equal(budget.free, 100, 'everything back');
});

/** A bare app with the body plugin, one ordinary route and one bulk route. */
async function bareApp(t: Tap, budget: ByteBudget) {
  const app = Fastify();
  await app.register(problems);
  await app.register(body, { budget });
  // These run after the plugin's own hooks.
  let onReading!: () => void, onAbort!: () => void;
  const reading = new Promise<void>((resolve) => { onReading = resolve; });
  const aborted = new Promise<void>((resolve) => { onAbort = resolve; });
  app.addHook('preParsing', async (_request, _reply, payload) => { onReading(); return payload; });
  app.addHook('onRequestAbort', async (_request) => onAbort());
  const seen: unknown[] = [];
  app.post('/plain', async (request) => { seen.push(request.body); return { ok: true }; });
  app.post('/bulk', { config: { bulkBody: true }, bodyLimit: 1000 }, async (request) => {
    seen.push(request.body);
    if ((request.body as { fail?: boolean }).fail) throw new Error('handler failed');
    return { fingerprint: request.bodyFingerprint ?? null };
  });
  await app.ready();
  t.teardown(() => app.close());
  return { app, seen, reading, aborted };
}
type Tap = { teardown(fn: () => unknown): void };

const post = (app: FastifyInstance, url: string, payload: string | PassThrough, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });

t.test('nesting and syntax are refused before any handler, as problem documents', async (t) => {
  const { app, seen } = await bareApp(t, new ByteBudget(10_000, 1));
  for (const url of ['/plain', '/bulk']) {
    const deep = await post(app, url, '['.repeat(400) + ']'.repeat(400), { 'idempotency-key': 'k' });
    t.equal(deep.statusCode, 400, `${url}: deep nesting`);
    t.match(deep.headers['content-type'], /^application\/problem\+json/);
    t.match(deep.json(), { status: 400, detail: /nested deeper than 32 levels/ });
    t.match((await post(app, url, '{"a":1,}')).json(), { status: 400, detail: /not valid JSON: expected a property name/ });
    t.match((await post(app, url, '')).json(), { status: 400, detail: 'The JSON body is empty.' });
    t.match((await post(app, url, '{"__proto__":{"admin":true}}')).json(), { status: 400, detail: /forbidden property name __proto__/ });
  }
  t.same(seen, [], 'no handler ran');
});

t.test('text a column cannot hold is a 400 in ordinary bodies; bulk bodies leave it to their handler', async (t) => {
  const { app, seen } = await bareApp(t, new ByteBudget(10_000, 1));
  const nul = await post(app, '/plain', '{"name":"a\\u0000b","list":["ok"]}');
  t.equal(nul.statusCode, 400);
  t.match(nul.json(), { detail: /cannot be stored/, errors: [{ path: '/body/name', message: 'contains a NUL character' }] });
  const surrogate = await post(app, '/plain', '{"list":["ok","\\ud800"]}');
  t.match(surrogate.json(), { errors: [{ path: '/body/list/1', message: 'contains an unpaired UTF-16 surrogate' }] });
  t.equal((await post(app, '/plain', '{"emoji":"\\ud83d\\ude00"}')).statusCode, 200, 'a surrogate pair is fine');
  t.equal((await post(app, '/bulk', '{"items":[{"description":"a\\u0000b"}]}')).statusCode, 200, 'bulk: the handler decides, per item');
  t.same(seen, [{ emoji: '😀' }, { items: [{ description: 'a\u0000b' }] }]);
});

t.test('bulk bodies with an Idempotency-Key carry the SHA-256 of their raw bytes', async (t) => {
  const { app } = await bareApp(t, new ByteBudget(10_000, 1));
  const text = '{ "items": [ {"a": 1} ] }';
  const keyed = await post(app, '/bulk', text, { 'idempotency-key': 'k1' });
  t.equal(keyed.json().fingerprint, createHash('sha256').update(text).digest('base64url'));
  t.equal((await post(app, '/bulk', text)).json().fingerprint, null, 'not computed without a key');
});

t.test('the byte budget: held from before the body is read, a full queue is 503, given back by success, failure and bad input', async (t) => {
  const budget = new ByteBudget(100, 1);
  const { app } = await bareApp(t, budget);
  const first = new PassThrough();
  const firstDone = post(app, '/bulk', first, { 'content-length': '100' });
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(budget.free, 0, 'held by the declared length while the body is still coming');
  const second = post(app, '/bulk', '{"items":[]}');
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(budget.queued, 1, 'the next one waits');
  const third = await post(app, '/bulk', '{"items":[]}');
  t.equal(third.statusCode, 503, 'one more than may wait');
  t.equal(third.headers['retry-after'], '5');
  t.match(third.json(), { status: 503, detail: /retry after/ });
  first.end(`{"items":[]${' '.repeat(100 - 12)}}`);
  t.equal((await firstDone).statusCode, 200);
  t.equal((await second).statusCode, 200, 'then the waiting one runs');
  t.equal(budget.free, 100, 'all given back');

  t.equal((await post(app, '/bulk', '{"fail":true}')).statusCode, 500, 'a failing handler');
  t.equal((await post(app, '/bulk', '{"items":')).statusCode, 400, 'a body that is not JSON');
  t.equal((await post(app, '/bulk', 'x'.repeat(2000))).statusCode, 413, 'a body over the limit');
  t.equal(budget.free, 100, 'given back each time');
});

t.test('the byte budget is given back when the client goes away before the body is complete', async (t) => {
  const budget = new ByteBudget(100, 1);
  const { app, reading, aborted } = await bareApp(t, budget);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const socket = net.connect((app.server.address() as AddressInfo).port, '127.0.0.1');
  socket.write('POST /bulk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"items":');
  await reading;
  t.equal(budget.free, 0, 'held while the body comes');
  socket.destroy();
  await aborted;
  t.equal(budget.free, 100);
});
