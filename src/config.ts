/**
 * Configuration from the environment, validated once at start.
 * A wrong value throws a ConfigError naming the variable; server.ts prints it and exits.
 */
import { isDnsName } from './domain/rpz.js';

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export interface Config {
  host: string;
  port: number;
  /** postgres:// URL; undefined → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * postgres:// URL of a read replica (a hot standby of DATABASE_URL); undefined → every read goes
   * to the primary. Feed pages, blocklists, lookups and indicator lists/reads are read from it;
   * every write, and every read inside a write, goes to the primary.
   */
  databaseReadUrl: string | undefined;
  /** Where PGlite keeps its files when no DATABASE_URL is set. */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Access-token lifetime in seconds. */
  tokenTtlSeconds: number;
  /** Optional PEM-encoded private signing keys (ES256 / EdDSA), first one signs; generated and kept in the database when absent. */
  signingKeys: string[];
  bootstrapClientId: string | undefined;
  bootstrapClientSecret: string | undefined;
  /** Requests per client (or per IP when unauthenticated) per window. */
  rateLimitMax: number;
  rateLimitWindowMs: number;
  /** Token requests per IP per window (slows secret guessing). */
  tokenRateLimitMax: number;
  /** Requests of any kind per IP per window, counted before any token is verified. */
  ipRateLimitMax: number;
  /** Bearer secret that may read /metrics on the main port besides an admin token. */
  metricsToken: string | undefined;
  /** Port of a separate listener serving /metrics without authentication; undefined → none. */
  metricsPort: number | undefined;
  /** Address that listener binds to. */
  metricsHost: string;
  /** How long a client's revocation may take to reach every node (cache lifetime), seconds; at most 30. */
  revocationCacheSeconds: number;
  /** Interval of the expiry/activation sweeper, seconds. */
  sweepIntervalSeconds: number;
  /**
   * A request's deadline, seconds: past it the answer is 503 (e.g. while the database cannot be
   * reached) and a batch still waiting to commit is rolled back. Responses streaming by then are cut.
   */
  handlerTimeoutSeconds: number;
  /**
   * Which proxies in front of the service to believe about the client's address (X-Forwarded-For),
   * for per-IP limits and logs: false (none), a number of hops, or addresses/CIDRs.
   */
  trustProxy: boolean | number | string[];
  /** DNS primary for the resolver zones (src/modules/dns/): its port, or undefined → not served. */
  dnsPort: number | undefined;
  dnsHost: string;
  /** How often the zones look for new changes in the feed, milliseconds. */
  dnsRefreshMs: number;
  /** How often each zone is compared in full with what its client may receive, seconds. */
  dnsReconcileSeconds: number;
  /** Response Policy Zones: origin (each client's zone is `<label>.<origin>`), apex names, TTL, notice page. */
  rpz: RpzConfig;
  /** Keys (32 bytes each) that seal TSIG secrets at rest; the first seals, all unseal. Empty → one kept in the database. */
  tsigSealKeys: Buffer[];
  /** The live feed (GET /v1/feed/stream): heartbeats, the bound on a subscriber's unsent bytes, how many streams. */
  stream: StreamConfig;
  /** Feed pages (GET /v1/feed, saved feeds): how many are built at once per node, and the shared page cache. */
  feedPages: FeedPagesConfig;
  /** Keep the link graph's derived links at ingest (src/modules/analysis/links.ts); false only to measure or bulk-load without them. */
  linkDerivation: boolean;
  /** Days after expiry or withdrawal before an indicator's content is purged (src/modules/audit/retention.ts). */
  retentionDays: number;
  /** The chain's head is logged at every entry whose number is a multiple of this. */
  auditHeadEvery: number;
  /** False only for benchmarks (AUDIT_OFF_FOR_BENCHMARKS): nothing is audited. */
  auditEnabled: boolean;
}

export interface StreamConfig {
  /** Interval of heartbeat comments, ms; also how often token expiry and client revocation are checked (≤ 30 s). */
  heartbeatMs: number;
  /** Unsent bytes a subscriber may hold: above it nothing more is read for it, and above it at two heartbeats in a row it is dropped. */
  bufferBytes: number;
  /** Open streams per client (429 beyond) and per node (503 beyond). */
  maxPerClient: number;
  maxPerNode: number;
}

export interface FeedPagesConfig {
  /** Pages built at once per node (FEED_PAGE_CONCURRENCY); more wait their turn instead of all slowing down together. */
  concurrency: number;
  /** Bytes of finished pages kept for other clients of the same organisation (FEED_CACHE_BYTES; 0: no cache). */
  cacheBytes: number;
  /** How long a cached page may be served, ms (FEED_CACHE_TTL_MS). */
  cacheTtlMs: number;
}

export interface RpzConfig {
  origin: string;
  nameServer: string;
  hostmaster: string;
  ttl: number;
  /** The walled-garden policy's CNAME target (a notice page's host name); undefined → that policy is not offered. */
  noticeHost: string | undefined;
}

type Env = Record<string, string | undefined>;

/** A DNS name in its normal form: lower case, no trailing dot. */
function dnsName(env: Env, name: string, fallback: string | undefined): string | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = raw.toLowerCase().replace(/\.$/, '');
  if (!isDnsName(value)) throw new ConfigError(name, `must be a DNS name (labels of letters, digits and hyphens separated by dots), got "${raw}"`);
  return value;
}

function sealKeys(env: Env): Buffer[] {
  const raw = env.TSIG_SEAL_KEY?.trim();
  if (raw === undefined || raw === '') return [];
  return raw.split(',').map((part) => {
    const key = Buffer.from(part.trim(), 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/_-]+=*$/.test(part.trim())) {
      throw new ConfigError('TSIG_SEAL_KEY', 'must be one or more comma-separated base64 keys of 32 bytes (openssl rand -base64 32)');
    }
    return key;
  });
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function trustProxy(env: Env): boolean | number | string[] {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.every((e) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(e))) return entries;
  throw new ConfigError('TRUST_PROXY', `must be true, false, a number of hops or a comma-separated list of addresses/CIDRs, got "${raw}"`);
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function databaseUrl(env: Env, name: 'DATABASE_URL' | 'DATABASE_READ_URL' = 'DATABASE_URL'): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(name, 'must start with postgres:// or postgresql://');
  }
  return raw;
}

function signingKeys(env: Env): string[] {
  const raw = env.SIGNING_KEYS;
  if (raw === undefined || raw.trim() === '') return [];
  // Several PEM blocks may be concatenated (rotation: the first signs, all verify).
  const blocks = raw.replace(/\\n/g, '\n').match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/g);
  if (!blocks) throw new ConfigError('SIGNING_KEYS', 'must hold one or more PKCS#8 PEM private keys');
  return blocks;
}

export function loadConfig(env: Env = process.env): Config {
  const bootstrapClientId = env.BOOTSTRAP_CLIENT_ID || undefined;
  const bootstrapClientSecret = env.BOOTSTRAP_CLIENT_SECRET || undefined;
  if ((bootstrapClientId === undefined) !== (bootstrapClientSecret === undefined)) {
    throw new ConfigError(
      bootstrapClientId ? 'BOOTSTRAP_CLIENT_SECRET' : 'BOOTSTRAP_CLIENT_ID',
      'must be set together with its pair',
    );
  }
  if (bootstrapClientSecret !== undefined && bootstrapClientSecret.length < 24) {
    throw new ConfigError('BOOTSTRAP_CLIENT_SECRET', 'must be at least 24 characters');
  }
  if (bootstrapClientId !== undefined && !/^[A-Za-z0-9._-]{3,64}$/.test(bootstrapClientId)) {
    throw new ConfigError('BOOTSTRAP_CLIENT_ID', 'must be 3-64 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
  }
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{24,256}$/.test(metricsToken)) {
    throw new ConfigError('METRICS_TOKEN', 'must be 24-256 printable characters without spaces');
  }
  const rateLimitMax = integer(env, 'RATE_LIMIT_MAX', 600, 1, 1_000_000);
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const metricsPort = env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0, 1, 65535) : undefined;
  if (metricsPort === port) throw new ConfigError('METRICS_PORT', `must differ from PORT (${port})`);
  // 0 asks for any free port (tests); unset, there is no DNS listener at all.
  const dnsPort = env.DNS_PORT ? integer(env, 'DNS_PORT', 0, 0, 65535) : undefined;
  const origin = dnsName(env, 'RPZ_ORIGIN', 'rpz.isop.invalid')!;
  const primaryUrl = databaseUrl(env);
  const readUrl = databaseUrl(env, 'DATABASE_READ_URL');
  if (readUrl !== undefined && primaryUrl === undefined) throw new ConfigError('DATABASE_READ_URL', 'needs DATABASE_URL (a replica of the embedded database does not exist)');
  return {
    host: env.HOST || '0.0.0.0',
    port,
    databaseUrl: primaryUrl,
    databaseReadUrl: readUrl,
    dataDir: env.DATA_DIR || './data/db',
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 900, 60, 86_400),
    signingKeys: signingKeys(env),
    bootstrapClientId,
    bootstrapClientSecret,
    rateLimitMax,
    rateLimitWindowMs: integer(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1_000, 3_600_000),
    tokenRateLimitMax: integer(env, 'TOKEN_RATE_LIMIT_MAX', 60, 1, 1_000_000),
    // Generous: one address may carry many clients (a NAT, a proxy); the point is to bound
    // unauthenticated work, which the per-client limit never sees.
    ipRateLimitMax: integer(env, 'IP_RATE_LIMIT_MAX', 10 * rateLimitMax, 1, 10_000_000),
    metricsToken,
    metricsPort,
    metricsHost: env.METRICS_HOST || '127.0.0.1',
    revocationCacheSeconds: integer(env, 'REVOCATION_CACHE_SECONDS', 10, 0, 30),
    sweepIntervalSeconds: integer(env, 'SWEEP_INTERVAL_SECONDS', 30, 1, 60),
    handlerTimeoutSeconds: integer(env, 'HANDLER_TIMEOUT_SECONDS', 60, 1, 600),
    trustProxy: trustProxy(env),
    dnsPort,
    dnsHost: env.DNS_HOST || '0.0.0.0',
    dnsRefreshMs: integer(env, 'DNS_REFRESH_MS', 500, 50, 60_000),
    dnsReconcileSeconds: integer(env, 'DNS_RECONCILE_SECONDS', 300, 10, 86_400),
    rpz: {
      origin,
      nameServer: dnsName(env, 'RPZ_NAMESERVER', 'localhost')!,
      hostmaster: dnsName(env, 'RPZ_HOSTMASTER', `hostmaster.${origin}`)!,
      ttl: integer(env, 'RPZ_TTL', 60, 1, 86_400),
      noticeHost: dnsName(env, 'RPZ_NOTICE_HOST', undefined),
    },
    tsigSealKeys: sealKeys(env),
    stream: {
      heartbeatMs: integer(env, 'STREAM_HEARTBEAT_MS', 15_000, 50, 30_000),
      bufferBytes: integer(env, 'STREAM_BUFFER_BYTES', 1024 * 1024, 1, 64 * 1024 * 1024),
      maxPerClient: integer(env, 'STREAM_MAX_PER_CLIENT', 10, 1, 10_000),
      maxPerNode: integer(env, 'STREAM_MAX_PER_NODE', 2_000, 1, 100_000),
    },
    feedPages: {
      concurrency: integer(env, 'FEED_PAGE_CONCURRENCY', 4, 1, 1_000),
      cacheBytes: integer(env, 'FEED_CACHE_BYTES', 64 * 1024 * 1024, 0, 4 * 1024 * 1024 * 1024),
      cacheTtlMs: integer(env, 'FEED_CACHE_TTL_MS', 5_000, 1, 600_000),
    },
    linkDerivation: oneOf(env, 'LINK_DERIVATION', ['true', 'false'] as const, 'true') === 'true',
    retentionDays: integer(env, 'RETENTION_DAYS', 90, 1, 36_500),
    auditHeadEvery: integer(env, 'AUDIT_HEAD_EVERY', 10_000, 1, 1_000_000_000),
    auditEnabled: !flag(env, 'AUDIT_OFF_FOR_BENCHMARKS'),
  };
}
