/**
 * Deliveries are recorded in bulk: a 10,000-item feed page is ONE statement (counted in the query
 * log, not timed), however the page is served; more than 10,000 deliveries are still one statement.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { recordDeliveries } from '../../src/modules/audit/log.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const statements: string[] = [];
const { app, database } = await createTestApp(t, {}, { logQuery: (query) => statements.push(query) });
const db = database.db;
const admin = await adminToken(app);
const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['music'] });
const agency = await createMember(app, admin, 'agency', 'FR');

const PAGE = 10_000;
const pushed = await app.inject({
  method: 'POST', url: '/v1/indicators', headers: partner.auth,
  payload: { items: Array.from({ length: PAGE }, (_, i) => ({ type: 'domain', value: `bulk-delivery-${i}.com` })) },
});
t.equal(json(pushed).summary.created, PAGE);

const auditInserts = () => statements.filter((s) => /^\s*insert into "?audit_log"?/i.test(s));

/** The statements that wrote the audit during `work`, and the delivery rows they wrote. */
async function recorded(work: () => Promise<unknown>) {
  const [{ last }] = await rows<{ last: number }>(db, sql`select coalesce(max(id), 0)::int8 as last from audit_log`) as [{ last: number }];
  const from = auditInserts().length;
  await work();
  const inserts = auditInserts().slice(from);
  const written = await rows<{ path: string; n: number }>(db, sql`
    select path, cardinality(indicator_ids) as n from audit_log where id > ${last} and action = 'delivery' order by id`);
  return { inserts, written };
}

for (const format of ['json', 'ndjson', 'csv']) {
  t.test(`a page of ${PAGE.toLocaleString('en')} items in ${format} is one statement`, async (t) => {
    const { inserts, written } = await recorded(async () => {
      const res = await app.inject({ method: 'GET', url: `/v1/feed?limit=${PAGE}&format=${format}`, headers: agency.auth });
      t.equal(res.statusCode, 200);
      if (format === 'json') t.equal(json(res).items.length, PAGE, 'the page is full');
    });
    t.equal(inserts.length, 1, 'one INSERT into the audit log');
    t.same(written, [{ path: `feed:${format}`, n: PAGE }], 'one row carrying all 10,000');
  });
}

t.test('more than 10,000 deliveries: one statement, one row per 10,000', async (t) => {
  const [{ ids }] = await rows<{ ids: string[] }>(db, sql`select array_agg(id::text) as ids from indicators`) as [{ ids: string[] }];
  const items = [...ids, ids[0]!].map((id) => ({ id, version: 1 }));
  const { inserts, written } = await recorded(() => recordDeliveries(db, { clientId: agency.clientId, orgId: agency.orgId }, 'test:bulk', items));
  t.equal(inserts.length, 1);
  t.same(written, [{ path: 'test:bulk', n: PAGE }, { path: 'test:bulk', n: 1 }]);
  const none = await recorded(() => recordDeliveries(db, { clientId: agency.clientId, orgId: agency.orgId }, 'test:bulk', []));
  t.equal(none.inserts.length, 0, 'nothing delivered, nothing written');
});

t.test('an ingest batch is one statement in the audit', async (t) => {
  const { inserts } = await recorded(() => app.inject({
    method: 'POST', url: '/v1/indicators', headers: partner.auth,
    payload: { items: [...Array.from({ length: 50 }, (_, i) => ({ type: 'domain', value: `bulk-new-${i}.com` })), { type: 'domain', value: 'bulk-delivery-0.com', confidence: 5 }] },
  }));
  t.equal(inserts.length, 1);
  const [{ created, updated }] = await rows<{ created: number; updated: number }>(db, sql`
    select (select cardinality(indicator_ids) from audit_log where action = 'indicator.created' order by id desc limit 1) as created,
      (select cardinality(indicator_ids) from audit_log where action = 'indicator.updated' order by id desc limit 1) as updated`) as [{ created: number; updated: number }];
  t.same({ created, updated }, { created: 50, updated: 1 }, 'its created and updated indicators, one entry each');
});
