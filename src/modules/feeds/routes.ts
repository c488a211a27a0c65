/** Contract §4: the change feed in four formats, saved feeds, and blocklist snapshots. */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { uuidv7 } from 'uuidv7';
import { rows, type Database } from '../../db/client.js';
import { dnsZones, rpzFileSerials, savedFeeds } from '../../db/schema.js';
import { csvHeader, csvRow } from '../../domain/csv.js';
import { decodeCursor, encodeCursor, type FeedPosition } from '../../domain/cursor.js';
import { toBlocklist, BLOCKLIST_FORMATS, BLOCKLIST_TYPES, type BlocklistEntry, type BlocklistFormat, type BlocklistType } from '../../domain/blocklist.js';
import { DEFAULT_SOA_TIMERS, isDnsName, policyTarget, RPZ_POLICIES, RPZ_TYPES, rpzZoneText, serialFor, type RpzPolicy } from '../../domain/rpz.js';
import type { FeedPagesConfig, RpzConfig } from '../../config.js';
import type { Sql as PgClient } from 'postgres';
import { pgArray } from '../../db/sql.js';
import { withRetry } from '../../db/transaction.js';
import { toStixBundle } from '../../domain/stix.js';
import { INDICATOR_TYPES, SECTORS, TLP_LEVELS, type FeedEntry } from '../../domain/types.js';
import { currentState, receivableBy } from '../../domain/visibility.js';
import { IdParams, problemResponses, StringEnum } from '../../../schemas/common.js';
import { FeedPage, SavedFeed, SavedFeedCreate } from '../../../schemas/feeds.js';
import { callerOf, type Caller } from '../../plugins/auth.js';
import { badRequest, notFound } from '../../plugins/problems.js';
import { etagOf, matchesEtag, PageCache, pageKey, Semaphore } from './page-cache.js';
import { FEED_START, feedHorizon, feedPageChunks, firstPerIndicator, nextPosition, type FeedFilters, type PageRow } from './query.js';
import { recordAudit, recordDeliveries } from '../audit/log.js';

const tags = ['feeds'];
const FORMATS = ['json', 'ndjson', 'csv', 'stix'] as const;
type Format = (typeof FORMATS)[number];
const MEDIA: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  stix: 'application/stix+json;version=2.1',
};
/** Positions per chunk while an NDJSON page's bounds are read on PGlite (they are small). */
const BOUNDS_CHUNK = 5_000;
/** Rows per keyset query on PGlite: memory stays flat whatever the page size. */
const STREAM_CHUNK = 500;
/** A JSON or CSV page ends once its items reach this many bytes; a STIX page (built in memory) at a quarter. */
const PAGE_BYTES = 8 * 1024 * 1024;
const STIX_PAGE_BYTES = PAGE_BYTES / 4;

const JSON_OPEN = Buffer.from('{"items":[');
const COMMA = Buffer.from(',');
const NEWLINE = Buffer.from('\n');

/** `open`, the rows' JSON with `separator` between them, then `close`, as one buffer. */
function concatRows(rows: readonly PageRow[], separator: Buffer, open?: Buffer, close?: Buffer): Buffer {
  const parts: Buffer[] = open ? [open] : [];
  rows.forEach((row, k) => {
    if (k) parts.push(separator);
    parts.push(row.json);
  });
  if (close) parts.push(close);
  return Buffer.concat(parts);
}

/** `format=` wins; otherwise the Accept header; otherwise JSON. */
function negotiate(request: FastifyRequest, format: Format | undefined): Format {
  if (format) return format;
  const accept = request.headers.accept ?? '';
  if (accept.includes('application/x-ndjson')) return 'ndjson';
  if (accept.includes('text/csv')) return 'csv';
  if (accept.includes('application/stix+json')) return 'stix';
  return 'json';
}

/** Comma-separated list parameter, each value from `allowed`. */
function listParam(name: string, raw: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (raw === undefined) return undefined;
  const values = raw.split(',').map((v) => v.trim()).filter(Boolean);
  const bad = values.filter((v) => !allowed.includes(v));
  if (bad.length || values.length === 0) {
    throw badRequest(`${name} has unknown values.`, [{ path: `/query/${name}`, message: `must be a comma-separated list of: ${allowed.join(', ')}` }]);
  }
  return values;
}

const FeedQueryBase = {
  cursor: Type.Optional(Type.String({ maxLength: 2048, description: 'next_cursor of the previous page; omit to start from the beginning' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
  format: Type.Optional(StringEnum(FORMATS)),
};
export const FeedQuery = Type.Object({
  ...FeedQueryBase,
  types: Type.Optional(Type.String({ description: `comma-separated: ${INDICATOR_TYPES.join(', ')}` })),
  sectors: Type.Optional(Type.String({ description: `comma-separated: ${SECTORS.join(', ')}` })),
  tlp: Type.Optional(Type.String({ description: `comma-separated: ${TLP_LEVELS.join(', ')}` })),
  min_confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  include_shared: Type.Optional(Type.Boolean({ default: true })),
}, { additionalProperties: false });

/** The feed page in each of its formats, for the OpenAPI document. */
const feedPageResponse = {
  description: 'One page of the feed. NDJSON, CSV and STIX carry the next cursor in X-Next-Cursor (and X-Has-More).',
  content: {
    'application/json': { schema: Type.Ref(FeedPage) },
    'application/x-ndjson': { schema: Type.String({ description: 'one Indicator or Tombstone JSON object per line' }) },
    'text/csv': { schema: Type.String({ description: 'header row, then one row per item or tombstone' }) },
    'application/stix+json;version=2.1': { schema: Type.Object({}, { additionalProperties: true, description: 'a STIX 2.1 bundle' }) },
  },
};

/** JSON, CSV and STIX pages carry an ETag; If-None-Match naming it answers 304 (and is not a delivery). */
const notModified = Type.Null({ description: 'The page is the one in If-None-Match (its ETag)' });

type FeedQueryValue = { cursor?: string; limit: number; format?: Format; types?: string; sectors?: string; tlp?: string; min_confidence?: number; include_shared?: boolean };

/** The filters of a feed query (GET /v1/feed, its stream): comma-separated lists checked against their values. */
export function feedFilters(q: Pick<FeedQueryValue, 'types' | 'sectors' | 'tlp' | 'min_confidence' | 'include_shared'>): FeedFilters {
  return {
    ...(q.types ? { types: listParam('types', q.types, INDICATOR_TYPES) } : {}),
    ...(q.sectors ? { sectors: listParam('sectors', q.sectors, SECTORS) } : {}),
    ...(q.tlp ? { tlp: listParam('tlp', q.tlp, TLP_LEVELS) } : {}),
    ...(q.min_confidence !== undefined ? { min_confidence: q.min_confidence } : {}),
    include_shared: q.include_shared ?? true,
  };
}

/** A feed cursor (a page's next_cursor, a stream event's id) as a position; null when this server did not issue it. */
export function feedPosition(cursor: string, cursorKey: Buffer): FeedPosition | null {
  const decoded = decodeCursor<{ x: string; p: number }>('feed', cursor, cursorKey);
  if (!decoded || !/^\d+$/.test(decoded.x) || !Number.isSafeInteger(decoded.p)) return null;
  return { xid: decoded.x, pos: decoded.p };
}

export const feedCursor = (p: FeedPosition, cursorKey: Buffer) => encodeCursor('feed', { x: p.xid, p: p.pos }, cursorKey);

/**
 * `readDb`: where pages and blocklists are read (a replica, when there is one: see src/domain/cursor.ts
 * for why its pages are gap-free too); `db` takes every write, deliveries included, and the saved
 * feeds themselves (one just created must be found at once).
 */
export default async function feedRoutes(app: FastifyInstance, opts: {
  db: Database; readDb?: Database; cursorKey: Buffer; rpz: RpzConfig;
  /** postgres.js client behind `readDb`, for pages read by binary COPY; undefined on PGlite. */
  pg?: PgClient;
  pages?: FeedPagesConfig;
}) {
  const { db, pg, cursorKey, rpz: rpzConfig } = opts;
  const readDb = opts.readDb ?? db;
  const pages = opts.pages ?? { concurrency: 4, cacheBytes: 64 * 1024 * 1024, cacheTtlMs: 5_000 };
  const building = new Semaphore(pages.concurrency);
  const cache = new PageCache(pages.cacheBytes, pages.cacheTtlMs);

  const decodePosition = (cursor: string | undefined): FeedPosition => {
    if (cursor === undefined) return FEED_START;
    const position = feedPosition(cursor, cursorKey);
    if (!position) throw badRequest('The cursor was not issued by this server.', [{ path: '/query/cursor', message: 'unknown cursor' }]);
    return position;
  };
  const encodePosition = (p: FeedPosition) => feedCursor(p, cursorKey);

  /**
   * Answers one page of the feed for the caller with the given filters, in the negotiated format.
   * `via` names the path in the audit (`feed`, `saved-feed`): the page is recorded as delivered before it is sent.
   * At most `feedPages.concurrency` pages are built at once on this node; the others wait for a turn.
   */
  async function servePage(request: FastifyRequest, reply: FastifyReply, filters: FeedFilters, q: { cursor?: string; limit: number; format?: Format },
    via: { path: 'feed' | 'saved-feed'; detail?: Record<string, unknown> } = { path: 'feed' }) {
    const caller = callerOf(request);
    const format = negotiate(request, q.format);
    const after = decodePosition(q.cursor);
    const release = await building.acquire();
    let streaming = false;
    try {
      const key = cache.enabled && format !== 'ndjson' && caller.orgKind !== 'secretariat' ? pageKey(caller, filters, after, q.limit, format) : undefined;
      const cached = key ? await cache.get(readDb, key) : undefined;
      if (cached) {
        reply.header('x-feed-cache', 'hit');
        return await sendBuilt(request, reply, caller, via, format, cached.body, cached.etag, cached.cursor, true, cached.delivered);
      }
      const horizon = await feedHorizon(readDb);
      const keep = firstPerIndicator();

      if (format === 'ndjson') {
        // Fix the page's end first (positions only), so the next cursor can go in a header,
        // then stream the page from one query (one binary COPY on PostgreSQL), both planned as a
        // walk of the log (src/modules/feeds/query.ts). Two walks: the cost of a streamed page whose
        // cursor is in a header (bench/NOTES.md, round four).
        const bounds: PageRow[] = [];
        for await (const chunk of feedPageChunks(readDb, pg, caller, filters, { after, horizon, limit: q.limit, positionsOnly: true }, BOUNDS_CHUNK)) bounds.push(...chunk);
        const full = bounds.length === q.limit;
        const next = nextPosition(after, bounds, full, horizon);
        const upTo = bounds.length ? { xid: bounds[bounds.length - 1]!.xid, pos: bounds[bounds.length - 1]!.pos } : after;
        // Recorded from the page's bounds, before the first line leaves; an indicator changed since is
        // streamed as it is now and recorded at its new version by the page that carries that change.
        await recordDeliveries(db, caller, `${via.path}:ndjson`, bounds.filter(firstPerIndicator()), via.detail);
        reply.header('x-next-cursor', encodePosition(next)).header('x-has-more', String(full)).type(MEDIA.ndjson);
        if (!bounds.length) return reply.send('');
        const chunks = feedPageChunks(readDb, pg, caller, filters, { after, horizon, limit: bounds.length, upTo }, STREAM_CHUNK);
        async function* lines() {
          try {
            for await (const chunk of chunks) {
              const kept = chunk.filter(keep);
              if (kept.length) yield concatRows(kept, NEWLINE, undefined, NEWLINE);
            }
          } finally {
            release();
          }
        }
        const body = Readable.from(lines());
        // A client that goes away ends the query (the generator's finally) and frees the turn.
        body.on('close', () => { void chunks.return(undefined); release(); });
        streaming = true;
        return reply.send(body);
      }

      // A page ends at a byte budget as well as at `limit`: a page of heavy indicators ends early
      // (has_more stays true) instead of growing to hundreds of megabytes.
      const budget = format === 'stix' ? STIX_PAGE_BYTES : PAGE_BYTES;
      const page: PageRow[] = [];
      let bytes = 0;
      for await (const chunk of feedPageChunks(readDb, pg, caller, filters, { after, horizon, limit: q.limit, budget }, STREAM_CHUNK)) {
        for (const row of chunk) {
          page.push(row);
          bytes += row.json.length;
        }
      }
      const full = page.length === q.limit || bytes >= budget;
      const cursor = encodePosition(nextPosition(after, page, full, horizon));
      const entries = page.filter(keep);
      let body: Buffer;
      if (format === 'json') {
        body = concatRows(entries, COMMA, JSON_OPEN, Buffer.from(`],"next_cursor":${JSON.stringify(cursor)},"has_more":${full}}`));
      } else {
        const parsed = entries.map((r) => JSON.parse(r.json.toString('utf8')) as FeedEntry);
        body = Buffer.from(format === 'csv' ? csvHeader() + parsed.map(csvRow).join('') : JSON.stringify(toStixBundle(parsed)));
      }
      const delivered = entries.map((r) => ({ id: r.id, version: r.version }));
      const etag = etagOf(body);
      // Only a full page (every row below the horizon) without the caller's own view of a row.
      if (key && full && !page.some((r) => r.owned)) {
        cache.set(key, { body, etag, media: MEDIA[format], cursor, horizon, delivered, at: Date.now() });
      }
      return await sendBuilt(request, reply, caller, via, format, body, etag, cursor, full, delivered);
    } finally {
      if (!streaming) release();
    }
  }

  /** Sends a built page (or 304 when the caller holds it already), recording the delivery first. */
  async function sendBuilt(request: FastifyRequest, reply: FastifyReply, caller: Caller, via: { path: string; detail?: Record<string, unknown> },
    format: Format, body: Buffer, etag: string, cursor: string, full: boolean, delivered: Array<{ id: string; version: number }>) {
    reply.header('x-next-cursor', cursor).header('x-has-more', String(full)).header('etag', etag).header('cache-control', 'private, no-cache');
    // Not on 304: the caller holds these already (as for blocklists).
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    await recordDeliveries(db, caller, `${via.path}:${format}`, delivered, via.detail);
    return reply.type(MEDIA[format]).send(body);
  }

  app.get('/v1/feed', {
    onRequest: app.authorize('feed:read'),
    schema: {
      tags, operationId: 'getFeed', summary: 'The caller\'s change feed: items and tombstones after a cursor, gap-free',
      description: 'Formats: json (default), ndjson (streamed; next cursor in X-Next-Cursor), csv, stix (STIX 2.1 bundle). ' +
        '`format=` wins over the Accept header. JSON, CSV and STIX pages carry an ETag: If-None-Match with it answers 304.',
      querystring: FeedQuery,
      response: { 200: feedPageResponse, 304: notModified, ...problemResponses(400, 401, 403, 429) },
    },
  }, async (request, reply) => {
    const q = request.query as FeedQueryValue;
    return servePage(request, reply, feedFilters(q), q);
  });

  app.post('/v1/feeds', {
    onRequest: app.authorize('feed:read'),
    schema: { tags, operationId: 'createSavedFeed', summary: 'Save a named set of feed filters', body: Type.Ref(SavedFeedCreate), response: { 201: Type.Ref(SavedFeed), ...problemResponses(400, 401, 403) } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const body = request.body as { name: string; filters: FeedFilters };
    const id = uuidv7();
    await db.transaction(async (tx) => {
      await tx.insert(savedFeeds).values({ id, orgId: caller.orgId, name: body.name, filters: body.filters });
      await recordAudit(tx, caller, { action: 'saved_feed.created', subject: id, subjectOrg: caller.orgId, detail: { name: body.name, filters: body.filters } });
    });
    reply.code(201);
    return { id, name: body.name, filters: body.filters };
  });

  app.get('/v1/feeds', {
    onRequest: app.authorize('feed:read'),
    schema: { tags, operationId: 'listSavedFeeds', summary: 'The caller organisation\'s saved feeds', response: { 200: Type.Object({ items: Type.Array(Type.Ref(SavedFeed)), next_cursor: Type.Null() }), ...problemResponses(401, 403) } },
  }, async (request) => {
    const caller = callerOf(request);
    const items = await db.select({ id: savedFeeds.id, name: savedFeeds.name, filters: savedFeeds.filters })
      .from(savedFeeds).where(eq(savedFeeds.orgId, caller.orgId)).orderBy(asc(savedFeeds.name));
    return { items, next_cursor: null };
  });

  app.get('/v1/feeds/:id/items', {
    onRequest: app.authorize('feed:read'),
    schema: {
      tags, operationId: 'getSavedFeedItems', summary: 'A saved feed\'s items: same cursor and formats as /v1/feed',
      params: IdParams, querystring: Type.Object(FeedQueryBase, { additionalProperties: false }),
      response: { 200: feedPageResponse, 304: notModified, ...problemResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { id } = request.params as { id: string };
    const [feed] = await db.select().from(savedFeeds).where(and(eq(savedFeeds.id, id), eq(savedFeeds.orgId, caller.orgId)));
    if (!feed) throw notFound('saved feed');
    return servePage(request, reply, feed.filters as FeedFilters, request.query as FeedQueryValue, { path: 'saved-feed', detail: { saved_feed: id } });
  });

  app.get('/v1/blocklist', {
    onRequest: app.authorize('feed:read'),
    schema: {
      tags, operationId: 'getBlocklist',
      summary: 'A snapshot of the caller\'s active receivable values of one type, one per line, or its Response Policy Zone',
      description: 'Shared infrastructure is left out unless include_shared=true, disputed values always. IP blocklists carry the `cidr` ' +
        'networks of their family too. format=rpz is a DNS Response Policy Zone: without `type` it holds every domain, address and ' +
        'network (as rpz-ip triggers); its SOA serial rises with every change of the caller\'s blocklist; `policy` defaults to the one ' +
        'set for the caller\'s resolver zone, else nxdomain. ETag/If-None-Match make unchanged polls cheap.',
      querystring: Type.Object({
        type: Type.Optional(StringEnum(BLOCKLIST_TYPES, { description: 'required except with format=rpz' })),
        format: Type.Optional(StringEnum(BLOCKLIST_FORMATS, { default: 'txt' })),
        include_shared: Type.Optional(Type.Boolean({ default: false })),
        policy: Type.Optional(StringEnum(RPZ_POLICIES, { description: 'format=rpz: what the resolver answers — NXDOMAIN, NODATA, or a CNAME to the notice page (walled_garden)' })),
        origin: Type.Optional(Type.String({ maxLength: 253, description: `format=rpz: the zone's name (its $ORIGIN); default ${'`'}RPZ_ORIGIN${'`'}` })),
      }, { additionalProperties: false }),
      response: {
        200: { description: 'The values, one per line; a zone file for format=rpz', content: { 'text/plain': { schema: Type.String() }, 'text/csv': { schema: Type.String() } } },
        304: Type.Null({ description: 'Unchanged since the ETag in If-None-Match' }),
        ...problemResponses(400, 401, 403),
      },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as { type?: BlocklistType; format: BlocklistFormat; include_shared: boolean; policy?: RpzPolicy; origin?: string };
    const rpz = q.format === 'rpz';
    if (!q.type && !rpz) throw badRequest('type is required.', [{ path: '/query/type', message: `must be one of: ${BLOCKLIST_TYPES.join(', ')} (may be omitted only with format=rpz)` }]);
    if (rpz && q.type === 'url') {
      throw badRequest('RPZ zones hold names and addresses, not URLs.', [{ path: '/query/type', message: 'with format=rpz, must be one of: domain, ipv4, ipv6 (or omitted for all)' }]);
    }
    if (!rpz && (q.policy || q.origin)) {
      throw badRequest('policy and origin apply to format=rpz only.', [{ path: `/query/${q.policy ? 'policy' : 'origin'}`, message: 'only with format=rpz' }]);
    }
    // An IP blocklist carries the networks (cidr) of its family; an RPZ without a type, everything it can hold.
    const types: readonly string[] = q.type ? [q.type] : RPZ_TYPES;
    const family = q.type === 'ipv4' ? sql` or (i.type = 'cidr' and position(':' in i.value) = 0)`
      : q.type === 'ipv6' ? sql` or (i.type = 'cidr' and position(':' in i.value) > 0)` : sql``;
    // Every indicator behind the values (a value two sources reported is one entry, two deliveries).
    const found = await rows<BlocklistEntry & { id: string; version: number }>(readDb, sql`
      select i.type, i.value, i.id, i.version from indicators i
      where (i.type = any(${pgArray(types)}::text[])${family}) and ${receivableBy(caller, currentState())} and not i.disputed
        ${q.include_shared ? sql`` : sql`and cardinality(i.shared_infrastructure) = 0`}
      order by i.value, i.type`);
    const entries = found.filter((e, k) => k === 0 || e.value !== found[k - 1]!.value || e.type !== found[k - 1]!.type);
    const body = rpz ? await rpzFile(caller, q, entries) : toBlocklist(q.format as 'txt' | 'csv', entries);
    const etag = etagOf(body);
    reply.header('etag', etag).header('cache-control', 'private, no-cache');
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    // Not on 304: the caller holds these already.
    await recordDeliveries(db, caller, `blocklist:${q.format}`, found);
    const media = q.format === 'csv' ? 'text/csv; charset=utf-8' : 'text/plain; charset=utf-8';
    return reply.type(media).send(body);
  });

  /**
   * The caller's blocklist as a zone file. Its serial moves to the feed horizon (src/domain/rpz.ts,
   * serialFor) when the entries differ from the last ones this client was served for the same
   * variant (types, include_shared), so it rises with every change of the blocklist and only then.
   */
  async function rpzFile(caller: Caller, q: { type?: string; include_shared: boolean; policy?: RpzPolicy; origin?: string }, entries: BlocklistEntry[]): Promise<string> {
    const origin = q.origin?.toLowerCase().replace(/\.$/, '') ?? rpzConfig.origin;
    if (!isDnsName(origin)) throw badRequest('origin is not a DNS name.', [{ path: '/query/origin', message: 'must be a DNS name such as rpz.example.net' }]);
    let policy = q.policy;
    if (!policy) {
      const [zone] = await db.select({ policy: dnsZones.policy }).from(dnsZones).where(eq(dnsZones.clientId, caller.clientId));
      policy = (zone?.policy as RpzPolicy | undefined) ?? 'nxdomain';
    }
    if (policy === 'walled_garden' && !rpzConfig.noticeHost) {
      if (q.policy) throw badRequest('This server has no notice page for a walled garden (RPZ_NOTICE_HOST).', [{ path: '/query/policy', message: 'must be one of: nxdomain, nodata' }]);
      policy = 'nxdomain';
    }
    const apex = { origin, serial: 0, nameServer: rpzConfig.nameServer, hostmaster: rpzConfig.hostmaster, ttl: rpzConfig.ttl, ...DEFAULT_SOA_TIMERS };
    const target = policyTarget(policy, rpzConfig.noticeHost);
    // The serial follows the blocklist (its entries), not the consumer's choice of policy or origin.
    const variant = `${q.type ?? 'all'}|${q.include_shared}`;
    const hash = createHash('sha256').update(entries.map((e) => `${e.type} ${e.value}\n`).join('')).digest('base64url');
    const serial = await withRetry(db, async (tx) => {
      const [held] = await tx.select().from(rpzFileSerials)
        .where(and(eq(rpzFileSerials.clientId, caller.clientId), eq(rpzFileSerials.variant, variant))).for('update');
      if (held?.contentHash === hash) return held.serial;
      const next = serialFor(await feedHorizon(tx), held?.serial);
      await tx.insert(rpzFileSerials).values({ clientId: caller.clientId, variant, contentHash: hash, serial: next })
        .onConflictDoUpdate({ target: [rpzFileSerials.clientId, rpzFileSerials.variant], set: { contentHash: hash, serial: next } });
      return next;
    });
    return rpzZoneText({ ...apex, serial }, target, entries);
  }

}
