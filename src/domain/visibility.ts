/**
 * THE SHARING RULE — "who may receive this indicator" (contract §3.2, rules 1–6) — lives here
 * and nowhere else.
 *
 * At write time an indicator's audience and exclusions become tokens (`audienceTokens`,
 * `excludeTokens`); at read time the caller becomes tokens too (`callerTokens`). Whether the
 * caller may receive the indicator is then one array-overlap test that PostgreSQL answers
 * from a GIN index, inside the query — nothing invisible is fetched and filtered in JS.
 *
 * Tokens:  o:<org id>   k:<kind>   c:<country>   kc:<kind>:<country>   g:<group id>
 * An audience `{kinds: [agency], countries: [FR, DE]}` becomes kc:agency:FR, kc:agency:DE;
 * a caller (agency, FR, member of group G) carries o:<id>, k:agency, c:FR, kc:agency:FR, g:G
 * (its groups read live from sharing_group_members by the query).
 */
import { sql, type SQL } from 'drizzle-orm';
import { pgArray } from '../db/sql.js';
import type { OrgKind, Pap, Tlp } from './types.js';

export interface Audience {
  kinds?: Exclude<OrgKind, 'secretariat'>[];
  countries?: string[];
  orgs?: string[];
  groups?: string[];
}
export interface Exclusion { orgs?: string[]; countries?: string[] }

export interface CallerIdentity {
  orgId: string;
  orgKind: OrgKind;
  country: string;
  groups: readonly string[];
}

/** Rule 3: the audience when none is given. RED has none: it must name orgs or groups. */
export const DEFAULT_AUDIENCE_KINDS: Record<Exclude<Tlp, 'RED'>, Exclude<OrgKind, 'secretariat'>[]> = {
  CLEAR: ['partner', 'agency', 'intermediary'],
  GREEN: ['partner', 'agency'],
  AMBER: ['agency'],
  'AMBER+STRICT': ['agency'],
};

/** Rule 5: what intermediaries may receive. */
export const INTERMEDIARY_PAP: readonly Pap[] = ['CLEAR', 'GREEN'];

const isEmptyAudience = (a: Audience | null | undefined) =>
  !a || (!a.kinds?.length && !a.countries?.length && !a.orgs?.length && !a.groups?.length);

/** Checks rule 3's constraints on an audience; returns problems as `{ path, message }`. */
export function audienceProblems(tlp: Tlp, audience: Audience | null | undefined): Array<{ path: string; message: string }> {
  if (tlp !== 'RED') return [];
  const problems: Array<{ path: string; message: string }> = [];
  if (audience?.kinds?.length || audience?.countries?.length) {
    problems.push({ path: '/audience', message: 'TLP:RED may not use kinds or countries; name orgs or groups' });
  }
  if (!audience?.orgs?.length && !audience?.groups?.length) {
    problems.push({ path: '/audience', message: 'TLP:RED needs an audience naming orgs or groups' });
  }
  return problems;
}

/** Rules 2 and 3 as tokens. The source is not included: rule 1 is checked on its own column. */
export function audienceTokens(tlp: Tlp, audience: Audience | null | undefined): string[] {
  const a: Audience = isEmptyAudience(audience)
    ? (tlp === 'RED' ? {} : { kinds: DEFAULT_AUDIENCE_KINDS[tlp] })
    : audience!;
  const tokens: string[] = [];
  const kinds = a.kinds ?? [];
  const countries = a.countries ?? [];
  if (kinds.length && countries.length) {
    for (const k of kinds) for (const c of countries) tokens.push(`kc:${k}:${c}`);
  } else {
    for (const k of kinds) tokens.push(`k:${k}`);
    for (const c of countries) tokens.push(`c:${c}`);
  }
  for (const o of a.orgs ?? []) tokens.push(`o:${o}`);
  for (const g of a.groups ?? []) tokens.push(`g:${g}`);
  return [...new Set(tokens)];
}

/** Rule 4 as tokens. */
export function excludeTokens(exclude: Exclusion | null | undefined): string[] {
  return [...new Set([...(exclude?.orgs ?? []).map((o) => `o:${o}`), ...(exclude?.countries ?? []).map((c) => `c:${c}`)])];
}

/**
 * Everything a caller is, as tokens to test against `audience_tokens`. Its groups are not here:
 * membership is read by the query itself (`memberTokens`), so a change of membership holds at
 * once on every node, whatever a node remembers about the caller.
 */
export function callerTokens(caller: Pick<CallerIdentity, 'orgId' | 'orgKind' | 'country'>): string[] {
  return [`o:${caller.orgId}`, `k:${caller.orgKind}`, `c:${caller.country}`, `kc:${caller.orgKind}:${caller.country}`];
}

/** The caller's groups as `g:` tokens, as the database holds them at this moment. */
function memberTokens(caller: CallerIdentity): SQL {
  return sql`array(select 'g:' || m.group_id::text from sharing_group_members m where m.org_id = ${caller.orgId}::uuid)`;
}

/** What a caller is, as tokens to test against `exclude_tokens`. */
export function callerExclusionTokens(caller: CallerIdentity): string[] {
  return [`o:${caller.orgId}`, `c:${caller.country}`];
}

/** Columns (as SQL expressions) describing one state of an indicator for the rule. */
export interface RuleColumns {
  sourceOrgId: SQL;
  audienceTokens: SQL;
  excludeTokens: SQL;
  pap: SQL;
  /** Rule 6: active, valid_from passed, not expired — as a boolean expression. */
  deliverable: SQL;
}

/**
 * An indicator's status as it is now: `expired` is a state of time as much as of the row, since
 * the sweeper that records it may not have run yet.
 */
export function effectiveStatus(alias = 'i'): SQL {
  return sql.raw(`(case when ${alias}.status = 'active' and ${alias}.valid_until <= now() then 'expired' else ${alias}.status end)`);
}

/** The current state of the indicator row aliased `alias`. */
export function currentState(alias = 'i'): RuleColumns {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  return {
    sourceOrgId: col('source_org_id'),
    audienceTokens: col('audience_tokens'),
    excludeTokens: col('exclude_tokens'),
    pap: col('pap'),
    deliverable: sql`(${col('status')} = 'active' and ${col('valid_from')} <= now() and ${col('valid_until')} > now())`,
  };
}

/**
 * Whether recipients may hold the state of the indicator row aliased `alias`, for the record of
 * a change: it is active and its valid_from has passed. Unlike `deliverable`, a passed valid_until
 * does not count until the sweeper records the expiry (with its tombstone) — a change that comes
 * first must tombstone what its recipients still hold.
 */
export function heldByRecipients(alias = 'i'): SQL {
  return sql.raw(`(${alias}.status = 'active' and ${alias}.valid_from <= now())`);
}

/** The state before a change, as the change-log row aliased `change` recorded it. */
export function previousState(change = 'c', indicator = 'i'): RuleColumns {
  const col = (name: string) => sql.raw(`${change}.${name}`);
  return {
    sourceOrgId: sql.raw(`${indicator}.source_org_id`),
    audienceTokens: col('prev_audience_tokens'),
    excludeTokens: col('prev_exclude_tokens'),
    pap: col('prev_pap'),
    deliverable: col('prev_deliverable'),
  };
}

/**
 * An audience as it stands at this moment, for the record of a previous state: group tokens
 * become the tokens of the groups' current members. A tombstone is judged against that record,
 * so it goes only to an organisation that could receive the previous state *when it changed* —
 * never to one that joined the group afterwards (contract §4: tombstones go to former recipients).
 */
export function audienceAsNow(tokens: SQL): SQL {
  return sql`(case when exists (select 1 from unnest(${tokens}) as t(token) where t.token like 'g:%') then array(
      select t.token from unnest(${tokens}) as t(token) where t.token not like 'g:%'
      union
      select 'o:' || m.org_id::text from sharing_group_members m where 'g:' || m.group_id::text = any(${tokens})
    ) else ${tokens} end)`;
}

const textArray = (values: string[]) => sql`${pgArray(values)}::text[]`;

/**
 * Rule 1's parties: the indicator's source and the secretariat, who see it whole (its handling,
 * audience and outcomes) — `sourceOrgId` is the source column of the row in question.
 */
export function seesAsSource(caller: Pick<CallerIdentity, 'orgId' | 'orgKind'>, sourceOrgId: SQL = sql.raw('i.source_org_id')): SQL {
  return caller.orgKind === 'secretariat' ? sql`true` : sql`(${sourceOrgId} = ${caller.orgId}::uuid)`;
}

/**
 * Rules 1–6 as one SQL condition for `caller` over `state`.
 *
 * `forReading`: single reads, lists and lookups let the source and the secretariat see their
 * indicators whatever the status (rule 1, e.g. a withdrawn indicator); feeds deliver only
 * deliverable states (rule 6) to everyone and turn the rest into tombstones.
 */
export function receivableBy(caller: CallerIdentity, state: RuleColumns = currentState(), options: { forReading?: boolean } = {}): SQL {
  const owner = seesAsSource(caller, state.sourceOrgId);
  const others = sql.join([
    state.deliverable,
    sql`${state.audienceTokens} && (${textArray(callerTokens(caller))} || ${memberTokens(caller)})`,
    sql`not (${state.excludeTokens} && ${textArray(callerExclusionTokens(caller))})`,
    ...(caller.orgKind === 'intermediary' ? [sql`${state.pap} in ('CLEAR', 'GREEN')`] : []),
  ], sql` and `);
  const ownerClause = options.forReading ? owner : sql`(${owner} and ${state.deliverable})`;
  return sql`(${ownerClause} or (${others}))`;
}

/**
 * Who may read an outcome (contract §5), the outcome row aliased `outcome` of the indicator row
 * aliased `indicator`: the indicator's source, the secretariat and the reporting organisation
 * always; another agency when the reporter shared it (`share_with_agencies`) and that agency may
 * receive the indicator now (rules 1–6 above).
 */
export function outcomeVisibleTo(caller: CallerIdentity, outcome = 'oc', indicator = 'i'): SQL {
  if (caller.orgKind === 'secretariat') return sql`true`;
  const col = (name: string) => sql.raw(`${outcome}.${name}`);
  const shared = caller.orgKind === 'agency'
    ? sql` or (${col('share_with_agencies')} and ${receivableBy(caller, currentState(indicator))})`
    : sql``;
  return sql`(${col('source_org_id')} = ${caller.orgId}::uuid or ${col('reporter_org_id')} = ${caller.orgId}::uuid${shared})`;
}
