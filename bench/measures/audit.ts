/**
 * What the audit costs (issue 11: within 15 %): ingest and feed throughput with the audit on and
 * off, in the same run, against the same database.
 *
 * "Off" is a second server process on that database, started with AUDIT_OFF_FOR_BENCHMARKS=true
 * (documented as for benchmarks only: it records nothing). After a warm-up of both, on and off take
 * turns, round after round, so that the growing data set and the machine's noise fall on both
 * alike; each rate is the median of its rounds, each ratio the median of the rounds' on / off.
 * Ingest: `ingestClients` partners push fresh batches concurrently. Feed: the main consumer pulls
 * from the start in JSON and NDJSON pages of 10,000 (every page recorded as a delivery when on).
 * Both servers' sweepers run as usual (chaining included). Last, from the bench process: the
 * chainer's throughput on a backlog written for it (single reads and, one in a hundred, full feed
 * pages of 10,000 deliveries), and what recording one page costs by itself.
 */
import { chainAudit, verifyAudit } from '../../src/modules/audit/chain.js';
import { recordDeliveries } from '../../src/modules/audit/log.js';
import { openDatabase } from '../../src/db/client.js';
import { apiItems } from '../lib/dataset.js';
import { Api, pool } from '../lib/http.js';
import type { Context, Figure, Measure } from '../lib/measure.js';
import { ServerProcess } from '../lib/server.js';
import { median } from '../lib/stats.js';
import { pull } from './feed-pull.js';

const ROUNDS = 3;
/** Entries of the chainer's backlog: one in a hundred a full feed page. */
const CHAIN_BACKLOG = 20_000;
const RECORD_SAMPLES = 20;

async function ingestRate(ctx: Context, api: Api, items: number): Promise<number> {
  const { scale: s, dataset, fleet } = ctx;
  const sources = fleet.partners.slice(0, s.ingestClients);
  const tokens = await Promise.all(sources.map((m) => fleet.token(m)));
  const perClient = Math.max(1, Math.round(items / s.batchSize / sources.length));
  const bodies = sources.map((source) => Array.from({ length: perClient }, () => JSON.stringify({ items: apiItems(dataset, source, s.batchSize) })));
  let stored = 0;
  const t0 = performance.now();
  await pool(sources.length, sources.length, async (c) => {
    for (const body of bodies[c]!) {
      const out = await api.json<{ summary: { created: number; updated: number } }>('POST', '/v1/indicators', tokens[c]!, body);
      stored += out.summary.created + out.summary.updated;
    }
  });
  return stored / ((performance.now() - t0) / 1000);
}

/** Items per pull in a round: enough pages of 10,000 for a steady rate, without a 1 M pull per round and mode. */
const pullItems = (ctx: Context) => Math.min(ctx.scale.feedPullItems, 200_000);

export const audit: Measure = {
  name: 'audit',
  title: 'Ingest and feed with the audit on vs off',
  description: 'The same workloads through a server with the audit (on) and a second one on the same database with AUDIT_OFF_FOR_BENCHMARKS=true (off), alternating.',
  steps: (scale) => [{
    label: 'audit on/off',
    at: scale.feedLevel,
    // Its rounds are paired on/off within the step: one step per bench run, not one per run.
    repeat: false,
    async run(ctx) {
      const port = Number(new URL(ctx.server.baseUrl).port) + 1;
      const off = new ServerProcess({
        databaseUrl: ctx.databaseUrl, port, clientId: 'bench-audit-off', clientSecret: 'bench-audit-off-unused-0123456789',
        env: { AUDIT_OFF_FOR_BENCHMARKS: 'true' },
      });
      await off.start();
      const servers = { on: ctx.api, off: new Api(off.baseUrl) };
      const rates: Record<string, { on: number[]; off: number[] }> = { ingest: { on: [], off: [] }, json: { on: [], off: [] }, ndjson: { on: [], off: [] } };
      const [before] = await ctx.sql<Array<{ n: string }>>`select count(*)::text as n from audit_log`;
      try {
        // Unmeasured, on both alike: the off server has just started and its JIT is cold.
        ctx.server.mark('audit: warm-up');
        for (const api of [servers.on, servers.off]) {
          await ingestRate(ctx, api, ctx.scale.batchSize * ctx.scale.ingestClients);
          for (const format of ['json', 'ndjson'] as const) await pull(ctx, format, 20_000, api);
        }
        for (let round = 0; round < ROUNDS; round++) {
          for (const mode of (round % 2 ? ['off', 'on'] : ['on', 'off']) as Array<'on' | 'off'>) {
            ctx.server.mark(`audit ${mode}: ingest`);
            rates.ingest![mode].push(await ingestRate(ctx, servers[mode], ctx.scale.ingestItems / 2));
            ctx.server.mark(`audit ${mode}: feed`);
            rates.json![mode].push((await pull(ctx, 'json', pullItems(ctx), servers[mode])).rate);
            rates.ndjson![mode].push((await pull(ctx, 'ndjson', pullItems(ctx), servers[mode])).rate);
          }
          ctx.log(`audit round ${round + 1}: ${Object.entries(rates).map(([k, v]) => `${k} on ${Math.round(v.on[round]!).toLocaleString('en')}/s off ${Math.round(v.off[round]!).toLocaleString('en')}/s`).join(', ')}`);
        }
      } finally {
        await off.stop();
      }
      await ctx.dataset.refreshCount();

      const [after] = await ctx.sql<Array<{ n: string }>>`select count(*)::text as n from audit_log`;
      ctx.log(`audit: ${Number(after!.n) - Number(before!.n)} entries written by the run`);

      // The chainer, on a backlog of its own (the servers' sweepers chain the run's as it goes): the
      // shapes the log holds — feed pages of 10,000 deliveries and single reads — written straight in.
      ctx.server.mark('audit: chainer');
      const consumer = ctx.fleet.mainConsumer();
      await ctx.sql`
        with page as (select array_agg(id) as ids, array_agg(version) as versions from (select id, version from indicators limit 10000) s)
        insert into audit_log (actor, actor_org, action, path, indicator_ids, versions)
        select ${consumer.clientId}, ${consumer.id}::uuid, 'delivery', case when g % 100 = 0 then 'feed:json' else 'read' end,
          case when g % 100 = 0 then page.ids else page.ids[1:1] end, case when g % 100 = 0 then page.versions else page.versions[1:1] end
        from page, generate_series(1, ${CHAIN_BACKLOG}) as g`;
      const handle = await openDatabase({ url: ctx.databaseUrl, max: 2 });
      let chain: { entries: number; seconds: number; ok: boolean };
      let recordMs: number;
      try {
        const t0 = performance.now();
        let pending = Infinity;
        while (pending > 0) {
          await chainAudit(handle.db, { maxBatches: 50 });
          const [left] = await ctx.sql<Array<{ n: string }>>`select count(*)::text as n from audit_log a where not exists (select 1 from audit_chain c where c.log_id = a.id)`;
          pending = Number(left!.n);
        }
        const seconds = (performance.now() - t0) / 1000;
        chain = { entries: CHAIN_BACKLOG, seconds, ok: (await verifyAudit(handle.db)).ok };
        // What recording one full page costs by itself: the statement servePage adds to every page of 10,000.
        const page = await ctx.sql<Array<{ id: string; version: number }>>`select id::text, version from indicators limit 10000`;
        const r0 = performance.now();
        for (let k = 0; k < RECORD_SAMPLES; k++) await recordDeliveries(handle.db, { clientId: consumer.clientId, orgId: consumer.id }, 'bench', page);
        recordMs = (performance.now() - r0) / RECORD_SAMPLES;
      } finally {
        await handle.close();
      }
      ctx.log(`audit: chainer ${CHAIN_BACKLOG.toLocaleString('en')} entries (${(CHAIN_BACKLOG / 100).toLocaleString('en')} pages of 10,000 deliveries) in ${chain.seconds.toFixed(1)} s; verify ${chain.ok ? 'ok' : 'FAILED'}`);

      const figures: Figure[] = [];
      const labels = { ingest: ['Ingest', 'indicators/s'], json: ['Feed pull, JSON pages of 10,000', 'items/s'], ndjson: ['Feed pull, NDJSON pages of 10,000', 'items/s'] } as const;
      for (const [key, [label, unit]] of Object.entries(labels) as Array<[keyof typeof labels, readonly [string, string]]>) {
        const { on, off: offRates } = rates[key]!;
        // Paired: each round's on / off, then the median of those (noise of a round falls on both of its halves).
        const ratios = on.map((v, k) => v / offRates[k]!);
        figures.push(
          { id: `audit.${key}_on`, label: `${label}, audit on`, unit, value: median(on), detail: { rounds: on } },
          { id: `audit.${key}_off`, label: `${label}, audit off`, unit, value: median(offRates), detail: { rounds: offRates } },
          { id: `audit.${key}_ratio`, label: `${label}: audit on / off (median of rounds)`, unit: '×', value: median(ratios), target: { op: '>=', value: 0.85 }, detail: { rounds: ratios } },
        );
      }
      const pageMs = (10_000 / median(rates.json!.on)) * 1000;
      ctx.log(`audit: recording a page of 10,000 deliveries takes ${recordMs.toFixed(1)} ms, ${(100 * recordMs / pageMs).toFixed(1)} % of a JSON page's ${pageMs.toFixed(0)} ms`);
      figures.push({
        id: 'audit.record_page_ms', label: 'Recording one page of 10,000 deliveries (one statement)', unit: 'ms', value: recordMs,
        detail: { samples: RECORD_SAMPLES, shareOfJsonPage: recordMs / pageMs },
      });
      figures.push({
        id: 'audit.chain_rate', label: 'Audit chainer (1 % of entries full feed pages)', unit: 'entries/s', value: chain.entries / chain.seconds,
        detail: { ...chain, deliveriesPerSecond: (chain.entries / 100) * 10_000 / chain.seconds },
      });
      return figures;
    },
  }],
};
