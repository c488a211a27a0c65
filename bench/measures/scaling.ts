/**
 * Measure 5 — feed-page latency as the data set grows (e.g. 100 thousand, 1 million, 5 million).
 *
 * At each size the main consumer asks, one at a time, for pages of 1,000 from cursors at
 * random points of the change log (minted with the server's cursor key, as if the consumer
 * were already that far). Growth: p50 at the largest size / p50 at the smallest.
 */
import type { Figure, Measure } from '../lib/measure.js';
import { summary } from '../lib/stats.js';

const short = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

export const scaling: Measure = {
  name: 'scale',
  title: 'Feed-page latency vs data set size',
  description: 'Pages of 1,000 from random points of the change log, one consumer, no other load.',
  steps: (scale) => scale.scaleLevels.map((level) => ({
    label: `scale@${short(level)}`,
    at: level,
    async run(ctx, run) {
      const token = await ctx.fleet.token(ctx.fleet.mainConsumer());
      const positions = await ctx.randomPositions(ctx.scale.scaleSamples, 5000 + run);
      ctx.server.mark(`scale@${short(level)}`);
      // One warm-up request (connection, token cache), not counted.
      await ctx.api.text('/v1/feed?limit=1000', token);
      const latencies: number[] = [];
      for (const p of positions) {
        const started = performance.now();
        await ctx.api.text(`/v1/feed?limit=1000&cursor=${encodeURIComponent(ctx.cursorAt(p.xid, p.pos))}`, token);
        latencies.push(performance.now() - started);
      }
      const s = summary(latencies);
      ctx.log(`scale@${short(level)} (${ctx.dataset.count.toLocaleString('en')} indicators): p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
      return [
        { id: `scale.p50@${level}`, label: `Feed page (1,000) p50 at ${short(level)} indicators`, unit: 'ms', value: s.p50, detail: { ...s, indicators: ctx.dataset.count } },
        { id: `scale.p99@${level}`, label: `Feed page (1,000) p99 at ${short(level)} indicators`, unit: 'ms', value: s.p99 },
      ];
    },
  })),
  derive(medians) {
    const levels = [...medians.keys()].filter((k) => k.startsWith('scale.p50@')).map((k) => Number(k.split('@')[1])).sort((a, b) => a - b);
    if (levels.length < 2) return [];
    const lo = levels[0]!, hi = levels[levels.length - 1]!;
    const out: Figure[] = [];
    for (const q of ['p50', 'p99'] as const) {
      const a = medians.get(`scale.${q}@${lo}`)!.median, b = medians.get(`scale.${q}@${hi}`)!.median;
      out.push({ id: `scale.growth_${q}`, label: `Page latency ${q} growth ${short(lo)} → ${short(hi)}`, unit: '×', value: b / a, ...(q === 'p50' ? { target: { op: '<=' as const, value: 1.5 } } : {}) });
    }
    return out;
  },
};
