/**
 * Direct PostgreSQL access for the harness (never used to shortcut what is measured through the
 * API): creating and dropping the bench database, the raw COPY baselines, bulk loading.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';

export type Sql = postgres.Sql;

export function adminUrl(base: string): string {
  const url = new URL(base);
  url.pathname = '/postgres';
  return url.toString();
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function recreateDatabase(base: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  const admin = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(base: string, name: string): Promise<void> {
  const admin = postgres(adminUrl(base), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

export function connect(url: string, max = 4): Sql {
  return postgres(url, { max, onnotice: () => {}, connection: { TimeZone: 'UTC', application_name: 'isop-bench' } });
}

/** COPY text format: one field. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A PostgreSQL array literal of strings. */
export function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

export async function serverInfo(sql: Sql) {
  const [row] = await sql<Array<{ version: string; shared_buffers: string; work_mem: string; sync: string; max_wal: string; effective_cache: string }>>`
    select version() as version, current_setting('shared_buffers') as shared_buffers, current_setting('work_mem') as work_mem,
      current_setting('synchronous_commit') as sync, current_setting('max_wal_size') as max_wal,
      current_setting('effective_cache_size') as effective_cache`;
  return row!;
}

export async function tableSizes(sql: Sql) {
  return sql<Array<{ table: string; rows: string; total_mb: number }>>`
    select c.relname as table, c.reltuples::bigint::text as rows, round(pg_total_relation_size(c.oid) / 1048576.0)::int as total_mb
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relname in ('indicators', 'indicator_changes')`;
}

/**
 * COPY … TO STDOUT on a connection of its own, closed afterwards (streaming COPY on a shared
 * postgres.js pool occasionally never started). Calls `onChunk` for every chunk.
 */
export async function copyOut(url: string, query: string, onChunk: (chunk: Buffer) => void): Promise<void> {
  const own = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const readable = await own.unsafe(`copy (${query}) to stdout`).readable();
    for await (const chunk of readable as AsyncIterable<Buffer>) onChunk(chunk);
  } finally {
    await own.end({ timeout: 5 });
  }
}

/** COPY … FROM STDIN of prepared chunks, each table on a connection of its own, in one transaction per call. */
export async function copyIn(url: string, statements: Array<{ copy: string; chunks: Buffer[] | string[] }>): Promise<void> {
  const own = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await own.begin(async (tx) => {
      for (const s of statements) {
        const writable = await tx.unsafe(s.copy).writable();
        await pipeline(Readable.from(s.chunks), writable);
      }
    });
  } finally {
    await own.end({ timeout: 5 });
  }
}
