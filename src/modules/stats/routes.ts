/** Contract §6: statistics for the secretariat, and for every organisation about its own reports. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.js';
import { problemResponses } from '../../../schemas/common.js';
import { Statistics } from '../../../schemas/stats.js';
import { callerOf } from '../../plugins/auth.js';
import { feedHorizon } from '../feeds/query.js';
import { statistics, type StatsScope } from './service.js';

const tags = ['analysis'];

export default async function statsRoutes(app: FastifyInstance, opts: { db: Database }) {
  const { db } = opts;
  const answer = async (scope: StatsScope) => {
    await app.feedPositions.flush(); // this node's latest pages count too
    return statistics(db, scope, await feedHorizon(db));
  };

  app.get('/v1/stats', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'getStatistics', summary: 'The exchange in numbers: reports, outcomes, time to action, consumers\' lag (admin)',
      description: 'Counts by status, type, sector, TLP and source; outcomes by action; median and p90 time from report to blocked, ' +
        'taken_down and domain_seized by country and by intermediary; each consumer\'s lag behind the feed head.',
      response: { 200: Type.Ref(Statistics), ...problemResponses(401, 403) },
    },
  }, async () => answer({ all: true }));

  app.get('/v1/stats/me', {
    onRequest: app.authorize('authenticated'),
    schema: {
      tags, operationId: 'getMyStatistics', summary: 'The same about the caller\'s own reports and its own clients\' feeds',
      response: { 200: Type.Ref(Statistics), ...problemResponses(401, 403) },
    },
  }, async (request) => answer({ orgId: callerOf(request).orgId }));
}
