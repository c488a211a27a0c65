/**
 * Outcomes (contract §5): who may report what, who sees which outcome, the source's counts, the
 * disputed mark in every read, feed format, blocklist and resolver zone, and the source's
 * gap-free outcomes feed (with writers that commit out of start order on PostgreSQL).
 */
import t from 'tap';
import { parse as parseCsv } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { feedHorizon } from '../../src/modules/feeds/query.js';
import { refreshZone } from '../../src/modules/dns/zones.js';
import { recordOutcome } from '../../src/modules/outcomes/service.js';
import { stixIndicatorId } from '../../src/domain/stix.js';
import type { Caller, ScopeName } from '../../src/plugins/auth.js';
import { heldWrite } from '../helpers/concurrency.js';
import { adminToken, createMember, createTestApp, drainFeed, json, tokenFor, type Member } from '../helpers/app.js';

const { app, database, config } = await createTestApp(t);
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
/** An intermediary's client that confirms blocking orders: the contract's defaults plus outcomes:write (granted by the secretariat). */
const CONFIRMING = { scopes: ['feed:read', 'indicators:read', 'outcomes:write'] };
const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['film_tv'] });

async function push(items: Record<string, unknown>[], who: Member = source) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  if (res.statusCode !== 200 || json(res).summary.rejected) throw new Error(`push failed: ${res.body}`);
  return json(res).results as Array<{ id: string; value: string }>;
}

const report = (who: { auth: Record<string, string> }, id: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/v1/indicators/${id}/outcomes`, headers: who.auth, payload });
const outcomesSeenBy = async (who: { auth: Record<string, string> }, id: string) => {
  const res = await app.inject({ method: 'GET', url: `/v1/indicators/${id}/outcomes`, headers: who.auth });
  return { status: res.statusCode, actions: res.statusCode === 200 ? (json(res).items as Array<{ action: string }>).map((o) => o.action) : [] };
};
const read = async (who: { auth: Record<string, string> }, id: string) => json(await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: who.auth }));

t.test('who sees which outcome: source, secretariat, reporter; other agencies only when shared and while they may receive it', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'FR');
  const colleague = await createMember(app, admin, 'agency', 'DE');
  const excluded = await createMember(app, admin, 'agency', 'IT');
  const isp = await createMember(app, admin, 'intermediary', 'FR', CONFIRMING);
  const otherPartner = await createMember(app, admin, 'partner', 'ES', { sectors: ['music'] });
  const [site] = await push([{ type: 'domain', value: 'outcome-visibility.tv', tlp: 'CLEAR', pap: 'GREEN', exclude: { orgs: [excluded.orgId] } }]);
  const id = site!.id;

  const first = await report(agency, id, { action: 'investigating', case_ref: 'FR-2026-001', note: 'seen on a reseller panel' });
  t.equal(first.statusCode, 201);
  t.match(json(first), {
    id: String, indicator: { id, type: 'domain', value: 'outcome-visibility.tv', platform: null }, action: 'investigating',
    case_ref: 'FR-2026-001', note: 'seen on a reseller panel', share_with_agencies: false,
    reported_by: { org_id: agency.orgId, kind: 'agency', country: 'FR' }, occurred_at: String, created_at: String,
  });
  t.equal((await report(agency, id, { action: 'taken_down', share_with_agencies: true, occurred_at: '2026-01-02T03:04:05Z' })).statusCode, 201);
  const defaultIsp = await createMember(app, admin, 'intermediary', 'FR');
  t.equal((await report(defaultIsp, id, { action: 'blocked' })).statusCode, 403, 'an intermediary client with the contract\'s default scopes may not report');
  t.equal((await report(isp, id, { action: 'blocked' })).statusCode, 201, 'an intermediary whose client holds outcomes:write confirms a blocking order');

  t.same(await outcomesSeenBy(source, id), { status: 200, actions: ['investigating', 'taken_down', 'blocked'] }, 'the source sees every outcome');
  t.same(await outcomesSeenBy({ auth: adminAuth }, id), { status: 200, actions: ['investigating', 'taken_down', 'blocked'] }, 'the secretariat too');
  t.same(await outcomesSeenBy(agency, id), { status: 200, actions: ['investigating', 'taken_down'] }, 'the reporter sees its own');
  t.same(await outcomesSeenBy(colleague, id), { status: 200, actions: ['taken_down'] }, 'another agency: only what was shared');
  t.same(await outcomesSeenBy(isp, id), { status: 200, actions: ['blocked'] }, 'an intermediary: only its own, shared ones are for agencies');
  t.same(await outcomesSeenBy(excluded, id), { status: 404, actions: [] }, 'an agency that may not receive the indicator: 404, shared or not');
  const partnerRead = await tokenFor(app, otherPartner.clientId, otherPartner.secret);
  t.same(await outcomesSeenBy({ auth: { authorization: `Bearer ${partnerRead}` } }, id), { status: 200, actions: [] }, 'another partner that receives it: none');
  t.equal((await report(excluded, id, { action: 'blocked' })).statusCode, 404, 'nobody reports on what it may not receive');

  // The source's read counts them by action; nobody else's does.
  t.same((await read(source, id)).outcomes, { blocked: 1, investigating: 1, taken_down: 1 });
  t.same((await read({ auth: adminAuth }, id)).outcomes, { blocked: 1, investigating: 1, taken_down: 1 });
  t.notOk('outcomes' in await read(agency, id), 'not shown to recipients');

  // Paging.
  const page = json(await app.inject({ method: 'GET', url: `/v1/indicators/${id}/outcomes?limit=2`, headers: source.auth }));
  t.equal(page.items.length, 2);
  const rest = json(await app.inject({ method: 'GET', url: `/v1/indicators/${id}/outcomes?limit=2&cursor=${encodeURIComponent(page.next_cursor)}`, headers: source.auth }));
  t.same(rest.items.map((o: { action: string }) => o.action), ['blocked']);
  t.equal(rest.next_cursor, null);
  const [otherSite] = await push([{ type: 'domain', value: 'outcome-other.tv', tlp: 'CLEAR', pap: 'GREEN' }]);
  t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${otherSite!.id}/outcomes?cursor=${encodeURIComponent(page.next_cursor)}`, headers: source.auth })).statusCode, 400, 'a cursor is for its own indicator');
});

t.test('who may report what', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'NL');
  const isp = await createMember(app, admin, 'intermediary', 'NL', CONFIRMING);
  const [open, agencyOnly] = await push([
    { type: 'domain', value: 'who-reports.tv', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: 'who-reports-amber.tv', tlp: 'CLEAR', pap: 'AMBER' },
  ]);
  for (const action of ['arrest', 'false_positive', 'investigating', 'assets_frozen']) {
    const res = await report(isp, open!.id, { action });
    t.equal(res.statusCode, 403, `an intermediary may not report ${action}`);
    t.match(json(res).detail, /blocked, taken_down, not_actionable, no_longer_active/);
  }
  for (const action of ['blocked', 'taken_down', 'not_actionable', 'no_longer_active']) {
    t.equal((await report(isp, open!.id, { action })).statusCode, 201, `an intermediary may report ${action}`);
  }
  t.equal((await report(isp, agencyOnly!.id, { action: 'blocked' })).statusCode, 404, 'only on what it receives (PAP AMBER is not for intermediaries)');
  t.equal((await report(agency, agencyOnly!.id, { action: 'arrest' })).statusCode, 201, 'agencies report any action');
  const partnerOwn = await report(source, open!.id, { action: 'taken_down' });
  t.equal(partnerOwn.statusCode, 403, 'a partner without outcomes:write reports nothing');
  t.equal(json(partnerOwn).type, 'urn:isop:problem:insufficient-scope');
  t.equal((await report(agency, open!.id, { action: 'confirmed' })).statusCode, 403, 'only the source confirms');
  t.equal((await report(source, open!.id, { action: 'confirmed' })).statusCode, 409, 'nothing to confirm while not disputed');
  const bad = [
    { action: 'nuked' }, { action: 'blocked', colour: 'red' }, { action: 'blocked', occurred_at: 'yesterday' },
    { action: 'blocked', occurred_at: new Date(Date.now() + 3_600_000).toISOString() }, {},
  ];
  for (const payload of bad) t.equal((await report(agency, open!.id, payload)).statusCode, 400, JSON.stringify(payload));
  t.equal((await app.inject({ method: 'GET', url: '/v1/outcomes', headers: agency.auth })).statusCode, 403, 'the outcomes feed is for sources (outcomes:read)');
});

t.test('false_positive: disputed in every read and feed format, out of blocklists and zones until the source confirms', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'BE');
  const isp = await createMember(app, admin, 'intermediary', 'BE', CONFIRMING);
  const [site, kept] = await push([
    { type: 'domain', value: 'disputed-site.tv', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: 'kept-site.tv', tlp: 'CLEAR', pap: 'CLEAR' },
  ]);
  const id = site!.id;
  const blocklist = async () => (await app.inject({ method: 'GET', url: '/v1/blocklist?type=domain', headers: isp.auth })).body.split('\n');
  const rpz = async () => (await app.inject({ method: 'GET', url: '/v1/blocklist?format=rpz', headers: isp.auth })).body;
  const owner = { clientId: isp.clientId, orgId: isp.orgId, orgKind: 'intermediary' as const, country: 'BE' };
  const zone = async () => {
    await refreshZone(database.db, owner, await feedHorizon(database.db), config.rpz, false);
    return (await rows<{ value: string }>(database.db, sql`select value from dns_zone_records where client_id = ${isp.clientId}`)).map((r) => r.value);
  };
  t.ok((await blocklist()).includes('disputed-site.tv'));
  t.ok((await zone()).includes('disputed-site.tv'), 'in the resolver zone');
  const agencyStart = await drainFeed(app, agency);
  const ispStart = await drainFeed(app, isp);
  const before = await read(source, id);

  t.equal((await report(agency, id, { action: 'false_positive', note: 'a legitimate broadcaster' })).statusCode, 201);
  for (const who of [source, agency, isp]) t.equal((await read(who, id)).disputed, true, `disputed in ${who.kind}'s read`);
  t.equal((await read(source, id)).version, before.version + 1, 'a new version');
  const lookup = json(await app.inject({ method: 'GET', url: '/v1/lookup?type=domain&value=disputed-site.tv', headers: agency.auth }));
  t.match(lookup.indicators, [{ id, disputed: true }], 'in lookups');
  const listed = json(await app.inject({ method: 'GET', url: '/v1/indicators?type=domain&value=disputed-site.tv', headers: isp.auth }));
  t.match(listed.items, [{ id, disputed: true }], 'in lists');
  t.equal((await report(agency, id, { action: 'false_positive' })).statusCode, 201, 'a second dispute is recorded');
  t.equal((await read(source, id)).version, before.version + 1, 'and changes nothing more');

  const changed = await drainFeed(app, agency, { cursor: agencyStart.cursor });
  t.match(changed.entries, [{ id, status: 'active', disputed: true }], 'the feed delivers the change (json)');
  const at = encodeURIComponent(agencyStart.cursor);
  const feedAs = (format: string) => app.inject({ method: 'GET', url: `/v1/feed?format=${format}&cursor=${at}`, headers: agency.auth });
  t.match(JSON.parse((await feedAs('ndjson')).body.trim().split('\n')[0]!), { id, disputed: true }, 'ndjson');
  t.match(parseCsv((await feedAs('csv')).body, { columns: true }), [{ id, disputed: 'true' }], 'csv');
  t.match(json(await feedAs('stix')).objects.find((o: { type: string }) => o.type === 'indicator'), { id: stixIndicatorId(id), x_isop_disputed: true }, 'stix');
  t.match((await drainFeed(app, isp, { cursor: ispStart.cursor })).entries, [{ id, disputed: true }], 'and the intermediary\'s feed');

  t.notOk((await blocklist()).includes('disputed-site.tv'), 'out of the blocklist');
  t.ok((await blocklist()).includes(kept!.value), 'the others stay');
  t.notOk(/\ndisputed-site\.tv CNAME/.test(await rpz()), 'out of the RPZ file');
  t.match(await rpz(), /\nkept-site\.tv CNAME/);
  t.notOk((await zone()).includes('disputed-site.tv'), 'out of the resolver zone, following the change log');

  const confirmed = await report(source, id, { action: 'confirmed', note: 'licence checked: it is ours' });
  t.equal(confirmed.statusCode, 201, 'the source confirms');
  t.equal(json(confirmed).share_with_agencies, true, 'a confirmation is shown to the agencies');
  t.ok((await outcomesSeenBy(agency, id)).actions.includes('confirmed'), 'so the disputing agency learns of it');
  t.equal((await read(agency, id)).disputed, false);
  t.ok((await blocklist()).includes('disputed-site.tv'), 'back in the blocklist');
  t.ok((await zone()).includes('disputed-site.tv'), 'and in the zone');
  t.match((await drainFeed(app, agency, { cursor: changed.cursor })).entries, [{ id, disputed: false }], 'the feed delivers the confirmation');
  t.same((await read(source, id)).outcomes, { confirmed: 1, false_positive: 2 });

  await report(agency, id, { action: 'false_positive' });
  t.notOk((await blocklist()).includes('disputed-site.tv'), 'disputed again');
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/indicators/${id}`, headers: source.auth })).statusCode, 200);
  t.match((await drainFeed(app, isp, { cursor: ispStart.cursor })).entries.find((e: { id: string }) => e.id === id), { status: 'withdrawn' }, 'withdrawn: a tombstone');
});

t.test('the outcomes feed: a source\'s outcomes on its own indicators, in order, then only what is new', async (t) => {
  const mine = await createMember(app, admin, 'partner', 'PT', { sectors: ['games'] });
  const agency = await createMember(app, admin, 'agency', 'PT');
  const [a, b] = await push([{ type: 'domain', value: 'feed-outcome-a.tv', tlp: 'GREEN' }, { type: 'domain', value: 'feed-outcome-b.tv', tlp: 'GREEN' }], mine);
  const [foreign] = await push([{ type: 'domain', value: 'feed-outcome-foreign.tv', tlp: 'GREEN' }]);
  await report(agency, a!.id, { action: 'investigating' });
  await report(agency, foreign!.id, { action: 'investigating' });
  await report(agency, b!.id, { action: 'takedown_requested' });
  await report(agency, a!.id, { action: 'domain_seized' });
  const pull = async (cursor?: string, limit = 2) => json(await app.inject({ method: 'GET', url: `/v1/outcomes?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: mine.auth }));
  const first = await pull();
  t.equal(first.has_more, true, 'a full page says there may be more');
  const second = await pull(first.next_cursor);
  t.equal(second.has_more, false);
  t.same([...first.items, ...second.items].map((o: { action: string; indicator: { id: string } }) => `${o.indicator.id === a!.id ? 'a' : 'b'}:${o.action}`),
    ['a:investigating', 'b:takedown_requested', 'a:domain_seized'], 'only its own indicators, in order');
  const third = await pull(second.next_cursor);
  t.same(third.items, [], 'nothing repeats');
  await report(agency, b!.id, { action: 'taken_down' });
  t.same((await pull(third.next_cursor)).items.map((o: { action: string }) => o.action), ['taken_down'], 'then only what is new');
  t.equal((await app.inject({ method: 'GET', url: '/v1/outcomes?cursor=abc.def', headers: mine.auth })).statusCode, 400);
  const feedCursor = (await drainFeed(app, agency)).cursor;
  t.equal((await app.inject({ method: 'GET', url: `/v1/outcomes?cursor=${encodeURIComponent(feedCursor)}`, headers: mine.auth })).statusCode, 400, 'an indicator-feed cursor is not an outcomes cursor');
});

/**
 * The gap test for the outcomes feed: reporters whose transactions commit in another order than
 * they started, and the source polling in between, must end with every outcome.
 */
t.test('outcomes feed cursor under concurrent writers (PostgreSQL)', { skip: database.driver !== 'postgres' && 'needs concurrent transactions (DATABASE_URL)' }, async (t) => {
  const mine = await createMember(app, admin, 'partner', 'IE', { sectors: ['film_tv'] });
  const agency = await createMember(app, admin, 'agency', 'IE');
  const sites = await push(Array.from({ length: 14 }, (_, i) => ({ type: 'domain', value: `gap-outcome-${i}.tv`, tlp: 'GREEN' })), mine);
  const caller: Caller = {
    clientId: agency.clientId, orgId: agency.orgId, orgName: 'agency', orgKind: 'agency', country: 'IE', groups: [],
    scopes: new Set<ScopeName>(['outcomes:write']),
  };
  let cursor: string | undefined;
  const seen = new Set<string>();
  const poll = async () => {
    for (;;) {
      const page = json(await app.inject({ method: 'GET', url: `/v1/outcomes?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: mine.auth }));
      page.items.forEach((o: { id: string }) => seen.add(o.id));
      cursor = page.next_cursor;
      if (!page.has_more) return;
    }
  };
  const write = (indicatorId: string, until?: Promise<unknown>) =>
    heldWrite(database.db, async (tx) => (await recordOutcome(tx, caller, indicatorId, { action: 'investigating' })).id, until);
  // A writes first (lower pos) but commits after B, and the source polls in between.
  const a = write(sites[0]!.id);
  await a.written;
  const bId = await write(sites[1]!.id, Promise.resolve()).committed;
  await poll();
  t.notOk(seen.has(bId), 'B is held back while the older A runs');
  a.release();
  const aId = await a.committed;
  const crowd = sites.slice(2).map((s) => write(s.id, new Promise((r) => setTimeout(r, Math.random() * 200))).committed);
  const polling = (async () => { for (let i = 0; i < 10; i++) { await poll(); await new Promise((r) => setTimeout(r, 25)); } })();
  const crowdIds = await Promise.all(crowd);
  await polling;
  await poll();
  t.same([aId, bId, ...crowdIds].filter((id) => !seen.has(id)), [], 'the feed delivered every outcome');
  t.equal(seen.size, 14, 'and nothing else');
});
