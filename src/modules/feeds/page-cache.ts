/**
 * Feed pages: a bound on how many are built at once, and a short-lived cache of finished pages.
 *
 * The cache. A page is the same bytes for two callers when the sharing rule treats them alike and
 * they ask the same question. The rule (src/domain/visibility.ts) reads of the caller its
 * organisation id (audience and exclusion tokens `o:<id>`, the source check, the groups it is a
 * member of — read live by the organisation id — and the change rows that concern only some
 * organisations), its kind and its country; so an entry is keyed by organisation id, kind and
 * country (two clients of one organisation share pages, two organisations never do), the filters,
 * the cursor, the limit and the format.
 *
 * Only full pages (has_more: their rows all lie below the horizon, so the set of change rows is
 * fixed) without rows shown in the source's own view are kept. The rows show each indicator as it
 * is now, so an entry is served only while (a) it is younger than the TTL and (b) no change of any
 * of its indicators has been logged (or is waiting, anonymous) since it was built — checked by one
 * indexed statement per hit. Within the TTL a page may still show a source's old organisation name
 * or an expiry that time alone brought (not yet swept): the same page a moment earlier, and the
 * cursor argument holds (every later change is at a later position, so it reaches the consumer).
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rows, type Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import type { CallerIdentity } from '../../domain/visibility.js';
import type { FeedPosition } from '../../domain/cursor.js';
import type { FeedFilters } from './query.js';

/** Admits `limit` holders at once; the rest wait in order. */
export class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];
  constructor(limit: number) { this.#free = limit; }
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next(); else this.#free++;
    };
  }
}

export interface CachedPage {
  body: Buffer;
  etag: string;
  media: string;
  cursor: string;
  /** The feed horizon the page was built below. */
  horizon: string;
  /** What was delivered (audited again for every caller served the page). */
  delivered: Array<{ id: string; version: number }>;
  at: number;
}

export const etagOf = (body: string | Buffer) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** Whether If-None-Match names `etag`. */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  return !!ifNoneMatch && ifNoneMatch.split(',').map((s) => s.trim().replace(/^W\//, '')).some((t) => t === etag || t === '*');
}

export function pageKey(caller: CallerIdentity, filters: FeedFilters, after: FeedPosition, limit: number, format: string): string {
  const f = {
    types: filters.types ? [...filters.types].sort() : null, sectors: filters.sectors ? [...filters.sectors].sort() : null,
    tlp: filters.tlp ? [...filters.tlp].sort() : null, min_confidence: filters.min_confidence ?? null, include_shared: filters.include_shared ?? true,
  };
  return JSON.stringify([caller.orgId, caller.orgKind, caller.country, f, after.xid, after.pos, limit, format]);
}

/** Finished pages by key, least recently used out first, at most `maxBytes` of bodies. */
export class PageCache {
  readonly #entries = new Map<string, CachedPage>();
  #bytes = 0;
  constructor(readonly maxBytes: number, readonly ttlMs: number) {}

  get enabled() { return this.maxBytes > 0; }
  get bytes() { return this.#bytes; }

  /** The entry for `key` if it is still right (see above); undefined otherwise. */
  async get(db: Executor, key: string): Promise<CachedPage | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (Date.now() - entry.at > this.ttlMs || !(await unchangedSince(db, entry))) {
      this.#delete(key);
      return undefined;
    }
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: CachedPage): void {
    const size = entry.body.length;
    if (!this.enabled || size > this.maxBytes) return;
    this.#delete(key);
    this.#entries.set(key, entry);
    this.#bytes += size;
    for (const [oldest, old] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#delete(oldest);
      void old;
    }
  }

  #delete(key: string) {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.body.length;
  }
}

/** No change of the page's indicators logged since its horizon, none waiting to be published. */
async function unchangedSince(db: Executor, entry: CachedPage): Promise<boolean> {
  const ids = pgArray(entry.delivered.map((d) => d.id));
  const [row] = await rows<{ unchanged: boolean }>(db, sql`select
    not exists (select 1 from indicator_changes c where c.indicator_id = any(${ids}::uuid[]) and c.xid >= ${entry.horizon}::xid8)
    and not exists (select 1 from pending_changes p where p.indicator_id = any(${ids}::uuid[])) as unchanged`);
  return row?.unchanged === true;
}
