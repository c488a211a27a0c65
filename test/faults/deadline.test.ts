/**
 * Fault: a batch is still waiting on the database when its request's deadline passes
 * (HANDLER_TIMEOUT_SECONDS). The client is answered 503 then, and the batch — which would
 * otherwise commit later, behind the client's back — is rolled back when it gets going again.
 *
 * Not timed: the test holds a lock the batch needs, awaits the 503 (which the deadline sends while
 * the batch is blocked), then releases the lock and waits until the app's transaction has ended.
 */
import t from 'tap';
import { adminToken, createMember, createTestApp } from '../helpers/app.js';
import { appBackendsBlockedBy, holdLock, needsPostgres, testConnection, waitFor } from '../helpers/faults.js';

t.test('past its deadline a blocked batch answers 503 and is rolled back, not committed later', { skip: needsPostgres }, async (t) => {
  const { app, url } = await createTestApp(t, { LOG_LEVEL: 'warn', HANDLER_TIMEOUT_SECONDS: '1' });
  const admin = await adminToken(app);
  const partner = await createMember(app, admin, 'partner', 'FR');
  const sql = testConnection(t, url!);
  const values = Array.from({ length: 10 }, (_, i) => `deadline-${i}-${Date.now().toString(36)}.com`);

  const lock = await holdLock(sql, 'lock table indicator_changes in access exclusive mode');
  const answer = app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { items: values.map((value) => ({ type: 'domain', value })) } });
  const [backend] = await waitFor('the batch to block on the change-log lock', async () => {
    const blocked = await appBackendsBlockedBy(sql, lock.pid);
    return blocked.length ? blocked : undefined;
  });
  const res = await answer;
  t.equal(res.statusCode, 503, 'the deadline answers 503');
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.ok(Number(res.headers['retry-after']) > 0, 'with Retry-After');

  await lock.release();
  await waitFor('the batch transaction to end', async () => {
    const [row] = await sql<{ busy: boolean }[]>`select exists (select 1 from pg_stat_activity where pid = ${backend!} and xact_start is not null) as busy`;
    return !row!.busy;
  });
  const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from indicators where value = any(${values})`;
  t.equal(stored!.n, 0, 'nothing of the batch was committed after the client was told 503');
});
