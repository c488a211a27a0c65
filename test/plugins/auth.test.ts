/**
 * The key ring's re-reads, on a clock the test controls: a node accepts a key another node began
 * signing with whenever it started, and tokens with made-up kids cost one query per interval.
 */
import t from 'tap';
import { FORCED_RELOAD_INTERVAL_MS, KEY_RING_TTL_MS, keyRingRefresher, type RefresherClock } from '../../src/plugins/auth.js';
import type { KeyRing } from '../../src/modules/identity/keys.js';

const ringWith = (...kids: string[]) => ({ byKid: new Map(kids.map((kid) => [kid, { kid }])) }) as unknown as KeyRing;

/** A clock that moves only when told; sleepers wake when it passes their time. */
function manualClock(): RefresherClock & { advance(ms: number): Promise<void> } {
  let now = 1_000_000;
  let sleepers: Array<{ until: number; wake: () => void }> = [];
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => { sleepers.push({ until: now + ms, wake }); }),
    async advance(ms) {
      now += ms;
      const due = sleepers.filter((s) => s.until <= now);
      sleepers = sleepers.filter((s) => s.until > now);
      due.forEach((s) => s.wake());
      await settle();
    },
  };
}

function setup() {
  const clock = manualClock();
  let stored = ringWith('old');
  const loads: number[] = [];
  const refresher = keyRingRefresher(ringWith('old'), async () => { loads.push(clock.now()); return stored; }, () => {}, clock);
  return { clock, refresher, loads, store: (ring: KeyRing) => { stored = ring; } };
}

t.test('a node that has just started re-reads at once for an unknown kid', async (t) => {
  const { refresher, loads, store } = setup();
  store(ringWith('old', 'new'));
  await refresher.refresh(true);
  t.equal(loads.length, 1, 'no wait: the throttle counts from the last forced re-read, not from the start');
  t.ok(refresher.ring.byKid.has('new'));
});

t.test('made-up kids: one re-read per interval, however many tokens', async (t) => {
  const { clock, refresher, loads } = setup();
  await Promise.all(Array.from({ length: 500 }, () => refresher.refresh(true)));
  t.equal(loads.length, 1, '500 at once share one re-read');

  const waiting = Array.from({ length: 500 }, () => refresher.refresh(true));
  await clock.advance(FORCED_RELOAD_INTERVAL_MS / 2);
  t.equal(loads.length, 1, 'within the interval nothing more is read');
  await clock.advance(FORCED_RELOAD_INTERVAL_MS / 2);
  await Promise.all(waiting);
  t.equal(loads.length, 2, 'the next 500 share the next re-read, one interval later');
});

t.test('a real new key right after a storm of made-up kids is accepted, after at most one interval', async (t) => {
  const { clock, refresher, loads, store } = setup();
  await refresher.refresh(true); // the storm used the forced re-read
  store(ringWith('old', 'new')); // another node starts signing with a new key
  let done = false;
  const legit = refresher.refresh(true).then(() => { done = true; });
  await clock.advance(1);
  t.notOk(done, 'waits for the interval instead of being refused');
  await clock.advance(FORCED_RELOAD_INTERVAL_MS);
  await legit;
  t.ok(refresher.ring.byKid.has('new'), 'then the new key is known');
  t.equal(loads.length, 2);
});

t.test('the ring is re-read in the background when it gets old', async (t) => {
  const { clock, refresher, loads, store } = setup();
  await refresher.refresh(false);
  t.equal(loads.length, 0, 'fresh: nothing read');
  store(ringWith('old', 'rotated'));
  await clock.advance(KEY_RING_TTL_MS);
  await Promise.all([refresher.refresh(false), refresher.refresh(false)]);
  t.equal(loads.length, 1);
  t.ok(refresher.ring.byKid.has('rotated'));
});

t.test('a failed re-read keeps the ring and reports the error', async (t) => {
  const errors: unknown[] = [];
  const refresher = keyRingRefresher(ringWith('old'), async () => { throw new Error('database down'); }, (err) => errors.push(err), manualClock());
  await refresher.refresh(true);
  t.ok(refresher.ring.byKid.has('old'));
  t.equal(errors.length, 1);
});

t.test('a slow re-read that finishes last does not put an older ring back', async (t) => {
  const clock = manualClock();
  const pending: Array<(ring: KeyRing) => void> = [];
  const refresher = keyRingRefresher(ringWith('old'), () => new Promise<KeyRing>((resolve) => pending.push(resolve)), () => {}, clock);
  await clock.advance(KEY_RING_TTL_MS);
  const background = refresher.refresh(false); // reads the ring as it was
  const forced = refresher.refresh(true); // a token with the new key: reads again
  t.equal(pending.length, 2);
  pending[1]!(ringWith('old', 'new'));
  await forced;
  pending[0]!(ringWith('old'));
  await background;
  t.ok(refresher.ring.byKid.has('new'), 'the newer read wins');
});
