/**
 * What the OpenAPI document promises integrators, enforced where routes are registered:
 *
 * - every documented route carries a stable, unique camelCase `operationId` (client generators
 *   turn it into a function name), or the app does not start — like a /v1 route that declares
 *   no access (src/plugins/auth.ts);
 * - the document names its server and licence, and shows each request body's schema examples
 *   as the body's examples (where generators and the browsable reference look for them);
 * - every documented route lists the errors it can answer, derived from what it declares: 401
 *   for credentials, 403 for scopes, 400 for anything validated, 413/415 for a body, and the
 *   429/500/503 that any request may meet. A route adds its own (404, 409, 412, 422, …).
 */
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { OpenAPIV3_1 } from 'openapi-types';
import { problemResponses } from '../../schemas/common.js';
import type { RouteAccess } from './auth.js';

type Schema = { hide?: boolean; operationId?: unknown; response?: Record<string, unknown>; body?: unknown; querystring?: unknown; params?: unknown };

const documented = (route: RouteOptions) => route.method !== 'HEAD' && !(route.schema as Schema | undefined)?.hide;

export function requireOperationIds(app: FastifyInstance): void {
  const taken = new Map<string, string>();
  app.addHook('onRoute', (route) => {
    if (!documented(route)) return;
    const where = `${String(route.method)} ${route.url}`;
    const id = (route.schema as Schema | undefined)?.operationId;
    if (typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id)) throw new Error(`route ${where} has no camelCase operationId in its schema`);
    const other = taken.get(id);
    if (other && other !== where) throw new Error(`operationId ${id} of ${where} is already used by ${other}`);
    taken.set(id, where);
  });
}

/** The problem statuses a route can answer, from its access and its schema. */
export function errorStatuses(access: RouteAccess['access'], schema: Schema): number[] {
  const statuses = [429, 500, 503];
  if (schema.body || schema.querystring || schema.params) statuses.push(400);
  if (schema.body) statuses.push(413, 415);
  if (access !== 'public') statuses.push(401);
  if (access !== 'public' && access !== 'authenticated') statuses.push(403);
  return statuses;
}

/** Adds the derived error responses to every documented route (after auth has recorded its access). */
export function documentErrorResponses(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (!documented(route) || !route.schema) return;
    const schema = route.schema as Schema;
    const method = ([] as string[]).concat(route.method)[0];
    const access = app.routeAccess.find((r) => r.url === route.url && r.method === method)?.access;
    const derived = problemResponses(...errorStatuses(access ?? 'public', schema));
    route.schema = { ...route.schema, response: { ...derived, ...schema.response } };
  });
}

/** The document's frame; the paths come from the routes. */
export function openApiOptions(version: string): FastifyDynamicSwaggerOptions {
  const document: Omit<OpenAPIV3_1.Document, 'paths'> = {
    openapi: '3.1.0',
    info: {
      title: 'I-SOP Exchange API',
      version,
      description: 'Public-private sharing of anti-piracy indicators between rights holders, agencies and intermediaries.',
      license: { name: 'Proprietary: for the participants of the I-SOP Exchange only', identifier: 'LicenseRef-ISOP-Exchange-Participants' },
    },
    servers: [{ url: '/', description: 'The service that serves this document (GET /openapi.json)' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        clientBasic: { type: 'http', scheme: 'basic' },
      },
    },
    security: [{ bearer: [] }],
  };
  return {
    openapi: document,
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transformObject: (built) => ('openapiObject' in built ? withBodyExamples(built.openapiObject as OpenAPIV3_1.Document) : built.swaggerObject),
  };
}

/** Copies the `examples` of each request body's component schema to the body's media types. */
export function withBodyExamples(document: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
  const schemas = document.components?.schemas ?? {};
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(item ?? {})) {
      const body = (operation as OpenAPIV3_1.OperationObject | undefined)?.requestBody as OpenAPIV3_1.RequestBodyObject | undefined;
      for (const media of Object.values(body?.content ?? {})) {
        const ref = (media.schema as OpenAPIV3_1.ReferenceObject | undefined)?.$ref;
        const examples = ref ? (schemas[ref.replace('#/components/schemas/', '')] as { examples?: unknown[] } | undefined)?.examples : undefined;
        if (!examples?.length || media.examples) continue;
        media.examples = Object.fromEntries(examples.map((value, i) => [i === 0 ? 'default' : `example${i + 1}`, { value }]));
      }
    }
  }
  return document;
}
