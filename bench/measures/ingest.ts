/**
 * Measure 1 — ingest through the API, and the raw baseline in the same run.
 *
 * Each run starts from empty indicator tables. `ingestClients` partners push their own batches
 * of `batchSize` concurrently (POST /v1/indicators) until `ingestItems` are in; bodies are
 * generated before the clock starts. Then the rows exactly as the API stored them (indicators,
 * change log, link-graph links) are exported, the tables emptied, and the same rows COPY-ed back
 * into the same tables with the same indexes: the ratio is API rate / COPY rate.
 */
import { copyIn, copyOut } from '../lib/db.js';
import { apiItems, LINK_COLUMNS } from '../lib/dataset.js';
import { pool } from '../lib/http.js';
import type { Measure } from '../lib/measure.js';

const CHANGE_COLUMNS = 'indicator_id, version, kind, prev_audience_tokens, prev_exclude_tokens, prev_pap, prev_deliverable';

async function exportTable(url: string, query: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  await copyOut(url, query, (chunk) => chunks.push(chunk));
  return chunks;
}

export const ingest: Measure = {
  name: 'ingest',
  title: 'Ingest through the API vs raw COPY',
  description: 'Concurrent partners POST batches to /v1/indicators; the same rows are then COPY-ed into the same (emptied) tables.',
  steps: (scale) => [{
    label: 'ingest',
    at: 0,
    async run(ctx) {
      const { scale: s, dataset, fleet, api } = ctx;
      await dataset.truncate();
      const sources = fleet.partners.slice(0, s.ingestClients);
      const tokens = await Promise.all(sources.map((m) => fleet.token(m)));
      const perClient = Math.ceil(s.ingestItems / s.batchSize / s.ingestClients);
      const bodies = sources.map((source) => Array.from({ length: perClient }, () => JSON.stringify({ items: apiItems(dataset, source, s.batchSize) })));
      const total = perClient * s.ingestClients * s.batchSize;
      ctx.log(`ingest: ${total.toLocaleString('en')} items, ${s.ingestClients} clients × ${perClient} batches of ${s.batchSize}`);

      ctx.server.mark('ingest (API)');
      const summary = { created: 0, updated: 0, unchanged: 0, rejected: 0 };
      const latencies: number[] = [];
      const t0 = performance.now();
      await pool(sources.length, sources.length, async (c) => {
        for (const body of bodies[c]!) {
          const started = performance.now();
          const out = await api.json<{ summary: typeof summary }>('POST', '/v1/indicators', tokens[c]!, body);
          latencies.push(performance.now() - started);
          for (const k of Object.keys(summary) as Array<keyof typeof summary>) summary[k] += out.summary[k];
        }
      });
      const apiSeconds = (performance.now() - t0) / 1000;
      const stored = summary.created + summary.updated;

      // The baseline: the same rows, COPY-ed into the same tables.
      ctx.server.mark('ingest (COPY baseline)');
      const indicatorsCopy = await exportTable(ctx.databaseUrl, 'select * from indicators');
      const changesCopy = await exportTable(ctx.databaseUrl, `select ${CHANGE_COLUMNS} from indicator_changes order by pos`);
      const linksCopy = await exportTable(ctx.databaseUrl, `select ${LINK_COLUMNS} from indicator_links`);
      await dataset.truncate();
      await ctx.sql`checkpoint`;
      const t1 = performance.now();
      await copyIn(ctx.databaseUrl, [
        { copy: 'copy indicators from stdin', chunks: indicatorsCopy },
        { copy: `copy indicator_changes (${CHANGE_COLUMNS}) from stdin`, chunks: changesCopy },
        { copy: `copy indicator_links (${LINK_COLUMNS}) from stdin`, chunks: linksCopy },
      ]);
      const copySeconds = (performance.now() - t1) / 1000;
      await dataset.truncate();

      const apiRate = stored / apiSeconds;
      const copyRate = stored / copySeconds;
      const sorted = [...latencies].sort((a, b) => a - b);
      ctx.log(`ingest: API ${Math.round(apiRate).toLocaleString('en')}/s (${apiSeconds.toFixed(1)} s), COPY ${Math.round(copyRate).toLocaleString('en')}/s (${copySeconds.toFixed(1)} s), ratio ${(apiRate / copyRate).toFixed(2)}; ${JSON.stringify(summary)}`);
      const detail = { summary, apiSeconds, copySeconds, batches: latencies.length, batchP50Ms: sorted[Math.floor(sorted.length / 2)], batchMaxMs: sorted[sorted.length - 1] };
      return [
        { id: 'ingest.api_rate', label: 'Ingest through the API', unit: 'indicators/s', value: apiRate, target: { op: '>=', value: 20_000 }, detail },
        { id: 'ingest.copy_rate', label: 'Raw COPY of the same rows (baseline)', unit: 'indicators/s', value: copyRate },
        { id: 'ingest.ratio', label: 'API ingest / raw COPY', unit: '×', value: apiRate / copyRate, target: { op: '>=', value: 0.8 } },
      ];
    },
  }],
};
