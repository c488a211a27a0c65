/**
 * Binary COPY out (src/db/copy-out.ts): the framer against streams encoded here from the format's
 * definition and cut at every place; literal inlining against hostile values (read back by a real
 * PostgreSQL); and, on PostgreSQL, a COPY read end to end — including a consumer that stops early,
 * a query that fails half-way, and COPYs whose end arrives while the stream is paused, after each
 * of which the connection must still answer.
 */
import fc from 'fast-check';
import postgres from 'postgres';
import t from 'tap';
import { BinaryCopyParser, copyOutBinary, inlineParams, sqlLiteral, type CopyTuple } from '../../src/db/copy-out.js';

type Field = Buffer | null;

/** PostgreSQL's binary COPY format, written from its documentation: header, tuples, trailer. */
function encode(tuples: Field[][], extension = Buffer.alloc(0)): Buffer {
  const parts: Buffer[] = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')];
  const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
  const int16 = (n: number) => { const b = Buffer.alloc(2); b.writeInt16BE(n); return b; };
  parts.push(int32(0), int32(extension.length), extension);
  for (const tuple of tuples) {
    parts.push(int16(tuple.length));
    for (const field of tuple) parts.push(field === null ? int32(-1) : Buffer.concat([int32(field.length), field]));
  }
  parts.push(int16(-1));
  return Buffer.concat(parts);
}

const copied = (tuple: CopyTuple): Field[] => Array.from({ length: tuple.fields }, (_, f) =>
  tuple.lengths[f] === -1 ? null : Buffer.from(tuple.buffer.subarray(tuple.starts[f], tuple.starts[f]! + tuple.lengths[f]!)));

/** The tuples a parser hands out for `stream` pushed in the given pieces. */
function parse(stream: Buffer, cuts: number[]): Field[][] {
  const out: Field[][] = [];
  const parser = new BinaryCopyParser((tuple) => out.push(copied(tuple)));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    parser.push(stream.subarray(at, cut));
    at = cut;
  }
  parser.push(stream.subarray(at));
  parser.end();
  return out;
}

const SAMPLE: Field[][] = [
  [Buffer.from('1'), Buffer.from([0, 0, 0, 0, 0, 0, 0, 7]), Buffer.from('{"a":"é\\"\\n"}'), null, Buffer.alloc(0)],
  [Buffer.from('2'), Buffer.alloc(300, 0xff), null, Buffer.from('x'), Buffer.from([1])],
];

t.test('the framer hands out each tuple whole, wherever the stream is cut', async (t) => {
  const stream = encode(SAMPLE, Buffer.from('ext'));
  t.same(parse(stream, []), SAMPLE, 'in one piece');
  for (let cut = 0; cut <= stream.length; cut++) {
    const got = parse(stream, [cut]);
    if (JSON.stringify(got) !== JSON.stringify(SAMPLE)) t.fail(`cut at byte ${cut}`);
  }
  t.same(parse(stream, Array.from({ length: stream.length }, (_, k) => k)), SAMPLE, 'one byte at a time');
  const field = fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { nil: null });
  fc.assert(fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 12 }), fc.array(fc.nat()), (tuples, cuts) => {
    const s = encode(tuples);
    return JSON.stringify(parse(s, cuts.map((c) => c % (s.length + 1)))) === JSON.stringify(tuples);
  }), { numRuns: 300 });
});

t.test('the framer refuses what is not a whole binary COPY stream', async (t) => {
  t.throws(() => new BinaryCopyParser(() => {}).push(Buffer.from('PGCOPY\nXXXXXXXXXXXXXXXXXXXX')), /signature/, 'a bad signature');
  const stream = encode(SAMPLE);
  t.throws(() => parse(Buffer.concat([stream, Buffer.from([0])]), []), /after its trailer/, 'bytes after the trailer');
  const cut = new BinaryCopyParser(() => {});
  cut.push(stream.subarray(0, stream.length - 3));
  t.throws(() => cut.end(), /before its trailer/, 'a stream that stops before its trailer');
  const negative = Buffer.from(stream);
  negative.writeInt32BE(-7, 19 + 2);
  t.throws(() => parse(negative, []), /negative length/, 'a field of negative length');
});

t.test('literals: placeholders become escape-string literals, quoted text and comments are left alone', async (t) => {
  t.equal(sqlLiteral("it's \\ here"), "E'it''s \\\\ here'");
  t.equal(sqlLiteral(-3), '(-3)');
  t.equal(sqlLiteral(true), 'true');
  t.equal(sqlLiteral(null), 'null');
  t.throws(() => sqlLiteral('a\u0000b'), /NUL/);
  t.throws(() => sqlLiteral(Number.NaN), /finite/);
  t.throws(() => sqlLiteral({}), /no SQL literal/);
  const params = Array.from({ length: 11 }, (_, k) => `p${k + 1}`);
  t.equal(inlineParams({ sql: "select $1, $11, '$1', \"a$1\", E'\\'$2', x$1 -- $3\n, $2", params }),
    "select E'p1', E'p11', '$1', \"a$1\", E'\\'$2', x$1 -- $3\n, E'p2'");
  t.throws(() => inlineParams({ sql: 'select $3', params: ['a'] }), /no parameter/);
  t.throws(() => inlineParams({ sql: "select 'open", params: [] }), /unterminated/);
});

const base = process.env.DATABASE_URL;
t.test('on PostgreSQL', { skip: base ? false : 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const sql = postgres(base!, { max: 1, onnotice: () => {} });
  t.teardown(() => sql.end({ timeout: 5 }));

  t.test('a hostile value inlined as a literal reads back as itself', async (t) => {
    const hostile = ["'", "''", '\\', "\\'", "'; drop table x; --", '$1', 'é 日本 🏴‍☠️', '\n\t\r', '"', 'E\'', '\\x00'];
    for (const value of hostile) {
      const [row] = await sql.unsafe(inlineParams({ sql: 'select $1::text as v', params: [value] }));
      t.equal(row!.v, value, JSON.stringify(value));
    }
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\u0000')), async (value) => {
      const [row] = await sql.unsafe(inlineParams({ sql: 'select $1::text as v', params: [value] }));
      return row!.v === value;
    }), { numRuns: 100 });
  });

  const ROWS = `select g::text as label, g::int8 as n, repeat('x', g % 900)::text as body from generate_series(1, 3000) g order by g`;
  const decode = ({ buffer, starts, lengths }: CopyTuple) => ({
    label: buffer.toString('utf8', starts[0], starts[0]! + lengths[0]!),
    n: Number(buffer.readBigInt64BE(starts[1])),
    body: lengths[2]! > 0 ? buffer.toString('utf8', starts[2], starts[2]! + lengths[2]!) : '',
  });
  const usable = async (connection: postgres.ReservedSql) => {
    const [row] = await connection`select 42 as answer`;
    return row!.answer === 42;
  };

  t.test('a COPY yields every row as a plain query returns it, and the connection answers after', async (t) => {
    const connection = await sql.reserve();
    t.teardown(() => connection.release());
    const got: Array<ReturnType<typeof decode>> = [];
    for await (const batch of copyOutBinary(connection, ROWS, decode)) got.push(...batch);
    const plain = await connection.unsafe(ROWS);
    t.same(got, plain.map((r) => ({ label: r.label, n: Number(r.n), body: r.body })), 'the same rows in the same order');
    t.ok(await usable(connection), 'the connection answers');
  });

  t.test('a consumer that stops early: the rest is read and dropped, and the connection answers', async (t) => {
    const connection = await sql.reserve();
    t.teardown(() => connection.release());
    let seen = 0;
    for await (const batch of copyOutBinary(connection, ROWS, decode)) {
      seen += batch.length;
      if (seen > 10) break;
    }
    t.ok(seen > 10 && seen < 3000, 'stopped early');
    t.ok(await usable(connection), 'the connection answers');
  });

  t.test('a query that fails half-way rejects, and the connection answers after the rollback', async (t) => {
    const connection = await sql.reserve();
    t.teardown(() => connection.release());
    await connection`begin read only`;
    const failing = `select g::text, g::int8, (1 / (g - 2500))::text from generate_series(1, 3000) g`;
    await t.rejects((async () => { for await (const batch of copyOutBinary(connection, failing, decode)) void batch; })(), /division by zero/);
    await connection`rollback`;
    t.ok(await usable(connection), 'the connection answers');
  });

  t.test('a COPY whose end arrives while the stream is paused: the connection still answers after it', async (t) => {
    // Paused after every tuple, the stream's buffer fills within one network chunk that also holds
    // the end of the COPY, and postgres.js leaves its socket paused (porsager/postgres#499). Without
    // the resume at the end of copyOutBinary the next statement never returns: this hung in round 0.
    const connection = await sql.reserve();
    t.teardown(() => connection.release());
    for (let round = 0; round < 20; round++) {
      const small = `select g::text, repeat('x', 40) from generate_series(1, ${500 + round * 53}) g`;
      for await (const batch of copyOutBinary(connection, small, (tuple) => tuple.fields, 1)) {
        void batch;
        await new Promise((resolve) => setImmediate(resolve));
      }
      const answered = await Promise.race([usable(connection), new Promise<false>((resolve) => setTimeout(resolve, 5_000, false))]);
      if (!answered) return t.fail(`the connection hung after round ${round}`);
    }
    t.pass('20 rounds');
  });
});
