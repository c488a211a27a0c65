/**
 * Bytes in flight on the batch route: a batch holds its bytes of the node's budget before its
 * body is read, later batches wait their turn, and one more than may wait is a 503 with
 * Retry-After. (The budget itself: test/plugins/body.test.ts.)
 */
import t from 'tap';
import { PassThrough } from 'node:stream';
import { MAX_BATCH_BYTES } from '../../schemas/indicators.js';
import { BULK_BYTES_IN_FLIGHT, BULK_MAX_WAITING } from '../../src/plugins/body.js';
import { adminToken, createMember, createTestApp, json } from '../helpers/app.js';

const { app } = await createTestApp(t);
const partner = await createMember(app, await adminToken(app), 'partner', 'FR');
const budget = app.bulkBodyBudget;

/** Lets queued work run until `done()` holds (no clock involved). */
async function settle(done: () => boolean) {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

const push = (payload: string | PassThrough, headers: Record<string, string> = {}) => app.inject({
  method: 'POST', url: '/v1/indicators', payload, headers: { ...partner.auth, 'content-type': 'application/json', ...headers },
});

t.test('batches wait for bytes before their bodies are read; one more than may wait is a 503', async (t) => {
  t.equal(budget.capacity, BULK_BYTES_IN_FLIGHT);
  // Batches still uploading, each announcing the largest body: together they hold every byte.
  const uploading = Array.from({ length: BULK_BYTES_IN_FLIGHT / MAX_BATCH_BYTES }, () => new PassThrough());
  const uploads = uploading.map((stream) => push(stream, { 'content-length': String(MAX_BATCH_BYTES) }));
  await settle(() => budget.free === 0);
  const waiting = Array.from({ length: BULK_MAX_WAITING }, (_, i) => push(JSON.stringify({ items: [{ type: 'domain', value: `waiting-${i}-${process.pid}.com` }] })));
  await settle(() => budget.queued === BULK_MAX_WAITING);

  const refused = await push(JSON.stringify({ items: [{ type: 'domain', value: `refused-${process.pid}.com` }] }));
  t.equal(refused.statusCode, 503);
  t.equal(refused.headers['retry-after'], '5');
  t.match(refused.headers['content-type'], /^application\/problem\+json/);
  t.match(json(refused), { status: 503, detail: /retry after the time in Retry-After/ });

  // The uploads end short of what they announced (400), which frees their bytes for the others.
  for (const stream of uploading) stream.end('{"items":[]}');
  for (const res of await Promise.all(uploads)) t.equal(res.statusCode, 400);
  const done = await Promise.all(waiting);
  t.same(done.map((r) => r.statusCode), waiting.map(() => 200), 'every waiting batch ran');
  t.same(done.map((r) => json(r).summary.created), waiting.map(() => 1));
  t.equal(budget.free, BULK_BYTES_IN_FLIGHT, 'and every byte is back');
});
