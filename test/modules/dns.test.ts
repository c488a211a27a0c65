/**
 * The DNS primary for the resolver zones, spoken to as a secondary would: TSIG on every message,
 * refusals, AXFR and IXFR following the change log, NOTIFY, key rotation, policies, and the
 * sharing rule deciding what each zone holds. (A real BIND secondary: dns-bind.test.ts.)
 */
import t from 'tap';
import dgram from 'node:dgram';
import { sql } from 'drizzle-orm';
import { startDnsPrimary } from '../../src/modules/dns/primary.js';
import { loadSealKeys } from '../../src/modules/dns/seal.js';
import { TSIG_ERROR, TsigSigner, type TsigKey } from '../../src/modules/dns/tsig.js';
import { decode, OPCODE } from '../../src/modules/dns/wire.js';
import { adminToken, createMember, createTestApp, json, type Member } from '../helpers/app.js';
import { findTsig, query, tcpExchange, transfer, triggers, udpExchange, verifyAll } from '../helpers/dns.js';

const { app, database, config } = await createTestApp(t, { RPZ_ORIGIN: 'rpz.test', RPZ_NOTICE_HOST: 'notice.example.org' });
const admin = await adminToken(app);
const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['live_sports'] });
const agency = await createMember(app, admin, 'agency', 'FR');

/** An intermediary with its client and the TSIG key issued with it. */
async function intermediary(country = 'FR'): Promise<Member & { key: TsigKey; zone: string }> {
  const member = await createMember(app, admin, 'intermediary', country);
  const res = await app.inject({ method: 'POST', url: `/v1/orgs/${member.orgId}/clients`, headers: { authorization: `Bearer ${admin}` }, payload: { name: 'resolver' } });
  const created = json(res);
  // The resolver's own client: the zone belongs to it.
  const token = json(await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: created.client_id, client_secret: created.client_secret } })).access_token;
  return {
    ...member, clientId: created.client_id, secret: created.client_secret, token, auth: { authorization: `Bearer ${token}` },
    zone: created.tsig_key.zone, key: { name: created.tsig_key.key_name, secret: Buffer.from(created.tsig_key.secret, 'base64') },
  };
}

async function push(items: Record<string, unknown>[], who: Member = partner) {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  if (res.statusCode !== 200 || json(res).summary.rejected) throw new Error(`push failed: ${res.body}`);
  return json(res).results as Array<{ id: string; value: string }>;
}

const dns = await startDnsPrimary({
  db: database.db, config: { ...config, dnsPort: 0, dnsHost: '127.0.0.1', dnsRefreshMs: 60_000 },
  sealKeys: await loadSealKeys(database.db, config.tsigSealKeys), log: app.log,
});
t.teardown(() => dns.close());

const isp = await intermediary();
const soaOf = (records: Array<{ type: string; data?: unknown }>) => (records.find((r) => r.type === 'SOA')!.data as { serial: number }).serial;

t.test('a TSIG key is issued with an intermediary\'s client, shown once, and sealed at rest', async (t) => {
  t.match(isp.zone, /^isop-[a-z0-9-]+\.rpz\.test$/);
  t.equal(isp.key.secret.length, 32, 'a 256-bit HMAC-SHA256 secret');
  const partnerClient = json(await app.inject({ method: 'POST', url: `/v1/orgs/${partner.orgId}/clients`, headers: { authorization: `Bearer ${admin}` }, payload: { name: 'p' } }));
  t.notOk('tsig_key' in partnerClient, 'only intermediaries get a zone');
  const [row] = await database.db.execute(sql`select tsig_secret from dns_zones where client_id = ${isp.clientId}`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows)) as Array<{ tsig_secret: string }>;
  t.notOk(row!.tsig_secret.includes(isp.key.secret.toString('base64')), 'the secret is not stored in the clear');
  t.match(row!.tsig_secret, /^v1\./);
  const view = json(await app.inject({ method: 'GET', url: '/v1/dns-zone', headers: isp.auth }));
  t.match(view, { zone: isp.zone, key_name: isp.zone, algorithm: 'hmac-sha256', policy: 'nxdomain' });
  t.notOk(JSON.stringify(view).includes(isp.key.secret.toString('base64')), 'never shown again');
  t.equal((await app.inject({ method: 'GET', url: '/v1/dns-zone', headers: agency.auth })).statusCode, 404, 'an agency has no zone');
});

t.test('refusals: unsigned, unknown key, bad MAC, stale time, another zone, other questions', async (t) => {
  const soa = { name: isp.zone, type: 'SOA' as const, class: 'IN' as const };
  const unsigned = decode(await udpExchange(dns.port, query(soa).raw));
  t.equal(unsigned.rcode, 'REFUSED', 'an unsigned request is refused');

  const unknown = await udpExchange(dns.port, query(soa, { key: { name: `nobody.${config.rpz.origin}`, secret: isp.key.secret } }).raw);
  t.equal(decode(unknown).rcode, 'NOTAUTH');
  t.equal(findTsig(unknown)!.error, TSIG_ERROR.BADKEY, 'an unknown key: BADKEY');
  t.equal(findTsig(unknown)!.mac.length, 0, 'and the answer is not signed');

  const forged = await udpExchange(dns.port, query(soa, { key: { name: isp.key.name, secret: Buffer.alloc(32, 7) } }).raw);
  t.equal(findTsig(forged)!.error, TSIG_ERROR.BADSIG, 'a wrong secret: BADSIG');

  const old = new TsigSigner(isp.key, undefined, () => Math.floor(Date.now() / 1000) - 3600);
  const stale = await udpExchange(dns.port, query(soa, { sign: (m) => old.sign(m) }).raw);
  t.equal(decode(stale).rcode, 'NOTAUTH');
  t.equal(findTsig(stale)!.error, TSIG_ERROR.BADTIME, 'an hour-old signature: BADTIME');
  t.equal(findTsig(stale)!.otherData.length, 6, 'with the server\'s time');

  const other = await intermediary('DE');
  const { raw, signer } = query({ name: other.zone, type: 'SOA', class: 'IN' }, { key: isp.key });
  const elsewhere = await udpExchange(dns.port, raw);
  t.equal(decode(elsewhere).rcode, 'REFUSED', 'a valid key asking for another client\'s zone is refused');
  verifyAll(isp.key, signer!, [elsewhere]);

  const a = query({ name: `x.${isp.zone}`, type: 'A', class: 'IN' }, { key: isp.key });
  t.equal(decode(await udpExchange(dns.port, a.raw)).rcode, 'REFUSED', 'nothing but SOA, NS and transfers');
  const udpAxfr = query({ name: isp.zone, type: 'AXFR', class: 'IN' }, { key: isp.key });
  t.equal(decode(await udpExchange(dns.port, udpAxfr.raw)).rcode, 'REFUSED', 'no AXFR over UDP');
  const update = query({ name: isp.zone, type: 'SOA', class: 'IN' }, { key: isp.key, opcode: 5 });
  t.equal(decode(await udpExchange(dns.port, update.raw)).rcode, 'NOTIMP', 'no dynamic updates');
  const garbage = Buffer.from([0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xff]);
  t.equal(decode(await udpExchange(dns.port, garbage)).rcode, 'FORMERR', 'a broken message: FORMERR');

  const viaTcp = query(soa, { key: isp.key });
  const answers = await tcpExchange(dns.port, viaTcp.raw, (got) => got.length === 1);
  verifyAll(isp.key, viaTcp.signer!, answers);
  t.equal(decode(answers[0]!).rcode, 'NOERROR', 'SOA over TCP too');
});

t.test('the zone holds what the client may receive; AXFR and IXFR follow the change log', async (t) => {
  const [listed, network, network6, address] = await push([
    { type: 'domain', value: 'rpz-listed.tv', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'cidr', value: '185.234.72.0/24', tlp: 'CLEAR', pap: 'GREEN' },
    { type: 'cidr', value: '2a05:d014:100::/48', tlp: 'CLEAR', pap: 'GREEN' },
    { type: 'ipv4', value: '45.9.8.7', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'domain', value: 'rpz-amber-pap.tv', tlp: 'CLEAR', pap: 'AMBER' },
    { type: 'domain', value: 'rpz-for-agencies.tv', tlp: 'AMBER', pap: 'CLEAR' },
    { type: 'domain', value: 'rpz-red.tv', tlp: 'RED', pap: 'CLEAR', audience: { orgs: [agency.orgId] } },
    { type: 'domain', value: 'sites.google.com', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'url', value: 'https://rpz-listed.tv/live', tlp: 'CLEAR', pap: 'CLEAR' },
  ]);
  t.ok(listed && network && network6 && address);
  await dns.refreshNow();
  const axfr = await transfer(dns.port, isp.zone, isp.key);
  const serial = soaOf(axfr.records);
  t.same(triggers(axfr.records, isp.zone).sort(), [
    '*.rpz-listed.tv', '128.7.8.9.45.rpz-ip'.replace('128.', '32.'), '24.0.72.234.185.rpz-ip', '48.zz.100.d014.2a05.rpz-ip', 'rpz-listed.tv',
  ].sort(), 'CLEAR/GREEN-PAP names, addresses and networks; not PAP:AMBER, agency-only, RED, shared infrastructure or URLs');
  t.ok(axfr.records.filter((r) => r.type === 'CNAME').every((r) => (r as { data?: unknown }).data === '.'), 'the default policy: NXDOMAIN');
  t.equal(axfr.records[0]!.type, 'SOA');
  t.equal(axfr.records[axfr.records.length - 1]!.type, 'SOA', 'AXFR ends with the SOA again');
  t.ok(axfr.messages.every((m) => m.flag_aa), 'authoritative');

  const upToDate = await transfer(dns.port, isp.zone, isp.key, serial);
  t.equal(upToDate.records.length, 1, 'IXFR from the current serial: the SOA alone');

  const [added] = await push([{ type: 'domain', value: 'rpz-added.tv', tlp: 'CLEAR', pap: 'CLEAR' }]);
  await dns.refreshNow();
  const ixfr = await transfer(dns.port, isp.zone, isp.key, serial);
  const next = soaOf(ixfr.records);
  t.ok(next !== serial, 'a change gives a new serial');
  t.same(ixfr.records.map((r) => [r.type, r.type === 'SOA' ? (r.data as { serial: number }).serial : r.name]), [
    ['SOA', next], ['SOA', serial], ['SOA', next],
    ['CNAME', `rpz-added.tv.${isp.zone}`], ['CNAME', `*.rpz-added.tv.${isp.zone}`], ['SOA', next],
  ], 'IXFR: just the addition, in RFC 1995 form');

  await app.inject({ method: 'DELETE', url: `/v1/indicators/${added!.id}`, headers: partner.auth });
  await app.inject({ method: 'PATCH', url: `/v1/indicators/${network!.id}`, headers: partner.auth, payload: { pap: 'AMBER' } });
  await dns.refreshNow();
  const third = await transfer(dns.port, isp.zone, isp.key, next);
  const deleted = third.records.slice(2, third.records.findIndex((r, i) => i > 1 && r.type === 'SOA')).map((r) => r.name).sort();
  t.same(deleted, [`*.rpz-added.tv.${isp.zone}`, `24.0.72.234.185.rpz-ip.${isp.zone}`, `rpz-added.tv.${isp.zone}`].sort(), 'withdrawn, and no longer for intermediaries: deleted');
  const condensed = await transfer(dns.port, isp.zone, isp.key, serial);
  t.same(triggers(condensed.records, isp.zone), ['24.0.72.234.185.rpz-ip'], 'from two versions back, one condensed difference: only the net deletion');

  const unknown = await transfer(dns.port, isp.zone, isp.key, (serial + 2 ** 32 - 1000) % 2 ** 32);
  t.ok(triggers(unknown.records, isp.zone).includes('rpz-listed.tv'), 'an older serial the journal does not know: the whole zone');
  t.equal(unknown.records[1]!.type, 'NS');
  const ahead = await transfer(dns.port, isp.zone, isp.key, (soaOf(third.records) + 1000) % 2 ** 32);
  t.equal(ahead.records.length, 1, 'a secondary ahead of us (RFC 1982) is told the current SOA only');

  // A dispute reaching the rule without a change row is caught by the full comparison.
  await database.db.execute(sql`update indicators set disputed = true where id = ${listed!.id}::uuid`);
  await database.db.execute(sql`update dns_zones set reconciled_at = null where client_id = ${isp.clientId}`);
  await dns.refreshNow();
  const afterDispute = await transfer(dns.port, isp.zone, isp.key);
  t.notOk(triggers(afterDispute.records, isp.zone).includes('rpz-listed.tv'), 'a disputed value leaves the zone');
  await database.db.execute(sql`update indicators set disputed = false where id = ${listed!.id}::uuid`);
  await database.db.execute(sql`update dns_zones set reconciled_at = null where client_id = ${isp.clientId}`);
  await dns.refreshNow();

  const other = await intermediary('IT');
  await dns.refreshNow();
  const itsZone = await transfer(dns.port, other.zone, other.key);
  t.ok(triggers(itsZone.records, other.zone).includes('rpz-listed.tv'), 'each client its own zone, built from the whole log');
});

t.test('policy per client: NODATA and the walled garden; a new policy is a new zone', async (t) => {
  const before = soaOf((await transfer(dns.port, isp.zone, isp.key)).records);
  const set = (body: object) => app.inject({ method: 'PATCH', url: `/v1/clients/${isp.clientId}/dns-zone`, headers: { authorization: `Bearer ${admin}` }, payload: body });
  t.equal((await set({ policy: 'walled_garden' })).statusCode, 200);
  await dns.refreshNow();
  const garden = await transfer(dns.port, isp.zone, isp.key);
  t.ok(garden.records.filter((r) => r.type === 'CNAME').every((r) => (r as { data?: unknown }).data === 'notice.example.org'), 'walled garden: CNAME to the notice page');
  const after = soaOf(garden.records);
  t.not(after, before);
  const ixfr = await transfer(dns.port, isp.zone, isp.key, before);
  t.equal(ixfr.records[1]!.type, 'NS', 'IXFR across a policy change: the whole zone');
  t.equal((await set({ policy: 'nodata' })).statusCode, 200);
  await dns.refreshNow();
  t.ok((await transfer(dns.port, isp.zone, isp.key)).records.filter((r) => r.type === 'CNAME').every((r) => (r as { data?: unknown }).data === '*'), 'NODATA: CNAME *.');
  t.equal((await set({ policy: 'nxdomain' })).statusCode, 200);
  t.equal((await set({ notify: ['not-an-address'] })).statusCode, 400);
  t.equal((await set({ policy: 'drop' })).statusCode, 400);
  t.equal((await app.inject({ method: 'PATCH', url: `/v1/clients/${isp.clientId}/dns-zone`, headers: isp.auth, payload: { policy: 'nodata' } })).statusCode, 403, 'admins choose');
  await dns.refreshNow();
});

t.test('NOTIFY: configured secondaries are told of each change, signed with the zone\'s key', async (t) => {
  const secondary = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => secondary.bind(0, '127.0.0.1', () => resolve()));
  t.teardown(() => secondary.close());
  const notified = new Promise<{ raw: Buffer; from: dgram.RemoteInfo }>((resolve) => secondary.once('message', (raw, from) => resolve({ raw, from })));
  const res = await app.inject({ method: 'PATCH', url: `/v1/clients/${isp.clientId}/dns-zone`, headers: { authorization: `Bearer ${admin}` }, payload: { notify: [`127.0.0.1:${secondary.address().port}`] } });
  t.same(json(res).notify, [`127.0.0.1:${secondary.address().port}`]);
  await push([{ type: 'domain', value: 'rpz-notified.tv', tlp: 'CLEAR', pap: 'CLEAR' }]);
  await dns.refreshNow();
  const { raw, from } = await notified;
  const message = decode(raw);
  t.equal(message.opcode, 'NOTIFY');
  t.match(message.questions, [{ name: isp.zone, type: 'SOA' }]);
  t.equal(findTsig(raw)!.keyName, isp.zone, 'signed with the zone\'s key');
  t.equal(from.port, dns.port, 'sent from the primary\'s own port');
  // Answer it as a secondary does, so the primary stops repeating it.
  const answer = decode(raw);
  const { encode } = await import('../../src/modules/dns/wire.js');
  secondary.send(encode({ id: answer.id!, opcode: OPCODE.NOTIFY, authoritative: true }, { questions: answer.questions! }), from.port, from.address);
});

t.test('rotation: a new secret works at once, the old one no longer does; revocation closes the zone', async (t) => {
  const rotated = json(await app.inject({ method: 'POST', url: `/v1/clients/${isp.clientId}/tsig-key`, headers: { authorization: `Bearer ${admin}` } }));
  t.match(rotated, { zone: isp.zone, key_name: isp.zone, algorithm: 'hmac-sha256' });
  const fresh = { name: rotated.key_name, secret: Buffer.from(rotated.secret, 'base64') };
  const soa = { name: isp.zone, type: 'SOA' as const, class: 'IN' as const };
  t.equal(findTsig(await udpExchange(dns.port, query(soa, { key: isp.key }).raw))!.error, TSIG_ERROR.BADSIG, 'the old secret fails');
  const ok = query(soa, { key: fresh });
  const answer = await udpExchange(dns.port, ok.raw);
  verifyAll(fresh, ok.signer!, [answer]);
  t.equal(decode(answer).rcode, 'NOERROR', 'the new one works');
  t.equal((await app.inject({ method: 'POST', url: `/v1/clients/${agency.clientId}/tsig-key`, headers: { authorization: `Bearer ${admin}` } })).statusCode, 404, 'no zone for an agency');
  t.equal((await app.inject({ method: 'POST', url: `/v1/clients/${isp.clientId}/tsig-key`, headers: isp.auth })).statusCode, 403);

  t.equal((await app.inject({ method: 'DELETE', url: `/v1/clients/${isp.clientId}`, headers: { authorization: `Bearer ${admin}` } })).statusCode, 204);
  t.equal(findTsig(await udpExchange(dns.port, query(soa, { key: fresh }).raw))!.error, TSIG_ERROR.BADKEY, 'a revoked client\'s key is unknown');
});

t.test('sealing: AES-256-GCM bound to the client, the key named in the value, several keys for rotation', async (t) => {
  const { seal, unseal } = await import('../../src/modules/dns/seal.js');
  const oldKey = { keys: [Buffer.alloc(32, 1)] };
  const both = { keys: [Buffer.alloc(32, 2), Buffer.alloc(32, 1)] };
  const secret = Buffer.alloc(32, 9);
  const sealed = seal(oldKey, 'client-a', secret);
  t.same(unseal(oldKey, 'client-a', sealed), secret);
  t.equal(unseal(oldKey, 'client-b', sealed), null, 'copied to another client, it does not open');
  t.same(unseal(both, 'client-a', sealed), secret, 'an older key still opens what it sealed');
  t.equal(unseal({ keys: [Buffer.alloc(32, 2)] }, 'client-a', sealed), null, 'another key does not');
  const [v, id, iv, tag, body] = sealed.split('.');
  const flipped = Buffer.from(body!, 'base64url');
  flipped[0]! ^= 1;
  t.equal(unseal(oldKey, 'client-a', [v, id, iv, tag, flipped.toString('base64url')].join('.')), null, 'tampering is detected');
  t.not(seal(both, 'client-a', secret).split('.')[1], id, 'new secrets are sealed with the first key');
  const configured = await loadSealKeys(database.db, both.keys);
  t.equal(configured.keys, both.keys, 'configured keys win over the stored one');
});
