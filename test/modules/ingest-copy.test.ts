/**
 * Ingest by COPY (PostgreSQL) and by JSON parameters (PGlite, or `copy: false`): hostile text
 * round-trips through a batch unchanged, a resubmission is unchanged (the stored row hashes as
 * submitted), and on PostgreSQL the two paths store the same rows, change log and results for
 * the same batches.
 */
import t from 'tap';
import { sql } from 'drizzle-orm';
import { rows, transactionClient } from '../../src/db/client.js';
import { withRetry } from '../../src/db/transaction.js';
import { prepareBatch, storeBatch } from '../../src/modules/indicators/ingest.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const { app, database } = await createTestApp(t, { LOG_LEVEL: 'silent' });
const admin = await adminToken(app);
const partner = await createMember(app, admin, 'partner', 'GB', { sectors: ['live_sports'] });

const HOSTILE = [
  'tab\there', 'new\nline', 'cr\rhere', '\r\n', 'back\\slash', '\\', '\\N', '\\.', 'trailing\\', '"quoted"', "it's",
  '{braces}', '{"a","b"}', 'a,b', 'NULL', '\u0001\u0007\b\f\v\u001b\u007f', 'é ｄｏｍａｉｎ 𝕏 日本語 🏴‍☠️', '\u202Eevil', '\uFEFFbom',
  '\\u0000 as text', '\\t\\n', "'; drop table indicators; --", 'x'.repeat(900),
];
const SHA = 'b'.repeat(64);

function hostileItem(i: number, s: string): Record<string, unknown> {
  return {
    type: 'domain', value: `copy-hostile-${i}.example.tv`, tlp: 'AMBER', pap: 'GREEN', confidence: 60, sector: 'live_sports',
    description: s, tags: [s.slice(0, 96), `${s.slice(0, 95)}-tag`],
    grading: { source: '2', assessment: 'B', handling: 'C', conditions: s.slice(0, 2000) },
    references: [{ kind: 'case', id: s.slice(0, 200) }], evidence: [{ sha256: SHA, description: s.slice(0, 1000) }],
    first_seen: '2025-01-01T00:00:00Z', last_seen: '2025-06-01T00:00:00.123Z',
  };
}

t.test('hostile text round-trips through a batch, and resubmitting it changes nothing', async (t) => {
  const items = HOSTILE.map((s, i) => hostileItem(i, s));
  const push = () => app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { items } });
  const first = await push();
  t.equal(first.statusCode, 200, first.body.slice(0, 300));
  const body = json(first);
  t.same(body.summary, { created: items.length, updated: 0, unchanged: 0, rejected: 0 }, JSON.stringify(body.results.filter((r: { status: string }) => r.status === 'rejected')).slice(0, 500));
  for (const [i, result] of (body.results as Array<{ id: string }>).entries()) {
    const res = await app.inject({ method: 'GET', url: `/v1/indicators/${result.id}`, headers: partner.auth });
    const got = json(res);
    const want = items[i]!;
    t.same(
      [got.description, got.tags, got.grading, got.references, got.evidence, got.first_seen, got.last_seen],
      [want.description, want.tags, want.grading, want.references, want.evidence, '2025-01-01T00:00:00.000Z', '2025-06-01T00:00:00.123Z'],
      `item ${i} (${JSON.stringify(HOSTILE[i]!.slice(0, 20))}) reads back as sent`,
    );
  }
  const again = json(await push());
  t.same(again.summary, { created: 0, updated: 0, unchanged: items.length, rejected: 0 }, 'a resubmission is unchanged');

  const changed = items.map((item, i) => (i % 2 ? { ...item, description: `${String(item.description)}\t\\changed\n` } : item));
  const third = json(await app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { items: changed } }));
  t.same(third.summary, { created: 0, updated: Math.floor(items.length / 2), unchanged: Math.ceil(items.length / 2), rejected: 0 }, 'changed items are updated');
  const [logged] = await rows<{ updates: number }>(database.db, sql`
    select count(*)::int as updates from indicator_changes c join indicators i on i.id = c.indicator_id
    where i.source_org_id = ${partner.orgId}::uuid and c.kind = 'updated' and c.version = 2`);
  t.equal(logged!.updates, Math.floor(items.length / 2), 'one change-log row per update');
});

t.test('COPY and JSON parameters store the same rows, change log and results', { skip: database.driver === 'postgres' ? false : 'PostgreSQL only (PGlite has the JSON path alone)' }, async (t) => {
  const viaJson = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });
  const viaCopy = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });
  const agency = await createMember(app, admin, 'agency', 'DE');
  const round = (n: number) => [
    ...HOSTILE.map((s, i) => ({ ...hostileItem(i, s), ...(n === 2 && i % 3 === 0 ? { description: `round 2 ${s}`, valid_until: '2030-01-01T00:00:00Z' } : {}) })),
    { type: 'url', value: `https://stream.example.tv/live/${n}?a=1&b=\\x`, attribution: 'anonymous', tlp: 'GREEN' },
    { type: 'domain', value: 'dup.example.tv', description: 'first' },
    { type: 'domain', value: 'dup.example.tv', description: `second ${n}` },
    { type: 'domain', value: 'not a domain' },
    { type: 'domain', value: 'aud.example.tv', tlp: 'AMBER', audience: { orgs: [agency.orgId], countries: ['FR'] }, exclude: { countries: ['US'] } },
    { type: 'ipv4', value: '45.77.1.3', relations: [{ type: 'hosted_on', target: { type: 'domain', value: 'Host.Example.TV' } }] },
  ];
  const now = Date.now();
  const store = async (orgId: string, items: unknown[], copy: boolean) => {
    const batch = await prepareBatch(database.db, items, undefined, app.warninglists, now, { orgId, orgKind: 'partner' });
    await withRetry(database.db, (tx) => storeBatch(tx, orgId, batch, now, { copy }));
    return batch.results.map((r) => ({ ...r, id: r.id ? 'id' : undefined }));
  };
  const stored = async (orgId: string) => rows(database.db, sql`
    select type, platform, value, version, status, tlp, pap, grading, confidence, audience, exclude, attribution,
      audience_tokens, exclude_tokens, valid_from - date_trunc('hour', now()) as valid_from, valid_until - valid_from as validity,
      pending, sector, categories, tags, description, first_seen, last_seen, "references", evidence, relations,
      shared_infrastructure, content_hash, withdrawn_reason,
      (select json_agg(json_build_object('version', c.version, 'kind', c.kind, 'prev_audience_tokens', c.prev_audience_tokens,
        'prev_exclude_tokens', c.prev_exclude_tokens, 'prev_pap', c.prev_pap, 'prev_deliverable', c.prev_deliverable) order by c.pos)
        from indicator_changes c where c.indicator_id = i.id) as changes,
      (select json_agg(json_build_object('version', c.version, 'kind', c.kind) order by c.id)
        from pending_changes c where c.indicator_id = i.id) as pending_changes
    from indicators i where source_org_id = ${orgId}::uuid order by type, platform, value`);

  t.ok(await withRetry(database.db, async (tx) => transactionClient(tx) !== undefined), 'a transaction on PostgreSQL has a connection to COPY on');
  t.notOk(transactionClient(database.db), 'the pool does not (its next statement may run on another connection)');
  for (const n of [1, 2]) {
    const items = round(n);
    t.same(await store(viaCopy.orgId, items, true), await store(viaJson.orgId, items, false), `round ${n}: the same results`);
    const [a, b] = [await stored(viaJson.orgId), await stored(viaCopy.orgId)];
    t.ok(a.length > HOSTILE.length, `round ${n}: rows stored`);
    t.same(b, a, `round ${n}: the same rows and change log`);
  }
  const links = async (orgId: string) => rows(database.db, sql`
    select i.type, i.value, l.type as link_type, l.platform as link_platform, l.value as link_value, l.via
    from indicator_links l join indicators i on i.id = l.indicator_id where i.source_org_id = ${orgId}::uuid
    order by 1, 2, 3, 4, 5, 6`);
  t.same(await links(viaCopy.orgId), await links(viaJson.orgId), 'the same links');
});
