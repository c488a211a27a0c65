/**
 * Time-driven changes: an indicator expires when `valid_until` passes and becomes deliverable
 * when `valid_from` passes. Nobody writes at those instants, so a sweeper does, logging the
 * change so that former recipients get an `expired` tombstone and new ones get the item.
 * Safe to run on every node at once: the row updates serialise on their row locks.
 */
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { rows, type Database } from '../../db/client.js';

export async function sweep(db: Database): Promise<{ expired: number; activated: number }> {
  return db.transaction(async (tx) => {
    const expired = await rows<{ n: number }>(tx, sql`
      with expired as (
        update indicators set status = 'expired', version = version + 1, updated_at = now()
        where status = 'active' and valid_until <= now()
        returning id, version, audience_tokens, exclude_tokens, pap, pending
      ), logged as (
        insert into indicator_changes (indicator_id, version, kind, prev_audience_tokens, prev_exclude_tokens, prev_pap, prev_deliverable)
        select id, version, 'expired', audience_tokens, exclude_tokens, pap, not pending from expired
        returning 1
      ) select count(*)::int as n from logged`);
    const activated = await rows<{ n: number }>(tx, sql`
      with activated as (
        update indicators set pending = false
        where pending and valid_from <= now() and status = 'active'
        returning id, version, audience_tokens, exclude_tokens, pap
      ), logged as (
        insert into indicator_changes (indicator_id, version, kind, prev_audience_tokens, prev_exclude_tokens, prev_pap, prev_deliverable)
        select id, version, 'activated', audience_tokens, exclude_tokens, pap, false from activated
        returning 1
      ) select count(*)::int as n from logged`);
    return { expired: expired[0]?.n ?? 0, activated: activated[0]?.n ?? 0 };
  });
}

/** Idempotency keys replay for 24 hours; older ones are only dead weight. */
export async function pruneIdempotencyKeys(db: Database): Promise<void> {
  await db.execute(sql`delete from idempotency_keys where created_at < now() - interval '24 hours'`);
}

/** Runs `sweep` (and the pruning) every `intervalMs` until the returned stop function is called. */
export function startSweeper(db: Database, intervalMs: number, log: FastifyBaseLogger): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await sweep(db);
      await pruneIdempotencyKeys(db);
      if (result.expired || result.activated) log.info(result, 'sweeper: time-driven changes logged');
    } catch (err) {
      log.error({ err }, 'sweeper failed');
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
