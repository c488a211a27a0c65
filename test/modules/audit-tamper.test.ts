/**
 * Tamper resistance of the audit log: the database refuses UPDATE, DELETE and TRUNCATE; and what a
 * superuser does past that (triggers disabled, as a superuser would) is found by verification and
 * named — a changed row, a row inserted into the past, a deleted row or chain entry. Each check
 * undoes its tampering and shows the chain verifying again, so each finding is that tampering's.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { runAdmin } from '../../src/cli/admin.js';
import { rows } from '../../src/db/client.js';
import { chainAudit, entryHash, link, verifyAudit } from '../../src/modules/audit/chain.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const db = database.db;
const admin = await adminToken(app);
const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['music'] });
const agency = await createMember(app, admin, 'agency', 'FR');
for (let n = 0; n < 3; n++) {
  await app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { items: [{ type: 'domain', value: `tamper-${n}.com` }] } });
  await app.inject({ method: 'GET', url: '/v1/feed', headers: agency.auth });
}

/** Chains everything there is. */
async function chainAll() {
  for (let i = 0; i < 20 && (await chainAudit(db)).chained > 0; i++);
}
await chainAll();

/** As a superuser would: with the append-only triggers off. */
async function bypassingTriggers(work: () => Promise<unknown>) {
  await db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
  await db.execute(sql`alter table audit_chain disable trigger audit_chain_append_only`);
  try {
    await work();
  } finally {
    await db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    await db.execute(sql`alter table audit_chain enable trigger audit_chain_append_only`);
  }
}

const entryRow = async (entry: number) => (await rows<{ log_id: number; log_xid: string; hash: string }>(db, sql`
  select log_id::int8 as log_id, log_xid::text as log_xid, hash from audit_chain where entry = ${entry}`))[0]!;

async function cli() {
  const out: string[] = [], err: string[] = [];
  const code = await runAdmin(['audit', 'verify'], { out: (s) => out.push(s), err: (s) => err.push(s) }, database);
  return { code, result: JSON.parse(out.join('\n')), err: err.join('\n') };
}

t.test('the chain verifies before any tampering', async (t) => {
  const result = await verifyAudit(db);
  t.match(result, { ok: true, problems: [], pending: 0 });
  t.ok(result.entries >= 15, `${result.entries} entries`);
  t.same(await verifyAudit(db, { pageSize: 4 }), result, 'read in pages of 4, the same');
  const { code, result: printed } = await cli();
  t.equal(code, 0);
  t.same(printed, result, 'the CLI prints what the API answers');
});

t.test('UPDATE, DELETE and TRUNCATE of the log and the chain raise', async (t) => {
  for (const statement of [
    sql`update audit_log set action = 'token.issued' where id = (select min(id) from audit_log)`,
    sql`delete from audit_log where id = (select min(id) from audit_log)`,
    sql`truncate audit_log`,
    sql`update audit_chain set hash = 'x' where entry = 1`,
    sql`delete from audit_chain where entry = 1`,
    sql`truncate audit_chain`,
  ]) {
    await t.rejects(db.execute(statement), { cause: { message: /the audit log is append-only/, code: '42501' } });
  }
  t.match(await verifyAudit(db), { ok: true });
});

t.test('a changed row is found and named by its entry', async (t) => {
  const target = await entryRow(5);
  const [before] = await rows<{ actor: string }>(db, sql`select actor from audit_log where id = ${target.log_id}`);
  await bypassingTriggers(() => db.execute(sql`update audit_log set actor = 'someone-else' where id = ${target.log_id}`));
  const found = await verifyAudit(db);
  t.match(found, { ok: false, problems: [{ entry: 5, audit_id: target.log_id, problem: /was changed/ }] });
  t.equal(found.problems.length, 1, 'that entry only: no cascade');
  const { code, err } = await cli();
  t.equal(code, 1, 'the CLI exits 1');
  t.match(err, /does not verify \(1 problem\)/);
  await bypassingTriggers(() => db.execute(sql`update audit_log set actor = ${before!.actor} where id = ${target.log_id}`));
  t.match(await verifyAudit(db), { ok: true }, 'undone, it verifies again');
});

t.test('a row inserted into the past is found, whether or not it was given an entry', async (t) => {
  const third = await entryRow(3);
  const [{ id }] = await rows<{ id: number }>(db, sql`
    insert into audit_log (xid, at, actor, action, subject)
    values (${third.log_xid}::xid8, now() - interval '1 day', 'forger', 'client.revoked', 'someone')
    returning id::int8 as id`) as [{ id: number }];
  const behind = await verifyAudit(db);
  t.match(behind, { ok: false, problems: [{ audit_id: id, problem: /behind the head of the chain but is in no entry/ }] });
  await chainAll();
  t.match(await verifyAudit(db), { ok: false, problems: [{ audit_id: id }] }, 'the chainer does not take it in: it lies behind the head');

  // Given an entry of its own at the end, with a correct hash: out of order.
  const head = (await verifyAudit(db)).head!;
  const [content] = await rows<{ hash: string }>(db, sql`select ${entryHash('a')} as hash from audit_log a where a.id = ${id}`);
  const forged = head.entry + 1;
  await db.execute(sql`insert into audit_chain (entry, log_id, log_xid, entry_hash, hash)
    values (${forged}, ${id}, ${third.log_xid}::xid8, ${content!.hash}, ${link(head.hash, forged, content!.hash)})`);
  const appended = await verifyAudit(db);
  t.match(appended, { ok: false, problems: [{ entry: forged, audit_id: id, problem: /out of order/ }] });
  t.equal(appended.problems.length, 1);

  await bypassingTriggers(async () => {
    await db.execute(sql`delete from audit_chain where entry = ${forged}`);
    await db.execute(sql`delete from audit_log where id = ${id}`);
  });
  t.match(await verifyAudit(db), { ok: true }, 'undone, it verifies again');
});

t.test('a deleted row, and a deleted chain entry, are found and named', async (t) => {
  const seventh = await entryRow(7);
  await db.execute(sql`create table tamper_saved as select * from audit_log where id = ${seventh.log_id}`);
  t.teardown(() => db.execute(sql`drop table if exists tamper_saved`));
  await bypassingTriggers(() => db.execute(sql`delete from audit_log where id = ${seventh.log_id}`));
  t.match(await verifyAudit(db), { ok: false, problems: [{ entry: 7, audit_id: seventh.log_id, problem: /was deleted/ }] });
  await db.execute(sql`insert into audit_log select * from tamper_saved`);
  t.match(await verifyAudit(db), { ok: true }, 'put back exactly as it was, it verifies again');

  const eighth = await entryRow(8);
  await db.execute(sql`create table tamper_saved_entry as select * from audit_chain where entry = 8`);
  t.teardown(() => db.execute(sql`drop table if exists tamper_saved_entry`));
  await bypassingTriggers(() => db.execute(sql`delete from audit_chain where entry = 8`));
  const gap = await verifyAudit(db);
  t.match(gap.problems, [
    { entry: 8, problem: /is missing from the chain/ },
    { entry: 9, problem: /does not follow/ },
    { audit_id: eighth.log_id, problem: /in no entry/ },
  ]);
  t.equal(gap.problems.length, 3);
  t.same(await verifyAudit(db, { pageSize: 7 }), gap, 'the same when the gap falls between two pages (entries 1–7, then 9)');
  await db.execute(sql`insert into audit_chain select * from tamper_saved_entry`);
  t.match(await verifyAudit(db), { ok: true });
});

t.test('the head is published: a chain rebuilt in full after a change verifies, but not against its published head', async (t) => {
  const published: Array<{ entry: number; hash: string }> = [];
  const log = { info: (line: { audit: { entry: number; hash: string } }) => { published.push(line.audit); } };
  // New entries, chained with a head logged every 2 entries.
  for (let n = 0; n < 3; n++) await app.inject({ method: 'GET', url: '/v1/feed', headers: agency.auth });
  const before = (await verifyAudit(db)).head!.entry;
  await chainAudit(db, { log: log as never, headEvery: 2 });
  const after = (await verifyAudit(db)).head!.entry;
  t.same(published.map((p) => p.entry), Array.from({ length: after - before }, (_, k) => before + 1 + k).filter((e) => e % 2 === 0), 'every second entry');
  for (const p of published) t.equal(p.hash, (await entryRow(p.entry)).hash, `entry ${p.entry}: the hash in the chain`);

  // Someone with the owner's rights changes entry 2 and rebuilds the whole chain consistently.
  const known = published[published.length - 1]!;
  const second = await entryRow(2);
  await bypassingTriggers(async () => {
    await db.execute(sql`update audit_log set actor = 'rewritten' where id = ${second.log_id}`);
    await db.execute(sql`delete from audit_chain`);
  });
  await chainAll();
  t.match(await verifyAudit(db), { ok: true }, 'internally consistent again');
  t.match(await verifyAudit(db, { after: known }), { ok: false, problems: [{ entry: known.entry, problem: /another hash/ }] },
    'but the head published earlier names the rewrite');
  const res = await app.inject({ method: 'GET', url: `/v1/audit/verify?after=${known.entry}&hash=${known.hash}`, headers: { authorization: `Bearer ${admin}` } });
  t.equal(json(res).ok, false, 'through the API too');
});
