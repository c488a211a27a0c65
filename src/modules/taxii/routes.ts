/**
 * TAXII 2.1 (contract §4; OASIS TAXII 2.1): discovery at /taxii2/, one API root at /taxii2/api/,
 * its collections (collections.ts), objects / manifest / object / versions read page by page
 * (pages.ts), objects added to the writable collection through the batch pipeline, and a status
 * resource per addition.
 *
 * - Media type application/taxii+json;version=2.1: a request whose Accept admits no TAXII 2.1
 *   answer is a 406, an addition in another media type a 415 (both after authentication).
 * - Every error is a TAXII error message (`taxiiErrors`: the service's problems under /taxii2/,
 *   404s and 429s included, are rendered so).
 * - Bearer tokens, or HTTP Basic with a client's id and secret (src/plugins/auth.ts), as TIP
 *   connectors are configured with a user name and password.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { uuidv7 } from 'uuidv7';
import { rows, type Database, type Executor } from '../../db/client.js';
import { decodeCursor, encodeCursor, type FeedPosition } from '../../domain/cursor.js';
import { callerOf, type Access } from '../../plugins/auth.js';
import { HttpProblem, type ProblemBody } from '../../plugins/problems.js';
import { MAX_BATCH_BYTES } from '../../../schemas/indicators.js';
import {
  STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, TaxiiApiRoot, TaxiiCollection, TaxiiCollections, TaxiiDiscovery, TaxiiEnvelope,
  TaxiiEnvelopeInput, TaxiiManifest, TaxiiStatus, TaxiiVersions, taxiiErrorResponses, taxiiResponse,
} from '../../../schemas/taxii.js';
import { stixBatch, type StixBatch, type StixItemResult } from '../indicators/stix-intake.js';
import { submitBatch } from '../indicators/submit.js';
import { recordDeliveries } from '../audit/log.js';
import { collectionResource, collectionsOf, type Collection } from './collections.js';
import { objectsCost, pageObjects, readPage, type Page, type PageFilters } from './pages.js';


export const TAXII_ROOT = '/taxii2/';
export const API_ROOT = '/taxii2/api/';
const tags = ['taxii'];
const MAX_LIMIT = 10_000;
const DEFAULT_LIMIT = 1000;

// ---------------------------------------------------------------------------------------------
// Media types and errors

interface MediaRange { type: string; subtype: string; version?: string; q: number }

function mediaRanges(header: string): MediaRange[] {
  return header.split(',').flatMap((part) => {
    const [range, ...parameters] = part.split(';').map((p) => p.trim());
    const [type, subtype] = (range ?? '').toLowerCase().split('/');
    if (!type || !subtype) return [];
    const parameter = (name: string) => parameters.find((p) => p.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1).replace(/^"(.*)"$/, '$1');
    const q = Number(parameter('q') ?? 1);
    return [{ type, subtype, ...(parameter('version') !== undefined ? { version: parameter('version')! } : {}), q: Number.isNaN(q) ? 0 : q }];
  });
}

/** Whether a media range admits TAXII 2.1 (`application/taxii+json`, unversioned or 2.1, or a wildcard). */
const admitsTaxii = (r: MediaRange) => r.q > 0 && (r.version === undefined || r.version === '2.1')
  && ((r.type === 'application' && (r.subtype === 'taxii+json' || r.subtype === '*')) || (r.type === '*' && r.subtype === '*'));

/** 406 unless Accept admits TAXII 2.1; on additions, 415 unless the body is TAXII 2.1. Runs after authentication. */
const negotiate: onRequestHookHandler = async (request) => {
  const accept = request.headers.accept;
  if (!accept || !mediaRanges(accept).some(admitsTaxii)) {
    throw new HttpProblem(406, `Ask for ${TAXII_MEDIA_TYPE} in the Accept header.`);
  }
  if (request.method === 'POST') {
    const [body] = mediaRanges(request.headers['content-type'] ?? '');
    if (!body || body.type !== 'application' || body.subtype !== 'taxii+json' || (body.version !== undefined && body.version !== '2.1')) {
      throw new HttpProblem(415, `Send the objects as ${TAXII_MEDIA_TYPE}.`);
    }
  }
};

/** A problem document as a TAXII error message (the problem's slug as error_code, its details as details). */
export function taxiiError(problem: ProblemBody) {
  return {
    title: problem.title,
    description: problem.detail,
    error_code: problem.type.replace(/^urn:isop:problem:/, ''),
    http_status: String(problem.status),
    ...(problem.errors?.length ? { details: { errors: problem.errors } } : {}),
  };
}

/** Errors under /taxii2/ leave as TAXII error messages, whoever answers them (routes, auth, limits, the router). */
export const taxiiErrors = fp(async function taxiiErrors(app: FastifyInstance) {
  app.problemFormats.push({
    matches: (url) => url === '/taxii2' || url.startsWith('/taxii2/') || url.startsWith('/taxii2?'),
    contentType: TAXII_MEDIA_TYPE,
    render: taxiiError,
  });
}, { name: 'taxii-errors' });

function send(reply: FastifyReply, status: number, body: unknown) {
  // A Buffer: fastify then sends the media type exactly as TAXII spells it (no charset, no quotes).
  return reply.code(status).header('content-type', TAXII_MEDIA_TYPE).send(Buffer.from(JSON.stringify(body)));
}

// ---------------------------------------------------------------------------------------------
// Queries

const list = (value: string | undefined) => value?.split(',').map((v) => v.trim()).filter(Boolean);
const TIMESTAMP = Type.String({ format: 'date-time', maxLength: 40 });

const paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, description: `at most ${MAX_LIMIT.toLocaleString('en')} (a larger limit is taken as that); default ${DEFAULT_LIMIT}` })),
  next: Type.Optional(Type.String({ maxLength: 2048, description: 'the `next` of the previous page, with the same filters' })),
  added_after: Type.Optional({ ...TIMESTAMP, description: 'only what was added after this time (X-TAXII-Date-Added-Last of the previous poll)' }),
};
const matchVersions = {
  'match[version]': Type.Optional(Type.String({ maxLength: 2000, description: 'last (default), first, all, or versions (timestamps), comma-separated' })),
  'match[spec_version]': Type.Optional(Type.String({ maxLength: 100, description: '2.1' })),
};
const matchObjects = {
  'match[id]': Type.Optional(Type.String({ maxLength: 20_000, description: 'STIX ids, comma-separated' })),
  'match[type]': Type.Optional(Type.String({ maxLength: 500, description: 'STIX types, comma-separated (indicator; marking-definition and identity come with them)' })),
};
type Query = { limit?: number; next?: string; added_after?: string; 'match[version]'?: string; 'match[spec_version]'?: string; 'match[id]'?: string; 'match[type]'?: string };

const CollectionParams = Type.Object({ collectionId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
const ObjectParams = Type.Object({
  collectionId: Type.String({ format: 'uuid' }),
  objectId: Type.String({ pattern: '^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F-]{36}$', maxLength: 300 }),
}, { additionalProperties: false });

function filtersOf(q: Query, objectId?: string): PageFilters {
  return {
    ...(q.added_after ? { added_after: q.added_after } : {}),
    ...(objectId ? { ids: [objectId] } : q['match[id]'] ? { ids: list(q['match[id]'])! } : {}),
    ...(q['match[type]'] ? { types: list(q['match[type]'])! } : {}),
    ...(q['match[version]'] ? { versions: list(q['match[version]'])! } : {}),
    ...(q['match[spec_version]'] ? { spec_versions: list(q['match[spec_version]'])! } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Status resources

function statusResource(id: string, requestTimestamp: string, batch: StixBatch, results: StixItemResult[]) {
  const detail = (r: StixItemResult) => {
    const verdict = batch.verdicts[r.index]!;
    const message = r.status === 'rejected' || r.status === 'unsupported'
      ? (r.errors ?? []).map((e) => (e.path === '/' ? e.message : `${e.path}: ${e.message}`)).join('; ')
      : r.status === 'skipped' ? r.warnings![0]! : `${r.status} indicator ${r.id}${r.warnings?.length ? ` (${r.warnings.join('; ')})` : ''}`;
    return { id: r.stix_id ?? `objects/${r.index}`, version: verdict.version ?? requestTimestamp, message };
  };
  const failed = (r: StixItemResult) => r.status === 'rejected' || r.status === 'unsupported';
  const successes = results.filter((r) => !failed(r)).map(detail);
  const failures = results.filter(failed).map(detail);
  return {
    id, status: 'complete' as const, request_timestamp: requestTimestamp, total_count: results.length,
    success_count: successes.length, ...(successes.length ? { successes } : {}),
    failure_count: failures.length, ...(failures.length ? { failures } : {}),
    pending_count: 0,
  };
}

async function saveStatus(tx: Executor, id: string, orgId: string, resource: unknown) {
  await tx.execute(sql`insert into taxii_statuses (id, org_id, resource) values (${id}::uuid, ${orgId}::uuid, ${JSON.stringify(resource)}::jsonb)`);
}

// ---------------------------------------------------------------------------------------------
// Routes

export default async function taxiiRoutes(app: FastifyInstance, opts: { db: Database; cursorKey: Buffer }) {
  const { db, cursorKey } = opts;
  const access = (needed: Access) => [app.authorize(needed, { orBasic: true }), negotiate];

  /**
   * `next` is bound to the endpoint, the collection, the object and the match[…] filters it was
   * issued for. Not to added_after: `next` says where to go on, so added_after matters only for the
   * first page (clients send it again with `next`, or not — the OpenCTI connector drops it).
   */
  const bound = (what: string, collection: Collection, { added_after: _, ...filters }: PageFilters) =>
    createHash('sha256').update(JSON.stringify([what, collection.id, filters])).digest('base64url').slice(0, 16);
  const nextToken = (position: FeedPosition, binding: string) => encodeCursor('taxii', { x: position.xid, p: position.pos, f: binding }, cursorKey);
  function afterOf(next: string | undefined, binding: string): FeedPosition | null {
    if (next === undefined) return null;
    const decoded = decodeCursor<{ x: string; p: number; f: string }>('taxii', next, cursorKey);
    if (!decoded || !/^\d+$/.test(decoded.x) || !Number.isSafeInteger(decoded.p)) {
      throw new HttpProblem(400, 'next was not issued by this server.', { slug: 'validation-error', errors: [{ path: '/query/next', message: 'unknown next' }] });
    }
    if (decoded.f !== binding) {
      throw new HttpProblem(400, 'next was issued for another collection, object or filters: repeat the filters of the first request.', { slug: 'validation-error', errors: [{ path: '/query/next', message: 'issued for other filters' }] });
    }
    return { xid: decoded.x, pos: decoded.p };
  }

  async function collectionFor(request: FastifyRequest, use: 'read' | 'write' | 'see'): Promise<Collection> {
    const { collectionId } = request.params as { collectionId: string };
    const collection = (await collectionsOf(db, callerOf(request))).find((c) => c.id === collectionId.toLowerCase());
    if (!collection) throw new HttpProblem(404, 'No such collection, or it is not yours to see.');
    if (use === 'read' && !collection.filters) throw new HttpProblem(403, 'This collection can be written to, not read.');
    if (use === 'write' && !collection.writable) throw new HttpProblem(403, 'This collection can be read, not written to.');
    return collection;
  }

  /** One page of a readable collection for `what` endpoint, with the TAXII date headers. */
  async function page(request: FastifyRequest, reply: FastifyReply, what: string, filters: PageFilters, cost?: 'objects'): Promise<{ page: Page; next?: string }> {
    const collection = await collectionFor(request, 'read');
    const q = request.query as Query;
    const binding = bound(what, collection, filters);
    const read = await readPage(db, callerOf(request), collection, filters, {
      after: afterOf(q.next, binding), limit: Math.min(q.limit ?? DEFAULT_LIMIT, MAX_LIMIT),
      ...(cost ? { cost: objectsCost(filters.types) } : {}),
    });
    if (read.entries.length) {
      reply.header('x-taxii-date-added-first', read.entries[0]!.dateAdded).header('x-taxii-date-added-last', read.entries.at(-1)!.dateAdded);
    }
    return { page: read, ...(read.next ? { next: nextToken(read.next, binding) } : {}) };
  }

  const paged = (read: { page: Page; next?: string }) => ({ more: read.page.more, ...(read.next ? { next: read.next } : {}) });

  app.get(TAXII_ROOT, {
    onRequest: access('authenticated'),
    schema: { tags, operationId: 'getTaxiiDiscovery', summary: 'TAXII 2.1 server discovery', response: { 200: taxiiResponse(TaxiiDiscovery, 'the API roots'), ...taxiiErrorResponses(401, 406) } },
  }, async (_request, reply) => send(reply, 200, {
    title: 'I-SOP Exchange TAXII 2.1',
    description: 'Anti-piracy indicators, each organisation receiving what it may (the same sharing rule as /v1/feed).',
    default: API_ROOT,
    api_roots: [API_ROOT],
  }));

  app.get(API_ROOT, {
    onRequest: access('authenticated'),
    schema: { tags, operationId: 'getTaxiiApiRoot', summary: 'The TAXII API root', response: { 200: taxiiResponse(TaxiiApiRoot, 'the API root'), ...taxiiErrorResponses(401, 406) } },
  }, async (_request, reply) => send(reply, 200, {
    title: 'I-SOP Exchange',
    description: 'Collections: everything you may receive, your organisation\'s saved feeds, and (partners) a collection to add STIX bundles to.',
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: MAX_BATCH_BYTES,
  }));

  app.get(`${API_ROOT}status/:statusId/`, {
    onRequest: access('indicators:write'),
    schema: {
      tags, operationId: 'getTaxiiStatus', summary: 'The status of an addition of objects (kept 7 days for the organisation that added them)',
      params: Type.Object({ statusId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      response: { 200: taxiiResponse(TaxiiStatus, 'the status resource'), ...taxiiErrorResponses(400, 401, 403, 404, 406) },
    },
  }, async (request, reply) => {
    const { statusId } = request.params as { statusId: string };
    const [found] = await rows<{ resource: unknown }>(db, sql`
      select resource from taxii_statuses where id = ${statusId}::uuid and org_id = ${callerOf(request).orgId}::uuid`);
    if (!found) throw new HttpProblem(404, 'No such status, or it is not yours to see.');
    return send(reply, 200, found.resource);
  });

  app.get(`${API_ROOT}collections/`, {
    onRequest: access('authenticated'),
    schema: { tags, operationId: 'listTaxiiCollections', summary: 'The collections the caller may read or write', response: { 200: taxiiResponse(TaxiiCollections, 'the collections'), ...taxiiErrorResponses(401, 406) } },
  }, async (request, reply) => {
    const collections = (await collectionsOf(db, callerOf(request))).map(collectionResource);
    return send(reply, 200, collections.length ? { collections } : {});
  });

  app.get(`${API_ROOT}collections/:collectionId/`, {
    onRequest: access('authenticated'),
    schema: { tags, operationId: 'getTaxiiCollection', summary: 'One collection', params: CollectionParams, response: { 200: taxiiResponse(TaxiiCollection, 'the collection'), ...taxiiErrorResponses(400, 401, 404, 406) } },
  }, async (request, reply) => send(reply, 200, collectionResource(await collectionFor(request, 'see'))));

  app.get(`${API_ROOT}collections/:collectionId/manifest/`, {
    onRequest: access('feed:read'),
    schema: {
      tags, operationId: 'getTaxiiManifest', summary: 'What a collection holds: id, date_added and version of each indicator, in the order added',
      params: CollectionParams, querystring: Type.Object({ ...paging, ...matchObjects, ...matchVersions }, { additionalProperties: false }),
      response: { 200: taxiiResponse(TaxiiManifest, 'one page of the manifest (X-TAXII-Date-Added-First/-Last)'), ...taxiiErrorResponses(400, 401, 403, 404, 406) },
    },
  }, async (request, reply) => {
    const read = await page(request, reply, 'manifest', filtersOf(request.query as Query));
    const objects = read.page.entries.map((e) => ({ id: e.indicator.id, date_added: e.dateAdded, version: String(e.indicator.modified), media_type: STIX_MEDIA_TYPE }));
    return send(reply, 200, { ...paged(read), ...(objects.length ? { objects } : {}) });
  });

  app.get(`${API_ROOT}collections/:collectionId/objects/`, {
    onRequest: access('feed:read'),
    schema: {
      tags, operationId: 'getTaxiiObjects', summary: 'A collection\'s objects, in the order added: indicators with the markings and identities they reference',
      description: 'Page with `limit` and `next` (stateless; no object is skipped or repeated, however many share one date_added), then poll with ' +
        '`added_after` set to the X-TAXII-Date-Added-Last of the last page. A page never parts an indicator from the marking and identity it references.',
      params: CollectionParams, querystring: Type.Object({ ...paging, ...matchObjects, ...matchVersions }, { additionalProperties: false }),
      response: { 200: taxiiResponse(TaxiiEnvelope, 'one page (X-TAXII-Date-Added-First/-Last)'), ...taxiiErrorResponses(400, 401, 403, 404, 406) },
    },
  }, async (request, reply) => {
    const filters = filtersOf(request.query as Query);
    const read = await page(request, reply, 'objects', filters, 'objects');
    await recordDeliveries(db, callerOf(request), 'taxii:objects', read.page.entries.map((e) => ({ id: e.entry.id, version: e.entry.version })));
    const objects = pageObjects(read.page, filters.types);
    return send(reply, 200, { ...paged(read), ...(objects.length ? { objects } : {}) });
  });

  app.post(`${API_ROOT}collections/:collectionId/objects/`, {
    onRequest: access('indicators:write'),
    bodyLimit: MAX_BATCH_BYTES,
    config: { bulkBody: true }, // the same byte budget as POST /v1/indicators (src/plugins/body.ts)
    schema: {
      tags, operationId: 'addTaxiiObjects', summary: 'Add STIX objects to the writable collection: indicators are stored as your organisation\'s',
      description: 'The same pipeline as POST /v1/indicators with a STIX bundle. The status resource reports every object: stored ' +
        'indicators, and marking definitions and identities (context) as successes; rejected indicators and unsupported objects as failures, with the reason.',
      params: CollectionParams,
      body: { content: { 'application/taxii+json': { schema: Type.Ref(TaxiiEnvelopeInput) } } },
      response: { 202: taxiiResponse(TaxiiStatus, 'the status of the addition (complete)'), ...taxiiErrorResponses(400, 401, 403, 404, 406, 413, 415, 429, 503) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    await collectionFor(request, 'write');
    const batch = stixBatch((request.body as { objects: unknown[] }).objects, Date.now());
    const statusId = uuidv7();
    const requestTimestamp = new Date().toISOString();
    const { answer } = await submitBatch(app, db, request, reply, caller, {
      items: batch.items, atomic: false, claim: null, via: 'taxii',
      answer: (results) => ({ status: 202, response: statusResource(statusId, requestTimestamp, batch, batch.results(results)) }),
      alongside: (tx, stored) => saveStatus(tx, statusId, caller.orgId, stored.response),
    });
    return send(reply, 202, answer.response);
  });

  app.get(`${API_ROOT}collections/:collectionId/objects/:objectId/`, {
    onRequest: access('feed:read'),
    schema: {
      tags, operationId: 'getTaxiiObject', summary: 'One object of a collection (an indicator, with its marking and identity)',
      params: ObjectParams, querystring: Type.Object({ ...paging, ...matchVersions }, { additionalProperties: false }),
      response: { 200: taxiiResponse(TaxiiEnvelope, 'the object'), ...taxiiErrorResponses(400, 401, 403, 404, 406) },
    },
  }, async (request, reply) => {
    const { objectId } = request.params as { objectId: string };
    const q = request.query as Query;
    const read = await page(request, reply, 'object', filtersOf(q, objectId), 'objects');
    if (!read.page.entries.length && !q.added_after && !q['match[version]'] && !q['match[spec_version]'] && !q.next) {
      throw new HttpProblem(404, 'No such object in this collection, or it is not yours to see.');
    }
    await recordDeliveries(db, callerOf(request), 'taxii:object', read.page.entries.map((e) => ({ id: e.entry.id, version: e.entry.version })));
    const objects = pageObjects(read.page, undefined);
    return send(reply, 200, { ...paged(read), ...(objects.length ? { objects } : {}) });
  });

  app.get(`${API_ROOT}collections/:collectionId/objects/:objectId/versions/`, {
    onRequest: access('feed:read'),
    schema: {
      tags, operationId: 'getTaxiiObjectVersions', summary: 'The versions of an object a collection holds (the current one)',
      params: ObjectParams, querystring: Type.Object({ ...paging, 'match[spec_version]': matchVersions['match[spec_version]'] }, { additionalProperties: false }),
      response: { 200: taxiiResponse(TaxiiVersions, 'the versions'), ...taxiiErrorResponses(400, 401, 403, 404, 406) },
    },
  }, async (request, reply) => {
    const { objectId } = request.params as { objectId: string };
    const q = request.query as Query;
    const read = await page(request, reply, 'versions', filtersOf(q, objectId));
    if (!read.page.entries.length && !q.added_after && !q['match[spec_version]'] && !q.next) {
      throw new HttpProblem(404, 'No such object in this collection, or it is not yours to see.');
    }
    const versions = read.page.entries.map((e) => String(e.indicator.modified));
    return send(reply, 200, { ...paged(read), ...(versions.length ? { versions } : {}) });
  });
}
