/** Small shared primitives of the wire contract. Every named schema carries an `$id`. */
import { FormatRegistry, Kind, Type, TypeRegistry, type SchemaOptions, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { DefaultErrorFunction, SetErrorFunction, ValueErrorType } from '@sinclair/typebox/errors';
import { isTimestamp, TIMESTAMP_RULE } from '../src/domain/time.js';

/**
 * A string from a fixed list. It is `{ type: 'string', enum: [...] }` for fastify's ajv and in
 * the OpenAPI document, and a kind of its own for TypeBox (which checks batch items), so both
 * say what is allowed when a value is not: "must be one of: domain, url, …".
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ ...options, [Kind]: 'StringEnum', type: 'string', enum: [...values] }) as TUnsafe<T[number]> & { enum: Array<T[number]> };

const oneOf = (schema: TSchema) => `must be one of: ${(schema.enum as string[]).join(', ')}`;

// TypeBox's formats and messages, for every schema compiled with it.
if (!TypeRegistry.Has('StringEnum')) {
  TypeRegistry.Set<{ enum: string[] }>('StringEnum', (schema, value) => typeof value === 'string' && schema.enum.includes(value));
}
FormatRegistry.Set('date-time', isTimestamp);
FormatRegistry.Set('uuid', (v) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v));
FormatRegistry.Set('uri', (v) => URL.canParse(v));
SetErrorFunction((error) => {
  if (error.errorType === ValueErrorType.Kind && error.schema[Kind] === 'StringEnum') return oneOf(error.schema);
  if (error.errorType === ValueErrorType.StringFormat && error.schema.format === 'date-time') return `must be ${TIMESTAMP_RULE}`;
  return DefaultErrorFunction(error);
});

export const Uuid = Type.String({ format: 'uuid' });
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40, description: 'RFC 3339 date-time; on input between 1970-01-01 and 2100-01-01 (UTC), with a real calendar day and no leap second' });
export const CountryCode = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ProblemDetail = Type.Object({
  path: Type.String({ description: 'JSON pointer into the request: /body/..., /query/..., /params/...' }),
  message: Type.String(),
}, { $id: 'ProblemDetail' });

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  errors: Type.Optional(Type.Array(Type.Ref(ProblemDetail))),
}, { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' });

/** What each error status means in this API, for the OpenAPI document. */
const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: a parameter, property or value the schema does not allow (`errors` names each)',
  401: 'No valid credentials: missing, expired or foreign token (a `WWW-Authenticate` challenge says which scheme)',
  403: 'The credentials lack a scope this operation needs',
  404: 'No such resource, or not one the caller may see',
  406: 'None of the media types in `Accept` can be served',
  409: 'Conflicts with the current state',
  412: 'The `If-Match` version is not the current one',
  413: 'The request body is larger than this operation accepts',
  415: 'The request body is not of a media type this operation accepts',
  422: 'Understood but not processable as sent (e.g. an atomic batch with a rejected item, or an idempotency key reused with another body)',
  429: 'Too many requests from this client or address; `Retry-After` says when to try again',
  500: 'Internal error; the body holds no internals, `X-Request-Id` identifies it in the logs',
  503: 'Temporarily unavailable (database unreachable, request deadline passed, shutting down); `Retry-After` says when to try again',
};

/** Standard error responses (RFC 9457 problem documents), merged into each route's `response`. */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of statuses) {
    out[s] = Type.Unsafe({
      description: PROBLEM_DESCRIPTIONS[s] ?? 'Problem',
      content: { 'application/problem+json': { schema: Type.Ref(Problem) } },
    });
  }
  return out;
}

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const commonSchemas = [ProblemDetail, Problem];
