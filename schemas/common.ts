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

/** Standard error responses, merged into each route's `response`. */
export function problemResponses(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const s of statuses) out[s] = Type.Ref(Problem);
  return out;
}

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const commonSchemas = [ProblemDetail, Problem];
