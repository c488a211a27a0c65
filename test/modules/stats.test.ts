/**
 * Statistics (contract §6): counts, outcomes, median and p90 time from report to action by country
 * and intermediary, and each consumer's lag behind the feed head — for the secretariat, and for
 * each organisation about its own reports.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { adminToken, createMember, createTestApp, drainFeed, json, type Member } from '../helpers/app.js';

const { app, database, logs } = await createTestApp(t);
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
const studio = await createMember(app, admin, 'partner', 'FR', { sectors: ['film_tv'] });
const label = await createMember(app, admin, 'partner', 'SE', { sectors: ['music'] });
const agency = await createMember(app, admin, 'agency', 'FR');
const ispNl = await createMember(app, admin, 'intermediary', 'NL', { scopes: ['feed:read', 'indicators:read', 'outcomes:write'] });
const ispBe = await createMember(app, admin, 'intermediary', 'BE', { scopes: ['feed:read', 'indicators:read', 'outcomes:write'] });

async function push(items: Record<string, unknown>[], who: Member = studio) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  if (res.statusCode !== 200 || json(res).summary.rejected) throw new Error(`push failed: ${res.body}`);
  return (json(res).results as Array<{ id: string }>).map((r) => r.id);
}
const stats = async (auth: Record<string, string>, path = '/v1/stats') => {
  const res = await app.inject({ method: 'GET', url: path, headers: auth });
  if (res.statusCode !== 200) throw new Error(res.body + logs.filter((l) => l.includes('"level":50')).join(''));
  return json(res);
};

const REPORTED = Date.parse('2026-03-01T00:00:00Z');
const at = (hours: number) => new Date(REPORTED + hours * 3_600_000).toISOString();
const open = { tlp: 'CLEAR', pap: 'CLEAR', sector: 'film_tv' };
const [a, b, c, d] = await push([
  { type: 'domain', value: 'stats-a.tv', ...open }, { type: 'domain', value: 'stats-b.tv', ...open },
  { type: 'domain', value: 'stats-c.tv', ...open }, { type: 'ipv4', value: '185.44.55.66', ...open, tlp: 'GREEN' },
]);
const [gone] = await push([{ type: 'url', value: 'https://stats-gone.tv/x' }]);
await app.inject({ method: 'DELETE', url: `/v1/indicators/${gone}`, headers: studio.auth });
const [theirs] = await push([{ type: 'domain', value: 'stats-label.tv', ...open, sector: 'music' }], label);
// Reported at a known instant (moved by hand), acted on hours later.
await database.db.execute(sql`update indicators set created_at = ${new Date(REPORTED).toISOString()}::timestamptz`);
const report = async (who: Member, id: string, action: string, hours: number) => {
  const res = await app.inject({ method: 'POST', url: `/v1/indicators/${id}/outcomes`, headers: who.auth, payload: { action, occurred_at: at(hours) } });
  if (res.statusCode !== 201) throw new Error(res.body);
};
await report(ispNl, a!, 'blocked', 1);
await report(ispNl, b!, 'blocked', 3);
await report(ispNl, b!, 'blocked', 30); // a repeat: each reporter's first counts
await report(ispBe, a!, 'blocked', 10);
await report(agency, c!, 'taken_down', 5);
await report(agency, d!, 'investigating', 2);
await report(ispNl, theirs!, 'blocked', 100);

t.test('the secretariat: counts, outcomes, and time to action by country and intermediary', async (t) => {
  const all = await stats(adminAuth);
  t.match(all.indicators, { total: 6, by_status: { active: 5, withdrawn: 1 }, by_type: { domain: 4, ipv4: 1 }, by_tlp: { CLEAR: 4, GREEN: 1 }, by_sector: { film_tv: 4, music: 1 } });
  t.match(all.indicators.by_source, [{ org_id: studio.orgId, active: 4 }, { org_id: label.orgId, active: 1 }]);
  t.same(all.outcomes, { total: 7, by_action: { blocked: 5, investigating: 1, taken_down: 1 } });
  const nl = all.time_to_action.by_country.find((r: { action: string; country: string }) => r.action === 'blocked' && r.country === 'NL');
  t.same(nl, { action: 'blocked', reports: 3, median_seconds: 3 * 3600, p90_seconds: 290_160, country: 'NL' }, 'first blocks after 1 h, 3 h and 100 h');
  t.match(all.time_to_action.by_country, [{ action: 'blocked', country: 'BE', reports: 1, median_seconds: 36000 }, nl, { action: 'taken_down', country: 'FR', reports: 1, median_seconds: 18000, p90_seconds: 18000 }]);
  t.match(all.time_to_action.by_intermediary.map((r: { org_id: string; reports: number }) => [r.org_id, r.reports]).sort(), [[ispBe.orgId, 1], [ispNl.orgId, 3]].sort());
  t.notOk(all.time_to_action.by_country.some((r: { action: string }) => r.action === 'investigating'), 'only blocked, taken_down and domain_seized are timed');
});

t.test('stats/me: the same about the caller\'s own reports only', async (t) => {
  const mine = await stats(studio.auth, '/v1/stats/me');
  t.match(mine.indicators, { total: 5, by_status: { active: 4, withdrawn: 1 }, by_type: { domain: 3, ipv4: 1 } });
  t.notOk('by_source' in mine.indicators);
  t.same(mine.outcomes.by_action, { blocked: 4, investigating: 1, taken_down: 1 });
  t.match(mine.time_to_action.by_country.find((r: { country: string; action: string }) => r.country === 'NL' && r.action === 'blocked'), { reports: 2, median_seconds: 2 * 3600 });
  const theirsOnly = await stats(label.auth, '/v1/stats/me');
  t.match(theirsOnly, { indicators: { total: 1 }, outcomes: { total: 1, by_action: { blocked: 1 } } });
  t.match(await stats(agency.auth, '/v1/stats/me'), { indicators: { total: 0 }, outcomes: { total: 0 } }, 'an agency reported nothing');
  t.equal((await app.inject({ method: 'GET', url: '/v1/stats', headers: studio.auth })).statusCode, 403, '/v1/stats is for the secretariat');
});

t.test('each consumer\'s lag behind the feed head', async (t) => {
  const reader = await createMember(app, admin, 'agency', 'FR');
  const first = await drainFeed(app, reader);
  const row = async () => (await stats(adminAuth)).consumers.find((c: { client_id: string }) => c.client_id === reader.clientId);
  t.match(await row(), { org_id: reader.orgId, feed: 'feed', pending_changes: 0, pending_capped: false, lag_seconds: 0 }, 'at the head after its pull');
  await push([{ type: 'domain', value: 'stats-lag-1.tv' }, { type: 'domain', value: 'stats-lag-2.tv' }]);
  await push([{ type: 'domain', value: 'stats-lag-red.tv', tlp: 'RED', audience: { orgs: [agency.orgId] } }]);
  const behind = await row();
  t.equal(behind.pending_changes, 2, 'two new changes it may receive (not the RED one for another agency)');
  t.ok(behind.lag_seconds >= 0);
  t.match((await stats(reader.auth, '/v1/stats/me')).consumers, [{ client_id: reader.clientId, pending_changes: 2 }], 'an organisation sees its own clients');
  t.notOk((await stats(studio.auth, '/v1/stats/me')).consumers.some((c: { client_id: string }) => c.client_id === reader.clientId), 'and nobody else\'s');
  await drainFeed(app, reader, { cursor: first.cursor });
  t.match(await row(), { pending_changes: 0, lag_seconds: 0 }, 'caught up again');
  const saved = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: reader.auth, payload: { name: 'domains', filters: { types: ['domain'] } } }));
  await drainFeed(app, reader, { path: `/v1/feeds/${saved.id}/items` });
  t.ok((await stats(adminAuth)).consumers.some((c: { client_id: string; feed: string }) => c.client_id === reader.clientId && c.feed === saved.id), 'saved feeds are followed on their own');
});
