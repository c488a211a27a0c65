/**
 * Proof with a real resolver: BIND 9 as a secondary of an intermediary's zone, with the client's
 * TSIG key, configured from the operator guide's own snippet (docs/resolver-zones.md). It resolves
 * a reported domain to the policy answer, blocks a new indicator after the NOTIFY, unblocks it
 * after the withdrawal, and never holds what the intermediary may not receive.
 * `named-checkzone` accepts every zone the service produces (files and transfers).
 *
 * Skipped where BIND is not installed (.ci/run installs bind9, bind9-utils, bind9-dnsutils).
 */
import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDnsPrimary } from '../../src/modules/dns/primary.js';
import { loadSealKeys } from '../../src/modules/dns/seal.js';
import { adminToken, createMember, createTestApp, json, type Member } from '../helpers/app.js';
import { freePort, missingBind, run, startBind, until } from '../helpers/bind.js';

const missing = await missingBind();
const skip = missing.length ? `BIND 9 is not installed (missing ${missing.join(', ')}): apt-get install bind9 bind9-utils bind9-dnsutils` : false;

t.test('BIND 9 follows an intermediary\'s zone: policy answers, NOTIFY, withdrawal, the sharing rule', { skip }, async (t) => {
  const { app, database, config, logs } = await createTestApp(t, { RPZ_ORIGIN: 'rpz.isop.test' });
  const admin = await adminToken(app);
  const partner = await createMember(app, admin, 'partner', 'IT', { sectors: ['live_sports'] });
  const agency = await createMember(app, admin, 'agency', 'IT');
  const ispOrg = await createMember(app, admin, 'intermediary', 'IT');
  const created = json(await app.inject({ method: 'POST', url: `/v1/orgs/${ispOrg.orgId}/clients`, headers: { authorization: `Bearer ${admin}` }, payload: { name: 'resolver' } }));
  const { zone, key_name: keyName, secret } = created.tsig_key as { zone: string; key_name: string; secret: string };

  const dns = await startDnsPrimary({
    db: database.db, config: { ...config, dnsPort: 0, dnsHost: '127.0.0.1', dnsRefreshMs: 100 },
    sealKeys: await loadSealKeys(database.db, config.tsigSealKeys), log: app.log,
  });
  t.teardown(() => dns.close());

  const push = async (items: Record<string, unknown>[], who: Member = partner) => {
    const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
    if (res.statusCode !== 200 || json(res).summary.rejected) throw new Error(`push failed: ${res.body}`);
    return json(res).results as Array<{ id: string }>;
  };
  await push([
    { type: 'domain', value: 'calcio-streamz.tv', tlp: 'CLEAR', pap: 'CLEAR' },
    { type: 'cidr', value: '185.234.72.0/24', tlp: 'CLEAR', pap: 'GREEN' },
    { type: 'cidr', value: '2a05:d014:100::/48', tlp: 'CLEAR', pap: 'GREEN' },
    { type: 'ipv6', value: '2a05:d014:1::80', tlp: 'CLEAR', pap: 'GREEN' },
    // RED for the agency only: the intermediary may never receive it.
    { type: 'domain', value: 'red-for-agency.tv', tlp: 'RED', pap: 'CLEAR', audience: { orgs: [agency.orgId] } },
  ]);

  const port = await freePort();
  await app.inject({ method: 'PATCH', url: `/v1/clients/${created.client_id}/dns-zone`, headers: { authorization: `Bearer ${admin}` }, payload: { notify: [`127.0.0.1:${port}`] } });

  const bind = await startBind({ zone, keyName, secret, primaryPort: dns.port, port, tvRecords: { 'in-listed-network': '185.234.72.19' } });
  t.teardown(async () => {
    if (process.env.NAMED_LOG) writeFileSync(process.env.NAMED_LOG, bind.log());
    if (!t.passing()) t.comment(`named's log:\n${bind.log().slice(-6000)}`);
    await bind.stop();
  });
  const dir = bind.dir;

  const dig = async (name: string) => {
    const { stdout } = await run('dig', ['-p', String(port), '@127.0.0.1', '+tries=1', '+time=2', '+noall', '+comments', '+answer', name, 'A']);
    return { status: /status: (\w+)/.exec(stdout)?.[1], answer: stdout };
  };
  const axfr = async () => (await run('dig', ['-p', String(dns.port), '@127.0.0.1', '-y', `hmac-sha256:${keyName}:${secret}`, '+noall', '+answer', zone, 'AXFR'])).stdout;

  await until('BIND to load the zone and answer', async () => (await dig('calcio-streamz.tv').catch(() => ({ status: undefined }))).status === 'NXDOMAIN' || undefined, 60);
  t.equal((await dig('calcio-streamz.tv')).status, 'NXDOMAIN', 'a reported domain: NXDOMAIN through the secondary');
  t.equal((await dig('live.calcio-streamz.tv')).status, 'NXDOMAIN', 'and every name below it');
  t.equal((await dig('in-listed-network.tv')).status, 'NXDOMAIN', 'an answer inside a reported network (rpz-ip)');
  const normal = await dig('lawful-broadcaster.tv');
  t.equal(normal.status, 'NOERROR', 'an unreported name resolves');
  t.match(normal.answer, /192\.0\.2\.80/);

  t.notOk((await axfr()).includes('red-for-agency'), 'a RED indicator for an agency is never in the intermediary\'s zone');
  t.equal((await dig('red-for-agency.tv')).status, 'NOERROR', 'so it resolves for the ISP\'s users');

  // A new indicator: committed, the zone changes, NOTIFY, BIND transfers (IXFR) and blocks.
  t.equal((await dig('fresh-pirate.tv')).status, 'NOERROR', 'before the report');
  const [fresh] = await push([{ type: 'domain', value: 'fresh-pirate.tv', tlp: 'CLEAR', pap: 'CLEAR' }]);
  await until('the new indicator to be blocked', async () => (await dig('fresh-pirate.tv')).status === 'NXDOMAIN');
  t.pass('blocked after NOTIFY');
  t.match(bind.log(), /notify from 127\.0\.0\.1/i, 'BIND acted on our NOTIFY');
  t.match(bind.log(), /Transfer status: success/, 'and transferred');

  await app.inject({ method: 'DELETE', url: `/v1/indicators/${fresh!.id}`, headers: partner.auth });
  await until('the withdrawn indicator to resolve again', async () => (await dig('fresh-pirate.tv')).status === 'NOERROR');
  t.pass('resolves normally again after the withdrawal');
  const transfers = logs.filter((l) => l.includes('dns: zone transfer')).map((l) => JSON.parse(l) as { kind: string; zone: string });
  t.ok(transfers.some((x) => x.kind === 'IXFR' && x.zone === zone), 'by incremental transfer (IXFR) after the first full one');
  t.notOk((await axfr()).includes('red-for-agency'), 'still no RED value for the agency in the zone');

  // named-checkzone accepts what the service produces: the transferred zone and every file variant.
  const check = async (name: string, file: string, text: string) => {
    writeFileSync(join(dir, file), text);
    const result = await run('named-checkzone', ['-i', 'local', name, join(dir, file)]).then((r) => ({ ok: true, out: r.stdout }), (e) => ({ ok: false, out: `${e.stdout}${e.stderr}` }));
    t.ok(result.ok, `named-checkzone accepts ${file}`, { diagnostic: !result.ok, output: result.out });
  };
  await check(zone, 'axfr.db', await axfr());
  const isp = { authorization: `Bearer ${json(await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: created.client_id, client_secret: created.client_secret } })).access_token}` };
  for (const query of ['', '&type=domain', '&type=ipv4', '&type=ipv6', '&policy=nodata', '&origin=blocklist.example.net']) {
    const res = await app.inject({ method: 'GET', url: `/v1/blocklist?format=rpz${query}`, headers: isp });
    t.equal(res.statusCode, 200);
    await check(/origin=([^&]+)/.exec(query)?.[1] ?? config.rpz.origin, `file${query.replace(/[^a-z0-9]+/gi, '-')}.db`, res.body);
  }
});
