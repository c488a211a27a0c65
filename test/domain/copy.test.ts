/**
 * The COPY text-format encoder (src/db/copy.ts): hostile values encode to what PostgreSQL reads
 * back unchanged — checked against a decoder written from the format's rules here, and, on a
 * real PostgreSQL, by COPY-ing them into a table and reading them back.
 */
import fc from 'fast-check';
import postgres from 'postgres';
import t from 'tap';
import { copyField, copyIn, copyLine, copyText, UncopyableText, type CopyType } from '../../src/db/copy.js';

const HOSTILE = [
  '', ' ', 'plain', 'tab\there', 'new\nline', 'carriage\rreturn', '\r\n', 'back\\slash', '\\', '\\\\', '\\N', 'N', '\\.', '.',
  'trailing\\', '"quoted"', "it's", '{braces}', '{"a","b"}', 'a,b', 'NULL', 'null', '\u0001\u0007\b\f\v\u001b\u007f',
  'é', 'ｄｏｍａｉｎ', '𝕏𝕏', '\u202Eevil', '\uFEFFbom', '日本語', '🏴‍☠️', 'x'.repeat(70_000), '\t\n\r\\"{},',
];

/** PostgreSQL's reading of a text-format field (the escapes copy.ts may produce, and \N). */
function decodeField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/gs, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' } as Record<string, string>)[c] ?? `<bad escape ${c}>`);
}

t.test('every hostile string survives the escaping, and a line never holds a raw tab, newline or CR of its data', async (t) => {
  for (const s of HOSTILE) {
    const field = copyText(s);
    t.notMatch(field, /[\t\n\r]/, `no raw separators for ${JSON.stringify(s.slice(0, 30))}`);
    t.equal(decodeField(field), s, `round trip of ${JSON.stringify(s.slice(0, 30))}`);
  }
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => decodeField(copyText(s)) === s), { numRuns: 300 });
  // Lines split back into the fields they were made of.
  const line = copyLine(HOSTILE, HOSTILE.map(() => 'text' as const));
  t.ok(line.endsWith('\n') && line.indexOf('\n') === line.length - 1, 'one line');
  t.same(line.slice(0, -1).split('\t').map(decodeField), HOSTILE, 'fields back in order');
});

t.test('text PostgreSQL cannot hold is refused, not altered', async (t) => {
  for (const s of ['\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', 'ok\uD83D']) {
    t.throws(() => copyText(s), UncopyableText, JSON.stringify(s));
    t.throws(() => copyField([s], 'text[]'), UncopyableText, `in an array: ${JSON.stringify(s)}`);
    // JSON text carries them as \u escapes, which PostgreSQL's jsonb refuses in the statement that casts them.
    t.notMatch(copyField({ s }, 'jsonb'), /[\u0000\uD800-\uDFFF]/, `in JSON, escaped: ${JSON.stringify(s)}`);
  }
  t.throws(() => copyField(1.5, 'smallint'), TypeError);
  t.throws(() => copyField('5', 'smallint'), TypeError);
});

t.test('nulls, arrays, JSON and timestamps', async (t) => {
  for (const type of ['text', 'uuid', 'smallint', 'jsonb', 'text[]', 'timestamptz'] as const) {
    t.equal(copyField(null, type), '\\N', `null ${type}`);
    t.equal(copyField(undefined, type), '\\N', `undefined ${type}`);
  }
  t.equal(copyField('\\N', 'text'), '\\\\N', 'the text \\N is not a null');
  t.equal(copyField([], 'text[]'), '{}');
  t.equal(decodeField(copyField(['a"b', 'c\\d', 'e\tf', ''], 'text[]')), '{"a\\"b","c\\\\d","e\tf",""}');
  t.equal(decodeField(copyField({ a: 'x\ny', b: ['\\'] }, 'jsonb')), '{"a":"x\\ny","b":["\\\\"]}');
  t.equal(copyField(Date.UTC(2026, 0, 2, 3, 4, 5, 678), 'timestamptz'), '2026-01-02T03:04:05.678Z');
  t.equal(copyField(42, 'smallint'), '42');
});

const base = process.env.DATABASE_URL;
t.test('PostgreSQL reads back exactly what was encoded', { skip: base ? false : 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  const sql = postgres(base!, { max: 1, onnotice: () => {} });
  t.teardown(() => sql.end());
  const types: CopyType[] = ['text', 'text[]', 'jsonb', 'timestamptz', 'smallint', 'uuid'];
  const rowsIn: unknown[][] = HOSTILE.map((s, i) => [
    s, [s, `${s}-2`], { s, nested: [s, { k: s }], n: i }, Date.UTC(2026, 0, 1) + i * 1_001, i, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  ]);
  rowsIn.push([null, [], null, null, null, null]);
  const out = await sql.begin(async (tx) => {
    await tx.unsafe('create temp table copy_check (n serial, t text, a text[], j jsonb, ts timestamptz, s smallint, u uuid) on commit drop');
    await copyIn(tx, 'copy_check', ['t', 'a', 'j', 'ts', 's', 'u'], rowsIn.map((r) => copyLine(r, types)));
    return tx<Array<{ t: string | null; a: string[]; j: unknown; ts: Date | null; s: number | null; u: string | null }>>`
      select t, a, j, ts, s, u from copy_check order by n`;
  });
  t.equal(out.length, rowsIn.length, 'every row');
  out.forEach((row, i) => {
    const [s, a, j, ts, n, u] = rowsIn[i]!;
    t.same([row.t, row.a, row.j, row.ts?.getTime() ?? null, row.s, row.u], [s, a, j, ts, n, u], `row ${i} (${JSON.stringify(String(s).slice(0, 20))})`);
  });
});
