/**
 * Resolver zones benchmark: `npm run bench:dns -- [--entries=1000000] [--indicators=100] [--changes=1000] [--no-build]`.
 *
 * The compiled service as a separate process with its DNS primary on (PostgreSQL database
 * `isop_bench_dns`), BIND 9 as the secondary (docs/resolver-zones.md's configuration), and:
 * 1. block latency: from an indicator's commit (the API's 200) to BIND answering NXDOMAIN for it,
 *    one indicator at a time, `--indicators` times (p50/p99);
 * 2. a zone of `--entries` domains: how long the service takes to build it, the size and time of
 *    its AXFR (our TSIG-checking client, and BIND as the secondary);
 * 3. an IXFR of `--changes` new indicators (one batch) on that zone: size and time.
 * Writes bench/results/<date>-dns.json and prints the table kept in bench/RESULTS.md.
 * Not in the `npm run bench` registry: it needs its own server (with DNS_PORT) and BIND.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect, databaseUrl, recreateDatabase } from './lib/db.js';
import { Api, pool } from './lib/http.js';
import { buildServer, ROOT, ServerProcess } from './lib/server.js';
import { percentile } from './lib/stats.js';
import { freePort, missingBind, startBind, until, type Bind } from '../test/helpers/bind.js';
import { transfer } from '../test/helpers/dns.js';

const arg = (name: string, fallback: number) => Number(/^--[a-z]+=(\d+)$/.exec(process.argv.find((a) => a.startsWith(`--${name}=`)) ?? '')?.[0].split('=')[1] ?? fallback);
const ENTRIES = arg('entries', 1_000_000);
const INDICATORS = arg('indicators', 100);
const CHANGES = arg('changes', 1_000);
const started = Date.now();
const log = (m: string) => process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${m}\n`);

interface Figure { label: string; value: number; unit: string }
const figures: Figure[] = [];
const figure = (label: string, value: number, unit: string) => { figures.push({ label, value, unit }); log(`${label}: ${value.toLocaleString('en', { maximumFractionDigits: 1 })} ${unit}`); };

/** BIND's own account of its last transfer of `zone`: seconds and bytes. */
function lastTransfer(bind: Bind, zone: string): { seconds: number; bytes: number; records: number } | undefined {
  const all = [...bind.log().matchAll(new RegExp(`transfer of '${zone.replace(/\./g, '\\.')}/IN'.*Transfer completed: \\d+ messages, (\\d+) records, (\\d+) bytes, ([\\d.]+) secs`, 'g'))];
  const m = all[all.length - 1];
  return m ? { records: Number(m[1]), bytes: Number(m[2]), seconds: Number(m[3]) } : undefined;
}

async function main() {
  const missing = await missingBind();
  if (missing.length) throw new Error(`BIND 9 is needed (missing ${missing.join(', ')}): apt-get install bind9 bind9-utils bind9-dnsutils`);
  if (!process.argv.includes('--no-build')) buildServer(log);
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  await recreateDatabase(base, 'isop_bench_dns');
  const url = databaseUrl(base, 'isop_bench_dns');
  const dnsPort = await freePort();
  const secret = 'bench-bootstrap-secret-0123456789abcdef';
  const server = new ServerProcess({
    databaseUrl: url, port: await freePort(), clientId: 'bench-admin', clientSecret: secret,
    env: { DNS_PORT: String(dnsPort), DNS_HOST: '127.0.0.1', RPZ_ORIGIN: 'rpz.bench.test' },
  });
  await server.start();
  const sql = connect(url, 2);
  const binds: Bind[] = [];
  try {
    const api = new Api(server.baseUrl);
    const admin = await api.token('bench-admin', secret);
    const org = (kind: string, name: string) => api.json<{ id: string }>('POST', '/v1/orgs', admin, { name, kind, country: 'IT', ...(kind === 'partner' ? { sectors: ['live_sports'] } : {}) });
    const partnerOrg = await org('partner', 'Bench Rights');
    const partnerClient = await api.json<{ client_id: string; client_secret: string }>('POST', `/v1/orgs/${partnerOrg.id}/clients`, admin, { name: 'ingest' });
    const partner = await api.token(partnerClient.client_id, partnerClient.client_secret);
    const ispOrg = await org('intermediary', 'Bench ISP');
    const resolverClient = async () => {
      const c = await api.json<{ client_id: string; tsig_key: { zone: string; key_name: string; secret: string } }>('POST', `/v1/orgs/${ispOrg.id}/clients`, admin, { name: 'resolver' });
      return { clientId: c.client_id, zone: c.tsig_key.zone, keyName: c.tsig_key.key_name, secret: c.tsig_key.secret, key: { name: c.tsig_key.key_name, secret: Buffer.from(c.tsig_key.secret, 'base64') } };
    };
    const push = (values: string[]) => api.json('POST', '/v1/indicators', partner, { items: values.map((value) => ({ type: 'domain', value, tlp: 'CLEAR', pap: 'CLEAR' })) });
    const zoneView = (clientId: string) => api.json<{ serial: number; entries: number }>('GET', `/v1/clients/${clientId}/dns-zone`, admin);
    const secondary = async (r: Awaited<ReturnType<typeof resolverClient>>) => {
      const port = await freePort();
      await api.json('PATCH', `/v1/clients/${r.clientId}/dns-zone`, admin, { notify: [`127.0.0.1:${port}`] });
      const bind = await startBind({ zone: r.zone, keyName: r.keyName, secret: r.secret, primaryPort: dnsPort, port });
      binds.push(bind);
      return bind;
    };

    // 1. Latency from commit to the block answered by the secondary.
    const small = await resolverClient();
    await push(['bench-seed.tv']);
    const bind = await secondary(small);
    await until('BIND to load the zone', async () => (await bind.rcode('bench-seed.tv').catch(() => '')) === 'NXDOMAIN', 60);
    const latencies: number[] = [];
    for (let i = 0; i < INDICATORS; i++) {
      const name = `bench-latency-${i}.tv`;
      await push([name]);
      const committed = performance.now();
      await until(`${name} blocked`, async () => (await bind.rcode(name)) === 'NXDOMAIN', 60, 5);
      latencies.push(performance.now() - committed);
    }
    figure(`Commit → NXDOMAIN from the BIND secondary, p50 (${INDICATORS} indicators, one at a time)`, percentile(latencies, 50), 'ms');
    figure('Commit → NXDOMAIN from the BIND secondary, p99', percentile(latencies, 99), 'ms');
    figure('Commit → NXDOMAIN from the BIND secondary, max', Math.max(...latencies), 'ms');
    // Its zone stops here: the bulk load below is not refreshed into it.
    await fetch(`${server.baseUrl}/v1/clients/${small.clientId}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });

    // 2. A zone of ENTRIES domains, loaded through the API (batches of 10,000).
    log(`pushing ${ENTRIES.toLocaleString('en')} indicators through the API`);
    const batches = Math.ceil(ENTRIES / 10_000);
    let t0 = performance.now();
    await pool(batches, 2, (b) => push(Array.from({ length: Math.min(10_000, ENTRIES - b * 10_000) }, (_, i) => `bench-${b}-${i}.tv`)));
    log(`ingested in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    t0 = performance.now();
    const big = await resolverClient();
    const built = await until('the big zone to be built', async () => {
      const v = await zoneView(big.clientId);
      return v.entries >= ENTRIES ? v : undefined;
    }, 1800, 500);
    figure(`Building a new client's zone of ${built.entries.toLocaleString('en')} entries (from its creation)`, (performance.now() - t0) / 1000, 's');
    t0 = performance.now();
    const axfr = await transfer(dnsPort, big.zone, big.key, undefined, 1_800_000);
    figure(`AXFR of ${built.entries.toLocaleString('en')} entries (${axfr.records.length.toLocaleString('en')} records, ${axfr.messages.length} messages) to our TSIG-checking client`, (performance.now() - t0) / 1000, 's');
    figure('AXFR size on the wire', axfr.bytes / 1024 / 1024, 'MiB');
    t0 = performance.now();
    const bigBind = await secondary(big);
    await until('BIND to load the big zone', async () => (await bigBind.rcode('bench-0-0.tv').catch(() => '')) === 'NXDOMAIN', 1800, 500);
    figure('BIND secondary: start to first block answered, whole zone', (performance.now() - t0) / 1000, 's');
    const bindAxfr = lastTransfer(bigBind, big.zone);
    if (bindAxfr) figure(`BIND's own AXFR time (${bindAxfr.records.toLocaleString('en')} records, ${(bindAxfr.bytes / 1024 / 1024).toFixed(1)} MiB)`, bindAxfr.seconds, 's');

    // 3. An IXFR of CHANGES new entries on that zone.
    const before = (await zoneView(big.clientId)).serial;
    t0 = performance.now();
    await push(Array.from({ length: CHANGES }, (_, i) => `bench-ixfr-${i}.tv`));
    await until('the zone to change', async () => (await zoneView(big.clientId)).serial !== before, 600, 20);
    figure(`Commit of ${CHANGES.toLocaleString('en')} indicators (one batch) → the service's zone has them (new serial)`, performance.now() - t0, 'ms');
    await until('BIND to block the last of the batch', async () => (await bigBind.rcode(`bench-ixfr-${CHANGES - 1}.tv`)) === 'NXDOMAIN', 600, 20);
    figure(`Commit of ${CHANGES.toLocaleString('en')} indicators (one batch) → all blocked by BIND on the ${built.entries.toLocaleString('en')}-entry zone`, (performance.now() - t0) / 1000, 's');
    const bindIxfr = lastTransfer(bigBind, big.zone);
    if (bindIxfr) figure(`BIND's own IXFR time (${bindIxfr.records.toLocaleString('en')} records, ${(bindIxfr.bytes / 1024).toFixed(0)} KiB)`, bindIxfr.seconds * 1000, 'ms');
    t0 = performance.now();
    const ixfr = await transfer(dnsPort, big.zone, big.key, before);
    figure(`IXFR of ${CHANGES.toLocaleString('en')} changes (${ixfr.records.length.toLocaleString('en')} records) to our TSIG-checking client`, performance.now() - t0, 'ms');
    figure('IXFR size on the wire', ixfr.bytes / 1024, 'KiB');
    const [sizes] = await sql<Array<{ records: string; journal: string }>>`select pg_size_pretty(pg_total_relation_size('dns_zone_records')) as records, pg_size_pretty(pg_total_relation_size('dns_zone_journal')) as journal`;
    log(`tables: dns_zone_records ${sizes!.records}, dns_zone_journal ${sizes!.journal}`);
    const memory = server.memory();
    figure('Server peak memory (VmHWM) over the whole run', memory.vmHwmMb, 'MB');

    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    const file = `${ROOT}bench/results/${new Date().toISOString().slice(0, 10)}-dns.json`;
    writeFileSync(file, JSON.stringify({ startedAt: new Date(started).toISOString(), entries: ENTRIES, indicators: INDICATORS, changes: CHANGES, figures, latenciesMs: latencies, tables: sizes }, null, 2));
    log(`wrote ${file}`);
    process.stdout.write(`\n| figure | value |\n|---|---:|\n${figures.map((f) => `| ${f.label} | ${f.value.toLocaleString('en', { maximumFractionDigits: 1 })} ${f.unit} |`).join('\n')}\n`);
  } finally {
    for (const b of binds) await b.stop();
    await sql.end();
    await server.stop();
  }
}

main().catch((err) => { process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`); process.exit(1); });
