import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

t.test('defaults need no environment at all', async (t) => {
  const config = loadConfig({});
  t.match(config, { port: 3000, host: '0.0.0.0', databaseUrl: undefined, dataDir: './data/db', logLevel: 'info', tokenTtlSeconds: 900, signingKeys: [] });
  t.ok(config.revocationCacheSeconds <= 30, 'revocation reaches every node within 30 s');
  t.equal(config.linkDerivation, true, 'the link graph is kept at ingest unless turned off');
  t.equal(loadConfig({ LINK_DERIVATION: 'false' }).linkDerivation, false);
});

t.test('a wrong value names its variable', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a valid URL/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ TOKEN_TTL_SECONDS: '5' }, /TOKEN_TTL_SECONDS must be between/],
    [{ REVOCATION_CACHE_SECONDS: '31' }, /REVOCATION_CACHE_SECONDS must be between 0 and 30/],
    [{ BOOTSTRAP_CLIENT_ID: 'admin' }, /BOOTSTRAP_CLIENT_SECRET must be set together/],
    [{ BOOTSTRAP_CLIENT_ID: 'admin', BOOTSTRAP_CLIENT_SECRET: 'short' }, /BOOTSTRAP_CLIENT_SECRET must be at least 24/],
    [{ SIGNING_KEYS: 'not a pem' }, /SIGNING_KEYS must hold/],
    [{ IP_RATE_LIMIT_MAX: '0' }, /IP_RATE_LIMIT_MAX must be between/],
    [{ METRICS_TOKEN: 'short' }, /METRICS_TOKEN must be 24-256 printable characters/],
    [{ METRICS_TOKEN: 'has a space in it 0123456789' }, /METRICS_TOKEN must be 24-256/],
    [{ METRICS_PORT: '0' }, /METRICS_PORT must be between 1 and 65535/],
    [{ METRICS_PORT: '3000' }, /METRICS_PORT must differ from PORT/],
    [{ LINK_DERIVATION: 'no' }, /LINK_DERIVATION must be one of true, false/],
  ];
  for (const [env, message] of cases) {
    t.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    try { loadConfig(env); } catch (err) { t.match((err as Error).message, message); }
  }
});

t.test('metrics and the per-address limit', async (t) => {
  t.match(loadConfig({}), { metricsToken: undefined, metricsPort: undefined, metricsHost: '127.0.0.1', ipRateLimitMax: 6000 });
  t.equal(loadConfig({ RATE_LIMIT_MAX: '50' }).ipRateLimitMax, 500, 'ten times the per-client limit unless set');
  t.match(loadConfig({ IP_RATE_LIMIT_MAX: '20', METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5', METRICS_TOKEN: 'm'.repeat(24) }),
    { ipRateLimitMax: 20, metricsPort: 9464, metricsHost: '10.0.0.5', metricsToken: 'm'.repeat(24) });
});

t.test('values are parsed', async (t) => {
  const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgresql://u@h/db', LOG_LEVEL: 'debug', BOOTSTRAP_CLIENT_ID: 'admin', BOOTSTRAP_CLIENT_SECRET: 'x'.repeat(24) });
  t.match(config, { port: 8080, databaseUrl: 'postgresql://u@h/db', logLevel: 'debug', bootstrapClientId: 'admin' });
});

t.test('TRUST_PROXY: false by default, true, hops or addresses', async (t) => {
  t.equal(loadConfig({}).trustProxy, false);
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }).trustProxy, ['10.0.0.0/8', '192.168.1.1']);
  t.throws(() => loadConfig({ TRUST_PROXY: 'everyone' }), /TRUST_PROXY/);
});

t.test('the DNS primary is off unless DNS_PORT is set; RPZ names and TSIG seal keys', async (t) => {
  t.match(loadConfig({}), {
    dnsPort: undefined, dnsHost: '0.0.0.0', dnsRefreshMs: 500, dnsReconcileSeconds: 300, tsigSealKeys: [],
    rpz: { origin: 'rpz.isop.invalid', nameServer: 'localhost', hostmaster: 'hostmaster.rpz.isop.invalid', ttl: 60, noticeHost: undefined },
  });
  const key = Buffer.alloc(32, 3).toString('base64');
  t.match(loadConfig({
    DNS_PORT: '5353', DNS_HOST: '127.0.0.1', RPZ_ORIGIN: 'RPZ.Example.NET.', RPZ_NAMESERVER: 'ns1.example.net', RPZ_HOSTMASTER: 'dns.example.net',
    RPZ_TTL: '30', RPZ_NOTICE_HOST: 'blocked.example.net', TSIG_SEAL_KEY: `${key},${key}`,
  }), { dnsPort: 5353, dnsHost: '127.0.0.1', rpz: { origin: 'rpz.example.net', nameServer: 'ns1.example.net', hostmaster: 'dns.example.net', ttl: 30, noticeHost: 'blocked.example.net' } });
  t.equal(loadConfig({ TSIG_SEAL_KEY: key }).tsigSealKeys[0]!.length, 32);
  t.equal(loadConfig({ DNS_PORT: '0' }).dnsPort, 0, 'any free port');
  for (const [env, message] of [
    [{ DNS_PORT: '70000' }, /DNS_PORT must be between 0 and 65535/],
    [{ RPZ_ORIGIN: 'not a name' }, /RPZ_ORIGIN must be a DNS name/],
    [{ RPZ_NOTICE_HOST: 'a..b' }, /RPZ_NOTICE_HOST must be a DNS name/],
    [{ TSIG_SEAL_KEY: 'c2hvcnQ=' }, /TSIG_SEAL_KEY must be one or more comma-separated base64 keys of 32 bytes/],
    [{ DNS_REFRESH_MS: '10' }, /DNS_REFRESH_MS must be between 50/],
  ] as Array<[Record<string, string>, RegExp]>) {
    t.throws(() => loadConfig(env), message, JSON.stringify(env));
  }
});

t.test('the live stream: heartbeats within the revocation bound, a byte bound, stream limits', async (t) => {
  t.same(loadConfig({}).stream, { heartbeatMs: 15_000, bufferBytes: 1024 * 1024, maxPerClient: 10, maxPerNode: 2_000 });
  t.same(loadConfig({ STREAM_HEARTBEAT_MS: '100', STREAM_BUFFER_BYTES: '4096', STREAM_MAX_PER_CLIENT: '2', STREAM_MAX_PER_NODE: '50' }).stream,
    { heartbeatMs: 100, bufferBytes: 4096, maxPerClient: 2, maxPerNode: 50 });
  t.throws(() => loadConfig({ STREAM_HEARTBEAT_MS: '31000' }), /STREAM_HEARTBEAT_MS must be between 50 and 30000/, 'a revoked client\'s stream ends within 30 s');
  t.throws(() => loadConfig({ STREAM_MAX_PER_CLIENT: '0' }), /STREAM_MAX_PER_CLIENT/);
});

t.test('retention and the audit: RETENTION_DAYS, AUDIT_HEAD_EVERY, AUDIT_OFF_FOR_BENCHMARKS', async (t) => {
  t.match(loadConfig({}), { retentionDays: 90, auditHeadEvery: 10_000, auditEnabled: true });
  t.match(loadConfig({ RETENTION_DAYS: '30', AUDIT_HEAD_EVERY: '500', AUDIT_OFF_FOR_BENCHMARKS: 'true' }), { retentionDays: 30, auditHeadEvery: 500, auditEnabled: false });
  t.equal(loadConfig({ AUDIT_OFF_FOR_BENCHMARKS: 'false' }).auditEnabled, true);
  t.throws(() => loadConfig({ RETENTION_DAYS: '0' }), /RETENTION_DAYS must be between 1/);
  t.throws(() => loadConfig({ AUDIT_HEAD_EVERY: '0' }), /AUDIT_HEAD_EVERY/);
  t.throws(() => loadConfig({ AUDIT_OFF_FOR_BENCHMARKS: 'yes' }), /AUDIT_OFF_FOR_BENCHMARKS must be true or false/);
});

t.test('DATABASE_READ_URL: a postgres URL, only with DATABASE_URL', async (t) => {
  t.equal(loadConfig({}).databaseReadUrl, undefined);
  t.equal(loadConfig({ DATABASE_URL: 'postgres://u@primary/db', DATABASE_READ_URL: 'postgres://u@replica/db' }).databaseReadUrl, 'postgres://u@replica/db');
  t.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@primary/db', DATABASE_READ_URL: 'mysql://u@replica/db' }), /DATABASE_READ_URL must start with postgres/);
  t.throws(() => loadConfig({ DATABASE_URL: 'postgres://u@primary/db', DATABASE_READ_URL: 'not a url' }), /DATABASE_READ_URL is not a valid URL/);
  t.throws(() => loadConfig({ DATABASE_READ_URL: 'postgres://u@replica/db' }), /DATABASE_READ_URL needs DATABASE_URL/);
});
