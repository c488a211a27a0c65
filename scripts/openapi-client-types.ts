/**
 * TypeScript types of the API for integrators' clients, generated from the OpenAPI document with
 * openapi-typescript (the input of openapi-fetch). `npm run openapi` writes them next to the
 * document (openapi/schema.d.ts); test/openapi-client.test.ts drives the README's walk-through
 * through a client typed by them, so a document that drifts from the service fails typecheck or test.
 */
import openapiTS, { astToString } from 'openapi-typescript';
import type { OpenAPIV3_1 } from 'openapi-types';

export async function clientTypes(document: OpenAPIV3_1.Document): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true });
  return `${astToString(ast)}`;
}
