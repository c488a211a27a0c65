/**
 * Two request limits, both answering 429 problem+json with Retry-After:
 * - per client IP, in onRequest, before any token is verified: bounds what unauthenticated or
 *   forged requests can cost (signature checks, client look-ups). Generous, since one address
 *   may carry many clients.
 * - per client, in preHandler, after authentication (routes may set their own, e.g. the token
 *   endpoint per IP).
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpProblem } from './problems.js';

export interface RateLimitOptions {
  /** Requests per authenticated client per window. */
  clientMax: number;
  /** Requests of any kind per IP per window. */
  ipMax: number;
  windowMs: number;
}

export default fp(async function rateLimits(app: FastifyInstance, opts: RateLimitOptions) {
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler', // after authentication, so limits apply per client
    max: opts.clientMax,
    timeWindow: opts.windowMs,
    keyGenerator: (request) => request.caller?.clientId ?? request.ip,
  });

  const perIp = app.createRateLimit({ max: opts.ipMax, timeWindow: opts.windowMs, keyGenerator: (request) => request.ip });
  app.addHook('onRequest', async (request) => {
    const state = await perIp(request);
    if (!state.isAllowed && state.isExceeded) {
      throw new HttpProblem(429, 'Too many requests from this address; retry after the time in Retry-After.', {
        headers: { 'retry-after': String(state.ttlInSeconds) },
      });
    }
  });
}, { name: 'rate-limits' });
