import t from 'tap';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { rows } from '../../src/db/client.js';
import { sweep } from '../../src/modules/feeds/sweeper.js';
import { stixIdentityId, stixIndicatorId, TLP_MARKING_IDS } from '../../src/domain/stix.js';
import { serialNewer } from '../../src/domain/rpz.js';
import { heldWriter } from '../helpers/writers.js';
import { adminToken, createMember, createTestApp, drainFeed, json, type Member } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);
const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });

async function push(items: Record<string, unknown>[], who: Member = source) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  const body = json(res);
  if (res.statusCode !== 200 || body.summary.rejected) throw new Error(`push failed: ${res.body}`);
  return body.results as Array<{ id: string; value: string }>;
}

const drain = (consumer: Member, cursor?: string, query = '') => drainFeed(app, consumer, { cursor, query });

t.test('tombstones: withdrawn, expired, revoked by audience narrowing and by exclusion; nothing repeats', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'ES');
  const start = await drain(consumer);
  const [withdrawn, expiring, narrowed, excluded, kept] = await push([
    { type: 'domain', value: 'tomb-withdrawn.com' },
    { type: 'domain', value: 'tomb-expired.com' },
    { type: 'crypto_address', platform: 'eth', value: '0x52908400098527886E0F7030069857D2E4169EE7' },
    { type: 'ipv4', value: '45.77.1.2' },
    { type: 'domain', value: 'tomb-kept.com' },
  ]);
  const seen = await drain(consumer, start.cursor);
  t.same(seen.entries.map((e) => e.id).sort(), [withdrawn!.id, expiring!.id, narrowed!.id, excluded!.id, kept!.id].sort(), 'all five delivered as items');
  t.ok(seen.entries.every((e) => e.status === 'active'));

  await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawn!.id}`, headers: source.auth });
  const other = await createMember(app, admin, 'agency', 'PT');
  await app.inject({ method: 'PATCH', url: `/v1/indicators/${narrowed!.id}`, headers: source.auth, payload: { audience: { orgs: [other.orgId] } } });
  await app.inject({ method: 'PATCH', url: `/v1/indicators/${excluded!.id}`, headers: source.auth, payload: { exclude: { countries: ['ES'] } } });
  // Time passes for one of them (moved by hand, not waited for): its valid_until is behind us.
  await database.db.execute(sql`update indicators set valid_from = now() - interval '2 days', valid_until = now() - interval '1 second' where id = ${expiring!.id}::uuid`);
  t.match(await sweep(database.db), { expired: 1, activated: 0 }, 'the sweeper expires what passed valid_until');

  const after = await drain(consumer, seen.cursor);
  const byId = new Map(after.entries.map((e) => [e.id, e]));
  t.same(byId.get(withdrawn!.id), {
    id: withdrawn!.id, version: 2, status: 'withdrawn', type: 'domain', value: 'tomb-withdrawn.com', platform: null,
    tlp: 'AMBER', source: { org_id: source.orgId, name: byId.get(withdrawn!.id).source?.name }, updated_at: byId.get(withdrawn!.id).updated_at,
  }, 'a tombstone: the observable, the TLP it stays under and its named source');
  t.match(byId.get(expiring!.id), { status: 'expired', type: 'domain', value: 'tomb-expired.com' });
  t.match(byId.get(narrowed!.id), { status: 'revoked', type: 'crypto_address', platform: 'eth', value: '0x52908400098527886e0f7030069857d2e4169ee7' });
  t.match(byId.get(excluded!.id), { status: 'revoked', type: 'ipv4', value: '45.77.1.2' });
  t.notOk(byId.has(kept!.id), 'an unchanged indicator is not repeated');
  t.equal(after.entries.length, 4);
  t.notOk(['pap', 'confidence', 'description', 'audience', 'valid_until'].some((field) => field in byId.get(narrowed!.id)), 'a tombstone carries no content');

  const again = await drain(consumer, after.cursor);
  t.same(again.entries, [], 'nothing repeats after the cursor');

  const forNewRecipient = await drain(other, undefined, '&types=crypto_address');
  t.match(forNewRecipient.entries, [{ id: narrowed!.id, status: 'active' }], 'the new audience receives the item');
  // An intermediary never could receive these (PAP AMBER by default): no tombstones either.
  const neverSaw = await createMember(app, admin, 'intermediary', 'GR');
  const fresh = await drain(neverSaw);
  t.notOk(fresh.entries.some((e) => [narrowed!.id, excluded!.id, withdrawn!.id, expiring!.id].includes(e.id)), 'no tombstone for a consumer that could never receive it');
  const replay = await drain(other);
  t.notOk(replay.entries.some((e) => e.id === excluded!.id && e.status !== 'active'), 'no revocation for a consumer the exclusion does not touch');
});

t.test('valid_from: delivered only once it has passed', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'BE');
  const start = await drain(consumer);
  const [later] = await push([{ type: 'domain', value: 'starts-later.com', valid_from: new Date(Date.now() + 3_600_000).toISOString() }]);
  const before = await drain(consumer, start.cursor);
  t.notOk(before.entries.some((e) => e.id === later!.id));
  // The hour passes (moved by hand, not waited for).
  await database.db.execute(sql`update indicators set valid_from = now() - interval '1 second' where id = ${later!.id}::uuid`);
  t.match(await sweep(database.db), { activated: 1 });
  const after = await drain(consumer, before.cursor);
  t.match(after.entries, [{ id: later!.id, status: 'active' }]);
});

t.test('formats carry the same items: json, ndjson, csv, stix', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'NL');
  const [withdrawnOne] = await push([
    { type: 'url', value: 'https://iptv-pirate.com/get, "quoted"', tlp: 'GREEN', description: 'line one\nline two, "quoted"', tags: ['=cmd'] },
    { type: 'iban', value: 'DE89 3704 0044 0532 0130 00', tlp: 'AMBER', grading: { source: '2', assessment: 'B', handling: 'C', conditions: 'no onward sharing' } },
    { type: 'social_account', platform: 'telegram', value: 'https://t.me/PirateSportsHD', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'tracking_id', platform: 'google_analytics', value: 'ua-12345678-1', tlp: 'AMBER+STRICT' },
  ]);
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawnOne!.id}`, headers: source.auth });
  const page = (format: string, accept?: string) => app.inject({ method: 'GET', url: `/v1/feed?limit=10000${format ? `&format=${format}` : ''}`, headers: { ...consumer.auth, ...(accept ? { accept } : {}) } });

  const jsonRes = await page('json');
  const items = json(jsonRes).items as any[];
  t.ok(items.length >= 4);
  const ids = items.map((i) => i.id);

  const nd = await page('ndjson');
  t.match(nd.headers['content-type'], /application\/x-ndjson/);
  const lines = nd.body.trim().split('\n').map((l) => JSON.parse(l));
  t.same(lines, items, 'ndjson: the same entries, line by line');
  // Not compared to JSON's cursor: a page that is not full ends at the horizon, which moves with
  // any transaction on the server. Followed, it must lead past everything this page held.
  const followed = json(await app.inject({ method: 'GET', url: `/v1/feed?cursor=${encodeURIComponent(nd.headers['x-next-cursor'] as string)}`, headers: consumer.auth }));
  t.same(followed.items, [], 'ndjson: the next cursor is in the header and leads past the page');
  t.equal(nd.headers['x-has-more'], 'false');
  t.same((await page('', 'application/x-ndjson')).body, nd.body, 'Accept negotiates the format');

  const csv = await page('csv');
  t.match(csv.headers['content-type'], /text\/csv/);
  const records = parseCsv(csv.body, { columns: true }) as Record<string, string>[];
  t.same(records.map((r) => r.id), ids, 'csv: same ids in the same order');
  for (const [i, r] of records.entries()) {
    t.equal(r.value, items[i].value, 'csv: exact values');
    t.equal(r.status, items[i].status);
  }
  const described = records.find((r) => r.description?.startsWith('line one'));
  t.notOk(described, 'the withdrawn one is a tombstone');

  const stix = await page('stix');
  const bundle = json(stix);
  t.equal(bundle.type, 'bundle');
  const indicators = bundle.objects.filter((o: any) => o.type === 'indicator');
  t.equal(indicators.length, items.length, 'stix: one Indicator per entry');
  for (const ind of indicators) {
    for (const p of ['type', 'spec_version', 'id', 'created', 'modified', 'pattern', 'pattern_type', 'valid_from']) t.ok(p in ind, `stix indicator has ${p}`);
    t.equal(ind.spec_version, '2.1');
    t.equal(ind.pattern_type, 'stix');
  }
  const revoked = indicators.find((i: any) => i.id === stixIndicatorId(withdrawnOne!.id));
  t.equal(revoked.revoked, true, 'tombstones are revoked indicators');
  const iban = items.find((i) => i.type === 'iban');
  const ibanStix = indicators.find((i: any) => i.id === stixIndicatorId(iban.id));
  t.same(ibanStix.object_marking_refs, [TLP_MARKING_IDS.AMBER]);
  t.equal(ibanStix.confidence, iban.confidence);
  t.ok(bundle.objects.some((o: any) => o.type === 'marking-definition' && o.id === TLP_MARKING_IDS.AMBER));
  t.ok(bundle.objects.some((o: any) => o.type === 'identity' && o.id === stixIdentityId(source.orgId)), 'named source as Identity');
  const tracking = items.find((i) => i.type === 'tracking_id');
  t.equal(tracking.value, 'UA-12345678-1');
  t.same(indicators.find((i: any) => i.id === stixIndicatorId(tracking.id)).object_marking_refs, [TLP_MARKING_IDS['AMBER+STRICT']]);
});

t.test('filters, limits and cursors are validated', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'AT');
  await push([{ type: 'domain', value: 'low-confidence.com', confidence: 10 }, { type: 'ipv4', value: '45.33.2.1', confidence: 90 }]);
  const high = json(await app.inject({ method: 'GET', url: '/v1/feed?min_confidence=80&types=ipv4,domain', headers: consumer.auth }));
  t.ok(high.items.length > 0 && high.items.every((i: any) => i.confidence >= 80));
  const onlyDomains = json(await app.inject({ method: 'GET', url: '/v1/feed?types=domain', headers: consumer.auth }));
  t.ok(onlyDomains.items.every((i: any) => i.type === 'domain'));
  for (const bad of ['types=dns', 'tlp=PURPLE', 'limit=10001', 'limit=0', 'format=xml', 'min_confidence=101', 'cursor=abc.def', 'colour=red', 'sectors=cooking']) {
    const res = await app.inject({ method: 'GET', url: `/v1/feed?${bad}`, headers: consumer.auth });
    t.equal(res.statusCode, 400, `${bad} is a 400`);
    t.match(res.headers['content-type'], /problem\+json/);
  }
  const indicatorCursor = json(await app.inject({ method: 'GET', url: '/v1/indicators?limit=1', headers: source.auth })).next_cursor;
  t.equal((await app.inject({ method: 'GET', url: `/v1/feed?cursor=${encodeURIComponent(indicatorCursor)}`, headers: consumer.auth })).statusCode, 400, 'a cursor of another endpoint is refused');
  t.equal((await app.inject({ method: 'GET', url: '/v1/feed', headers: source.auth })).statusCode, 403, 'partners have no feed:read');
});

t.test('saved feeds', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'SE');
  await push([{ type: 'iban', value: 'GB82 WEST 1234 5698 7654 32' }, { type: 'domain', value: 'saved-feed-site.com' }]);
  const created = await app.inject({ method: 'POST', url: '/v1/feeds', headers: consumer.auth, payload: { name: 'payments', filters: { types: ['iban'] } } });
  t.equal(created.statusCode, 201);
  const { id } = json(created);
  t.match(json(await app.inject({ method: 'GET', url: '/v1/feeds', headers: consumer.auth })).items, [{ id, name: 'payments', filters: { types: ['iban'] } }]);
  const items = json(await app.inject({ method: 'GET', url: `/v1/feeds/${id}/items`, headers: consumer.auth })).items;
  t.ok(items.length > 0 && items.every((i: any) => i.type === 'iban'));
  const nd = await app.inject({ method: 'GET', url: `/v1/feeds/${id}/items?format=ndjson`, headers: consumer.auth });
  t.equal(nd.body.trim().split('\n').length, items.length);
  const stranger = await createMember(app, admin, 'agency', 'FI');
  t.equal((await app.inject({ method: 'GET', url: `/v1/feeds/${id}/items`, headers: stranger.auth })).statusCode, 404, 'saved feeds belong to their organisation');
  t.equal((await app.inject({ method: 'POST', url: '/v1/feeds', headers: consumer.auth, payload: { name: 'x', filters: { types: ['nope'] } } })).statusCode, 400);
});

t.test('blocklists: shared infrastructure out unless asked, ETag and 304, rpz', async (t) => {
  const consumer = await createMember(app, admin, 'intermediary', 'FR');
  await push([
    { type: 'domain', value: 'block-me.com', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: 'sites.google.com', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'ipv4', value: '45.9.8.7', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: 'not-for-intermediaries.com', tlp: 'CLEAR', pap: 'AMBER' },
  ]);
  const get = (query: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/v1/blocklist?${query}`, headers: { ...consumer.auth, ...headers } });
  const txt = await get('type=domain');
  t.equal(txt.statusCode, 200);
  const lines = txt.body.trim().split('\n');
  t.ok(lines.includes('block-me.com'));
  t.notOk(lines.includes('sites.google.com'), 'shared infrastructure left out by default');
  t.notOk(lines.includes('not-for-intermediaries.com'), 'the sharing rule applies');
  t.ok((await get('type=domain&include_shared=true')).body.split('\n').includes('sites.google.com'), 'in on request');

  const etag = txt.headers.etag as string;
  t.ok(etag);
  const unchanged = await get('type=domain', { 'if-none-match': etag });
  t.equal(unchanged.statusCode, 304);
  t.equal(unchanged.body, '');
  await push([{ type: 'domain', value: 'block-me-too.com', tlp: 'CLEAR', pap: 'CLEAR' }]);
  t.equal((await get('type=domain', { 'if-none-match': etag })).statusCode, 200, 'a change changes the ETag');

  const rpz = (await get('type=domain&format=rpz')).body;
  t.match(rpz, /^\$ORIGIN rpz\.isop\.invalid\.\n\$TTL 60\n/);
  t.match(rpz, /\nblock-me\.com CNAME \.\n\*\.block-me\.com CNAME \./);
  t.match((await get('type=ipv4&format=rpz')).body, /\n32\.7\.8\.9\.45\.rpz-ip CNAME \./);
  const csv = parseCsv((await get('type=ipv4&format=csv')).body, { columns: true });
  t.same(csv, [{ type: 'ipv4', value: '45.9.8.7' }]);
  t.equal((await get('type=url&format=rpz')).statusCode, 400);
  const badType = await get('type=email');
  t.equal(badType.statusCode, 400);
  t.match(json(badType).errors, [{ path: '/query/type', message: 'must be one of: domain, ipv4, ipv6, url' }], 'the message lists the allowed types');
  t.match(json(await get('type=domain&format=xml')).errors, [{ path: '/query/format', message: 'must be one of: txt, csv, rpz' }], 'and the allowed formats');
  t.match(json(await get('format=txt')).errors, [{ path: '/query/type', message: /must be one of: domain, ipv4, ipv6, url/ }], 'type is needed but for rpz');
  t.match(json(await get('format=rpz&policy=drop')).errors, [{ path: '/query/policy', message: 'must be one of: nxdomain, nodata, walled_garden' }]);
});

t.test('RPZ files: cidr networks as rpz-ip prefixes, policies, origin, and a serial that rises with each change only', async (t) => {
  const consumer = await createMember(app, admin, 'intermediary', 'BE');
  const get = (query: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: `/v1/blocklist?${query}`, headers: { ...consumer.auth, ...headers } });
  const serialOf = (zone: string) => Number(/SOA \S+ \S+ \( (\d+) /.exec(zone)![1]);
  await push([
    { type: 'cidr', value: '185.234.72.0/24', tlp: 'CLEAR', pap: 'GREEN' },
    { type: 'cidr', value: '2a05:d014:100::/48', tlp: 'CLEAR', pap: 'GREEN' },
    { type: 'ipv6', value: '2a05:d014:1::80', tlp: 'CLEAR', pap: 'GREEN' },
    { type: 'domain', value: 'rpz-file.tv', tlp: 'CLEAR', pap: 'GREEN' },
  ]);
  const v4 = (await get('type=ipv4')).body.split('\n');
  t.ok(v4.includes('185.234.72.0/24'), 'an IPv4 blocklist carries IPv4 networks');
  t.notOk(v4.includes('2a05:d014:100::/48'));
  t.ok((await get('type=ipv6')).body.split('\n').includes('2a05:d014:100::/48'), 'and an IPv6 one, IPv6 networks');
  t.same((parseCsv((await get('type=ipv6&format=csv')).body, { columns: true }) as Array<{ type: string }>).map((r) => r.type).sort(), ['cidr', 'ipv6']);

  const zone = await get('format=rpz');
  t.equal(zone.statusCode, 200);
  t.match(zone.body, /\n24\.0\.72\.234\.185\.rpz-ip CNAME \.\n/, 'IPv4 prefix trigger');
  t.match(zone.body, /\n48\.zz\.100\.d014\.2a05\.rpz-ip CNAME \.\n/, 'IPv6 prefix trigger');
  t.match(zone.body, /\n128\.80\.zz\.1\.d014\.2a05\.rpz-ip CNAME \.\n/, 'IPv6 address trigger');
  t.match(zone.body, /\nrpz-file\.tv CNAME \.\n/, 'without a type: the whole zone');
  t.match(zone.body, /\n@ IN SOA localhost\. hostmaster\.rpz\.isop\.invalid\. \( \d+ 300 60 1209600 60 \)\n@ IN NS localhost\.\n/);
  t.match((await get('format=rpz&policy=nodata')).body, /\nrpz-file\.tv CNAME \*\.\n/, 'NODATA');
  t.equal((await get('format=rpz&policy=walled_garden')).statusCode, 400, 'no walled garden without a notice page configured');
  t.match((await get('format=rpz&origin=RPZ.Example.NET.')).body, /^\$ORIGIN rpz\.example\.net\.\n/, 'origin chosen by the consumer');
  t.equal((await get('format=rpz&origin=bad..name')).statusCode, 400);
  t.equal((await get('type=domain&policy=nodata')).statusCode, 400, 'policy is for rpz only');

  const first = serialOf(zone.body);
  const same = await get('format=rpz', { 'if-none-match': zone.headers.etag as string });
  t.equal(same.statusCode, 304, 'nothing changed: same serial, same ETag');
  // A change elsewhere (an agency-only indicator) is not a change of this blocklist.
  await push([{ type: 'domain', value: 'rpz-agency-only.tv', tlp: 'AMBER' }]);
  t.equal((await get('format=rpz', { 'if-none-match': zone.headers.etag as string })).statusCode, 304, 'a change the consumer may not see moves nothing');
  const [added] = await push([{ type: 'domain', value: 'rpz-file-added.tv', tlp: 'CLEAR', pap: 'CLEAR' }]);
  const second = serialOf((await get('format=rpz')).body);
  t.ok(serialNewer(second, first), 'an addition raises the serial');
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${added!.id}`, headers: source.auth });
  const third = serialOf((await get('format=rpz')).body);
  t.ok(serialNewer(third, second), 'a withdrawal raises it again');
  t.equal(serialOf((await get('format=rpz')).body), third, 'and it stays while nothing changes');
  t.equal(serialOf((await get('type=domain&format=rpz')).body) > 0, true, 'each variant has its own serial');
});

/**
 * The gap test. Writers whose transactions commit in another order than they started, and a
 * consumer polling in between: the feed must end with every change. A naive cursor (serve
 * rows with pos > cursor, ordered by pos) is run on the same data and must miss one.
 */
t.test('gap-free cursor under concurrent writers (PostgreSQL)', { skip: database.driver !== 'postgres' && 'needs concurrent transactions (DATABASE_URL)' }, async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'IE');
  const start = await drain(consumer);
  const [{ max: naiveStart }] = await rows<{ max: number }>(database.db, sql`select coalesce(max(pos), 0)::int8 as max from indicator_changes`) as [{ max: number }];
  let naiveCursor = Number(naiveStart);
  const naiveSeen = new Set<string>();
  const naivePoll = async () => {
    const page = await rows<{ pos: number; indicator_id: string }>(database.db, sql`select pos::int8 as pos, indicator_id from indicator_changes where pos > ${naiveCursor} order by pos limit 1000`);
    for (const r of page) { naiveSeen.add(r.indicator_id); naiveCursor = Number(r.pos); }
  };
  let cursor = start.cursor;
  const feedSeen = new Set<string>();
  const poll = async () => {
    const got = await drain(consumer, cursor);
    got.entries.forEach((e) => feedSeen.add(e.id));
    cursor = got.cursor;
  };

  const write = heldWriter(app, database, source.orgId);

  // Deterministic core: A writes first (lower pos) but commits last.
  let releaseA!: () => void;
  let aStarted!: () => void;
  const aWritten = new Promise<void>((r) => { aStarted = r; });
  const aDone = write('slow-writer.com', new Promise<void>((r) => { releaseA = r; }), aStarted);
  await aWritten;
  const bId = await write('fast-writer.com', Promise.resolve());
  await poll();
  await naivePoll();
  t.ok(naiveSeen.has(bId), 'the naive cursor has already moved past the slow writer');
  releaseA();
  const aId = await aDone;

  // Then a crowd of writers with random hold times, polled while they commit.
  const crowd = Array.from({ length: 12 }, (_, i) => write(`crowd-${i}-writer.com`, new Promise((r) => setTimeout(r, Math.random() * 200))));
  const polling = (async () => { for (let i = 0; i < 10; i++) { await poll(); await naivePoll(); await new Promise((r) => setTimeout(r, 25)); } })();
  const crowdIds = await Promise.all(crowd);
  await polling;
  await poll();
  await naivePoll();

  const expected = [aId, bId, ...crowdIds];
  t.same(expected.filter((id) => !feedSeen.has(id)), [], 'the feed delivered every change');
  t.notOk(naiveSeen.has(aId), 'the naive cursor lost the slow writer\'s change');
});

t.test('a transaction running in another database on the same server does not hold the feed back (PostgreSQL)', { skip: database.driver !== 'postgres' && 'needs a PostgreSQL server (DATABASE_URL)' }, async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'MT');
  const start = await drain(consumer);
  // A transaction with an xid, left open in the server's `postgres` database (xids are server-wide).
  const other = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  const reserved = await other.reserve();
  t.teardown(async () => { reserved.release(); await other.end(); });
  await reserved`begin`;
  await reserved`select pg_current_xact_id()`;
  const [item] = await push([{ type: 'domain', value: 'not-held-back.com' }]);
  t.match((await drain(consumer, start.cursor)).entries, [{ id: item!.id, status: 'active' }], 'delivered while the other database\'s transaction runs');
  await reserved`rollback`;
});

t.test('a page of heavy indicators ends at a byte budget, not at hundreds of megabytes', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'CY');
  const start = await drain(consumer);
  const description = 'd'.repeat(9_000);
  const items = Array.from({ length: 1_100 }, (_, i) => ({ type: 'domain', value: `heavy-${i}.com`, description }));
  const stored = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items } }));
  t.equal(stored.summary.created, 1_100);
  const page = await app.inject({ method: 'GET', url: `/v1/feed?limit=10000&cursor=${encodeURIComponent(start.cursor)}`, headers: consumer.auth });
  const body = json(page);
  t.ok(body.has_more, 'the page says there is more');
  t.ok(body.items.length > 500 && body.items.length < 1_100, `it ended early (${body.items.length} items)`);
  t.ok(page.body.length < 9 * 1024 * 1024, `about 8 MiB (${page.body.length} bytes)`);
  const rest = await drain(consumer, body.next_cursor);
  t.equal(body.items.length + rest.entries.length, 1_100, 'the next pages carry the rest, nothing lost or repeated');
  t.equal(new Set([...body.items, ...rest.entries].map((e: { id: string }) => e.id)).size, 1_100);
  const stix = await app.inject({ method: 'GET', url: `/v1/feed?format=stix&limit=10000&cursor=${encodeURIComponent(start.cursor)}`, headers: consumer.auth });
  t.equal(stix.headers['x-has-more'], 'true', 'a STIX page (built in memory) ends earlier still');
  t.ok(json(stix).objects.filter((o: { type: string }) => o.type === 'indicator').length < body.items.length);
});

t.test('text beyond ASCII and JSON escapes arrive as sent, in JSON, NDJSON and CSV pages', async (t) => {
  const consumer = await createMember(app, admin, 'agency', 'AT');
  const start = await drain(consumer);
  const description = 'Übertragung — 日本語の配信 🏴‍☠️ back\\slash "quoted" \u2028 line\nbreak';
  const tags = ['ñandú', 'ستريم'];
  const [item] = await push([{ type: 'domain', value: 'unicode-feed.example.tv', tlp: 'GREEN', description, tags }]);
  const page = (format: string) => app.inject({ method: 'GET', url: `/v1/feed?limit=10000&format=${format}&cursor=${encodeURIComponent(start.cursor)}`, headers: consumer.auth });
  const jsonRes = await page('json');
  const got = (json(jsonRes).items as Array<{ id: string; description: string; tags: string[] }>).find((i) => i.id === item!.id);
  t.equal(got?.description, description, 'JSON: the description as sent');
  t.same(got?.tags, tags, 'JSON: the tags as sent');
  t.equal(Number(jsonRes.headers['content-length']), Buffer.byteLength(jsonRes.body), 'JSON: Content-Length counts UTF-8 bytes');
  const line = (await page('ndjson')).body.trim().split('\n').map((l) => JSON.parse(l)).find((i: { id: string }) => i.id === item!.id);
  t.same(line, got, 'NDJSON: the same entry');
  const csv = parseCsv((await page('csv')).body, { columns: true }) as Array<Record<string, string>>;
  t.equal(csv.find((r) => r.id === item!.id)?.description, description, 'CSV: the description as sent');
});
