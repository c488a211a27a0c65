/**
 * TAXII 2.1 as a client walks it: discovery → collections → objects paged to the end with
 * `next` → `added_after` for the delta; thousands of objects sharing one date_added; a writer
 * committing late; the sharing rule per collection; additions by a partner; media types and
 * TAXII error messages.
 */
import t from 'tap';
import { stixIndicatorId, TLP_MARKING_IDS } from '../../src/domain/stix.js';
import { EVERYTHING_ID, SUBMISSIONS_ID } from '../../src/modules/taxii/collections.js';
import { heldWriter } from '../helpers/writers.js';
import { adminToken, createMember, createTestApp, json, type Member } from '../helpers/app.js';
import { stixBundleErrors } from '../helpers/stix-schemas.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);
const TAXII = 'application/taxii+json;version=2.1';
const API = '/taxii2/api';

const basic = (m: Member) => ({ authorization: `Basic ${Buffer.from(`${m.clientId}:${m.secret}`).toString('base64')}` });

async function taxii(auth: Record<string, string>, path: string, options: { method?: 'GET' | 'POST'; accept?: string | null; body?: unknown; contentType?: string } = {}) {
  const headers: Record<string, string> = { ...auth };
  if (options.accept !== null) headers.accept = options.accept ?? TAXII;
  if (options.body !== undefined) headers['content-type'] = options.contentType ?? TAXII;
  return app.inject({ method: options.method ?? 'GET', url: `${API}${path}`, headers, ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}) });
}

async function push(source: Member, items: Record<string, unknown>[]) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: source.auth, payload: { items } });
  const body = json(res);
  if (res.statusCode !== 200 || body.summary.rejected) throw new Error(`push failed: ${res.body}`);
  return body.results as Array<{ id: string; value: string }>;
}

/** Follows `next` to the end; every page checked as STIX and for its headers. */
async function drain(t: { fail(message: string): unknown }, auth: Record<string, string>, path: string, query = '', limit = 5) {
  const pages: any[] = [];
  let next: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const res = await taxii(auth, `${path}?limit=${limit}${query}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
    if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
    const page = json(res);
    pages.push({ ...page, first: res.headers['x-taxii-date-added-first'], last: res.headers['x-taxii-date-added-last'] });
    if (page.objects && path.endsWith('/objects/')) {
      const errors = stixBundleErrors({ type: 'bundle', id: 'bundle--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d70', objects: page.objects });
      if (errors.length) t.fail(`a page is not valid STIX: ${errors.join('; ')}`);
      if (page.objects.length > Math.max(limit, 3)) t.fail(`a page of ${page.objects.length} objects for limit ${limit}`);
    }
    if (!page.more) return pages;
    next = page.next;
  }
  throw new Error('the collection did not end');
}
const indicatorsOf = (pages: any[]) => pages.flatMap((p) => (p.objects ?? []).filter((o: { type: string }) => o.type === 'indicator'));

const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });

t.test('a TAXII client: discovery, collections, objects paged to the end with next, then added_after for the delta', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'IT');
  const saved = json(await app.inject({ method: 'POST', url: '/v1/feeds', headers: agency.auth, payload: { name: 'domains', filters: { types: ['domain'] } } }));
  const tlps = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT'];
  const pushed = await push(source, Array.from({ length: 23 }, (_, i) => ({
    type: i % 3 ? 'domain' : 'ipv4', value: i % 3 ? `taxii-walk-${i}.tv` : `185.77.${i}.9`, tlp: tlps[i % 4], pap: 'GREEN',
  })));

  const discovery = await app.inject({ method: 'GET', url: '/taxii2/', headers: { ...basic(agency), accept: TAXII } });
  t.equal(discovery.statusCode, 200);
  t.equal(discovery.headers['content-type'], TAXII, 'the TAXII media type exactly');
  const root = json(discovery).default;
  t.same(json(discovery).api_roots, [root]);
  t.equal(root, '/taxii2/api/');
  t.match(json(await taxii(basic(agency), '/')), { versions: [TAXII], max_content_length: 16 * 1024 * 1024 });

  const { collections } = json(await taxii(basic(agency), '/collections/'));
  t.same(collections.map((c: { id: string }) => c.id), [EVERYTHING_ID, saved.id], 'everything and the saved feed; no writable collection for an agency');
  t.match(collections[0], { can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] });
  t.match(json(await taxii(agency.auth, `/collections/${saved.id}/`)), { id: saved.id, title: 'domains', can_read: true });

  const pages = await drain(t, basic(agency), `/collections/${EVERYTHING_ID}/objects/`);
  t.ok(pages.length > 4, `${pages.length} pages`);
  const ids = indicatorsOf(pages).map((o: { id: string }) => o.id);
  const expected = pushed.map((p) => stixIndicatorId(p.id));
  t.same(new Set(ids), new Set(expected), 'every indicator');
  t.equal(ids.length, new Set(ids).size, 'none twice');
  t.ok(pages.every((p) => !p.objects || (p.first && p.last && p.first <= p.last)), 'date-added headers on every page');
  const markings = pages[0].objects.filter((o: { type: string }) => o.type === 'marking-definition');
  t.ok(markings.length > 0 && pages[0].objects.some((o: { type: string }) => o.type === 'identity'), 'a page carries the markings and identity it references');
  const domains = indicatorsOf(await drain(t, agency.auth, `/collections/${saved.id}/objects/`, '', 100));
  t.equal(domains.length, pushed.filter((p) => p.value.endsWith('.tv')).length, 'the saved feed collection holds what the saved feed does');

  // The delta: what changed after the last page's X-TAXII-Date-Added-Last.
  const last = pages.filter((p) => p.last).at(-1).last as string;
  const [added] = await push(source, [{ type: 'domain', value: 'taxii-walk-later.tv', tlp: 'GREEN' }]);
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${pushed[4]!.id}`, headers: source.auth });
  const delta = indicatorsOf(await drain(t, basic(agency), `/collections/${EVERYTHING_ID}/objects/`, `&added_after=${encodeURIComponent(last)}`));
  t.same(delta.map((o: { id: string }) => o.id).sort(), [stixIndicatorId(added!.id), stixIndicatorId(pushed[4]!.id)].sort(), 'the new one and the withdrawn one');
  t.match(delta.find((o: { revoked?: boolean }) => o.revoked), { id: stixIndicatorId(pushed[4]!.id), object_marking_refs: [TLP_MARKING_IDS[tlps[4 % 4] as 'CLEAR']] });
  const newest = (await taxii(agency.auth, `/collections/${EVERYTHING_ID}/objects/?added_after=${encodeURIComponent(last)}`)).headers['x-taxii-date-added-last'] as string;
  t.same(json(await taxii(agency.auth, `/collections/${EVERYTHING_ID}/objects/?added_after=${encodeURIComponent(newest)}`)), { more: false }, 'nothing after the newest');
});

t.test('thousands of objects sharing one date_added page without a gap or a repeat', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'ES');
  const before = (await taxii(agency.auth, `/collections/${EVERYTHING_ID}/manifest/?limit=10000`)).headers['x-taxii-date-added-last'] as string;
  const pushed = await push(source, Array.from({ length: 2000 }, (_, i) => ({ type: 'domain', value: `same-date-${i}.tv` })));
  const query = `&added_after=${encodeURIComponent(before)}`;
  const manifest = (await drain(t, agency.auth, `/collections/${EVERYTHING_ID}/manifest/`, query, 97)).flatMap((p) => p.objects ?? []);
  t.equal(new Set(manifest.map((r: { date_added: string }) => r.date_added)).size, 1, 'one batch, one date_added');
  t.equal(manifest.length, 2000);
  t.same(new Set(manifest.map((r: { id: string }) => r.id)), new Set(pushed.map((p) => stixIndicatorId(p.id))), 'the manifest lists each once');
  const objects = indicatorsOf(await drain(t, agency.auth, `/collections/${EVERYTHING_ID}/objects/`, query, 333));
  t.equal(objects.length, 2000);
  t.equal(new Set(objects.map((o: { id: string }) => o.id)).size, 2000, 'objects: none skipped, none repeated');
  t.match(manifest[0], { version: /Z$/, media_type: 'application/stix+json;version=2.1' });
});

t.test('an indicator changed again and again is held once, at its last change; others\' membership changes do not move it', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'SE');
  const joiner = await createMember(app, admin, 'agency', 'FI');
  const adminAuth = { authorization: `Bearer ${admin}` };
  const group = json(await app.inject({ method: 'POST', url: '/v1/sharing-groups', headers: adminAuth, payload: { name: 'taxii-group', members: [source.orgId, agency.orgId] } }));
  const [changed, grouped] = await push(source, [
    { type: 'domain', value: 'changed-often.tv', tlp: 'GREEN' },
    { type: 'domain', value: 'group-only.tv', tlp: 'AMBER', audience: { groups: [group.id] } },
  ]);
  for (const confidence of [60, 70, 80]) {
    t.equal((await app.inject({ method: 'PATCH', url: `/v1/indicators/${changed!.id}`, headers: source.auth, payload: { confidence } })).statusCode, 200);
  }
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/sharing-groups/${group.id}`, headers: adminAuth, payload: { members: [source.orgId, agency.orgId, joiner.orgId] } })).statusCode, 200);
  const ids = indicatorsOf(await drain(t, agency.auth, `/collections/${EVERYTHING_ID}/objects/`, '', 1000)).map((o: { id: string; confidence?: number }) => o.id);
  t.equal(ids.filter((id: string) => id === stixIndicatorId(changed!.id)).length, 1, 'four changes, one object');
  t.equal(ids.filter((id: string) => id === stixIndicatorId(grouped!.id)).length, 1, 'a membership change that concerns others does not hide it');
  const manifest = (await drain(t, agency.auth, `/collections/${EVERYTHING_ID}/manifest/`, '', 1000)).flatMap((p) => p.objects);
  t.equal(manifest.filter((r: { id: string }) => r.id === stixIndicatorId(changed!.id)).length, 1);
  const forJoiner = indicatorsOf(await drain(t, joiner.auth, `/collections/${EVERYTHING_ID}/objects/`, '', 1000)).map((o: { id: string }) => o.id);
  t.ok(forJoiner.includes(stixIndicatorId(grouped!.id)), 'the organisation that joined receives it');
});

t.test('added_after never skips a writer that committed after a later one (PostgreSQL)', { skip: database.driver !== 'postgres' && 'needs concurrent transactions (DATABASE_URL)' }, async (t) => {
  const agency = await createMember(app, admin, 'agency', 'PT');
  const objects = (query: string) => taxii(agency.auth, `/collections/${EVERYTHING_ID}/objects/?limit=10000${query}`);
  const write = heldWriter(app, database, source.orgId);
  const start = (await objects('')).headers['x-taxii-date-added-last'] as string;
  // A writes first but commits last; B commits in between, and a client polls while A is open.
  let releaseA!: () => void;
  let aStarted!: () => void;
  const aWritten = new Promise<void>((r) => { aStarted = r; });
  const aDone = write('late-committer.tv', new Promise<void>((r) => { releaseA = r; }), aStarted);
  await aWritten;
  const bId = await write('early-committer.tv', Promise.resolve());
  const during = await objects(`&added_after=${encodeURIComponent(start)}`);
  const seenDuring = indicatorsOf([json(during)]).map((o: { id: string }) => o.id);
  t.notOk(seenDuring.includes(stixIndicatorId(bId)), 'B waits behind the open transaction A (nothing below the horizon is missing)');
  const last = (during.headers['x-taxii-date-added-last'] as string | undefined) ?? start;
  releaseA();
  const aId = await aDone;
  const after = indicatorsOf([json(await objects(`&added_after=${encodeURIComponent(last)}`))]).map((o: { id: string }) => o.id);
  t.ok(after.includes(stixIndicatorId(aId)) && after.includes(stixIndicatorId(bId)), 'the delta after the last poll holds both writers');
});

t.test('a RED indicator never appears in another agency\'s collection, manifest, object or versions', async (t) => {
  const named = await createMember(app, admin, 'agency', 'DE');
  const other = await createMember(app, admin, 'agency', 'AT');
  const [red] = await push(source, [{ type: 'domain', value: 'red-only-for-de.tv', tlp: 'RED', audience: { orgs: [named.orgId] } }]);
  const stixId = stixIndicatorId(red!.id);
  const everything = `/collections/${EVERYTHING_ID}`;
  const ids = async (m: Member, path: string) => (await drain(t, m.auth, path, '', 1000)).flatMap((p) => (p.objects ?? []).map((o: { id: string }) => o.id));
  t.ok((await ids(named, `${everything}/objects/`)).includes(stixId), 'the named agency receives it');
  t.ok((await ids(named, `${everything}/manifest/`)).includes(stixId));
  t.match(json(await taxii(named.auth, `${everything}/objects/${stixId}/versions/`)), { versions: [/Z$/] });
  t.notOk((await ids(other, `${everything}/objects/`)).includes(stixId), 'not in another agency\'s objects');
  t.notOk((await ids(other, `${everything}/manifest/`)).includes(stixId), 'nor its manifest');
  t.notOk((await ids(other, `${everything}/objects/`)).some((id: string) => id.startsWith('marking-definition') && id === TLP_MARKING_IDS.RED), 'nor its marking');
  t.equal((await taxii(other.auth, `${everything}/objects/${stixId}/`)).statusCode, 404, 'nor by id');
  t.equal((await taxii(other.auth, `${everything}/objects/${stixId}/versions/`)).statusCode, 404, 'nor its versions');
  t.same(json(await taxii(other.auth, `${everything}/objects/?match[id]=${stixId}`)), { more: false }, 'nor by match[id]');
});

t.test('a bundle a partner adds to its writable collection comes out of an agency\'s collection', async (t) => {
  const partner = await createMember(app, admin, 'partner', 'GB', { sectors: ['film_tv'] });
  const agency = await createMember(app, admin, 'agency', 'GB');
  const { collections } = json(await taxii(basic(partner), '/collections/'));
  t.same(collections.map((c: { id: string; can_read: boolean; can_write: boolean }) => [c.id, c.can_read, c.can_write]), [[SUBMISSIONS_ID, false, true]], 'a partner writes, and reads nothing here');
  const envelope = {
    objects: [
      { type: 'marking-definition', spec_version: '2.1', id: TLP_MARKING_IDS.GREEN, created: '2022-10-01T00:00:00.000Z', name: 'TLP:GREEN', extensions: {} },
      {
        type: 'indicator', spec_version: '2.1', id: 'indicator--0f6e1c9a-8d2b-4e7f-9a3c-5b1d2e4f6a70', created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-02T00:00:00.000Z', pattern: "[domain-name:value = 'pushed-by-taxii.tv']", pattern_type: 'stix',
        valid_from: '2026-01-01T00:00:00.000Z', object_marking_refs: [TLP_MARKING_IDS.GREEN], confidence: 90, labels: ['streaming_site', 'cup-final'],
      },
      { type: 'malware', spec_version: '2.1', id: 'malware--0f6e1c9a-8d2b-4e7f-9a3c-5b1d2e4f6a71', created: '2026-01-01T00:00:00.000Z', modified: '2026-01-01T00:00:00.000Z', name: 'x', is_family: false },
      {
        type: 'indicator', spec_version: '2.1', id: 'indicator--0f6e1c9a-8d2b-4e7f-9a3c-5b1d2e4f6a72', created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z', pattern: "[domain-name:value = 'a.tv'] OR [domain-name:value = 'b.tv']", pattern_type: 'stix', valid_from: '2026-01-01T00:00:00.000Z',
      },
    ],
  };
  const added = await taxii(basic(partner), `/collections/${SUBMISSIONS_ID}/objects/`, { method: 'POST', body: envelope });
  t.equal(added.statusCode, 202, added.body);
  t.equal(added.headers['content-type'], TAXII);
  const status = json(added);
  t.match(status, { status: 'complete', total_count: 4, success_count: 2, failure_count: 2, pending_count: 0 });
  t.match(status.successes, [
    { id: TLP_MARKING_IDS.GREEN, message: /its TLP applies/ },
    { id: 'indicator--0f6e1c9a-8d2b-4e7f-9a3c-5b1d2e4f6a70', version: '2026-01-02T00:00:00.000Z', message: /^created indicator / },
  ]);
  t.match(status.failures, [
    { id: 'malware--0f6e1c9a-8d2b-4e7f-9a3c-5b1d2e4f6a71', message: /malware objects are not supported/ },
    { id: 'indicator--0f6e1c9a-8d2b-4e7f-9a3c-5b1d2e4f6a72', message: /not one observation/ },
  ]);
  t.same(json(await taxii(partner.auth, `/status/${status.id}/`)), status, 'the status resource can be read again');
  t.equal((await taxii(agency.auth, `/status/${status.id}/`)).statusCode, 403, 'an agency has no statuses');
  const otherPartner = await createMember(app, admin, 'partner', 'IE', { sectors: ['film_tv'] });
  t.equal((await taxii(otherPartner.auth, `/status/${status.id}/`)).statusCode, 404, 'nor another organisation');

  const ourId = /^created indicator (\S+)/.exec(status.successes[1].message)![1]!;
  const gotRes = await taxii(agency.auth, `/collections/${EVERYTHING_ID}/objects/${stixIndicatorId(ourId)}/`);
  t.equal(gotRes.statusCode, 200, gotRes.body);
  const got = json(gotRes);
  t.match(got.objects.at(-1), {
    id: stixIndicatorId(ourId), pattern: "[domain-name:value = 'pushed-by-taxii.tv']", confidence: 90,
    object_marking_refs: [TLP_MARKING_IDS.GREEN], labels: ['streaming_site', 'cup-final'],
  }, 'the agency receives the partner\'s indicator, under our STIX id');
  t.same(stixBundleErrors({ type: 'bundle', id: 'bundle--6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d70', objects: got.objects }), []);

  t.equal((await taxii(partner.auth, `/collections/${SUBMISSIONS_ID}/objects/`)).statusCode, 403, 'partners do not read (no feed:read)');
  const secretariat = { authorization: `Bearer ${admin}` };
  t.equal((await taxii(secretariat, `/collections/${SUBMISSIONS_ID}/objects/`)).statusCode, 403, 'the writable collection cannot be read');
  t.equal((await taxii(secretariat, `/collections/${EVERYTHING_ID}/objects/`, { method: 'POST', body: envelope })).statusCode, 403, 'a readable one cannot be written');
});

t.test('filters: match[type], match[id], match[version], match[spec_version]; next is bound to its filters', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'NL');
  // Two batches: two versions (modified) to tell apart.
  const [a] = await push(source, [{ type: 'domain', value: 'match-a.tv', tlp: 'GREEN' }]);
  const [b] = await push(source, [{ type: 'url', value: 'https://match-b.tv/live', tlp: 'GREEN' }]);
  const path = `/collections/${EVERYTHING_ID}/objects/`;
  const objects = async (query: string) => json(await taxii(agency.auth, `${path}?${query}`)).objects ?? [];
  const both = `match[id]=${stixIndicatorId(a!.id)},${stixIndicatorId(b!.id)}`;
  t.same((await objects(both)).filter((o: { type: string }) => o.type === 'indicator').length, 2);
  t.same((await objects(`${both}&match[type]=indicator`)).map((o: { type: string }) => o.type), ['indicator', 'indicator'], 'only indicators');
  t.same(await objects(`${both}&match[type]=identity`), [], 'identities and markings come only with indicators');
  t.same(await objects(`${both}&match[spec_version]=2.0`), []);
  t.equal((await objects(`${both}&match[spec_version]=2.1`)).length, 4, 'a marking, an identity, two indicators');
  const version = (await objects(`match[id]=${stixIndicatorId(a!.id)}`)).at(-1).modified as string;
  const byVersion = await objects(`${both}&match[version]=${encodeURIComponent(version)}`);
  t.same(byVersion.filter((o: { type: string }) => o.type === 'indicator').map((o: { id: string }) => o.id), [stixIndicatorId(a!.id)], 'a version by its timestamp');
  t.equal((await objects(`${both}&match[version]=all`)).filter((o: { type: string }) => o.type === 'indicator').length, 2);
  t.match(json(await taxii(agency.auth, `${path}${stixIndicatorId(a!.id)}/versions/`)), { more: false, versions: [version] }, 'one version: the current one');

  const first = json(await taxii(agency.auth, `${path}?limit=1&${both}`));
  t.equal(first.more, true);
  const reused = await taxii(agency.auth, `${path}?limit=1&next=${encodeURIComponent(first.next)}`);
  t.equal(reused.statusCode, 400, 'next with other filters');
  t.match(json(reused), { title: 'Bad Request', http_status: '400', error_code: 'validation-error' });
  t.equal((await taxii(agency.auth, `${path}?next=abc.def`)).statusCode, 400, 'a next we did not issue');
  t.equal((await taxii(agency.auth, `${path}?limit=1&${both}&next=${encodeURIComponent(first.next)}`)).statusCode, 200);
  const old = encodeURIComponent('2020-01-01T00:00:00.000Z');
  const dated = json(await taxii(agency.auth, `${path}?limit=1&${both}&added_after=${old}`));
  const [withDate, without] = await Promise.all([`&added_after=${old}`, ''].map(async (again) =>
    json(await taxii(agency.auth, `${path}?limit=1&${both}${again}&next=${encodeURIComponent(dated.next)}`))));
  t.same(without, withDate, 'added_after may be sent again with next, or left out (as the OpenCTI connector does)');
  t.equal(without.objects.at(-1).id, stixIndicatorId(b!.id), 'and next goes on where the page ended');
  t.equal((await taxii(agency.auth, `${path}?colour=red`)).statusCode, 400, 'unknown parameters are refused');
  t.equal((await taxii(agency.auth, `${path}?added_after=yesterday`)).statusCode, 400);
});

t.test('media types: 406 and 415 as TAXII says, after authentication; errors are TAXII error messages', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'BE');
  const path = `/collections/${EVERYTHING_ID}/objects/`;
  for (const accept of [null, 'application/json', 'application/taxii+json;version=2.0', 'application/stix+json;version=2.1', 'application/taxii+json;q=0']) {
    const res = await taxii(agency.auth, path, { accept });
    t.equal(res.statusCode, 406, `Accept ${accept}`);
    t.equal(res.headers['content-type'], TAXII);
    t.match(json(res), { title: 'Not Acceptable', http_status: '406', description: /application\/taxii\+json;version=2\.1/ });
  }
  for (const accept of ['application/taxii+json', 'application/taxii+json; version=2.1', 'application/json, application/taxii+json;version=2.1', '*/*']) {
    t.equal((await taxii(agency.auth, path, { accept })).statusCode, 200, `Accept ${accept}`);
  }
  t.equal((await taxii({}, path, { accept: null })).statusCode, 401, 'no credentials: 401 before 406');
  const partner = await createMember(app, admin, 'partner', 'BE', { sectors: ['music'] });
  const submissions = `/collections/${SUBMISSIONS_ID}/objects/`;
  for (const contentType of ['application/json', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0']) {
    const res = await taxii(partner.auth, submissions, { method: 'POST', body: { objects: [{}] }, contentType });
    t.equal(res.statusCode, 415, `Content-Type ${contentType}`);
    t.match(json(res), { http_status: '415' });
  }
  t.equal((await taxii(partner.auth, submissions, { method: 'POST', body: { objects: [] } })).statusCode, 400, 'an empty envelope');
  const unauthenticated = await taxii({}, '/collections/');
  t.equal(unauthenticated.statusCode, 401);
  t.match(unauthenticated.headers['www-authenticate'], /^Bearer .*Basic realm=/, 'both ways to authenticate are offered');
  t.match(json(unauthenticated), { title: 'Unauthorized', http_status: '401' });
  t.equal((await taxii(basic({ ...agency, secret: 'wrong' }), '/collections/')).statusCode, 401, 'a wrong secret');
  const missing = await taxii(agency.auth, '/collections/6c1e0d1c-1f0e-4a38-9a5b-2a3e1f8c9d70/objects/');
  t.equal(missing.statusCode, 404);
  t.match(json(missing), { http_status: '404', error_code: 'not-found' });
  const noRoute = await app.inject({ method: 'GET', url: '/taxii2/nowhere/', headers: { ...agency.auth, accept: TAXII } });
  t.equal(noRoute.statusCode, 404);
  t.equal(noRoute.headers['content-type'], TAXII, 'even without a route');
  t.notOk('type' in json(noRoute), 'no problem+json under /taxii2/');
  t.match(json(await app.inject({ method: 'GET', url: '/v1/nowhere', headers: agency.auth })), { type: 'urn:isop:problem:not-found' }, 'elsewhere, problem+json as before');
});

t.test('HTTP Basic: a revoked client is refused at once on the node that revoked it', async (t) => {
  const agency = await createMember(app, admin, 'agency', 'LU');
  t.equal((await taxii(basic(agency), '/collections/')).statusCode, 200);
  t.equal((await taxii(basic(agency), '/collections/')).statusCode, 200, 'again, from the verified credentials');
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/clients/${agency.clientId}`, headers: { authorization: `Bearer ${admin}` } })).statusCode, 204);
  t.equal((await taxii(basic(agency), '/collections/')).statusCode, 401);
});
