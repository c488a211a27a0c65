/**
 * Retention: data is kept no longer than needed. RETENTION_DAYS after an indicator expires or is
 * withdrawn (whichever comes first), its content is purged: value, description, evidence,
 * relations, references and withdrawal reason. What is left is its id, type, platform, handling,
 * `value_hash` (SHA-256 of type, platform and value, to answer "was this ever shared?" for a value
 * one already holds) and its audit trail, which never held the content (./log.ts).
 *
 * The value becomes `purged:<id>`: no read path (reads, lists, lookups, feeds and their
 * tombstones, blocklists, resolver zones) can return what is no longer stored, and the natural key
 * is free, so the same observable submitted again is a new indicator.
 *
 * Run by the sweeper in bounded batches; each batch is one statement that purges and writes its
 * `indicator.purged` entry, so a purge is never unaudited.
 */
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../../db/client.js';
import { auditEnabled, MAX_INDICATORS_PER_ENTRY, SYSTEM_ACTORS } from './log.js';

const PURGE_BATCH = 1000;

/** When an indicator's retention period starts (the expression of the indicators_retention_idx index). */
const RETENTION_START = sql.raw(`(case when i.status = 'withdrawn' then least(i.updated_at, i.valid_until) else i.valid_until end)`);

/** Purges what is past retention, `batch` indicators per transaction, at most `maxBatches`; returns how many. */
export async function purgeExpired(db: Database, options: { retentionDays: number; batch?: number; maxBatches?: number }): Promise<number> {
  const batch = Math.min(options.batch ?? PURGE_BATCH, MAX_INDICATORS_PER_ENTRY);
  const maxBatches = options.maxBatches ?? 20;
  const actor = SYSTEM_ACTORS.sweeper;
  const audit = auditEnabled()
    ? sql`insert into audit_log (actor, actor_org, action, indicator_ids, versions, detail)
        select ${actor.clientId}, null, 'indicator.purged', array_agg(id order by id), array_agg(version order by id),
          ${JSON.stringify({ retention_days: options.retentionDays })}::jsonb
        from purged having count(*) > 0`
    : sql`select 1 where false`;
  let total = 0;
  for (let round = 0; round < maxBatches; round++) {
    const [done] = await rows<{ n: number }>(db, sql`
      with due as (
        select i.id from indicators i
        where i.purged_at is null and i.status <> 'active' and ${RETENTION_START} <= now() - make_interval(days => ${options.retentionDays})
        order by ${RETENTION_START} limit ${batch}
        for update skip locked
      ), purged as (
        update indicators i set
          value_hash = encode(sha256(convert_to(i.type || chr(31) || i.platform || chr(31) || i.value, 'UTF8')), 'hex'),
          value = 'purged:' || i.id::text, description = null, evidence = '[]'::jsonb, relations = '[]'::jsonb,
          "references" = '[]'::jsonb, withdrawn_reason = null, purged_at = now()
        from due where i.id = due.id
        returning i.id, i.version
      ), unlinked as (
        -- The link graph holds relation targets and values derived from the purged one.
        delete from indicator_links l using purged where l.indicator_id = purged.id
      ), audited as (${audit})
      select count(*)::int as n from purged`);
    total += done?.n ?? 0;
    if ((done?.n ?? 0) < batch) break;
  }
  return total;
}
