/**
 * Opaque, stateless, tamper-evident cursors: base64url(JSON) + "." + HMAC. A cursor the server
 * did not issue (or one for another endpoint) fails verification and is a 400.
 *
 * Feed cursors hold a position in the change log as (xid, pos): the id of the writing
 * transaction and the row's sequence number. Why not just `pos`? Sequence numbers are taken
 * when a row is written, but rows become visible when their transaction commits, and
 * transactions commit in another order than they started. A consumer that already read
 * pos 12 would never see pos 10 committed a moment later: the classic lost-update gap.
 *
 * Instead, a feed only serves rows whose transaction is older than the oldest transaction of
 * this database still running (the horizon, `feedHorizon`). Every such transaction has finished,
 * so no row can ever appear behind the cursor: rows are served in (xid, pos) order and a new
 * row always has an xid at or above the horizon, hence after any cursor served.
 *
 * Why "of this database": transaction ids are shared by the whole PostgreSQL cluster, but only
 * transactions in this database can write its change log. Taking the cluster's oldest running
 * transaction (`pg_snapshot_xmin`) would let a long transaction in any other database on the
 * same server hold every feed back.
 *
 * On a read replica (a hot standby, DATABASE_READ_URL) the horizon is the standby snapshot's
 * xmin (`standbyHorizon`), and the "of this database" refinement is given up. Why it holds:
 *
 * - A standby has no transactions of its own that write; its snapshot is built from what replay
 *   knows of the primary (KnownAssignedXids): every xid that WAL replayed so far has shown, plus
 *   every xid below the highest one seen (an xid assigned on the primary before a younger one
 *   wrote WAL is assumed running), less those whose commit or abort was replayed, or that a
 *   replayed running-xacts record shows finished — and a transaction leaves the primary's
 *   running set only after its commit record is in the WAL, so that record came first and was
 *   replayed first. xmax is one past the latest completed xid. So every transaction of the
 *   primary that is not committed *in the replayed WAL* — running there, or committed there but
 *   not replayed yet, or not even known to the standby — has an xid ≥ the standby's xmin: the
 *   same invariant as on the primary, only relative to the replay position.
 * - The standby's snapshot keeps its running xids in the part pg_current_snapshot() does not
 *   show (subxip), so its xip list is empty there; xmin (the oldest of them) is what remains,
 *   and it is the right bound: no row the replica shows later can be below it.
 * - pg_stat_activity on a standby lists no primary backends, so which of those xids are this
 *   database's cannot be told: xmin is taken whole, and a long transaction in another database
 *   of the primary holds replica-served feeds back (never forward) until it ends.
 * - Prepared transactions stay in the standby's running set from PREPARE until COMMIT/ROLLBACK
 *   PREPARED is replayed, as they stay in the primary's; they hold the horizon as there.
 * - Anonymous publication (src/modules/feeds/change-log.ts) writes its change rows in a
 *   transaction of its own: an ordinary writer like any other here.
 * - Each statement on a standby sees the replay position of its moment, later for later
 *   statements. Rows below a horizon are committed in the replayed WAL, so a later statement sees
 *   the same ones: the page read after the horizon holds them all.
 * - An item is the indicator as the replica shows it, which may be older than the primary's row:
 *   any newer version was written by a transaction not committed in the replayed WAL, whose
 *   change is at or above the horizon — it follows on a later page, as on the primary.
 * - Cursors name positions in the primary's xid order, which is the replica's too, so one issued
 *   by the primary may come to the replica and back. A replica behind the cursor serves nothing
 *   after it and returns the cursor unchanged (nextPosition never moves back); whatever lies
 *   below the cursor was served by whoever issued it, since there it was below the horizon.
 *   Never past the horizon either: a change committed on the primary but not replayed yet is at
 *   or above the replica's horizon, so no cursor the replica issues passes it, and it is served
 *   by the first page read once it is replayed.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function encodeCursor(kind: string, payload: Record<string, unknown>, key: Buffer): string {
  const body = Buffer.from(JSON.stringify({ k: kind, ...payload })).toString('base64url');
  return `${body}.${sign(body, key)}`;
}

/** The payload of a cursor of `kind` that this server issued, or null. */
export function decodeCursor<T extends Record<string, unknown>>(kind: string, cursor: string, key: Buffer): T | null {
  const dot = cursor.indexOf('.');
  if (dot <= 0 || cursor.length > 2048) return null;
  const body = cursor.slice(0, dot);
  const given = Buffer.from(cursor.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(body, key), 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { k?: unknown } & T;
    if (parsed.k !== kind) return null;
    return parsed;
  } catch {
    return null;
  }
}

function sign(body: string, key: Buffer): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, 22);
}

/** A position in the change log. `xid` is a decimal xid8; `pos` a bigserial. */
export interface FeedPosition { xid: string; pos: number }

export function compareFeedPositions(a: FeedPosition, b: FeedPosition): number {
  const ax = BigInt(a.xid), bx = BigInt(b.xid);
  if (ax !== bx) return ax < bx ? -1 : 1;
  return a.pos - b.pos;
}

/** A PostgreSQL snapshot (`pg_current_snapshot()`): xids as decimal xid8 strings. */
export interface Snapshot { xmax: string; xip: readonly string[] }

/**
 * The feed horizon from a snapshot and the transactions of this database that were running
 * when it was taken (32-bit xids as `pg_stat_activity.backend_xid` shows them, read *after* the
 * snapshot): the oldest of this database's in-progress xids, or the snapshot's xmax when none
 * is — every transaction that will get an xid later gets one at or above xmax.
 */
export function horizonOf(snapshot: Snapshot, runningHere: Iterable<string>): string {
  const here = new Set(runningHere);
  let horizon = BigInt(snapshot.xmax);
  for (const xid of snapshot.xip) {
    const full = BigInt(xid);
    // xip entries lie within 2^31 of each other, so their low 32 bits name them uniquely.
    if (full < horizon && here.has((full & 0xffffffffn).toString())) horizon = full;
  }
  return horizon.toString();
}

/**
 * The feed horizon on a hot standby (see the comment at the top): its snapshot's xmin — the oldest
 * transaction of the primary not yet committed in the replayed WAL, or xmax when replay knows of
 * none. The xip entries are taken into account too, should a version of PostgreSQL show them.
 */
export function standbyHorizon(snapshot: Snapshot & { xmin: string }): string {
  let horizon = BigInt(snapshot.xmin);
  for (const xid of [snapshot.xmax, ...snapshot.xip]) if (BigInt(xid) < horizon) horizon = BigInt(xid);
  return horizon.toString();
}
