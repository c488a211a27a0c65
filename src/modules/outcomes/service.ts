/**
 * Outcomes (contract §5): the one writer (`recordOutcome`) and the reads, each with its
 * visibility in SQL (`outcomeVisibleTo`, src/domain/visibility.ts).
 *
 * A `false_positive` marks the indicator disputed and its source's `confirmed` clears it. Either
 * is a change every recipient must see (the item's `disputed`, blocklists, resolver zones), so it
 * is logged like any other: `recordChanges` first, then the update, in the outcome's transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { rows, type Executor } from '../../db/client.js';
import { toRfc3339 } from '../../db/sql.js';
import type { FeedPosition } from '../../domain/cursor.js';
import { actionRefusal, CONFIRMED, type OutcomeAction } from '../../domain/outcomes.js';
import { currentState, outcomeVisibleTo, receivableBy } from '../../domain/visibility.js';
import type { Caller } from '../../plugins/auth.js';
import { badRequest, HttpProblem, notFound } from '../../plugins/problems.js';
import { recordChanges } from '../feeds/change-log.js';
import { recordIndicatorEvents } from '../audit/log.js';
import type { FeedRow } from '../feeds/query.js';

export interface OutcomeInput {
  action: OutcomeAction;
  occurred_at?: string;
  note?: string;
  case_ref?: string;
  share_with_agencies?: boolean;
}

export interface Outcome {
  id: string;
  indicator: { id: string; type: string; value: string; platform: string | null };
  action: OutcomeAction;
  occurred_at: string;
  note: string | null;
  case_ref: string | null;
  share_with_agencies: boolean;
  reported_by: { org_id: string; name: string; kind: string; country: string };
  created_at: string;
}

/** How far ahead of this server's clock `occurred_at` may be (clock skew), in ms. */
const FUTURE_SKEW_MS = 5 * 60_000;

interface OutcomeRow {
  id: string; indicator_id: string; type: string; value: string; platform: string; action: OutcomeAction;
  occurred_at: string | Date; note: string | null; case_ref: string | null; share_with_agencies: boolean;
  reporter_org_id: string; reporter_name: string; reporter_kind: string; reporter_country: string; created_at: string | Date;
  xid: string; pos: string | number;
}

const SELECT = sql`select oc.id, oc.indicator_id, i.type, i.value, i.platform, oc.action, oc.occurred_at, oc.note, oc.case_ref,
    oc.share_with_agencies, oc.reporter_org_id, r.name as reporter_name, r.kind as reporter_kind, r.country as reporter_country,
    oc.created_at, oc.xid::text as xid, oc.pos::int8 as pos
  from outcomes oc join indicators i on i.id = oc.indicator_id join orgs r on r.id = oc.reporter_org_id`;

function outcomeOf(row: OutcomeRow): Outcome {
  return {
    id: row.id,
    indicator: { id: row.indicator_id, type: row.type, value: row.value, platform: row.platform || null },
    action: row.action,
    occurred_at: toRfc3339(row.occurred_at),
    note: row.note,
    case_ref: row.case_ref,
    share_with_agencies: row.share_with_agencies,
    reported_by: { org_id: row.reporter_org_id, name: row.reporter_name, kind: row.reporter_kind, country: row.reporter_country },
    created_at: toRfc3339(row.created_at),
  };
}

/** Sets `disputed` on one indicator (locked by the caller), logging the change its recipients will see, and auditing it. */
async function setDisputed(tx: Executor, caller: Caller, indicatorId: string, disputed: boolean): Promise<void> {
  await recordChanges(tx, { which: [indicatorId], kind: 'updated', version: 'next' });
  await tx.execute(sql`update indicators set disputed = ${disputed}, version = version + 1, updated_at = now() where id = ${indicatorId}::uuid`);
  await recordIndicatorEvents(tx, caller, { 'indicator.updated': [indicatorId] }, { via: 'outcome', disputed });
}

/**
 * Records `caller`'s outcome on an indicator it may receive, inside `tx`: the only write of an
 * outcome. 404 when the caller may not receive the indicator; 403 when its scopes or kind do not
 * allow the action; 409 for a confirmation of an indicator that is not disputed.
 */
export async function recordOutcome(tx: Executor, caller: Caller, indicatorId: string, input: OutcomeInput): Promise<Outcome> {
  const occurredAt = input.occurred_at ?? new Date().toISOString();
  if (Date.parse(occurredAt) > Date.now() + FUTURE_SKEW_MS) {
    throw badRequest('occurred_at lies in the future.', [{ path: '/body/occurred_at', message: 'must not be in the future' }]);
  }
  // Locked: outcomes on one indicator apply one after the other, so `disputed` follows the last of them.
  const [indicator] = await rows<{ source_org_id: string; disputed: boolean }>(tx, sql`
    select i.source_org_id, i.disputed from indicators i
    where i.id = ${indicatorId}::uuid and ${receivableBy(caller, currentState(), { forReading: true })}
    for update of i`);
  if (!indicator) throw notFound('indicator');

  const confirming = input.action === CONFIRMED;
  if (confirming) {
    if (indicator.source_org_id !== caller.orgId || !caller.scopes.has('indicators:write')) {
      throw new HttpProblem(403, 'Only the source of an indicator (with indicators:write) may confirm it.');
    }
    if (!indicator.disputed) throw new HttpProblem(409, 'The indicator is not disputed: there is nothing to confirm.');
  } else if (!caller.scopes.has('outcomes:write')) {
    throw new HttpProblem(403, 'This operation needs the "outcomes:write" scope.', { slug: 'insufficient-scope' });
  }
  const refusal = actionRefusal(caller.orgKind, input.action);
  if (refusal) throw new HttpProblem(403, refusal);

  if (input.action === 'false_positive' && !indicator.disputed) await setDisputed(tx, caller, indicatorId, true);
  if (confirming) await setDisputed(tx, caller, indicatorId, false);

  const id = uuidv7();
  await tx.execute(sql`
    insert into outcomes (id, indicator_id, source_org_id, reporter_org_id, reporter_client_id, action, occurred_at, note, case_ref, share_with_agencies)
    values (${id}::uuid, ${indicatorId}::uuid, ${indicator.source_org_id}::uuid, ${caller.orgId}::uuid, ${caller.clientId}, ${input.action},
      ${occurredAt}::timestamptz, ${input.note ?? null}, ${input.case_ref ?? null}, ${input.share_with_agencies ?? confirming})`);
  // The outcome's own note and case reference are the reporter's words: the audit keeps what and who, not them.
  await recordIndicatorEvents(tx, caller, { 'outcome.reported': [indicatorId] }, { outcome_id: id, action: input.action, share_with_agencies: input.share_with_agencies ?? confirming });
  const [row] = await rows<OutcomeRow>(tx, sql`${SELECT} where oc.id = ${id}::uuid`);
  return outcomeOf(row!);
}

/**
 * The outcomes on one indicator the caller may read, oldest first, after the outcome `after`.
 * Null when the indicator is not the caller's to ask about: it may not receive it and reported
 * nothing on it (then 404, as for the indicator itself).
 */
export async function listOutcomes(db: Executor, caller: Caller, indicatorId: string, page: { after?: string; limit: number }): Promise<Outcome[] | null> {
  const [known] = await rows<{ ok: boolean }>(db, sql`
    select true as ok from indicators i
    where i.id = ${indicatorId}::uuid and (${receivableBy(caller, currentState(), { forReading: true })}
      or exists (select 1 from outcomes mine where mine.indicator_id = i.id and mine.reporter_org_id = ${caller.orgId}::uuid))`);
  if (!known) return null;
  const where: SQL[] = [sql`oc.indicator_id = ${indicatorId}::uuid`, outcomeVisibleTo(caller)];
  if (page.after) where.push(sql`oc.id > ${page.after}::uuid`);
  const found = await rows<OutcomeRow>(db, sql`${SELECT} where ${sql.join(where, sql` and `)} order by oc.id limit ${page.limit}`);
  return found.map(outcomeOf);
}

/**
 * One window of a source's outcomes feed: outcomes on its own indicators after `after` in
 * (xid, pos) order, only from transactions below `horizon` (src/domain/cursor.ts: gap-free).
 */
export async function outcomeFeed(db: Executor, caller: Caller, window: { after: FeedPosition; horizon: string; limit: number }): Promise<Array<Omit<FeedRow, 'version'>>> {
  const found = await rows<OutcomeRow>(db, sql`${SELECT}
    where oc.source_org_id = ${caller.orgId}::uuid
      and (oc.xid, oc.pos) > (${window.after.xid}::xid8, ${window.after.pos}::bigint) and oc.xid < ${window.horizon}::xid8
    order by oc.xid, oc.pos limit ${window.limit}`);
  return found.map((row) => ({ xid: row.xid, pos: Number(row.pos), id: row.id, json: JSON.stringify(outcomeOf(row)) }));
}
