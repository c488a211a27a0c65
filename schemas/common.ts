/** Small shared primitives of the wire contract. Every named schema carries an `$id`. */
import { Type, type TSchema } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339, UTC' });
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
