/**
 * One database handle for two drivers: postgres.js against a real PostgreSQL when
 * DATABASE_URL is set, embedded PGlite otherwise. Everything above this file sees the same
 * drizzle `Database` type and the same `rows()` helper.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { projectRoot } from '../paths.js';
import * as schema from './schema.js';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query surface as the database. */
export type Executor = Pick<Database, 'execute' | 'select' | 'insert' | 'update' | 'delete'>;

export interface DatabaseHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** postgres.js client, for streaming (cursors) and COPY; undefined on PGlite. */
  pg?: import('postgres').Sql;
  /**
   * LISTEN on `channel` (postgres.js: on one dedicated connection per process, re-established
   * after a loss). `onListen` runs each time listening (re)starts: notifications sent while it was
   * down are lost, so the caller catches up then. Resolves to the unlisten function.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListen: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export const migrationsFolder = fileURLToPath(new URL('migrations', projectRoot));

/** Rows of a raw query, whatever the driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function rows<T = Record<string, unknown>>(db: Executor, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Planner settings for the rest of one transaction, as one statement (`set_config` with is_local,
 * so it works through any driver and prepared statements). For queries whose plan must not
 * depend on the planner's guess at the sharing rule's selectivity, which it cannot estimate
 * (src/modules/feeds/query.ts, src/modules/analysis/graph.ts).
 */
export function plannerSettings(settings: Record<string, 'on' | 'off'>): SQL {
  return sql.raw(`select ${Object.entries(settings).map(([name, value]) => `set_config('${name}', '${value}', true)`).join(', ')}`);
}

/** `query` in a read-only transaction of its own under `settings` (plannerSettings); call it outside a transaction. */
export async function readPlanned<T>(db: Database, settings: SQL, query: SQL): Promise<T[]> {
  return db.transaction(async (tx) => {
    await tx.execute(settings);
    return rows<T>(tx, query);
  }, { accessMode: 'read only' });
}

/**
 * The postgres.js handle of a drizzle transaction `tx` (for COPY, src/db/copy.ts: the statements
 * after it must run on the same connection); undefined on PGlite and outside a transaction.
 */
export function transactionClient(tx: Executor): import('postgres').Sql | undefined {
  const client = (tx as unknown as { session?: { client?: unknown } }).session?.client as
    | (import('postgres').Sql & { savepoint?: unknown }) | undefined;
  // A postgres.js transaction handle (sql.begin's) is a function with `savepoint`; the pool's has none.
  return typeof client === 'function' && typeof client.savepoint === 'function' && typeof client.unsafe === 'function' ? client : undefined;
}

export interface OpenOptions {
  /** postgres:// URL; undefined → PGlite. */
  url?: string;
  /** PGlite data directory; undefined → in memory (tests). */
  dataDir?: string;
  /** postgres.js pool size. */
  max?: number;
  /** Called with the SQL text of every statement drizzle sends (tests count statements; never log parameters). */
  logQuery?: (query: string) => void;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  const logger = options.logQuery ? { logger: { logQuery: (query: string) => options.logQuery!(query) } } : {};
  if (options.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const pg = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connection: { TimeZone: 'UTC', application_name: 'isop-exchange' },
    });
    const db = drizzle(pg, { schema, ...logger }) as unknown as Database;
    const listen = async (channel: string, onNotify: (payload: string) => void, onListen: () => void) => {
      const { unlisten } = await pg.listen(channel, onNotify, onListen);
      return async () => { await unlisten(); };
    };
    return { db, driver: 'postgres', pg, listen, close: once(() => pg.end({ timeout: 5 })) };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { uuid_ossp } = await import('@electric-sql/pglite/contrib/uuid_ossp');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // uuid-ossp: STIX ids are UUIDv5s the database derives too (migrations/0004_stix_ids.sql).
  const extensions = { uuid_ossp };
  const client = options.dataDir ? new PGlite(options.dataDir, { extensions }) : new PGlite({ extensions });
  await client.exec(`SET TIME ZONE 'UTC'`);
  const db = drizzle(client, { schema, ...logger }) as unknown as Database;
  const listen = async (channel: string, onNotify: (payload: string) => void, onListen: () => void) => {
    const unlisten = await client.listen(channel, onNotify);
    onListen();
    return async () => { if (!client.closed) await unlisten(); };
  };
  return { db, driver: 'pglite', listen, close: once(() => client.close()) };
}

/** Closing twice (the app and a test teardown both own the handle) is harmless. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/**
 * Whether the database lacks a migration of `migrations/` (drizzle records each by its journal time).
 * Asked first so that a role without DDL rights — the service's production role (README) — starts
 * on a database its owner has migrated.
 */
async function migrationsPending(db: Database): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const newest = Math.max(...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
  const [table] = await rows<{ present: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`);
  if (!table?.present) return true;
  const [applied] = await rows<{ at: string | null }>(db, sql`select max(created_at)::text as at from drizzle.__drizzle_migrations`);
  return applied?.at == null || Number(applied.at) < newest;
}

/**
 * Apply pending migrations. On PostgreSQL an advisory lock keeps several nodes starting at
 * once from racing each other.
 */
export async function migrate(handle: DatabaseHandle): Promise<void> {
  if (!(await migrationsPending(handle.db))) return;
  if (handle.driver === 'postgres' && handle.pg) {
    const { migrate: run } = await import('drizzle-orm/postgres-js/migrator');
    const reserved = await handle.pg.reserve();
    try {
      await reserved`select pg_advisory_lock(7362001)`;
      await run(handle.db as never, { migrationsFolder });
    } finally {
      await reserved`select pg_advisory_unlock(7362001)`;
      reserved.release();
    }
    return;
  }
  const { migrate: run } = await import('drizzle-orm/pglite/migrator');
  await run(handle.db as never, { migrationsFolder });
}

export async function ping(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
