/**
 * What a database error is, whatever the driver and however it was wrapped.
 *
 * drizzle wraps every failure in a DrizzleQueryError whose message holds the SQL and all its
 * parameters; postgres.js and PGlite errors carry `query`, `parameters` and `detail` (values
 * of the failing row). None of that may reach a log or a client, so errors are described by
 * the few fields below, and an outage (no connection) is told apart from a failing statement.
 */

/** The safe part of a database error: codes and names, never values. */
export interface DatabaseErrorFacts {
  /** SQLSTATE (`23505`, `57P01`…) or the driver's code (`CONNECTION_CLOSED`, `ECONNREFUSED`…). */
  code?: string;
  constraint?: string;
  table?: string;
}

/** Driver codes of a lost or refused connection (postgres.js, Node sockets). */
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT',
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
]);
/** SQLSTATEs of a server that is going away or not accepting connections (class 08, 57P01–57P03). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;
/** PGlite after close() (shutdown, or a test closing the handle): the same outage to a caller. */
const PGLITE_CLOSED = 'PGlite is closed';

type ErrorLike = { name?: unknown; message?: unknown; code?: unknown; constraint?: unknown; table?: unknown; table_name?: unknown; constraint_name?: unknown; query?: unknown; cause?: unknown };

/** The error and its causes, outermost first (bounded: cause chains can loop). */
function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e = error; e && typeof e === 'object' && out.length < 8; e = (e as ErrorLike).cause) out.push(e as ErrorLike);
  return out;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

/** True when the error comes from the database layer (and so may carry SQL, parameters or values). */
export function isDatabaseError(error: unknown): boolean {
  return chain(error).some((e) => e.name === 'DrizzleQueryError' || e.name === 'PostgresError'
    || 'query' in e || 'parameters' in e || 'severity' in e || isConnectionError(e));
}

function isConnectionError(e: ErrorLike): boolean {
  const code = text(e.code);
  return (code !== undefined && (CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) || e.message === PGLITE_CLOSED;
}

/** True when the database cannot be reached now (a retry later may succeed): answer 503, not 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return chain(error).some(isConnectionError);
}

/** Code, constraint and table of the innermost database error: what a log may hold. */
export function databaseErrorFacts(error: unknown): DatabaseErrorFacts {
  const facts: DatabaseErrorFacts = {};
  for (const e of chain(error)) {
    const code = text(e.code);
    const constraint = text(e.constraint) ?? text(e.constraint_name);
    const table = text(e.table) ?? text(e.table_name);
    if (code) facts.code = code;
    if (constraint) facts.constraint = constraint;
    if (table) facts.table = table;
    if (e.message === PGLITE_CLOSED) facts.code ??= 'PGLITE_CLOSED';
  }
  return facts;
}

/** SQLSTATEs of a transaction that lost to a concurrent one and may simply be run again. */
const TRANSIENT_SQLSTATE = new Set(['40P01', '40001']); // deadlock detected, serialization failure

/** True when the transaction failed only because of a concurrent one (a deadlock): run it again. */
export function isTransientConflict(error: unknown): boolean {
  return chain(error).some((e) => TRANSIENT_SQLSTATE.has(text(e.code) ?? ''));
}
