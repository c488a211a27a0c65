/**
 * The data set in the bench database, and the bulk loader that grows it.
 *
 * Indicators are numbered: indicator i is always the same (see generate.ts). `nextIndex` hands
 * out fresh numbers, so whatever goes in through the API or the loader never repeats a value.
 *
 * The loader is for volume the API measurements do not need to push themselves (contract-shaped
 * rows for the scaling measure). It builds each row exactly as the API would — the service's own
 * prepareItem() (normalisation, warninglists, sharing tokens) and contentHash() — and COPYs it,
 * with its `created` entry in the change log and its link-graph links (src/domain/links.ts), one
 * transaction per chunk.
 */
import { uuidv7 } from 'uuidv7';
import { loadShippedWarninglists, WarninglistMatcher } from '../../src/domain/warninglists.js';
import { linksOf } from '../../src/domain/links.js';
import { contentHash, DEFAULT_VALIDITY_MS, prepareItem, type PreparedRow } from '../../src/modules/indicators/prepare.js';
import { arrayLiteral, copyField, copyIn, type Sql } from './db.js';
import { hash32 } from './rng.js';
import { indicatorItem, sourceOf, type Directory, type FleetOrg } from './generate.js';

export const INDICATOR_COLUMNS = ['id', 'source_org_id', 'type', 'platform', 'value', 'version', 'status', 'tlp', 'pap', 'grading',
  'confidence', 'audience', 'exclude', 'attribution', 'audience_tokens', 'exclude_tokens', 'valid_from', 'valid_until', 'pending',
  'sector', 'categories', 'tags', 'description', 'first_seen', 'last_seen', 'references', 'evidence', 'relations',
  'shared_infrastructure', 'content_hash'] as const;

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

export const LINK_COLUMNS = 'indicator_id, type, platform, value, via';

/** The indicator_links rows of one indicator in COPY text format, as storeBatch() would insert them. */
export function linkCopyLines(id: string, row: PreparedRow): string[] {
  return linksOf(row).map((l) => [id, l.type, l.platform, l.value, l.via].map(copyField).join('\t') + '\n');
}

/** One indicators row in COPY text format, as storeBatch() would insert it. */
export function indicatorCopyLine(id: string, sourceOrgId: string, row: PreparedRow, now: number): string {
  const validFrom = row.valid_from ?? now;
  const validUntil = row.valid_until ?? validFrom + DEFAULT_VALIDITY_MS;
  const final = { ...row, valid_from: validFrom, valid_until: validUntil };
  const fields = [
    id, sourceOrgId, row.type, row.platform, row.value, 1, 'active', row.tlp, row.pap, row.grading, row.confidence,
    row.audience, row.exclude, row.attribution, arrayLiteral(row.audience_tokens), arrayLiteral(row.exclude_tokens),
    iso(validFrom), iso(validUntil), validFrom > now ? 't' : 'f', row.sector, arrayLiteral(row.categories), arrayLiteral(row.tags),
    row.description, iso(row.first_seen), iso(row.last_seen), row.references, row.evidence, row.relations,
    arrayLiteral(row.shared_infrastructure), contentHash(final),
  ];
  return fields.map(copyField).join('\t') + '\n';
}

/** A hash of an indicator's natural key (source, type, platform, value), for the loader's repeat check. */
function naturalKeyHash(sourceId: string, r: { type: string; platform: string; value: string }): number {
  return hash32(hash32(hashString(sourceId), hashString(r.type + r.platform)), hashString(r.value));
}

export class Dataset {
  /** Indicators stored (kept by the harness; checked against the database after each load). */
  count = 0;
  nextIndex = 0;
  readonly matcher = new WarninglistMatcher(loadShippedWarninglists());
  readonly #seenKeys = new Set<number>();

  constructor(readonly sql: Sql, readonly url: string, readonly seed: number, readonly dir: Directory, readonly log: (m: string) => void) {}

  /**
   * Items pushed through the API by a measure: the bulk loader must not generate their natural
   * keys again later (a small value space, such as the generator's CIDRs, repeats across indices).
   */
  remember(sourceId: string, items: readonly Record<string, unknown>[], now: number): void {
    for (const item of items) {
      const prepared = prepareItem(item, now, this.matcher);
      if (prepared.ok) this.#seenKeys.add(naturalKeyHash(sourceId, prepared.row));
    }
  }

  /** Fresh indicator numbers. */
  take(n: number): number {
    const first = this.nextIndex;
    this.nextIndex += n;
    return first;
  }

  async refreshCount(): Promise<number> {
    const [row] = await this.sql<Array<{ n: string }>>`select count(*)::text as n from indicators`;
    this.count = Number(row!.n);
    return this.count;
  }

  /** Empty the indicator tables (measures that need a clean start). */
  async truncate(): Promise<void> {
    await this.sql`truncate indicator_changes, pending_changes, indicator_links, outcomes, feed_positions, indicators, idempotency_keys`;
    this.#seenKeys.clear();
    this.count = 0;
  }

  /** Grow the data set to at least `target` indicators by COPY. */
  async ensure(target: number): Promise<void> {
    if (this.count >= target) return;
    const need = target - this.count;
    const t0 = performance.now();
    this.log(`loading ${need.toLocaleString('en')} indicators by COPY (${this.count.toLocaleString('en')} → ${target.toLocaleString('en')})`);
    const CHUNK = 25_000;
    let loaded = 0, skipped = 0, lastLog = t0, genMs = 0, waitMs = 0;
    // Prepare chunk k+1 while PostgreSQL writes chunk k.
    let pending: Promise<void> | null = null;
    while (loaded < need) {
      const n = Math.min(CHUNK, need - loaded);
      const g0 = performance.now();
      const { indicators, changes, links, rows, dropped } = this.#chunk(n);
      genMs += performance.now() - g0;
      skipped += dropped;
      const w0 = performance.now();
      if (pending) await pending;
      waitMs += performance.now() - w0;
      pending = this.#copy(indicators, changes, links);
      loaded += rows;
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        this.log(`  … ${(this.count + loaded).toLocaleString('en')} (${Math.round(loaded / ((lastLog - t0) / 1000)).toLocaleString('en')} rows/s)`);
      }
    }
    if (pending) await pending;
    this.count += loaded;
    await this.sql`analyze indicators`;
    await this.sql`analyze indicator_changes`;
    const seconds = (performance.now() - t0) / 1000;
    this.log(`loaded ${loaded.toLocaleString('en')} in ${seconds.toFixed(0)} s (${Math.round(loaded / seconds).toLocaleString('en')} rows/s; ${skipped} generated items skipped as rejected or repeated; generating ${(genMs / 1000).toFixed(0)} s, waiting for COPY ${(waitMs / 1000).toFixed(0)} s)`);
  }

  #chunk(n: number): { indicators: string[]; changes: string[]; links: string[]; rows: number; dropped: number } {
    const now = Date.now();
    const indicators: string[] = [], changes: string[] = [], links: string[] = [];
    let dropped = 0;
    while (indicators.length < n) {
      const i = this.take(1);
      const source: FleetOrg = sourceOf(this.seed, i, this.dir);
      const prepared = prepareItem(indicatorItem(this.seed, i, source, this.dir, { now }), now, this.matcher);
      if (!prepared.ok) { dropped++; continue; }
      const r = prepared.row;
      // The natural key (source, type, platform, value) is unique: skip the rare repeat.
      const key = naturalKeyHash(source.id, r);
      if (this.#seenKeys.has(key)) { dropped++; continue; }
      this.#seenKeys.add(key);
      const id = uuidv7();
      indicators.push(indicatorCopyLine(id, source.id, r, now));
      changes.push(`${id}\t1\tcreated\n`);
      links.push(...linkCopyLines(id, r));
    }
    return { indicators, changes, links, rows: indicators.length, dropped };
  }

  async #copy(indicators: string[], changes: string[], links: string[]): Promise<void> {
    await copyIn(this.url, [
      { copy: `copy indicators (${INDICATOR_COLUMNS.map((c) => `"${c}"`).join(', ')}) from stdin`, chunks: [...batches(indicators)] },
      { copy: 'copy indicator_changes (indicator_id, version, kind) from stdin', chunks: [...batches(changes)] },
      { copy: `copy indicator_links (${LINK_COLUMNS}) from stdin`, chunks: [...batches(links)] },
    ]);
  }
}

function* batches(lines: string[], size = 500): Generator<string> {
  for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size).join('');
}

function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Items for an API batch: `count` fresh indicators reported by `source`. */
export function apiItems(dataset: Dataset, source: FleetOrg, count: number): Record<string, unknown>[] {
  const first = dataset.take(count);
  const now = Date.now();
  const items = Array.from({ length: count }, (_, k) => indicatorItem(dataset.seed, first + k, source, dataset.dir, { now }));
  dataset.remember(source.id, items, now);
  return items;
}
