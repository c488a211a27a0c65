/**
 * Long work in slices: a loop calls `await pace()` between small steps, and the event loop gets
 * a turn whenever the current slice has run for `sliceMs` — so one large request never holds
 * other requests (feed pages, health checks) for longer than about that.
 */
import { performance } from 'node:perf_hooks';

export const SLICE_MS = 10;

export type Pace = () => Promise<void> | undefined;

/** A fresh pacer; `pace()` returns a promise (await it) only when it is time to yield. */
export function pacer(sliceMs = SLICE_MS): Pace {
  let sliceStart = performance.now();
  return () => {
    if (performance.now() - sliceStart < sliceMs) return undefined;
    return new Promise<void>((resolve) => setImmediate(() => {
      sliceStart = performance.now();
      resolve();
    }));
  };
}
