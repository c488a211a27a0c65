/**
 * Builds the whole application as one fastify instance, without listening: used by
 * src/server.ts and by the tests (app.inject()).
 *
 * Request path: per-IP limit → auth (per route, `app.authorize(access)`) → input checks and
 * schema validation → per-client limit → module handler → problem+json on any error.
 */
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import { allSchemas } from '../schemas/index.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/client.js';
import identityRoutes from './modules/identity/routes.js';
import indicatorRoutes from './modules/indicators/routes.js';
import feedRoutes from './modules/feeds/routes.js';
import feedStreamRoutes from './modules/feeds/stream.js';
import dnsRoutes from './modules/dns/routes.js';
import outcomeRoutes from './modules/outcomes/routes.js';
import analysisRoutes from './modules/analysis/routes.js';
import feedPositions from './modules/stats/positions.js';
import statsRoutes from './modules/stats/routes.js';
import taxiiRoutes, { taxiiErrors } from './modules/taxii/routes.js';
import auditRoutes from './modules/audit/routes.js';
import { loadSealKeys, type SealKeys } from './modules/dns/seal.js';
import type { WarninglistMatcher } from './domain/warninglists.js';
import { loadKeyRing, type KeyRing } from './modules/identity/keys.js';
import auth from './plugins/auth.js';
import body from './plugins/body.js';
import input from './plugins/input.js';
import { errorForLog, requestForLog } from './plugins/logging.js';
import operations from './plugins/operations.js';
import { documentErrorResponses, openApiOptions, requireOperationIds } from './plugins/route-documentation.js';
import problems, { clientErrorHandler, frameworkErrors, HttpProblem, problemBody, RETRY_AFTER_OUTAGE_SECONDS, sendProblem } from './plugins/problems.js';
import rateLimits from './plugins/rate-limits.js';

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /**
   * A read replica (DATABASE_READ_URL): feed pages, saved feed items, blocklists, lookups and
   * indicator lists/reads read from it; writes — deliveries recorded for those reads too — and
   * anything that must see its own writes go to `database`. Absent → `database` serves all.
   */
  readDatabase?: DatabaseHandle;
  keyRing: KeyRing;
  warninglists: WarninglistMatcher;
  cursorKey: Buffer;
  /** Override the logger (tests capture it). */
  logger?: FastifyServerOptions['logger'];
}

/** Paths pino masks wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]',
  'headers.authorization', '*.client_secret', 'client_secret', '*.access_token', 'access_token', '*.password',
];

declare module 'fastify' {
  interface FastifyContextConfig { acceptsForm?: boolean }
  interface FastifyInstance {
    warninglists: WarninglistMatcher;
    /** Keep the link graph's derived links at ingest (LINK_DERIVATION). */
    linkDerivation: boolean;
  }
}

export const API_VERSION = '1.0.0';

/** Structured JSON logs: credentials masked, no query-string values, no SQL or values in errors. */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream) {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: requestForLog, err: errorForLog },
    ...(stream ? { stream } : {}),
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, database, keyRing, cursorKey } = options;
  const reading = options.readDatabase ?? database;
  const readDb = reading.db;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(config.logLevel),
    bodyLimit: 1024 * 1024,
    requestTimeout: 120_000,
    handlerTimeout: config.handlerTimeoutSeconds * 1000,
    // A number of hops: trust that many proxies nearest to the server.
    trustProxy: typeof config.trustProxy === 'number' ? ((_address: string, hop: number) => hop < (config.trustProxy as number)) : config.trustProxy,
    connectionTimeout: 0,
    // A caller's X-Request-Id is kept when it is a plain token, so it can follow a request across systems.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // Requests during a shutdown are refused by the hook below, as problems (fastify's own 503 is plain JSON).
    return503OnClosing: false,
    // Requests refused before routing (by Node's HTTP parser, by the router) still get problem+json.
    clientErrorHandler,
    frameworkErrors,
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    ajv: {
      customOptions: {
        removeAdditional: false, // unknown properties are errors, not silently dropped
        coerceTypes: 'array',
        useDefaults: true,
        allErrors: true,
      },
    },
  });

  // Draining (SIGTERM): what is in flight finishes; anything new is a 503 problem, and its connection closes.
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close').header('retry-after', String(RETRY_AFTER_OUTAGE_SECONDS));
    return sendProblem(reply, problemBody(503, 'The service is shutting down; retry after the time in Retry-After.'));
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
  });

  for (const schema of allSchemas) app.addSchema(schema);

  // First, so that their hooks see every route: the per-IP limit runs before any token is
  // verified, and a /v1 route that declares no access stops the app here.
  await app.register(rateLimits, { clientMax: config.rateLimitMax, ipMax: config.ipRateLimitMax, windowMs: config.rateLimitWindowMs });
  await app.register(auth, {
    db: database.db, keyRing,
    ...(config.signingKeys.length ? {} : { reloadKeyRing: () => loadKeyRing(database.db, []) }),
    tokenTtlSeconds: config.tokenTtlSeconds,
    revocationCacheSeconds: config.revocationCacheSeconds,
  });
  await app.register(input);

  // Strict query strings everywhere in the API: a route that takes no parameters refuses any,
  // so an integrator's typo is a 400, never silently ignored.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/v1/') || route.schema?.querystring) return;
    route.schema = { ...route.schema, querystring: { type: 'object', properties: {}, additionalProperties: false } };
  });

  requireOperationIds(app);
  documentErrorResponses(app);

  await app.register(swagger, openApiOptions(API_VERSION));
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(problems);
  await app.register(taxiiErrors); // under /taxii2/, problems are TAXII error messages
  await app.register(body); // JSON bodies: depth, unstorable text, bulk bodies in pieces and within a byte budget
  // JSON only, except where a route opts in to forms (the OAuth token endpoint).
  app.removeContentTypeParser('text/plain');
  await app.register(formbody, { bodyLimit: 8 * 1024 });
  app.addHook('preValidation', async (request) => {
    const type = request.headers['content-type'];
    if (type?.startsWith('application/x-www-form-urlencoded') && !request.routeOptions.config.acceptsForm) {
      throw new HttpProblem(415, 'Unsupported content type; send application/json.');
    }
  });
  await app.register(operations, { db: database.db, metricsToken: config.metricsToken });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  let sealKeys: Promise<SealKeys> | undefined;
  const zones = { sealKeys: () => (sealKeys ??= loadSealKeys(database.db, config.tsigSealKeys)), rpz: config.rpz };
  await app.register(identityRoutes, {
    db: database.db, tokenTtlSeconds: config.tokenTtlSeconds,
    tokenRateLimitMax: config.tokenRateLimitMax, rateLimitWindowMs: config.rateLimitWindowMs, zones,
  });
  app.decorate('warninglists', options.warninglists);
  app.decorate('linkDerivation', config.linkDerivation);
  await app.register(indicatorRoutes, { db: database.db, readDb, cursorKey });
  await app.register(feedPositions, { db: database.db, cursorKey }); // before the feeds: it follows their pages
  await app.register(feedRoutes, { db: database.db, readDb, ...(reading.pg ? { pg: reading.pg } : {}), cursorKey, rpz: config.rpz, pages: config.feedPages });
  await app.register(feedStreamRoutes, { database, cursorKey, stream: config.stream });
  await app.register(dnsRoutes, { db: database.db, zones });
  await app.register(outcomeRoutes, { db: database.db, cursorKey });
  await app.register(analysisRoutes, { db: database.db });
  await app.register(statsRoutes, { db: database.db });
  await app.register(taxiiRoutes, { db: database.db, cursorKey });
  await app.register(auditRoutes, { db: database.db, cursorKey });
  if (!config.auditEnabled) app.log.warn('AUDIT_OFF_FOR_BENCHMARKS: nothing is audited (benchmarks only, never in production)');
  return app;
}
