import t from 'tap';
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import type { OpenAPIV3_1 } from 'openapi-types';
import { requireOperationIds } from '../src/plugins/route-documentation.js';
import { createTestApp, json } from './helpers/app.js';

const committedPath = new URL('../openapi/openapi.json', import.meta.url);
const { app } = await createTestApp(t);

const served = await app.inject({ method: 'GET', url: '/openapi.json' });
const document = json<OpenAPIV3_1.Document>(served);

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
    const components = document.components as Record<string, Record<string, unknown> | undefined> | undefined;
    if (!components?.[section!]?.[decodeURIComponent(name!)]) t.fail(`${at}: $ref ${ref} does not resolve`);
  }
  t.pass(`${refs.length} references checked`);
});

t.test('every operation has a unique camelCase operationId', async (t) => {
  const seen = new Map<string, string>();
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of methods) {
      const operation = (item as OpenAPIV3_1.PathItemObject | undefined)?.[method];
      if (!operation) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const id = operation.operationId;
      t.match(id, /^[a-z][A-Za-z0-9]*$/, `${where} has a camelCase operationId`);
      if (id && seen.has(id)) t.fail(`${where} reuses the operationId ${id} of ${seen.get(id)}`);
      if (id) seen.set(id, where);
    }
  }
  t.ok(seen.size >= 20, `${seen.size} operations checked`);
});

t.test('a documented route without a camelCase operationId, or with a taken one, stops the app at start', async (t) => {
  const build = async (declare: (instance: ReturnType<typeof Fastify>) => void) => {
    const probe = Fastify();
    requireOperationIds(probe);
    await probe.register(async (child) => declare(child as never));
    t.teardown(() => probe.close());
    return probe.ready();
  };
  await t.rejects(build((c) => c.get('/v1/a', async () => 'x')), /GET \/v1\/a has no camelCase operationId/);
  await t.rejects(build((c) => c.get('/v1/a', { schema: { operationId: 'Get_a' } }, async () => 'x')), /no camelCase operationId/);
  await t.rejects(build((c) => {
    c.get('/v1/a', { schema: { operationId: 'getA' } }, async () => 'x');
    c.get('/v1/b', { schema: { operationId: 'getA' } }, async () => 'x');
  }), /operationId getA of GET \/v1\/b is already used by GET \/v1\/a/);
  await t.resolves(build((c) => c.get('/hidden', { schema: { hide: true } }, async () => 'x')), 'hidden routes are not in the document');
  await t.resolves(build((c) => c.get('/v1/a', { schema: { operationId: 'getA' } }, async () => 'x')));
});
