import t from 'tap';
import { concurrencyLimit } from '../../src/modules/indicators/ingest.js';

t.test('concurrencyLimit runs at most N at once, every caller in turn, errors released', async (t) => {
  const limit = concurrencyLimit(2);
  let running = 0, peak = 0;
  const order: number[] = [];
  const job = (i: number) => limit(async () => {
    running++; peak = Math.max(peak, running);
    await new Promise((r) => setTimeout(r, 5));
    running--; order.push(i);
    if (i === 3) throw new Error('boom');
    return i;
  });
  const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map(job));
  t.equal(peak, 2, 'never more than two at once');
  t.same(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'], 'a failure frees its slot');
  t.same([...order].sort(), [1, 2, 3, 4, 5, 6], 'everyone ran');
  t.equal(await limit(async () => 'after'), 'after', 'the limiter is free again');
});
