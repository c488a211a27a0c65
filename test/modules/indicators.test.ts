import t from 'tap';
import { adminToken, createMember, createTestApp, json, type Member } from '../helpers/app.js';

const { app } = await createTestApp(t);
const admin = await adminToken(app);
const adminAuth = { authorization: `Bearer ${admin}` };
const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['film_tv'] });
const otherPartner = await createMember(app, admin, 'partner', 'DE', { sectors: ['music'] });
const agencyFR = await createMember(app, admin, 'agency', 'FR');
const agencyDE = await createMember(app, admin, 'agency', 'DE');
const groupMember = await createMember(app, admin, 'agency', 'IT');
const intermediary = await createMember(app, admin, 'intermediary', 'FR');
const secretariat = { auth: adminAuth, kind: 'secretariat' } as const;
const group = json(await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: adminAuth, payload: { name: 'ops', members: [groupMember.orgId, source.orgId] } }));

let n = 0;
async function push(fields: Record<string, unknown>, who: Member = source) {
  const value = fields.value ?? `site-${++n}-${Date.now()}.example.com`.replace('.example.com', '.com');
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items: [{ type: 'domain', value, ...fields }] } });
  const body = json(res);
  if (res.statusCode !== 200 || body.results[0].status === 'rejected') throw new Error(`push failed: ${res.body}`);
  return { id: body.results[0].id as string, value: body.results[0].value as string };
}

/** Whether `viewer` receives the indicator — and that read, list and lookup agree on it. */
async function sees(t: Assert, viewer: { auth: Record<string, string>; kind: string }, indicator: { id: string; value: string }): Promise<boolean> {
  const read = await app.inject({ method: 'GET', url: `/v1/indicators/${indicator.id}`, headers: viewer.auth });
  t.ok(read.statusCode === 200 || read.statusCode === 404, `read answers 200 or 404, got ${read.statusCode}`);
  const received = viewer.kind === 'partner' && indicator.id && !(viewer as Member).orgId?.startsWith(source.orgId) ? '&received=true' : '';
  const list = json(await app.inject({ method: 'GET', url: `/v1/indicators?type=domain&value=${indicator.value}${viewer === (source as unknown) ? '' : received}`, headers: viewer.auth }));
  const lookup = json(await app.inject({ method: 'GET', url: `/v1/lookup?type=domain&value=${indicator.value}`, headers: viewer.auth }));
  const inRead = read.statusCode === 200;
  const inList = list.items.some((i: { id: string }) => i.id === indicator.id);
  const inLookup = lookup.indicators.some((i: { id: string }) => i.id === indicator.id);
  t.equal(inList, inRead, 'list agrees with single read');
  t.equal(inLookup, inRead, 'lookup agrees with single read');
  return inRead;
}
/** The assertions these helpers use, whatever the (sub)test object. */
type Assert = Pick<typeof t, 'ok' | 'equal'>;

const viewers = { source, secretariat, otherPartner, agencyFR, agencyDE, groupMember, intermediary };
async function matrix(t: Assert, indicator: { id: string; value: string }, expected: Record<keyof typeof viewers, boolean>) {
  for (const [name, viewer] of Object.entries(viewers)) {
    t.equal(await sees(t, viewer as never, indicator), expected[name as keyof typeof viewers], `${name} ${expected[name as keyof typeof viewers] ? 'receives' : 'does not receive'} it`);
  }
}

t.test('rule 3: default audiences by TLP', async (t) => {
  await matrix(t, await push({ tlp: 'CLEAR', pap: 'CLEAR' }), { source: true, secretariat: true, otherPartner: true, agencyFR: true, agencyDE: true, groupMember: true, intermediary: true });
  await matrix(t, await push({ tlp: 'GREEN', pap: 'GREEN' }), { source: true, secretariat: true, otherPartner: true, agencyFR: true, agencyDE: true, groupMember: true, intermediary: false });
  await matrix(t, await push({ tlp: 'AMBER' }), { source: true, secretariat: true, otherPartner: false, agencyFR: true, agencyDE: true, groupMember: true, intermediary: false });
  await matrix(t, await push({ tlp: 'AMBER+STRICT' }), { source: true, secretariat: true, otherPartner: false, agencyFR: true, agencyDE: true, groupMember: true, intermediary: false });
});

t.test('rules 1 and 2: explicit audiences, orgs and groups; source and secretariat always', async (t) => {
  await matrix(t, await push({ tlp: 'AMBER', audience: { kinds: ['agency'], countries: ['FR'] } }),
    { source: true, secretariat: true, otherPartner: false, agencyFR: true, agencyDE: false, groupMember: false, intermediary: false });
  await matrix(t, await push({ tlp: 'GREEN', audience: { countries: ['DE'] } }),
    { source: true, secretariat: true, otherPartner: true, agencyFR: false, agencyDE: true, groupMember: false, intermediary: false });
  await matrix(t, await push({ tlp: 'RED', audience: { orgs: [agencyDE.orgId] } }),
    { source: true, secretariat: true, otherPartner: false, agencyFR: false, agencyDE: true, groupMember: false, intermediary: false });
  await matrix(t, await push({ tlp: 'RED', audience: { groups: [group.id] } }),
    { source: true, secretariat: true, otherPartner: false, agencyFR: false, agencyDE: false, groupMember: true, intermediary: false });
  await matrix(t, await push({ tlp: 'AMBER', audience: { kinds: ['agency'], countries: ['FR'], orgs: [otherPartner.orgId] } }),
    { source: true, secretariat: true, otherPartner: true, agencyFR: true, agencyDE: false, groupMember: false, intermediary: false });
});

t.test('rule 4: exclusions', async (t) => {
  await matrix(t, await push({ tlp: 'CLEAR', pap: 'CLEAR', exclude: { countries: ['DE'], orgs: [agencyFR.orgId] } }),
    { source: true, secretariat: true, otherPartner: false, agencyFR: false, agencyDE: false, groupMember: true, intermediary: true });
});

t.test('rule 5: intermediaries only get PAP CLEAR or GREEN', async (t) => {
  await matrix(t, await push({ tlp: 'CLEAR', pap: 'AMBER' }), { source: true, secretariat: true, otherPartner: true, agencyFR: true, agencyDE: true, groupMember: true, intermediary: false });
  await matrix(t, await push({ tlp: 'CLEAR', pap: 'GREEN' }), { source: true, secretariat: true, otherPartner: true, agencyFR: true, agencyDE: true, groupMember: true, intermediary: true });
});

t.test('rule 6: not before valid_from, not after withdrawal', async (t) => {
  const future = await push({ tlp: 'CLEAR', pap: 'CLEAR', valid_from: new Date(Date.now() + 3_600_000).toISOString() });
  await matrix(t, future, { source: true, secretariat: true, otherPartner: false, agencyFR: false, agencyDE: false, groupMember: false, intermediary: false });

  const withdrawn = await push({ tlp: 'CLEAR', pap: 'CLEAR' });
  t.equal(await sees(t, agencyFR as never, withdrawn), true, 'received before');
  const del = await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawn.id}`, headers: source.auth, payload: { reason: 'site gone' } });
  t.equal(del.statusCode, 200);
  t.match(json(del), { status: 'withdrawn', withdrawn_reason: 'site gone', version: 2 });
  await matrix(t, withdrawn, { source: true, secretariat: true, otherPartner: false, agencyFR: false, agencyDE: false, groupMember: false, intermediary: false });
  const byOther = await app.inject({ method: 'DELETE', url: `/v1/indicators/${(await push({ tlp: 'CLEAR' })).id}`, headers: otherPartner.auth });
  t.equal(byOther.statusCode, 403, 'a recipient may not withdraw');
});

t.test('RED needs orgs or groups and may not use kinds or countries', async (t) => {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [
    { type: 'domain', value: 'red-one.com', tlp: 'RED' },
    { type: 'domain', value: 'red-two.com', tlp: 'RED', audience: { kinds: ['agency'], orgs: [agencyFR.orgId] } },
    { type: 'domain', value: 'red-three.com', tlp: 'RED', audience: { orgs: [agencyFR.orgId] } },
  ] } });
  const body = json(res);
  t.equal(res.statusCode, 200);
  t.match(body.results[0], { status: 'rejected', errors: [{ path: '/audience', message: /needs an audience/ }] });
  t.match(body.results[1], { status: 'rejected', errors: [{ path: '/audience', message: /may not use kinds/ }] });
  t.match(body.results[2], { status: 'created' });
  t.same(body.summary, { created: 1, updated: 0, unchanged: 0, rejected: 2 });
});

t.test('atomic batches store nothing when an item is rejected', async (t) => {
  const items = [{ type: 'domain', value: 'atomic-ok.com' }, { type: 'domain', value: 'not a domain' }];
  const res = await app.inject({ method: 'POST', url: '/v1/indicators?atomic=true', headers: source.auth, payload: { items } });
  t.equal(res.statusCode, 422);
  t.equal(json(res).summary.rejected, 1);
  t.notOk(json(res).results[0].id, 'no id for an item that was not stored');
  const lookup = json(await app.inject({ method: 'GET', url: '/v1/lookup?type=domain&value=atomic-ok.com', headers: source.auth }));
  t.same(lookup.indicators, [], 'nothing stored');
  const ok = await app.inject({ method: 'POST', url: '/v1/indicators?atomic=true', headers: source.auth, payload: { items: [items[0]] } });
  t.equal(ok.statusCode, 200);
  t.equal(json(ok).summary.created, 1);
});

t.test('resubmission: unchanged, updated with a version bump, seen dates widen', async (t) => {
  const item = { type: 'url', value: 'HTTP://Stream-Pirate.COM:80/live/#x', tlp: 'GREEN', first_seen: '2026-01-10T00:00:00Z', last_seen: '2026-02-01T00:00:00Z' };
  const first = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [item] } })).results[0];
  t.match(first, { status: 'created', value: 'http://stream-pirate.com/live/' });
  const again = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [item] } })).results[0];
  t.match(again, { status: 'unchanged', id: first.id });
  const wider = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [{ ...item, first_seen: '2026-01-20T00:00:00Z', last_seen: '2026-03-01T00:00:00Z' }] } })).results[0];
  t.match(wider, { status: 'updated', id: first.id });
  const read = json(await app.inject({ method: 'GET', url: `/v1/indicators/${first.id}`, headers: source.auth }));
  t.equal(read.version, 2);
  t.equal(read.first_seen, '2026-01-10T00:00:00.000Z', 'first_seen keeps the minimum');
  t.equal(read.last_seen, '2026-03-01T00:00:00.000Z', 'last_seen keeps the maximum');
  const otherSource = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: otherPartner.auth, payload: { items: [item] } })).results[0];
  t.equal(otherSource.status, 'created', 'another partner reporting the same observable is another indicator');
  t.not(otherSource.id, first.id);
});

t.test('Idempotency-Key replays the first response; another body under it is 422', async (t) => {
  const headers = { ...source.auth, 'idempotency-key': 'batch-42' };
  const payload = { items: [{ type: 'domain', value: 'idem-site.com' }] };
  const first = await app.inject({ method: 'POST', url: '/v1/indicators', headers, payload });
  const replay = await app.inject({ method: 'POST', url: '/v1/indicators', headers, payload });
  t.equal(replay.statusCode, 200);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.same(json(replay), json(first), 'same body, and not "unchanged"');
  const different = await app.inject({ method: 'POST', url: '/v1/indicators', headers, payload: { items: [{ type: 'domain', value: 'other-site.com' }] } });
  t.equal(different.statusCode, 422);
  t.match(json(different), { type: 'urn:isop:problem:idempotency-key-reused' });
});

t.test('batch limits: 10,000 items accepted in one request, 10,001 refused', async (t) => {
  const items = Array.from({ length: 10_000 }, (_, i) => ({ type: 'ipv4', value: `45.${Math.floor(i / 250)}.${i % 250}.7` }));
  const ok = await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { defaults: { tlp: 'GREEN', categories: ['hosting'] }, items } });
  t.equal(ok.statusCode, 200);
  t.equal(json(ok).summary.created, 10_000);
  t.equal(json(ok).results.length, 10_000);
  const tooMany = await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [...items, { type: 'ipv4', value: '45.99.0.1' }] } });
  t.equal(tooMany.statusCode, 400);
  t.match(json(tooMany), { status: 400, errors: [{ path: /^\/body\/items/ }] });
});

t.test('warninglists: shared infrastructure is flagged with list names, reserved values rejected', async (t) => {
  const res = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [
    { type: 'url', value: 'https://drive.usercontent.google.com/download?id=abc' },
    { type: 'ipv4', value: '104.16.1.1' },
    { type: 'ipv4', value: '8.8.8.8' },
  ] } }));
  t.equal(res.results[0].status, 'created');
  t.match(res.results[0].warnings, [/shared infrastructure/]);
  const read = json(await app.inject({ method: 'GET', url: `/v1/indicators/${res.results[0].id}`, headers: source.auth }));
  t.ok(read.shared_infrastructure.length > 0, 'flagged lists named on the indicator');
  t.equal(res.results[1].status, 'created');
  t.ok(json(await app.inject({ method: 'GET', url: `/v1/indicators/${res.results[1].id}`, headers: source.auth })).shared_infrastructure.includes('cloudflare'));
  t.equal(res.results[2].status, 'rejected');
  const lookup = json(await app.inject({ method: 'GET', url: '/v1/lookup?type=ipv4&value=104.16.1.1', headers: agencyFR.auth }));
  t.match(lookup.warninglists, [{ list: 'cloudflare', action: 'flag' }]);

  const added = await app.inject({ method: 'POST', url: '/v1/warninglists/national-broadcasters/entries', headers: adminAuth, payload: { entries: ['public-tv.fr'] } });
  t.equal(added.statusCode, 201);
  const flagged = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [{ type: 'domain', value: 'live.public-tv.fr' }] } }));
  t.match(flagged.results[0].warnings, [/national-broadcasters/]);
  const bad = await app.inject({ method: 'POST', url: '/v1/warninglists/x/entries', headers: adminAuth, payload: { entries: ['not valid!'] } });
  t.equal(bad.statusCode, 400);
  const forbidden = await app.inject({ method: 'POST', url: '/v1/warninglists/x/entries', headers: source.auth, payload: { entries: ['a.com'] } });
  t.equal(forbidden.statusCode, 403);
});

t.test('per-item errors name the failing field', async (t) => {
  const res = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items: [
    { type: 'domain', value: 'fine-site.com', colour: 'red' },
    { type: 'crypto_address', value: '1BoatSLRHtKNngkdXEeobR76b53LETtpyT' },
    { type: 'domain', value: 'x.com', grading: { source: '1', assessment: 'A', handling: 'C' } },
    { type: 'domain', value: 'y-site.com', valid_until: '2020-01-01T00:00:00Z' },
    { type: 'domain', value: 'z-site.com', audience: { countries: ['QQ'] } },
  ] } }));
  t.match(res.results[4], { status: 'rejected', errors: [{ path: '/audience/countries', message: /QQ is not/ }] });
  t.match(res.results[0], { status: 'rejected', errors: [{ path: '/colour' }] });
  t.match(res.results[1], { status: 'rejected', errors: [{ path: '/value', message: /platform/ }] });
  t.match(res.results[2], { status: 'rejected', errors: [{ path: '/grading/conditions' }] });
  t.match(res.results[3], { status: 'rejected', errors: [{ path: '/valid_until' }] });
});

t.test('PATCH changes handling and bumps the version; only the source may', async (t) => {
  const ind = await push({ tlp: 'AMBER' });
  t.equal(await sees(t, otherPartner as never, ind), false);
  const patched = await app.inject({ method: 'PATCH', url: `/v1/indicators/${ind.id}`, headers: source.auth, payload: { tlp: 'GREEN', description: 'now wider' } });
  t.equal(patched.statusCode, 200, patched.body);
  t.match(json(patched), { tlp: 'GREEN', version: 2, description: 'now wider' });
  t.equal(await sees(t, otherPartner as never, ind), true, 'the new audience applies');
  const byAgency = await app.inject({ method: 'PATCH', url: `/v1/indicators/${ind.id}`, headers: agencyFR.auth, payload: { tlp: 'CLEAR' } });
  t.equal(byAgency.statusCode, 403);
  const invalid = await app.inject({ method: 'PATCH', url: `/v1/indicators/${ind.id}`, headers: source.auth, payload: { tlp: 'RED' } });
  t.equal(invalid.statusCode, 400);
  const unknown = await app.inject({ method: 'PATCH', url: `/v1/indicators/${ind.id}`, headers: source.auth, payload: { value: 'x.com' } });
  t.equal(unknown.statusCode, 400, 'the observable itself cannot be patched');
});

t.test('anonymous attribution hides the source from recipients only', async (t) => {
  const ind = await push({ tlp: 'GREEN', attribution: 'anonymous' });
  const forAgency = json(await app.inject({ method: 'GET', url: `/v1/indicators/${ind.id}`, headers: agencyFR.auth }));
  t.equal(forAgency.source, null);
  t.notOk('audience' in forAgency, 'recipients do not see the audience');
  const forSource = json(await app.inject({ method: 'GET', url: `/v1/indicators/${ind.id}`, headers: source.auth }));
  t.equal(forSource.source.org_id, source.orgId);
  t.equal(forSource.attribution, 'anonymous');
});

t.test('lists page with opaque cursors; a foreign cursor is 400', async (t) => {
  const page1 = json(await app.inject({ method: 'GET', url: '/v1/indicators?limit=2', headers: source.auth }));
  t.equal(page1.items.length, 2);
  t.type(page1.next_cursor, 'string');
  const page2 = json(await app.inject({ method: 'GET', url: `/v1/indicators?limit=2&cursor=${encodeURIComponent(page1.next_cursor)}`, headers: source.auth }));
  t.equal(page2.items.length, 2);
  t.notOk(page2.items.some((i: { id: string }) => page1.items.some((j: { id: string }) => j.id === i.id)), 'no overlap');
  const forged = await app.inject({ method: 'GET', url: '/v1/indicators?cursor=eyJpZCI6IngifQ.abc', headers: source.auth });
  t.equal(forged.statusCode, 400);
  t.equal((await app.inject({ method: 'GET', url: '/v1/indicators?limit=5000', headers: source.auth })).statusCode, 400);
  t.equal((await app.inject({ method: 'GET', url: '/v1/indicators?colour=red', headers: source.auth })).statusCode, 400);
  t.equal((await app.inject({ method: 'GET', url: '/v1/indicators/not-a-uuid', headers: source.auth })).statusCode, 400);
  t.equal((await app.inject({ method: 'GET', url: '/v1/indicators/00000000-0000-7000-8000-000000000000', headers: source.auth })).statusCode, 404);
});
