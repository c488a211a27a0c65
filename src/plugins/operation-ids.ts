/**
 * Integrators generate their clients from the OpenAPI document, where operation names become
 * function names: every documented route carries a stable, unique camelCase `operationId`, or
 * the app does not start (like a /v1 route that declares no access, src/plugins/auth.ts).
 */
import type { FastifyInstance } from 'fastify';

export function requireOperationIds(app: FastifyInstance): void {
  const taken = new Map<string, string>();
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean; operationId?: unknown } | undefined;
    if (route.method === 'HEAD' || schema?.hide) return;
    const where = `${String(route.method)} ${route.url}`;
    const id = schema?.operationId;
    if (typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id)) throw new Error(`route ${where} has no camelCase operationId in its schema`);
    const other = taken.get(id);
    if (other && other !== where) throw new Error(`operationId ${id} of ${where} is already used by ${other}`);
    taken.set(id, where);
  });
}
