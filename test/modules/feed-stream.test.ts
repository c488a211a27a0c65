/**
 * GET /v1/feed/stream over real HTTP: delivery, the sharing rule, filters, tombstones, resume
 * with Last-Event-ID, heartbeats, slow subscribers, limits, shutdown — on PGlite in-process and,
 * with DATABASE_URL, across two app instances sharing one PostgreSQL database.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import postgres from 'postgres';
import { loadConfig } from '../../src/config.js';
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../../src/db/client.js';
import { startRuntime } from '../../src/runtime.js';
import { adminToken, BOOTSTRAP_ID, BOOTSTRAP_SECRET, createMember, createTestApp, drainFeed, pushItems, type Member } from '../helpers/app.js';
import { baseUrl, entriesOf, openStream, type SseStream } from '../helpers/sse.js';

const ENV = { STREAM_HEARTBEAT_MS: '100', STREAM_BUFFER_BYTES: '65536', STREAM_MAX_PER_CLIENT: '3' };
const { app, database, url: databaseUrl } = await createTestApp(t, ENV);
const admin = await adminToken(app);
const base = await baseUrl(app);
const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });

const push = (items: Record<string, unknown>[]) => pushItems(app, source, items);

/** A stream for `who` from where its feed stands now (so earlier tests' changes stay out of it). */
async function subscribe(who: Member, query = '', target = base): Promise<SseStream> {
  const { cursor } = await drainFeed(app, who, { query });
  const stream = await openStream(target, `/v1/feed/stream?cursor=${encodeURIComponent(cursor)}${query}`, who.auth);
  t.teardown(() => stream.close());
  if (stream.status !== 200) throw new Error(`stream refused: ${stream.status} ${stream.body}`);
  return stream;
}

const ids = (stream: SseStream, event?: string) => entriesOf(stream, event).map((e) => e.id);
const has = (stream: SseStream, id: string, event = 'item') => () => entriesOf(stream, event).some((e) => e.id === id);

/**
 * Another instance of the service on this test's database: with a connection pool (and listener)
 * of its own — another node — or on this instance's database handle, which it leaves open.
 */
async function anotherInstance(t: Tap, env: Record<string, string>, pool: 'own' | 'shared') {
  const config = loadConfig({ LOG_LEVEL: 'silent', BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID, BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET, RATE_LIMIT_MAX: '100000', ...env });
  const handle = pool === 'own' ? await openDatabase({ url: databaseUrl!, max: 5 }) : { ...database, close: async () => {} };
  const { app: node } = await startRuntime(config, { database: handle });
  t.teardown(() => node.close());
  return { node, base: await baseUrl(node) };
}
type Tap = { teardown(fn: () => unknown): void };

t.test('a committed change arrives as an item event whose id is the feed cursor', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'ES');
  const stream = await subscribe(agency);
  t.match(stream.headers, { 'content-type': 'text/event-stream; charset=utf-8', 'x-accel-buffering': 'no', 'cache-control': /no-cache/ });
  t.ok(stream.headers['x-request-id'], 'the request id, as on every answer');
  await stream.until(() => stream.retry !== undefined, 'the retry field');
  t.equal(stream.retry, 2000, 'tells the client how soon to reconnect');

  // On an instance whose heartbeat (and the poll it makes) is far away, only the notification brings it.
  const quiet = await anotherInstance(t, { ...ENV, STREAM_HEARTBEAT_MS: '30000' }, 'shared');
  const notified = await subscribe(agency, '', quiet.base);

  const [pushed] = await push([{ type: 'domain', value: 'live-stream-one.com', tlp: 'GREEN' }]);
  await stream.until(has(stream, pushed!.id), 'the item');
  await notified.until(has(notified, pushed!.id), 'the item, by notification');
  const [event] = stream.events.filter((e) => e.event === 'item');
  t.match(JSON.parse(event!.data), { id: pushed!.id, version: 1, status: 'active', type: 'domain', value: 'live-stream-one.com', tlp: 'GREEN', source: { org_id: source.orgId } });
  const polled = (await drainFeed(app, agency)).entries.find((e) => e.id === pushed!.id);
  t.same(JSON.parse(event!.data), polled, 'the very item GET /v1/feed serves');
  // The event id is a feed cursor: polling from it has nothing the stream did not send.
  t.same((await drainFeed(app, agency, { cursor: event!.id })).entries, [], 'the feed from the event id has nothing more');
  // Recorded before it left (contract §7): the subscriber's client, the path, the version it received.
  const recorded = await rows<{ versions: number[] }>(database.db, sql`
    select versions from audit_log where action = 'delivery' and path = 'stream' and actor = ${agency.clientId} and ${pushed!.id}::uuid = any(indicator_ids)`);
  t.same(recorded.map((r) => r.versions), [[1], [1]], 'each of the two streams that carried it recorded its delivery');
});

t.test('only what the subscriber may receive is sent: RED for another org, PAP for intermediaries, exclusions, filters', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'DE');
  const otherAgency = await createMember(app, admin, 'agency', 'AT');
  const intermediary = await createMember(app, admin, 'intermediary', 'DE');
  const streams = {
    agency: await subscribe(agency),
    intermediary: await subscribe(intermediary),
    domainsOnly: await subscribe(agency, '&types=domain&min_confidence=60'),
  };
  const pushed = await push([
    { type: 'domain', value: 'for-everyone.com', tlp: 'CLEAR', pap: 'GREEN', confidence: 90 },
    { type: 'domain', value: 'red-for-another.com', tlp: 'RED', audience: { orgs: [otherAgency.orgId] } },
    { type: 'domain', value: 'pap-amber.com', tlp: 'CLEAR', pap: 'AMBER', confidence: 90 },
    { type: 'domain', value: 'excluded-de.com', tlp: 'CLEAR', pap: 'GREEN', exclude: { countries: ['DE'] } },
    { type: 'ipv4', value: '45.77.9.9', tlp: 'CLEAR', pap: 'GREEN', confidence: 90 },
    { type: 'domain', value: 'low-confidence.com', tlp: 'CLEAR', pap: 'GREEN', confidence: 20 },
  ]);
  const id = Object.fromEntries(pushed.map((r) => [r.value, r.id]));
  // A later transaction everyone receives: once it has arrived, everything before it has (commit order).
  const [last] = await push([{ type: 'domain', value: 'stream-sentinel.com', tlp: 'CLEAR', pap: 'GREEN', confidence: 90 }]);
  for (const stream of Object.values(streams)) await stream.until(has(stream, last!.id), 'the sentinel');

  t.same(ids(streams.agency).sort(), [id['for-everyone.com'], id['pap-amber.com'], id['45.77.9.9'], id['low-confidence.com'], last!.id].sort(),
    'the agency: everything but the RED for another org and what excludes its country');
  t.same(ids(streams.intermediary).sort(), [id['for-everyone.com'], id['45.77.9.9'], id['low-confidence.com'], last!.id].sort(),
    'the intermediary: not PAP:AMBER either');
  t.same(ids(streams.domainsOnly).sort(), [id['for-everyone.com'], id['pap-amber.com'], last!.id].sort(), 'filters apply');

  const red = await subscribe(otherAgency);
  const [later] = await push([{ type: 'domain', value: 'red-later.com', tlp: 'RED', audience: { orgs: [otherAgency.orgId] } }]);
  await red.until(has(red, later!.id), 'the RED item at its audience');
});

t.test('tombstones arrive: withdrawn, revoked by a narrowed audience', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'PL');
  const stream = await subscribe(agency);
  const [withdrawn, narrowed] = await push([{ type: 'domain', value: 'tomb-stream-a.com' }, { type: 'domain', value: 'tomb-stream-b.com' }]);
  await stream.until(() => ids(stream, 'item').length === 2, 'both items');
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawn!.id}`, headers: source.auth })).statusCode, 200);
  const other = await createMember(app, admin, 'agency', 'CZ');
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/indicators/${narrowed!.id}`, headers: source.auth, payload: { audience: { orgs: [other.orgId] } } })).statusCode, 200);
  await stream.until(() => ids(stream, 'tombstone').length === 2, 'both tombstones');
  const tombstones = new Map(entriesOf(stream, 'tombstone').map((e) => [e.id, e]));
  t.match(tombstones.get(withdrawn!.id), { status: 'withdrawn', version: 2, type: 'domain', value: 'tomb-stream-a.com' });
  t.match(tombstones.get(narrowed!.id), { status: 'revoked', value: 'tomb-stream-b.com' });
  t.same(Object.keys(tombstones.get(narrowed!.id)!).sort(), ['id', 'platform', 'source', 'status', 'tlp', 'type', 'updated_at', 'value', 'version'],
    'a tombstone carries the observable, its TLP and source, no content');
});

t.test('resume after a dropped connection with Last-Event-ID: every write made meanwhile arrives', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'NL');
  const first = await subscribe(agency);
  const [before] = await push([{ type: 'domain', value: 'before-the-cut.com' }]);
  await first.until(has(first, before!.id), 'the first item');
  first.close();
  await first.until(() => first.ended, 'the cut');

  // Written while nobody listens, in several transactions, withdrawals too.
  const meanwhile = [
    ...(await push([{ type: 'domain', value: 'while-away-1.com' }, { type: 'ipv4', value: '45.77.3.3' }])),
    ...(await push([{ type: 'domain', value: 'while-away-2.com' }])),
  ];
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${before!.id}`, headers: source.auth });

  // The original URL's cursor is older: Last-Event-ID wins, as EventSource sends it.
  const resumed = await openStream(base, `/v1/feed/stream`, { ...agency.auth, 'last-event-id': first.lastEventId });
  t.teardown(() => resumed.close());
  await resumed.until(() => ids(resumed, 'tombstone').includes(before!.id), 'the withdrawal');
  t.same(ids(resumed, 'item').sort(), meanwhile.map((r) => r.id).sort(), 'every write made meanwhile, and nothing sent before the cut');

  // Polling takes over from the stream's last id with nothing missing and nothing new.
  t.same((await drainFeed(app, agency, { cursor: resumed.lastEventId })).entries, [], 'polling from the last event id: nothing left');
  const [next] = await push([{ type: 'domain', value: 'after-resume.com' }]);
  await resumed.until(has(resumed, next!.id), 'live again');
});

t.test('heartbeats arrive, and carry the position past changes that were not for the subscriber', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'SE');
  const stranger = await createMember(app, admin, 'agency', 'FI');
  const stream = await subscribe(agency);
  await stream.until(() => stream.comments.filter((c) => c === 'heartbeat').length >= 2, 'two heartbeats');
  const idBefore = stream.lastEventId;
  const [hidden] = await push([{ type: 'domain', value: 'not-for-sweden.com', tlp: 'RED', audience: { orgs: [stranger.orgId] } }]);
  await stream.until(() => stream.lastEventId !== idBefore, 'a heartbeat with an id');
  t.same(stream.events, [], 'no event for a change the subscriber may not receive');
  const polled = await drainFeed(app, agency, { cursor: stream.lastEventId });
  t.same(polled.entries, [], 'the heartbeat\'s id is a feed cursor past it');
  t.notOk(ids(stream).includes(hidden!.id));
});

t.test('a subscriber that does not read is dropped; one that reads gets everything', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'IE');
  const reader = await subscribe(agency);
  const { cursor } = await drainFeed(app, agency);
  // A client that sends its request and never reads the answer.
  const stalled = connect(Number(new URL(base).port), '127.0.0.1');
  t.teardown(() => stalled.destroy());
  await new Promise<void>((resolve) => stalled.once('connect', () => resolve()));
  stalled.pause();
  stalled.write(`GET /v1/feed/stream?cursor=${encodeURIComponent(cursor)} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${agency.auth.authorization}\r\n\r\n`);
  const closedSlow = async () => /isop_feed_streams_closed_total\{reason="slow"\} (\d+)/.exec((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${admin}` } })).body)?.[1];
  t.equal(await closedSlow(), undefined, 'nothing dropped yet');

  // ~8 MB of events: more than the kernel's socket buffers take, then above STREAM_BUFFER_BYTES (64 KiB).
  const description = 'x'.repeat(9_000);
  const pushed = [];
  for (let batch = 0; batch < 4; batch++) {
    // For this agency only, so that other tests' consumers need not page through them.
    pushed.push(...await push(Array.from({ length: 225 }, (_, i) => ({ type: 'domain', value: `heavy-${batch}-${i}.com`, description, audience: { orgs: [agency.orgId] } }))));
  }
  await reader.until(() => ids(reader).length >= pushed.length, 'every item at the reader', 60_000);
  for (let i = 0; i < 600 && await closedSlow() !== '1'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(await closedSlow(), '1', 'the stalled subscriber was dropped');
  t.same(new Set(ids(reader)), new Set(pushed.map((r) => r.id)), 'the reader was not');
});
t.test('the query is checked like the feed\'s; a client may hold only so many streams', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'LU');
  const refused = async (path: string, headers: Record<string, string> = {}) => {
    const stream = await openStream(base, path, { ...agency.auth, ...headers });
    return { status: stream.status, type: stream.headers['content-type'], body: stream.body ? JSON.parse(stream.body) : undefined };
  };
  t.match(await refused('/v1/feed/stream?cursor=forged.cursor'), { status: 400, type: /problem\+json/, body: { errors: [{ path: '/query/cursor' }] } });
  t.match(await refused('/v1/feed/stream', { 'last-event-id': 'forged.cursor' }), { status: 400, body: { errors: [{ path: '/headers/last-event-id' }] } });
  t.match(await refused('/v1/feed/stream?types=domain,nonsense'), { status: 400, body: { errors: [{ path: '/query/types' }] } });
  t.match(await refused('/v1/feed/stream?limit=10'), { status: 400, body: { errors: [{ path: '/query/limit' }] } }, 'a page size means nothing here');
  t.match(await refused('/v1/feed/stream?format=csv'), { status: 400 });
  t.equal((await refused('/v1/feed/stream', { authorization: 'Bearer nonsense' })).status, 401);

  const head = await app.inject({ method: 'HEAD', url: '/v1/feed/stream', headers: agency.auth });
  t.match({ status: head.statusCode, type: head.headers['content-type'] }, { status: 200, type: /^text\/event-stream/ }, 'HEAD answers the headers and ends');

  const open = [await subscribe(agency), await subscribe(agency), await subscribe(agency)];
  const fourth = await refused('/v1/feed/stream');
  t.match(fourth, { status: 429, body: { type: 'urn:isop:problem:too-many-streams', detail: /STREAM_MAX_PER_CLIENT/ } }, 'STREAM_MAX_PER_CLIENT (3 here)');
  open[0]!.close();
  await open[0]!.until(() => open[0]!.ended, 'the close');
  let again: SseStream | undefined;
  for (let i = 0; i < 100 && again?.status !== 200; i++) {
    again?.close();
    again = await openStream(base, '/v1/feed/stream?types=domain', agency.auth);
  }
  t.equal(again!.status, 200, 'a slot is free again once a stream closed');
  again!.close();

  const small = await anotherInstance(t, { ...ENV, STREAM_MAX_PER_NODE: '1' }, 'shared');
  const only = await openStream(small.base, '/v1/feed/stream?types=ipv6', agency.auth);
  t.teardown(() => only.close());
  t.equal(only.status, 200);
  const full = await openStream(small.base, '/v1/feed/stream?types=ipv6', agency.auth);
  t.match({ status: full.status, retry: full.headers['retry-after'], body: JSON.parse(full.body) }, { status: 503, retry: '2', body: { detail: /STREAM_MAX_PER_NODE/ } }, 'STREAM_MAX_PER_NODE: another node will take it');
});

t.test('a stream ends when its token expires, with its position told', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'EE');
  const stranger = await createMember(app, admin, 'agency', 'LV');
  const { cursor } = await drainFeed(app, agency);
  // A token of this client that lives three seconds (the token endpoint gives at least a minute).
  const short = app.jwt.sign({ sub: agency.clientId, org: agency.orgId, org_kind: 'agency', scope: 'feed:read', jti: randomUUID() }, { expiresIn: '3s' });
  const stream = await openStream(base, `/v1/feed/stream?cursor=${encodeURIComponent(cursor)}`, { authorization: `Bearer ${short}` });
  t.teardown(() => stream.close());
  t.equal(stream.status, 200);
  await push([{ type: 'domain', value: 'not-for-estonia.com', tlp: 'RED', audience: { orgs: [stranger.orgId] } }]);
  await stream.until(() => stream.ended, 'the end of the stream at the token\'s expiry');
  t.same(stream.events, []);
  t.same((await drainFeed(app, agency, { cursor: stream.lastEventId })).entries, [], 'the last id told is where the feed stands');
});

t.test('a revoked client\'s streams end within a heartbeat, and it cannot reconnect', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'HU');
  const stream = await subscribe(agency);
  const [seen] = await push([{ type: 'domain', value: 'before-revocation.com' }]);
  await stream.until(has(stream, seen!.id), 'the item');
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/clients/${agency.clientId}`, headers: { authorization: `Bearer ${admin}` } })).statusCode, 204);
  await stream.until(() => stream.ended, 'the end of the stream');
  const after = await openStream(base, '/v1/feed/stream', agency.auth);
  t.equal(after.status, 401, 'and it cannot come back');
});


t.test('shutdown ends every stream, with the last position, so SIGTERM is not held', async (t) => {
  // No heartbeat comes in the meantime to tell the position: only the shutdown does.
  const other = await anotherInstance(t, { ...ENV, STREAM_HEARTBEAT_MS: '30000' }, 'shared');
  const agency = await createMember(app, admin, 'agency', 'GR');
  const stranger = await createMember(app, admin, 'agency', 'BG');
  const { cursor } = await drainFeed(app, agency);
  const streams = await Promise.all(['', '&types=ipv4'].map((q) => openStream(other.base, `/v1/feed/stream?cursor=${encodeURIComponent(cursor)}${q}`, agency.auth)));
  t.same(streams.map((s) => s.status), [200, 200]);
  const before = streams[0]!.lastEventId;
  const witness = await subscribe(stranger, '', other.base);
  // A change only for someone else: the agency's position moves past it; the shutdown tells it.
  const [hidden] = await push([{ type: 'domain', value: 'for-bulgaria.com', tlp: 'RED', audience: { orgs: [stranger.orgId] } }]);
  await witness.until(has(witness, hidden!.id), 'the change served on the other instance');
  await other.node.close();
  for (const stream of streams) await stream.until(() => stream.ended, 'the end of the stream');
  t.not(streams[0]!.lastEventId, before, 'the stream\'s last position was told before it ended');
  t.same((await drainFeed(app, agency, { cursor: streams[0]!.lastEventId })).entries, [], 'and it is where the feed stands');
  t.same(streams.map((s) => s.events.length), [0, 0]);
});

const onPostgres = { skip: database.driver !== 'postgres' && 'needs several connections to one PostgreSQL database (DATABASE_URL)' };

t.test('two nodes on one database: a subscriber on B gets what is committed on A, one listener per node', onPostgres, async (t) => {
  // B's heartbeat is long, so that nothing but a notification can bring it the change.
  const b = await anotherInstance(t, { ...ENV, STREAM_HEARTBEAT_MS: '30000' }, 'own');
  const agency = await createMember(app, admin, 'agency', 'PT');
  const onB = await subscribe(agency, '', b.base);
  const alsoOnB = await subscribe(agency, '&types=domain', b.base);
  const onA = await subscribe(agency);
  const [pushed] = await push([{ type: 'domain', value: 'written-on-a.com' }]);
  for (const stream of [onB, alsoOnB, onA]) await stream.until(has(stream, pushed!.id), 'the item on each node');

  const sql = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
  t.teardown(() => sql.end());
  const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen %'`;
  t.equal(n, 2, 'one listening connection per node, whatever its number of subscribers');
});

t.test('a change held behind an older transaction arrives once that ends, though it sends no notification', onPostgres, async (t) => {
  const b = await anotherInstance(t, { ...ENV, STREAM_HEARTBEAT_MS: '30000' }, 'own');
  const agency = await createMember(app, admin, 'agency', 'SI');
  const stream = await subscribe(agency, '', b.base);
  // An older transaction of this database, with an xid, that will write nothing to the change log.
  const sql = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
  t.teardown(() => sql.end());
  const blocker = await sql.reserve();
  t.teardown(() => blocker.release());
  await blocker`begin`;
  await blocker`select pg_current_xact_id()`;
  const [held] = await push([{ type: 'domain', value: 'held-back.com' }]);
  // The change is committed and notified, but not below the horizon: the feed does not serve it yet.
  t.same((await drainFeed(app, agency, { cursor: stream.lastEventId || undefined })).entries.filter((e) => e.id === held!.id), [], 'not servable while the older transaction runs');
  await blocker`rollback`;
  await stream.until(has(stream, held!.id), 'the held-back item, without waiting for a heartbeat', 10_000);
});
