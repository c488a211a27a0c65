/**
 * Writing the change log that every feed reads (see src/domain/cursor.ts for how it is read).
 *
 * A change row records the indicator's state *before* the change — who could receive it then
 * (group audiences expanded to that moment's members), whether it was deliverable, and the values
 * feed filters look at — so that a consumer that received the previous state gets a tombstone
 * when it may no longer receive the indicator, whatever its filters, and nobody else does.
 *
 * Every writer records from the indicator rows as they are *before* its update, in the same
 * transaction, with the rows locked: `recordChanges` first, then the update.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { audienceAsNow, heldByRecipients } from '../../domain/visibility.js';

export type ChangeKind = 'created' | 'updated' | 'withdrawn' | 'expired' | 'activated' | 'membership';

/**
 * Where a change goes. Changes of anonymous indicators submitted in a batch wait in
 * `pending_changes` and are published in a transaction of their own (`publishPendingChanges`),
 * so that in the log they never sit in their source's transaction, next to its named indicators.
 */
export type ChangeTable = 'indicator_changes' | 'pending_changes';

const PREVIOUS_COLUMNS = sql.raw(`prev_audience_tokens, prev_exclude_tokens, prev_pap, prev_deliverable,
  prev_tlp, prev_sector, prev_confidence, prev_shared`);

/** The previous-state columns of a change, from the indicator row aliased `alias` as it is now. */
function recordedState(alias: string, deliverable: SQL): SQL {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  return sql`${audienceAsNow(col('audience_tokens'))}, ${col('exclude_tokens')}, ${col('pap')}, ${deliverable},
    ${col('tlp')}, ${col('sector')}, ${col('confidence')}, cardinality(${col('shared_infrastructure')}) > 0`;
}

export interface RecordOptions {
  /** Which indicators: ids, or a condition over `i` (the rows are locked `for update`). */
  which: string[] | SQL;
  kind: ChangeKind;
  /** The version the change produces: the next one (a new version) or the same (time or membership). */
  version: 'next' | 'same';
  /** Whether recipients may hold the previous state; default `heldByRecipients`. */
  deliverable?: SQL;
  /** The row concerns only these organisations (a membership change); default everyone. */
  onlyOrgs?: string[];
  table?: ChangeTable;
}

/** Logs one change per indicator, from its current (pre-change) state; returns the ids logged. */
export async function recordChanges(tx: Executor, options: RecordOptions): Promise<string[]> {
  const { which, kind, table = 'indicator_changes' } = options;
  if (Array.isArray(which) && which.length === 0) return [];
  const where = Array.isArray(which) ? sql`i.id = any(${pgArray(which)}::uuid[])` : which;
  const version = options.version === 'next' ? sql`i.version + 1` : sql`i.version`;
  const onlyOrgs = options.onlyOrgs ? sql`, ${pgArray(options.onlyOrgs)}::uuid[]` : sql``;
  const logged = await rows<{ id: string }>(tx, sql`
    with locked as (select * from indicators i where ${where} order by i.id for update)
    insert into ${sql.raw(table)} (indicator_id, version, kind, ${PREVIOUS_COLUMNS}${options.onlyOrgs ? sql.raw(', only_orgs') : sql``})
    select i.id, ${version}, ${kind}, ${recordedState('i', options.deliverable ?? heldByRecipients('i'))}${onlyOrgs}
    from locked i
    returning indicator_id as id`);
  return logged.map((r) => r.id);
}

/** Logs the creation of new indicators (nothing could receive a previous state). */
export async function recordCreated(tx: Executor, ids: string[], table: ChangeTable = 'indicator_changes'): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(sql`
    insert into ${sql.raw(table)} (indicator_id, version, kind)
    select id, 1, 'created' from unnest(${pgArray(ids)}::uuid[]) as x(id)`);
}

/**
 * Moves waiting changes of anonymous indicators into the log, in this transaction of their own
 * and in random order (mixed with whatever else is waiting). Safe on every node at once: rows
 * another publisher holds are skipped. Returns how many were published.
 */
export async function publishPendingChanges(tx: Executor): Promise<number> {
  const [row] = await rows<{ n: number }>(tx, sql`
    with taken as (
      delete from pending_changes where id in (select id from pending_changes order by id limit 50000 for update skip locked)
      returning *
    ), published as (
      insert into indicator_changes (indicator_id, version, kind, ${PREVIOUS_COLUMNS})
      select indicator_id, version, kind, ${PREVIOUS_COLUMNS} from taken order by random()
      returning 1
    ) select count(*)::int as n from published`);
  return row?.n ?? 0;
}

/**
 * A sharing group's membership changes: for each deliverable indicator shared with the group, one
 * change that concerns only the organisations that joined or left. Called before the membership
 * is changed, in the same transaction, so the recorded audience is the one the leavers were in.
 * Nobody else's feed changes: their history is not rewritten.
 */
export async function recordMembershipChange(tx: Executor, groupId: string, moved: string[]): Promise<void> {
  if (moved.length === 0) return;
  await recordChanges(tx, {
    which: sql`i.audience_tokens @> ${pgArray([`g:${groupId}`])}::text[] and ${heldByRecipients('i')}`,
    kind: 'membership', version: 'same', onlyOrgs: moved,
  });
}
