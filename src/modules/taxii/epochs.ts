/**
 * TAXII `date_added`, gap-free. TAXII orders a collection by the time each object was added and
 * lets a client ask for what was added after a time (`added_after`, typically the last
 * X-TAXII-Date-Added-Last it saw). The change log's gap-free order is (xid, pos) below the feed
 * horizon (src/domain/cursor.ts), and a transaction that started early may commit late: a
 * commit time would put its changes behind a time a client already passed.
 *
 * So time is derived from the log's order instead. An epoch (horizon, stamped_at) says: every
 * change below `horizon` was added by `stamped_at`. Epochs are written with both values strictly
 * increasing (under a lock, the stamp at least a millisecond after the previous one), each only
 * once changes wait below a new horizon. A change's date_added is the stamp of the first epoch
 * above its transaction id: it never moves, and it follows the log's order. `added_after=T`
 * becomes a position: the horizon of the last epoch stamped at or before T. Every change below
 * it was added by T; every change at or above it was stamped later than T — including those of a
 * transaction that committed after the client's last poll, which no epoch covered then.
 *
 * A collection is served below the horizon of the latest epoch. Each TAXII read, and the sweeper
 * on each tick, first stamps a new epoch when changes wait (`advanceEpoch`).
 */
import { sql } from 'drizzle-orm';
import { rows, type Database, type Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { FEED_START, feedHorizon } from '../feeds/query.js';
import type { FeedPosition } from '../../domain/cursor.js';

/** Epoch stamps as served: RFC 3339 UTC to the millisecond (stamps are whole milliseconds). */
const STAMP = sql.raw(`to_char(stamped_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

export interface Epoch { horizon: string; stampedAt: string }

/** Serialises epoch writers across nodes (an advisory lock of this database). */
const EPOCH_LOCK = 7362002;

/**
 * Stamps a new epoch when changes wait below the current feed horizon, and returns the latest
 * epoch (null before the first change). Call outside a transaction (see feedHorizon).
 */
export async function advanceEpoch(db: Database): Promise<Epoch | null> {
  const horizon = await feedHorizon(db);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${EPOCH_LOCK})`);
    const [latest] = await rows<{ horizon: string; stamped_at: string }>(tx, sql`
      with last as (select horizon, stamped_at from taxii_epochs order by horizon desc limit 1),
      stamped as (
        insert into taxii_epochs (horizon, stamped_at)
        select ${horizon}::xid8, greatest(date_trunc('milliseconds', clock_timestamp()), (select stamped_at from last) + interval '1 millisecond')
        where ${horizon}::xid8 > coalesce((select horizon from last), '0'::xid8)
          and exists (select 1 from indicator_changes c
            where c.xid >= coalesce((select horizon from last), '0'::xid8) and c.xid < ${horizon}::xid8)
        returning horizon, stamped_at)
      select horizon::text, ${STAMP} as stamped_at from (select * from stamped union all select * from last) e
      order by e.horizon desc limit 1`);
    return latest ? { horizon: latest.horizon, stampedAt: latest.stamped_at } : null;
  });
}

/** Where `added_after=T` starts: just before the first change stamped later than T. */
export async function positionAddedAfter(db: Executor, after: string): Promise<FeedPosition> {
  const [epoch] = await rows<{ horizon: string }>(db, sql`
    select horizon::text from taxii_epochs where stamped_at <= ${after}::timestamptz order by stamped_at desc limit 1`);
  return epoch ? { xid: epoch.horizon, pos: 0 } : FEED_START;
}

/** The date_added of changes of these transactions (each served below the latest epoch), by xid. */
export async function datesAdded(db: Executor, xids: readonly string[]): Promise<Map<string, string>> {
  const distinct = [...new Set(xids)];
  if (!distinct.length) return new Map();
  const found = await rows<{ xid: string; date_added: string }>(db, sql`
    select x.xid, (select ${STAMP} from taxii_epochs e where e.horizon > x.xid::xid8 order by e.horizon limit 1) as date_added
    from unnest(${pgArray(distinct)}::text[]) as x(xid)`);
  return new Map(found.map((r) => [r.xid, r.date_added]));
}

/** Status resources of additions are kept this long for their organisation. */
const STATUS_RETENTION = sql.raw(`interval '7 days'`);

/** The sweeper's share: stamp an epoch when changes wait (date_added follows the log even without readers), drop old statuses. */
export async function taxiiHousekeeping(db: Database): Promise<void> {
  await advanceEpoch(db);
  await db.execute(sql`delete from taxii_statuses where created_at < now() - ${STATUS_RETENTION}`);
}
