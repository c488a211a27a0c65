/**
 * Turning one submitted item into a row to store, without I/O: schema check, normalisation,
 * warninglists, handling rules, sharing tokens. Each item gets its own verdict so a batch can
 * say item by item what happened.
 */
import { hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { rows, type Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { isCountryCode } from '../../domain/countries.js';
import { normalise } from '../../domain/normalise.js';
import type { IndicatorType, Pap, Tlp } from '../../domain/types.js';
import { audienceProblems, audienceTokens, excludeTokens, type Audience, type Exclusion } from '../../domain/visibility.js';
import type { WarninglistMatcher } from '../../domain/warninglists.js';
import { indicatorSchemas, IndicatorInput } from '../../../schemas/indicators.js';
import type { ItemResult } from './ingest.js';

const DAY_MS = 86_400_000;
export const DEFAULT_VALIDITY_MS = 180 * DAY_MS;
export const MAX_VALIDITY_MS = 731 * DAY_MS; // two years, leap day included

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => RFC3339.test(v) && !Number.isNaN(Date.parse(v)));
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => UUID.test(v));
if (!FormatRegistry.Has('uri')) FormatRegistry.Set('uri', (v) => { try { return Boolean(new URL(v)); } catch { return false; } });

const refs = indicatorSchemas.filter((s) => s !== IndicatorInput) as TSchema[];
const checkItem = TypeCompiler.Compile(IndicatorInput, refs);

/**
 * The hot path of a 10,000-item batch. TypeBox checks `uniqueItems` by hashing every element
 * (a BigInt FNV-1a per character), which was a fifth of the CPU time of ingest. The fast check is
 * the same schema without `uniqueItems`, plus a Set over the arrays that carry it — all arrays of
 * strings, found from the schema at load time. An item that fails either goes through the full
 * check, which produces the errors, so the verdicts and messages do not change.
 */
type Path = readonly string[];
const byId = new Map(refs.map((r) => [r.$id as string, r]));
const uniquePaths: Path[] = [];
function stripUnique(schema: TSchema, path: string[], inArray: boolean, record = true): TSchema {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'uniqueItems') out[k] = v;
  for (const sym of Object.getOwnPropertySymbols(schema)) (out as Record<symbol, unknown>)[sym] = (schema as unknown as Record<symbol, unknown>)[sym];
  if (schema.uniqueItems && record) {
    if (inArray) throw new Error(`uniqueItems inside an array at ${path.join('/')}: extend the fast check`);
    uniquePaths.push([...path]);
  }
  const target = schema.$ref ? byId.get(schema.$ref as string) : undefined;
  if (target && record) stripUnique(target, path, inArray); // records the paths under a reference
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, TSchema>).map(([k, v]) => [k, stripUnique(v, [...path, k], inArray, record)]));
  }
  if (schema.items) out.items = stripUnique(schema.items as TSchema, path, true, record);
  if (schema.anyOf) out.anyOf = (schema.anyOf as TSchema[]).map((v) => stripUnique(v, path, inArray, record));
  return out as TSchema;
}
const fastItem = stripUnique(IndicatorInput, [], false);
// References are walked for paths from their use sites above; here they are only stripped.
const fastRefs = refs.map((r) => stripUnique(r, [], false, false));
const checkItemFast = TypeCompiler.Compile(fastItem, fastRefs);

function uniqueAt(item: unknown, path: Path): boolean {
  let v: unknown = item;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return true;
    v = (v as Record<string, unknown>)[key];
  }
  if (!Array.isArray(v) || v.length < 2) return true;
  for (const e of v) if (typeof e !== 'string') return false; // not the shape the fast path knows: full check
  return new Set(v).size === v.length;
}

function passesSchema(item: unknown): boolean {
  if (!checkItemFast.Check(item)) return false;
  for (const path of uniquePaths) if (!uniqueAt(item, path)) return false;
  return true;
}

export interface Problem { path: string; message: string }

/** A normalised, validated item, in the shape the database takes it (see ingest.ts). */
export interface PreparedRow {
  type: IndicatorType;
  platform: string; // '' when the type has none
  value: string;
  tlp: Tlp;
  pap: Pap;
  grading: unknown;
  confidence: number;
  audience: Audience | null;
  exclude: Exclusion | null;
  attribution: 'named' | 'anonymous';
  audience_tokens: string[];
  exclude_tokens: string[];
  /** Epoch ms; undefined when the submitter left them to the defaults. */
  valid_from?: number;
  valid_until?: number;
  sector: string | null;
  categories: string[];
  tags: string[];
  description: string | null;
  first_seen: number | null;
  last_seen: number | null;
  references: unknown[];
  evidence: unknown[];
  relations: Array<{ type: string; target: { type: IndicatorType; value: string; platform?: string } }>;
  shared_infrastructure: string[];
}

export type Prepared =
  | { ok: true; row: PreparedRow; warnings: string[]; orgRefs: string[]; groupRefs: string[] }
  | { ok: false; errors: Problem[]; warnings: string[]; value?: string };

const ms = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

function schemaErrors(item: unknown): Problem[] {
  if (passesSchema(item) || checkItem.Check(item)) return [];
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const e of checkItem.Errors(item)) {
    const key = e.path;
    if (seen.has(key)) continue; // one message per path is enough
    seen.add(key);
    out.push({ path: e.path || '/', message: e.message });
    if (out.length >= 20) break;
  }
  return out;
}

/** Validates and normalises one (defaults-merged) item. `now` is epoch ms. */
export function prepareItem(item: Record<string, unknown>, now: number, matcher: WarninglistMatcher): Prepared {
  const errors = schemaErrors(item);
  if (errors.length) return { ok: false, errors, warnings: [] };
  const input = item as IndicatorInput & { audience?: Audience; exclude?: Exclusion };
  const warnings: string[] = [];

  const normal = normalise(input.type as IndicatorType, input.value, input.platform ?? null);
  if (!normal.ok) return { ok: false, errors: [{ path: '/value', message: normal.reason }], warnings };

  const hits = matcher.match(normal.type, normal.value);
  const rejectedBy = hits.filter((h) => h.action === 'reject');
  if (rejectedBy.length) {
    return {
      ok: false, value: normal.value, warnings,
      errors: rejectedBy.map((h) => ({ path: '/value', message: `on warninglist ${h.list} (${h.entry}); never shared` })),
    };
  }
  const shared = hits.filter((h) => h.action === 'flag');
  for (const h of shared) warnings.push(`shared infrastructure: on warninglist ${h.list} (${h.entry}); left out of blocklists by default`);

  const tlp = (input.tlp ?? 'AMBER') as Tlp;
  const problems: Problem[] = [...audienceProblems(tlp, input.audience)];
  for (const [path, codes] of [['/audience/countries', input.audience?.countries], ['/exclude/countries', input.exclude?.countries]] as const) {
    for (const code of codes ?? []) if (!isCountryCode(code)) problems.push({ path, message: `${code} is not an ISO 3166-1 alpha-2 country` });
  }
  const grading = input.grading;
  if (grading?.handling === 'C' && !grading.conditions) {
    problems.push({ path: '/grading/conditions', message: 'conditions are required when handling is C' });
  }
  const validFrom = ms(input.valid_from);
  const validUntil = ms(input.valid_until);
  const from = validFrom ?? now;
  if (validUntil !== undefined) {
    if (validUntil <= from) problems.push({ path: '/valid_until', message: 'must be later than valid_from' });
    if (validUntil <= now) problems.push({ path: '/valid_until', message: 'must be in the future' });
    if (validUntil - from > MAX_VALIDITY_MS) problems.push({ path: '/valid_until', message: 'may be at most 2 years after valid_from' });
  }
  const firstSeen = ms(input.first_seen) ?? null;
  const lastSeen = ms(input.last_seen) ?? null;
  if (firstSeen !== null && lastSeen !== null && lastSeen < firstSeen) {
    problems.push({ path: '/last_seen', message: 'must not be before first_seen' });
  }
  if (input.references) {
    input.references.forEach((r, i) => {
      if (!r.id && !r.url) problems.push({ path: `/references/${i}`, message: 'needs an id or a url' });
    });
  }
  const relations: PreparedRow['relations'] = [];
  (input.relations ?? []).forEach((rel, i) => {
    const target = normalise(rel.target.type as IndicatorType, rel.target.value, rel.target.platform ?? null);
    if (!target.ok) {
      problems.push({ path: `/relations/${i}/target`, message: target.reason });
      return;
    }
    relations.push({
      type: rel.type,
      target: { type: target.type, value: target.value, ...(target.platform ? { platform: target.platform } : {}) },
    });
  });
  if (problems.length) return { ok: false, errors: problems, warnings, value: normal.value };

  const audience = input.audience && Object.keys(input.audience).length ? input.audience : null;
  const exclude = input.exclude && Object.keys(input.exclude).length ? input.exclude : null;
  const row: PreparedRow = {
    type: normal.type,
    platform: normal.platform ?? '',
    value: normal.value,
    tlp,
    pap: (input.pap ?? 'AMBER') as Pap,
    grading: grading ?? null,
    confidence: input.confidence ?? 50,
    audience,
    exclude,
    attribution: input.attribution ?? 'named',
    audience_tokens: audienceTokens(tlp, audience),
    exclude_tokens: excludeTokens(exclude),
    ...(validFrom !== undefined ? { valid_from: validFrom } : {}),
    ...(validUntil !== undefined ? { valid_until: validUntil } : {}),
    sector: input.sector ?? null,
    categories: input.categories ?? [],
    tags: input.tags ?? [],
    description: input.description ?? null,
    first_seen: firstSeen,
    last_seen: lastSeen,
    references: input.references ?? [],
    evidence: input.evidence ?? [],
    relations,
    shared_infrastructure: [...new Set(shared.map((h) => h.list))].sort(),
  };
  return {
    ok: true, row, warnings,
    orgRefs: [...(audience?.orgs ?? []), ...(exclude?.orgs ?? [])],
    groupRefs: audience?.groups ?? [],
  };
}

/** The natural key of an indicator within one source. */
export const naturalKey = (r: { type: string; platform: string; value: string }) => `${r.type}\u0000${r.platform}\u0000${r.value}`;

/** A stable hash of everything a version consists of, to tell a real change from a resubmission. */
export function contentHash(row: PreparedRow & { valid_from: number; valid_until: number }): string {
  const content = [
    row.tlp, row.pap, row.grading, row.confidence, row.audience, row.exclude, row.attribution,
    row.valid_from, row.valid_until, row.sector, row.categories, row.tags, row.description,
    row.first_seen, row.last_seen, row.references, row.evidence, row.relations, row.shared_infrastructure,
  ];
  return hash('sha256', JSON.stringify(content), 'base64url');
}

/** Rows of the batch that reference orgs or groups that do not exist get an error each. */
async function unknownReferences(db: Executor, orgIds: Set<string>, groupIds: Set<string>) {
  const [found] = await rows<{ orgs: string[] | null; groups: string[] | null }>(db, sql`
    select
      (select array_agg(id::text) from orgs where id = any(${pgArray([...orgIds])}::uuid[])) as orgs,
      (select array_agg(id::text) from sharing_groups where id = any(${pgArray([...groupIds])}::uuid[])) as groups`);
  return { orgs: new Set(found?.orgs ?? []), groups: new Set(found?.groups ?? []) };
}

export interface PreparedBatch {
  results: ItemResult[];
  /** Last occurrence of each natural key among the valid items. */
  accepted: Map<string, { index: number; row: PreparedRow; warnings: string[] }>;
  /** Earlier items superseded by a later one with the same key: index → the later index. */
  duplicates: Map<number, number>;
}

const YIELD_EVERY = 500;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Validate and normalise every item (pure apart from one query for referenced orgs/groups). */
export async function prepareBatch(db: Executor, items: Record<string, unknown>[], defaults: Record<string, unknown> | undefined, matcher: WarninglistMatcher, now: number): Promise<PreparedBatch> {
  const results: ItemResult[] = new Array(items.length);
  const prepared: Array<{ index: number; p: ReturnType<typeof prepareItem> }> = new Array(items.length);
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    prepared[index] = { index, p: prepareItem(defaults ? { ...defaults, ...item } : item, now, matcher) };
    // A 10,000-item batch is ~0.3 s of CPU: let other requests (feed pages) run in between.
    if (index % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
  }

  const orgIds = new Set<string>(), groupIds = new Set<string>();
  for (const { p } of prepared) if (p.ok) { p.orgRefs.forEach((o) => orgIds.add(o)); p.groupRefs.forEach((g) => groupIds.add(g)); }
  const known = orgIds.size || groupIds.size ? await unknownReferences(db, orgIds, groupIds) : null;

  const accepted = new Map<string, { index: number; row: PreparedRow; warnings: string[] }>();
  const duplicates = new Map<number, number>();
  for (const { index, p } of prepared) {
    if (p.ok && known) {
      const missing = [
        ...p.orgRefs.filter((o) => !known.orgs.has(o)).map((o) => ({ path: '/audience', message: `unknown organisation ${o}` })),
        ...p.groupRefs.filter((g) => !known.groups.has(g)).map((g) => ({ path: '/audience/groups', message: `unknown sharing group ${g}` })),
      ];
      if (missing.length) {
        results[index] = { index, status: 'rejected', value: p.row.value, errors: missing };
        continue;
      }
    }
    if (!p.ok) {
      results[index] = { index, status: 'rejected', ...(p.value ? { value: p.value } : {}), errors: p.errors, ...(p.warnings.length ? { warnings: p.warnings } : {}) };
      continue;
    }
    const key = naturalKey(p.row);
    const earlier = accepted.get(key);
    if (earlier) duplicates.set(earlier.index, index);
    accepted.set(key, { index, row: p.row, warnings: p.warnings });
  }
  return { results, accepted, duplicates };
}
