/**
 * Where each consumer's last feed page ended, for its lag behind the feed head (/v1/stats). Cheap
 * on the feed path: a page's end is read from its `X-Next-Cursor` header after the response and
 * kept in memory; every few seconds one statement writes whatever moved, for every client at once.
 * A crash loses at most those seconds of positions, which the next page of each consumer restores.
 */
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { decodeCursor } from '../../domain/cursor.js';

const FLUSH_MS = 5_000;
/** The feeds whose pages are followed: the caller's feed and its saved feeds. */
const FEED_ROUTES = new Set(['/v1/feed', '/v1/feeds/:id/items']);

interface Position { clientId: string; feed: string; xid: string; pos: number; at: string }

declare module 'fastify' {
  interface FastifyInstance { feedPositions: { flush(): Promise<void> } }
}

export default fp(async function feedPositions(app: FastifyInstance, opts: { db: Database; cursorKey: Buffer }) {
  let pending = new Map<string, Position>();

  async function flush(): Promise<void> {
    if (!pending.size) return;
    const batch = [...pending.values()];
    pending = new Map();
    const column = (pick: (p: Position) => string) => pgArray(batch.map(pick));
    await opts.db.execute(sql`
      insert into feed_positions (client_id, feed, xid, pos, pulled_at)
      select * from unnest(${column((p) => p.clientId)}::text[], ${column((p) => p.feed)}::text[], ${column((p) => p.xid)}::xid8[],
        ${column((p) => String(p.pos))}::bigint[], ${column((p) => p.at)}::timestamptz[])
      on conflict (client_id, feed) do update set xid = excluded.xid, pos = excluded.pos, pulled_at = excluded.pulled_at
        where feed_positions.pulled_at <= excluded.pulled_at`);
  }

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 200 || !request.caller || !FEED_ROUTES.has(request.routeOptions.url ?? '')) return;
    const cursor = reply.getHeader('x-next-cursor');
    const position = typeof cursor === 'string' ? decodeCursor<{ x: string; p: number }>('feed', cursor, opts.cursorKey) : null;
    if (!position) return;
    const feed = (request.params as { id?: string }).id ?? 'feed';
    pending.set(`${request.caller.clientId} ${feed}`, { clientId: request.caller.clientId, feed, xid: position.x, pos: position.p, at: new Date().toISOString() });
  });

  const timer = setInterval(() => { flush().catch((err) => app.log.warn({ err }, 'feed positions not recorded; retried with the next pages')); }, FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush().catch(() => {});
  });
  app.decorate('feedPositions', { flush });
}, { name: 'feed-positions' });
