/**
 * Feed items for recipients are stored text (indicators.feed_mid/feed_tail, written by a trigger on
 * every write): after each kind of write the feed item must be, byte for byte, the indicator as a
 * single read shows it to the same recipient, minus what reads add (corroboration).
 */
import t, { type Test as Tap } from 'tap';
import { sql } from 'drizzle-orm';
import { rows } from '../../src/db/client.js';
import { purgeExpired } from '../../src/modules/audit/retention.js';
import { sweep } from '../../src/modules/feeds/sweeper.js';
import { feedItemJson, indicatorJson } from '../../src/modules/indicators/view.js';
import type { CallerIdentity } from '../../src/domain/visibility.js';
import { adminToken, createMember, createTestApp, json, pushItems, type Member } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const db = database.db;
const admin = await adminToken(app);
const source = await createMember(app, admin, 'partner', 'FR', { sectors: ['music'] });
const agency = await createMember(app, admin, 'agency', 'FR', { scopes: ['feed:read', 'indicators:read', 'outcomes:write'] });
const identity = (m: Member): CallerIdentity => ({ orgId: m.orgId, orgKind: m.kind as CallerIdentity['orgKind'], country: m.country, groups: [] });

/** The NDJSON line of indicator `id` in the agency's whole feed (its last, since every line shows it as it is now). */
async function feedLine(id: string): Promise<string | undefined> {
  const res = await app.inject({ method: 'GET', url: '/v1/feed?format=ndjson&limit=10000', headers: agency.auth });
  if (res.statusCode !== 200) throw new Error(res.body);
  return res.body.split('\n').filter((l) => l && (JSON.parse(l) as { id: string }).id === id).pop();
}
/** The agency's single read, without the extras reads add. */
async function readLine(id: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/v1/indicators/${id}`, headers: agency.auth });
  if (res.statusCode !== 200) throw new Error(res.body);
  const stripped = res.body.replace(/,"corroboration":\{"sources":\d+\}\}$/, '}');
  if (stripped === res.body) throw new Error('the read carries no corroboration');
  return stripped;
}
/** Every indicator: the stored view spliced for `who` equals the computed one. */
async function allAgree(t: Tap, who: Member) {
  const caller = identity(who);
  const differ = await rows<{ id: string; stored: string; computed: string }>(db, sql`
    select i.id, ${feedItemJson(caller)} as stored, ${indicatorJson(caller)} as computed
    from indicators i join orgs o on o.id = i.source_org_id
    where ${feedItemJson(caller)} is distinct from ${indicatorJson(caller)}`);
  t.same(differ, [], `stored feed JSON agrees with the computed view for every indicator (${who.kind})`);
}

t.test('after each kind of write the feed item is the single read minus its extras', async (t) => {
  const [named, anonymous, disputed, withdrawn] = await pushItems(app, source, [
    { type: 'domain', value: 'stored-named.com', tlp: 'CLEAR', pap: 'CLEAR', description: 'a "quoted" \\ description ✓', tags: ['a', 'b'],
      categories: ['streaming'], references: [{ kind: 'url', url: 'https://stored-named.com/x' }],
      relations: [{ type: 'resolves_to', target: { type: 'ipv4', value: '185.234.72.20' } }], first_seen: '2026-01-02T03:04:05.678Z' },
    { type: 'domain', value: 'stored-anon.com', tlp: 'GREEN', attribution: 'anonymous', confidence: 40 },
    { type: 'domain', value: 'stored-disputed.com', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'url', value: 'https://stored-withdrawn.com/live', tlp: 'CLEAR', pap: 'CLEAR' },
  ]);
  for (const r of [named!, anonymous!, disputed!]) t.equal(await feedLine(r.id), await readLine(r.id), `created: ${r.value}`);
  await allAgree(t, agency);

  // PATCH (content and audience), including a change of attribution.
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/indicators/${named!.id}`, headers: source.auth, payload: { description: 'changed', tags: ['c'], confidence: 90 } })).statusCode, 200);
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/indicators/${anonymous!.id}`, headers: source.auth, payload: { attribution: 'named' } })).statusCode, 200);
  t.equal(await feedLine(named!.id), await readLine(named!.id), 'updated');
  t.match(JSON.parse((await feedLine(named!.id))!), { description: 'changed', tags: ['c'], confidence: 90 });
  t.equal(await feedLine(anonymous!.id), await readLine(anonymous!.id), 'attribution changed to named: the source appears');

  // Disputed by an outcome.
  t.equal((await app.inject({ method: 'POST', url: `/v1/indicators/${disputed!.id}/outcomes`, headers: agency.auth, payload: { action: 'false_positive' } })).statusCode, 201);
  t.equal(await feedLine(disputed!.id), await readLine(disputed!.id), 'disputed');
  t.match(JSON.parse((await feedLine(disputed!.id))!), { disputed: true });

  // The source organisation renamed (no write to its indicators): spliced in at read time.
  await db.execute(sql`update orgs set name = ${'Renamed "Org" ✓'} where id = ${source.orgId}::uuid`);
  t.equal(await feedLine(named!.id), await readLine(named!.id), 'after an org rename');
  t.match(JSON.parse((await feedLine(named!.id))!), { source: { org_id: source.orgId, name: 'Renamed "Org" ✓' } });

  // Expired by time only (the sweeper has not run): the status is spliced in at read time.
  await db.execute(sql`update indicators set valid_from = now() - interval '2 days', valid_until = now() - interval '1 second' where id = ${named!.id}::uuid`);
  await allAgree(t, agency);
  await allAgree(t, source);
  await sweep(db);

  // Withdrawn, then purged by retention.
  await app.inject({ method: 'DELETE', url: `/v1/indicators/${withdrawn!.id}`, headers: source.auth, payload: { reason: 'gone' } });
  await db.execute(sql`update indicators set updated_at = now() - interval '91 days' where id = ${withdrawn!.id}::uuid`);
  t.ok(await purgeExpired(db, { retentionDays: 90 }) >= 1, 'purged');
  const [stored] = await rows<{ feed_mid: string }>(db, sql`select feed_mid from indicators where id = ${withdrawn!.id}::uuid`);
  t.notMatch(stored!.feed_mid, 'stored-withdrawn', 'the purged value is gone from the stored feed JSON too');
  t.match(stored!.feed_mid, `purged:${withdrawn!.id}`);
  await allAgree(t, agency);
  await allAgree(t, source);
  const secretariatLike = { ...identity(agency), orgKind: 'partner' as const, country: 'DE' };
  const differ = await rows(db, sql`select i.id from indicators i join orgs o on o.id = i.source_org_id
    where ${feedItemJson(secretariatLike)} is distinct from ${indicatorJson(secretariatLike)}`);
  t.same(differ, [], 'another recipient identity agrees as well');
});
