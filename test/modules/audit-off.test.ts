/**
 * AUDIT_OFF_FOR_BENCHMARKS: what the benchmark's "audit off" runs (bench/measures/audit.ts) —
 * nothing at all is recorded, and the service says so at start. (Process-wide, hence a file of its own.)
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { chainAudit, verifyAudit } from '../../src/modules/audit/chain.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const { app, database, logs } = await createTestApp(t, { AUDIT_OFF_FOR_BENCHMARKS: 'true' });

t.test('with the audit off, nothing is recorded and the service warns', async (t) => {
  t.ok(logs.some((line) => /AUDIT_OFF_FOR_BENCHMARKS/.test(line) && /"level":40/.test(line)), 'a warning at start');
  const admin = await adminToken(app);
  const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['music'] });
  const agency = await createMember(app, admin, 'agency', 'FR');
  const [pushed] = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { items: [{ type: 'domain', value: 'unaudited.com' }] } })).results;
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/feed', headers: agency.auth })).items.length, 1);
  t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${pushed.id}`, headers: agency.auth })).statusCode, 200);
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/indicators', headers: agency.auth })).items.length, 1);
  t.same(await rows(database.db, sql`select action from audit_log`), [], 'not even the bootstrap');
  t.equal((await chainAudit(database.db)).chained, 0);
  t.match(await verifyAudit(database.db), { ok: true, entries: 0, head: null });
});
