/**
 * Fault: SIGTERM while batches are being written. The real server runs as a child process on
 * a fresh database. The test holds the change log locked, so the first batches stop inside
 * their transactions; once PostgreSQL reports a server backend blocked on that lock (a batch is
 * in flight) the server gets SIGTERM; once it refuses new work, more batches are sent, then the
 * lock is released. Expected: every accepted request gets a complete answer (200, or 503 when it
 * arrived during shutdown), the process exits 0, and each batch is stored whole or not at all.
 * A live feed stream open meanwhile is ended by the shutdown rather than holding the process.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { BOOTSTRAP_ID, BOOTSTRAP_SECRET, isolatedDatabase } from '../helpers/app.js';
import { appBackendsBlockedBy, freePort, holdLock, needsPostgres, testConnection, waitFor } from '../helpers/faults.js';

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }
type Outcome = Answer | { error: string };

/** One request on a connection of its own; resolves with the whole answer or the socket error. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request({
      host: '127.0.0.1', port, method, path, agent: false,
      headers: { ...headers, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', (err) => resolve({ error: `response cut: ${err.message}` }));
      res.on('aborted', () => resolve({ error: 'response aborted' }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end(payload);
  });
}

const answered = (o: Outcome): o is Answer => 'status' in o;

async function call(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await send(port, method, path, headers, body);
  if (!answered(res) || res.status >= 300) throw new Error(`${method} ${path}: ${JSON.stringify(res)}`);
  return JSON.parse(res.body);
}

t.test('SIGTERM during traffic drains in-flight batches, refuses new ones, and leaves nothing half-written', { skip: needsPostgres }, async (t) => {
  const { url } = await isolatedDatabase(t);
  const sql = testConnection(t, url!);
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: {
      // Not tap's coverage hooks: the child's coverage (transpiled by tsx) would be merged with the
      // suite's under other line numbers.
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|NODE_V8_COVERAGE|_?TAPJS|TAP_)/.test(k))),
      _TAPJS_PROCESSINFO_COVERAGE_: '0',
      PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: url!, LOG_LEVEL: 'warn',
      BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID, BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
      SWEEP_INTERVAL_SECONDS: '60', RATE_LIMIT_MAX: '100000', TOKEN_RATE_LIMIT_MAX: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout!.on('data', (c) => { output += c; });
  server.stderr!.on('data', (c) => { output += c; });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
  let exit: { code: number | null; signal: string | null } | undefined;
  void exited.then((e) => { exit = e; });
  t.teardown(() => { if (!exit) server.kill('SIGKILL'); });

  await waitFor('the server to listen and be ready', async () => {
    if (exit) throw new Error(`the server exited at start (${JSON.stringify(exit)}): ${output}`);
    const res = await send(port, 'GET', '/readyz', {});
    return answered(res) && res.status === 200;
  }, 2400);

  const token = async (id: string, secret: string) =>
    (await call(port, 'POST', '/v1/auth/token', {}, { grant_type: 'client_credentials', client_id: id, client_secret: secret })).access_token as string;
  const admin = { authorization: `Bearer ${await token(BOOTSTRAP_ID, BOOTSTRAP_SECRET)}` };
  const org = await call(port, 'POST', '/v1/orgs', admin, { name: 'Shutdown Rights Ltd', kind: 'partner', country: 'GB', sectors: ['music'] });
  const client = await call(port, 'POST', `/v1/orgs/${org.id}/clients`, admin, { name: 'ingest' });
  const partner = { authorization: `Bearer ${await token(client.client_id, client.client_secret)}` };

  // A live feed stream, open through the shutdown: it must end, not hold the process.
  const agencyOrg = await call(port, 'POST', '/v1/orgs', admin, { name: 'Shutdown Agency', kind: 'agency', country: 'GB' });
  const agencyClient = await call(port, 'POST', `/v1/orgs/${agencyOrg.id}/clients`, admin, { name: 'stream' });
  const agency = { authorization: `Bearer ${await token(agencyClient.client_id, agencyClient.client_secret)}` };
  const stream = send(port, 'GET', '/v1/feed/stream', agency);
  await waitFor('the stream to be open', async () => (await sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen %'`)[0]!.n === 1);

  const run = Date.now().toString(36);
  const batch = (name: string) => Array.from({ length: 150 }, (_, i) => `${name}-${i}.sigterm-${run}.com`);
  const post = (name: string) => send(port, 'POST', '/v1/indicators', { ...partner, 'idempotency-key': `${run}-${name}` }, {
    defaults: { tlp: 'GREEN', sector: 'music' }, items: batch(name).map((value) => ({ type: 'domain', value })),
  });

  const lock = await holdLock(sql, 'lock table indicator_changes in access exclusive mode');
  const early = ['early-a', 'early-b', 'early-c', 'early-d'];
  const inFlight = early.map((name) => post(name));
  // Every early batch inside its transaction: only then is each one accepted before SIGTERM.
  await waitFor('every early batch to be inside its transaction, blocked on the change-log lock', async () =>
    (await appBackendsBlockedBy(sql, lock.pid)).length >= early.length);

  server.kill('SIGTERM');
  // Shutting down: new connections are refused or answered 503.
  await waitFor('the server to refuse new requests', async () => {
    const res = await send(port, 'GET', '/healthz', {});
    return !answered(res) || res.status === 503;
  });
  const late = ['late-a', 'late-b', 'late-c'];
  const lateOutcomes = await Promise.all(late.map((name) => post(name)));
  await lock.release();
  const earlyOutcomes = await Promise.all(inFlight);
  const { code, signal } = await exited;

  const outcomes = new Map([...early.map((n, i) => [n, earlyOutcomes[i]!] as const), ...late.map((n, i) => [n, lateOutcomes[i]!] as const)]);
  for (const [name, outcome] of outcomes) {
    const values = batch(name);
    const [row] = await sql<{ n: number; c: number }[]>`select
      (select count(*)::int from indicators where value = any(${values})) as n,
      (select count(*)::int from indicator_changes x join indicators i on i.id = x.indicator_id where i.value = any(${values})) as c`;
    const { n, c } = row!;
    t.ok(n === 0 || n === values.length, `${name}: all or none of the batch is stored (${n} of ${values.length})`);
    t.equal(c, n, `${name}: one change-log row per stored indicator`);
    if (!answered(outcome)) {
      // Never reached the server (refused): nothing may be stored.
      t.equal(n, 0, `${name}: not accepted (${outcome.error}), nothing stored`);
      t.match(outcome.error, /ECONNREFUSED|ECONNRESET/, `${name}: refused at connection, not cut mid-answer`);
      continue;
    }
    if (outcome.status === 200) {
      t.equal(JSON.parse(outcome.body).summary.created, values.length, `${name}: a complete 200 answer`);
      t.equal(n, values.length, `${name}: answered 200 and stored whole`);
    } else {
      t.equal(outcome.status, 503, `${name}: answered ${outcome.status} ${outcome.body.slice(0, 200)}`);
      t.match(outcome.headers['content-type'], /^application\/problem\+json/, `${name}: 503 as problem+json`);
      t.equal(n, 0, `${name}: answered 503, nothing stored`);
    }
  }
  for (const name of early) t.equal(answered(outcomes.get(name)!) && (outcomes.get(name) as Answer).status, 200, `${name}: accepted before SIGTERM, so drained with 200`);
  const streamed = await stream;
  t.match(streamed, { status: 200, headers: { 'content-type': /^text\/event-stream/ }, body: /^retry: / }, 'the live stream was ended by the shutdown, a complete answer');
  t.same({ code, signal }, { code: 0, signal: null }, `the server exits 0 after draining (output: ${output.slice(-500)})`);
});
