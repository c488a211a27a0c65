/**
 * Fault: the database goes away and comes back. The app reaches PostgreSQL through a loopback
 * TCP proxy that the test cuts and restores, in two ways: nothing listens (PostgreSQL down:
 * connections refused) and connections are accepted then dropped (a load balancer or pooler in
 * front of a dead database). Expected either way: /readyz and the API answer 503 problem+json
 * with Retry-After while the database is away, the process stays alive, and everything works
 * again once the database is back — without restarting the app.
 */
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { adminToken, createMember, json } from '../helpers/app.js';
import { appThrough, needsPostgres, tcpProxy, waitFor } from '../helpers/faults.js';

/**
 * An answer that never comes is the failure this file looks for (a request hanging on a dead
 * database), so each request gets a generous bound; a correct 503 takes milliseconds.
 */
const ANSWER_BOUND_MS = 10_000;
function answered(request: Promise<LightMyRequestResponse>, what: string): Promise<LightMyRequestResponse> {
  let timer: NodeJS.Timeout;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_BOUND_MS / 1000} s while the database is away (the request hangs)`)), ANSWER_BOUND_MS);
  });
  return Promise.race([request, hung]).finally(() => clearTimeout(timer));
}

t.test('database outages: 503 while the database is away, recovery without a restart', { skip: needsPostgres }, async (t) => {
  const target = new URL(process.env.DATABASE_URL!);
  const proxy = await tcpProxy(t, { host: target.hostname, port: Number(target.port || 5432) });
  // A short request deadline: behind a proxy that drops connections the driver keeps reconnecting
  // while a query waits, and the deadline is what turns that wait into a 503.
  const { app, logs } = await appThrough(t, (url) => Object.assign(url, { hostname: '127.0.0.1', port: String(proxy.port) }), { HANDLER_TIMEOUT_SECONDS: '3' });
  const admin = await adminToken(app);
  const agency = await createMember(app, admin, 'agency', 'FR');
  const ready = () => answered(app.inject({ method: 'GET', url: '/readyz' }), 'GET /readyz');
  const api = (url: string) => answered(app.inject({ method: 'GET', url, headers: agency.auth }), `GET ${url}`);

  const isUnavailable = (t: Test, res: LightMyRequestResponse, what: string) => {
    t.equal(res.statusCode, 503, `${what}: 503 (got ${res.statusCode} ${res.body.slice(0, 160)})`);
    t.match(res.headers['content-type'], /^application\/problem\+json/, `${what}: problem+json`);
    t.match(json(res), { type: String, title: String, status: 503, detail: String }, `${what}: a problem document`);
    t.ok(Number(res.headers['retry-after']) > 0, `${what}: with Retry-After`);
  };

  for (const mode of ['refuse', 'drop'] as const) {
    await t.test(`database ${mode === 'refuse' ? 'down (connections refused)' : 'behind a proxy that drops connections'}`, async (t) => {
      t.equal((await ready()).statusCode, 200, 'ready while the database is reachable');
      await proxy.cut(mode);
      for (const attempt of ['first', 'second']) isUnavailable(t, await ready(), `/readyz, ${attempt} probe during the outage`);
      t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'the process itself stays alive');
      isUnavailable(t, await api('/v1/indicators?limit=5'), 'an API read during the outage');
      isUnavailable(t, await api('/v1/feed?limit=5'), 'a feed page during the outage');

      await proxy.restore();
      await waitFor('/readyz to answer 200 again after the database came back', async () => (await ready()).statusCode === 200, 400);
      t.equal((await api('/v1/feed?limit=5')).statusCode, 200, 'the API works again without a restart');
    });
  }
  t.notMatch(logs.join(''), /password|client_secret|secret_hash/i, 'the outages logged no credentials');
});
