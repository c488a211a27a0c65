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
 * Instead, a feed only serves rows whose transaction is older than the oldest transaction
 * still running (`xid < pg_snapshot_xmin(pg_current_snapshot())`). Every such transaction has
 * finished, so no row can ever appear behind the cursor: rows are served in (xid, pos) order
 * and a new row always has an xid at or above the current xmin, hence after any cursor served.
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
