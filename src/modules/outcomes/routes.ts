/** Contract §5: report outcomes on indicators, read them, and a source's gap-free outcomes feed. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.js';
import { withRetry } from '../../db/transaction.js';
import { decodeCursor, encodeCursor, type FeedPosition } from '../../domain/cursor.js';
import { IdParams, problemResponses } from '../../../schemas/common.js';
import { Outcome, OutcomeCreate, OutcomeFeedPage, OutcomeList } from '../../../schemas/outcomes.js';
import { callerOf } from '../../plugins/auth.js';
import { badRequest, HttpProblem, notFound } from '../../plugins/problems.js';
import { FEED_START, feedHorizon, nextPosition } from '../feeds/query.js';
import { listOutcomes, outcomeFeed, recordOutcome, type OutcomeInput } from './service.js';

const tags = ['outcomes'];
const unknownCursor = () => badRequest('The cursor was not issued by this server.', [{ path: '/query/cursor', message: 'unknown cursor' }]);

export default async function outcomeRoutes(app: FastifyInstance, opts: { db: Database; cursorKey: Buffer }) {
  const { db, cursorKey } = opts;

  app.post('/v1/indicators/:id/outcomes', {
    // outcomes:write for the actions; indicators:write lets a source confirm its disputed indicator.
    onRequest: app.authorize(['outcomes:write', 'indicators:write']),
    schema: {
      tags, operationId: 'reportOutcome', summary: 'Report what was done about an indicator the caller may receive',
      description: 'Needs outcomes:write, and for intermediaries one of blocked, taken_down, not_actionable, no_longer_active. ' +
        '`false_positive` marks the indicator `disputed: true` in every read and feed, and takes its value out of blocklists and ' +
        'resolver zones until its source answers `confirmed` (source only, with indicators:write) or withdraws it.',
      params: IdParams, body: Type.Ref(OutcomeCreate),
      response: { 201: Type.Ref(Outcome), ...problemResponses(400, 401, 403, 404, 409) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { id } = request.params as { id: string };
    const outcome = await withRetry(db, async (tx) => {
      const recorded = await recordOutcome(tx, caller, id, request.body as OutcomeInput);
      // Past the request's deadline the client has been answered 503 already: roll back rather than commit behind its back.
      if (reply.sent) throw new HttpProblem(503, 'The request could not be completed in time; nothing was stored.');
      return recorded;
    });
    return reply.code(201).send(outcome);
  });

  app.get('/v1/indicators/:id/outcomes', {
    onRequest: app.authorize(['outcomes:read', 'outcomes:write']),
    schema: {
      tags, operationId: 'listOutcomes', summary: 'The outcomes on an indicator that the caller may see, oldest first',
      description: 'Its source, the secretariat and the reporting organisation see an outcome; other agencies that may receive the ' +
        'indicator see it when it was reported with share_with_agencies.',
      params: IdParams,
      querystring: Type.Object({
        cursor: Type.Optional(Type.String({ maxLength: 2048 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(OutcomeList), ...problemResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const q = request.query as { cursor?: string; limit: number };
    let after: string | undefined;
    if (q.cursor !== undefined) {
      const decoded = decodeCursor<{ id: string; of: string }>('outcomes', q.cursor, cursorKey);
      if (!decoded || decoded.of !== id) throw unknownCursor();
      after = decoded.id;
    }
    const found = await listOutcomes(db, callerOf(request), id, { ...(after ? { after } : {}), limit: q.limit + 1 });
    if (!found) throw notFound('indicator');
    const items = found.slice(0, q.limit);
    const more = found.length > q.limit;
    return { items, next_cursor: more ? encodeCursor('outcomes', { id: items[items.length - 1]!.id, of: id }, cursorKey) : null };
  });

  app.get('/v1/outcomes', {
    onRequest: app.authorize('outcomes:read'),
    schema: {
      tags, operationId: 'getOutcomeFeed', summary: 'The caller\'s feed of outcomes on its own indicators, gap-free',
      description: 'Keep next_cursor and ask again to get only the outcomes reported since: every one arrives, in commit order, ' +
        'also while many are reported concurrently (the same guarantee as /v1/feed).',
      querystring: Type.Object({
        cursor: Type.Optional(Type.String({ maxLength: 2048, description: 'next_cursor of the previous page; omit to start from the beginning' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(OutcomeFeedPage), ...problemResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    const q = request.query as { cursor?: string; limit: number };
    let after: FeedPosition = FEED_START;
    if (q.cursor !== undefined) {
      const decoded = decodeCursor<{ x: string; p: number }>('outcome-feed', q.cursor, cursorKey);
      if (!decoded || !/^\d+$/.test(decoded.x) || !Number.isSafeInteger(decoded.p)) throw unknownCursor();
      after = { xid: decoded.x, pos: decoded.p };
    }
    const horizon = await feedHorizon(db);
    const page = await outcomeFeed(db, callerOf(request), { after, horizon, limit: q.limit });
    const full = page.length === q.limit;
    const next = nextPosition(after, page, full, horizon);
    const cursor = encodeCursor('outcome-feed', { x: next.xid, p: next.pos }, cursorKey);
    return reply.type('application/json; charset=utf-8')
      .send(`{"items":[${page.map((r) => r.json).join(',')}],"next_cursor":${JSON.stringify(cursor)},"has_more":${full}}`);
  });
}
