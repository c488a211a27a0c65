/**
 * I-SOP Exchange benchmark harness: `npm run bench -- [--scale=small|full] [--only=ingest,feed,taxii,load,graph,memory,scale,stream]
 *   [--runs=N] [--seed=N] [--db=isop_bench] [--keep] [--profile] [--no-build] [--write-md]`,
 *   or `npm run bench -- --report=bench/results/<date>.json` to regenerate bench/RESULTS.md.
 *
 * Creates a fresh PostgreSQL database, starts the compiled server as a separate process on
 * 127.0.0.1, creates the organisations through the admin API, then runs the steps of the
 * selected measures in order of the data set size they need (growing it by COPY between them),
 * and writes bench/results/<date>.json and bench/RESULTS.md. See bench/measures/index.ts.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { encodeCursor } from '../src/domain/cursor.js';
import { Dataset } from './lib/dataset.js';
import { connect, databaseUrl, dropDatabase, recreateDatabase, serverInfo, tableSizes } from './lib/db.js';
import { createFleet, type Member } from './lib/fleet.js';
import { Api } from './lib/http.js';
import type { Context, Figure, Measure, Scale, Step } from './lib/measure.js';
import { collect, machineInfo, passes, writeMarkdown, type FigureResult, type Results } from './lib/report.js';
import { Rng } from './lib/rng.js';
import { buildServer, ROOT, ServerProcess } from './lib/server.js';
import { median } from './lib/stats.js';
import { MEASURES } from './measures/index.js';

const SCALES: Record<Scale['name'], Scale> = {
  small: {
    name: 'small', orgs: 200, groups: 8, ingestItems: 40_000, ingestClients: 4, batchSize: 5_000,
    feedPullItems: 50_000, feedLevel: 80_000, loadSeconds: 8, loadConsumers: 8, loadIngestClients: 2,
    scaleLevels: [10_000, 50_000, 100_000], scaleSamples: 30,
  },
  full: {
    name: 'full', orgs: 1_000, groups: 24, ingestItems: 100_000, ingestClients: 4, batchSize: 5_000,
    feedPullItems: 1_000_000, feedLevel: 1_450_000, loadSeconds: 40, loadConsumers: 8, loadIngestClients: 2,
    scaleLevels: [100_000, 1_000_000, 5_000_000], scaleSamples: 60,
  },
};

function args() {
  const out: Record<string, string> = {};
  for (const a of process.argv.slice(2)) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}`);
    out[m[1]!] = m[2] ?? 'true';
  }
  return out;
}

const started = new Date();
const logLines: string[] = [];
const log = (message: string) => {
  const line = `[${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(5)} s] ${message}`;
  logLines.push(line);
  process.stdout.write(line + '\n');
};

async function main() {
  const a = args();
  if (a.report) {
    // Regenerate bench/RESULTS.md from a results file (e.g. after editing bench/NOTES.md).
    const results = JSON.parse(readFileSync(a.report, 'utf8')) as Results;
    writeMarkdown(`${ROOT}bench/RESULTS.md`, results, `${ROOT}bench/NOTES.md`);
    log(`wrote bench/RESULTS.md from ${a.report}`);
    return;
  }
  const scale = SCALES[(a.scale ?? 'small') as Scale['name']];
  if (!scale) throw new Error(`--scale must be small or full`);
  const runs = Number(a.runs ?? (scale.name === 'full' ? 3 : 1));
  const seed = Number(a.seed ?? 20260101);
  const only = a.only ? a.only.split(',') : null;
  const measures: Measure[] = only ? MEASURES.filter((m) => only.includes(m.name)) : MEASURES;
  if (only && measures.length !== only.length) throw new Error(`--only: known measures are ${MEASURES.map((m) => m.name).join(', ')}`);
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  // Defaults of their own per checkout (worktree): two checkouts benchmarking at once must not
  // drop each other's database or fight for one port.
  const checkout = basename(ROOT.replace(/\/$/, ''));
  const own = checkout === 'main' ? '' : `_${checkout.toLowerCase().replace(/[^a-z0-9]/g, '_')}`;
  const dbName = a.db ?? `isop_bench${own}`;
  const url = databaseUrl(base, dbName);
  const port = Number(a.port ?? 3999 - (own ? 1 + (createHash('sha256').update(checkout).digest()[0]! % 200) : 0));

  if (a['no-build'] !== 'true') buildServer(log);
  log(`scale ${scale.name}, runs ${runs}, measures ${measures.map((m) => m.name).join(', ')}`);
  await recreateDatabase(base, dbName);
  const secret = 'bench-bootstrap-secret-0123456789abcdef';
  const profileDir = a.profile === 'true' ? `${ROOT}bench/.cache/profiles/${started.toISOString().replace(/[:.]/g, '-')}` : undefined;
  const server = new ServerProcess({ databaseUrl: url, port, clientId: 'bench-admin', clientSecret: secret, ...(profileDir ? { cpuProfDir: profileDir } : {}) });
  const sql = connect(url, 4);
  try {
    server.mark('start-up');
    await server.start();
    log(`server pid ${server.pid} on ${server.baseUrl}`);
    const api = new Api(server.baseUrl);
    const adminToken = await api.token('bench-admin', secret);
    server.mark('setup (admin API)');
    const fleet = await createFleet(api, adminToken, seed, scale.orgs, scale.groups, log);
    const dataset = new Dataset(sql, url, seed, fleet, log);
    await dataset.refreshCount();
    const [keyRow] = await sql<Array<{ value: string }>>`select value from settings where key = 'cursor_key'`;
    const cursorKey = Buffer.from(keyRow!.value, 'base64');
    const ctx: Context = {
      scale, api, server, sql, databaseUrl: url, dataset, fleet, adminToken, log,
      identity: (m: Member) => ({ orgId: m.id, orgKind: m.kind, country: m.country, groups: fleet.groups.filter((g) => g.members.includes(m.id)).map((g) => g.id) }),
      cursorAt: (xid, pos) => encodeCursor('feed', { x: xid, p: pos }, cursorKey),
      async randomPositions(count, s) {
        const [range] = await sql<Array<{ lo: string; hi: string }>>`select min(pos)::text as lo, max(pos)::text as hi from indicator_changes`;
        const lo = Number(range!.lo), hi = Number(range!.hi);
        const r = new Rng(s);
        const out: Array<{ xid: string; pos: number }> = [];
        for (let k = 0; k < count; k++) {
          const [row] = await sql<Array<{ xid: string; pos: string }>>`select xid::text, pos::text from indicator_changes where pos >= ${Math.floor(lo + r.next() * (hi - lo))} order by pos limit 1`;
          out.push({ xid: row!.xid, pos: Number(row!.pos) });
        }
        return out;
      },
    };

    // Every step of every selected measure, in order of the data set it needs.
    const steps: Array<{ measure: Measure; step: Step; order: number }> = [];
    measures.forEach((measure, mi) => measure.steps(scale).forEach((step, si) => steps.push({ measure, step, order: mi * 100 + si })));
    const key = (s: Step) => (s.at === 'last' ? Infinity : s.at);
    steps.sort((x, y) => key(x.step) - key(y.step) || x.order - y.order);

    const perStep = new Map<Step, Figure[][]>();
    for (const { step } of steps) {
      if (step.at !== 'last') await dataset.ensure(step.at);
      server.mark(step.label);
      const times = step.repeat === false ? 1 : runs;
      const results: Figure[][] = [];
      for (let run = 0; run < times; run++) {
        log(`— ${step.label}${times > 1 ? ` (run ${run + 1}/${times})` : ''}, ${dataset.count.toLocaleString('en')} indicators`);
        results.push(await step.run(ctx, run));
      }
      perStep.set(step, results);
      // Keep what is measured so far, should a later step fail.
      writeFileSync(`${ROOT}bench/.cache/partial-results.json`, JSON.stringify({ args: process.argv.slice(2), log: logLines,
        steps: [...perStep].map(([s, r]) => ({ label: s.label, figures: r })) }, null, 2));
    }

    // Medians, derived figures, verdicts — in registry order.
    const figures: FigureResult[] = [];
    for (const measure of measures) {
      const own = steps.filter((s) => s.measure === measure).flatMap((s) => collect(measure.name, perStep.get(s.step)!));
      for (const f of own) f.median = median(f.runs);
      figures.push(...own);
      if (measure.derive) {
        const medians = new Map(own.map((f) => [f.id, { ...f, value: f.median, median: f.median }]));
        for (const d of measure.derive(medians)) figures.push({ id: d.id, label: d.label, unit: d.unit, measure: measure.name, runs: [d.value], median: d.value, ...(d.target ? { target: d.target } : {}), details: [] });
      }
    }
    for (const f of figures) if (f.target) f.pass = passes(f.median, f.target);

    log(`HTTP requests retried after a connection-level failure: ${api.retries}`);
    const machine = machineInfo(await serverInfo(sql));
    await dataset.refreshCount();
    const tables = await tableSizes(sql);
    await server.stop();
    const results: Results = {
      startedAt: started.toISOString(), finishedAt: new Date().toISOString(), scale: scale.name, runs, args: process.argv.slice(2),
      machine, dataset: { indicators: dataset.count, tables: [...tables] }, figures, log: logLines,
    };
    if (profileDir) {
      const { summariseProfile } = await import('./lib/profile.js');
      const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        results.profile = summariseProfile(`${profileDir}/${file}`, 40);
        log(`CPU profile: ${profileDir}/${file}`);
        for (const p of results.profile.slice(0, 25)) log(`  ${p.selfPercent.toFixed(1).padStart(5)}%  ${p.fn}`);
      }
    }
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    const jsonPath = `${ROOT}bench/results/${started.toISOString().slice(0, 10)}${scale.name === 'full' ? '' : `-${scale.name}`}.json`;
    writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
    log(`results: ${jsonPath}`);
    if (scale.name === 'full' || a['write-md'] === 'true') {
      writeMarkdown(`${ROOT}bench/RESULTS.md`, results, `${ROOT}bench/NOTES.md`);
      log('wrote bench/RESULTS.md');
    }
    for (const f of figures) {
      log(`${f.pass === undefined ? '    ' : f.pass ? 'PASS' : 'FAIL'}  ${f.label}: ${f.median.toFixed(f.unit === '×' ? 2 : 1)} ${f.unit}${f.target ? ` (target ${f.target.op} ${f.target.value})` : ''}`);
    }
  } finally {
    await server.stop();
    await sql.end({ timeout: 5 });
    if (a.keep !== 'true') await dropDatabase(base, dbName);
  }
}

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
