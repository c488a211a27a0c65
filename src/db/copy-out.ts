/**
 * `COPY (query) TO STDOUT (FORMAT binary)` through postgres.js, for reads whose rows Node only
 * frames and forwards (feed pages: src/modules/feeds/query.ts). A row's text columns arrive as
 * their UTF-8 bytes, so a JSON payload is sliced out of the stream and written to the response
 * without ever becoming a JavaScript string (bench/NOTES.md, round four: decoding rows into
 * strings, joining them and collecting them was about half of Node's time in a feed pull).
 *
 * COPY takes no bind parameters, so a query's parameters are written into its text as literals
 * (`inlineParams`): strings as `E'…'` escape-string literals (backslashes and quotes doubled), the
 * form whose meaning does not depend on `standard_conforming_strings`, which is how libpq's
 * PQescapeLiteral writes them; finite numbers and booleans as themselves; anything else refused.
 */
import type { Readable } from 'node:stream';
import type { Sql } from 'postgres';

/** A parameter value as an SQL literal. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`not a finite number: ${value}`);
    return value < 0 ? `(${value})` : String(value);
  }
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new TypeError('a string with a NUL character cannot be an SQL literal');
    return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  }
  throw new TypeError(`no SQL literal for a ${typeof value}`);
}

/**
 * `query`'s text with each `$n` placeholder replaced by its parameter as a literal. Placeholders
 * are only looked for outside quoted literals, quoted identifiers and comments of the query text.
 */
export function inlineParams(query: { sql: string; params: readonly unknown[] }): string {
  const { sql: text, params } = query;
  let out = '';
  let k = 0;
  while (k < text.length) {
    const c = text[k]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(text, k, c);
      out += text.slice(k, end);
      k = end;
    } else if (c === '-' && text[k + 1] === '-') {
      const end = text.indexOf('\n', k);
      out += text.slice(k, end < 0 ? text.length : end);
      k = end < 0 ? text.length : end;
    } else if (c === '$' && /\d/.test(text[k + 1] ?? '') && !/[\w$]/.test(text[k - 1] ?? '')) {
      const digits = /^\d+/.exec(text.slice(k + 1))![0];
      const n = Number(digits);
      if (n < 1 || n > params.length) throw new RangeError(`placeholder $${n} has no parameter`);
      out += sqlLiteral(params[n - 1]);
      k += 1 + digits.length;
    } else {
      out += c;
      k++;
    }
  }
  return out;
}

/** The index just past the quote that closes the one at `start` (a doubled quote stays inside). */
function closingQuote(text: string, start: number, quote: string): number {
  // An E'…' literal may also escape its quote with a backslash.
  const escapes = quote === "'" && /[eE]/.test(text[start - 1] ?? '') && !/\w/.test(text[start - 2] ?? '');
  for (let k = start + 1; k < text.length; k++) {
    if (escapes && text[k] === '\\') { k++; continue; }
    if (text[k] === quote) {
      if (text[k + 1] === quote) { k++; continue; }
      return k + 1;
    }
  }
  throw new SyntaxError('unterminated quoted text in a query');
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Signature, flags (int32), header extension length (int32). */
const HEADER_BYTES = SIGNATURE.length + 8;

/**
 * One tuple of a binary COPY stream: field `f` is `buffer[starts[f], starts[f] + lengths[f])`, or
 * NULL when its length is -1. Valid only during the call that receives it (the arrays are reused;
 * the buffer is not, so a field may be kept with `buffer.subarray`).
 */
export interface CopyTuple { buffer: Buffer; fields: number; starts: Int32Array; lengths: Int32Array }

/**
 * Frames PostgreSQL's binary COPY format (signature, flags, extension, then tuples of
 * length-prefixed fields, then a -1 trailer) from chunks cut anywhere. Pure: `push` a chunk and
 * each complete tuple is handed to `onTuple`; `end` checks that the stream ended at its trailer.
 */
export class BinaryCopyParser {
  #pending: Buffer | null = null;
  #headerSeen = false;
  #done = false;
  readonly #tuple: CopyTuple;

  constructor(readonly onTuple: (tuple: CopyTuple) => void, maxFields = 64) {
    this.#tuple = { buffer: Buffer.alloc(0), fields: 0, starts: new Int32Array(maxFields), lengths: new Int32Array(maxFields) };
  }

  push(chunk: Buffer): void {
    if (this.#done) {
      if (chunk.length) throw new SyntaxError('binary COPY data after its trailer');
      return;
    }
    const buffer = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk;
    let at = 0;
    if (!this.#headerSeen) {
      if (buffer.length < HEADER_BYTES) { this.#pending = buffer; return; }
      if (!buffer.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new SyntaxError('not binary COPY data (bad signature)');
      const extension = buffer.readInt32BE(SIGNATURE.length + 4);
      if (extension < 0) throw new SyntaxError('binary COPY header with a negative extension length');
      if (buffer.length < HEADER_BYTES + extension) { this.#pending = buffer; return; }
      at = HEADER_BYTES + extension;
      this.#headerSeen = true;
    }
    const tuple = this.#tuple;
    tuple.buffer = buffer;
    while (buffer.length - at >= 2) {
      const fields = buffer.readInt16BE(at);
      if (fields === -1) {
        this.#done = true;
        if (at + 2 !== buffer.length) throw new SyntaxError('binary COPY data after its trailer');
        this.#pending = null;
        return;
      }
      if (fields < 0 || fields > tuple.starts.length) throw new SyntaxError(`binary COPY tuple of ${fields} fields`);
      let k = at + 2;
      let complete = true;
      for (let f = 0; f < fields; f++) {
        if (buffer.length - k < 4) { complete = false; break; }
        const length = buffer.readInt32BE(k);
        k += 4;
        if (length < -1) throw new SyntaxError('binary COPY field of negative length');
        if (length > 0 && buffer.length - k < length) { complete = false; break; }
        tuple.starts[f] = k;
        tuple.lengths[f] = length;
        if (length > 0) k += length;
      }
      if (!complete) break;
      tuple.fields = fields;
      this.onTuple(tuple);
      at = k;
    }
    this.#pending = at < buffer.length ? buffer.subarray(at) : null;
  }

  end(): void {
    if (!this.#done) throw new SyntaxError('binary COPY data ended before its trailer');
  }
}

/** Decoded tuples held, by default, before the COPY stream is paused (backpressure on PostgreSQL's socket). */
const HELD_TUPLES = 2_000;

/**
 * Runs `copy (query) to stdout (format binary)` on `connection` (a reserved connection, in the
 * transaction the caller opened) and yields what `decode` made of the tuples read so far.
 *
 * The stream is read in flowing mode: each CopyData message arrives as its own buffer, so rows
 * are sliced from the buffers postgres.js received, never copied into a joined one (the async
 * iterator's read() concatenates whatever is buffered). It is paused while the consumer lags.
 * A consumer that stops early still has the rest read and dropped (the connection must finish
 * the COPY before it can run anything else); keep the query bounded (a LIMIT) for that to be cheap.
 */
export async function* copyOutBinary<T>(connection: Pick<Sql, 'unsafe'>, query: string, decode: (tuple: CopyTuple) => T,
  heldTuples = HELD_TUPLES): AsyncGenerator<T[]> {
  const readable = await connection.unsafe(`copy (${query}) to stdout (format binary)`).readable() as unknown as Readable;
  let batch: T[] = [];
  let keep = true;
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const parser = new BinaryCopyParser((tuple) => { if (keep) batch.push(decode(tuple)); });
  readable.on('data', (chunk: Buffer) => {
    try {
      parser.push(chunk);
    } catch (error) {
      // Not ours to stop: the COPY runs to its end, unread, and the error is reported then.
      failure ??= error;
      keep = false;
    }
    if (batch.length >= heldTuples) readable.pause();
    signal();
  });
  readable.on('end', () => {
    ended = true;
    signal();
  });
  readable.on('error', (error) => {
    failure ??= error;
    ended = true;
    signal();
  });
  try {
    for (;;) {
      if (failure && ended) throw failure;
      if (batch.length && keep) {
        const out = batch;
        batch = [];
        readable.resume();
        yield out;
      } else if (ended) break;
      else await new Promise<void>((resolve) => { wake = resolve; });
    }
    parser.end();
  } finally {
    keep = false;
    batch = [];
    readable.resume();
    while (!ended) await new Promise<void>((resolve) => { wake = resolve; });
    // postgres.js pauses the connection's socket when the stream's buffer is full and resumes it
    // from the stream's read(); when the end of the COPY arrived in the same network chunk as the
    // data that filled the buffer, nothing reads again and the connection hangs on its next
    // statement (porsager/postgres#499, fix proposed in #1016). The stream's _read is that
    // resume: call it once the COPY is over (test/db/copy-out.test.ts hangs without it).
    readable._read(0);
  }
}
