/**
 * Hostile request bodies (issue 8, findings 1, 2, 10, 11, 14 and the sharing-group oracle of
 * 16): what one partner can make a batch cost, text and dates the database cannot hold, deep
 * nesting, enum messages that say what is allowed, and group ids that reveal nothing.
 */
import t from 'tap';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { rows } from '../../src/db/client.js';
import { prepareBatch } from '../../src/modules/indicators/prepare.js';
import { adminToken, createMember, createTestApp, json, type Member } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
const partner = await createMember(app, admin, 'partner', 'FR');
const outsider = await createMember(app, admin, 'partner', 'DE');
const agency = await createMember(app, admin, 'agency', 'FR');

let n = 0;
const domain = (label: string) => `${label}-${++n}-${process.pid}.com`;
const urls = (count: number, length: number) => Array.from({ length: count }, (_, i) => ({ type: 'related_to', target: { type: 'url', value: `https://example.com/${i}/${'a'.repeat(length)}` } }));
const uuids = (count: number) => Array.from({ length: count }, () => randomUUID());

async function submit(body: unknown, who: Member = partner, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/v1/indicators', headers: { ...who.auth, 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
}

async function storedCount(): Promise<number> {
  const [row] = await rows<{ count: number }>(database.db, sql`select count(*)::int as count from indicators`);
  return row!.count;
}

const isProblem = (t: Tap, res: LightMyRequestResponse, status: number, detail: RegExp) => {
  t.equal(res.statusCode, status, res.body.slice(0, 300));
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.match(json(res), { status, detail });
};
type Tap = { equal: typeof t.equal; match: typeof t.match };

t.test('finding 1: the defaults that blew up memory are refused at once, nothing stored', async (t) => {
  const before = await storedCount();
  const res = await submit({ defaults: { tlp: 'AMBER', relations: urls(100, 2000) }, items: Array.from({ length: 10_000 }, (_, i) => ({ type: 'domain', value: `tiny-${i}.com` })) });
  isProblem(t, res, 400, /defaults are not valid/);
  t.match(json(res).errors, [{ path: '/body/defaults', message: /weighs more than an indicator may/ }]);
  t.equal(await storedCount(), before);
});

t.test('finding 1: an indicator may weigh 64 KiB with the defaults it takes; a heavier item is rejected on its own', async (t) => {
  const defaults = { description: 'd'.repeat(10_000), relations: urls(40, 1000) }; // ~52 KB
  const heavy = { type: 'domain', value: domain('heavy'), references: Array.from({ length: 8 }, (_, i) => ({ kind: 'url', url: `https://court.example/${i}/${'x'.repeat(2000)}` })) };
  const light = { type: 'domain', value: domain('light') };
  const overriding = { ...heavy, value: domain('overrides'), relations: [], description: 'short' }; // the heavy defaults are not its own
  const res = await submit({ defaults, items: [heavy, light, overriding] });
  t.equal(res.statusCode, 200);
  const { results } = json(res);
  t.match(results[0], { status: 'rejected', errors: [{ path: '/', message: /weighs more than an indicator may: 65536 bytes/ }] });
  t.match(results[1], { status: 'created' });
  t.match(results[2], { status: 'created' });
  const stored = json(await app.inject({ method: 'GET', url: `/v1/indicators/${results[1].id}`, headers: partner.auth }));
  t.equal(stored.relations.length, 40, 'the item that took the defaults has them');
  t.equal(stored.description.length, 10_000);
});

t.test('finding 1: a batch heavier than 64 MiB with its defaults applied is a 413 before anything is stored', async (t) => {
  const before = await storedCount();
  const res = await submit({ defaults: { description: 'd'.repeat(10_000) }, items: Array.from({ length: 7000 }, (_, i) => ({ type: 'domain', value: `bulk-${i}-${process.pid}.com` })) });
  isProblem(t, res, 413, /this batch weighs about \d+ MiB; a batch may weigh at most 64 MiB/);
  t.equal(await storedCount(), before);
});

t.test('finding 1: defaults are prepared once and shared by the items that take them', async (t) => {
  const defaults = { tlp: 'AMBER', relations: urls(3, 10), audience: { kinds: ['agency'], countries: ['FR', 'DE'] }, exclude: { countries: ['IT'] } };
  const items = [{ type: 'domain', value: domain('a') }, { type: 'domain', value: domain('b') }, { type: 'domain', value: domain('c'), relations: [] }];
  const batch = await prepareBatch(database.db, items, defaults, app.warninglists, Date.now(), partner as never);
  const [a, b, c] = [...batch.accepted.values()].map((e) => e.row);
  t.equal(a!.relations, b!.relations, 'one relations array, not a copy per item');
  t.equal(a!.audience_tokens, b!.audience_tokens, 'one set of audience tokens');
  t.equal(a!.exclude_tokens, b!.exclude_tokens, 'one set of exclusion tokens');
  t.same(c!.relations, [], "an item's own field wins");
  t.same(a!.relations[0], { type: 'related_to', target: { type: 'url', value: 'https://example.com/0/aaaaaaaaaa' } });
});

t.test('finding 1: invalid defaults are one 400 for the batch, with paths under /body/defaults', async (t) => {
  const res = await submit({ defaults: { tlp: 'PURPLE', tags: ['x', 'x'], bogus: 1 }, items: [{ type: 'domain', value: domain('d') }] });
  isProblem(t, res, 400, /defaults are not valid/);
  t.match(json(res).errors, [
    { path: '/body/defaults/bogus', message: 'Unexpected property' },
    { path: '/body/defaults/tlp', message: 'must be one of: CLEAR, GREEN, AMBER, AMBER+STRICT, RED' },
  ]);
  const typed = json(await submit({ defaults: { type: 'domain', tlp: 'CLEAR', pap: 'CLEAR' }, items: [{ value: domain('typed') }, { value: '185.234.72.19', type: 'ipv4' }] }));
  t.match(typed.results, [{ status: 'created' }, { status: 'created' }], 'the type may come from the defaults');
});

t.test('finding 2: a batch whose items all fail costs about what a good batch of that size costs', async (t) => {
  const count = 1000;
  // The finding's shape, within today's limits: long default audience and exclusion lists,
  // every item with an unknown property (it used to take the full check twice, per character).
  const hostileDefaults = { tlp: 'AMBER', audience: { orgs: uuids(1000) }, exclude: { orgs: uuids(500) } };
  const hostile = Array.from({ length: count }, (_, i) => ({ type: 'domain', value: `h${i}.com`, unknown_field: i }));
  const benign = Array.from({ length: count }, (_, i) => ({ type: 'domain', value: `b${i}.com` }));
  const cpu = async (items: unknown[], defaults?: unknown) => {
    const start = process.cpuUsage();
    const batch = await prepareBatch(database.db, items, defaults, app.warninglists, Date.now(), partner as never);
    const used = process.cpuUsage(start);
    return { ms: (used.user + used.system) / 1000, batch };
  };
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const bad = await cpu(hostile, hostileDefaults);
    const good = await cpu(benign);
    t.equal(bad.batch.accepted.size, 0);
    t.equal(good.batch.accepted.size, count);
    best = Math.min(best, bad.ms / Math.max(good.ms, 1));
  }
  t.ok(best <= 4, `hostile/benign CPU ratio ${best.toFixed(2)} (at most 4)`);
  const rejected = json(await submit({ defaults: hostileDefaults, items: hostile.slice(0, 3) })).results;
  t.match(rejected[0], { status: 'rejected', errors: [{ path: '/unknown_field', message: 'Unexpected property' }] });
});

t.test('finding 2: repeated elements are reported by our own check, naming the element', async (t) => {
  const res = json(await submit({ items: [{ type: 'domain', value: domain('rep'), tags: ['a', 'b', 'a'], audience: { countries: ['FR', 'FR'] } }] }));
  t.match(res.results[0], { status: 'rejected', errors: [
    { path: '/audience/countries/1', message: 'repeats item 0 ("FR"); items must be unique' },
    { path: '/tags/2', message: 'repeats item 0 ("a"); items must be unique' },
  ] });
});

t.test('finding 10: text and dates the database cannot hold reject only their own item', async (t) => {
  const sha = 'a'.repeat(64);
  const base = () => ({ type: 'domain', value: domain('ok') });
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ description: 'a\u0000b' }, '/description'],
    [{ tags: ['fine', 'x\ud800'] }, '/tags/1'],
    [{ references: [{ kind: 'case', id: 'C\u0000' }] }, '/references/0/id'],
    [{ grading: { source: '1', assessment: 'A', handling: 'C', conditions: 'c\udc00' } }, '/grading/conditions'],
    [{ evidence: [{ sha256: sha, description: '\u0000' }] }, '/evidence/0/description'],
    [{ relations: [{ type: 'related_to', target: { type: 'domain', value: 'x\u0000.com' } }] }, '/relations/0/target/value'],
    [{ type: 'payment_account', platform: 'pay\u0000pal', value: 'acct-1' }, '/platform'],
    [{ value: 'bad\u0000.com' }, '/value'],
    [{ valid_from: '0000-01-01T00:00:00Z' }, '/valid_from'],
    [{ valid_until: '9999-12-31T23:59:59-14:00' }, '/valid_until'],
    [{ first_seen: '2026-02-30T00:00:00Z' }, '/first_seen'],
    [{ last_seen: '2026-01-01T24:00:00Z' }, '/last_seen'],
    [{ evidence: [{ sha256: sha, captured_at: '2026-12-31T23:59:60Z' }] }, '/evidence/0/captured_at'],
  ];
  const items = cases.flatMap(([spoil]) => [{ ...base(), ...spoil }, base()]);
  const before = await storedCount();
  const res = await submit({ items });
  t.equal(res.statusCode, 200, 'one bad item does not lose the batch');
  const { results, summary } = json(res);
  cases.forEach(([, path], i) => {
    t.match(results[2 * i], { status: 'rejected', errors: [{ path }] }, `${path} rejects its item`);
    t.match(results[2 * i + 1], { status: 'created' }, 'its neighbour is stored');
  });
  t.same(summary, { created: cases.length, updated: 0, unchanged: 0, rejected: cases.length });
  t.equal(await storedCount(), before + cases.length);
  t.match(results[16], { errors: [{ path: '/valid_from', message: /RFC 3339 date-time .* 1970-01-01 .* 2100-01-01/ }] });
});

t.test('finding 11: nesting is bounded at parse time, for the batch (with an Idempotency-Key) and every JSON body', async (t) => {
  const deep = `{"items":[${'['.repeat(10_000)}${']'.repeat(10_000)}]}`;
  isProblem(t, await submit(deep, partner, { 'idempotency-key': 'deep-1' }), 400, /nested deeper than 32 levels/);
  const org = await app.inject({ method: 'POST', url: '/v1/orgs', headers: { ...adminAuth, 'content-type': 'application/json' }, payload: `{"name":${'['.repeat(40)}${']'.repeat(40)}}` });
  isProblem(t, org, 400, /nested deeper than 32 levels/);
  const nul = await app.inject({ method: 'POST', url: '/v1/orgs', headers: adminAuth, payload: { name: 'Evil\u0000Org', kind: 'agency', country: 'FR' } });
  isProblem(t, nul, 400, /cannot be stored/);
  t.match(json(nul).errors, [{ path: '/body/name', message: 'contains a NUL character' }]);
  const same = { items: [{ type: 'domain', value: domain('keyed') }] };
  const first = await submit(same, partner, { 'idempotency-key': 'keyed-1' });
  const again = await submit(same, partner, { 'idempotency-key': 'keyed-1' });
  t.equal(again.headers['idempotent-replayed'], 'true', 'the same bytes replay');
  t.same(json(again), json(first));
  isProblem(t, await submit({ items: [{ type: 'domain', value: domain('other') }] }, partner, { 'idempotency-key': 'keyed-1' }), 422, /different request body/);
});

t.test('finding 14: enum errors say what is allowed, in items, bodies and query strings', async (t) => {
  const item = json(await submit({ items: [{ type: 'domian', value: 'x.com' }, { type: 'domain', value: domain('g'), grading: { source: '4', assessment: 'A', handling: 'P' } }] }));
  t.match(item.results[0].errors, [{ path: '/type', message: /^must be one of: domain, url, ipv4, ipv6, cidr, asn, email, iban, crypto_address/ }]);
  t.match(item.results[1].errors, [{ path: '/grading/source', message: 'must be one of: 1, 2, 3' }]);
  const org = json(await app.inject({ method: 'POST', url: '/v1/orgs', headers: adminAuth, payload: { name: 'x', kind: 'pirate', country: 'FR' } }));
  t.match(org.errors, [{ path: '/body/kind', message: 'must be one of: partner, agency, intermediary, secretariat' }]);
  const query = json(await app.inject({ method: 'GET', url: '/v1/indicators?type=domian', headers: partner.auth }));
  t.match(query.errors, [{ path: '/query/type', message: /^must be one of: domain, url,/ }]);
  const feed = json(await app.inject({ method: 'GET', url: '/v1/feed?format=xml', headers: agency.auth }));
  t.match(feed.errors, [{ path: '/query/format', message: 'must be one of: json, ndjson, csv, stix' }]);
  for (const body of [item, org, query, feed]) {
    t.notMatch(JSON.stringify(body), /union value|equal to constant/, 'no message about unions or constants');
  }
});

t.test('finding 16: naming a group one is not in says the same as naming one that does not exist', async (t) => {
  const groupOf = async (members: string[]) => json(await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: adminAuth, payload: { name: domain('group'), members } })).id as string;
  const theirs = await groupOf([outsider.orgId, agency.orgId]);
  const ours = await groupOf([partner.orgId, agency.orgId]);
  const missing = randomUUID();
  const push = async (group: string, who = partner) => json(await submit({ items: [{ type: 'domain', value: domain('red'), tlp: 'RED', audience: { groups: [group] } }] }, who)).results[0];
  const notIn = await push(theirs);
  const unknown = await push(missing);
  t.match(notIn, { status: 'rejected', errors: [{ path: '/audience/groups', message: `unknown sharing group ${theirs}` }] });
  t.match(unknown, { status: 'rejected', errors: [{ path: '/audience/groups', message: `unknown sharing group ${missing}` }] });
  t.same(notIn.errors.map((e: { message: string }) => e.message.replace(theirs, 'G')), unknown.errors.map((e: { message: string }) => e.message.replace(missing, 'G')), 'the same answer');
  t.match(await push(ours), { status: 'created' }, 'a member may name its group');
  const secretariat = { auth: adminAuth } as Member;
  t.match(await push(theirs, secretariat), { status: 'created' }, 'the secretariat may name any group');
});
