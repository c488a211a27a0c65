/** Small SQL building blocks shared by the modules. */
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
