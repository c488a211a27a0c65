/**
 * Shared pieces of the hostile-input tests: what every error answer must look like, how much
 * is stored, and generators of the strings and dates that have broken services before.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { rows, type Database } from '../../src/db/client.js';

/**
 * Why `res` breaks the error contract, or [] when it keeps it: never a 5xx, and every 4xx is
 * application/problem+json with type, title, status (the answer's) and detail — under /taxii2/,
 * a TAXII error message.
 */
export function contractViolations(res: LightMyRequestResponse, options: ContractOptions = {}): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`answered ${res.statusCode}`);
  if (res.statusCode < 400 || options.allowed?.(res)) return problems;
  if (/^\/taxii2(\/|$|\?)/.test(res.raw.req.url ?? '')) return [...problems, ...taxiiErrorViolations(res)];
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) {
    problems.push(`${res.statusCode} with content-type ${res.headers['content-type']}`);
    return problems;
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [...problems, `${res.statusCode} problem body is not JSON: ${res.body.slice(0, 120)}`];
  }
  for (const field of ['type', 'title', 'detail'] as const) {
    if (typeof body[field] !== 'string' || body[field] === '') problems.push(`problem without ${field}`);
  }
  if (body.status !== res.statusCode) problems.push(`problem status ${String(body.status)} on a ${res.statusCode} answer`);
  return problems;
}

/** Under /taxii2/ every error is a TAXII 2.1 error message: the TAXII media type, a title, http_status the answer's. */
function taxiiErrorViolations(res: LightMyRequestResponse): string[] {
  if (res.headers['content-type'] !== 'application/taxii+json;version=2.1') return [`${res.statusCode} with content-type ${res.headers['content-type']}`];
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [`${res.statusCode} TAXII error is not JSON: ${res.body.slice(0, 120)}`];
  }
  const problems: string[] = [];
  if (typeof body.title !== 'string' || body.title === '') problems.push('TAXII error without title');
  if (body.http_status !== String(res.statusCode)) problems.push(`TAXII error http_status ${String(body.http_status)} on a ${res.statusCode} answer`);
  return problems;
}

export interface ContractOptions {
  /** A 4xx answer the contract defines with another body (e.g. an atomic batch's 422 results). */
  allowed?: (res: LightMyRequestResponse) => boolean;
}

/** Fails (with what was sent and what came back) when `res` breaks the error contract. */
export function assertContract(res: LightMyRequestResponse, sent: string, options: ContractOptions = {}): void {
  const problems = contractViolations(res, options);
  if (problems.length) throw new Error(`${problems.join('; ')}\n  sent: ${sent.slice(0, 600)}\n  got: ${res.body.slice(0, 400)}`);
}

export interface Stored { indicators: number; changes: number }

/** Rows in indicators and in the change log (published or waiting to be). */
export async function stored(db: Database): Promise<Stored> {
  const [row] = await rows<Stored>(db, sql`select
    (select count(*)::int from indicators) as indicators,
    (select count(*)::int from indicator_changes) + (select count(*)::int from pending_changes) as changes`);
  return row!;
}

/** Text PostgreSQL cannot store, or that is not well-formed Unicode. */
export const POISON_STRINGS = ['\u0000', 'a\u0000b', '\uD800', 'x\uDFFFy', '\uDBFF\u0000', 'ok\uD83D'] as const;

/** Dates that look like dates and are not (or not storable, or far outside any sane range). */
export const BAD_DATES = [
  '0000-01-01', '0000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T23:60:00Z',
  '2026-06-31T12:00:00Z', '2026-13-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '+275760-09-13T00:00:00Z',
  '2026-01-01T00:00:60Z', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00', '2026-1-1T00:00:00Z', '20260101T000000Z',
  '1900-01-01T00:00:00Z', '2026-01-01T00:00:00+24:00', 'T24:00', 'now', '',
] as const;

/** Strings of every odd kind: any code point (lone surrogates included), control characters, huge ones. */
export const oddString = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...POISON_STRINGS, '', ' ', '\uFEFF', '\u202Eevil', '𝕏𝕏', '%00', '\\u0000', 'null', '1e3', '../../etc/passwd', "'; drop table indicators; --", '<script>', '=cmd|', 'ｄｏｍａｉｎ.com') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '\u0000', 'é', '\uD800', '𝕏'), fc.integer({ min: 2_000, max: 120_000 })).map(([c, n]) => c.repeat(n)) },
);

/** Timestamps: the bad ones above, arbitrary text, and valid ones around now. */
export const oddDate = fc.oneof(
  fc.constantFrom(...BAD_DATES),
  oddString,
  fc.integer({ min: -400, max: 900 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
);

/** JSON nested `depth` levels deep, as text (JSON.stringify of such a value would itself overflow). */
export const nested = (depth: number, style: 'array' | 'object') =>
  style === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
