/**
 * JSON request bodies.
 *
 * Every JSON body is read with src/domain/json.ts: a syntax error or nesting deeper than
 * MAX_JSON_DEPTH levels is a 400 before anything walks the body, and a large body is parsed in
 * pieces with the event loop free in between. Text a database column cannot hold (a NUL, an
 * unpaired surrogate) anywhere in a body is a 400 too — except on bulk routes, whose handlers
 * check it item by item.
 *
 * Bulk routes (`config: { bulkBody: true }`: the indicator batch) also
 * - hold bytes of this node's budget for bulk bodies (BULK_BYTES_IN_FLIGHT), taken before the
 *   body is read — its Content-Length, or the route's body limit when that is not known — and
 *   given back when the handler is done, when the response is sent, or when the client goes away
 *   before the handler started. A request waits its turn for bytes; when BULK_MAX_WAITING wait
 *   already, the answer is 503 with Retry-After;
 * - get `request.bodyFingerprint` (SHA-256 of the raw body) when they carry an Idempotency-Key.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { JsonSyntaxError, parseJson, unstorableText } from '../domain/json.js';
import { pacer, type Pace } from '../domain/pace.js';
import { badRequest, HttpProblem } from './problems.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A large JSON body: held against the node's byte budget, fingerprinted, text checked by the handler. */
    bulkBody?: boolean;
  }
  interface FastifyRequest {
    /** Bulk routes with an Idempotency-Key: SHA-256 (base64url) of the raw request body. */
    bodyFingerprint?: string;
  }
  interface FastifyInstance {
    /** This node's budget for bulk bodies in flight. */
    bulkBodyBudget: ByteBudget;
  }
}

/** Bytes of bulk bodies one node reads and works on at once: two of the largest batches. */
export const BULK_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
/** Bulk requests that may wait for bytes; one more is a 503. */
export const BULK_MAX_WAITING = 32;
const RETRY_AFTER_SECONDS = 5;
const HASH_STEP_BYTES = 1024 * 1024;

export class QueueFull extends Error {
  override name = 'QueueFull';
}

/** Bytes held by one request: `ready` once they are, `release()` (any number of times) to give them back or stop waiting. */
export interface Hold {
  readonly ready: Promise<void>;
  release(): void;
}

/** A budget of bytes shared by requests: each waits, in arrival order, until its bytes are free. */
export class ByteBudget {
  private available: number;
  private readonly waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(readonly capacity: number, readonly maxWaiting: number) {
    this.available = capacity;
  }

  get free(): number {
    return this.available;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Asks for `bytes` (at most the capacity). Throws QueueFull when `maxWaiting` requests wait already. */
  take(bytes: number): Hold {
    const want = Math.min(bytes, this.capacity);
    let state: 'waiting' | 'held' | 'done' = 'waiting';
    let resolve!: () => void;
    const ready = new Promise<void>((r) => { resolve = r; });
    const entry = { bytes: want, grant: () => { state = 'held'; this.available -= want; resolve(); } };
    if (this.waiting.length === 0 && this.available >= want) entry.grant();
    else if (this.waiting.length >= this.maxWaiting) throw new QueueFull();
    else this.waiting.push(entry);
    return {
      ready,
      release: () => {
        if (state === 'held') this.available += want;
        else if (state === 'waiting') this.waiting.splice(this.waiting.indexOf(entry), 1);
        state = 'done';
        while (this.waiting.length && this.available >= this.waiting[0]!.bytes) this.waiting.shift()!.grant();
      },
    };
  }
}

async function sha256(bytes: Buffer, pace: Pace): Promise<string> {
  const digest = createHash('sha256');
  for (let i = 0; i < bytes.length; i += HASH_STEP_BYTES) {
    digest.update(bytes.subarray(i, i + HASH_STEP_BYTES));
    await pace();
  }
  return digest.digest('base64url');
}

export default fp(async function body(app: FastifyInstance, opts: { budget?: ByteBudget }) {
  const budget = opts.budget ?? new ByteBudget(BULK_BYTES_IN_FLIGHT, BULK_MAX_WAITING);
  app.decorate('bulkBodyBudget', budget);
  const holds = new WeakMap<FastifyRequest, Hold & { handling?: boolean }>();
  const release = (request: FastifyRequest) => holds.get(request)?.release();

  app.removeContentTypeParser('application/json');
  // JSON, and STIX bundles and TAXII envelopes, which are JSON too (the routes say which they take).
  app.addContentTypeParser(['application/json', 'application/stix+json', 'application/taxii+json'], { parseAs: 'buffer' }, async (request: FastifyRequest, raw: Buffer) => {
    if (raw.length === 0) throw badRequest('The JSON body is empty.');
    const pace = pacer();
    let value: unknown;
    try {
      value = await parseJson(raw, { pace });
    } catch (err) {
      if (err instanceof JsonSyntaxError) throw badRequest(`The body is not valid JSON: ${err.message}.`);
      throw err;
    }
    if (request.routeOptions.config.bulkBody) {
      if (request.headers['idempotency-key'] !== undefined) request.bodyFingerprint = await sha256(raw, pace);
    } else {
      const bad = unstorableText(value);
      if (bad) throw badRequest('The body holds text that cannot be stored.', [{ path: `/body${bad.path === '/' ? '' : bad.path}`, message: bad.message }]);
    }
    return value;
  });

  app.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.routeOptions.config.bulkBody) return payload;
    const limit = request.routeOptions.bodyLimit;
    const declared = Number(request.headers['content-length']);
    if (declared > limit) return payload; // fastify answers 413 without reading it
    let hold: Hold;
    try {
      hold = budget.take(Number.isFinite(declared) ? declared : limit);
    } catch (err) {
      if (!(err instanceof QueueFull)) throw err;
      throw new HttpProblem(503, 'This node is receiving as many batches as it can; retry after the time in Retry-After.', {
        headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
      });
    }
    holds.set(request, hold);
    await hold.ready;
    return payload;
  });
  app.addHook('onResponse', async (request) => release(request));
  app.addHook('onRequestAbort', async (request) => {
    if (!holds.get(request)?.handling) release(request); // a running handler gives its bytes back when it ends
  });
  app.addHook('onRoute', (route) => {
    if (!route.config?.bulkBody) return;
    const handler = route.handler;
    route.handler = async function bulkHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const hold = holds.get(request);
      if (hold) hold.handling = true;
      try {
        return await handler.call(this, request, reply);
      } finally {
        release(request);
      }
    };
  });
}, { name: 'body' });
