/**
 * The OpenAPI document as an integrator uses it: client types generated from the committed
 * openapi/openapi.json (openapi-typescript), a client driven through them (openapi-fetch), and
 * the README's walk-through run with that client against the app. Each answer is also checked
 * against the response the document declares for its operation, status and media type — so the
 * document is proven to describe what the service really answers, not just to type-check.
 */
import t from 'tap';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import createClient, { type Middleware } from 'openapi-fetch';
import type { OpenAPIV3_1 } from 'openapi-types';
import type { components, paths } from '../openapi/schema.js';
import { clientTypes } from '../scripts/openapi-client-types.js';
import { BOOTSTRAP_ID, BOOTSTRAP_SECRET, createTestApp } from './helpers/app.js';

const document = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8')) as OpenAPIV3_1.Document;
const { app } = await createTestApp(t);

t.test('the committed client types are the ones generated from the committed document', async (t) => {
  const committed = readFileSync(new URL('../openapi/schema.d.ts', import.meta.url), 'utf8');
  t.equal(committed, await clientTypes(document), 'openapi/schema.d.ts is stale: run `npm run openapi` and commit it');
});

/** fetch() answered by app.inject: the client speaks HTTP to the app without a port. */
const injectFetch = async (input: Request): Promise<Response> => {
  const url = new URL(input.url);
  const body = input.body ? Buffer.from(await input.arrayBuffer()) : undefined;
  const res = await app.inject({
    method: input.method as 'GET', url: url.pathname + url.search,
    headers: Object.fromEntries(input.headers.entries()), ...(body ? { payload: body } : {}),
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : String(value));
  }
  return new Response(res.statusCode === 204 || res.statusCode === 304 ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers });
};

// Every answer against the document: the operation of its method and path, the status, the media type.
const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
(ajvFormats as unknown as typeof ajvFormats.default)(ajv);
ajv.addSchema({ $id: 'openapi.json', components: document.components } as object);
const operations = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
  Object.entries(item ?? {}).map(([method, operation]) => ({
    method: method.toUpperCase(),
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    operation: operation as OpenAPIV3_1.OperationObject,
  })));
const checked: string[] = [];
const mismatches: string[] = [];
const conformance: Middleware = {
  async onResponse({ request, response }) {
    const path = new URL(request.url).pathname;
    const match = operations.find((o) => o.method === request.method && o.pattern.test(path));
    const where = `${request.method} ${path} → ${response.status}`;
    if (!match) { mismatches.push(`${where}: no operation in the document`); return; }
    const declared = match.operation.responses?.[String(response.status)] as OpenAPIV3_1.ResponseObject | undefined;
    if (!declared) { mismatches.push(`${where}: status not declared`); return; }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const content = declared.content ?? {};
    const media = content[mediaType] ?? Object.entries(content).find(([type]) => type.split(';')[0] === mediaType)?.[1];
    if (!media) {
      if (Object.keys(content).length) mismatches.push(`${where}: ${mediaType || 'no media type'} not among ${Object.keys(content).join(', ')}`);
      return;
    }
    checked.push(`${where} ${mediaType}`);
    if (!/^application\/(.+\+)?json$/.test(mediaType) || !media.schema) return;
    const validate = validatorFor(media.schema);
    const body: unknown = await response.clone().json();
    if (!validate(body)) mismatches.push(`${where}: ${ajv.errorsText(validate.errors)}`);
  },
};
/** A validator of a response schema, its local references pointed at the document registered above. */
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorFor(schema: object) {
  const text = JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/');
  if (!validators.has(text)) validators.set(text, ajv.compile(JSON.parse(text) as object));
  return validators.get(text)!;
}

const api = createClient<paths>({ baseUrl: 'http://isop.test', fetch: injectFetch });
api.use(conformance);

const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** `token()` of the walk-through: HTTP Basic and a form body. */
async function token(clientId: string, secret: string): Promise<string> {
  const { data, response } = await api.POST('/v1/auth/token', {
    body: { grant_type: 'client_credentials' },
    bodySerializer: form,
    headers: { authorization: basic(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (!data) throw new Error(`token request failed: ${response.status}`);
  return data.access_token;
}

t.test('the README walk-through through the generated client', async (t) => {
  const admin = { authorization: `Bearer ${await token(BOOTSTRAP_ID, BOOTSTRAP_SECRET)}` };

  const partnerOrg = await api.POST('/v1/orgs', { headers: admin, body: { name: 'Premier Sports Rights', kind: 'partner', country: 'GB', sectors: ['live_sports'] } });
  const agencyOrg = await api.POST('/v1/orgs', { headers: admin, body: { name: 'Guardia di Finanza', kind: 'agency', country: 'IT' } });
  t.equal(partnerOrg.response.status, 201);
  t.equal(agencyOrg.data?.kind, 'agency');
  const partnerClient = await api.POST('/v1/orgs/{id}/clients', { headers: admin, params: { path: { id: partnerOrg.data!.id } }, body: { name: 'ingest-bot' } });
  const agencyClient = await api.POST('/v1/orgs/{id}/clients', { headers: admin, params: { path: { id: agencyOrg.data!.id } }, body: { name: 'feed-reader' } });
  t.same(agencyClient.data?.scopes, ['feed:read', 'indicators:read', 'outcomes:write'], 'an agency client gets the contract\'s default scopes');
  const partner = { authorization: `Bearer ${await token(partnerClient.data!.client_id, partnerClient.data!.client_secret)}` };
  const agency = { authorization: `Bearer ${await token(agencyClient.data!.client_id, agencyClient.data!.client_secret)}` };

  const batch = await api.POST('/v1/indicators', {
    headers: { ...partner, 'idempotency-key': '2026-11-28-run-1' },
    body: {
      defaults: { tlp: 'AMBER', pap: 'GREEN', sector: 'live_sports', categories: ['iptv_service'] },
      items: [
        { type: 'domain', value: 'SuperStreamz.TV' },
        { type: 'ipv4', value: '185.234.72.19', confidence: 80 },
        { type: 'crypto_address', platform: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
        { type: 'domain', value: 'localhost' },
      ],
    },
  });
  t.equal(batch.response.status, 200);
  t.same(batch.data?.summary, { created: 3, updated: 0, unchanged: 0, rejected: 1 });
  t.equal(batch.data?.results[0]?.value, 'superstreamz.tv', 'normalised');
  t.match(batch.data?.results[3]?.errors?.[0]?.message, /public suffix/);

  const feed = await api.GET('/v1/feed', { headers: agency, params: { query: { limit: 1000 } } });
  // The feed answers in four media types (the document says so); JSON is the default.
  t.equal(feed.response.headers.get('content-type')?.split(';')[0], 'application/json');
  const page = feed.data as components['schemas']['FeedPage'];
  t.same(page.items.map((i) => i.value).sort(), ['185.234.72.19', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', 'superstreamz.tv']);
  t.equal(page.has_more, false);
  const cursor = page.next_cursor;
  if (typeof cursor !== 'string') throw new Error('a feed page always carries its next cursor');

  // Ask again with the cursor: only what changed since.
  await api.POST('/v1/indicators', { headers: partner, body: { items: [{ type: 'domain', value: 'superstreamz-mirror.tv', tlp: 'GREEN' }] } });
  const ndjson = await api.GET('/v1/feed', { headers: agency, params: { query: { format: 'ndjson', cursor } }, parseAs: 'text' });
  t.equal(ndjson.response.status, 200);
  const lines = String(ndjson.data).trim().split('\n').map((line) => JSON.parse(line) as { value: string });
  t.same(lines.map((l) => l.value), ['superstreamz-mirror.tv'], 'only the change since the cursor');
  t.ok(ndjson.response.headers.get('x-next-cursor'), 'the next cursor travels in a header');

  const stix = await api.GET('/v1/feed', { headers: agency, params: { query: { format: 'stix' } }, parseAs: 'json' });
  t.equal((stix.data as { type?: string } | undefined)?.type, 'bundle');

  const rpz = await api.GET('/v1/blocklist', { headers: agency, params: { query: { type: 'domain', format: 'rpz' } }, parseAs: 'text' });
  t.match(rpz.data, /^superstreamz\.tv\s/m);

  const lookup = await api.GET('/v1/lookup', { headers: agency, params: { query: { type: 'domain', value: 'superstreamz.tv' } } });
  t.equal(lookup.data?.indicators.length, 1);
  t.equal(lookup.data?.indicators[0]?.source?.name, 'Premier Sports Rights');

  const refused = await api.GET('/v1/feed', { headers: partner });
  t.equal(refused.response.status, 403, 'a partner holds no feed:read');
  t.equal(refused.error?.status, 403, 'problem documents are typed too');

  t.same(mismatches, [], 'every answer is the one the document declares');
  t.ok(checked.length >= 14, `${checked.length} answers checked against the document`);
});
