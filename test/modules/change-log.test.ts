/**
 * The change log under change: tombstones judged against the audience as it was when the
 * indicator changed, group membership changes flowing through feeds, filtered feeds that still
 * get their tombstones, expiry between two sweeps, and anonymous indicators that do not betray
 * their batch (issue 8, findings 4, 5, 6, 8 and 12).
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { sweep } from '../../src/modules/feeds/sweeper.js';
import { adminToken, createMember, createTestApp, drainFeed, json, type Member } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });

let n = 0;
const unique = (label: string) => `${label}-${++n}-${process.pid}.com`;

async function push(items: Record<string, unknown>[], who: Member = source) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  const body = json(res);
  if (res.statusCode !== 200 || body.summary.rejected) throw new Error(`push failed: ${res.body}`);
  return body.results as Array<{ id: string; value: string }>;
}

async function patch(id: string, payload: Record<string, unknown>) {
  const res = await app.inject({ method: 'PATCH', url: `/v1/indicators/${id}`, headers: source.auth, payload });
  if (res.statusCode !== 200) throw new Error(`patch failed: ${res.body}`);
}

async function group(members: string[]) {
  const res = await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: adminAuth, payload: { name: unique('group'), members } });
  if (res.statusCode !== 201) throw new Error(`group failed: ${res.body}`);
  return json(res).id as string;
}

async function setMembers(groupId: string, members: string[]) {
  const res = await app.inject({ method: 'PATCH', url: `/v1/sharing-groups/${groupId}`, headers: adminAuth, payload: { members } });
  if (res.statusCode !== 200) throw new Error(`group change failed: ${res.body}`);
}

const drain = (consumer: Member, cursor?: string, path = '/v1/feed', query = '') => drainFeed(app, consumer, { cursor, path, query });

const about = (entries: any[], id: string) => entries.filter((e) => e.id === id);

t.test('finding 4: a tombstone never reaches an organisation that joined the group after the change', async (t) => {
  const agencyDE = await createMember(app, admin, 'agency', 'DE');
  const agencyFR2 = await createMember(app, admin, 'agency', 'FR');
  const g2 = await group([source.orgId, agencyDE.orgId]);
  const deStart = await drain(agencyDE);
  const frStart = await drain(agencyFR2);
  const [red] = await push([{ type: 'domain', value: unique('red-g2'), tlp: 'RED', audience: { groups: [g2] } }]);
  t.match(about((await drain(agencyDE, deStart.cursor)).entries, red!.id), [{ status: 'active', value: red!.value }], 'the member receives the RED indicator');

  await app.inject({ method: 'DELETE', url: `/v1/indicators/${red!.id}`, headers: source.auth });
  await setMembers(g2, [source.orgId, agencyFR2.orgId]);

  const fr = await drain(agencyFR2, frStart.cursor);
  t.same(about(fr.entries, red!.id), [], 'the organisation that joined later gets neither the item nor its tombstone');
  t.notOk(JSON.stringify(fr.entries).includes(red!.value), 'the RED value is nowhere in its feed');
  t.same(about((await drain(agencyFR2)).entries, red!.id), [], 'not from the start of the feed either');
  t.match(about((await drain(agencyDE, deStart.cursor)).entries, red!.id), [{ status: 'withdrawn', value: red!.value }], 'the former recipient gets its tombstone');
});

t.test('finding 5: leaving a group revokes, joining delivers, the others see nothing new', async (t) => {
  const leaver = await createMember(app, admin, 'agency', 'NL');
  const joiner = await createMember(app, admin, 'agency', 'BE');
  const stayer = await createMember(app, admin, 'agency', 'LU');
  const g = await group([source.orgId, leaver.orgId, stayer.orgId]);
  const [red] = await push([{ type: 'domain', value: unique('red-g'), tlp: 'RED', audience: { groups: [g] } }]);
  const leaverSaw = await drain(leaver);
  const stayerSaw = await drain(stayer);
  const joinerBefore = await drain(joiner);
  t.match(about(leaverSaw.entries, red!.id), [{ status: 'active' }]);
  t.same(about(joinerBefore.entries, red!.id), [], 'not yet a member: nothing');

  await setMembers(g, [source.orgId, joiner.orgId, stayer.orgId]);

  t.match(about((await drain(leaver, leaverSaw.cursor)).entries, red!.id), [{ status: 'revoked', value: red!.value }], 'the leaver gets a revoked tombstone');
  const blocklist = await app.inject({ method: 'GET', url: '/v1/blocklist?type=domain', headers: leaver.auth });
  t.notOk(blocklist.body.includes(red!.value), 'and the value leaves its blocklist');
  t.match(about((await drain(joiner, joinerBefore.cursor)).entries, red!.id), [{ status: 'active', value: red!.value }], 'the joiner receives the item through its feed');
  t.same((await drain(stayer, stayerSaw.cursor)).entries, [], 'a member that stayed sees no change: its history is not rewritten');

  // Withdrawn later: the joiner (a recipient now) gets the tombstone, the leaver nothing more.
  const leaverNow = await drain(leaver);
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${red!.id}`, headers: source.auth });
  t.same(about((await drain(leaver, leaverNow.cursor)).entries, red!.id), [], 'the leaver is no longer told about it');
  t.match(about((await drain(joiner)).entries, red!.id), [{ status: 'withdrawn' }]);
});

t.test('finding 6: a filtered feed gets the tombstone of what it delivered, whatever its filters', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'AT');
  const other = await createMember(app, admin, 'agency', 'CZ');
  const clear = '&tlp=CLEAR';
  const start = await drain(consumer, undefined, '/v1/feed', clear);
  const [toRed, toGreen, lessConfident, amber] = await push([
    { type: 'domain', value: unique('clear-to-red'), tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: unique('clear-to-green'), tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: unique('confident'), tlp: 'CLEAR', pap: 'CLEAR', confidence: 90 },
    { type: 'domain', value: unique('amber'), tlp: 'AMBER' },
  ]);
  const seen = await drain(consumer, start.cursor, '/v1/feed', clear);
  t.same(seen.entries.map((e) => e.id).sort(), [toRed!.id, toGreen!.id, lessConfident!.id].sort(), 'the CLEAR feed delivers the CLEAR items only');
  const saved = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: consumer.auth, payload: { name: 'confident', filters: { min_confidence: 80 } } }));
  const savedStart = await drain(consumer, undefined, `/v1/feeds/${saved.id}/items`);
  t.match(about(savedStart.entries, lessConfident!.id), [{ status: 'active' }]);

  await patch(toRed!.id, { tlp: 'RED', audience: { orgs: [other.orgId] } });
  await patch(toGreen!.id, { tlp: 'GREEN', pap: 'GREEN' });
  await patch(lessConfident!.id, { confidence: 20 });
  await patch(amber!.id, { description: 'still amber' });

  const after = await drain(consumer, seen.cursor, '/v1/feed', clear);
  t.match(about(after.entries, toRed!.id), [{ status: 'revoked', value: toRed!.value }], 'RED for someone else: revoked, although the item is no longer CLEAR');
  t.match(about(after.entries, toGreen!.id), [{ status: 'revoked' }], 'still receivable but out of the filter: it leaves this feed with a tombstone');
  t.same(about(after.entries, amber!.id), [], 'an item the filter never delivered gets no tombstone');
  const redTombstone = about(after.entries, toRed!.id)[0]!;
  t.notOk(['pap', 'confidence', 'description', 'audience'].some((field) => field in redTombstone), 'the tombstone carries no content');
  t.equal(redTombstone.tlp, 'CLEAR', 'only the TLP it was delivered under: a former recipient does not learn it went RED');
  t.match(about((await drain(consumer, savedStart.cursor, `/v1/feeds/${saved.id}/items`)).entries, lessConfident!.id), [{ status: 'revoked' }],
    'a saved feed with min_confidence tombstones an item whose confidence dropped below it');
  t.match(about((await drain(consumer)).entries, toGreen!.id), [{ status: 'active', tlp: 'GREEN' }], 'the unfiltered feed still has it as an item');
});

t.test('finding 12: an indicator activated and expired between two sweeps still gets its expired tombstone', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'PL');
  const start = await drain(consumer);
  const [item] = await push([{ type: 'domain', value: unique('short-lived'), valid_from: new Date(Date.now() + 3_600_000).toISOString() }]);
  t.same(about((await drain(consumer, start.cursor)).entries, item!.id), [], 'not delivered before valid_from');
  // Time passes (moved by hand, not waited for): valid_from is behind us and the sweeper has not
  // run yet, so the indicator is pending still — but reads and the feed deliver it already.
  await database.db.execute(sql`update indicators set valid_from = now() - interval '2 hours', valid_until = now() + interval '1 hour' where id = ${item!.id}::uuid`);
  const delivered = await drain(consumer, start.cursor);
  t.match(about(delivered.entries, item!.id), [{ status: 'active' }], 'delivered once valid_from has passed, before any sweep');
  await database.db.execute(sql`update indicators set valid_until = now() - interval '1 minute' where id = ${item!.id}::uuid`);
  t.match(await sweep(database.db), { expired: 1 }, 'expired without ever having been swept active');
  t.match(about((await drain(consumer, delivered.cursor)).entries, item!.id), [{ status: 'expired', value: item!.value }], 'its recipient gets the expired tombstone');
});

t.test('finding 8: an anonymous indicator shares neither id order, transaction nor timestamps with its batch', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'SE');
  const start = await drain(consumer);
  const results = await push([
    { type: 'domain', value: unique('named-a') },
    { type: 'domain', value: unique('anonymous'), attribution: 'anonymous' },
    { type: 'domain', value: unique('named-b') },
  ]);
  const [a, anon, b] = results;
  t.equal(anon!.id[14], '4', 'the anonymous id is random (UUID version 4)');
  t.equal(a!.id[14], '7', 'named ids stay time-ordered (UUID version 7)');

  const changes = await rows<{ indicator_id: string; xid: string }>(database.db, sql`
    select indicator_id::text, xid::text from indicator_changes where indicator_id in (${a!.id}::uuid, ${anon!.id}::uuid, ${b!.id}::uuid)`);
  const xidOf = new Map(changes.map((c) => [c.indicator_id, c.xid]));
  t.equal(xidOf.get(a!.id), xidOf.get(b!.id), 'the named items share their batch transaction');
  t.ok(xidOf.has(anon!.id), 'the anonymous item is in the change log once its request returned');
  t.not(xidOf.get(anon!.id), xidOf.get(a!.id), 'the anonymous item was published in a transaction of its own');

  const feed = await drain(consumer, start.cursor);
  const seen = about(feed.entries, anon!.id)[0];
  t.equal(seen.source, null, 'recipients do not learn the source');
  t.match(seen.updated_at, /T\d\d:00:00\.000Z$/, 'its time of change is shown to the hour');
  t.match(seen.valid_from, /T\d\d:00:00\.000Z$/, 'its default valid_from is the start of the hour');
  const named = about(feed.entries, a!.id)[0];
  t.not(seen.updated_at, named.updated_at, 'it does not carry the batch timestamp');
  const own = json(await app.inject({ method: 'GET', url: `/v1/indicators/${anon!.id}`, headers: source.auth }));
  t.equal(own.source.org_id, source.orgId, 'the source still sees itself');
});

t.test('pending anonymous changes left by a crash are published by the sweeper', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'FI');
  const start = await drain(consumer);
  const [anon] = await push([{ type: 'domain', value: unique('anonymous-later'), attribution: 'anonymous' }]);
  // As if the process died between the commit and the publication.
  await database.db.execute(sql`insert into pending_changes (indicator_id, version, kind) values (${anon!.id}::uuid, 1, 'updated')`);
  t.match(await sweep(database.db), { published: 1 });
  t.equal((await rows<{ n: number }>(database.db, sql`select count(*)::int as n from pending_changes`))[0]!.n, 0, 'nothing left waiting');
  t.match(about((await drain(consumer, start.cursor)).entries, anon!.id), [{ status: 'active' }]);
});

t.test('a source that left a group may still change the indicators that name it', async (t) => {
  const member = await createMember(app, admin, 'agency', 'IE');
  const g = await group([source.orgId, member.orgId]);
  const [red] = await push([{ type: 'domain', value: unique('left-group'), tlp: 'RED', audience: { groups: [g] } }]);
  await setMembers(g, [member.orgId]);
  const res = await app.inject({ method: 'PATCH', url: `/v1/indicators/${red!.id}`, headers: source.auth, payload: { description: 'still ours' } });
  t.equal(res.statusCode, 200, 'the group it names already stays namable');
  const other = await group([member.orgId]);
  const refused = await app.inject({ method: 'PATCH', url: `/v1/indicators/${red!.id}`, headers: source.auth, payload: { audience: { groups: [g, other] } } });
  t.equal(refused.statusCode, 400, 'but it cannot add a group it is not in');
  t.match(json(refused).errors, [{ message: `unknown sharing group ${other}` }]);
});

t.test('a change that comes before the sweeper has recorded an expiry still tombstones what recipients hold', async (t) => {
  const isp = await createMember(app, admin, 'intermediary', 'HU');
  const agency = await createMember(app, admin, 'agency', 'HU');
  const start = await drain(isp);
  const [resubmitted, withdrawn] = await push([
    { type: 'domain', value: unique('ran-out-resubmitted'), tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: unique('ran-out-withdrawn'), tlp: 'CLEAR', pap: 'CLEAR' },
  ]);
  const received = await drain(isp, start.cursor);
  t.equal(received.entries.length, 2, 'the intermediary holds both');
  // valid_until passes (moved by hand); no sweep has run yet.
  await database.db.execute(sql`update indicators set valid_from = now() - interval '2 days', valid_until = now() - interval '1 second'
    where id in (${resubmitted!.id}::uuid, ${withdrawn!.id}::uuid)`);
  await push([{ type: 'domain', value: resubmitted!.value, tlp: 'RED', audience: { orgs: [agency.orgId] } }]);
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawn!.id}`, headers: source.auth });
  await sweep(database.db);
  const after = await drain(isp, received.cursor);
  t.match(about(after.entries, resubmitted!.id), [{ status: 'revoked', value: resubmitted!.value }], 'resubmitted as RED for another: revoked');
  t.match(about(after.entries, withdrawn!.id), [{ status: 'withdrawn', value: withdrawn!.value }], 'withdrawn: its tombstone');
});
