/**
 * Measure 3 — feed-page latency with concurrent consumers while ingest runs.
 *
 * `loadConsumers` consumers (agencies and intermediaries) each start at a random point of the
 * change log (at the largest data set of the run) and follow next_cursor with pages of 1,000 items, back to back, while
 * `loadIngestClients` partners push batches through the API. Latency is the time to the whole
 * response body, measured by the client.
 */
import { apiItems } from '../lib/dataset.js';
import type { Measure } from '../lib/measure.js';
import { summary } from '../lib/stats.js';

export const underLoad: Measure = {
  name: 'load',
  title: 'Feed-page latency under load',
  description: 'Concurrent consumers pull pages of 1,000 while partners ingest.',
  steps: (scale) => [{
    label: 'under load',
    // Just above the largest data set: after everything the bulk loader adds (the loader only
    // knows the values it generated itself, not those this step pushes through the API) and after
    // the scaling measure has sampled that size undisturbed.
    at: Math.max(scale.feedLevel, ...scale.scaleLevels) + 1,
    async run(ctx, run) {
      const { scale: s, fleet, api, dataset } = ctx;
      const agencies = fleet.agencies, intermediaries = fleet.intermediaries;
      const consumers = Array.from({ length: s.loadConsumers }, (_, k) => (k % 4 === 3 ? intermediaries[k % intermediaries.length]! : k === 0 ? fleet.mainConsumer() : agencies[(k * 37) % agencies.length]!));
      const consumerTokens = await Promise.all(consumers.map((m) => fleet.token(m)));
      const starts = await ctx.randomPositions(consumers.length, 1000 + run);
      const sources = fleet.partners.slice(10, 10 + s.loadIngestClients);
      const sourceTokens = await Promise.all(sources.map((m) => fleet.token(m)));
      // Bodies for the expected duration are made before the clock starts; more are made if needed.
      const preBatches = Math.ceil((s.loadSeconds * 20_000) / s.batchSize / sources.length);
      const bodies = sources.map((src) => Array.from({ length: preBatches }, () => JSON.stringify({ items: apiItems(dataset, src, s.batchSize) })));

      ctx.server.mark('under load');
      let stop = false;
      const latencies: number[] = [];
      const perConsumer: number[][] = consumers.map(() => []);
      let ingested = 0;
      const t0 = performance.now();
      const ingestWork = sources.map(async (src, c) => {
        let k = 0;
        while (!stop) {
          const body = bodies[c]![k++] ?? JSON.stringify({ items: apiItems(dataset, src, s.batchSize) });
          const out = await api.json<{ summary: { created: number; updated: number } }>('POST', '/v1/indicators', sourceTokens[c]!, body);
          ingested += out.summary.created + out.summary.updated;
        }
      });
      const consumerWork = consumers.map(async (_, c) => {
        let cursor: string | null = ctx.cursorAt(starts[c]!.xid, starts[c]!.pos);
        while (!stop) {
          const started = performance.now();
          const res = await api.text(`/v1/feed?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, consumerTokens[c]!);
          const ms = performance.now() - started;
          if (!stop) { latencies.push(ms); perConsumer[c]!.push(ms); }
          cursor = res.headers.get('x-next-cursor');
        }
      });
      await new Promise((resolve) => setTimeout(resolve, s.loadSeconds * 1000));
      stop = true;
      await Promise.all(consumerWork);
      const consumerSeconds = (performance.now() - t0) / 1000;
      await Promise.all(ingestWork);
      const ingestSeconds = (performance.now() - t0) / 1000;
      dataset.count += ingested;
      const all = summary(latencies);
      ctx.log(`under load: ${all.count} pages, p50 ${all.p50.toFixed(0)} ms, p99 ${all.p99.toFixed(0)} ms, max ${all.max.toFixed(0)} ms; ingest ${Math.round(ingested / ingestSeconds).toLocaleString('en')}/s meanwhile`);
      const detail = { ...all, pagesPerSecond: all.count / consumerSeconds, ingestRate: ingested / ingestSeconds, consumers: consumers.map((m, c) => ({ kind: m.kind, ...summary(perConsumer[c]!) })) };
      return [
        { id: 'load.page_p50', label: 'Feed page (1,000) p50, 8 consumers + ingest', unit: 'ms', value: all.p50, detail },
        { id: 'load.page_p99', label: 'Feed page (1,000) p99, 8 consumers + ingest', unit: 'ms', value: all.p99, target: { op: '<=', value: 100 } },
        { id: 'load.ingest_rate', label: 'Ingest through the API meanwhile', unit: 'indicators/s', value: ingested / ingestSeconds },
      ];
    },
  }],
};
