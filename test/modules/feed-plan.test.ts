/**
 * The feed's walk of the log is planned as a walk whatever the planner guesses (PLANNED_WALK in
 * src/modules/feeds/query.ts). Here the page's LIMIT is above every row the table holds — as a
 * 10,000-item page is above the planner's guess at 1.45 M indicators — so left to itself the planner
 * reads the whole result and sorts it (the control); under PLANNED_WALK it walks the log's
 * (xid, pos) index in order with a lookup per row, and never sorts.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { plannerSettings, readPlanned, rows } from '../../src/db/client.js';
import { compareFeedPositions } from '../../src/domain/cursor.js';
import type { CallerIdentity } from '../../src/domain/visibility.js';
import { FEED_START, feedHorizon, feedQuery, feedRows, PLANNED_WALK } from '../../src/modules/feeds/query.js';
import { adminToken, createMember, createTestApp, pushItems } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const db = database.db;
const admin = await adminToken(app);
const source = await createMember(app, admin, 'partner', 'FR');
const agency = await createMember(app, admin, 'agency', 'FR');
const caller: CallerIdentity = { orgId: agency.orgId, orgKind: 'agency', country: 'FR', groups: [] };

const ITEMS = 3000;
await pushItems(app, source, Array.from({ length: ITEMS }, (_, k) => ({ type: 'domain', value: `plan-${k}.example.tv`, tlp: 'GREEN' })));
await db.execute(sql`analyze indicators`);
await db.execute(sql`analyze indicator_changes`);

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] }
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

/** The plan of a 10,000-row window from the start, with or without PLANNED_WALK (and a byte budget). */
async function plan(planned: boolean, budget?: number): Promise<PlanNode[]> {
  const horizon = await feedHorizon(db);
  return db.transaction(async (tx) => {
    if (planned) await tx.execute(PLANNED_WALK);
    const [row] = await rows<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> | string }>(tx,
      sql`explain (format json) ${feedQuery(caller, {}, { after: FEED_START, horizon, limit: 10_000, ...(budget ? { budget } : {}) })}`);
    const explained = row!['QUERY PLAN'];
    return nodes((typeof explained === 'string' ? JSON.parse(explained) : explained)[0]!.Plan);
  }, { accessMode: 'read only' });
}

t.test('left to itself the planner sorts the whole result (the case PLANNED_WALK exists for)', async (t) => {
  t.ok((await plan(false)).some((n) => n['Node Type'] === 'Sort'), 'a Sort node without PLANNED_WALK');
});

t.test('under PLANNED_WALK the window is an ordered index walk of the log with a lookup per row', async (t) => {
  const planned = await plan(true);
  t.notOk(planned.some((n) => n['Node Type'] === 'Sort'), 'no Sort node');
  t.notOk(planned.some((n) => n['Node Type'] === 'Hash Join' || n['Node Type'] === 'Merge Join'), 'no hash or merge join');
  const changes = planned.find((n) => n['Relation Name'] === 'indicator_changes');
  t.equal(changes?.['Index Name'], 'indicator_changes_xid_pos_idx', 'the log is read down its (xid, pos) index');
  t.notOk(planned.some((n) => n['Relation Name'] === 'indicators' && n['Node Type'].includes('Seq Scan')), 'indicators are looked up, not scanned');
});

t.test('with a byte budget the window is the same walk: its running sum follows the walk, nothing sorts', async (t) => {
  const planned = await plan(true, 8 * 1024 * 1024);
  t.ok(planned.some((n) => n['Node Type'] === 'WindowAgg'), 'the running sum of bytes');
  t.notOk(planned.some((n) => n['Node Type'] === 'Sort'), 'no Sort node');
  t.equal(planned.find((n) => n['Relation Name'] === 'indicator_changes')?.['Index Name'], 'indicator_changes_xid_pos_idx', 'the log is read down its (xid, pos) index');
});

t.test('feedRows answers the window in log order under the same plan', async (t) => {
  const horizon = await feedHorizon(db);
  const page = await feedRows(db, caller, {}, { after: FEED_START, horizon, limit: 10_000 });
  t.equal(page.length, ITEMS, 'every item the agency may receive');
  const at = (r: (typeof page)[number]) => ({ xid: r.xid, pos: Number(r.pos) });
  const ordered = page.every((r, k) => k === 0 || compareFeedPositions(at(page[k - 1]!), at(r)) < 0);
  t.ok(ordered, 'in (xid, pos) order');
});

t.test('readPlanned: the settings hold inside its transaction and end with it', async (t) => {
  const settings = plannerSettings({ enable_hashjoin: 'off', enable_sort: 'off' });
  const [inside] = await readPlanned<{ hash: string; sort: string }>(db, settings, sql`select current_setting('enable_hashjoin') as hash, current_setting('enable_sort') as sort`);
  t.same(inside, { hash: 'off', sort: 'off' }, 'set for the query');
  const after = await db.transaction(async (tx) => rows<{ hash: string }>(tx, sql`select current_setting('enable_hashjoin') as hash`));
  t.same(after, [{ hash: 'on' }], 'not carried past the transaction');
});
