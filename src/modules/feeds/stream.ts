/**
 * Contract §4, live: `GET /v1/feed/stream` — the change feed as Server-Sent Events.
 *
 * The rows are GET /v1/feed's (`feedRows`: the same filters, the same sharing rule, the same
 * gap-free (xid, pos) order below the horizon), pushed instead of polled:
 * - Each entry is an event `item` (an Indicator) or `tombstone` (a Tombstone) whose id is the feed
 *   cursor after it — the very cursor a page's `next_cursor` is — so a client resumes with
 *   `Last-Event-ID` (or `?cursor=`) and may switch between polling and streaming at any point.
 * - Fan-out: a statement trigger on indicator_changes NOTIFies `isop_feed` with the writing
 *   transaction's id when it commits (migrations/0003_feed_notify.sql), whoever writes on
 *   whichever node. Each process LISTENs once; a notification wakes all of the process's
 *   subscribers into one round: one horizon, then one page per distinct (caller, filters,
 *   position), a few queries at a time.
 * - The horizon: a change is servable once every older transaction of the database has ended. An
 *   older transaction that writes nothing to the log notifies nobody when it ends, so while the
 *   horizon is at or below a notified transaction the process polls again every REPOLL_MS.
 * - Backpressure: a subscriber is read for only while its unsent bytes are at most
 *   STREAM_BUFFER_BYTES, and one still above at two heartbeats in a row is dropped; memory per
 *   subscriber is bounded by that plus one page (PAGE_ROWS entries), however fast the writers are.
 * - Heartbeats: a comment every STREAM_HEARTBEAT_MS (with an `id:` when the position moved past
 *   changes that were not for the subscriber); each one also ends the streams whose token expired
 *   or whose client was revoked, and polls once, should a notification have been lost.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Counter, Gauge } from 'prom-client';
import type { StreamConfig } from '../../config.js';
import { rows, type Database, type DatabaseHandle } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { compareFeedPositions, type FeedPosition } from '../../domain/cursor.js';
import { problemResponses } from '../../../schemas/common.js';
import { callerOf, type Caller } from '../../plugins/auth.js';
import { recordDeliveriesTo } from '../audit/log.js';
import { badRequest, HttpProblem } from '../../plugins/problems.js';
import { FEED_START, feedHorizon, feedRows, firstPerIndicator, nextPosition, type FeedFilters, type FeedRow } from './query.js';
import { feedCursor, FeedQuery, feedFilters, feedPosition } from './routes.js';

const CHANNEL = 'isop_feed';
/** Rows per query: a page, for a subscriber catching up (and what it may hold beyond STREAM_BUFFER_BYTES). */
const PAGE_ROWS = 200;
/** Queries of one round running at once (the pool serves requests too). */
const CONCURRENCY = 4;
/** While the horizon holds back a notified change: how soon to look again. */
const REPOLL_MS = 250;
/** After a failed round (the database unreachable): how soon to try again. */
const RETRY_AFTER_ERROR_MS = 1_000;
/** At shutdown: how long streams may take to flush their last bytes before they are cut. */
const SHUTDOWN_MS = 1_000;
/** The SSE `retry:` field: how long a client waits before it reconnects. */
const RECONNECT_MS = 2_000;

const StreamQuery = Type.Omit(FeedQuery, ['limit', 'format'], { additionalProperties: false });
type StreamQueryValue = Static<typeof StreamQuery>;

type CloseReason = 'client' | 'slow' | 'token_expired' | 'revoked' | 'shutdown';

interface Subscriber {
  caller: Caller;
  filters: FeedFilters;
  /** Subscribers with the same key at the same position are served the same page. */
  key: string;
  /** Everything up to here has been written to the socket or was not for this subscriber. */
  position: FeedPosition;
  /** The last event id the client was sent (its Last-Event-ID). */
  announced: FeedPosition;
  res: ServerResponse;
  /** The token's `exp`, ms. */
  expiresAt: number;
  overAtLastBeat: boolean;
  awaitingDrain: boolean;
  closed: boolean;
}

/** What one page turns into: the SSE text, and (id, version) of every entry it carries. */
interface Batch { text: string; delivered: Array<{ id: string; version: number }> }

const same = (a: FeedPosition, b: FeedPosition) => compareFeedPositions(a, b) === 0;

/** `data:` lines for a JSON text (PostgreSQL prints none with a line break, but a break would end the event). */
const dataLines = (json: string) => `data: ${/[\r\n]/.test(json) ? json.replace(/\r\n|\r|\n/g, '\ndata: ') : json}\n`;

/** Resolves when `work` settles or after `ms`, whichever comes first. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => {}), new Promise((resolve) => { timer = setTimeout(resolve, ms); })]).finally(() => clearTimeout(timer));
}

/** Runs `work` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

/** The subscribers of one process and the rounds that serve them. */
class FeedStreams {
  private readonly subscribers = new Set<Subscriber>();
  private readonly perClient = new Map<string, number>();
  private round: Promise<void> | undefined;
  private again = false;
  private closing = false;
  /** The newest transaction known (by notification) to have committed changes to the log. */
  private notifiedXid = 0n;
  private repoll: NodeJS.Timeout | undefined;
  private listening: Promise<void> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly open: Gauge;
  private readonly closed: Counter<'reason'>;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly cursorKey: Buffer,
    private readonly config: StreamConfig,
    private readonly log: FastifyBaseLogger,
    metrics: FastifyInstance['metrics'],
  ) {
    this.open = new Gauge({ name: 'isop_feed_streams', help: 'Open feed streams on this node', registers: [metrics], collect: () => this.open.set(this.subscribers.size) });
    this.closed = new Counter({ name: 'isop_feed_streams_closed_total', help: 'Feed streams ended, by reason', labelNames: ['reason'] as const, registers: [metrics] });
    this.heartbeat = setInterval(() => { void this.beat(); }, config.heartbeatMs);
    this.heartbeat.unref();
  }

  private get db(): Database { return this.database.db; }

  /** Listening (once per process, on first use) before anyone is served, so no commit falls between. */
  ready(): Promise<void> {
    this.listening ??= this.database.listen(CHANNEL, (payload) => this.notified(payload), () => this.wake()).then(
      (unlisten) => { this.unlisten = unlisten; },
      (err) => { this.listening = undefined; throw err; },
    );
    return this.listening;
  }

  /** A 429 or 503 problem when the client or this node has as many streams as allowed. */
  refusal(clientId: string): HttpProblem | undefined {
    if ((this.perClient.get(clientId) ?? 0) >= this.config.maxPerClient) {
      return new HttpProblem(429, `This client already has ${this.config.maxPerClient} open streams (STREAM_MAX_PER_CLIENT); close one first.`, {
        slug: 'too-many-streams', headers: { 'retry-after': String(RECONNECT_MS / 1000) },
      });
    }
    if (this.subscribers.size >= this.config.maxPerNode) {
      return new HttpProblem(503, 'This node serves as many streams as it may (STREAM_MAX_PER_NODE); retry after the time in Retry-After.', {
        headers: { 'retry-after': String(RECONNECT_MS / 1000) },
      });
    }
    return undefined;
  }

  add(res: ServerResponse, caller: Caller, filters: FeedFilters, position: FeedPosition, expiresAt: number): void {
    // Arrived while the node shuts down: ended at once (the client reconnects, to another node).
    if (this.closing) { res.end(); return; }
    const s: Subscriber = {
      caller, filters, key: JSON.stringify([caller.orgId, caller.orgKind, caller.country, filters]),
      position, announced: position, res, expiresAt, overAtLastBeat: false, awaitingDrain: false, closed: false,
    };
    this.subscribers.add(s);
    this.perClient.set(caller.clientId, (this.perClient.get(caller.clientId) ?? 0) + 1);
    res.on('close', () => this.forget(s, 'client'));
    res.on('error', () => {}); // a broken connection: 'close' follows, which is all that matters here
    this.wake();
  }

  private forget(s: Subscriber, reason: CloseReason): void {
    if (s.closed) return;
    s.closed = true;
    this.subscribers.delete(s);
    const left = (this.perClient.get(s.caller.clientId) ?? 1) - 1;
    if (left > 0) this.perClient.set(s.caller.clientId, left);
    else this.perClient.delete(s.caller.clientId);
    this.closed.inc({ reason });
    if (reason !== 'client') this.log.info({ clientId: s.caller.clientId, reason }, 'feed stream closed');
  }

  /** Ends a stream cleanly, its last position told, so that the client resumes from there. */
  private finish(s: Subscriber, reason: CloseReason): void {
    this.forget(s, reason);
    if (s.res.writableLength > this.config.bufferBytes) { s.res.destroy(); return; } // it would not take its last bytes
    s.res.end(same(s.position, s.announced) ? undefined : `id: ${feedCursor(s.position, this.cursorKey)}\n\n`);
  }

  private notified(payload: string): void {
    if (/^\d+$/.test(payload)) {
      const xid = BigInt(payload);
      if (xid > this.notifiedXid) this.notifiedXid = xid;
    }
    this.wake();
  }

  /** Serves every subscriber that is behind; calls while a round runs make one more round after it. */
  wake(): void {
    if (this.closing) return;
    if (this.round) { this.again = true; return; }
    this.round = (async () => {
      do {
        this.again = false;
        await this.serve().catch((err) => { this.log.error({ err }, 'feed streams: round failed'); this.later(RETRY_AFTER_ERROR_MS); });
      } while (this.again && !this.closing);
    })().finally(() => { this.round = undefined; });
  }

  private later(ms: number): void {
    if (this.repoll || this.closing) return;
    this.repoll = setTimeout(() => { this.repoll = undefined; this.wake(); }, ms);
    this.repoll.unref();
  }

  /** One round: one horizon, then a page for each distinct (key, position) that is behind it and may take more. */
  private async serve(): Promise<void> {
    if (!this.subscribers.size) return;
    let horizon: string;
    let last: FeedPosition | undefined;
    try {
      horizon = await feedHorizon(this.db);
      last = await this.lastChangeBelow(horizon);
    } catch (err) {
      this.log.warn({ err }, 'feed streams: horizon unavailable');
      return this.later(RETRY_AFTER_ERROR_MS);
    }
    const at: FeedPosition = { xid: horizon, pos: 0 };
    const groups = new Map<string, Subscriber[]>();
    for (const s of this.subscribers) {
      if (compareFeedPositions(s.position, at) >= 0 || s.res.writableLength > this.config.bufferBytes) continue;
      // Nothing was logged after its position (the horizon moved for other writes): up to the
      // horizon without a query, as an empty page would have taken it.
      if (!last || compareFeedPositions(s.position, last) >= 0) { s.position = nextPosition(s.position, [], false, horizon); continue; }
      const key = `${s.key}|${s.position.xid}|${s.position.pos}`;
      const group = groups.get(key);
      if (group) group.push(s);
      else groups.set(key, [s]);
    }
    await eachLimited([...groups.values()], CONCURRENCY, async (group) => {
      const { caller, filters, position: after } = group[0]!;
      let page: FeedRow[];
      try {
        page = await feedRows(this.db, caller, filters, { after, horizon, limit: PAGE_ROWS });
      } catch (err) {
        this.log.warn({ err }, 'feed streams: page failed');
        return this.later(RETRY_AFTER_ERROR_MS);
      }
      const full = page.length === PAGE_ROWS;
      const next = nextPosition(after, page, full, horizon);
      const batch = this.render(page, next);
      const recipients = group.filter((s) => !s.closed && same(s.position, after));
      try {
        // Recorded before it leaves (contract §7): a page whose record fails is not sent, and is tried again.
        await recordDeliveriesTo(this.db, recipients.map((s) => s.caller), 'stream', batch.delivered);
      } catch (err) {
        this.log.warn({ err }, 'feed streams: deliveries not recorded, page held back');
        return this.later(RETRY_AFTER_ERROR_MS);
      }
      for (const s of recipients) if (!s.closed) this.send(s, batch, next);
      if (full) this.again = true;
    });
    // A change was notified but is not below the horizon yet: whatever holds it back may end
    // without a word (a transaction that wrote nothing to the log), so look again soon.
    if (BigInt(horizon) <= this.notifiedXid) this.later(REPOLL_MS);
  }

  /** The newest row of the change log below the horizon (positions only: nothing is read for anyone). */
  private async lastChangeBelow(horizon: string): Promise<FeedPosition | undefined> {
    const [row] = await rows<{ xid: string; pos: string }>(this.db, sql`
      select c.xid::text as xid, c.pos::text as pos from indicator_changes c where c.xid < ${horizon}::xid8 order by c.xid desc, c.pos desc limit 1`);
    return row ? { xid: row.xid, pos: Number(row.pos) } : undefined;
  }

  /** SSE events for a page; the last one's id is where the page leaves the subscriber. */
  private render(page: FeedRow[], next: FeedPosition): Batch {
    const entries = page.filter(firstPerIndicator());
    const delivered: Batch['delivered'] = [];
    const text = entries.map((row, k) => {
      const entry = JSON.parse(row.json) as { id: string; version: number; status: string };
      delivered.push({ id: entry.id, version: entry.version });
      const id = feedCursor(k === entries.length - 1 ? next : { xid: row.xid, pos: Number(row.pos) }, this.cursorKey);
      return `event: ${entry.status === 'active' ? 'item' : 'tombstone'}\nid: ${id}\n${dataLines(row.json)}\n`;
    }).join('');
    return { text, delivered };
  }

  /** The one place a page leaves for a subscriber: `batch.delivered` lists (id, version) of everything it carries. */
  private send(s: Subscriber, batch: Batch, next: FeedPosition): void {
    s.position = next;
    if (!batch.delivered.length) return;
    s.announced = next;
    this.write(s, batch.text);
  }

  private write(s: Subscriber, text: string): void {
    if (s.closed || s.res.writableEnded || s.res.destroyed) return;
    if (s.res.write(text) || s.awaitingDrain) return;
    s.awaitingDrain = true;
    s.res.once('drain', () => { s.awaitingDrain = false; this.wake(); });
  }

  /** Heartbeats; slow subscribers dropped; expired tokens and revoked clients ended; one poll. */
  private async beat(): Promise<void> {
    const now = Date.now();
    for (const s of [...this.subscribers]) {
      if (now >= s.expiresAt) { this.finish(s, 'token_expired'); continue; }
      const over = s.res.writableLength > this.config.bufferBytes;
      if (over && s.overAtLastBeat) {
        // Not reading: what it has not taken stays above the bound. Dropped, not buffered.
        this.forget(s, 'slow');
        s.res.destroy();
        continue;
      }
      s.overAtLastBeat = over;
      if (over) continue;
      const id = same(s.position, s.announced) ? '' : `id: ${feedCursor(s.position, this.cursorKey)}\n`;
      s.announced = s.position;
      this.write(s, `: heartbeat\n${id}\n`);
    }
    await this.endRevoked().catch((err) => this.log.warn({ err }, 'feed streams: revocation check failed'));
    this.wake();
  }

  /** Streams of clients revoked since they connected end within a heartbeat (≤ 30 s, as tokens do). */
  private async endRevoked(): Promise<void> {
    const asked = [...this.perClient.keys()];
    if (!asked.length) return;
    const active = await rows<{ client_id: string }>(this.db, sql`
      select client_id from clients where client_id = any(${pgArray(asked)}::text[]) and revoked_at is null`);
    const revoked = new Set(asked);
    for (const r of active) revoked.delete(r.client_id);
    // Only the clients asked about: one that connected during the query is not judged by it.
    for (const s of [...this.subscribers]) if (revoked.has(s.caller.clientId)) this.finish(s, 'revoked');
  }

  /** Shutdown: every stream ends with its position told; nothing holds the process. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.repoll);
    // The round under way first, so that what it reads is sent and its positions are told.
    await within(this.round ?? Promise.resolve(), SHUTDOWN_MS);
    const ending = [...this.subscribers];
    const closed = ending.map((s) => new Promise((resolve) => s.res.once('close', resolve)));
    for (const s of ending) this.finish(s, 'shutdown');
    await within(Promise.all(closed), SHUTDOWN_MS);
    // A client that does not read would hold its connection, and the process, with the last bytes.
    for (const s of ending) if (!s.res.destroyed) s.res.destroy();
    await this.unlisten?.().catch(() => {});
  }
}

export default async function feedStreamRoutes(app: FastifyInstance, opts: { database: DatabaseHandle; cursorKey: Buffer; stream: StreamConfig }) {
  const { cursorKey } = opts;
  const streams = new FeedStreams(opts.database, cursorKey, opts.stream, app.log, app.metrics);
  app.addHook('preClose', async () => streams.close());

  /** Where the stream starts: Last-Event-ID (a reconnect) wins over ?cursor= (the first connect); neither, the beginning. */
  const startAt = (cursor: string | undefined, lastEventId: string | undefined): FeedPosition => {
    const [given, path] = lastEventId ? [lastEventId, '/headers/last-event-id'] : [cursor, '/query/cursor'];
    if (given === undefined) return FEED_START;
    const position = feedPosition(given, cursorKey);
    if (!position) throw badRequest('The cursor was not issued by this server.', [{ path, message: 'unknown cursor' }]);
    return position;
  };

  app.get('/v1/feed/stream', {
    onRequest: app.authorize('feed:read'),
    schema: {
      tags: ['feeds'], operationId: 'streamFeed',
      summary: 'The caller\'s change feed, live, as Server-Sent Events: the same entries, filters and cursors as /v1/feed',
      description: 'Events: `item` (data: an Indicator) and `tombstone` (data: a Tombstone), each with `id:` the feed cursor after it — ' +
        'the same cursor as next_cursor, so polling and streaming can take over from each other. Reconnect with `Last-Event-ID` ' +
        '(or `cursor=`) to resume with no gap. A committed change arrives within a second. A comment line `: heartbeat` every ' +
        'STREAM_HEARTBEAT_MS (15 s), with an `id:` when the position moved past changes that were not for the caller. The stream ' +
        'ends when the token expires or the client is revoked, when the node shuts down, and when the caller does not read what it ' +
        'is sent (more than STREAM_BUFFER_BYTES unsent at two heartbeats in a row); reconnect with Last-Event-ID.',
      querystring: StreamQuery,
      headers: Type.Object({
        'last-event-id': Type.Optional(Type.String({ maxLength: 2048, description: 'the id of the last event received: resume after it' })),
      }),
      response: {
        200: {
          description: 'An endless text/event-stream: `retry:`, then `item` and `tombstone` events and heartbeat comments',
          content: { 'text/event-stream': { schema: Type.String({ description: 'each event: `event: item` or `event: tombstone`, `id:` a feed cursor, `data:` an Indicator or a Tombstone as JSON' }) } },
        },
        ...problemResponses(400, 401, 403, 429, 503),
      },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as StreamQueryValue;
    const filters = feedFilters(q);
    const lastEventId = request.headers['last-event-id'];
    const position = startAt(q.cursor, typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : undefined);
    const headers = {
      'content-type': 'text/event-stream; charset=utf-8',
      // Proxies must neither cache, transform nor buffer it (X-Accel-Buffering: nginx and its kin).
      'cache-control': 'no-cache, no-store, no-transform',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
      'x-content-type-options': 'nosniff',
    };
    if (request.method === 'HEAD') return reply.headers(headers).send();
    await streams.ready();
    const refused = streams.refusal(caller.clientId);
    if (refused) throw refused;
    const exp = (request.user as { exp?: number } | undefined)?.exp;
    // Past the handler deadline (HANDLER_TIMEOUT_SECONDS) the stream lives on: it manages its own end.
    reply.hijack();
    reply.raw.writeHead(200, { ...(reply.getHeaders() as OutgoingHttpHeaders), ...headers });
    reply.raw.write(`retry: ${RECONNECT_MS}\n: stream open\n\n`);
    streams.add(reply.raw, caller, filters, position, exp ? exp * 1000 : Infinity);
  });
}
