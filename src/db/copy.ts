/**
 * `COPY … FROM STDIN` in PostgreSQL's text format (postgres.js), for bulk writes.
 *
 * The encoder is total over what a column may hold: every string is escaped (backslash, tab,
 * newline, carriage return), arrays are array literals (elements quoted), jsonb is JSON text,
 * timestamps are ISO 8601, and a missing value is `\N`. Text a PostgreSQL text value cannot hold
 * (a NUL, an unpaired UTF-16 surrogate, which would silently become U+FFFD in UTF-8) throws
 * before anything is sent; inside jsonb, JSON.stringify writes them as `\u` escapes, which the
 * jsonb cast refuses. Callers reject such input earlier (src/domain/json.ts unstorableText).
 *
 * Staging tables written by COPY should have only `text` columns and cast in the statement that
 * reads them: COPY into text cannot fail on a value, so an error can only come from a statement
 * with ordinary error reporting (postgres.js does not report a server error that arrives after
 * the end of the COPY data to the writer).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql } from 'postgres';
import { pgArray } from './sql.js';
import type { Pace } from '../domain/pace.js';

export type CopyType = 'text' | 'uuid' | 'smallint' | 'jsonb' | 'text[]' | 'timestamptz';

const SPECIAL = /[\\\t\n\r]/g;
/** What needs a closer look: a character to escape, a NUL, or a surrogate (paired or not). */
const UNUSUAL = /[\\\t\n\r\u0000\uD800-\uDFFF]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export class UncopyableText extends Error {
  override name = 'UncopyableText';
}

/** A string as a COPY text-format field. */
export function copyText(value: string): string {
  if (!UNUSUAL.test(value)) return value;
  if (value.includes('\u0000')) throw new UncopyableText('text with a NUL character');
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) throw new UncopyableText('text with an unpaired UTF-16 surrogate');
  return value.replace(SPECIAL, (c) => ESCAPES[c]!);
}

/** One field of type `type`: null and undefined are `\N` (SQL NULL, as JSON null is for jsonb_to_recordset). */
export function copyField(value: unknown, type: CopyType): string {
  if (value === null || value === undefined) return '\\N';
  switch (type) {
    case 'jsonb': return copyText(JSON.stringify(value));
    case 'text[]': return copyText(pgArray(value as string[]));
    case 'timestamptz': return typeof value === 'number' ? new Date(value).toISOString() : copyText(String(value));
    case 'smallint':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`not an integer: ${String(value)}`);
      return String(value);
    default: return copyText(String(value));
  }
}

/** One line (row) of COPY text: fields separated by tabs, ended by a newline. */
export function copyLine(values: readonly unknown[], types: readonly CopyType[]): string {
  let line = '';
  for (let i = 0; i < types.length; i++) line += (i ? '\t' : '') + copyField(values[i], types[i]!);
  return line + '\n';
}

/** Bytes of COPY data sent per message at most (about). */
const CHUNK_CHARS = 256 * 1024;

/**
 * COPY `lines` (each from copyLine) into `table (columns)` on `client` — a transaction's or a
 * reserved connection's postgres.js handle (a pooled handle may pick another connection for the
 * next statement). Resolves once PostgreSQL has taken every row.
 */
export async function copyIn(client: Pick<Sql, 'unsafe'>, table: string, columns: readonly string[], lines: Iterable<string> | AsyncIterable<string>, pace?: Pace): Promise<void> {
  const columnList = columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ');
  const writable = await client.unsafe(`copy ${table} (${columnList}) from stdin`).writable();
  async function* chunks() {
    let chunk = '';
    for await (const line of lines) {
      chunk += line;
      if (chunk.length >= CHUNK_CHARS) {
        yield Buffer.from(chunk, 'utf8');
        chunk = '';
      }
      await pace?.();
    }
    if (chunk) yield Buffer.from(chunk, 'utf8');
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), writable);
}
