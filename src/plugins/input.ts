/**
 * Input the router and ajv let through but the API refuses, checked once for every route
 * before its handler (and any query) sees it:
 * - text PostgreSQL cannot store — a NUL character, or an unpaired UTF-16 surrogate that has no
 *   UTF-8 form — in path parameters, query strings and form bodies (JSON bodies: src/plugins/body.ts);
 * - query parameters ajv would coerce: integers and booleans must be written plainly
 *   (`limit=1e3`, `limit=0x10`, `atomic=1` are 400s), and a scalar parameter is given once.
 * The rules come from each route's querystring schema, so a new route gets them by declaring it.
 */
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { unstorableText } from '../domain/json.js';
import { badRequest, type ProblemDetail } from './problems.js';


type Shape = 'integer' | 'number' | 'boolean' | 'array' | 'scalar';
interface JsonSchema { type?: string; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; properties?: Record<string, JsonSchema>; $ref?: string; minimum?: number }

function shapeOf(schema: JsonSchema): Shape {
  const members = schema.anyOf ?? schema.oneOf;
  if (members?.length) {
    const shapes = new Set(members.map(shapeOf));
    return shapes.size === 1 ? [...shapes][0]! : shapes.has('array') ? 'array' : 'scalar';
  }
  return schema.type === 'integer' || schema.type === 'number' || schema.type === 'boolean' || schema.type === 'array' ? schema.type : 'scalar';
}

const PLAIN = {
  integer: { natural: /^(0|[1-9][0-9]*)$/, signed: /^(0|-?[1-9][0-9]*)$/, message: 'must be a whole number in plain decimal digits' },
  number: { natural: /^(0|[1-9][0-9]*)(\.[0-9]+)?$/, signed: /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/, message: 'must be a number in plain decimal digits' },
};

/** The checks a route's querystring schema implies, or undefined when it has no parameters. */
function queryChecker(schema: JsonSchema): ((query: Record<string, unknown>) => ProblemDetail[]) | undefined {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return undefined;
  const rules = new Map(properties.map(([name, property]) => [name, { shape: shapeOf(property), natural: (property.minimum ?? -1) >= 0 }]));
  return (query) => {
    const errors: ProblemDetail[] = [];
    for (const [name, value] of Object.entries(query)) {
      const rule = rules.get(name);
      if (!rule || rule.shape === 'array') continue; // unknown names are ajv's (additionalProperties)
      const path = `/query/${name}`;
      if (Array.isArray(value)) errors.push({ path, message: 'must be given once' });
      else if (rule.shape === 'boolean' && value !== 'true' && value !== 'false') errors.push({ path, message: 'must be true or false' });
      else if (rule.shape === 'integer' || rule.shape === 'number') {
        const plain = PLAIN[rule.shape];
        if (!(rule.natural ? plain.natural : plain.signed).test(String(value))) errors.push({ path, message: plain.message });
      }
    }
    return errors;
  };
}

const isForm = (request: FastifyRequest) => request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ?? false;

export default fp(async function input(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const errors = [
      unstorableText(request.params, '/params'),
      unstorableText(request.query, '/query'),
      isForm(request) ? unstorableText(request.body, '/body') : null,
    ].filter((e) => e !== null);
    if (errors.length) throw badRequest('The request holds text that cannot be stored.', errors);
  });

  app.addHook('onRoute', (route) => {
    let schema = route.schema?.querystring as JsonSchema | undefined;
    if (schema?.$ref) schema = app.getSchema(schema.$ref) as JsonSchema | undefined;
    const check = schema && queryChecker(schema);
    if (!check) return;
    const hook: preValidationHookHandler = async (request) => {
      const errors = check(request.query as Record<string, unknown>);
      if (errors.length) throw badRequest('The request is not valid.', errors);
    };
    route.preValidation = [hook, ...([] as preValidationHookHandler[]).concat(route.preValidation ?? [])];
  });
}, { name: 'input' });
