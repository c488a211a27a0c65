import t from 'tap';
import fc from 'fast-check';
import { deepStrictEqual } from 'node:assert';
import { jsonWeight, JsonSyntaxError, MAX_JSON_DEPTH, parseJson, unstorableText } from '../../src/domain/json.js';

/** What JSON.parse makes of the text, or 'rejected'. */
function reference(text: string): unknown {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return 'rejected';
  }
}

/** What parseJson makes of the same text's UTF-8 bytes, or 'rejected'. */
async function piecewise(text: string, pieceBytes: number, maxDepth = 10_000): Promise<unknown> {
  try {
    return { value: await parseJson(Buffer.from(text, 'utf8'), { pieceBytes, maxDepth }) };
  } catch (err) {
    if (err instanceof JsonSyntaxError) return 'rejected';
    throw err;
  }
}

/** Whether a parsed value holds a key parseJson refuses on purpose (as fastify does). */
function forbiddenKey(value: unknown, inConstructor = false): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([k, v]) => (!Array.isArray(value) && (k === '__proto__' || (inConstructor && k === 'prototype')))
    || forbiddenKey(v, !Array.isArray(value) && k === 'constructor' && v !== null && typeof v === 'object' && !Array.isArray(v)));
}

// Texts near JSON: real JSON with whitespace spread around, and mutations of it (a character
// dropped, inserted or doubled) that are mostly not JSON.
const jsonText = fc.tuple(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom('', ' ', '\n', '\t', '\r\n ')).map(([value, ws]) =>
  JSON.stringify(value, null, ws ? 1 : undefined).replace(/([,:[{])/g, `$1${ws}`));
const mutated = fc.tuple(jsonText, fc.nat(), fc.constantFrom('', '"', '\\', ',', ']', '}', '[', '{', ':', '-', '0', '.', 'e', 't', 'nul', '\u0000', '\ud800', 'é'))
  .map(([text, at, insert]) => {
    const i = text.length ? at % text.length : 0;
    return at % 2 ? text.slice(0, i) + insert + text.slice(i) : text.slice(0, i) + insert + text.slice(i + 1);
  });
const tokenSoup = fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '"\\ud83d\\ude00"', '"\\x"', '1', '-0', '0.5e-3', '01', '1.', '.5', 'true', 'fals', 'null', ' ', '"'), { maxLength: 30 })
  .map((parts) => parts.join(''));

t.test('parseJson accepts exactly what JSON.parse accepts, and gives the same value', async (t) => {
  await fc.assert(fc.asyncProperty(fc.oneof(jsonText, mutated, tokenSoup, fc.string()), fc.integer({ min: 1, max: 64 }), async (text, pieceBytes) => {
    const expected = reference(Buffer.from(text, 'utf8').toString('utf8')); // the same bytes (a lone surrogate cannot be UTF-8)
    const actual = await piecewise(text, pieceBytes);
    const refusedOnPurpose = expected !== 'rejected' && forbiddenKey((expected as { value: unknown }).value);
    deepStrictEqual(actual, refusedOnPurpose ? 'rejected' : expected, JSON.stringify(text));
  }), { numRuns: 3000 });
  t.pass('3000 texts');
});

t.test('large containers are split into pieces and put back together in order', async (t) => {
  const value = { defaults: { tlp: 'AMBER', tags: ['a', 'b'] }, items: Array.from({ length: 2000 }, (_, i) => ({ type: 'domain', value: `site-${i}.com`, n: i, nested: { list: [i, `é${i}`, null, true] } })) };
  const text = JSON.stringify(value);
  t.same(await parseJson(Buffer.from(text), { pieceBytes: 100 }), value, 'small pieces');
  t.same(await parseJson(Buffer.from(text)), value, 'default pieces');
  const duplicated = '{"a":1,"b":[1,2,3,4,5,6,7,8,9],"a":2,"c":{"x":1,"x":2}}';
  deepStrictEqual(await parseJson(Buffer.from(duplicated), { pieceBytes: 8 }), JSON.parse(duplicated), 'a repeated key keeps its first place and its last value');
});

t.test('nesting deeper than the bound is refused before anything walks it', async (t) => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  t.same(await parseJson(Buffer.from(deep(MAX_JSON_DEPTH))), JSON.parse(deep(MAX_JSON_DEPTH)), `${MAX_JSON_DEPTH} levels are fine`);
  await t.rejects(parseJson(Buffer.from(deep(MAX_JSON_DEPTH + 1))), { message: /nested deeper than 32 levels/ });
  await t.rejects(parseJson(Buffer.from(`{"a":${'{"b":'.repeat(10_000)}1${'}'.repeat(10_001)}`)), { name: 'JsonSyntaxError', message: /nested deeper/ }, '10,000 levels');
});

t.test('prototype keys are refused, as fastify refuses them', async (t) => {
  for (const text of ['{"__proto__":{"x":1}}', '{"a":[{"__proto__":1}]}', '{"\\u005f_proto__":1}', '{"constructor":{"prototype":{"x":1}}}']) {
    await t.rejects(parseJson(Buffer.from(text)), { message: /forbidden property name/ }, text);
  }
  t.same(await parseJson(Buffer.from('{"constructor":1,"prototype":2,"proto":3}')), { constructor: 1, prototype: 2, proto: 3 }, 'the names alone are fine');
});

t.test('pace is called between steps of a large body', async (t) => {
  let calls = 0;
  const text = JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ value: `v${i}` })) });
  await parseJson(Buffer.from(text), { pace: () => { calls++; return undefined; } });
  t.ok(calls > 5, `called ${calls} times`);
});

t.test('jsonWeight is about the compact JSON length and stops at the cap', async (t) => {
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
    const exact = Buffer.byteLength(JSON.stringify(value));
    const weight = jsonWeight(value);
    return weight >= exact * 0.5 && weight <= exact * 2 + 8;
  }));
  const heavy = { list: Array.from({ length: 100_000 }, () => 'x'.repeat(10)) };
  t.equal(jsonWeight(heavy, 1000), 1001, 'over the cap: cap + 1');
  t.equal(jsonWeight({ a: 'xy' }), 2 + 1 + 4 + 4, 'an object with one short string');
});

t.test('unstorableText finds NUL and unpaired surrogates with their path', async (t) => {
  t.equal(unstorableText({ a: ['ok', 'fine 😀'] }), null);
  t.same(unstorableText({ a: ['ok', 'x\u0000y'] }), { path: '/a/1', message: 'contains a NUL character' });
  t.same(unstorableText({ 'a/b': { c: 'x\ud800' } }), { path: '/a~1b/c', message: 'contains an unpaired UTF-16 surrogate' });
  t.same(unstorableText({ ['k\u0000']: 1 }), { path: '/k\u0000', message: 'has a name with a NUL character or an unpaired UTF-16 surrogate' });
  t.same(unstorableText('\udc00'), { path: '/', message: 'contains an unpaired UTF-16 surrogate' });
});
