/**
 * Measure 2 — a full feed pull, and the raw COPY-out baseline in the same run.
 *
 * The main consumer (an agency) follows next_cursor from the start until it has `feedPullItems`
 * items: once with JSON pages and once with NDJSON, at the maximum page size. The baseline is
 * PostgreSQL writing the same rows as the same JSON with nothing in between:
 * `COPY (select <the feed's JSON expression> … the same rule … order by xid, pos limit n) TO STDOUT`,
 * built from the service's own SQL (view.ts, visibility.ts) so both sides produce identical text.
 */
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { currentState, previousState, receivableBy } from '../../src/domain/visibility.js';
import { indicatorJson, tombstoneJson } from '../../src/modules/indicators/view.js';
import { inlineParams } from '../../src/db/copy-out.js';
import { copyOut } from '../lib/db.js';
import { countFeedItems } from '../lib/http.js';
import { median } from '../lib/stats.js';
import type { Context, Measure } from '../lib/measure.js';

const PAGE = 10_000;

export function copyOutQuery(ctx: Context, limit: number): string {
  const caller = ctx.identity(ctx.fleet.mainConsumer());
  const now = receivableBy(caller, currentState('i'));
  const before = receivableBy(caller, previousState('c', 'i'));
  const status = sql`(case when i.status = 'withdrawn' then 'withdrawn' when i.status = 'expired' or i.valid_until <= now() then 'expired' else 'revoked' end)`;
  const query = sql`select case when ${now} then ${indicatorJson(caller)} else ${tombstoneJson(status, sql`coalesce(c.prev_tlp, i.tlp)`)} end
    from indicator_changes c join indicators i on i.id = c.indicator_id join orgs o on o.id = i.source_org_id
    where (${now} or ${before}) order by c.xid, c.pos limit ${limit}`;
  return inlineParams(new PgDialect().sqlToQuery(query));
}

/**
 * The main consumer follows next_cursor from the start until it has `target` items (through `api`: by default the server under test).
 * Per page: the time to the response's headers (the server has read the page, recorded its
 * deliveries and, for JSON, built and hashed the body) and the whole time (to the last byte, and
 * for JSON this client counting the items).
 */
export async function pull(ctx: Context, format: 'json' | 'ndjson', target: number, api = ctx.api) {
  const token = await ctx.fleet.token(ctx.fleet.mainConsumer());
  let cursor: string | null = null;
  let items = 0, bytes = 0, pages = 0;
  const headersMs: number[] = [], pageMs: number[] = [];
  const t0 = performance.now();
  for (;;) {
    const path = `/v1/feed?limit=${PAGE}${format === 'ndjson' ? '&format=ndjson' : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const started = performance.now();
    let headers: Headers;
    if (format === 'ndjson') {
      const res = await api.countLines(path, token);
      items += res.lines; bytes += res.bytes; headers = res.headers; headersMs.push(res.headersMs);
    } else {
      const res = await api.text(path, token);
      items += countFeedItems(res.body); bytes += res.body.length; headers = res.headers; headersMs.push(res.headersMs);
    }
    pageMs.push(performance.now() - started);
    pages++;
    cursor = headers.get('x-next-cursor');
    if (headers.get('x-has-more') !== 'true' || items >= target) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { items, bytes, pages, seconds, rate: items / seconds, headersMsMedian: median(headersMs), pageMsMedian: median(pageMs) };
}

export const feedPull: Measure = {
  name: 'feed',
  title: 'Full feed pull vs raw COPY-out',
  description: 'One consumer follows next_cursor from the start (JSON pages and NDJSON, limit 10000); baseline: COPY of the same rows as the same JSON.',
  steps: (scale) => [{
    label: 'feed pull',
    at: scale.feedLevel,
    async run(ctx) {
      const target = ctx.scale.feedPullItems;
      ctx.server.mark('feed pull (JSON)');
      const json = await pull(ctx, 'json', target);
      ctx.log(`feed pull JSON: ${json.items.toLocaleString('en')} items in ${json.seconds.toFixed(1)} s = ${Math.round(json.rate).toLocaleString('en')}/s (${json.pages} pages, ${(json.bytes / 1e6).toFixed(0)} MB; a page: headers after ${json.headersMsMedian.toFixed(0)} ms, done after ${json.pageMsMedian.toFixed(0)} ms, medians)`);
      ctx.server.mark('feed pull (NDJSON)');
      const nd = await pull(ctx, 'ndjson', target);
      ctx.log(`feed pull NDJSON: ${nd.items.toLocaleString('en')} items in ${nd.seconds.toFixed(1)} s = ${Math.round(nd.rate).toLocaleString('en')}/s (a page: headers after ${nd.headersMsMedian.toFixed(0)} ms, done after ${nd.pageMsMedian.toFixed(0)} ms, medians)`);

      ctx.server.mark('feed pull (COPY-out baseline)');
      const query = copyOutQuery(ctx, json.items);
      const t0 = performance.now();
      let rows = 0, bytes = 0;
      await copyOut(ctx.databaseUrl, query, (chunk) => {
        bytes += chunk.length;
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++;
      });
      const copySeconds = (performance.now() - t0) / 1000;
      const copyRate = rows / copySeconds;
      ctx.log(`feed COPY-out: ${rows.toLocaleString('en')} rows in ${copySeconds.toFixed(1)} s = ${Math.round(copyRate).toLocaleString('en')}/s; ratios JSON ${(json.rate / copyRate).toFixed(2)}, NDJSON ${(nd.rate / copyRate).toFixed(2)}`);
      return [
        { id: 'feed.json_rate', label: 'Feed pull, JSON pages of 10,000', unit: 'items/s', value: json.rate, target: { op: '>=', value: 50_000 }, detail: json },
        { id: 'feed.ndjson_rate', label: 'Feed pull, NDJSON pages of 10,000', unit: 'items/s', value: nd.rate, target: { op: '>=', value: 50_000 }, detail: nd },
        { id: 'feed.copy_rate', label: 'Raw COPY-out of the same rows as JSON (baseline)', unit: 'items/s', value: copyRate, detail: { rows, bytes, seconds: copySeconds } },
        { id: 'feed.json_ratio', label: 'JSON pull / raw COPY-out', unit: '×', value: json.rate / copyRate, target: { op: '>=', value: 0.8 } },
        { id: 'feed.ndjson_ratio', label: 'NDJSON pull / raw COPY-out', unit: '×', value: nd.rate / copyRate, target: { op: '>=', value: 0.8 } },
      ];
    },
  }],
};
