/** Transactions held open on purpose, for tests of cursors under writers that commit out of start order. */
import type { Database, Executor } from '../../src/db/client.js';

export interface HeldWrite<T> {
  /** Resolves once `work` has run inside the still-open transaction. */
  written: Promise<void>;
  /** Lets the transaction commit (when no `until` was given). */
  release(): void;
  /** Resolves with `work`'s result after the commit. */
  committed: Promise<T>;
}

/** Runs `work` in a transaction that stays open until `until` settles, or without it until `release()`. */
export function heldWrite<T>(db: Database, work: (tx: Executor) => Promise<T>, until?: Promise<unknown>): HeldWrite<T> {
  let release!: () => void;
  const gate = until ?? new Promise<void>((r) => { release = r; });
  release ??= () => {};
  let written!: () => void;
  const writtenPromise = new Promise<void>((r) => { written = r; });
  const committed = db.transaction(async (tx) => {
    const result = await work(tx as unknown as Executor);
    written();
    await gate;
    return result;
  });
  return { written: writtenPromise, release, committed };
}
