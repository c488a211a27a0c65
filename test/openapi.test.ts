import t from 'tap';
import { readFileSync } from 'node:fs';
import { createTestApp, json } from './helpers/app.js';

const committedPath = new URL('../openapi/openapi.json', import.meta.url);
const { app } = await createTestApp(t);

const served = await app.inject({ method: 'GET', url: '/openapi.json' });
const document = json<Record<string, any>>(served);

t.test('the committed openapi/openapi.json matches the code', async (t) => {
  t.equal(served.statusCode, 200);
  let committed: unknown;
  try {
    committed = JSON.parse(readFileSync(committedPath, 'utf8'));
  } catch (err) {
    t.fail(`openapi/openapi.json is missing or not JSON (${(err as Error).message}); run \`npm run openapi\` and commit the result`);
    return;
  }
  t.same(committed, document, 'openapi/openapi.json is out of date: run `npm run openapi` and commit the result');
});

t.test('it is OpenAPI 3.1 with named component schemas', async (t) => {
  t.equal(document.openapi, '3.1.0');
  t.type(document.info?.version, 'string');
  const schemas = document.components?.schemas ?? {};
  for (const name of ['Problem', 'ProblemDetail', 'TokenRequest', 'TokenResponse', 'Org', 'OrgCreate']) {
    t.ok(schemas[name], `components.schemas.${name}`);
  }
  t.notOk(Object.keys(schemas).some((name) => /^def-\d+$/.test(name)), 'no generated def-N names');
  t.ok(Object.keys(document.paths ?? {}).includes('/v1/auth/token'), 'the token endpoint is described');
  t.notOk(Object.keys(document.paths ?? {}).includes('/openapi.json'), 'the document itself is hidden');
});

t.test('every $ref resolves to a component', async (t) => {
  const refs: Array<{ ref: string; at: string }> = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.push({ ref: value, at });
        else walk(value, `${at}/${key}`);
      }
    }
  };
  walk(document, '#');
  t.ok(refs.length > 0, 'the document uses references');
  for (const { ref, at } of refs) {
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    if (!match) {
      t.fail(`${at}: $ref ${ref} is not a local component reference`);
      continue;
    }
    const [, section, name] = match;
    if (!document.components?.[section!]?.[decodeURIComponent(name!)]) t.fail(`${at}: $ref ${ref} does not resolve`);
  }
  t.pass(`${refs.length} references checked`);
});
