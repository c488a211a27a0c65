/**
 * The link graph (contract §6): mirror sites on a shared server, a shared wallet and a shared
 * tracking id make one network found from any member; the sharing rule holds on every node and
 * edge (a RED indicator for another agency is never a node, an edge, a bridge or a count); reads
 * count corroboration only over reports the caller may receive.
 */
import t from 'tap';
import { network as networkOf, related as relatedOf } from '../../src/modules/analysis/graph.js';
import { stixIndicatorId } from '../../src/domain/stix.js';
import { stixBundleErrors } from '../helpers/stix-schemas.js';
import { adminToken, createMember, createTestApp, json, type Member } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);
const studio = await createMember(app, admin, 'partner', 'FR', { sectors: ['film_tv'] });
const league = await createMember(app, admin, 'partner', 'GB', { sectors: ['live_sports'] });
const agency = await createMember(app, admin, 'agency', 'FR');
const otherAgency = await createMember(app, admin, 'agency', 'DE');

async function push(items: Record<string, unknown>[], who: Member = studio) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { defaults: { tlp: 'GREEN' }, items } });
  if (res.statusCode !== 200 || json(res).summary.rejected) throw new Error(`push failed: ${res.body}`);
  return (json(res).results as Array<{ id: string }>).map((r) => r.id);
}

const SERVER = '185.10.20.30';
const WALLET = { type: 'crypto_address', platform: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' };
const TRACKER = { type: 'tracking_id', platform: 'google_analytics', value: 'UA-99887766-1' };

// Three mirrors on one server (not itself reported); one takes payment in a wallet also reported
// on its own and used by a shop; the shop shares an analytics id (not reported) with a streaming
// site, whose player URL sits on a subdomain; a support address on the first mirror; the server's
// network; and a second report of the first mirror from another source.
const [mirrorA, mirrorB, mirrorC, wallet, shop, stream, player, support, network] = await push([
  { type: 'domain', value: 'mirror-a.tv', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: SERVER } }] },
  { type: 'domain', value: 'mirror-b.tv', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: SERVER } }] },
  { type: 'domain', value: 'mirror-c.tv', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: SERVER } }, { type: 'uses_payment', target: WALLET }] },
  WALLET,
  { type: 'domain', value: 'iptv-shop.tv', relations: [{ type: 'uses_payment', target: WALLET }, { type: 'advertised_on', target: TRACKER }] },
  { type: 'domain', value: 'stream-site.tv', relations: [{ type: 'advertised_on', target: TRACKER }] },
  { type: 'url', value: 'https://live.stream-site.tv/watch/1' },
  { type: 'email', value: 'support@mirror-a.tv' },
  { type: 'cidr', value: '185.10.20.0/24' },
]);
const [mirrorAgain] = await push([{ type: 'domain', value: 'mirror-a.tv' }], league);
// A RED indicator for the other agency only, bridging the network to a site nothing else links.
const [redBridge] = await push([{ type: 'domain', value: 'red-bridge.tv', tlp: 'RED', audience: { orgs: [otherAgency.orgId] },
  relations: [{ type: 'uses_payment', target: WALLET }, { type: 'hosted_on', target: { type: 'ipv4', value: '185.99.99.99' } }] }]);
const [beyondRed] = await push([{ type: 'domain', value: 'beyond-red.tv', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: '185.99.99.99' } }] }]);
// The same observable as mirror-b, reported RED to the other agency: corroboration only it may count.
const [redMirrorB] = await push([{ type: 'domain', value: 'mirror-b.tv', tlp: 'RED', audience: { orgs: [otherAgency.orgId] } }], league);
const [unrelated] = await push([{ type: 'domain', value: 'unrelated-site.tv' }]);

const MEMBERS = [mirrorA, mirrorB, mirrorC, wallet, shop, stream, player, support, network, mirrorAgain].map(String).sort();

const get = async (who: Member, url: string) => {
  const res = await app.inject({ method: 'GET', url, headers: who.auth });
  t.equal(res.statusCode, 200, `${url}: ${res.statusCode === 200 ? 'ok' : res.body}`);
  return json(res);
};
const idsOf = (nodes: Array<{ id: string }>) => nodes.map((n) => n.id).sort();

t.test('the network is found from any member, with counts by type and the links that make it', async (t) => {
  for (const start of MEMBERS) {
    const found = await get(agency, `/v1/indicators/${start}/network`);
    t.same(idsOf(found.nodes), MEMBERS, `from ${start}: every member`);
    t.equal(found.members, MEMBERS.length);
    t.same(found.by_type, { cidr: 1, crypto_address: 1, domain: 6, email: 1, url: 1 });
    t.equal(found.truncated, false);
    t.equal(found.nodes[0].id, start, 'the start first');
  }
  const found = await get(agency, `/v1/indicators/${mirrorA}/network`);
  const edge = (source: string, target: string) => found.edges.filter((e: { source: string; target: string }) => e.source === source && e.target === target);
  const pair = (a: string, b: string) => [...edge(a, b), ...edge(b, a)];
  t.match(pair(mirrorA!, mirrorB!), [{ type: 'shared', observable: { type: 'ipv4', value: SERVER, platform: null } }], 'mirrors on one server');
  t.match(edge(network!, mirrorA!), [{ type: 'contains', observable: { type: 'ipv4', value: SERVER } }], 'the network contains their server');
  t.match(edge(mirrorC!, wallet!), [{ type: 'uses_payment', observable: WALLET }], 'a relation to a reported wallet');
  t.match(pair(shop!, stream!), [{ type: 'shared', observable: { ...TRACKER } }], 'a shared tracking id');
  t.match(edge(player!, stream!), [{ type: 'registrable_domain', observable: { type: 'domain', value: 'stream-site.tv' } }], 'URL → registrable domain');
  t.match(pair(mirrorA!, mirrorAgain!), [{ type: 'corroboration' }], 'two sources, one observable');
  t.match(edge(support!, mirrorA!), [{ type: 'domain' }], 'e-mail → its domain');
  t.equal(found.nodes.find((n: { id: string }) => n.id === mirrorA).corroboration.sources, 2, 'nodes carry corroboration');
  t.notOk(found.nodes.some((n: { id: string }) => n.id === unrelated), 'nothing unlinked');
});

t.test('a RED indicator for another agency is never a node, an edge, a bridge or a count', async (t) => {
  const mine = await get(agency, `/v1/indicators/${mirrorC}/network`);
  const text = JSON.stringify(mine);
  for (const hidden of [redBridge!, beyondRed!, redMirrorB!]) t.notOk(text.includes(hidden), `${hidden} nowhere in the answer`);
  t.notOk(text.includes('185.99.99.99'), 'nor what only it carries');
  t.equal(mine.members, MEMBERS.length);
  const related = await get(agency, `/v1/indicators/${mirrorC}/related?depth=3&limit=500`);
  t.notOk(JSON.stringify(related).includes(redBridge!), 'not in related either');
  t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${redBridge}/network`, headers: agency.auth })).statusCode, 404, 'nor a start');
  t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${beyondRed}/network`, headers: agency.auth })).statusCode, 200, 'what lies beyond it is a network of its own');
  t.same(idsOf((await get(agency, `/v1/indicators/${beyondRed}/network`)).nodes), [beyondRed], 'alone, for this caller');

  const theirs = await get(otherAgency, `/v1/indicators/${mirrorC}/network`);
  t.same(idsOf(theirs.nodes), [...MEMBERS, redBridge!, beyondRed!, redMirrorB!].sort(), 'its audience sees it, and what it bridges to');
  t.equal(theirs.by_type.domain, 9);
  t.match(theirs.edges.filter((e: { source: string; target: string }) => e.source === redBridge && e.target === wallet), [{ type: 'uses_payment' }]);
});

t.test('corroboration counts only the reports the caller may receive', async (t) => {
  const read = async (who: Member, id: string) => (await get(who, `/v1/indicators/${id}`)).corroboration;
  t.same(await read(agency, mirrorB!), { sources: 1 }, 'the RED report of the same site is not counted for this agency');
  t.same(await read(otherAgency, mirrorB!), { sources: 2 }, 'its audience counts it');
  t.same(await read(agency, mirrorA!), { sources: 2 });
  t.same(await read(studio, mirrorB!), { sources: 1 }, 'a source counts what it may receive too');
  t.same(await read({ auth: { authorization: `Bearer ${admin}` } } as Member, mirrorB!), { sources: 2 }, 'the secretariat all');
  const lookup = await get(agency, '/v1/lookup?type=domain&value=mirror-a.tv');
  t.same(lookup.indicators.map((i: { corroboration: unknown }) => i.corroboration), [{ sources: 2 }, { sources: 2 }], 'in lookups');
  const listed = await get(league, '/v1/indicators?type=domain&value=mirror-b.tv');
  t.same(listed.items.map((i: { corroboration: unknown }) => i.corroboration), [{ sources: 2 }], 'in lists: the RED report\'s source may receive the other report');
  const feed = await get(agency, '/v1/feed?limit=10000');
  t.notOk(feed.items.some((i: Record<string, unknown>) => 'corroboration' in i), 'never in feed items');
});

t.test('related: bounded by depth and limit, ordered by distance and relevance', async (t) => {
  const one = await get(agency, `/v1/indicators/${mirrorA}/related`);
  t.equal(one.depth, 1);
  t.equal(one.nodes[0].id, mirrorA);
  t.equal(one.nodes[0].depth, 0);
  const depthOne = idsOf(one.nodes.slice(1));
  t.same(depthOne, [mirrorB, mirrorC, support, network, mirrorAgain].map(String).sort(), 'one link away: server neighbours, its network, its e-mail, its other report');
  t.ok(one.nodes.slice(1).every((n: { depth: number }) => n.depth === 1));
  const three = await get(agency, `/v1/indicators/${mirrorA}/related?depth=3`);
  const depths = three.nodes.map((n: { depth: number }) => n.depth);
  t.same(depths, [...depths].sort((a: number, b: number) => a - b), 'nearest first');
  t.same(idsOf(three.nodes.filter((n: { depth: number }) => n.depth === 2)), [wallet, shop].map(String).sort(), 'two links: the wallet and its other user');
  t.same(idsOf(three.nodes.filter((n: { depth: number }) => n.depth === 3)), [stream!], 'three: the shop\'s tracking-id neighbour');
  t.notOk(three.nodes.some((n: { id: string }) => n.id === player), 'four links away is beyond depth 3');
  const limited = await get(agency, `/v1/indicators/${mirrorA}/related?depth=3&limit=3`);
  t.equal(limited.nodes.length, 3, 'limit bounds the nodes');
  t.ok(limited.edges.every((e: { source: string; target: string }) => limited.nodes.some((n: { id: string }) => n.id === e.source) && limited.nodes.some((n: { id: string }) => n.id === e.target)), 'edges only between returned nodes');
  // mirror-c shares the server and (through the wallet) more with mirror-a's neighbours: at depth 1 relevance orders by links shared.
  for (const bad of ['depth=0', 'depth=4', 'limit=501', 'format=xml', 'colour=red']) {
    t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${mirrorA}/related?${bad}`, headers: agency.auth })).statusCode, 400, bad);
  }
  t.equal((await app.inject({ method: 'GET', url: `/v1/indicators/${unrelated}/related`, headers: studio.auth })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: '/v1/indicators/00000000-0000-7000-8000-000000000000/related', headers: agency.auth })).statusCode, 404);
});

t.test('format=stix: Indicators and Relationships', async (t) => {
  const res = await app.inject({ method: 'GET', url: `/v1/indicators/${mirrorC}/network?format=stix`, headers: agency.auth });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /application\/stix\+json/);
  const bundle = json(res);
  t.equal(bundle.type, 'bundle');
  t.same(stixBundleErrors(bundle), [], 'the bundle validates against the OASIS STIX 2.1 schemas');
  const indicators = bundle.objects.filter((o: { type: string }) => o.type === 'indicator');
  const relationships = bundle.objects.filter((o: { type: string }) => o.type === 'relationship');
  t.equal(indicators.length, MEMBERS.length);
  const json_ = json(await app.inject({ method: 'GET', url: `/v1/indicators/${mirrorC}/network`, headers: agency.auth }));
  t.equal(relationships.length, json_.edges.length, 'one Relationship per edge');
  const ids = new Set(indicators.map((i: { id: string }) => i.id));
  for (const r of relationships) {
    t.ok(ids.has(r.source_ref) && ids.has(r.target_ref), 'between Indicators of the bundle');
    t.match(r, { spec_version: '2.1', id: /^relationship--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, relationship_type: /^[a-z0-9-]+$/ });
  }
  t.ok(relationships.some((r: { relationship_type: string; source_ref: string }) => r.relationship_type === 'uses-payment' && r.source_ref === stixIndicatorId(mirrorC!)));
  const again = json(await app.inject({ method: 'GET', url: `/v1/indicators/${mirrorC}/network?format=stix`, headers: agency.auth }));
  t.same(again.objects.filter((o: { type: string }) => o.type === 'relationship').map((r: { id: string }) => r.id).sort(),
    relationships.map((r: { id: string }) => r.id).sort(), 'the same links are the same objects in every export');
  const related = await app.inject({ method: 'GET', url: `/v1/indicators/${mirrorA}/related?depth=2&format=stix`, headers: agency.auth });
  t.equal(related.statusCode, 200);
  t.same(stixBundleErrors(json(related)), [], 'so does /related as STIX');
});

t.test('links follow the indicator: a PATCH of its relations moves it, a withdrawal takes it out', async (t) => {
  const [left, right, hopper] = await push([
    { type: 'domain', value: 'hop-left.tv', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: '185.77.1.1' } }] },
    { type: 'domain', value: 'hop-right.tv', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: '185.77.2.2' } }] },
    { type: 'domain', value: 'hopper.tv', relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: '185.77.1.1' } }] },
  ]);
  const around = async (id: string) => idsOf((await get(agency, `/v1/indicators/${id}/network`)).nodes);
  t.same(await around(hopper!), [left, hopper].sort());
  const patched = await app.inject({ method: 'PATCH', url: `/v1/indicators/${hopper}`, headers: studio.auth, payload: { relations: [{ type: 'hosted_on', target: { type: 'ipv4', value: '185.77.2.2' } }] } });
  t.equal(patched.statusCode, 200);
  t.same(await around(hopper!), [right, hopper].sort(), 'the site hopped to the other server: its old link is gone');
  t.same(await around(left!), [left], 'and the old neighbour is alone');
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${hopper}`, headers: studio.auth });
  t.same(await around(right!), [right], 'a withdrawn indicator links nothing for its recipients');
});

t.test('what a graph delivers is listed in one place: id and version of every node', async (t) => {
  const caller = { orgId: agency.orgId, orgKind: 'agency' as const, country: 'FR', groups: [] };
  for (const graph of [await networkOf(database.db, caller, mirrorA!, 200), await relatedOf(database.db, caller, mirrorA!, 3, 100)]) {
    const nodes = JSON.parse(graph.nodes) as Array<{ id: string; version: number }>;
    t.same(graph.delivered, nodes.map((n) => ({ id: n.id, version: n.version })));
  }
});
