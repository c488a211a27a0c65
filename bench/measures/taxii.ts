/**
 * TAXII paging throughput: the main consumer (an agency) pages its "everything" collection with
 * `limit=1000` and `next` — objects (STIX, with markings and identities) and the manifest —
 * and, in the same run, /v1/feed with JSON pages of the same size, for the ratio. The data set is
 * bulk-loaded in few transactions, so long runs of objects share one date_added: the paging the
 * epochs and the signed (xid, pos) `next` exist for.
 */
import { EVERYTHING_ID } from '../../src/modules/taxii/collections.js';
import { countFeedItems } from '../lib/http.js';
import type { Context, Measure } from '../lib/measure.js';

const LIMIT = 1000;
const TAXII = 'application/taxii+json;version=2.1';

async function pageTaxii(ctx: Context, endpoint: 'objects' | 'manifest', target: number) {
  const token = await ctx.fleet.token(ctx.fleet.mainConsumer());
  let next: string | undefined;
  let items = 0, objects = 0, bytes = 0, pages = 0;
  const dates = new Set<string>();
  const t0 = performance.now();
  for (;;) {
    const path = `/taxii2/api/collections/${EVERYTHING_ID}/${endpoint}/?limit=${LIMIT}${next ? `&next=${encodeURIComponent(next)}` : ''}`;
    const res = await ctx.api.text(path, token, TAXII);
    const page = JSON.parse(res.body) as { more?: boolean; next?: string; objects?: Array<{ type?: string }> };
    pages++;
    bytes += res.body.length;
    objects += page.objects?.length ?? 0;
    items += endpoint === 'manifest' ? page.objects?.length ?? 0 : (page.objects ?? []).filter((o) => o.type === 'indicator').length;
    const last = res.headers.get('x-taxii-date-added-last');
    if (last) dates.add(last);
    if (!page.more || items >= target) break;
    next = page.next;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { items, objects, bytes, pages, seconds, rate: items / seconds, distinctDateAddedLast: dates.size };
}

async function pageFeed(ctx: Context, target: number) {
  const token = await ctx.fleet.token(ctx.fleet.mainConsumer());
  let cursor: string | null = null;
  let items = 0, pages = 0;
  const t0 = performance.now();
  for (;;) {
    const res = await ctx.api.text(`/v1/feed?limit=${LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, token);
    items += countFeedItems(res.body);
    pages++;
    cursor = res.headers.get('x-next-cursor');
    if (res.headers.get('x-has-more') !== 'true' || items >= target) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { items, pages, seconds, rate: items / seconds };
}

export const taxiiPaging: Measure = {
  name: 'taxii',
  title: 'TAXII paging throughput',
  description: `The main consumer pages its TAXII "everything" collection (objects, manifest; limit ${LIMIT}, next) and, for the ratio, /v1/feed with JSON pages of ${LIMIT}.`,
  steps: (scale) => [{
    label: 'taxii paging',
    at: scale.feedLevel,
    repeat: false,
    async run(ctx) {
      // Pages of 1,000 at a steady rate: 200,000 objects are enough (the full run's 1 M would take minutes per resource).
      const target = Math.min(ctx.scale.feedPullItems, 200_000);
      ctx.server.mark('TAXII objects');
      const objects = await pageTaxii(ctx, 'objects', target);
      ctx.log(`TAXII objects: ${objects.items.toLocaleString('en')} indicators (${objects.objects.toLocaleString('en')} objects) in ${objects.seconds.toFixed(1)} s = ${Math.round(objects.rate).toLocaleString('en')}/s, ${objects.pages} pages, ${objects.distinctDateAddedLast} distinct date_added at page ends`);
      ctx.server.mark('TAXII manifest');
      const manifest = await pageTaxii(ctx, 'manifest', target);
      ctx.log(`TAXII manifest: ${manifest.items.toLocaleString('en')} records in ${manifest.seconds.toFixed(1)} s = ${Math.round(manifest.rate).toLocaleString('en')}/s`);
      ctx.server.mark('feed pull (JSON, pages of 1000)');
      const feed = await pageFeed(ctx, objects.items);
      ctx.log(`feed JSON pages of ${LIMIT}: ${feed.items.toLocaleString('en')} items in ${feed.seconds.toFixed(1)} s = ${Math.round(feed.rate).toLocaleString('en')}/s; TAXII objects / feed ${(objects.rate / feed.rate).toFixed(2)}`);
      return [
        { id: 'taxii.objects_rate', label: `TAXII objects, pages of ${LIMIT} (indicators)`, unit: 'items/s', value: objects.rate, detail: objects },
        { id: 'taxii.manifest_rate', label: `TAXII manifest, pages of ${LIMIT}`, unit: 'items/s', value: manifest.rate, detail: manifest },
        { id: 'taxii.feed_rate', label: `/v1/feed JSON, pages of ${LIMIT} (same run)`, unit: 'items/s', value: feed.rate, detail: feed },
        { id: 'taxii.objects_ratio', label: 'TAXII objects / feed JSON (same page size)', unit: '×', value: objects.rate / feed.rate },
      ];
    },
  }],
};
