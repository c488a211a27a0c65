/**
 * Tools for fault tests on a real PostgreSQL: a connection of the test's own, bounded polling
 * for a condition, a TCP proxy that can cut the app off from its database, free ports.
 * Nothing here waits for a duration to pass: every wait is for a condition, with a bound on
 * how many times it is checked, and fails with a message naming the condition.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import postgres from 'postgres';
import { loggerOptions } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { startRuntime } from '../../src/runtime.js';
import { BOOTSTRAP_ID, BOOTSTRAP_SECRET, isolatedDatabase } from './app.js';

type Tap = { teardown(fn: () => unknown): void };

/** Why a fault test cannot run here, or undefined when it can. */
export const needsPostgres = process.env.DATABASE_URL
  ? undefined
  : 'needs a real PostgreSQL: set DATABASE_URL (PGlite is one connection and cannot be cut or locked from outside)';

/** Connections of the test's own to `url`, with a name that tells them from the app's. */
export function testConnection(t: Tap, url: string) {
  const sql = postgres(url, { max: 2, onnotice: () => {}, connection: { application_name: 'isop-fault-test' } });
  t.teardown(() => sql.end({ timeout: 5 }));
  return sql;
}

export interface HeldLock {
  /** The backend holding the lock. */
  pid: number;
  /** Ends the transaction, releasing the lock. */
  release(): Promise<void>;
}

/** Takes `lockStatement` in a transaction of its own and keeps it until `release()`. */
export async function holdLock(sql: postgres.Sql, lockStatement: string): Promise<HeldLock> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => { release = resolve; });
  let done!: Promise<unknown>;
  const pid = await new Promise<number>((resolve, reject) => {
    done = sql.begin(async (tx) => {
      const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      await tx.unsafe(lockStatement);
      resolve(row!.pid);
      await released;
    }).catch(reject);
  });
  return { pid, release: async () => { release(); await done; } };
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 25));

/**
 * Checks `condition` until it returns a value other than undefined/false, at most `attempts`
 * times with a short pause between checks; throws naming `what` when it never holds.
 */
export async function waitFor<T>(what: string, condition: () => Promise<T | undefined | false> | T | undefined | false, attempts = 800): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    await tick();
  }
  throw new Error(`gave up waiting (${attempts} checks) for: ${what}`);
}

/** The backend pids of the app (application_name isop-exchange) that `blocker` holds up. */
export async function appBackendsBlockedBy(sql: postgres.Sql, blocker: number): Promise<number[]> {
  const found = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity
    where application_name = 'isop-exchange' and datname = current_database() and ${blocker}::int = any(pg_blocking_pids(pid))`;
  return found.map((r) => r.pid);
}

export interface TcpProxy {
  port: number;
  /**
   * Drops every open connection, then either refuses new ones (`refuse`: nothing listens, as
   * when PostgreSQL is down) or accepts and drops them at once (`drop`: as a load balancer or
   * pooler in front of a dead database does).
   */
  cut(mode?: 'refuse' | 'drop'): Promise<void>;
  /** Lets new connections through again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A loopback TCP proxy to `target`, so a test can take the database away from the app and give it back. */
export async function tcpProxy(t: Tap, target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let passing = true;
  const server = net.createServer((client) => {
    if (!passing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', end).on('close', end);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject).listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const proxy: TcpProxy = {
    port,
    async cut(mode = 'refuse') {
      passing = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (mode === 'refuse') await stopListening();
    },
    async restore() {
      passing = true;
      if (!server.listening) await listen(port);
    },
    async close() {
      passing = false;
      for (const s of sockets) s.destroy();
      await stopListening();
    },
  };
  t.teardown(() => proxy.close());
  return proxy;
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The app on a fresh database of its own, reaching PostgreSQL through `route(url)` (e.g. a
 * proxy's address); the database is created and dropped directly.
 */
export async function appThrough(t: Tap, route: (url: URL) => URL, env: Record<string, string> = {}) {
  const { url } = await isolatedDatabase(t);
  const config = loadConfig({
    LOG_LEVEL: 'warn', BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID, BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET,
    RATE_LIMIT_MAX: '100000', TOKEN_RATE_LIMIT_MAX: '100000', ...env,
  });
  const database = await openDatabase({ url: route(new URL(url!)).toString(), max: 4 });
  const logs: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const { app } = await startRuntime(config, { database, logger: loggerOptions(config.logLevel, stream) });
  await app.ready();
  t.teardown(() => app.close());
  return { app, database, logs, directUrl: url! };
}
