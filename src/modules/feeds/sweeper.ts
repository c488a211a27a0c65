/**
 * Time-driven changes: an indicator expires when `valid_until` passes and becomes deliverable
 * when `valid_from` passes. Nobody writes at those instants, so a sweeper does, logging the
 * change so that former recipients get an `expired` tombstone and new ones get the item.
 * Safe to run on every node at once: the row updates serialise on their row locks.
 */
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type Database } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { publishPendingChanges, recordChanges } from './change-log.js';
import { taxiiHousekeeping } from '../taxii/epochs.js';
import { recordIndicatorEvents, SYSTEM_ACTORS } from '../audit/log.js';
import { chainAudit } from '../audit/chain.js';
import { purgeExpired } from '../audit/retention.js';

export async function sweep(db: Database): Promise<{ expired: number; activated: number; published: number }> {
  return db.transaction(async (tx) => {
    // Expired: the previous state was deliverable — valid_from lies before valid_until — even when
    // it became deliverable and expired between two sweeps, so its recipients get the tombstone.
    const expired = await recordChanges(tx, {
      which: sql`i.status = 'active' and i.valid_until <= now()`, kind: 'expired', version: 'next', deliverable: sql`true`,
    });
    if (expired.length) {
      await tx.execute(sql`update indicators set status = 'expired', pending = false, version = version + 1, updated_at = now()
        where id = any(${pgArray(expired)}::uuid[])`);
      await recordIndicatorEvents(tx, SYSTEM_ACTORS.sweeper, { 'indicator.expired': expired });
    }
    const activated = await recordChanges(tx, {
      which: sql`i.pending and i.valid_from <= now() and i.status = 'active'`, kind: 'activated', version: 'same', deliverable: sql`false`,
    });
    if (activated.length) {
      await tx.execute(sql`update indicators set pending = false where id = any(${pgArray(activated)}::uuid[])`);
    }
    return { expired: expired.length, activated: activated.length, published: await publishPendingChanges(tx) };
  });
}

/** Idempotency keys replay for 24 hours; older ones are only dead weight. */
export async function pruneIdempotencyKeys(db: Database): Promise<void> {
  await db.execute(sql`delete from idempotency_keys where created_at < now() - interval '24 hours'`);
}

/** What the sweeper does for the audit (src/modules/audit/): purge past retention, then chain the log. */
export interface AuditRounds { retentionDays: number; headEvery: number }

/**
 * Runs `sweep` (and the pruning) every `intervalMs` until the returned stop function is called;
 * with `audit`, also the purge of what is past retention and the chaining of the audit log.
 */
export function startSweeper(db: Database, intervalMs: number, log: FastifyBaseLogger, audit?: AuditRounds): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await sweep(db);
      await pruneIdempotencyKeys(db);
      await taxiiHousekeeping(db);
      if (result.expired || result.activated || result.published) log.info(result, 'sweeper: time-driven changes logged');
    } catch (err) {
      log.error({ err }, 'sweeper failed');
    }
    if (audit) {
      try {
        const purged = await purgeExpired(db, { retentionDays: audit.retentionDays });
        if (purged) log.info({ purged }, 'sweeper: content past retention purged');
      } catch (err) {
        log.error({ err }, 'sweeper: purge failed');
      }
      try {
        await chainAudit(db, { log, headEvery: audit.headEvery });
      } catch (err) {
        log.error({ err }, 'sweeper: audit chaining failed');
      }
    }
    running = false;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
