/**
 * Measure — the link graph (contract §6; src/modules/analysis).
 *
 * 1. Ingest with link derivation on vs off, in the same run: a second server process on the same
 *    database with LINK_DERIVATION=false; in each round the same partners push one batch of fresh
 *    indicators to each server in turn (the order alternating by round). The ratio is the median
 *    of the rounds' on/off ratios: paired, so the drift of a shared machine falls on both.
 * 2. /network on a component of 50,000 members, added by COPY to the largest data set (400
 *    servers, 200 wallets and 300 tracking ids shared by 49,100 sites, every row built as the API
 *    would build it): latency from random members as an agency that may receive them all, and how
 *    much the server's RSS grows while it answers (the component stays in the database).
 * 3. /related at depth 3 (limit 500) on the same data set: from random indicators of the data set
 *    (as the secretariat, which may receive them all) and from random members of the component.
 */
import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { prepareItem } from '../../src/modules/indicators/prepare.js';
import { apiItems, indicatorCopyLine, INDICATOR_COLUMNS, LINK_COLUMNS, linkCopyLines } from '../lib/dataset.js';
import { copyIn } from '../lib/db.js';
import { Api, pool } from '../lib/http.js';
import type { Context, Figure, Measure, Scale } from '../lib/measure.js';
import { Rng } from '../lib/rng.js';
import { ServerProcess } from '../lib/server.js';
import { median, summary } from '../lib/stats.js';

const COMPONENT = { servers: 400, wallets: 200, trackers: 300, members: 50_000 };
const samples = (scale: Scale) => (scale.name === 'small' ? 10 : 40);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

/** GETs `paths` one after the other: each one's latency, and `size` of each answer. */
async function sample<T>(ctx: Context, paths: string[], token: string, size: (body: T) => number): Promise<{ latencies: number[]; sizes: number[] }> {
  const latencies: number[] = [], sizes: number[] = [];
  for (const path of paths) {
    const { ms, value } = await timed(() => ctx.api.json<T>('GET', path, token));
    latencies.push(ms);
    sizes.push(size(value));
  }
  return { latencies, sizes };
}

/** The component's items: servers, wallets and tracking ids, then the sites that share them. */
function componentItems(seed: number): Record<string, unknown>[] {
  const r = new Rng(seed ^ 0x6a6a);
  const server = (k: number) => ({ type: 'ipv4', value: `185.${201 + Math.floor(k / 250)}.${k % 250}.7` });
  const wallet = (k: number) => ({ type: 'crypto_address', platform: 'eth', value: `0x${createHash('sha256').update(`graph-wallet:${k}`).digest('hex').slice(0, 40)}` });
  const tracker = (k: number) => ({ type: 'tracking_id', platform: 'google_analytics', value: `UA-${7_000_000 + k}-1` });
  const items: Record<string, unknown>[] = [
    ...Array.from({ length: COMPONENT.servers }, (_, k) => server(k)),
    ...Array.from({ length: COMPONENT.wallets }, (_, k) => wallet(k)),
    ...Array.from({ length: COMPONENT.trackers }, (_, k) => tracker(k)),
  ];
  for (let i = items.length; i < COMPONENT.members; i++) {
    const relations: Array<{ type: string; target: Record<string, unknown> }> = [{ type: 'hosted_on', target: server(r.int(0, COMPONENT.servers - 1)) }];
    if (r.chance(0.7)) relations.push({ type: 'advertised_on', target: tracker(r.int(0, COMPONENT.trackers - 1)) });
    if (r.chance(0.3)) relations.push({ type: 'uses_payment', target: wallet(r.int(0, COMPONENT.wallets - 1)) });
    items.push({ type: 'domain', value: `net-${i.toString(36)}-mirror.tv`, relations });
  }
  return items.map((item) => ({ ...item, tlp: 'GREEN', pap: 'GREEN', confidence: 70 }));
}

let component: string[] | null = null;

/** COPY the component in (once per bench run); its members' ids. */
async function buildComponent(ctx: Context): Promise<string[]> {
  if (component) return component;
  const source = ctx.fleet.partners[0]!;
  const now = Date.now();
  const indicators: string[] = [], changes: string[] = [], links: string[] = [], ids: string[] = [];
  for (const item of componentItems(ctx.dataset.seed)) {
    const prepared = prepareItem(item, now, ctx.dataset.matcher);
    if (!prepared.ok) throw new Error(`component item rejected: ${JSON.stringify(prepared.errors)}`);
    const id = uuidv7();
    ids.push(id);
    indicators.push(indicatorCopyLine(id, source.id, prepared.row, now));
    changes.push(`${id}\t1\tcreated\n`);
    links.push(...linkCopyLines(id, prepared.row));
  }
  const chunks = (lines: string[]) => Array.from({ length: Math.ceil(lines.length / 1000) }, (_, k) => lines.slice(k * 1000, (k + 1) * 1000).join(''));
  await copyIn(ctx.databaseUrl, [
    { copy: `copy indicators (${INDICATOR_COLUMNS.map((c) => `"${c}"`).join(', ')}) from stdin`, chunks: chunks(indicators) },
    { copy: 'copy indicator_changes (indicator_id, version, kind) from stdin', chunks: chunks(changes) },
    { copy: `copy indicator_links (${LINK_COLUMNS}) from stdin`, chunks: chunks(links) },
  ]);
  await ctx.sql`analyze indicators`;
  await ctx.sql`analyze indicator_links`;
  await ctx.dataset.refreshCount();
  ctx.log(`graph: a component of ${ids.length.toLocaleString('en')} members (${links.length.toLocaleString('en')} links) added by COPY`);
  component = ids;
  return ids;
}

export const graph: Measure = {
  name: 'graph',
  title: 'Link graph: ingest with links on vs off, /network on 50,000 members, /related at depth 3',
  description: 'A second server with LINK_DERIVATION=false on the same database takes the same batches in turn; /network and /related are asked from random members and indicators of the largest data set.',
  steps: (scale) => [
    {
      label: 'graph: ingest with link derivation on vs off',
      repeat: false,
      at: 0,
      async run(ctx) {
        const { fleet, dataset } = ctx;
        const s = ctx.scale;
        await dataset.truncate();
        const off = new ServerProcess({
          databaseUrl: ctx.databaseUrl, port: Number(new URL(ctx.server.baseUrl).port) + 1, clientId: 'bench-admin',
          clientSecret: 'bench-bootstrap-secret-0123456789abcdef', env: { LINK_DERIVATION: 'false' }, logName: 'server-links-off.log',
        });
        await off.start();
        try {
          const apis = { on: ctx.api, off: new Api(off.baseUrl) };
          const sources = fleet.partners.slice(0, s.ingestClients);
          const tokens = await Promise.all(sources.map((m) => fleet.token(m)));
          // Rounds of one batch per partner to each server, paired: the ratio within a round cancels the drift of a shared machine.
          const rounds = Math.max(4, Math.ceil(s.ingestItems / s.batchSize / s.ingestClients));
          const seconds = { on: 0, off: 0 }, items = { on: 0, off: 0 };
          const ratios: number[] = [];
          for (let round = 0; round < rounds; round++) {
            const rate = { on: 0, off: 0 };
            for (const mode of (round % 2 === 0 ? ['on', 'off'] : ['off', 'on']) as Array<'on' | 'off'>) {
              const bodies = sources.map((source) => JSON.stringify({ items: apiItems(dataset, source, s.batchSize) }));
              const { ms, value } = await timed(() => pool(sources.length, sources.length, (c) =>
                apis[mode].json<{ summary: { created: number } }>('POST', '/v1/indicators', tokens[c]!, bodies[c]!)));
              const created = value.reduce((sum, v) => sum + v.summary.created, 0);
              seconds[mode] += ms / 1000;
              items[mode] += created;
              rate[mode] = created / (ms / 1000);
            }
            ratios.push(rate.on / rate.off);
          }
          const rate = { on: items.on / seconds.on, off: items.off / seconds.off };
          const ratio = median(ratios);
          const [links] = await ctx.sql<Array<{ n: string }>>`select count(*)::text as n from indicator_links`;
          ctx.log(`graph: ingest with links ${Math.round(rate.on).toLocaleString('en')}/s, without ${Math.round(rate.off).toLocaleString('en')}/s; paired ratio (median of ${rounds} rounds) ${ratio.toFixed(2)} [${ratios.map((r) => r.toFixed(2)).join(', ')}]; ${links!.n} links for ${items.on} items`);
          const detail = { rounds, items, seconds, ratios, links: Number(links!.n) };
          return [
            { id: 'graph.ingest_links_on', label: 'Ingest through the API, link derivation on', unit: 'indicators/s', value: rate.on, detail },
            { id: 'graph.ingest_links_off', label: 'Ingest through the API, link derivation off', unit: 'indicators/s', value: rate.off },
            { id: 'graph.ingest_links_ratio', label: 'Ingest with links / without (median of paired rounds)', unit: '×', value: ratio, target: { op: '>=', value: 0.9 } },
          ];
        } finally {
          await off.stop();
          await dataset.truncate();
        }
      },
    },
    {
      label: 'graph: /network on a 50,000-member component',
      repeat: false,
      at: 'last',
      async run(ctx, run) {
        const members = await buildComponent(ctx);
        const token = await ctx.fleet.token(ctx.fleet.mainConsumer());
        const r = new Rng(ctx.dataset.seed ^ 0x7b7b, run);
        const phase = `graph: network (run ${run + 1})`;
        const before = ctx.server.memory().currentRssMb;
        ctx.server.mark(phase);
        const paths = Array.from({ length: samples(scale) }, () => `/v1/indicators/${r.pick(members)}/network?limit=200`);
        const { latencies, sizes: seen } = await sample<{ members: number }>(ctx, paths, token, (body) => body.members);
        ctx.server.mark('graph: after network');
        const sizes = [...new Set(seen)];
        const peak = ctx.server.memory().phases.find((p) => p.phase === phase)?.peakRssMb ?? NaN;
        const stats = summary(latencies);
        ctx.log(`graph: /network p50 ${stats.p50.toFixed(0)} ms, p99 ${stats.p99.toFixed(0)} ms; members seen ${sizes.join(', ')}; RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB while answering`);
        return [
          { id: 'graph.network_p50', label: '/network on a 50,000-member component, p50', unit: 'ms', value: stats.p50, detail: { ...stats, members: sizes } },
          { id: 'graph.network_p99', label: '/network on a 50,000-member component, p99', unit: 'ms', value: stats.p99 },
          { id: 'graph.network_rss_growth', label: 'Server RSS growth while answering /network (peak over the RSS before)', unit: 'MB', value: peak - before, detail: { before, peak } },
        ] satisfies Figure[];
      },
    },
    {
      label: 'graph: /related at depth 3',
      repeat: false,
      at: 'last',
      async run(ctx, run) {
        const members = await buildComponent(ctx);
        const consumer = await ctx.fleet.token(ctx.fleet.mainConsumer());
        const r = new Rng(ctx.dataset.seed ^ 0x7c7c, run);
        const n = samples(scale) * 3;
        const percent = Math.min(100, (100 * n * 20) / Math.max(1, ctx.dataset.count));
        const starts = (await ctx.sql<Array<{ id: string }>>`select id from indicators tablesample bernoulli (${percent}) limit ${n}`).map((row) => row.id);
        const nodesOf = (body: { nodes: unknown[] }) => body.nodes.length;
        const fromDataset = await sample(ctx, starts.map((id) => `/v1/indicators/${id}/related?depth=3&limit=500`), ctx.adminToken, nodesOf);
        const componentPaths = Array.from({ length: n }, () => `/v1/indicators/${r.pick(members)}/related?depth=3&limit=500`);
        const fromComponent = await sample(ctx, componentPaths, consumer, nodesOf);
        const nodes = Math.max(0, ...fromDataset.sizes), componentNodes = Math.max(0, ...fromComponent.sizes);
        const d = summary(fromDataset.latencies), c = summary(fromComponent.latencies);
        ctx.log(`graph: /related depth 3 from the data set p50 ${d.p50.toFixed(0)} ms p99 ${d.p99.toFixed(0)} ms (largest ${nodes} nodes); from the component p50 ${c.p50.toFixed(0)} ms p99 ${c.p99.toFixed(0)} ms (${componentNodes} nodes)`);
        return [
          { id: 'graph.related_dataset_p99', label: '/related depth 3 from random indicators of the data set, p99', unit: 'ms', value: d.p99, detail: { ...d, largest: nodes, dataset: ctx.dataset.count } },
          { id: 'graph.related_component_p99', label: '/related depth 3 (500 nodes) from members of the 50,000-member component, p99', unit: 'ms', value: c.p99, detail: { ...c, largest: componentNodes } },
        ];
      },
    },
  ],
};
