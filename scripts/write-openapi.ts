/**
 * `npm run openapi`: writes openapi/openapi.json from the routes and schemas in the code, and the
 * client types generated from it (openapi/schema.d.ts).
 * Run it after changing a route or a schema and commit the result; test/openapi.test.ts and
 * CI fail when the committed file and the code disagree.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../src/openapi-document.js';
import { clientTypes } from './openapi-client-types.js';
import { projectRoot } from '../src/paths.js';

const target = fileURLToPath(new URL('openapi/openapi.json', projectRoot));
const typesTarget = fileURLToPath(new URL('openapi/schema.d.ts', projectRoot));

try {
  const document = await openApiDocument();
  mkdirSync(fileURLToPath(new URL('openapi/', projectRoot)), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(typesTarget, await clientTypes(document));
  const paths = Object.keys(document.paths ?? {}).length;
  process.stdout.write(`wrote ${target} (${paths} paths) and ${typesTarget}\n`);
} catch (err) {
  process.stderr.write(`openapi: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
}
