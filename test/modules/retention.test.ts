/**
 * Retention and review: content is purged RETENTION_DAYS after expiry or withdrawal — the value
 * is then unrecoverable through every read path while the id, type, value hash and audit trail
 * stay — in bounded, audited batches; sources list what expires soon and extend it.
 */
import t from 'tap';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { chainAudit, verifyAudit } from '../../src/modules/audit/chain.js';
import { purgeExpired } from '../../src/modules/audit/retention.js';
import { startSweeper, sweep } from '../../src/modules/feeds/sweeper.js';
import { waitFor } from '../helpers/faults.js';
import { adminToken, createMember, createTestApp, drainFeed, json, type Member } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const db = database.db;
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['music'] });
const other = await createMember(app, admin, 'partner', 'DE', { sectors: ['music'] });
const agency = await createMember(app, admin, 'agency', 'FR');
const isp = await createMember(app, admin, 'intermediary', 'FR');

async function push(items: Record<string, unknown>[], who: Member = partner) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  if (res.statusCode !== 200 || json(res).summary.rejected) throw new Error(`push failed: ${res.body}`);
  return json(res).results as Array<{ id: string; status: string }>;
}
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const get = (url: string, who: { auth: Record<string, string> } = partner) => app.inject({ method: 'GET', url, headers: who.auth });

t.test('a purge leaves the trail intact and the value unrecoverable through every read path', async (t) => {
  const SECRET = 'purge-me-secret.com';
  const [purged, expired, kept] = await push([
    {
      type: 'domain', value: SECRET, tlp: 'CLEAR', pap: 'CLEAR', description: `the site ${SECRET}`,
      evidence: [{ sha256: 'a'.repeat(64), description: `screenshot of ${SECRET}` }],
      references: [{ kind: 'url', url: `https://${SECRET}/watch` }],
      relations: [{ type: 'resolves_to', target: { type: 'ipv4', value: '185.234.72.19' } }],
    },
    { type: 'domain', value: 'purge-me-expired.com', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: 'purge-me-not-yet.com', tlp: 'CLEAR', pap: 'CLEAR' },
  ]);
  const feed = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: agency.auth, payload: { name: 'clear', filters: { tlp: ['CLEAR'] } } }));
  t.ok((await drainFeed(app, agency)).entries.some((e) => e.value === SECRET), 'delivered while it was active');
  t.match((await get('/v1/blocklist?type=domain', isp)).body, SECRET);

  await app.inject({ method: 'DELETE', url: `/v1/indicators/${purged!.id}`, headers: partner.auth, payload: { reason: `${SECRET} was sold` } });
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${kept!.id}`, headers: partner.auth });
  // Time passes (moved by hand): the withdrawal 91 days ago, the other one expired 100 days ago.
  await db.execute(sql`update indicators set updated_at = now() - interval '91 days' where id = ${purged!.id}::uuid`);
  await db.execute(sql`update indicators set valid_from = now() - interval '200 days', valid_until = now() - interval '100 days' where id = ${expired!.id}::uuid`);
  await sweep(db);

  t.equal(await purgeExpired(db, { retentionDays: 90 }), 2, 'the withdrawn one and the expired one');
  t.equal(await purgeExpired(db, { retentionDays: 90 }), 0, 'once');
  const [row] = await rows<Record<string, unknown>>(db, sql`select * from indicators where id = ${purged!.id}::uuid`);
  t.match(row, {
    id: purged!.id, type: 'domain', value: `purged:${purged!.id}`, description: null, evidence: [], references: [], relations: [],
    withdrawn_reason: null, status: 'withdrawn', purged_at: String,
    value_hash: createHash('sha256').update(`domain\x1f\x1f${SECRET}`).digest('hex'),
  }, 'id, type and the hash of the value stay');
  const [notYet] = await rows<{ value: string; purged_at: string | null }>(db, sql`select value, purged_at from indicators where id = ${kept!.id}::uuid`);
  t.same(notYet, { value: 'purge-me-not-yet.com', purged_at: null }, 'withdrawn within retention: kept');

  const bodies: Array<[string, string]> = [];
  const read = async (label: string, url: string, who: { auth: Record<string, string> }) => {
    const res = await get(url, who);
    t.equal(res.statusCode, 200, label);
    // A lookup names what was asked for: what it found is what counts.
    bodies.push([label, url.startsWith('/v1/lookup') ? JSON.stringify(json(res).indicators) : res.body]);
    return res;
  };
  for (const [label, who] of [['source', partner], ['secretariat', { auth: adminAuth }]] as const) {
    const one = json(await read(`${label}: read`, `/v1/indicators/${purged!.id}`, who));
    t.match(one, { id: purged!.id, type: 'domain', status: 'withdrawn', value: `purged:${purged!.id}`, description: null, evidence: [], relations: [], references: [], withdrawn_reason: null });
    await read(`${label}: list`, '/v1/indicators?limit=1000', who);
    await read(`${label}: list withdrawn`, '/v1/indicators?status=withdrawn', who);
    t.same(json(await read(`${label}: lookup`, `/v1/lookup?type=domain&value=${SECRET}`, who)).indicators, [], `${label}: a lookup of the value finds nothing`);
    await read(`${label}: list by value`, `/v1/indicators?type=domain&value=${SECRET}`, who);
  }
  for (const format of ['json', 'ndjson', 'csv', 'stix']) await read(`agency: feed ${format}`, `/v1/feed?format=${format}&limit=1000`, agency);
  await read('agency: saved feed', `/v1/feeds/${feed.id}/items?limit=1000`, agency);
  await read('agency: lookup', `/v1/lookup?type=domain&value=${SECRET}`, agency);
  for (const format of ['txt', 'csv']) await read(`intermediary: blocklist ${format}`, `/v1/blocklist?type=domain&format=${format}`, isp);
  await read('intermediary: RPZ', '/v1/blocklist?format=rpz', isp);
  await read('intermediary: feed', '/v1/feed?limit=1000', isp);
  await read('secretariat: audit of it', `/v1/audit?indicator_id=${purged!.id}`, { auth: adminAuth });
  await read('source: related', `/v1/indicators/${purged!.id}/related?depth=3`, partner);
  await read('source: network as STIX', `/v1/indicators/${purged!.id}/network?format=stix`, partner);
  t.same(await rows(db, sql`select value from indicator_links where indicator_id = ${purged!.id}::uuid`), [], 'nor do its links (relation targets, derived domains) stay in the graph');
  for (const [label, body] of bodies) {
    t.notOk(body.includes(SECRET), `${label}: the value is gone`);
    t.notOk(body.includes('screenshot of'), `${label}: so is its evidence`);
  }
  const tombstone = (await drainFeed(app, agency)).entries.find((e) => e.id === purged!.id);
  t.match(tombstone, { status: 'withdrawn', value: `purged:${purged!.id}` }, 'a former recipient still gets the tombstone, by id');

  const trail = json(await get(`/v1/audit?indicator_id=${purged!.id}`, { auth: adminAuth })).items.map((e: { action: string }) => e.action);
  t.same(trail.filter((a: string) => a !== 'delivery'), ['indicator.purged', 'indicator.withdrawn', 'indicator.created'], 'the trail stays, the purge at its end');
  t.ok(trail.slice(trail.indexOf('indicator.withdrawn')).includes('delivery'), 'and the deliveries from before (newest first)');
  const purge = json(await get(`/v1/audit?action=indicator.purged`, { auth: adminAuth })).items;
  t.match(purge, [{ actor: 'system:sweeper', indicators: [expired!.id, purged!.id].sort().map((id) => ({ id })), detail: { retention_days: 90 } }]);
  await chainAudit(db);
  t.match(await verifyAudit(db), { ok: true, pending: 0 });

  const [again] = await push([{ type: 'domain', value: SECRET }]);
  t.equal(again!.status, 'created', 'submitted again, it is a new indicator');
  t.not(again!.id, purged!.id);
});

t.test('purges run in bounded batches, each one audited', async (t) => {
  const items = await push(Array.from({ length: 5 }, (_, i) => ({ type: 'domain', value: `purge-batch-${i}.com` })), other);
  for (const { id } of items) await app.inject({ method: 'DELETE', url: `/v1/indicators/${id}`, headers: other.auth });
  await db.execute(sql`update indicators set updated_at = now() - interval '31 days' where id = any(${`{${items.map((i) => i.id).join(',')}}`}::uuid[])`);
  const before = json(await get('/v1/audit?action=indicator.purged', { auth: adminAuth })).items.length;
  t.equal(await purgeExpired(db, { retentionDays: 90, batch: 2 }), 0, 'not past a 90-day retention');
  t.equal(await purgeExpired(db, { retentionDays: 30, batch: 2, maxBatches: 2 }), 4, 'two batches of two');
  t.equal(await purgeExpired(db, { retentionDays: 30, batch: 2, maxBatches: 2 }), 1);
  const entries = json(await get('/v1/audit?action=indicator.purged', { auth: adminAuth })).items.slice(0, 3);
  t.equal(json(await get('/v1/audit?action=indicator.purged', { auth: adminAuth })).items.length, before + 3, 'an entry per batch');
  t.same(entries.map((e: { indicators: unknown[] }) => e.indicators.length).sort(), [1, 2, 2]);
});

t.test('review: the source lists what expires soon and extends it, in bulk or by PATCH', async (t) => {
  const [soon, later, gone, patched] = await push([
    { type: 'domain', value: 'review-soon.com', valid_until: inDays(10) },
    { type: 'domain', value: 'review-later.com', valid_until: inDays(40) },
    { type: 'domain', value: 'review-gone.com', valid_until: inDays(5) },
    { type: 'domain', value: 'review-patched.com', valid_until: inDays(3) },
  ]);
  const [theirs] = await push([{ type: 'domain', value: 'review-theirs.com', valid_until: inDays(7) }], other);
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${gone!.id}`, headers: partner.auth });
  const expiring = async () => json(await get('/v1/indicators?expiring_within=30d')).items.map((i: { id: string }) => i.id).sort();
  t.same(await expiring(), [soon!.id, patched!.id].sort(), 'active, and valid_until within 30 days');
  for (const bad of ['30', '0d', '30x', '99999d']) t.equal((await get(`/v1/indicators?expiring_within=${bad}`)).statusCode, 400, bad);

  const until = inDays(200);
  const res = await app.inject({ method: 'POST', url: '/v1/indicators/extend', headers: partner.auth, payload: { ids: [soon!.id, theirs!.id, gone!.id, '01900000-0000-7000-8000-000000000000'], valid_until: until } });
  t.equal(res.statusCode, 200);
  t.same(json(res), {
    results: [
      { id: soon!.id, status: 'extended', version: 2 },
      { id: theirs!.id, status: 'not_found' },
      { id: gone!.id, status: 'not_active' },
      { id: '01900000-0000-7000-8000-000000000000', status: 'not_found' },
    ],
    summary: { extended: 1, unchanged: 0, not_found: 2, not_active: 1, rejected: 0 },
  });
  t.equal(json(await get(`/v1/indicators/${soon!.id}`)).valid_until, until);
  const twice = json(await app.inject({ method: 'POST', url: '/v1/indicators/extend', headers: partner.auth, payload: { ids: [soon!.id], valid_until: until } }));
  t.same(twice.results, [{ id: soon!.id, status: 'unchanged' }], 'the same date again changes nothing');
  const tooFar = json(await app.inject({ method: 'POST', url: '/v1/indicators/extend', headers: partner.auth, payload: { ids: [later!.id], valid_until: inDays(800) } }));
  t.match(tooFar.results, [{ id: later!.id, status: 'rejected', errors: [{ path: '/valid_until', message: /at most 2 years/ }] }]);
  t.equal((await app.inject({ method: 'POST', url: '/v1/indicators/extend', headers: partner.auth, payload: { ids: [later!.id], valid_until: inDays(-1) } })).statusCode, 400, 'not into the past');

  const patch = await app.inject({ method: 'PATCH', url: `/v1/indicators/${patched!.id}`, headers: partner.auth, payload: { valid_until: until } });
  t.equal(patch.statusCode, 200, 'PATCH valid_until extends one');
  t.same(await expiring(), [], 'nothing left to review');

  const seen = (await drainFeed(app, agency)).entries.find((e) => e.id === soon!.id);
  t.match(seen, { version: 2, valid_until: until }, 'recipients get the new validity through their feed');
  t.match(json(await get(`/v1/audit?action=indicator.extended&indicator_id=${soon!.id}`, { auth: adminAuth })).items,
    [{ actor: partner.clientId, actor_org: partner.orgId, indicators: [{ id: soon!.id, version: 2 }], detail: { valid_until: until } }]);
});

t.test('the sweeper purges and chains on its own rounds, and publishes the head', async (t) => {
  const [item] = await push([{ type: 'domain', value: 'purge-by-sweeper.com' }], other);
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${item!.id}`, headers: other.auth });
  await db.execute(sql`update indicators set updated_at = now() - interval '2 days' where id = ${item!.id}::uuid`);
  const lines: Array<Record<string, unknown>> = [];
  const log = { info: (line: Record<string, unknown>) => lines.push(line), error: (line: Record<string, unknown>) => lines.push(line) };
  const stop = startSweeper(db, 200, log as never, { retentionDays: 1, headEvery: 1 });
  t.teardown(stop);
  await waitFor('the sweeper to purge it and chain everything', async () => {
    const [row] = await rows<{ purged: boolean; pending: number }>(db, sql`
      select (select purged_at is not null from indicators where id = ${item!.id}::uuid) as purged,
        (select count(*)::int from audit_log a where not exists (select 1 from audit_chain c where c.log_id = a.id)) as pending`);
    return row!.purged && row!.pending === 0;
  });
  stop();
  t.ok(lines.some((line) => line.purged === 1), 'the purge is logged');
  const head = (await verifyAudit(db)).head!;
  t.ok(lines.some((line) => (line.audit as { entry?: number } | undefined)?.entry === head.entry), 'and so is the chain\'s head (every entry, here)');
  t.notOk(lines.some((line) => 'err' in line), 'without errors');
});
