/** Contract §3.4–3.5: push, read, list, change, withdraw and look up indicators; warninglists. */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { rows, type Database, type Executor } from '../../db/client.js';
import { warninglistEntries } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { normalise } from '../../domain/normalise.js';
import { INDICATOR_TYPES, type IndicatorType } from '../../domain/types.js';
import { currentState, effectiveStatus, receivableBy } from '../../domain/visibility.js';
import { parseWarninglistEntry } from '../../domain/warninglists.js';
import { parseTimestamp } from '../../domain/time.js';
import { pgArray } from '../../db/sql.js';
import { ExtendBody, ExtendResult } from '../../../schemas/audit.js';
import { IdParams, Problem, problemResponses, StringEnum } from '../../../schemas/common.js';
import {
  BatchResult, Indicator, IndicatorBatch, IndicatorBatchEnvelope, IndicatorList, IndicatorPatch, LookupResult,
  MAX_BATCH_BYTES, WarninglistEntriesBody, WithdrawBody,
} from '../../../schemas/indicators.js';
import { StixBundleInput } from '../../../schemas/taxii.js';
import { callerOf, type Caller } from '../../plugins/auth.js';
import { badRequest, HttpProblem, notFound } from '../../plugins/problems.js';
import { recordChanges } from '../feeds/change-log.js';
import { withRetry } from '../../db/transaction.js';
import { prepareBatch, storeBatch, summarise } from './ingest.js';
import { stixBatch, summariseStix } from './stix-intake.js';
import { publishAnonymous, submitBatch, written, type Submission } from './submit.js';
import { indicatorJson, withReadExtras } from './view.js';
import { deliveriesFrom, recordAudit, recordDeliveries, recordIndicatorEvents, withDelivered } from '../audit/log.js';

const tags = ['indicators'];

/** Items are validated one by one (each gets its own result), so the route checks only the envelope. */
const envelope = TypeCompiler.Compile(IndicatorBatchEnvelope);
/** The same for a STIX bundle: each object gets its own result. */
const bundleEnvelope = TypeCompiler.Compile(StixBundleInput);

const sendJson = (reply: FastifyReply, status: number, text: string) =>
  reply.code(status).type('application/json; charset=utf-8').send(text);

/**
 * One indicator as the caller may see it, as JSON text; null when it may not. `lock`: for update.
 * `deliver`: the read is a delivery to the caller, recorded in the same statement.
 */
async function readIndicator(db: Executor, caller: Caller, id: string, options: { lock?: boolean; deliver?: boolean } = {}): Promise<string | null> {
  const read = indicatorRead(caller, id, options.lock);
  const [row] = await rows<{ json: string }>(db, options.deliver
    ? sql`with found as (${read}), delivered as (${deliveriesFrom(caller, 'read', sql`select id, version from found`)}) select json from found`
    : read);
  return row?.json ?? null;
}

type Found = { id: string; version: number; json: string };

/**
 * The rows of `read` (id, version, json, in `order`), the first `deliver` of them (all when
 * undefined) recorded as delivered by `path` before the answer leaves. Without a replica it is one
 * statement on the primary (a data-modifying CTE); with one (`readDb` differs), the read there and
 * the record — a write — on the primary.
 */
async function readDelivered(db: Executor, readDb: Executor, caller: Caller, path: string, read: SQL, order: SQL, deliver?: number): Promise<Found[]> {
  if (readDb === db) {
    const limit = deliver === undefined ? sql`` : sql` limit ${deliver}`;
    return rows<Found>(db, sql`
      with found as (${read}), delivered as (${deliveriesFrom(caller, path, sql`select id, version from found order by ${order}${limit}`)})
      select id, version, json from found order by ${order}`);
  }
  const found = await rows<Found>(readDb, read);
  await recordDeliveries(db, caller, path, deliver === undefined ? found : found.slice(0, deliver));
  return found;
}

/** The select of one indicator as `caller` may see it (id, version, json). */
const indicatorRead = (caller: Caller, id: string, lock?: boolean) => sql`
    select i.id, i.version, ${withReadExtras(withDelivered(caller, indicatorJson(caller)), caller)} as json
    from indicators i join orgs o on o.id = i.source_org_id
    where i.id = ${id}::uuid and ${receivableBy(caller, currentState(), { forReading: true })}
    ${lock ? sql`for update of i` : sql``}`;

/** An indicator answer, with its version as the ETag (for If-Match on PATCH). */
function sendIndicator(reply: FastifyReply, json: string) {
  const version = /"version"\s*:\s*(\d+)/.exec(json)?.[1];
  if (version) reply.header('etag', `"${version}"`);
  return sendJson(reply, 200, json);
}

/** The versions an If-Match header accepts (`"3"`, `"3", "4"`, `W/"3"` compared strongly per RFC 9110 is no match); null for none or `*`. */
function parseIfMatch(header: string | undefined): string[] | null {
  if (header === undefined || header.trim() === '*') return null;
  const tags = header.split(',').map((t) => t.trim());
  if (tags.some((t) => !/^(W\/)?"\d{1,10}"$/.test(t))) {
    throw badRequest('If-Match must hold version ETags such as "3".', [{ path: '/headers/if-match', message: 'must be a list of "<version>" tags' }]);
  }
  // Weak tags never match in If-Match (strong comparison).
  return tags.filter((t) => !t.startsWith('W/')).map((t) => t.slice(1, -1));
}

const canAdminister = (caller: Caller) => caller.scopes.has('admin');

/** An indicator as its source sees it (JSON), in the form of a submission: what PATCH and extend resubmit. */
function storedInput(existing: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  for (const field of ['type', 'value', 'platform', 'tlp', 'pap', 'grading', 'confidence', 'audience', 'exclude', 'attribution',
    'valid_from', 'valid_until', 'sector', 'categories', 'description', 'tags', 'first_seen', 'last_seen', 'references', 'evidence', 'relations']) {
    const v = existing[field];
    if (v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)) base[field] = v;
  }
  return base;
}

/**
 * `readDb`: where single reads, lists and lookups are read (a replica, when there is one); `db`
 * takes every write (the deliveries of those reads too) and every read inside a write.
 */
export default async function indicatorRoutes(app: FastifyInstance, opts: { db: Database; readDb?: Database; cursorKey: Buffer }) {
  const { db, cursorKey } = opts;
  const readDb = opts.readDb ?? db;

  app.post('/v1/indicators', {
    onRequest: app.authorize('indicators:write'),
    bodyLimit: MAX_BATCH_BYTES,
    config: { bulkBody: true }, // parsed in pieces, held against the node's byte budget (src/plugins/body.ts)
    schema: {
      tags, operationId: 'submitIndicators', summary: 'Submit up to 10,000 indicators; each item is stored or rejected on its own',
      description: 'With `atomic=true` any rejected item makes the whole batch 422 and nothing is stored. ' +
        'An `Idempotency-Key` header replays the first response for 24 hours. ' +
        'As `application/stix+json`, the body is a STIX 2.1 bundle: every Indicator whose pattern names one observable of a supported ' +
        'type is an item (TLP marking, confidence, valid_from/valid_until, labels as categories and tags); every object gets a result at ' +
        'its index in the bundle (`stix_id`), marking definitions and identities `skipped`, anything else `unsupported`, with the reason.',
      querystring: Type.Object({ atomic: Type.Optional(Type.Boolean({ default: false })) }, { additionalProperties: false }),
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) }),
      body: { content: { 'application/json': { schema: Type.Ref(IndicatorBatch) }, 'application/stix+json': { schema: Type.Ref(StixBundleInput) } } },
      response: {
        200: Type.Ref(BatchResult),
        422: Type.Union([Type.Ref(BatchResult), Type.Ref(Problem)], { description: 'atomic batch with rejected items (nothing stored), or an Idempotency-Key reused with another body' }),
        ...problemResponses(400, 401, 403, 413, 415, 429, 503),
      },
    },
    validatorCompiler: ({ httpPart, contentType }) => {
      if (httpPart !== 'body') return () => true; // query and headers: checked in the handler below
      const check = contentType === 'application/stix+json' ? bundleEnvelope : envelope;
      return (data: unknown) => {
        if (check.Check(data)) return { value: data };
        // Shaped like ajv's errors, so the error handler reports them like every other 400.
        const validation = [...check.Errors(data)].slice(0, 20).map((e) => ({
          instancePath: e.path, keyword: 'typebox', message: e.message, params: {},
        }));
        return { error: Object.assign(new Error('invalid batch'), { validation, validationContext: 'body' }) };
      };
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const stix = request.mediaType === 'application/stix+json';
    if (!stix && request.mediaType !== 'application/json') throw new HttpProblem(415, 'Unsupported content type; send application/json (a batch) or application/stix+json (a STIX 2.1 bundle).');
    const query = request.query as Record<string, unknown>;
    const unknownQuery = Object.keys(query).filter((k) => k !== 'atomic');
    if (unknownQuery.length) throw badRequest('Unknown query parameter.', unknownQuery.map((k) => ({ path: `/query/${k}`, message: 'is not a known parameter' })));
    if (query.atomic !== undefined && !['true', 'false'].includes(String(query.atomic))) {
      throw badRequest('atomic must be true or false.', [{ path: '/query/atomic', message: 'must be boolean' }]);
    }
    const atomic = String(query.atomic) === 'true';
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 200)) {
      throw badRequest('Idempotency-Key must be 1-200 characters.', [{ path: '/headers/idempotency-key', message: 'must be 1-200 characters' }]);
    }
    // The SHA-256 of the raw body (src/plugins/body.ts, only for a keyed request), with the atomic flag.
    const claim = idempotencyKey ? { clientId: caller.clientId, key: idempotencyKey, fingerprint: `${atomic}:${request.bodyFingerprint}` } : null;

    let submission: Submission;
    if (stix) {
      const bundle = stixBatch((request.body as { objects: unknown[] }).objects, Date.now());
      submission = {
        items: bundle.items, atomic, alsoRejected: bundle.blocked, claim, via: 'stix',
        answer: (results, stored) => {
          const perObject = bundle.results(results);
          return { status: stored ? 200 : 422, response: { results: perObject, summary: summariseStix(perObject) } };
        },
      };
    } else {
      const body = request.body as { defaults?: Record<string, unknown>; items: Record<string, unknown>[] };
      submission = {
        items: body.items, defaults: body.defaults, atomic, claim, via: 'batch',
        answer: (results, stored) => ({ status: stored ? 200 : 422, response: { results, summary: summarise(results) } }),
      };
    }
    const { replayed, answer } = await submitBatch(app, db, request, reply, caller, submission);
    if (replayed) reply.header('idempotent-replayed', 'true');
    return reply.code(answer.status as 200).send(answer.response);
  });

  app.get('/v1/indicators/:id', {
    onRequest: app.authorize('indicators:read'),
    schema: { tags, operationId: 'getIndicator', summary: 'One indicator the caller may receive (404 otherwise, never 403)', params: IdParams, response: { 200: Type.Ref(Indicator), ...problemResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const caller = callerOf(request), { id } = request.params as { id: string };
    let json: string | null;
    if (readDb === db) json = await readIndicator(db, caller, id, { deliver: true });
    else {
      // From the replica; one it does not show (yet: just submitted) is looked for on the primary.
      const [found] = await readDelivered(db, readDb, caller, 'read', indicatorRead(caller, id), sql`id`);
      json = found?.json ?? await readIndicator(db, caller, id, { deliver: true });
    }
    if (!json) throw notFound('indicator');
    return sendIndicator(reply, json);
  });

  app.get('/v1/indicators', {
    onRequest: app.authorize('indicators:read'),
    schema: {
      tags, operationId: 'listIndicators', summary: 'List indicators: partners their own (or with received=true what they receive), others what they receive',
      querystring: Type.Object({
        type: Type.Optional(StringEnum(INDICATOR_TYPES)),
        value: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
        platform: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        status: Type.Optional(StringEnum(['active', 'withdrawn', 'expired'])),
        received: Type.Optional(Type.Boolean()),
        expiring_within: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}d$', description: 'active indicators whose valid_until falls within this many days, e.g. 30d (review: extend them with PATCH valid_until or POST /v1/indicators/extend)' })),
        cursor: Type.Optional(Type.String({ maxLength: 2048 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(IndicatorList), ...problemResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as { type?: IndicatorType; value?: string; platform?: string; status?: string; received?: boolean; expiring_within?: string; cursor?: string; limit: number };
    const where: SQL[] = [receivableBy(caller, currentState(), { forReading: true })];
    if (caller.orgKind === 'partner') {
      where.push(q.received ? sql`i.source_org_id <> ${caller.orgId}::uuid` : sql`i.source_org_id = ${caller.orgId}::uuid`);
    }
    if (q.type) where.push(sql`i.type = ${q.type}`);
    if (q.platform !== undefined && (q.value === undefined || !q.type)) {
      throw badRequest('platform needs type and value.', [{ path: '/query/platform', message: 'needs type and value' }]);
    }
    if (q.value !== undefined) {
      if (!q.type) throw badRequest('value needs type.', [{ path: '/query/value', message: 'needs type' }]);
      const normal = normalise(q.type, q.value, q.platform ?? null);
      if (!normal.ok) throw badRequest(normal.reason, [{ path: '/query/value', message: normal.reason }]);
      where.push(sql`i.value = ${normal.value} and i.platform = ${normal.platform ?? ''}`);
    }
    if (q.status) where.push(sql`${effectiveStatus('i')} = ${q.status}`);
    if (q.expiring_within) {
      where.push(sql`i.status = 'active' and i.valid_until > now() and i.valid_until <= now() + make_interval(days => ${Number.parseInt(q.expiring_within, 10)})`);
    }
    if (q.cursor !== undefined) {
      const after = decodeCursor<{ id: string }>('indicators', q.cursor, cursorKey);
      if (!after) throw badRequest('The cursor was not issued by this server.', [{ path: '/query/cursor', message: 'unknown cursor' }]);
      where.push(sql`i.id < ${after.id}::uuid`);
    }
    // One row more than the page tells whether there is a next one; the page itself is recorded as delivered, in the same statement.
    const page = await readDelivered(db, readDb, caller, 'list', sql`
      select i.id, i.version, ${withReadExtras(withDelivered(caller, indicatorJson(caller)), caller)} as json
      from indicators i join orgs o on o.id = i.source_org_id
      where ${sql.join(where, sql` and `)}
      order by i.id desc limit ${q.limit + 1}`, sql`id desc`, q.limit);
    const more = page.length > q.limit;
    const items = more ? page.slice(0, q.limit) : page;
    const next = more ? JSON.stringify(encodeCursor('indicators', { id: items[items.length - 1]!.id }, cursorKey)) : 'null';
    return sendJson(reply, 200, `{"items":[${items.map((r) => r.json).join(',')}],"next_cursor":${next}}`);
  });

  app.patch('/v1/indicators/:id', {
    onRequest: app.authorize('indicators:write'),
    schema: {
      tags, operationId: 'updateIndicator', summary: 'Change handling or descriptive fields (source only) → new version',
      description: 'Atomic: concurrent changes apply one after the other, none is lost. Send `If-Match: "<version>"` ' +
        '(the ETag of the indicator) to change it only if nobody else did since you read it; otherwise 412.',
      params: IdParams, headers: Type.Object({ 'if-match': Type.Optional(Type.String({ maxLength: 200 })) }), body: Type.Ref(IndicatorPatch),
      response: { 200: Type.Ref(Indicator), ...problemResponses(400, 401, 403, 404, 409, 412) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { id } = request.params as { id: string };
    const expected = parseIfMatch(request.headers['if-match']);
    const patch = request.body as Record<string, unknown>;
    const json = await withRetry(db, async (tx) => {
      // Read, merge and write under the row lock: a concurrent PATCH waits and then merges onto this one's result.
      const current = await readIndicator(tx, caller, id, { lock: true });
      if (!current) throw notFound('indicator');
      const existing = JSON.parse(current) as Record<string, unknown> & { source: { org_id: string } | null; status: string; version: number };
      // The source always sees itself named in its own indicator, even when attribution is anonymous.
      if (existing.source?.org_id !== caller.orgId) throw new HttpProblem(403, 'Only the source of an indicator may change it.');
      if (expected && !expected.includes(String(existing.version))) {
        throw new HttpProblem(412, `The indicator is at version ${existing.version}; read it again and reapply your change.`, {
          headers: { etag: `"${existing.version}"` },
        });
      }
      if (existing.status !== 'active') {
        throw new HttpProblem(409, `The indicator is ${existing.status}; submit it again to bring it back.`);
      }
      // The stored fields in input form, overlaid with the patch, go through the same pipeline as a submission.
      const now = Date.now();
      const namedAlready = (existing.audience as { groups?: string[] } | null)?.groups ?? [];
      const batch = await prepareBatch(tx, [{ ...storedInput(existing), ...patch }], undefined, app.warninglists, now, { ...caller, namedAlready });
      const result = batch.results[0];
      if (result?.status === 'rejected') throw badRequest('The change is not valid.', (result.errors ?? []).map((e) => ({ path: `/body${e.path}`, message: e.message })));
      // first_seen/last_seen merge as min/max on resubmission; a patch sets them outright.
      const { pendingAnonymous } = await storeBatch(tx, caller.orgId, batch, now, { replaceSeen: true, links: app.linkDerivation });
      await recordIndicatorEvents(tx, caller, written(batch.results), { via: 'patch', fields: Object.keys(patch) });
      return { json: (await readIndicator(tx, caller, id))!, pendingAnonymous };
    });
    if (json.pendingAnonymous) await publishAnonymous(db, request);
    return sendIndicator(reply, json.json);
  });

  app.post('/v1/indicators/extend', {
    onRequest: app.authorize('indicators:write'),
    schema: {
      tags, operationId: 'extendIndicators',
      summary: 'Extend the validity of up to 10,000 of the caller\'s own active indicators (review of what expires; see expiring_within)',
      description: 'Each indicator gets the new valid_until as a new version, as a PATCH would give it; its recipients see the change in their feeds.',
      body: Type.Ref(ExtendBody), response: { 200: Type.Ref(ExtendResult), ...problemResponses(400, 401, 403) },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const body = request.body as { ids: string[]; valid_until: string };
    const until = parseTimestamp(body.valid_until);
    if (until === null || until <= Date.now()) throw badRequest('valid_until must lie in the future.', [{ path: '/body/valid_until', message: 'must be in the future' }]);
    type Outcome = { id: string; status: 'extended' | 'unchanged' | 'not_found' | 'not_active' | 'rejected'; version?: number; errors?: Array<{ path: string; message: string }> };
    const done = await withRetry(db, async (tx) => {
      const found = await rows<{ id: string; json: string }>(tx, sql`
        select i.id, ${indicatorJson(caller)} as json from indicators i join orgs o on o.id = i.source_org_id
        where i.id = any(${pgArray(body.ids)}::uuid[]) and i.source_org_id = ${caller.orgId}::uuid
        order by i.id for update of i`);
      const outcomes = new Map<string, Outcome>();
      const items: Record<string, unknown>[] = [], itemIds: string[] = [];
      const groups = new Set<string>();
      for (const row of found) {
        const existing = JSON.parse(row.json) as Record<string, unknown> & { status: string; audience: { groups?: string[] } | null };
        if (existing.status !== 'active') { outcomes.set(row.id, { id: row.id, status: 'not_active' }); continue; }
        items.push({ ...storedInput(existing), valid_until: body.valid_until });
        itemIds.push(row.id);
        for (const g of existing.audience?.groups ?? []) groups.add(g);
      }
      if (items.length === 0) return { outcomes, pendingAnonymous: 0 };
      const now = Date.now();
      const batch = await prepareBatch(tx, items, undefined, app.warninglists, now, { ...caller, namedAlready: [...groups] });
      const { pendingAnonymous } = await storeBatch(tx, caller.orgId, batch, now, { replaceSeen: true });
      const extended = itemIds.filter((_, k) => batch.results[k]?.status === 'updated');
      await recordIndicatorEvents(tx, caller, { 'indicator.extended': extended }, { valid_until: new Date(until).toISOString() });
      const versions = new Map((await rows<{ id: string; version: number }>(tx, sql`
        select id, version from indicators where id = any(${pgArray(extended)}::uuid[])`)).map((r) => [r.id, r.version]));
      itemIds.forEach((id, k) => {
        const result = batch.results[k]!;
        outcomes.set(id, result.status === 'rejected' ? { id, status: 'rejected', errors: result.errors ?? [] }
          : result.status === 'updated' ? { id, status: 'extended', version: versions.get(id)! } : { id, status: 'unchanged' });
      });
      return { outcomes, pendingAnonymous };
    });
    if (done.pendingAnonymous) await publishAnonymous(db, request);
    const results = body.ids.map((id) => done.outcomes.get(id) ?? { id, status: 'not_found' as const });
    const summary = { extended: 0, unchanged: 0, not_found: 0, not_active: 0, rejected: 0 };
    for (const r of results) summary[r.status]++;
    return { results, summary };
  });

  app.delete('/v1/indicators/:id', {
    onRequest: app.authorize(['indicators:write', 'admin']),
    preValidation: async (request) => { request.body ??= {}; }, // the body is optional
    schema: { tags, operationId: 'withdrawIndicator', summary: 'Withdraw an indicator (source or admin); former recipients get a tombstone', params: IdParams, body: Type.Ref(WithdrawBody), response: { 200: Type.Ref(Indicator), ...problemResponses(400, 401, 403, 404) } },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { id } = request.params as { id: string };
    const reason = (request.body as { reason?: string } | undefined)?.reason ?? null;
    const outcome = await withRetry(db, async (tx) => {
      const [row] = await rows<{ source_org_id: string; status: string }>(tx, sql`
        select source_org_id, status from indicators i
        where id = ${id}::uuid and ${receivableBy(caller, currentState(), { forReading: true })} for update`);
      if (!row) return 'missing';
      if (row.source_org_id !== caller.orgId && !canAdminister(caller)) return 'forbidden';
      if (row.status === 'withdrawn') return 'done';
      await recordChanges(tx, { which: [id], kind: 'withdrawn', version: 'next' });
      await tx.execute(sql`update indicators set status = 'withdrawn', version = version + 1, withdrawn_reason = ${reason}, updated_at = now() where id = ${id}::uuid`);
      // The reason is the source's own words (it may name the value): purged with the content, never in the audit.
      await recordIndicatorEvents(tx, caller, { 'indicator.withdrawn': [id] }, { by: row.source_org_id === caller.orgId ? 'source' : 'admin' });
      return 'done';
    });
    if (outcome === 'missing') throw notFound('indicator');
    if (outcome === 'forbidden') throw new HttpProblem(403, 'Only the source of an indicator or an admin may withdraw it.');
    return sendIndicator(reply, (await readIndicator(db, caller, id))!);
  });

  app.get('/v1/lookup', {
    onRequest: app.authorize('indicators:read'),
    schema: {
      tags, operationId: 'lookupObservable', summary: 'Everything the caller may receive about one observable, and the warninglists it is on',
      querystring: Type.Object({
        type: StringEnum(INDICATOR_TYPES),
        value: Type.String({ minLength: 1, maxLength: 2048 }),
        platform: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(LookupResult), ...problemResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const q = request.query as { type: IndicatorType; value: string; platform?: string };
    const normal = normalise(q.type, q.value, q.platform ?? null);
    if (!normal.ok) throw badRequest(normal.reason, [{ path: '/query/value', message: normal.reason }]);
    const found = await readDelivered(db, readDb, caller, 'lookup', sql`
      select i.id, i.version, ${withReadExtras(withDelivered(caller, indicatorJson(caller)), caller)} as json
      from indicators i join orgs o on o.id = i.source_org_id
      where i.type = ${normal.type} and i.value = ${normal.value} and i.platform = ${normal.platform ?? ''}
        and ${receivableBy(caller, currentState(), { forReading: true })}
      order by i.id limit 1000`, sql`id`);
    const hits = app.warninglists.match(normal.type, normal.value);
    return sendJson(reply, 200, `{"type":${JSON.stringify(normal.type)},"value":${JSON.stringify(normal.value)},"platform":${JSON.stringify(normal.platform)},` +
      `"indicators":[${found.map((r) => r.json).join(',')}],"warninglists":${JSON.stringify(hits)}}`);
  });

  app.get('/v1/warninglists', {
    onRequest: app.authorize('authenticated'),
    schema: { tags: ['warninglists'], operationId: 'listWarninglists', summary: 'The warninglists values are checked against', response: { 200: Type.Object({ items: Type.Array(Type.Object({ name: Type.String(), action: Type.String(), description: Type.String(), entries: Type.Integer() })) }) } },
  }, async () => ({ items: app.warninglists.lists() }));

  app.post('/v1/warninglists/:name/entries', {
    onRequest: app.authorize('admin'),
    schema: {
      tags: ['warninglists'], operationId: 'addWarninglistEntries', summary: 'Add entries (domains, IPs, CIDRs) to a warninglist (admin); a new name creates a list',
      params: Type.Object({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) }, { additionalProperties: false }),
      body: Type.Ref(WarninglistEntriesBody),
      response: { 201: Type.Object({ list: Type.String(), action: Type.String(), added: Type.Integer() }), ...problemResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { name } = request.params as { name: string };
    const body = request.body as { entries: string[]; action?: 'reject' | 'flag'; description?: string };
    const existing = app.warninglists.lists().find((l) => l.name === name);
    const action = body.action ?? existing?.action ?? 'flag';
    if (existing && existing.action !== action) {
      throw badRequest(`List ${name} is a ${existing.action} list.`, [{ path: '/body/action', message: `must be ${existing.action}` }]);
    }
    const errors = body.entries.flatMap((e, i) => (parseWarninglistEntry(e) ? [] : [{ path: `/body/entries/${i}`, message: 'not a domain, IP address or CIDR' }]));
    if (errors.length) throw badRequest('Some entries are not valid.', errors);
    await db.transaction(async (tx) => {
      await tx.insert(warninglistEntries)
        .values(body.entries.map((entry) => ({ list: name, action, entry, description: body.description ?? null, addedBy: caller.clientId })))
        .onConflictDoNothing();
      await recordAudit(tx, caller, { action: 'warninglist.entries_added', subject: name, detail: { action, entries: body.entries } });
    });
    app.warninglists.add({ name, action, description: body.description ?? existing?.description ?? 'added by administrators' }, body.entries);
    reply.code(201);
    return { list: name, action, added: body.entries.length };
  });

}
