/**
 * DATABASE_READ_URL with a real streaming replica (test/helpers/replica.ts: a hot standby of the
 * local primary, its replay paused and resumed by the test, so which commits it shows is decided
 * here, never by timing).
 *
 * - Writes work and go to the primary; feed pages, lists, lookups and blocklists show the
 *   replica's view; deliveries read from the replica are recorded on the primary; a single read
 *   the replica cannot answer yet is answered by the primary.
 * - The gap-free cursor (src/domain/cursor.ts): a change committed on the primary but not yet
 *   replayed is never passed — also when a younger transaction's change has been replayed, and
 *   when it is an anonymous indicator's, published apart — and arrives on the next page once
 *   replay catches up.
 *
 * Skipped without a PostgreSQL to stream from, its server binaries, or replication access
 * (.ci/run allows replication from 127.0.0.1).
 */
import t from 'tap';
import postgres from 'postgres';
import { Writable } from 'node:stream';
import { loggerOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { horizonOf } from '../../src/domain/cursor.js';
import { feedHorizon } from '../../src/modules/feeds/query.js';
import { checkReplica, startRuntime } from '../../src/runtime.js';
import { adminToken, BOOTSTRAP_ID, BOOTSTRAP_SECRET, createMember, drainFeed, isolatedDatabase, json, pushItems } from '../helpers/app.js';
import { until } from '../helpers/bind.js';
import { replicaUnavailable, startReplica } from '../helpers/replica.js';

const base = process.env.DATABASE_URL;
const unavailable = await replicaUnavailable(base);
if (unavailable) t.comment(`read replica test skipped: ${unavailable}`);

/** The xid a feed cursor points at (cursors are opaque to clients; the test may look inside). */
const cursorXid = (cursor: string) => BigInt(JSON.parse(Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8')).x as string);

t.test('read replica (DATABASE_READ_URL) with a streaming hot standby', { skip: unavailable ?? false }, async (t) => {
  const replica = await startReplica(base!);
  // Teardowns run last registered first: the app, then its database, then the standby.
  t.teardown(async () => {
    if (!t.passing()) t.comment(`standby log:\n${replica.log().slice(-4000)}`);
    await replica.stop();
  });

  const { handle, url } = await isolatedDatabase(t);
  const name = new URL(url!).pathname.slice(1);
  await replica.hasDatabase(name);
  const config = loadConfig({
    LOG_LEVEL: 'warn', BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID, BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    RATE_LIMIT_MAX: '100000', TOKEN_RATE_LIMIT_MAX: '100000',
    DATABASE_URL: url!, DATABASE_READ_URL: replica.url(name),
  });
  t.equal(config.databaseReadUrl, replica.url(name));
  const logs: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const { app, readDatabase } = await startRuntime(config, { database: handle, logger: loggerOptions(config.logLevel, stream) });
  t.teardown(() => app.close());
  await app.ready();
  t.ok(readDatabase, 'a second pool is opened for the replica');
  const [onReplica] = await readDatabase!.pg!<{ standby: boolean }[]>`select pg_is_in_recovery() as standby`;
  t.equal(onReplica!.standby, true, 'the read pool is connected to the standby');

  const primary = postgres(url!, { max: 2, onnotice: () => {} });
  t.teardown(() => primary.end({ timeout: 5 }));
  const changeXid = async (id: string) => BigInt((await primary<{ xid: string }[]>`
    select max(xid::text::numeric)::text as xid from indicator_changes where indicator_id = ${id}::uuid`)[0]!.xid);
  /**
   * Waits (bounded) until the replica serves changes of transaction `xid`: replayed, and every
   * older transaction of the primary's server — of any database, other tests' too — finished in
   * what was replayed (src/domain/cursor.ts). Replay must be running.
   */
  const served = async (xid: bigint) => {
    await replica.catchUp();
    await until(`the replica's horizon to pass ${xid}`, async () => BigInt(await feedHorizon(readDatabase!.db)) > xid, 90, 50);
  };
  const deliveries = async (clientId: string, path: string) => (await primary<{ ids: string[] }[]>`
    select coalesce(array_agg(x), '{}') as ids from audit_log, unnest(indicator_ids) as x
    where action = 'delivery' and actor = ${clientId} and path = ${path}`)[0]!.ids.map(String);

  const admin = await adminToken(app);
  const partner = await createMember(app, admin, 'partner', 'IT', { sectors: ['live_sports'] });
  const isp = await createMember(app, admin, 'intermediary', 'IT');
  const domain = (value: string) => ({ type: 'domain', value, tlp: 'CLEAR', pap: 'CLEAR' });
  const [first] = await pushItems(app, partner, [domain('replica-first.tv')]);
  await served(await changeXid(first!.id));

  let cursor: string;
  await t.test('writes go to the primary; reads show the replica; deliveries are recorded on the primary', async (t) => {
    const page = json(await app.inject({ method: 'GET', url: '/v1/feed', headers: isp.auth }));
    t.same(page.items.map((i: { id: string }) => i.id), [first!.id], 'the feed, read from the replica, has what was replayed');
    t.ok((await deliveries(isp.clientId, 'feed:json')).includes(first!.id), 'its delivery is on the primary');
    cursor = page.next_cursor;

    await replica.pause();
    const [second] = await pushItems(app, partner, [domain('replica-second.tv')]); // a write, with replay paused: to the primary
    const x2 = await changeXid(second!.id);

    const next = json(await app.inject({ method: 'GET', url: `/v1/feed?cursor=${encodeURIComponent(cursor)}`, headers: isp.auth }));
    t.same(next.items, [], 'the replica has not replayed the new indicator: not in the feed yet');
    t.ok(cursorXid(next.next_cursor) <= x2, 'and the cursor does not pass its change');
    cursor = next.next_cursor;

    const saved = await app.inject({ method: 'POST', url: '/v1/feeds', headers: isp.auth, payload: { name: 'domains', filters: { types: ['domain'] } } });
    t.equal(saved.statusCode, 201, 'a saved feed is created (on the primary)');
    const savedPage = await app.inject({ method: 'GET', url: `/v1/feeds/${json(saved).id}/items`, headers: isp.auth });
    t.equal(savedPage.statusCode, 200, 'and found at once, though the replica does not have it yet');
    t.same(json(savedPage).items.map((i: { id: string }) => i.id), [first!.id], 'its items are the replica\'s');
    t.ok((await deliveries(isp.clientId, 'saved-feed:json')).includes(first!.id), 'delivered, on the primary');

    const list = json(await app.inject({ method: 'GET', url: '/v1/indicators', headers: partner.auth }));
    t.same(list.items.map((i: { id: string }) => i.id), [first!.id], 'the source\'s list is the replica\'s view');
    const lookup = json(await app.inject({ method: 'GET', url: '/v1/lookup?type=domain&value=replica-second.tv', headers: isp.auth }));
    t.same(lookup.indicators, [], 'so is a lookup');
    const blocklist = await app.inject({ method: 'GET', url: '/v1/blocklist?type=domain', headers: isp.auth });
    t.equal(blocklist.body, 'replica-first.tv\n', 'and the blocklist');
    t.ok((await deliveries(isp.clientId, 'blocklist:txt')).includes(first!.id), 'whose delivery is on the primary');

    const read = await app.inject({ method: 'GET', url: `/v1/indicators/${second!.id}`, headers: isp.auth });
    t.equal(read.statusCode, 200, 'a single read the replica cannot answer yet is answered by the primary');
    t.equal(json(read).value, 'replica-second.tv');
    t.same(await deliveries(isp.clientId, 'read'), [second!.id], 'and recorded as delivered there');
    const readFirst = await app.inject({ method: 'GET', url: `/v1/indicators/${first!.id}`, headers: isp.auth });
    t.equal(readFirst.statusCode, 200, 'a read the replica answers');
    t.same((await deliveries(isp.clientId, 'read')).sort(), [first!.id, second!.id].sort(), 'is recorded on the primary too');

    await replica.resume();
    await served(x2);
    const caught = json(await app.inject({ method: 'GET', url: `/v1/feed?cursor=${encodeURIComponent(cursor)}`, headers: isp.auth }));
    t.same(caught.items.map((i: { id: string }) => i.id), [second!.id], 'once replayed, it is on the next page');
    cursor = caught.next_cursor;
    const listed = json(await app.inject({ method: 'GET', url: '/v1/indicators', headers: partner.auth }));
    t.same(listed.items.map((i: { id: string }) => i.id).sort(), [first!.id, second!.id].sort());
  });

  await t.test('a change committed on the primary but not replayed is never passed, though a younger one is replayed', async (t) => {
    // T1 takes its xid first and stays open; T2 (a submission) takes a younger xid and commits.
    const t1 = await primary.reserve();
    let open = true;
    t.teardown(async () => { if (open) await t1`rollback`.catch(() => {}); t1.release(); });
    await t1`begin`;
    const a = (await t1<{ xid: string }[]>`
      insert into indicator_changes (indicator_id, version, kind) select id, version, 'updated' from indicators where id = ${first!.id}::uuid
      returning xid::text`)[0]!.xid;
    const [third] = await pushItems(app, partner, [domain('replica-third.tv')]);
    const b = await changeXid(third!.id);
    t.ok(b > BigInt(a), 'T2 is younger than T1');

    // The replica replays T2's commit; then replay stops and T1 commits on the primary.
    await replica.catchUp();
    await replica.pause();
    await t1`commit`;
    open = false;

    const standby = postgres(replica.url(name), { max: 1, onnotice: () => {} });
    t.teardown(() => standby.end({ timeout: 5 }));
    const seen = await standby<{ xid: string }[]>`select xid::text from indicator_changes where xid in (${a}::xid8, ${b.toString()}::xid8)`;
    t.same(seen.map((r) => r.xid), [b.toString()], 'the replica shows T2\'s change and not T1\'s');
    const [snapshot] = await standby<{ xmin: string; xmax: string; xip: string[] }[]>`
      select pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax, array(select x::text from pg_snapshot_xip(s) as x) as xip
      from pg_current_snapshot() as s`;
    t.comment(`standby snapshot: ${JSON.stringify(snapshot)}`);
    t.ok(BigInt(horizonOf(snapshot!, [])) > b, 'the primary\'s rule, without the primary\'s backends to see, would pass T1 (the gap)');
    const horizon = BigInt(await feedHorizon(readDatabase!.db));
    t.ok(horizon <= BigInt(a), `the replica's horizon (${horizon}) stays at or below T1 (${a})`);

    const page = json(await app.inject({ method: 'GET', url: `/v1/feed?cursor=${encodeURIComponent(cursor)}`, headers: isp.auth }));
    t.same(page.items, [], 'nothing is served past T1, not even T2\'s replayed change');
    t.ok(cursorXid(page.next_cursor) <= BigInt(a), 'the cursor stays at or below T1');
    const ndjson = await app.inject({ method: 'GET', url: `/v1/feed?format=ndjson&cursor=${encodeURIComponent(cursor)}`, headers: isp.auth });
    t.equal(ndjson.body, '', 'the same in NDJSON');
    t.ok(cursorXid(ndjson.headers['x-next-cursor'] as string) <= BigInt(a));

    await replica.resume();
    await served(b);
    const { entries } = await drainFeed(app, isp, { cursor: page.next_cursor });
    t.same(entries.map((e: { id: string }) => e.id), [first!.id, third!.id], 'once replayed, both arrive, in order: no gap');
    t.notOk(logs.some((l) => /"level":(50|60)/.test(l)), 'nothing was logged as an error');
  });

  await t.test('an anonymous submission, published in a transaction of its own, is not passed either', async (t) => {
    const { cursor: start } = await drainFeed(app, isp, { cursor });
    await replica.pause();
    const [anon] = await pushItems(app, partner, [{ ...domain('replica-anonymous.tv'), attribution: 'anonymous' }]);
    const published = await changeXid(anon!.id);
    t.ok(published > 0n, 'its change is published on the primary');
    const page = json(await app.inject({ method: 'GET', url: `/v1/feed?cursor=${encodeURIComponent(start)}`, headers: isp.auth }));
    t.same(page.items, [], 'not replayed: not served');
    t.ok(cursorXid(page.next_cursor) <= published, 'and not passed');
    await replica.resume();
    await served(published);
    const { entries, cursor: end } = await drainFeed(app, isp, { cursor: page.next_cursor });
    t.same(entries.map((e: { id: string }) => e.id), [anon!.id], 'once replayed, it arrives');
    cursor = end;
  });

  await t.test('the read database must be the primary\'s own cluster: a logical replica or another server is refused', async (t) => {
    await t.resolves(checkReplica(handle, readDatabase!), 'the standby passes');
    await t.resolves(checkReplica(handle, handle), 'so does the primary itself');
    const elsewhere = { db: { execute: async () => [{ id: '1' }] } } as unknown as Parameters<typeof checkReplica>[1];
    await t.rejects(checkReplica(handle, elsewhere), /DATABASE_READ_URL is not a streaming replica of DATABASE_URL/);
  });
});
