/** Small SQL building blocks shared by the modules. */
import { sql, type SQL, type AnyColumn } from 'drizzle-orm';

/** A timestamptz rendered as RFC 3339 UTC with milliseconds, by the database. */
export const iso = (column: AnyColumn | SQL) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A timestamp string as drivers return it ("2026-01-02 03:04:05.678+00") → RFC 3339 UTC. */
export function toRfc3339(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  const normal = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  return new Date(normal).toISOString();
}

/**
 * A PostgreSQL array literal as one parameter (`{a,b}`), cast by the caller (`::text[]`,
 * `::uuid[]`). One parameter whatever the length, where drizzle would expand a JS array.
 */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}
