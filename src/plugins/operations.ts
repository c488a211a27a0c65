/**
 * Liveness, readiness and Prometheus metrics (request counts and latency by route).
 * /metrics on the main port needs an admin token or the METRICS_TOKEN secret; a separate
 * listener (METRICS_PORT, bound to METRICS_HOST) serves it without authentication.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ping, type Database } from '../db/client.js';
import { problemBody, sendProblem } from './problems.js';

declare module 'fastify' {
  interface FastifyInstance { metrics: Registry }
}

/** How long /readyz waits for the database before it answers 503. */
const READY_TIMEOUT_MS = 2_000;

export default fp(async function operations(app: FastifyInstance, opts: { db: Database; metricsToken?: string | undefined }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total', help: 'HTTP requests by route, method and status',
    labelNames: ['method', 'route', 'status_code'] as const, registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency by route and method',
    labelNames: ['method', 'route'] as const, registers: [registry],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  app.decorate('metrics', registry);

  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status_code: String(reply.statusCode) });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });

  const hidden = { schema: { hide: true } };
  app.get('/healthz', hidden, async () => ({ status: 'ok' }));
  app.get('/readyz', hidden, async (request, reply) => {
    try {
      // Bounded: a database that accepts connections and drops them can make a query wait forever.
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('readiness check timed out'), { code: 'CONNECT_TIMEOUT' })), READY_TIMEOUT_MS);
      });
      await Promise.race([ping(opts.db), deadline]).finally(() => clearTimeout(timer));
      return { status: 'ready' };
    } catch (err) {
      request.log.warn({ err }, 'database unreachable');
      reply.header('retry-after', '5');
      return sendProblem(reply, problemBody(503, 'The database is unreachable.'));
    }
  });
  app.get('/metrics', { ...hidden, onRequest: app.authorize('admin', { orSecret: opts.metricsToken }) }, async (_request, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
});

/**
 * Serves `registry` at /metrics, without authentication, on a listener of its own — for a
 * scraper on a private network. Anything else there is a 404 problem.
 */
export async function listenForMetrics(registry: Registry, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'x-content-type-options': 'nosniff' }).end(request.method === 'HEAD' ? undefined : body);
    };
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      send(404, 'application/problem+json; charset=utf-8', JSON.stringify(problemBody(404, 'Only GET /metrics is served here.')));
      return;
    }
    registry.metrics().then(
      (text) => send(200, registry.contentType, text),
      () => send(500, 'application/problem+json; charset=utf-8', JSON.stringify(problemBody(500, 'Metrics could not be collected.'))),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  return { server, port: (server.address() as AddressInfo).port };
}
