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
