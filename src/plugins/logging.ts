/**
 * What a log line may say about a request and an error. Logs leave the service (collectors,
 * support tickets), so they hold no secret and no indicator value: query strings lose their
 * values (an `access_token=` or a RED value in `/v1/lookup?value=`), and database errors lose
 * their SQL, parameters and row values (a whole batch, a new client's secret hash).
 */
import { databaseErrorFacts, isDatabaseError } from '../db/errors.js';

/** A query parameter's name is logged when it looks like one of ours; anything else could be a value. */
const PLAIN_NAME = /^[a-z_]{1,32}$/;

/** The path and the query's parameter names: `/v1/lookup?type&value`. */
export function urlForLog(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const names = url.slice(mark + 1).split('&').filter(Boolean)
    .map((pair) => pair.split('=', 1)[0]!)
    .map((name) => (PLAIN_NAME.test(name) ? name : '…'));
  return `${url.slice(0, mark)}?${names.join('&')}`;
}

interface LoggedRequest { method: string; url: string; headers: Record<string, unknown>; ip?: string }

export function requestForLog(req: LoggedRequest) {
  return { method: req.method, url: urlForLog(req.url), ip: req.ip, headers: { ...req.headers } };
}

const className = (value: unknown) => (value as { constructor?: { name?: string } } | null)?.constructor?.name || 'Error';

/** The call frames of a stack, without its first lines (the message, which may hold values). */
const framesOf = (stack: unknown) => (typeof stack === 'string' ? stack.split('\n').filter((line) => /^\s+at /.test(line)).join('\n') : '');

/**
 * pino's `err` serializer, so every line with `err` (handlers, hooks, the sweeper, fastify's
 * own "request errored") is safe. A database error is its class, code, constraint and table
 * and its call frames; anything else its class, message, code and stack — never extra
 * properties (a Node client error carries the raw request bytes in `rawPacket`, headers and all).
 */
export function errorForLog(err: unknown): { type: string; message: string; stack: string; [key: string]: unknown } {
  if (!err || typeof err !== 'object') return { type: typeof err, message: String(err), stack: '' };
  const e = err as Error & { code?: unknown; statusCode?: unknown };
  if (isDatabaseError(err)) {
    const facts = databaseErrorFacts(err);
    return { type: className(err), message: `database error ${facts.code ?? ''}`.trim(), stack: framesOf(e.stack), ...facts };
  }
  return {
    type: className(err),
    message: String(e.message),
    stack: String(e.stack ?? ''),
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
  };
}
