/**
 * The audit log (contract §7): every kind of event is recorded with its actor and its object,
 * deliveries by every path with the versions received, the log is read with filters and cursors
 * by the secretariat only, and the chain verifies on a busy log with writers running concurrently.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { chainAudit, verifyAudit } from '../../src/modules/audit/chain.js';
import { startDnsPrimary } from '../../src/modules/dns/primary.js';
import { loadSealKeys } from '../../src/modules/dns/seal.js';
import { sweep } from '../../src/modules/feeds/sweeper.js';
import { adminToken, BOOTSTRAP_ID, createMember, createTestApp, json, tokenFor, type Member } from '../helpers/app.js';
import { transfer } from '../helpers/dns.js';

const { app, database, config } = await createTestApp(t, { RPZ_ORIGIN: 'rpz.test' });
const db = database.db;
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
const secretariat = json(await app.inject({ method: 'GET', url: '/v1/orgs', headers: adminAuth })).items.find((o: { kind: string }) => o.kind === 'secretariat').id as string;
const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });
const agency = await createMember(app, admin, 'agency', 'DE');

interface Entry {
  id: number; entry: number | null; hash: string | null; at: string; actor: string; actor_org: string | null; action: string;
  path: string | null; subject: string | null; subject_org: string | null; indicators: Array<{ id: string; version: number }>; detail: any;
}

/** GET /v1/audit as the secretariat: every page, newest first. */
async function audit(query = ''): Promise<Entry[]> {
  const all: Entry[] = [];
  let cursor: string | null = null;
  do {
    const res = await app.inject({ method: 'GET', url: `/v1/audit?limit=1000${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: adminAuth });
    if (res.statusCode !== 200) throw new Error(`audit failed: ${res.body}`);
    const page: { items: Entry[]; next_cursor: string | null } = json(res);
    all.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return all;
}

async function push(items: Record<string, unknown>[], who: Member = partner) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  if (res.statusCode !== 200 || json(res).summary.rejected) throw new Error(`push failed: ${res.body}`);
  return json(res).results as Array<{ id: string; status: string }>;
}

t.test('the bootstrap, organisations, clients, groups, zones and tokens are audited with their actor and object', async (t) => {
  const bootstrap = await audit('&actor=system:bootstrap');
  t.same(bootstrap.map((e) => e.action).sort(), ['client.created', 'org.created']);
  t.match(bootstrap.find((e) => e.action === 'client.created'), { subject: BOOTSTRAP_ID, subject_org: secretariat, actor_org: null });

  const created = (await audit(`&org_id=${partner.orgId}`)).reverse();
  t.match(created[0], { action: 'org.created', actor: BOOTSTRAP_ID, actor_org: secretariat, subject: partner.orgId, subject_org: partner.orgId, detail: { kind: 'partner', country: 'FR' } });
  t.match(created[1], { action: 'client.created', actor: BOOTSTRAP_ID, subject: partner.clientId, subject_org: partner.orgId, detail: { name: 'primary' } });
  t.match(created[2], { action: 'token.issued', actor: partner.clientId, actor_org: partner.orgId, subject: partner.clientId });
  t.notOk(JSON.stringify(created).includes(partner.secret), 'no secret in the audit');
  t.notOk(JSON.stringify(created).includes(partner.token), 'no token either');

  // Refused tokens: a wrong secret and a scope not granted (under the client), an unknown client (under none).
  const refused = async (payload: Record<string, string>) => app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', ...payload } });
  t.equal((await refused({ client_id: agency.clientId, client_secret: 'not-the-secret-at-all-0123' })).statusCode, 401);
  t.equal((await refused({ client_id: agency.clientId, client_secret: agency.secret, scope: 'admin' })).statusCode, 400);
  t.equal((await refused({ client_id: 'nobody-at-all', client_secret: 'whatever-secret-0123456789' })).statusCode, 401);
  const refusals = await audit('&action=token.refused');
  t.same(refusals.map((e) => [e.actor, e.detail.reason]), [['unknown-client', 'unknown client'], [agency.clientId, 'scope not granted'], [agency.clientId, 'wrong secret']]);
  t.notOk(JSON.stringify(refusals).includes('nobody-at-all'), 'an unknown client id is not kept (it may be a mistyped secret)');

  const isp = await createMember(app, admin, 'intermediary', 'NL');
  t.equal((await app.inject({ method: 'POST', url: `/v1/clients/${isp.clientId}/tsig-key`, headers: adminAuth })).statusCode, 200);
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/clients/${isp.clientId}/dns-zone`, headers: adminAuth, payload: { policy: 'nodata' } })).statusCode, 200);
  const group = json(await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: adminAuth, payload: { name: 'audited group', members: [agency.orgId] } }));
  await app.inject({ method: 'PATCH', url: `/v1/sharing-groups/${group.id}`, headers: adminAuth, payload: { members: [isp.orgId] } });
  const spare = await createMember(app, admin, 'agency', 'PL');
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/clients/${spare.clientId}`, headers: adminAuth })).statusCode, 204);

  const byAdmin = await audit(`&actor=${BOOTSTRAP_ID}`);
  const one = (action: string, subject: string) => byAdmin.find((e) => e.action === action && e.subject === subject);
  t.match(one('client.tsig_rotated', isp.clientId), { actor_org: secretariat, subject_org: isp.orgId });
  t.match(one('dns_zone.updated', isp.clientId), { subject_org: isp.orgId, detail: { policy: 'nodata' } });
  t.match(one('sharing_group.created', group.id), { detail: { name: 'audited group', members: [agency.orgId] } });
  t.match(one('sharing_group.updated', group.id), { detail: { joined: [isp.orgId], left: [agency.orgId] } });
  t.match(one('client.revoked', spare.clientId), { subject_org: spare.orgId });
});

t.test('writes of indicators are audited with the versions they produced; saved feeds and warninglists too', async (t) => {
  const [a, b] = await push([{ type: 'domain', value: 'audit-write-a.com' }, { type: 'domain', value: 'audit-write-b.com' }]);
  const again = await push([{ type: 'domain', value: 'audit-write-a.com', confidence: 10 }, { type: 'domain', value: 'audit-write-b.com' }]);
  t.same(again.map((r) => r.status), ['updated', 'unchanged']);
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/indicators/${b!.id}`, headers: partner.auth, payload: { confidence: 20 } })).statusCode, 200);
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/indicators/${b!.id}`, headers: partner.auth, payload: { reason: 'audit-write-b.com was a mistake' } })).statusCode, 200);

  const ofA = await audit(`&indicator_id=${a!.id}&actor=${partner.clientId}`);
  t.same(ofA.map((e) => [e.action, e.indicators]), [
    ['indicator.updated', [{ id: a!.id, version: 2 }]],
    ['indicator.created', [{ id: a!.id, version: 1 }, { id: b!.id, version: 1 }].sort((x, y) => x.id.localeCompare(y.id))],
  ]);
  t.match(ofA[0], { actor_org: partner.orgId, detail: { via: 'batch', items: 2 } });
  const ofB = (await audit(`&indicator_id=${b!.id}`)).filter((e) => e.action !== 'delivery');
  t.same(ofB.map((e) => [e.action, e.indicators.find((i) => i.id === b!.id)!.version]), [['indicator.withdrawn', 3], ['indicator.updated', 2], ['indicator.created', 1]]);
  t.match(ofB[1], { detail: { via: 'patch', fields: ['confidence'] } });
  t.notOk(JSON.stringify(ofB).includes('audit-write-b.com'), 'no value, no withdrawal reason');

  // The sweeper's expiry, under system:sweeper.
  await db.execute(sql`update indicators set valid_from = now() - interval '2 days', valid_until = now() - interval '1 second' where id = ${a!.id}::uuid`);
  await sweep(db);
  t.match((await audit(`&indicator_id=${a!.id}&action=indicator.expired`))[0], { actor: 'system:sweeper', actor_org: null, indicators: [{ id: a!.id, version: 3 }] });

  const feed = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: agency.auth, payload: { name: 'audited feed', filters: { tlp: ['AMBER'] } } }));
  t.match((await audit(`&action=saved_feed.created`))[0], { actor: agency.clientId, actor_org: agency.orgId, subject: feed.id, detail: { name: 'audited feed' } });
  t.equal((await app.inject({ method: 'POST', url: '/v1/warninglists/audited-list/entries', headers: adminAuth, payload: { entries: ['audited-list-entry.com'] } })).statusCode, 201);
  t.match((await audit(`&action=warninglist.entries_added`))[0], { actor: BOOTSTRAP_ID, subject: 'audited-list', detail: { action: 'flag', entries: ['audited-list-entry.com'] } });
});

t.test('every delivery path records who received which version, once per page', async (t) => {
  const [x, y] = await push([
    { type: 'domain', value: 'audit-delivered-x.com', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'ipv4', value: '185.234.72.77', tlp: 'CLEAR', pap: 'CLEAR' },
  ]);
  const ids = [x!.id, y!.id].sort();
  await app.inject({ method: 'PATCH', url: `/v1/indicators/${x!.id}`, headers: partner.auth, payload: { confidence: 61 } });
  const saved = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: agency.auth, payload: { name: 'all clear', filters: { tlp: ['CLEAR'] } } }));
  const since = new Date().toISOString();

  const get = (url: string, who: Member = agency) => app.inject({ method: 'GET', url, headers: who.auth });
  t.equal((await get(`/v1/indicators/${x!.id}`)).statusCode, 200);
  t.equal((await get(`/v1/indicators?type=domain&value=audit-delivered-x.com`)).statusCode, 200);
  t.equal((await get(`/v1/lookup?type=ipv4&value=185.234.72.77`)).statusCode, 200);
  for (const format of ['json', 'ndjson', 'csv', 'stix']) t.equal((await get(`/v1/feed?format=${format}&tlp=CLEAR&limit=1000`)).statusCode, 200);
  t.equal((await get(`/v1/feeds/${saved.id}/items?limit=1000`)).statusCode, 200);
  const txt = await get('/v1/blocklist?type=domain');
  t.equal(txt.statusCode, 200);
  t.equal((await get('/v1/blocklist?format=rpz')).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/v1/blocklist?type=domain', headers: { ...agency.auth, 'if-none-match': String(txt.headers.etag) } })).statusCode, 304);
  // Nothing delivered, nothing recorded: a read that finds nothing, an empty list, an empty feed page.
  t.equal((await get(`/v1/indicators/01900000-0000-7000-8000-000000000000`)).statusCode, 404);
  t.same(json(await get('/v1/indicators?type=domain&value=audit-nothing.com')).items, []);
  t.same(json(await get('/v1/feed?types=iban')).items, []);

  const deliveries = (await audit(`&action=delivery&actor=${agency.clientId}&since=${encodeURIComponent(since)}`)).reverse();
  t.same(deliveries.map((e) => e.path), ['read', 'list', 'lookup', 'feed:json', 'feed:ndjson', 'feed:csv', 'feed:stix', 'saved-feed:json', 'blocklist:txt', 'blocklist:rpz'],
    'one entry per response, none for the 304');
  t.ok(deliveries.every((e) => e.actor_org === agency.orgId));
  const versionOf = (e: Entry, id: string) => e.indicators.find((i) => i.id === id)?.version;
  t.equal(versionOf(deliveries[0]!, x!.id), 2, 'the version the read returned');
  t.same(deliveries[1]!.indicators, [{ id: x!.id, version: 2 }]);
  t.same(deliveries[2]!.indicators, [{ id: y!.id, version: 1 }]);
  for (const page of deliveries.slice(3, 8)) {
    t.same(page.indicators.map((i) => i.id).filter((id) => ids.includes(id)).sort(), ids, `${page.path}: both, once`);
    t.equal(versionOf(page, x!.id), 2, `${page.path}: the version the page holds`);
  }
  t.same(deliveries[7]!.detail, { saved_feed: saved.id });
  t.same(deliveries[8]!.indicators.filter((i) => i.id === x!.id), [{ id: x!.id, version: 2 }], 'the blocklist: the indicator behind each value');
  t.ok(deliveries[9]!.indicators.some((i) => i.id === y!.id), 'the RPZ file holds the address too');

  // A zone transfer: the client, the zone and its serial.
  const isp = await createMember(app, admin, 'intermediary', 'FR');
  const resolver = json(await app.inject({ method: 'POST', url: `/v1/orgs/${isp.orgId}/clients`, headers: adminAuth, payload: { name: 'resolver' } }));
  const dns = await startDnsPrimary({ db, config: { ...config, dnsPort: 0, dnsHost: '127.0.0.1', dnsRefreshMs: 60_000 }, sealKeys: await loadSealKeys(db, config.tsigSealKeys), log: app.log });
  t.teardown(() => dns.close());
  const key = { name: resolver.tsig_key.key_name, secret: Buffer.from(resolver.tsig_key.secret, 'base64') };
  await transfer(dns.port, resolver.tsig_key.zone, key);
  const [axfr] = await audit(`&actor=${resolver.client_id}&action=delivery`);
  t.match(axfr, { path: 'dns:axfr', actor_org: isp.orgId, subject: resolver.tsig_key.zone, detail: { serial: Number } });
});

t.test('TAXII, the link graph and outcomes are audited like every other path', async (t) => {
  const [site, server] = await push([
    { type: 'domain', value: 'audit-graph-site.tv', tlp: 'GREEN', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: '185.234.72.88' } }] },
    { type: 'ipv4', value: '185.234.72.88', tlp: 'GREEN' },
  ]);
  const since = new Date().toISOString();
  const taxii = { ...agency.auth, accept: 'application/taxii+json;version=2.1' };
  const collections = json(await app.inject({ method: 'GET', url: '/taxii2/api/collections/', headers: taxii }));
  const everything = collections.collections.find((c: { title: string }) => c.title === 'Everything').id as string;
  t.equal((await app.inject({ method: 'GET', url: `/taxii2/api/collections/${everything}/objects/?limit=1000`, headers: taxii })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${site!.id}/related`, headers: agency.auth })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${site!.id}/network?format=stix`, headers: agency.auth })).statusCode, 200);
  const reported = await app.inject({ method: 'POST', url: `/v1/indicators/${site!.id}/outcomes`, headers: agency.auth, payload: { action: 'false_positive', note: 'a legitimate broadcaster' } });
  t.equal(reported.statusCode, 201);

  const deliveries = (await audit(`&action=delivery&actor=${agency.clientId}&since=${encodeURIComponent(since)}`)).reverse();
  t.same(deliveries.map((e) => e.path), ['taxii:objects', 'graph:related', 'graph:network:stix']);
  t.ok(deliveries[0]!.indicators.some((i) => i.id === site!.id && i.version === 1), 'the TAXII page: each indicator with its version');
  for (const graph of deliveries.slice(1)) {
    t.same(graph.indicators.map((i) => i.id).sort(), [site!.id, server!.id].sort(), `${graph.path}: every node delivered`);
  }
  const events = await audit(`&indicator_id=${site!.id}&actor=${agency.clientId}&since=${encodeURIComponent(since)}`);
  const outcome = events.find((e) => e.action === 'outcome.reported');
  t.match(outcome, { actor_org: agency.orgId, indicators: [{ id: site!.id }], detail: { outcome_id: json(reported).id, action: 'false_positive' } });
  t.notOk(JSON.stringify(outcome).includes('broadcaster'), 'the reporter\'s note stays out of the audit');
  t.match(events.find((e) => e.action === 'indicator.updated'), { indicators: [{ id: site!.id, version: 2 }], detail: { via: 'outcome', disputed: true } },
    'the dispute it caused, with the version it produced');
});

t.test('the log is read with filters and cursors; `delivered` counts organisations and countries, not who', async (t) => {
  const france = await createMember(app, admin, 'agency', 'FR');
  const spain = await createMember(app, admin, 'agency', 'ES');
  const spainToo = await createMember(app, admin, 'agency', 'ES');
  const [z] = await push([{ type: 'domain', value: 'audit-counted.com' }]);
  const before = new Date().toISOString();
  for (const who of [france, spain, spainToo, spain]) await app.inject({ method: 'GET', url: `/v1/indicators/${z!.id}`, headers: who.auth });
  await app.inject({ method: 'GET', url: `/v1/indicators/${z!.id}`, headers: partner.auth }); // the source itself: not a recipient

  const reads = await audit(`&indicator_id=${z!.id}&path=read&since=${encodeURIComponent(before)}`);
  t.equal(reads.length, 5);
  const paged: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Entry[]; next_cursor: string | null } = json(await app.inject({ method: 'GET', url: `/v1/audit?indicator_id=${z!.id}&path=read&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: adminAuth }));
    t.ok(page.items.length <= 2);
    paged.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  t.same(paged.map((e) => e.id), reads.map((e) => e.id), 'pages of two give the same entries, newest first');
  t.same(await audit(`&indicator_id=${z!.id}&until=${encodeURIComponent(before)}&path=read`), [], 'until is exclusive of what came after');
  t.equal((await audit(`&org_id=${spain.orgId}&indicator_id=${z!.id}`)).length, 2);
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit?cursor=forged.cursor', headers: adminAuth })).statusCode, 400);
  t.equal((await app.inject({ method: 'GET', url: '/v1/audit?action=nonsense', headers: adminAuth })).statusCode, 400);

  const deliveredTo = async (who: Member | typeof adminAuth) => {
    const res = await app.inject({ method: 'GET', url: `/v1/indicators/${z!.id}`, headers: 'auth' in who ? who.auth : who });
    return json(res).delivered;
  };
  t.same(await deliveredTo(partner), { orgs: 0, countries: 0 }, 'nothing counted before the chainer came by');
  await chainAudit(db);
  t.same(await deliveredTo(partner), { orgs: 3, countries: 2 }, 'the source sees three organisations in two countries');
  t.same(await deliveredTo(adminAuth), { orgs: 3, countries: 2 }, 'and so does the secretariat (not counted itself)');
  t.equal(await deliveredTo(france), undefined, 'a recipient does not');
  const listed = json(await app.inject({ method: 'GET', url: '/v1/indicators?type=domain&value=audit-counted.com', headers: partner.auth }));
  t.same(listed.items[0].delivered, { orgs: 3, countries: 2 }, 'in lists too');
  t.notOk(JSON.stringify(listed).includes(france.orgId), 'never who');
});

t.test('a partner or an agency cannot read or verify the audit', async (t) => {
  for (const who of [partner, agency]) {
    for (const url of ['/v1/audit', '/v1/audit/verify']) {
      const res = await app.inject({ method: 'GET', url, headers: who.auth });
      t.equal(res.statusCode, 403, `${who.kind} ${url}`);
      t.equal(json(res).type, 'urn:isop:problem:insufficient-scope');
    }
  }
});

t.test('verify passes on a busy log: writers, readers and the chainer all at once', async (t) => {
  const writers = await Promise.all(['GB', 'IT', 'NL'].map((c) => createMember(app, admin, 'partner', c, { sectors: ['music'] })));
  const readers = await Promise.all(['AT', 'BE'].map((c) => createMember(app, admin, 'agency', c)));
  let writing = true;
  const chaining = (async () => {
    let rounds = 0;
    while (writing || rounds === 0) {
      await chainAudit(db, { maxBatches: 2 });
      rounds++;
      await new Promise((resolve) => setImmediate(resolve)); // PGlite's one connection: let the writers in between rounds
    }
    return rounds;
  })();
  await Promise.all([
    ...writers.map(async (w, k) => {
      for (let n = 0; n < 6; n++) {
        await push(Array.from({ length: 40 }, (_, i) => ({ type: 'domain', value: `busy-${k}-${n}-${i}.com` })), w);
        await tokenFor(app, w.clientId, w.secret);
      }
    }),
    ...readers.map(async (r) => {
      for (let n = 0; n < 8; n++) await app.inject({ method: 'GET', url: '/v1/feed?limit=100', headers: r.auth });
    }),
  ]);
  writing = false;
  t.ok(await chaining >= 1);
  for (let i = 0; i < 10 && (await chainAudit(db)).chained > 0; i++);
  const result = await verifyAudit(db);
  const [count] = await rows<{ n: number }>(db, sql`select count(*)::int as n from audit_log`);
  t.match(result, { ok: true, problems: [], pending: 0, entries: count!.n });
  t.equal(result.head!.entry, count!.n, 'the head is the last entry');
  const [order] = await rows<{ sorted: boolean }>(db, sql`
    select bool_and(prev is null or (c.log_xid, c.log_id) > prev) as sorted from (
      select c.*, lag(row(c.log_xid, c.log_id)) over (order by c.entry) as prev from audit_chain c) c`);
  t.ok(order!.sorted, 'chain order is (xid, id) order');
  const api = json(await app.inject({ method: 'GET', url: '/v1/audit/verify', headers: adminAuth }));
  t.same(api, { ...result, head: result.head }, 'the API answers the same');
  const tail = json(await app.inject({ method: 'GET', url: `/v1/audit/verify?after=${result.head!.entry - 5}&hash=${(await chainEntryHash(result.head!.entry - 5))}`, headers: adminAuth }));
  t.match(tail, { ok: true, entries: 5 }, 'from a head published earlier, only what came after');
  const wrong = json(await app.inject({ method: 'GET', url: `/v1/audit/verify?after=${result.head!.entry - 5}&hash=${'f'.repeat(64)}`, headers: adminAuth }));
  t.match(wrong, { ok: false, problems: [{ entry: result.head!.entry - 5, problem: /another hash/ }] });

  // A page longer than one read of the database (100 rows): 110 entries, newest first, then the rest from there.
  t.ok(count!.n > 110, `${count!.n} entries`);
  const first = json(await app.inject({ method: 'GET', url: '/v1/audit?limit=110', headers: adminAuth }));
  t.equal(first.items.length, 110);
  t.ok(first.has_more);
  const second = json(await app.inject({ method: 'GET', url: `/v1/audit?limit=1000&cursor=${encodeURIComponent(first.next_cursor)}`, headers: adminAuth }));
  t.equal(second.has_more, false);
  const ids = [...first.items, ...second.items].map((e: Entry) => e.id);
  t.equal(ids.length, count!.n, 'every entry, once');
  t.same(ids, [...ids].sort((a, b) => b - a), 'newest first across both pages');
  const [newest] = await rows<{ id: number }>(db, sql`select max(id)::int8 as id from audit_log`);
  t.equal(ids[0], Number(newest!.id), 'from the newest');
});

async function chainEntryHash(entry: number): Promise<string> {
  const [row] = await rows<{ hash: string }>(db, sql`select hash from audit_chain where entry = ${entry}`);
  return row!.hash;
}
