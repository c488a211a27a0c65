/**
 * The one way indicators are submitted — a JSON batch, a STIX bundle (POST /v1/indicators) or
 * objects added to a TAXII collection: prepare every item (prepare.ts), then in one transaction
 * claim the Idempotency-Key, store the batch (ingest.ts) and record the answer, then publish the
 * changes of anonymous indicators in a transaction of their own.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Executor } from '../../db/client.js';
import { withRetry } from '../../db/transaction.js';
import type { Caller } from '../../plugins/auth.js';
import { HttpProblem } from '../../plugins/problems.js';
import { publishPendingChanges } from '../feeds/change-log.js';
import { claimKey, completeClaim, storedResponse, type IdempotencyClaim, type StoredResponse } from './idempotency.js';
import { prepareBatch, storeBatch, type ItemResult } from './ingest.js';
import { recordIndicatorEvents } from '../audit/log.js';

export interface Submission {
  items: readonly unknown[];
  defaults?: unknown;
  /** Nothing is stored when any item is rejected (or `alsoRejected`: something else of the request was). */
  atomic: boolean;
  alsoRejected?: boolean;
  claim: IdempotencyClaim | null;
  /**
   * The answer to the request from the items' results (`stored`: whether they were stored; an
   * atomic batch with rejected items is not). It is what an Idempotency-Key replays.
   */
  answer(results: ItemResult[], stored: boolean): StoredResponse;
  /** How it came, for the audit: a JSON `batch`, a `stix` bundle, a `taxii` addition. */
  via: 'batch' | 'stix' | 'taxii';
  /** More to write in the batch's transaction, once its answer is known (a TAXII status resource). */
  alongside?(tx: Executor, answer: StoredResponse): Promise<void>;
}

export type Submitted = { replayed: boolean; answer: StoredResponse };

/** After a commit that left anonymous changes waiting: publish them in a transaction of their own. */
export async function publishAnonymous(db: Database, request: FastifyRequest): Promise<void> {
  try {
    await db.transaction((tx) => publishPendingChanges(tx));
  } catch (err) {
    // Committed already; the sweeper publishes what is left.
    request.log.warn({ err }, 'publishing anonymous changes deferred to the sweeper');
  }
}

/** The indicators a batch created and updated, for the audit (its duplicates repeat ids: kept once). */
export function written(results: ReadonlyArray<{ status: string; id?: string } | undefined>) {
  const created = new Set<string>(), updated = new Set<string>();
  for (const r of results) {
    if (r?.id && r.status === 'created') created.add(r.id);
    else if (r?.id && r.status === 'updated') updated.add(r.id);
  }
  return { 'indicator.created': [...created], 'indicator.updated': [...updated] };
}

export async function submitBatch(app: FastifyInstance, db: Database, request: FastifyRequest, reply: FastifyReply, caller: Caller, submission: Submission): Promise<Submitted> {
  const { claim } = submission;
  if (claim) {
    const previous = await storedResponse(db, claim);
    if (previous) return { replayed: true, answer: previous };
  }
  const now = Date.now();
  const batch = await prepareBatch(db, submission.items, submission.defaults, app.warninglists, now, caller);
  const anyRejected = submission.alsoRejected || batch.accepted.size + batch.duplicates.size < submission.items.length;
  const done = await withRetry(db, async (tx): Promise<{ replayed: StoredResponse } | { stored: StoredResponse; pendingAnonymous: number }> => {
    // Claimed first: a concurrent copy of this request waits here, then replays what this one stored.
    const earlier = claim ? await claimKey(tx, claim) : null;
    if (earlier) return { replayed: earlier };
    let stored: StoredResponse;
    let pendingAnonymous = 0;
    if (submission.atomic && anyRejected) {
      // Nothing is stored: valid items are reported unchanged, with the reason.
      const results = Array.from(batch.results, (r, index) => r ?? { index, status: 'unchanged' as const, warnings: ['not stored: the atomic batch has rejected items'] });
      stored = submission.answer(results, false);
    } else {
      ({ pendingAnonymous } = await storeBatch(tx, caller.orgId, batch, now, { links: app.linkDerivation }));
      await recordIndicatorEvents(tx, caller, written(batch.results), { via: submission.via, items: submission.items.length });
      stored = submission.answer(batch.results, true);
    }
    if (claim) await completeClaim(tx, claim, stored);
    await submission.alongside?.(tx, stored);
    // Past the request's deadline the client has been answered 503 already: roll back rather than commit behind its back.
    if (reply.sent) throw new HttpProblem(503, 'The request could not be completed in time; nothing was stored.');
    return { stored, pendingAnonymous };
  });
  if ('replayed' in done) return { replayed: true, answer: done.replayed };
  if (done.pendingAnonymous) await publishAnonymous(db, request);
  return { replayed: false, answer: done.stored };
}
