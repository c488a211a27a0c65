/**
 * Idempotency-Key (contract §3.4): the first response is replayed for 24 hours; the same key with
 * another body is a 422.
 *
 * The key is claimed — inserted — at the start of the transaction that does the work, and its
 * response written before that transaction commits. A concurrent request with the same key
 * blocks on the primary key until the first one commits (then replays its response, or gets the
 * 422) or rolls back (then does the work itself). So a key is processed once, however many
 * copies arrive at once, and a request that dies half-way leaves no claim behind.
 */
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { HttpProblem } from '../../plugins/problems.js';

const TTL = sql.raw(`interval '24 hours'`);

export interface StoredResponse { status: number; response: unknown }

export interface IdempotencyClaim { clientId: string; key: string; fingerprint: string }

const reused = () => new HttpProblem(422, 'This Idempotency-Key was used with a different request body.', { slug: 'idempotency-key-reused' });

function answer(claim: IdempotencyClaim, row: { request_hash: string; status_code: number | null; response: unknown }): StoredResponse {
  if (row.request_hash !== claim.fingerprint) throw reused();
  return { status: row.status_code!, response: row.response };
}

/** The stored response of a completed key (or the 422), without waiting; null when there is none. */
export async function storedResponse(db: Executor, claim: IdempotencyClaim): Promise<StoredResponse | null> {
  const [row] = await rows<{ request_hash: string; status_code: number | null; response: unknown }>(db, sql`
    select request_hash, status_code, response from idempotency_keys
    where client_id = ${claim.clientId} and key = ${claim.key} and created_at > now() - ${TTL} and status_code is not null`);
  return row ? answer(claim, row) : null;
}

/**
 * Claims the key inside transaction `tx`. Returns null when this request now owns it (do the
 * work, then `completeClaim` in the same transaction), or the response to replay.
 */
export async function claimKey(tx: Executor, claim: IdempotencyClaim): Promise<StoredResponse | null> {
  const claimed = await rows(tx, sql`
    insert into idempotency_keys (client_id, key, request_hash) values (${claim.clientId}, ${claim.key}, ${claim.fingerprint})
    on conflict (client_id, key) do update set request_hash = excluded.request_hash, status_code = null, response = null, created_at = now()
      where idempotency_keys.created_at <= now() - ${TTL}
    returning 1`);
  if (claimed.length) return null;
  // A live claim exists; the insert above waited for its transaction, so it is complete now.
  const [row] = await rows<{ request_hash: string; status_code: number | null; response: unknown }>(tx, sql`
    select request_hash, status_code, response from idempotency_keys where client_id = ${claim.clientId} and key = ${claim.key}`);
  return answer(claim, row!);
}

export async function completeClaim(tx: Executor, claim: IdempotencyClaim, stored: StoredResponse): Promise<void> {
  await tx.execute(sql`
    update idempotency_keys set status_code = ${stored.status}, response = ${JSON.stringify(stored.response)}::jsonb
    where client_id = ${claim.clientId} and key = ${claim.key}`);
}
