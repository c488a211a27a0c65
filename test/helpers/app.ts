/**
 * Test set-up: a fresh, isolated database per test file (a new PostgreSQL database when
 * DATABASE_URL is set, an in-memory PGlite otherwise), the real runtime on top, and helpers
 * to create organisations, clients and tokens through the public API.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type DatabaseHandle, type OpenOptions } from '../../src/db/client.js';
import { startRuntime } from '../../src/runtime.js';
import { loggerOptions } from '../../src/app.js';

export const BOOTSTRAP_ID = 'test-bootstrap';
export const BOOTSTRAP_SECRET = 'test-bootstrap-secret-0123456789';

type Tap = { teardown(fn: () => unknown): void };

/** A database of its own for one test file; dropped at teardown. */
export async function isolatedDatabase(t: Tap, options: Pick<OpenOptions, 'logQuery'> = {}): Promise<{ handle: DatabaseHandle; url?: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const handle = await openDatabase(options);
    t.teardown(() => handle.close());
    return { handle };
  }
  const name = `isop_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), max: 10, ...options });
  t.teardown(async () => {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { handle, url: url.toString() };
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  database: DatabaseHandle;
  url?: string;
  /** Everything the app logged, for checks that no secret leaks. */
  logs: string[];
}

export async function createTestApp(t: Tap, env: Record<string, string> = {}, options: Pick<OpenOptions, 'logQuery'> = {}): Promise<TestApp> {
  const { handle, url } = await isolatedDatabase(t, options);
  const config = loadConfig({
    LOG_LEVEL: 'info',
    BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID,
    BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    RATE_LIMIT_MAX: '100000',
    TOKEN_RATE_LIMIT_MAX: '100000',
    ...env,
  });
  const logs: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const { app } = await startRuntime(config, {
    database: handle,
    logger: loggerOptions(config.logLevel, stream),
  });
  await app.ready();
  t.teardown(() => app.close());
  return { app, config, database: handle, logs, ...(url ? { url } : {}) };
}

export function json<T = any>(res: LightMyRequestResponse): T {
  return JSON.parse(res.body) as T;
}

export async function tokenFor(app: FastifyInstance, clientId: string, clientSecret: string, scope?: string): Promise<string> {
  const res = await app.inject({
    method: 'POST', url: '/v1/auth/token',
    payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, ...(scope ? { scope } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return json(res).access_token;
}

export const adminToken = (app: FastifyInstance) => tokenFor(app, BOOTSTRAP_ID, BOOTSTRAP_SECRET);

export interface Member {
  orgId: string;
  clientId: string;
  secret: string;
  token: string;
  kind: string;
  country: string;
  /** Shorthand for authenticated requests. */
  auth: { authorization: string };
}

let counter = 0;
/** Create an organisation and one client through the admin API, and a token for it. */
export async function createMember(app: FastifyInstance, admin: string, kind: string, country: string, extra: { name?: string; sectors?: string[]; scopes?: string[] } = {}): Promise<Member> {
  const name = extra.name ?? `${kind}-${country}-${++counter}-${randomBytes(3).toString('hex')}`;
  const org = await app.inject({
    method: 'POST', url: '/v1/orgs', headers: { authorization: `Bearer ${admin}` },
    payload: { name, kind, country, ...(extra.sectors ? { sectors: extra.sectors } : {}) },
  });
  if (org.statusCode !== 201) throw new Error(`org create failed: ${org.body}`);
  const orgId = json(org).id as string;
  const client = await app.inject({
    method: 'POST', url: `/v1/orgs/${orgId}/clients`, headers: { authorization: `Bearer ${admin}` },
    payload: { name: 'primary', ...(extra.scopes ? { scopes: extra.scopes } : {}) },
  });
  if (client.statusCode !== 201) throw new Error(`client create failed: ${client.body}`);
  const { client_id: clientId, client_secret: secret } = json(client);
  const token = await tokenFor(app, clientId, secret);
  return { orgId, clientId, secret, token, kind, country, auth: { authorization: `Bearer ${token}` } };
}

/** Pushes a batch as `who`; every item must be stored. Returns the per-item results. */
export async function pushItems(app: FastifyInstance, who: Pick<Member, 'auth'>, items: Record<string, unknown>[]): Promise<Array<{ id: string; value: string }>> {
  const res = await app.inject({ method: 'POST', url: '/v1/indicators', headers: who.auth, payload: { items } });
  const body = json(res);
  if (res.statusCode !== 200 || body.summary.rejected) throw new Error(`push failed: ${res.body}`);
  return body.results;
}

/**
 * Follows next_cursor on a feed (`/v1/feed` or a saved feed's items) until it has nothing more;
 * returns every entry and the final cursor. `query` is appended as is (`&tlp=CLEAR`).
 */
export async function drainFeed(app: FastifyInstance, consumer: Pick<Member, 'auth'>, options: { cursor?: string | undefined; path?: string; query?: string } = {}) {
  const entries: any[] = [];
  let cursor = options.cursor;
  for (let i = 0; i < 100; i++) {
    const res = await app.inject({
      method: 'GET', headers: consumer.auth,
      url: `${options.path ?? '/v1/feed'}?limit=50${options.query ?? ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    });
    if (res.statusCode !== 200) throw new Error(`feed failed: ${res.body}`);
    const page = json(res);
    entries.push(...page.items);
    cursor = page.next_cursor;
    if (!page.has_more) return { entries, cursor: cursor! };
  }
  throw new Error('feed did not end');
}
