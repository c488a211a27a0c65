/**
 * The OpenAPI document, built from the same routes and schemas the server registers, without
 * a listening socket. Used by `npm run openapi` (scripts/write-openapi.ts) to write the
 * committed openapi/openapi.json, which test/openapi.test.ts and CI compare with the code.
 */
import type { OpenAPIV3_1 } from 'openapi-types';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { startRuntime } from './runtime.js';

export async function openApiDocument(): Promise<OpenAPIV3_1.Document> {
  // The app is started exactly as the server starts it (src/runtime.ts), over a throw-away
  // in-memory database, so whatever the routes need to be registered is there.
  const database = await openDatabase({});
  const config = loadConfig({ LOG_LEVEL: 'silent' });
  let app;
  try {
    ({ app } = await startRuntime(config, { database, logger: false }));
  } catch (err) {
    await database.close();
    throw err;
  }
  try {
    await app.ready();
    // Through JSON, so the result is exactly what GET /openapi.json serves.
    return JSON.parse(JSON.stringify(app.swagger())) as OpenAPIV3_1.Document;
  } finally {
    await app.close(); // also closes the database
  }
}
