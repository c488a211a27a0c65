/**
 * Fault: the database connection of a batch is killed in the middle of its transaction.
 *
 * Deterministic, not timed: the test locks the change log on a connection of its own, so the
 * app's batch transaction stops at its first write to the log (indicators already inserted,
 * uncommitted); the test waits until PostgreSQL reports the app's backend blocked by that lock,
 * terminates that backend, and only then releases the lock.
 *
 * postgres.js 3.4.9 as released crashes the process here: when a backend dies inside
 * `sql.begin`, it writes its own ROLLBACK to the closed socket from a setImmediate and throws an
 * uncaught `TypeError: Cannot read properties of null (reading 'write')` (connection.js nextWrite;
 * upstream porsager/postgres#1208). scripts/patch-dependencies.mjs guards that write at install
 * time; without the guard this test fails with the uncaught exception in most runs.
 */
import t from 'tap';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';
import { appBackendsBlockedBy, holdLock, needsPostgres, testConnection, waitFor } from '../helpers/faults.js';

t.test('a batch whose connection is killed mid-transaction answers 503, stores nothing, and its retry stores it once', { skip: needsPostgres }, async (t) => {
  const { app, url, logs } = await createTestApp(t, { LOG_LEVEL: 'warn' });
  const admin = await adminToken(app);
  const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['film_tv'] });
  const sql = testConnection(t, url!);

  const run = `killed-${Date.now().toString(36)}`;
  const values = Array.from({ length: 25 }, (_, i) => `${run}-${i}.example-piracy.com`);
  const request = {
    method: 'POST' as const, url: '/v1/indicators',
    headers: { ...partner.auth, 'idempotency-key': `${run}-key` },
    payload: { defaults: { tlp: 'AMBER', sector: 'film_tv' }, items: values.map((value) => ({ type: 'domain', value })) },
  };
  const stored = async () => {
    const [row] = await sql<{ indicators: number; changes: number }[]>`
      select (select count(*)::int from indicators where value = any(${values})) as indicators,
             (select count(*)::int from indicator_changes c join indicators i on i.id = c.indicator_id where i.value = any(${values})) as changes`;
    return row!;
  };

  const lock = await holdLock(sql, 'lock table indicator_changes in access exclusive mode');
  let settled: { statusCode: number; body: string } | undefined;
  const first = app.inject(request).then((res) => (settled = res));

  const [victim] = await waitFor('the batch transaction to block on the change-log lock', async () => {
    if (settled) throw new Error(`the batch answered before it reached the change log: ${settled.statusCode} ${settled.body}`);
    const blocked = await appBackendsBlockedBy(sql, lock.pid);
    return blocked.length ? blocked : undefined;
  });
  const [kill] = await sql<{ terminated: boolean }[]>`select pg_terminate_backend(${victim!}) as terminated`;
  t.ok(kill?.terminated, 'the app\'s backend was terminated in the middle of the batch');
  await lock.release();

  const killed = await first;
  t.equal(killed.statusCode, 503, `the client is told to retry (got ${killed.statusCode} ${killed.body.slice(0, 200)})`);
  t.match(killed.headers['content-type'], /^application\/problem\+json/, 'as problem+json');
  t.match(json(killed), { type: String, title: String, status: 503, detail: String }, 'with a problem document');
  t.ok(Number(killed.headers['retry-after']) > 0, 'with Retry-After');
  t.notMatch(killed.body, /administrator command|indicator_changes|insert into|57P01/i, 'without internals');
  t.same(await stored(), { indicators: 0, changes: 0 }, 'nothing of the batch is stored');
  t.notOk(logs.some((line) => line.includes(values[0]!)), 'the database error is logged without the batch (no SQL parameters)');

  const retry = await app.inject(request);
  t.equal(retry.statusCode, 200, `the retry with the same Idempotency-Key is processed (got ${retry.statusCode} ${retry.body.slice(0, 200)})`);
  t.same(json(retry).summary, { created: values.length, updated: 0, unchanged: 0, rejected: 0 }, 'every item created by the retry');
  t.same(await stored(), { indicators: values.length, changes: values.length }, 'one row per value and one change-log row per indicator');

  const replay = await app.inject(request);
  t.equal(replay.statusCode, 200);
  t.equal(replay.headers['idempotent-replayed'], 'true', 'a third send replays the stored answer');
  t.same(json(replay), json(retry), 'the same answer');
  t.same(await stored(), { indicators: values.length, changes: values.length }, 'and stores nothing again');
});
