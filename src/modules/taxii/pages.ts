/**
 * Reading a collection page by page (objects, manifest, versions). A collection is the caller's
 * feed with the collection's filters (src/modules/feeds/query.ts, feedRows: the sharing rule in
 * the query), each indicator once — at its last change the caller gets — in the gap-free
 * (xid, pos) order of the log, below the latest epoch (epochs.ts). Paging is stateless: `next`
 * is the signed position of the last row a page decided on, so no object is skipped or repeated
 * however many share one date_added.
 *
 * The collection holds each indicator as it is now: one version (its tombstone, as a revoked
 * version, when the caller may no longer have it). TLP marking definitions and source identities
 * travel with the indicators that reference them, so every page resolves on its own.
 */
import { sql } from 'drizzle-orm';
import { rows, type Database } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import type { FeedPosition } from '../../domain/cursor.js';
import { STIX_ID_NAMESPACE, stixObjectsOf, toStixObjects, type StixObject } from '../../domain/stix.js';
import type { CallerIdentity } from '../../domain/visibility.js';
import type { FeedEntry } from '../../domain/types.js';
import { FEED_START, feedRows } from '../feeds/query.js';
import type { Collection } from './collections.js';
import { advanceEpoch, datesAdded, positionAddedAfter } from './epochs.js';

export interface PageFilters {
  added_after?: string;
  /** STIX ids (match[id], or the object of …/objects/{id}/). */
  ids?: readonly string[];
  types?: readonly string[];
  versions?: readonly string[];
  spec_versions?: readonly string[];
}

export interface PageEntry {
  entry: FeedEntry;
  position: FeedPosition;
  dateAdded: string;
  /** The Indicator (its STIX version is `indicator.modified`). */
  indicator: StixObject;
}

export interface Page { entries: PageEntry[]; more: boolean; next: FeedPosition | null }

/**
 * How many objects an entry adds to the page; called once for each entry in page order, the
 * page ending at the first that does not fit.
 */
export type Cost = (entry: FeedEntry) => number;
const one: () => Cost = () => () => 1;

const EMPTY: Page = { entries: [], more: false, next: null };
/** Rows read per query, and at most per request (a filter on versions can make rows not count). */
const CHUNK = 1000;
const MAX_SCANNED = 50_000;
/** A page ends once its entries reach this many bytes of JSON, whatever `limit` says. */
const PAGE_BYTES = 4 * 1024 * 1024;

const STIX_INDICATOR_ID = /^indicator--([0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$/i;

/** Our indicator ids behind STIX ids (an expression index answers it: migrations/0004_stix_ids.sql). */
async function indicatorIds(db: Database, stixIds: readonly string[]): Promise<string[]> {
  const uuids = stixIds.flatMap((id) => STIX_INDICATOR_ID.exec(id)?.[1]?.toLowerCase() ?? []);
  if (!uuids.length) return [];
  const found = await rows<{ id: string }>(db, sql`
    select id from indicators where uuid_generate_v5(${sql.raw(`'${STIX_ID_NAMESPACE}'::uuid`)}, id::text) = any(${pgArray(uuids)}::uuid[])`);
  return found.map((r) => r.id);
}

/** match[version]: first, last and all are the one version held; a timestamp must be it. */
function versionMatcher(versions: readonly string[] | undefined): (modified: string) => boolean {
  if (!versions?.length || versions.some((v) => v === 'first' || v === 'last' || v === 'all')) return () => true;
  const wanted = new Set(versions.map((v) => Date.parse(v)));
  return (modified) => wanted.has(Date.parse(modified));
}

export async function readPage(db: Database, caller: CallerIdentity, collection: Collection, filters: PageFilters, paging: {
  after: FeedPosition | null; limit: number; cost?: Cost;
}): Promise<Page> {
  if (!collection.filters) return EMPTY;
  if (filters.spec_versions?.length && !filters.spec_versions.includes('2.1')) return EMPTY;
  // Marking definitions and identities come with the indicators; asked for alone, there are none.
  if (filters.types?.length && !filters.types.includes('indicator')) return EMPTY;
  const ids = filters.ids ? await indicatorIds(db, filters.ids) : undefined;
  if (ids && !ids.length) return EMPTY;
  const epoch = await advanceEpoch(db);
  if (!epoch) return EMPTY;

  const cost = paging.cost ?? one();
  const matchesVersion = versionMatcher(filters.versions);
  const included: Array<Omit<PageEntry, 'dateAdded'>> = [];
  // `next` goes on from where the previous page ended; added_after only places the first page.
  let from = paging.after ?? (filters.added_after ? await positionAddedAfter(db, filters.added_after) : FEED_START);
  let decided: FeedPosition | null = null;
  let objects = 0, bytes = 0, scanned = 0;
  let more = false;
  reading: for (;;) {
    const chunk = await feedRows(db, caller, collection.filters, { after: from, horizon: epoch.horizon, limit: CHUNK, latestOnly: true, ...(ids ? { ids } : {}) });
    for (const row of chunk) {
      const position = { xid: row.xid, pos: Number(row.pos) };
      const entry = JSON.parse(row.json) as FeedEntry;
      const indicator = toStixObjects(entry).find((o) => o.type === 'indicator')!;
      if (matchesVersion(String(indicator.modified))) {
        const adds = cost(entry);
        if (included.length && (objects + adds > paging.limit || bytes >= PAGE_BYTES)) { more = true; break reading; }
        included.push({ entry, position, indicator });
        objects += adds;
        bytes += row.json.length;
      }
      decided = position;
      if (++scanned >= MAX_SCANNED) { more = true; break reading; }
    }
    if (chunk.length < CHUNK) break;
    from = decided!;
  }
  const dates = await datesAdded(db, included.map((e) => e.position.xid));
  return {
    entries: included.map((e) => ({ ...e, dateAdded: dates.get(e.position.xid)! })),
    more,
    next: more ? decided : null,
  };
}

/** The objects of a page: the TLP markings and identities its indicators reference, then the indicators. */
export function pageObjects(page: Page, types: readonly string[] | undefined): StixObject[] {
  const objects = stixObjectsOf(page.entries.map((e) => e.entry));
  return types?.length ? objects.filter((o) => types.includes(o.type)) : objects;
}

/** For …/objects/: an entry costs its Indicator and whichever of its marking and identity the page lacks so far. */
export function objectsCost(types: readonly string[] | undefined): Cost {
  const counts = (type: string) => !types?.length || types.includes(type);
  const held = new Set<string>();
  const adds = (key: string | undefined, type: string) => (key && counts(type) && !held.has(key) ? (held.add(key), 1) : 0);
  return (entry) => 1 + adds(entry.tlp && `tlp:${entry.tlp}`, 'marking-definition') + adds(entry.source?.org_id, 'identity');
}
