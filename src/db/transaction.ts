/** Transactions that run again when they lost a race to a concurrent one. */
import type { Database, Executor } from './client.js';
import { isTransientConflict } from './errors.js';

/** Thrown inside a transaction when a concurrent writer got there first (e.g. inserted the same key). */
export class RetryableConflict extends Error {}

/**
 * Run `work` in a transaction, again when a concurrent writer won a race on a natural key or the
 * database broke a deadlock by aborting this one (writers lock rows in id order, but a batch, a
 * group change and the sweeper lock different sets of them).
 */
export async function withRetry<T>(db: Database, work: (tx: Executor) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => work(tx as unknown as Executor));
    } catch (err) {
      const retryable = err instanceof RetryableConflict || isTransientConflict(err);
      if (!retryable || attempt >= attempts) throw err;
    }
  }
}
