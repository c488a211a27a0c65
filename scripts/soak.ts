/**
 * Soak: several minutes of concurrent traffic on loopback, then a check of every promise the
 * service makes about changes.
 *
 *   npm run soak -- --seconds 180 [--seed 12345] [--expiry off] [--keep-database]
 *
 * Needs DATABASE_URL (a PostgreSQL user that may create databases); creates a database of its
 * own and drops it at the end. The app runs in this process (src/runtime.ts startRuntime +
 * listen on 127.0.0.1, the sweeper every second) and is driven over HTTP only by workers:
 * partners pushing mixed batches (every TLP, RED to orgs and to groups, exclusions, anonymous,
 * short validity, future valid_from, Idempotency-Keys with concurrent repeats), PATCHes (TLP and
 * audience changes, some with If-Match), withdrawals, an admin changing sharing-group members,
 * and consumers (agencies and intermediaries, some with filters, one saved feed, one NDJSON)
 * following their feeds with next_cursor.
 *
 * Checked (any failure → exit status 1, with a diff):
 * - no 5xx and no unexpected status, ever;
 * - the change log: no duplicated change, no version without its change, every acknowledged
 *   PATCH and withdrawal logged, no two PATCHes acknowledged with the same version, and the
 *   final state of PATCHed indicators holds the last acknowledged value of each field;
 * - a repeated Idempotency-Key answers the same;
 * - after the writers stop, a final sweep and a full drain: each consumer's reconstruction
 *   from its feed (items applied, tombstones removing) equals exactly what the sharing rule
 *   (receivableBy over the current state, plus the consumer's filters) says it may hold now.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { sql, type SQL } from 'drizzle-orm';
import { loadConfig } from '../src/config.js';
import { rows, type Database } from '../src/db/client.js';
import { pgArray } from '../src/db/sql.js';
import { currentState, receivableBy, type CallerIdentity } from '../src/domain/visibility.js';
import { startSweeper, sweep } from '../src/modules/feeds/sweeper.js';
import { startRuntime } from '../src/runtime.js';

// ---------------------------------------------------------------- options, randomness, figures

const { values: args } = parseArgs({ options: {
  seconds: { type: 'string', default: '180' }, seed: { type: 'string' }, 'keep-database': { type: 'boolean', default: false },
  expiry: { type: 'string', default: 'on' },
} });
/** `--expiry off`: no short valid_until and no future valid_from, to tell time-driven faults from others. */
const TIME_EDGES = args.expiry !== 'off';
const SECONDS = Number(args.seconds);
const SEED = args.seed !== undefined ? Number(args.seed) : randomBytes(4).readUInt32LE();
if (!Number.isFinite(SECONDS) || SECONDS < 5 || SECONDS > 3600) fail('--seconds must be between 5 and 3600');
if (!Number.isSafeInteger(SEED)) fail('--seed must be an integer');
if (!process.env.DATABASE_URL) fail('DATABASE_URL is required (a PostgreSQL user that may create databases): the soak runs on real PostgreSQL only');

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n`);
  process.exit(2);
}

/** mulberry32: small, seedable, good enough to pick traffic. */
let state = SEED >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const chance = (p: number) => random() < p;
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const someOf = <T>(xs: readonly T[], min = 1, max = xs.length): T[] => {
  const shuffled = [...xs].sort(() => random() - 0.5);
  return shuffled.slice(0, between(min, Math.min(max, xs.length)));
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Problems found, by kind; the first few of each kind are printed as they happen and again at the end. */
const failures = new Map<string, string[]>();
const SHOWN_PER_KIND = 5;
function problem(kind: string, detail: string) {
  const list = failures.get(kind) ?? [];
  failures.set(kind, [...list, detail]);
  if (list.length < SHOWN_PER_KIND) process.stderr.write(`  ! ${kind}: ${detail.slice(0, 400)}\n`);
}
const failureCount = () => [...failures.values()].reduce((n, l) => n + l.length, 0);

interface KindFigures { count: number; statuses: Map<number, number>; latencies: number[] }
const figures = new Map<string, KindFigures>();
function record(kind: string, status: number, ms: number) {
  let f = figures.get(kind);
  if (!f) figures.set(kind, f = { count: 0, statuses: new Map(), latencies: [] });
  f.count++;
  f.statuses.set(status, (f.statuses.get(status) ?? 0) + 1);
  f.latencies.push(ms);
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

// ---------------------------------------------------------------- the service, on a database of its own

const baseUrl = new URL(process.env.DATABASE_URL!);
const dbName = `isop_soak_${randomBytes(5).toString('hex')}`;
const adminSql = postgres(baseUrl.toString(), { max: 1, onnotice: () => {} });
await adminSql.unsafe(`create database ${dbName}`);
const dbUrl = new URL(baseUrl);
dbUrl.pathname = `/${dbName}`;
let dropped = false;
async function dropDatabase(keep = false) {
  if (dropped) return;
  dropped = true;
  if (keep) process.stdout.write(`database kept for inspection: ${dbUrl}\n`);
  else await adminSql.unsafe(`drop database if exists ${dbName} with (force)`).catch(() => {});
  await adminSql.end({ timeout: 5 });
}
process.once('SIGINT', () => { void dropDatabase().then(() => process.exit(130)); });

const BOOTSTRAP = { id: 'soak-admin', secret: randomBytes(24).toString('base64url') };
const config = loadConfig({
  DATABASE_URL: dbUrl.toString(), LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0',
  BOOTSTRAP_CLIENT_ID: BOOTSTRAP.id, BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.secret,
  RATE_LIMIT_MAX: '1000000', TOKEN_RATE_LIMIT_MAX: '1000000', TOKEN_TTL_SECONDS: '86400',
});
const { app, database } = await startRuntime(config);
const db: Database = database.db;
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
let stopSweeper = startSweeper(db, 1000, app.log);

// ---------------------------------------------------------------- HTTP

interface Answer { status: number; headers: HeaderMap; text: string; json: any }
type HeaderMap = Record<string, string>;

/** One request; its latency and status are counted under `kind`; 5xx are failures. */
async function call(kind: string, method: string, path: string, options: { token?: string; body?: unknown; headers?: HeaderMap } = {}): Promise<Answer> {
  const started = performance.now();
  let status = 0, text = '', headers: HeaderMap = {};
  try {
    const res = await fetch(origin + path, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    status = res.status;
    text = await res.text();
    headers = Object.fromEntries(res.headers.entries());
  } catch (err) {
    problem('transport', `${method} ${path}: ${(err as Error).message}`);
  }
  record(kind, status, performance.now() - started);
  if (status >= 500) problem('5xx', `${method} ${path} → ${status} ${text.slice(0, 300)}`);
  let json: any;
  try { json = text && headers['content-type']?.includes('json') ? JSON.parse(text) : undefined; } catch { json = undefined; }
  return { status, headers, text, json };
}

function expectStatus(kind: string, res: Answer, allowed: number[], what: string) {
  if (res.status < 500 && !allowed.includes(res.status)) problem(`unexpected ${kind} status`, `${what} → ${res.status} ${res.text.slice(0, 300)}`);
}

async function token(id: string, secret: string): Promise<string> {
  const res = await call('setup', 'POST', '/v1/auth/token', { body: { grant_type: 'client_credentials', client_id: id, client_secret: secret } });
  if (res.status !== 200) throw new Error(`token for ${id}: ${res.status} ${res.text}`);
  return res.json.access_token;
}

// ---------------------------------------------------------------- the cast

interface Org { id: string; name: string; kind: 'partner' | 'agency' | 'intermediary'; country: string; token: string }
const adminToken = await token(BOOTSTRAP.id, BOOTSTRAP.secret);

async function createOrg(name: string, kind: Org['kind'], country: string, sectors?: string[]): Promise<Org> {
  const org = await call('setup', 'POST', '/v1/orgs', { token: adminToken, body: { name, kind, country, ...(sectors ? { sectors } : {}) } });
  if (org.status !== 201) throw new Error(`org ${name}: ${org.text}`);
  const client = await call('setup', 'POST', `/v1/orgs/${org.json.id}/clients`, { token: adminToken, body: { name: 'soak' } });
  if (client.status !== 201) throw new Error(`client for ${name}: ${client.text}`);
  return { id: org.json.id, name, kind, country, token: await token(client.json.client_id, client.json.client_secret) };
}

const partners = [
  await createOrg('Soak Sports Rights', 'partner', 'GB', ['live_sports', 'film_tv']),
  await createOrg('Soak Music Society', 'partner', 'FR', ['music']),
  await createOrg('Soak Software Alliance', 'partner', 'US', ['software', 'games']),
];
const agencies = [
  await createOrg('Soak Agency FR', 'agency', 'FR'), await createOrg('Soak Agency DE', 'agency', 'DE'),
  await createOrg('Soak Agency IT', 'agency', 'IT'), await createOrg('Soak Agency ES', 'agency', 'ES'),
];
const intermediaries = [await createOrg('Soak ISP NL', 'intermediary', 'NL'), await createOrg('Soak Registrar FR', 'intermediary', 'FR')];
const recipients = [...agencies, ...intermediaries];

// Partners are members of every group (a source may only name groups it belongs to); the
// recipients in each group change all through the run.
const groups: string[] = [];
const groupMembers = (recipientsInGroup: Org[]) => [...partners, ...recipientsInGroup].map((m) => m.id);
for (const [name, members] of [['soak-g1', [agencies[0]!, agencies[1]!]], ['soak-g2', [agencies[2]!, intermediaries[0]!]], ['soak-g3', [agencies[3]!]]] as const) {
  const res = await call('setup', 'POST', '/v1/sharing-groups', { token: adminToken, body: { name, members: groupMembers([...members]) } });
  if (res.status !== 201) throw new Error(`group ${name}: ${res.text}`);
  groups.push(res.json.id);
}

interface Filters { types?: string[]; sectors?: string[]; tlp?: string[]; min_confidence?: number; include_shared?: boolean }
interface Consumer {
  name: string; org: Org; filters: Filters; format: 'json' | 'ndjson'; savedFeed?: string;
  cursor?: string; held: Map<string, number>; entries: number; tombstones: number;
  /** What the feed said about each indicator, in order (`active v3`, `revoked v4`…), for the diff. */
  history: Map<string, string[]>;
}
const consumer = (name: string, org: Org, filters: Filters = {}, format: Consumer['format'] = 'json'): Consumer =>
  ({ name, org, filters, format, held: new Map(), entries: 0, tombstones: 0, history: new Map() });
const consumers: Consumer[] = [
  consumer('agency FR, everything', agencies[0]!),
  consumer('agency FR, tlp=CLEAR', agencies[0]!, { tlp: ['CLEAR'] }),
  consumer('agency DE, everything (ndjson)', agencies[1]!, {}, 'ndjson'),
  consumer('agency DE, types=domain', agencies[1]!, { types: ['domain'] }),
  consumer('agency IT, min_confidence=60', agencies[2]!, { min_confidence: 60 }),
  consumer('agency ES, sectors=music', agencies[3]!, { sectors: ['music'] }),
  consumer('ISP NL, everything', intermediaries[0]!),
  consumer('ISP NL, include_shared=false', intermediaries[0]!, { include_shared: false }),
  consumer('registrar FR, tlp=CLEAR,GREEN', intermediaries[1]!, { tlp: ['CLEAR', 'GREEN'] }),
];
{
  const saved = consumer('agency IT, saved feed (domain,url; AMBER+)', agencies[2]!, { types: ['domain', 'url'], tlp: ['AMBER', 'AMBER+STRICT', 'RED'] });
  const res = await call('setup', 'POST', '/v1/feeds', { token: saved.org.token, body: { name: 'soak saved', filters: saved.filters } });
  if (res.status !== 201) throw new Error(`saved feed: ${res.text}`);
  saved.savedFeed = res.json.id;
  consumers.push(saved);
}

// ---------------------------------------------------------------- what partners send

const run = randomBytes(3).toString('hex');
const SECTORS_OF = new Map(partners.map((p, i) => [p.id, [['live_sports', 'film_tv'], ['music'], ['software', 'games']][i]!]));
/** Each partner reports from a fixed pool of observables, so resubmissions update and withdrawn ones come back. */
function observable(partnerIndex: number, n: number): { type: string; value: string } {
  switch (n % 3) {
    case 0: return { type: 'domain', value: `p${partnerIndex}-${n}.soak-${run}.tv` };
    case 1: return { type: 'url', value: `https://p${partnerIndex}-${n}.soak-${run}.tv/live/${n}` };
    default: return { type: 'ipv4', value: `45.${77 + partnerIndex}.${Math.floor(n / 250)}.${(n % 250) + 1}` };
  }
}
const POOL = 360;
/** The latest time edge (valid_until / valid_from) any write asked for, so the end waits past it. */
let lastTimeEdge = Date.now();

/** Handling for one item: every TLP, RED only to orgs or groups, exclusions, anonymity, odd validity. */
function handling(source: Org, writing: boolean): Record<string, unknown> {
  const tlp = pick(['CLEAR', 'CLEAR', 'GREEN', 'GREEN', 'AMBER', 'AMBER', 'AMBER+STRICT', 'RED', 'RED']);
  const out: Record<string, unknown> = { tlp, pap: pick(['CLEAR', 'GREEN', 'GREEN', 'AMBER', 'RED']) };
  if (tlp === 'RED') {
    out.audience = chance(0.5) ? { orgs: someOf(recipients, 1, 2).map((o) => o.id) } : { groups: someOf(groups, 1, 2) };
  } else if (chance(0.35)) {
    out.audience = pick([
      { kinds: someOf(['agency', 'intermediary', 'partner'] as const, 1, 2) },
      { kinds: ['agency'], countries: someOf(['FR', 'DE', 'IT', 'ES'], 1, 3) },
      { orgs: someOf(recipients, 1, 3).map((o) => o.id) },
      { groups: someOf(groups, 1, 2) },
      { countries: someOf(['FR', 'NL', 'DE'], 1, 2) },
    ]);
  }
  if (chance(0.15)) out.exclude = pick([{ countries: ['DE'] }, { orgs: [pick(recipients).id] }, { countries: ['FR', 'NL'] }]);
  if (writing) {
    out.confidence = between(0, 100);
    out.sector = pick(SECTORS_OF.get(source.id)!);
    if (chance(0.15)) out.attribution = 'anonymous';
    if (!TIME_EDGES) return out;
    if (chance(0.08)) {
      const until = Date.now() + between(3_000, 15_000);
      out.valid_until = new Date(until).toISOString();
      lastTimeEdge = Math.max(lastTimeEdge, until);
    } else if (chance(0.05)) {
      const from = Date.now() + between(2_000, 8_000);
      out.valid_from = new Date(from).toISOString();
      lastTimeEdge = Math.max(lastTimeEdge, from);
    }
  }
  return out;
}

/** Ids of each partner's indicators from its pool (pushes learn them; withdrawals use them). */
const pooled = new Map(partners.map((p) => [p.id, new Map<string, string>()]));

// Patch targets: indicators only PATCHes (and rare withdrawals) ever change, so their final state is predictable.
interface Ack { version: number; fields: Record<string, unknown> }
interface Target { id: string; owner: Org; acks: Ack[]; seenVersion: number }
const targets: Target[] = [];
for (const [pi, partner] of partners.entries()) {
  const items = Array.from({ length: 12 }, (_, n) => ({ type: 'domain', value: `target-${pi}-${n}.soak-${run}.tv`, tlp: 'AMBER', description: 'initial', confidence: 50 }));
  const res = await call('setup', 'POST', '/v1/indicators', { token: partner.token, body: { items } });
  if (res.status !== 200 || res.json.summary.created !== items.length) throw new Error(`targets: ${res.text}`);
  for (const r of res.json.results) targets.push({ id: r.id, owner: partner, acks: [], seenVersion: 1 });
}
const withdrawAcks: Array<{ id: string; version: number }> = [];

// ---------------------------------------------------------------- workers

const deadline = Date.now() + SECONDS * 1000;
const running = () => Date.now() < deadline;
let idempotencyChecks = 0;

async function pushWorker(partnerIndex: number) {
  const partner = partners[partnerIndex]!;
  const ids = pooled.get(partner.id)!;
  while (running()) {
    const n = between(1, 40);
    const picked = new Set<number>();
    while (picked.size < n) picked.add(between(0, POOL - 1));
    const defaults = chance(0.5) ? { sector: pick(SECTORS_OF.get(partner.id)!), categories: ['streaming_site'] } : undefined;
    const items = [...picked].map((k) => ({ ...observable(partnerIndex, k), ...handling(partner, true), description: `batch ${run}` }));
    const body = { ...(defaults ? { defaults } : {}), items };
    const keyed = chance(0.3);
    const headers = keyed ? { 'idempotency-key': `soak-${run}-${partnerIndex}-${randomBytes(6).toString('hex')}` } : undefined;
    const twice = keyed && chance(0.25);
    const answers = await Promise.all((twice ? [0, 1] : [0]).map(() => call('push', 'POST', '/v1/indicators', { token: partner.token, body, ...(headers ? { headers } : {}) })));
    for (const res of answers) expectStatus('push', res, [200], `batch of ${items.length}`);
    if (twice) {
      idempotencyChecks++;
      const [a, b] = answers.map((r) => JSON.stringify(r.json));
      if (a !== b) problem('idempotency', `the same key and body sent twice at once answered differently:\n    ${a?.slice(0, 300)}\n    ${b?.slice(0, 300)}`);
    }
    const first = answers[0]!;
    if (first.status === 200) {
      for (const r of first.json.results as Array<{ index: number; status: string; id?: string }>) {
        if (r.status === 'rejected') problem('push rejected', `item ${JSON.stringify(items[r.index])}: ${JSON.stringify(r)}`);
        else if (r.id) ids.set(items[r.index]!.value, r.id);
      }
    }
    await pause(between(50, 400));
  }
}

async function patchWorker() {
  while (running()) {
    // Half the PATCHes go to three hot indicators, so concurrent PATCHes of one indicator are common.
    const target = chance(0.5) ? pick(targets.slice(0, 3)) : pick(targets);
    // Every PATCH sets a description of its own, so each acknowledged one is a new version and
    // the last acknowledged description must be the stored one.
    const fields: Record<string, unknown> = { description: `patched ${randomBytes(4).toString('hex')}` };
    const what = between(0, 3);
    if (what === 0) {
      const h = handling(target.owner, false);
      fields.tlp = h.tlp;
      // An audience always travels with its TLP: RED needs orgs or groups, and may not keep kinds.
      fields.audience = h.audience ?? { kinds: ['agency', 'intermediary'] };
    } else if (what === 1) {
      fields.confidence = between(0, 100);
    } else if (what === 2) {
      fields.exclude = pick([{ countries: ['ES'] }, { orgs: [pick(recipients).id] }, { countries: [] }]);
    }
    const ifMatch = chance(0.3) ? target.seenVersion : undefined;
    const res = await call('patch', 'PATCH', `/v1/indicators/${target.id}`, {
      token: target.owner.token, body: fields, ...(ifMatch !== undefined ? { headers: { 'if-match': `"${ifMatch}"` } } : {}),
    });
    expectStatus('patch', res, [200, 409, 412], `PATCH ${JSON.stringify(fields)}`);
    if (res.status === 200) {
      const version = res.json.version as number;
      target.acks.push({ version, fields });
      target.seenVersion = Math.max(target.seenVersion, version);
      if (ifMatch !== undefined && version !== ifMatch + 1) {
        problem('If-Match ignored', `PATCH with If-Match "${ifMatch}" answered 200 with version ${version}`);
      }
    } else if (res.status === 412) {
      const current = /^"(\d+)"$/.exec(res.headers.etag ?? '');
      if (current) target.seenVersion = Number(current[1]);
    }
    await pause(between(10, 120));
  }
}

async function withdrawWorker() {
  while (running()) {
    const partner = pick(partners);
    const ids = [...pooled.get(partner.id)!.values()];
    // Now and then a patch target (never a hot one), so PATCHes meet withdrawn indicators too (409).
    const targetWithdrawal = chance(0.02) ? targets.slice(3).find((t) => t.owner === partner && !withdrawAcks.some((w) => w.id === t.id)) : undefined;
    const id = targetWithdrawal?.id ?? (ids.length ? pick(ids) : undefined);
    if (id) {
      const res = await call('withdraw', 'DELETE', `/v1/indicators/${id}`, { token: partner.token, body: { reason: 'soak' } });
      expectStatus('withdraw', res, [200], `withdraw ${id}`);
      if (res.status === 200 && res.json.status === 'withdrawn') withdrawAcks.push({ id, version: res.json.version });
    }
    await pause(between(100, 500));
  }
}

async function groupWorker() {
  while (running()) {
    const group = pick(groups);
    const res = await call('group', 'PATCH', `/v1/sharing-groups/${group}`, { token: adminToken, body: { members: groupMembers(someOf(recipients, 0, 3)) } });
    expectStatus('group', res, [200], `members of ${group}`);
    await pause(between(800, 2500));
  }
}

function feedQuery(c: Consumer, limit: number): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (c.cursor) q.set('cursor', c.cursor);
  if (!c.savedFeed) {
    if (c.filters.types) q.set('types', c.filters.types.join(','));
    if (c.filters.sectors) q.set('sectors', c.filters.sectors.join(','));
    if (c.filters.tlp) q.set('tlp', c.filters.tlp.join(','));
    if (c.filters.min_confidence !== undefined) q.set('min_confidence', String(c.filters.min_confidence));
    if (c.filters.include_shared !== undefined) q.set('include_shared', String(c.filters.include_shared));
  }
  if (c.format === 'ndjson') q.set('format', 'ndjson');
  return `${c.savedFeed ? `/v1/feeds/${c.savedFeed}/items` : '/v1/feed'}?${q}`;
}

/** One page of a consumer's feed applied to what it holds; true when the feed has more now. */
async function pullPage(c: Consumer, limit: number): Promise<boolean> {
  const res = await call('feed', 'GET', feedQuery(c, limit), { token: c.org.token });
  expectStatus('feed', res, [200], `${c.name} page`);
  if (res.status !== 200) return false;
  let entries: Array<{ id: string; version: number; status: string }>;
  let next: string, more: boolean;
  if (c.format === 'ndjson') {
    entries = res.text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    next = res.headers['x-next-cursor']!;
    more = res.headers['x-has-more'] === 'true';
  } else {
    entries = res.json.items;
    next = res.json.next_cursor;
    more = res.json.has_more;
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.id)) problem('feed', `${c.name}: indicator ${e.id} twice in one page`);
    seen.add(e.id);
    c.entries++;
    const told = c.history.get(e.id) ?? [];
    told.push(`${e.status} v${e.version}`);
    c.history.set(e.id, told);
    if (e.status === 'active') c.held.set(e.id, e.version);
    else { c.tombstones++; c.held.delete(e.id); }
  }
  if (!next) problem('feed', `${c.name}: a page without a next cursor`);
  else c.cursor = next;
  return more;
}

async function consumerWorker(c: Consumer) {
  while (running()) {
    const more = await pullPage(c, pick([25, 100, 500, 1000]));
    if (!more) await pause(between(100, 600));
  }
}

// ---------------------------------------------------------------- run

const started = Date.now();
process.stdout.write(`soak: ${SECONDS} s on ${origin}, database ${dbName}, seed ${SEED}\n`);
const progress = setInterval(() => {
  const total = [...figures.values()].reduce((n, f) => n + f.count, 0);
  process.stdout.write(`  ${Math.round((Date.now() - started) / 1000)} s: ${total} requests, ${failureCount()} problems\n`);
}, 15_000);
await Promise.all([
  ...partners.map((_, i) => pushWorker(i)),
  patchWorker(), patchWorker(), patchWorker(), withdrawWorker(), groupWorker(),
  ...consumers.map((c) => consumerWorker(c)),
]);
clearInterval(progress);

// The end: every time edge passed, the sweeper stopped, a final sweep (expiry, activation,
// anonymous publication), then every feed drained to its end.
stopSweeper();
stopSweeper = () => {};
const wait = lastTimeEdge + 1500 - Date.now();
if (wait > 0) {
  process.stdout.write(`  waiting ${Math.ceil(wait / 1000)} s for the last valid_until / valid_from to pass\n`);
  await pause(wait);
}
for (let i = 0; i < 5; i++) {
  const swept = await sweep(db) as Record<string, number>;
  if (Object.values(swept).every((n) => n === 0)) break;
}
// A feed serves a change once every transaction older than it has ended, cluster-wide (see
// src/domain/cursor.ts): wait until that horizon has passed the last change, or the drain stops short.
for (let waited = 0; ; waited++) {
  const [h] = await rows<{ passed: boolean }>(db, sql`
    select pg_snapshot_xmin(pg_current_snapshot()) > coalesce((select max(xid) from indicator_changes), '0'::xid8) as passed`);
  if (h?.passed) break;
  if (waited === 0) process.stdout.write('  waiting for older transactions (in any database of this server) to end, so the feed horizon passes the last change\n');
  if (waited >= 600) { problem('feed', 'the feed horizon did not pass the last change within 60 s (a long transaction elsewhere on the server?)'); break; }
  await pause(100);
}
for (const c of consumers) {
  let pages = 0;
  while (await pullPage(c, 10_000)) if (++pages > 1000) { problem('feed', `${c.name}: did not reach its end`); break; }
}

// ---------------------------------------------------------------- checks against the database

/** The consumer's filters as SQL over the indicator row `i` (contract §4). */
function filterSql(f: Filters): SQL[] {
  const where: SQL[] = [];
  if (f.types) where.push(sql`i.type = any(${pgArray(f.types)}::text[])`);
  if (f.sectors) where.push(sql`i.sector = any(${pgArray(f.sectors)}::text[])`);
  if (f.tlp) where.push(sql`i.tlp = any(${pgArray(f.tlp)}::text[])`);
  if (f.min_confidence !== undefined) where.push(sql`i.confidence >= ${f.min_confidence}`);
  if (f.include_shared === false) where.push(sql`cardinality(i.shared_infrastructure) = 0`);
  return where;
}

async function identity(org: Org): Promise<CallerIdentity> {
  const member = await rows<{ group_id: string }>(db, sql`select group_id::text from sharing_group_members where org_id = ${org.id}::uuid`);
  return { orgId: org.id, orgKind: org.kind, country: org.country, groups: member.map((m) => m.group_id) };
}

interface Row { id: string; version: number; type: string; value: string; tlp: string; status: string; audience_tokens: string[]; exclude_tokens: string[]; pap: string; matches: boolean; receivable: boolean }
const describe = (r: Row | undefined, id: string) => r
  ? `${id} ${r.type} ${r.value} v${r.version} ${r.status} tlp=${r.tlp} pap=${r.pap} audience=${named(r.audience_tokens)} exclude=${named(r.exclude_tokens)}`
  : `${id} (no such indicator)`;

/** Short names for the cast's ids, so a diff reads `o:agency-FR g:soak-g2`, not UUIDs. */
const names = new Map<string, string>([
  ...[...partners, ...recipients].map((o) => [o.id, `${o.kind}-${o.country}`] as [string, string]),
  ...groups.map((g, i) => [g, `soak-g${i + 1}`] as [string, string]),
]);
const named = (tokens: readonly string[] | null) => (tokens ?? []).map((t) => t.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, (id) => names.get(id) ?? id)).join(' ');

/** The change log of one indicator, for a diff: version, kind, whom a row concerns, who could receive the previous state. */
async function changeLog(id: string): Promise<string> {
  const logged = await rows<{ version: number; kind: string; prev_audience_tokens: string[] | null; prev_deliverable: boolean; prev_tlp: string | null; only_orgs: string[] | null }>(db, sql`
    select version, kind, prev_audience_tokens, prev_deliverable, prev_tlp, only_orgs::text[] from indicator_changes where indicator_id = ${id}::uuid order by xid, pos`);
  return logged.map((l) => `v${l.version} ${l.kind}${l.only_orgs ? ` for ${named(l.only_orgs.map((o) => `o:${o}`))}` : ''}` +
    (l.prev_audience_tokens ? ` (before: ${l.prev_deliverable ? '' : 'not deliverable, '}${l.prev_tlp ? `${l.prev_tlp} ` : ''}${named(l.prev_audience_tokens)})` : '')).join('; ');
}
const DIFF_LINES = 6;

let consumersExact = 0;
for (const c of consumers) {
  const caller = await identity(c.org);
  const filters = filterSql(c.filters);
  const matches = filters.length ? sql.join(filters, sql` and `) : sql`true`;
  const ids = [...c.held.keys()];
  const relevant = await rows<Row>(db, sql`
    select i.id, i.version, i.type, i.value, i.tlp, i.status, i.audience_tokens, i.exclude_tokens, i.pap,
      (${matches}) as matches, ${receivableBy(caller, currentState('i'))} as receivable
    from indicators i
    where ${receivableBy(caller, currentState('i'))} or i.id = any(${pgArray(ids)}::uuid[])`);
  const byId = new Map(relevant.map((r) => [r.id, r]));
  const expected = relevant.filter((r) => r.receivable && r.matches);
  const missing = expected.filter((r) => !c.held.has(r.id));
  const leaked = ids.filter((id) => !byId.get(id)?.receivable);
  const unfiltered = ids.filter((id) => byId.get(id)?.receivable && !byId.get(id)!.matches);
  const stale = ids.filter((id) => byId.get(id)?.receivable && byId.get(id)!.matches && byId.get(id)!.version !== c.held.get(id));
  if (!missing.length && !leaked.length && !unfiltered.length && !stale.length) {
    consumersExact++;
    continue;
  }
  const explain = async (what: string, id: string) => [
    `    ${what}: ${describe(byId.get(id), id)}`,
    `      its feed said: ${(c.history.get(id) ?? ['nothing']).join(', ')}`,
    `      change log: ${await changeLog(id)}`,
  ].join('\n');
  const lines = [`${c.name} (${c.org.kind}-${c.org.country}, in ${caller.groups.length ? named(caller.groups) : 'no group'}): holds ${ids.length}, the rule allows ${expected.length}`];
  for (const r of missing.slice(0, DIFF_LINES)) lines.push(await explain('missing (a change never delivered)', r.id));
  for (const id of leaked.slice(0, DIFF_LINES)) lines.push(await explain('held but not receivable (a tombstone never delivered)', id));
  for (const id of unfiltered.slice(0, DIFF_LINES)) lines.push(await explain('held but outside its filters', id));
  for (const id of stale.slice(0, DIFF_LINES)) lines.push(await explain(`held at v${c.held.get(id)}, stale`, id));
  problem('reconstruction', `${lines.join('\n')}\n    (${missing.length} missing, ${leaked.length} not receivable, ${unfiltered.length} outside filters, ${stale.length} stale)`);
}

// The change log: one row per change, no version without its change.
const duplicated = await rows<{ indicator_id: string; version: number; kind: string; n: number }>(db, sql`
  select indicator_id::text, version, kind, count(*)::int as n from indicator_changes
  where kind <> 'membership' group by 1, 2, 3 having count(*) > 1 limit 10`);
for (const d of duplicated) problem('duplicated change', `${d.indicator_id} v${d.version} ${d.kind} logged ${d.n} times`);
const gaps = await rows<{ id: string; version: number; logged: number[] }>(db, sql`
  select i.id::text, i.version, array(select distinct c.version from indicator_changes c where c.indicator_id = i.id order by 1) as logged
  from indicators i
  where (select count(distinct c.version) from indicator_changes c where c.indicator_id = i.id and c.version between 1 and i.version) <> i.version
  limit 10`);
for (const g of gaps) problem('lost change', `${g.id} is at v${g.version} but the log holds versions ${g.logged.join(',')}`);
const [pending] = await rows<{ waiting: number }>(db, sql`select count(*)::int as waiting from pending_changes`);
if (pending?.waiting) problem('lost change', `${pending.waiting} changes still wait in pending_changes after the final sweep`);

const acked = [
  ...targets.flatMap((t) => t.acks.map((a) => ({ id: t.id, version: a.version, kind: 'updated' }))),
  ...withdrawAcks.map((w) => ({ ...w, kind: 'withdrawn' })),
];
const unlogged = await rows<{ id: string; version: number; kind: string }>(db, sql`
  select a.id::text, a.version, a.kind from jsonb_to_recordset(${JSON.stringify(acked)}::jsonb) as a(id uuid, version int, kind text)
  where not exists (select 1 from indicator_changes c where c.indicator_id = a.id and c.version = a.version and c.kind = a.kind)
  limit 10`);
for (const u of unlogged) problem('lost change', `acknowledged ${u.kind} ${u.id} v${u.version} is not in the change log`);

// PATCHes: each acknowledged version once, and the last acknowledged value of each field is what is stored.
const finals = new Map((await rows<{ id: string; tlp: string; description: string | null; confidence: number; audience: unknown; exclude: unknown }>(db, sql`
  select id::text, tlp, description, confidence, audience, exclude from indicators where id = any(${pgArray(targets.map((t) => t.id))}::uuid[])`)).map((r) => [r.id, r]));
let lostPatches = 0;
for (const target of targets) {
  const versions = target.acks.map((a) => a.version);
  const twice = versions.filter((v, i) => versions.indexOf(v) !== i);
  if (twice.length) problem('lost update', `${target.id}: PATCHes acknowledged with the same version ${[...new Set(twice)].join(',')} (one overwrote the other)`);
  const final = finals.get(target.id)!;
  for (const field of ['tlp', 'description', 'confidence'] as const) {
    const last = target.acks.filter((a) => field in a.fields).sort((a, b) => b.version - a.version)[0];
    if (last && last.fields[field] !== final[field]) {
      lostPatches++;
      if (lostPatches <= 10) problem('lost update', `${target.id}: ${field} is ${JSON.stringify(final[field])}, the last acknowledged PATCH (v${last.version}) set ${JSON.stringify(last.fields[field])}`);
    }
  }
}
if (lostPatches > 10) problem('lost update', `${lostPatches} fields in all`);

// ---------------------------------------------------------------- figures

const counts = await rows<{ kind: string; n: number }>(db, sql`select kind, count(*)::int as n from indicator_changes group by kind order by kind`);
const [totals] = await rows<{ indicators: number; active: number }>(db, sql`select count(*)::int as indicators, count(*) filter (where status = 'active')::int as active from indicators`);
const elapsed = (Date.now() - started) / 1000;
const out: string[] = ['', `soak figures (${SECONDS} s of traffic, ${elapsed.toFixed(0)} s in all, seed ${SEED})`, ''];
out.push('| requests | count | statuses | p50 ms | p99 ms | max ms |', '|---|---:|---|---:|---:|---:|');
for (const [kind, f] of [...figures].sort(([a], [b]) => a.localeCompare(b))) {
  const sorted = [...f.latencies].sort((a, b) => a - b);
  const statuses = [...f.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ');
  out.push(`| ${kind} | ${f.count} | ${statuses} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${(sorted[sorted.length - 1] ?? 0).toFixed(1)} |`);
}
out.push('', `indicators: ${totals!.indicators} (${totals!.active} active); change-log rows: ${counts.map((c) => `${c.kind} ${c.n}`).join(', ')}`);
out.push(`PATCHes acknowledged: ${targets.reduce((n, t) => n + t.acks.length, 0)} on ${targets.length} indicators; withdrawals: ${withdrawAcks.length}; concurrent Idempotency-Key repeats: ${idempotencyChecks}`);
out.push(`consumers: ${consumers.map((c) => `${c.name}: ${c.entries} entries (${c.tombstones} tombstones), holds ${c.held.size}`).join('; ')}`);
out.push(`consumers whose reconstruction equals the rule: ${consumersExact} of ${consumers.length}`);
out.push(`max RSS (server and load generator, one process): ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
if (failures.size) {
  out.push('', `FAILED: ${failureCount()} problems`);
  for (const [kind, list] of failures) {
    out.push(`- ${kind} (${list.length}):`);
    const shown = kind === 'reconstruction' ? list : list.slice(0, SHOWN_PER_KIND);
    for (const detail of shown) out.push(`    ${kind === 'reconstruction' || detail.length <= 1500 ? detail : `${detail.slice(0, 1500)}…`}`);
  }
} else {
  out.push('', 'PASSED: no 5xx, no lost or duplicated change, every reconstruction exact');
}
process.stdout.write(out.join('\n') + '\n');

await app.close();
await dropDatabase(args['keep-database']);
process.exit(failures.size ? 1 : 0);
