/**
 * RFC 9457 problem+json for every error the service answers: validation, unknown routes,
 * wrong methods, body parsing, auth, rate limits, and internal errors without internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { isDatabaseUnavailable } from '../db/errors.js';

export interface ProblemDetail { path: string; message: string }

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemDetail[];
  [extension: string]: unknown;
}

/** Throw one of these from a handler to answer with a problem document. */
export class HttpProblem extends Error {
  readonly status: number;
  readonly errors?: ProblemDetail[];
  readonly headers?: Record<string, string>;
  readonly slug: string;
  readonly extensions?: Record<string, unknown>;
  constructor(status: number, detail: string, options: {
    slug?: string; errors?: ProblemDetail[]; headers?: Record<string, string>; extensions?: Record<string, unknown>;
  } = {}) {
    super(detail);
    this.status = status;
    this.slug = options.slug ?? slugFor(status);
    if (options.errors) this.errors = options.errors;
    if (options.headers) this.headers = options.headers;
    if (options.extensions) this.extensions = options.extensions;
  }
}

export const notFound = (what = 'resource') => new HttpProblem(404, `No such ${what}, or it is not yours to see.`);
export const badRequest = (detail: string, errors?: ProblemDetail[]) =>
  new HttpProblem(400, detail, { slug: 'validation-error', ...(errors ? { errors } : {}) });

function slugFor(status: number): string {
  return (STATUS_CODES[status] ?? 'error').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-$/, '');
}

export function problemBody(status: number, detail: string, slug = slugFor(status), errors?: ProblemDetail[]): ProblemBody {
  return {
    type: `urn:isop:problem:${slug}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length ? { errors } : {}),
  };
}

/**
 * A protocol whose errors have a format of their own (TAXII 2.1 under /taxii2/): a module
 * registers it on the app (`app.problemFormats`), and every problem under its paths leaves in it.
 */
export interface ProblemFormat { matches(url: string): boolean; contentType: string; render(problem: ProblemBody): unknown }

declare module 'fastify' {
  interface FastifyInstance { problemFormats: ProblemFormat[] }
}

/** Sent as text, so a route's success schema for the same status never reshapes a problem. */
export function sendProblem(reply: FastifyReply, body: ProblemBody): FastifyReply {
  const format = reply.server.problemFormats?.find((f) => f.matches(reply.request.url));
  // A Buffer: the media type goes out exactly as given (fastify re-spells json types sent as text).
  if (format) return reply.code(body.status).header('content-type', format.contentType).send(Buffer.from(JSON.stringify(format.render(body))));
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Turn ajv errors into `{ path, message }` with JSON-pointer paths rooted at body/query/params. */
function validationErrors(errors: AjvError[], context: string | undefined): ProblemDetail[] {
  const root = context === 'querystring' ? '/query' : context ? `/${context}` : '';
  return errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' || errors.length === 1)
    .map((e) => {
      let path = root + e.instancePath;
      let message = e.message ?? 'is invalid';
      if (e.keyword === 'additionalProperties') {
        path += `/${String(e.params.additionalProperty)}`;
        message = 'is not a known property';
      } else if (e.keyword === 'required') {
        path += `/${String(e.params.missingProperty)}`;
        message = 'is required';
      } else if (e.keyword === 'enum') {
        message = `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
      }
      return { path, message };
    });
}

const BODY_ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Unsupported content type; send application/json.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Content-Length does not match the body.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is larger than this endpoint accepts.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The JSON body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The body is not valid JSON.'],
};

/** How long a client should wait before retrying when the database is unreachable. */
export const RETRY_AFTER_OUTAGE_SECONDS = 5;

/** Router errors that reach no route: a path that is not valid percent-encoding, a path segment longer than maxParamLength. */
const ROUTER_ERRORS: Record<string, [number, string]> = {
  FST_ERR_BAD_URL: [400, 'The request path is not valid: bad percent-encoding.'],
  FST_ERR_MAX_PARAM_LENGTH: [414, 'A segment of the request path is too long.'],
};

/** fastify's `frameworkErrors` option: the router's own errors as problem+json, with the headers every answer has. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const [status, detail] = ROUTER_ERRORS[error.code] ?? [500, 'An internal error occurred; it has been logged.'];
  if (status >= 500) request.log.error({ err: error }, 'router error');
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff');
  return sendProblem(reply, problemBody(status, detail));
}

/** Node's HTTP parser errors, before any request exists. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive.'],
  ERR_HTTP_HEADERS_TIMEOUT: [408, 'The request headers took too long to arrive.'],
};

/**
 * fastify's `clientErrorHandler` option: a request Node's HTTP parser refused (headers too
 * large, a control character in a header, a malformed request line) gets a complete HTTP/1.1
 * problem+json answer written on the socket, which is then closed.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'The request is not valid HTTP (a malformed request line or header).'];
  const id = randomUUID();
  this.log.debug({ err: error, reqId: id }, 'client error');
  if (socket.writable) {
    const body = JSON.stringify(problemBody(status, detail));
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n`
      + 'Content-Type: application/problem+json; charset=utf-8\r\n'
      + `Content-Length: ${Buffer.byteLength(body)}\r\n`
      + `X-Request-Id: ${id}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

export default fp(async function problems(app: FastifyInstance) {
  app.decorate('problemFormats', [] as ProblemFormat[]);
  // Remember every route so an unknown method on a known path can be a 405 rather than a 404.
  const routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  app.addHook('onRoute', (route) => {
    const source = '^' + route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*$/, '.*').replace(/:[A-Za-z_]+/g, '[^/]+') + '/?$';
    const methods = ([] as string[]).concat(route.method);
    const existing = routes.find((r) => r.pattern.source === source);
    if (existing) methods.forEach((m) => existing.methods.add(m));
    else routes.push({ pattern: new RegExp(source), methods: new Set(methods) });
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) r.methods.forEach((m) => allowed.add(m));
    if (allowed.size > 0) {
      reply.header('allow', [...allowed].sort().join(', '));
      return sendProblem(reply, problemBody(405, `${request.method} is not allowed on ${path}.`));
    }
    return sendProblem(reply, problemBody(404, `No route ${request.method} ${path}.`));
  });

  app.setErrorHandler((error: FastifyError & { validationContext?: string }, request, reply) => {
    if (error instanceof HttpProblem) {
      if (error.headers) reply.headers(error.headers);
      return sendProblem(reply, { ...problemBody(error.status, error.message, error.slug, error.errors), ...error.extensions });
    }
    if (error.validation) {
      const errors = validationErrors(error.validation as AjvError[], error.validationContext);
      return sendProblem(reply, problemBody(400, 'The request is not valid.', 'validation-error', errors));
    }
    const known = error.code ? BODY_ERRORS[error.code] : undefined;
    if (known) return sendProblem(reply, problemBody(known[0], known[1]));
    if (error.statusCode === 429) {
      return sendProblem(reply, problemBody(429, 'Too many requests; retry after the time in Retry-After.'));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, problemBody(error.statusCode, error.message));
    }
    if (error.code === 'FST_ERR_HANDLER_TIMEOUT') {
      // The request's deadline (HANDLER_TIMEOUT_SECONDS) passed, typically waiting for the database.
      request.log.warn({ err: error }, 'request deadline passed');
      reply.header('retry-after', String(RETRY_AFTER_OUTAGE_SECONDS));
      return sendProblem(reply, problemBody(503, 'The request could not be completed in time; retry after the time in Retry-After.'));
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(RETRY_AFTER_OUTAGE_SECONDS));
      return sendProblem(reply, problemBody(503, 'The service cannot reach its database; retry after the time in Retry-After.'));
    }
    // Anything else is our fault: log it (the err serializer keeps SQL and values out), answer without internals.
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, problemBody(500, 'An internal error occurred; it has been logged.'));
  });
});
