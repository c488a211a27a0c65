/** /metrics is not for everyone; unauthenticated traffic is throttled per address before any token is checked. */
import t from 'tap';
import { request } from 'node:http';
import { listenForMetrics } from '../../src/plugins/operations.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const METRICS_TOKEN = 'metrics-scraper-secret-0123456789';
const { app } = await createTestApp(t, { METRICS_TOKEN });
const admin = await adminToken(app);
const agency = await createMember(app, admin, 'agency', 'FR');

const metrics = (authorization?: string) => app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

t.test('/metrics on the main port needs an admin token or the METRICS_TOKEN secret', async (t) => {
  const anonymous = await metrics();
  t.equal(anonymous.statusCode, 401);
  t.match(anonymous.headers['content-type'], /^application\/problem\+json/);
  t.equal((await metrics(agency.auth.authorization)).statusCode, 403, 'a client without admin');
  t.equal((await metrics(`Bearer ${METRICS_TOKEN}x`)).statusCode, 401, 'a wrong secret');
  t.equal((await metrics(`Basic ${METRICS_TOKEN}`)).statusCode, 401, 'the secret only as a bearer');

  await app.inject({ method: 'GET', url: '/v1/orgs', headers: agency.auth });
  for (const authorization of [`Bearer ${admin}`, `Bearer ${METRICS_TOKEN}`]) {
    const res = await metrics(authorization);
    t.equal(res.statusCode, 200);
    t.match(res.body, /http_request_duration_seconds_bucket\{[^}]*route="\/v1\/orgs"/);
    t.match(res.body, /http_requests_total\{method="GET",route="\/v1\/orgs",status_code="200"\}/);
  }
});

t.test('a separate listener serves /metrics without authentication, and nothing else', async (t) => {
  const listener = await listenForMetrics(app.metrics, '127.0.0.1', 0);
  t.teardown(() => new Promise((resolve) => listener.server.close(resolve)));
  t.equal(listener.server.address() && (listener.server.address() as { address: string }).address, '127.0.0.1');
  const get = (path: string) => new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port: listener.port, path }, (res) => {
      let body = '';
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject).end();
  });
  const scraped = await get('/metrics');
  t.equal(scraped.status, 200);
  t.match(scraped.body, /http_requests_total/);
  const other = await get('/v1/orgs');
  t.equal(other.status, 404);
  t.match(other.type, /^application\/problem\+json/);
});

t.test('requests are throttled per address before any token is verified', async (t) => {
  const limited = await createTestApp(t, { IP_RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '3600000' });
  const forged = { authorization: 'Bearer not.a.token' };
  const call = () => limited.app.inject({ method: 'GET', url: '/v1/orgs', headers: forged });
  for (let i = 0; i < 3; i++) t.equal((await call()).statusCode, 401, `request ${i + 1}: verified and refused`);
  const fourth = await call();
  t.equal(fourth.statusCode, 429, 'the fourth is refused before its token is looked at');
  t.ok(Number(fourth.headers['retry-after']) > 0, 'Retry-After');
  t.match(json(fourth), { status: 429, type: 'urn:isop:problem:too-many-requests' });
  const other = await limited.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '192.0.2.7' });
  t.equal(other.statusCode, 200, 'another address has its own budget');
});

