/**
 * Turning submitted items into rows to store: schema check, normalisation, warninglists,
 * handling rules, sharing tokens. Each item gets its own verdict so a batch can say item by item
 * what happened. The only I/O is one query for the organisations and groups a batch names.
 *
 * A batch costs time and memory in proportion to its bytes, and never holds the event loop for
 * long (it works in slices, src/domain/pace.ts):
 * - its `defaults` are checked and normalised once; an item that does not set a field shares the
 *   default's prepared value by reference — nothing is copied into each item;
 * - every item is weighed (defaults included) before anything else is done with it, so a heavy
 *   item costs no more than its own bytes to reject, and a batch that would be too heavy to store
 *   is refused before any item is worked on;
 * - TypeBox never evaluates `uniqueItems` (it hashes every character of every element): the
 *   schemas are compiled without it and uniqueness is checked here with a Map.
 */
import { hash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { Type, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { rows, type Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { isCountryCode } from '../../domain/countries.js';
import { jsonWeight, unstorableText } from '../../domain/json.js';
import { normalise } from '../../domain/normalise.js';
import { pacer } from '../../domain/pace.js';
import { parseTimestamp } from '../../domain/time.js';
import type { IndicatorType, OrgKind, Pap, Tlp } from '../../domain/types.js';
import { audienceProblems, audienceTokens, excludeTokens, type Audience, type Exclusion } from '../../domain/visibility.js';
import type { WarninglistMatcher } from '../../domain/warninglists.js';
import { badRequest, HttpProblem } from '../../plugins/problems.js';
import {
  IndicatorDefaults, IndicatorInput, indicatorSchemas, MAX_BATCH_WEIGHT, MAX_INDICATOR_WEIGHT,
} from '../../../schemas/indicators.js';
import type { ItemResult } from './ingest.js';

const DAY_MS = 86_400_000;
export const DEFAULT_VALIDITY_MS = 180 * DAY_MS;
export const MAX_VALIDITY_MS = 731 * DAY_MS; // two years, leap day included
/** Errors reported per item at most. */
const MAX_ERRORS = 20;

export interface Problem { path: string; message: string }

// ---- Schema checks without uniqueItems -------------------------------------------------------

type Path = readonly string[];
const byId = new Map(indicatorSchemas.map((s) => [s.$id!, s as TSchema]));

/** A copy of `schema` without `uniqueItems` anywhere (references are stripped where they are defined). */
function withoutUniqueItems(schema: TSchema): TSchema {
  const out: Record<string | symbol, unknown> = {};
  for (const key of Reflect.ownKeys(schema)) if (key !== 'uniqueItems') out[key] = (schema as unknown as Record<string | symbol, unknown>)[key];
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, TSchema>).map(([k, v]) => [k, withoutUniqueItems(v)]));
  }
  if (schema.items) out.items = withoutUniqueItems(schema.items as TSchema);
  if (schema.anyOf) out.anyOf = (schema.anyOf as TSchema[]).map(withoutUniqueItems);
  return out as unknown as TSchema;
}

/** Where `schema` (references followed) has arrays that must be unique — all arrays of strings. */
function uniqueItemPaths(schema: TSchema, path: string[] = [], inArray = false): Path[] {
  const target = schema.$ref ? byId.get(schema.$ref as string)! : schema;
  const found: Path[] = [];
  if (target.uniqueItems) {
    if (inArray) throw new Error(`uniqueItems inside an array at /${path.join('/')}: extend the uniqueness check`);
    found.push(path);
  }
  for (const [k, v] of Object.entries((target.properties ?? {}) as Record<string, TSchema>)) found.push(...uniqueItemPaths(v, [...path, k], inArray));
  if (target.items) found.push(...uniqueItemPaths(target.items as TSchema, path, true));
  for (const v of (target.anyOf ?? []) as TSchema[]) found.push(...uniqueItemPaths(v, path, inArray));
  return found;
}

interface Checker { check: TypeCheck<TSchema>; unique: Path[] }
const strippedReferences = indicatorSchemas.map((s) => withoutUniqueItems(s as TSchema));
function checker(schema: TSchema): Checker {
  const references = strippedReferences.filter((r) => r.$id === undefined || r.$id !== schema.$id);
  return { check: TypeCompiler.Compile(withoutUniqueItems(schema), references), unique: uniqueItemPaths(schema) };
}
const checkItem = checker(IndicatorInput);
/** For items of a batch whose defaults give the type. */
const checkItemTypedByDefaults = checker(Type.Object(
  { ...IndicatorInput.properties, type: Type.Optional(IndicatorInput.properties.type) },
  { additionalProperties: false },
));
const checkDefaults = checker(IndicatorDefaults);

function repeated(value: unknown, path: Path): Problem | null {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return null;
    v = (v as Record<string, unknown>)[key];
  }
  if (!Array.isArray(v)) return null;
  const first = new Map<string, number>();
  for (let i = 0; i < v.length; i++) {
    const e: unknown = v[i];
    if (typeof e !== 'string') return null; // not the shape the schema allows: its check reports that
    const earlier = first.get(e);
    if (earlier !== undefined) return { path: `/${path.join('/')}/${i}`, message: `repeats item ${earlier} (${JSON.stringify(e)}); items must be unique` };
    first.set(e, i);
  }
  return null;
}

/** Schema errors (one per path), then repeated elements, then text that cannot be stored. */
function inputProblems({ check, unique }: Checker, value: unknown): Problem[] {
  const problems: Problem[] = [];
  if (!check.Check(value)) {
    const seen = new Set<string>();
    for (const e of check.Errors(value)) {
      if (seen.has(e.path)) continue;
      seen.add(e.path);
      problems.push({ path: e.path || '/', message: e.message });
      if (problems.length >= MAX_ERRORS) return problems;
    }
  }
  for (const path of unique) {
    const problem = repeated(value, path);
    if (problem) problems.push(problem);
  }
  if (problems.length) return problems;
  const text = unstorableText(value);
  return text ? [text] : [];
}

// ---- Fields --------------------------------------------------------------------------------

const TIME_FIELDS = ['valid_from', 'valid_until', 'first_seen', 'last_seen'] as const;
type Input = Partial<IndicatorInput>;
type TimeField = (typeof TIME_FIELDS)[number];

/** Submitted fields after their own checks, in stored form (times in epoch ms, relations normalised). */
type Fields = Omit<Input, TimeField | 'relations'> & Partial<Record<TimeField, number>> & { relations?: PreparedRow['relations'] };

/** The checks and conversions of single fields, the same for an item and for a batch's defaults. */
function prepareFields(input: Input): { fields: Fields; problems: Problem[] } {
  const problems: Problem[] = [];
  const fields = { ...input } as Fields;
  // The schema's date-time format accepts only what parseTimestamp accepts.
  for (const f of TIME_FIELDS) if (input[f] !== undefined) fields[f] = parseTimestamp(input[f])!;
  for (const [path, codes] of [['/audience/countries', input.audience?.countries], ['/exclude/countries', input.exclude?.countries]] as const) {
    for (const code of codes ?? []) if (!isCountryCode(code)) problems.push({ path, message: `${code} is not an ISO 3166-1 alpha-2 country` });
  }
  if (input.grading?.handling === 'C' && !input.grading.conditions) {
    problems.push({ path: '/grading/conditions', message: 'conditions are required when handling is C' });
  }
  input.references?.forEach((r, i) => {
    if (!r.id && !r.url) problems.push({ path: `/references/${i}`, message: 'needs an id or a url' });
  });
  if (input.relations) {
    fields.relations = [];
    input.relations.forEach((rel, i) => {
      const target = normalise(rel.target.type as IndicatorType, rel.target.value, rel.target.platform ?? null);
      if (!target.ok) problems.push({ path: `/relations/${i}/target`, message: target.reason });
      else fields.relations!.push({ type: rel.type, target: { type: target.type, value: target.value, ...(target.platform ? { platform: target.platform } : {}) } });
    });
  }
  return { fields, problems };
}

/** A batch's defaults, prepared once and shared by every item that does not override them. */
export interface PreparedDefaults {
  fields: Fields;
  /** Weight of each default field (name and value), added to each item that does not set it. */
  weights: ReadonlyArray<readonly [field: string, weight: number]>;
  /** Sharing tokens of the default audience and exclusion, worked out once. */
  audienceTokens: Map<Tlp, string[]>;
  excludeTokens?: string[];
}

const noDefaults = (): PreparedDefaults => ({ fields: {}, weights: [], audienceTokens: new Map() });

const nonEmpty = <T extends object>(o: T | undefined): T | null => (o && Object.keys(o).length ? o : null);

/** Checks and prepares a batch's `defaults`; a problem with them is the whole batch's (400). */
function prepareDefaults(defaults: unknown): PreparedDefaults {
  const invalid = (problems: Problem[]) => badRequest('The batch defaults are not valid; nothing was stored.',
    problems.map((p) => ({ path: `/body/defaults${p.path === '/' ? '' : p.path}`, message: p.message })));
  if (jsonWeight(defaults, MAX_INDICATOR_WEIGHT) > MAX_INDICATOR_WEIGHT) {
    throw invalid([{ path: '/', message: `weighs more than an indicator may (${MAX_INDICATOR_WEIGHT} bytes of JSON)` }]);
  }
  const schemaProblems = inputProblems(checkDefaults, defaults);
  if (schemaProblems.length) throw invalid(schemaProblems);
  const { fields, problems } = prepareFields(defaults as Input);
  if (problems.length) throw invalid(problems);
  const exclude = nonEmpty(fields.exclude);
  return {
    fields,
    weights: Object.entries(defaults as object).map(([field, value]) => [field, field.length + 4 + jsonWeight(value)] as const),
    audienceTokens: new Map(),
    ...(exclude ? { excludeTokens: excludeTokens(exclude) } : {}),
  };
}

/** An item's weight with the defaults it does not override, up to just over MAX_INDICATOR_WEIGHT. */
function weigh(item: unknown, defaults: PreparedDefaults): number {
  let weight = jsonWeight(item, MAX_INDICATOR_WEIGHT);
  const own = item !== null && typeof item === 'object' ? item : {};
  for (const [field, w] of defaults.weights) if (!Object.hasOwn(own, field)) weight += w;
  return Math.min(weight, MAX_INDICATOR_WEIGHT + 1);
}

// ---- Items ---------------------------------------------------------------------------------

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
  | { ok: true; row: PreparedRow; warnings: string[] }
  | { ok: false; errors: Problem[]; warnings: string[]; value?: string };

const tooHeavy = (): Prepared => ({
  ok: false, warnings: [],
  errors: [{ path: '/', message: `weighs more than an indicator may: ${MAX_INDICATOR_WEIGHT} bytes of JSON, the batch defaults included` }],
});

/**
 * Validates and normalises one item, with `defaults` for the fields it does not set. `now` is
 * epoch ms; `weight` is `weigh(item, defaults)` when the caller has it already.
 */
export function prepareItem(item: unknown, now: number, matcher: WarninglistMatcher, defaults = noDefaults(), weight = weigh(item, defaults)): Prepared {
  if (weight > MAX_INDICATOR_WEIGHT) return tooHeavy();
  const errors = inputProblems(defaults.fields.type ? checkItemTypedByDefaults : checkItem, item);
  if (errors.length) return { ok: false, errors, warnings: [] };
  const own = prepareFields(item as Input);
  // The item's own fields over the defaults': shallow, so default values are shared, not copied.
  const input: Fields & { type: IndicatorType; value: string } = { ...defaults.fields, ...own.fields } as never;
  const warnings: string[] = [];

  const normal = normalise(input.type, input.value, input.platform ?? null);
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
  const problems: Problem[] = [...own.problems, ...audienceProblems(tlp, input.audience)];
  const from = input.valid_from ?? now;
  if (input.valid_until !== undefined) {
    if (input.valid_until <= from) problems.push({ path: '/valid_until', message: 'must be later than valid_from' });
    if (input.valid_until <= now) problems.push({ path: '/valid_until', message: 'must be in the future' });
    if (input.valid_until - from > MAX_VALIDITY_MS) problems.push({ path: '/valid_until', message: 'may be at most 2 years after valid_from' });
  }
  if (input.first_seen !== undefined && input.last_seen !== undefined && input.last_seen < input.first_seen) {
    problems.push({ path: '/last_seen', message: 'must not be before first_seen' });
  }
  if (problems.length) return { ok: false, errors: problems, warnings, value: normal.value };

  const fromDefaults = (field: keyof Fields) => !Object.hasOwn(own.fields, field);
  const audience = nonEmpty(input.audience);
  const exclude = nonEmpty(input.exclude);
  let tokens: string[];
  if (fromDefaults('audience')) {
    tokens = defaults.audienceTokens.get(tlp) ?? audienceTokens(tlp, audience);
    defaults.audienceTokens.set(tlp, tokens);
  } else {
    tokens = audienceTokens(tlp, audience);
  }
  const row: PreparedRow = {
    type: normal.type,
    platform: normal.platform ?? '',
    value: normal.value,
    tlp,
    pap: (input.pap ?? 'AMBER') as Pap,
    grading: input.grading ?? null,
    confidence: input.confidence ?? 50,
    audience,
    exclude,
    attribution: input.attribution ?? 'named',
    audience_tokens: tokens,
    exclude_tokens: fromDefaults('exclude') && defaults.excludeTokens ? defaults.excludeTokens : excludeTokens(exclude),
    ...(input.valid_from !== undefined ? { valid_from: input.valid_from } : {}),
    ...(input.valid_until !== undefined ? { valid_until: input.valid_until } : {}),
    sector: input.sector ?? null,
    categories: input.categories ?? [],
    tags: input.tags ?? [],
    description: input.description ?? null,
    first_seen: input.first_seen ?? null,
    last_seen: input.last_seen ?? null,
    references: input.references ?? [],
    evidence: input.evidence ?? [],
    relations: input.relations ?? [],
    shared_infrastructure: [...new Set(shared.map((h) => h.list))].sort(),
  };
  return { ok: true, row, warnings };
}

// ---- Batches -------------------------------------------------------------------------------

export interface PreparedBatch {
  results: ItemResult[];
  /** Last occurrence of each natural key among the valid items. */
  accepted: Map<string, { index: number; row: PreparedRow; warnings: string[] }>;
  /** Earlier items superseded by a later one with the same key: index → the later index. */
  duplicates: Map<number, number>;
}

/** Who submits: organisations may name only the sharing groups they are members of. */
export interface Submitter {
  orgId: string;
  orgKind: OrgKind;
  /** Groups the submitter may name besides its own: those the indicator it changes names already (PATCH). */
  namedAlready?: readonly string[];
}

/**
 * The organisations that exist among `orgIds`, and the groups among `groupIds` the submitter may
 * name: those it is a member of, or any for the secretariat. A group that does not exist and one
 * the submitter is not in look the same, so nobody learns whether a group they are not in exists.
 * A change keeps the groups its indicator names already, even after the source left one.
 */
async function namable(db: Executor, submitter: Submitter, orgIds: Set<string>, groupIds: Set<string>) {
  const [found] = await rows<{ orgs: string[] | null; groups: string[] | null }>(db, sql`
    select
      (select array_agg(id::text) from orgs where id = any(${pgArray([...orgIds])}::uuid[])) as orgs,
      (select array_agg(g.id::text) from sharing_groups g
        where g.id = any(${pgArray([...groupIds])}::uuid[])
          and (${submitter.orgKind === 'secretariat'} or g.id = any(${pgArray([...submitter.namedAlready ?? []])}::uuid[]) or exists (
            select 1 from sharing_group_members m where m.group_id = g.id and m.org_id = ${submitter.orgId}::uuid))) as groups`);
  return { orgs: new Set(found?.orgs ?? []), groups: new Set(found?.groups ?? []) };
}

/**
 * Validates and normalises every item of a batch for `submitter`; `defaults` (already shaped as
 * an object or undefined) apply to the fields an item does not set. Throws a 400 problem for
 * invalid defaults and a 413 for a batch too heavy to store.
 */
export async function prepareBatch(db: Executor, items: readonly unknown[], defaults: unknown, matcher: WarninglistMatcher, now: number, submitter: Submitter): Promise<PreparedBatch> {
  const pace = pacer();
  const shared = defaults === undefined ? noDefaults() : prepareDefaults(defaults);

  const weights = new Array<number>(items.length);
  let batchWeight = 0;
  for (let i = 0; i < items.length; i++) {
    batchWeight += weights[i] = weigh(items[i], shared);
    await pace();
  }
  if (batchWeight > MAX_BATCH_WEIGHT) {
    const mib = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MiB`;
    throw new HttpProblem(413, `With its defaults applied to every item that uses them, this batch weighs about ${mib(batchWeight)}; ` +
      `a batch may weigh at most ${mib(MAX_BATCH_WEIGHT)}. Nothing was stored: send fewer items per batch, or name long audiences through a sharing group.`);
  }

  const prepared = new Array<Prepared>(items.length);
  for (let i = 0; i < items.length; i++) {
    prepared[i] = prepareItem(items[i], now, matcher, shared, weights[i]);
    await pace();
  }

  // The organisations and groups named, looked up once per distinct audience or exclusion
  // (items that take them from the defaults share one object).
  const audiences = new Set<Audience>(), exclusions = new Set<Exclusion>();
  for (const p of prepared) {
    if (!p.ok) continue;
    if (p.row.audience) audiences.add(p.row.audience);
    if (p.row.exclude) exclusions.add(p.row.exclude);
  }
  const orgIds = new Set<string>(), groupIds = new Set<string>();
  for (const a of audiences) { a.orgs?.forEach((o) => orgIds.add(o)); a.groups?.forEach((g) => groupIds.add(g)); }
  for (const e of exclusions) e.orgs?.forEach((o) => orgIds.add(o));
  const known = orgIds.size || groupIds.size ? await namable(db, submitter, orgIds, groupIds) : null;
  const referenceProblems = new Map<object, Problem[]>();
  const problemsOf = (named: Audience | Exclusion | null, path: string): Problem[] => {
    if (!named || !known) return [];
    let problems = referenceProblems.get(named);
    if (!problems) {
      problems = [
        ...(named.orgs ?? []).filter((o) => !known.orgs.has(o)).map((o) => ({ path: `${path}/orgs`, message: `unknown organisation ${o}` })),
        ...('groups' in named ? named.groups ?? [] : []).filter((g) => !known.groups.has(g)).map((g) => ({ path: `${path}/groups`, message: `unknown sharing group ${g}` })),
      ];
      referenceProblems.set(named, problems);
    }
    return problems;
  };

  const results: ItemResult[] = new Array(items.length);
  const accepted = new Map<string, { index: number; row: PreparedRow; warnings: string[] }>();
  const duplicates = new Map<number, number>();
  prepared.forEach((p, index) => {
    if (!p.ok) {
      results[index] = { index, status: 'rejected', ...(p.value ? { value: p.value } : {}), errors: p.errors, ...(p.warnings.length ? { warnings: p.warnings } : {}) };
      return;
    }
    const missing = [...problemsOf(p.row.audience, '/audience'), ...problemsOf(p.row.exclude, '/exclude')];
    if (missing.length) {
      results[index] = { index, status: 'rejected', value: p.row.value, errors: missing };
      return;
    }
    const key = naturalKey(p.row);
    const earlier = accepted.get(key);
    if (earlier) duplicates.set(earlier.index, index);
    accepted.set(key, { index, row: p.row, warnings: p.warnings });
  });
  return { results, accepted, duplicates };
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
