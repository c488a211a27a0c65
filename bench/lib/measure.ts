/**
 * What a measure is. A measure is one file in bench/measures/ exporting a `Measure`, listed in
 * bench/measures/index.ts. It declares steps; each step says how many indicators the database
 * must hold before it runs (the harness grows the data set by COPY and runs all steps of all
 * selected measures in order of that size), and returns figures. Steps run once per `--runs`;
 * the report takes the median of each figure over the runs. Ratios belong in the same step, so
 * they are computed within one run.
 */
import type { CallerIdentity } from '../../src/domain/visibility.js';
import type { Dataset } from './dataset.js';
import type { Sql } from './db.js';
import type { Fleet, Member } from './fleet.js';
import type { Api } from './http.js';
import type { ServerProcess } from './server.js';

export interface Target { op: '>=' | '<='; value: number }

export interface Figure {
  /** Stable id, e.g. `ingest.api_rate`. */
  id: string;
  label: string;
  unit: string;
  value: number;
  target?: Target;
  /** Anything worth keeping in the JSON (counts, per-run breakdowns). */
  detail?: Record<string, unknown>;
}

export interface Scale {
  name: 'small' | 'full';
  orgs: number;
  groups: number;
  /** Indicators pushed through the API per ingest run. */
  ingestItems: number;
  ingestClients: number;
  batchSize: number;
  /** Items a full feed pull reads, and the data set size that gives the main consumer that many. */
  feedPullItems: number;
  feedLevel: number;
  /** Seconds of mixed load (consumers + ingest). */
  loadSeconds: number;
  loadConsumers: number;
  loadIngestClients: number;
  /** Data set sizes at which page latency is sampled. */
  scaleLevels: number[];
  scaleSamples: number;
}

export interface Context {
  scale: Scale;
  api: Api;
  server: ServerProcess;
  /** postgres.js on the bench database (baselines, cursors, bookkeeping; never instead of the API). */
  sql: Sql;
  /** The bench database's URL (for COPY on connections of their own). */
  databaseUrl: string;
  dataset: Dataset;
  fleet: Fleet;
  adminToken: string;
  log: (message: string) => void;
  /** What the service knows about a member, as the sharing rule takes it. */
  identity(member: Member): CallerIdentity;
  /** A feed cursor at (xid, pos), signed with the server's cursor key: a consumer already that far. */
  cursorAt(xid: string, pos: number): string;
  /** Random positions in the change log (for cursors spread over the whole log). */
  randomPositions(count: number, seed: number): Promise<Array<{ xid: string; pos: number }>>;
}

export interface Step {
  label: string;
  /** Indicators the database must hold before this step; `last` runs after everything else. */
  at: number | 'last';
  /** Run once per --runs (default true). */
  repeat?: boolean;
  run(ctx: Context, run: number): Promise<Figure[]>;
}

export interface Measure {
  name: string;
  title: string;
  description: string;
  steps(scale: Scale): Step[];
  /** Figures computed from other figures' medians (e.g. growth between two data set sizes). */
  derive?(medians: ReadonlyMap<string, Figure & { median: number }>): Figure[];
}
