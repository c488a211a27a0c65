/** Contract §6: the graph around an indicator, and its network (connected component). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { stixRelationship, stixObjectsOf, type GraphLink } from '../../domain/stix.js';
import type { FeedItem } from '../../domain/types.js';
import { IdParams, problemResponses, StringEnum } from '../../../schemas/common.js';
import { NetworkGraph, RelatedGraph } from '../../../schemas/analysis.js';
import { callerOf } from '../../plugins/auth.js';
import { notFound } from '../../plugins/problems.js';
import { mayRead, network, related, type GraphRows } from './graph.js';
import { recordDeliveries } from '../audit/log.js';

const tags = ['analysis'];
const STIX = 'application/stix+json;version=2.1';
const stixResponse = { [STIX]: { schema: Type.Object({}, { additionalProperties: true, description: 'a STIX 2.1 bundle: Indicators and Relationships' }) } };

/** The answer as JSON (`head` holds the fields before nodes and edges), or as a STIX bundle. */
function send(reply: FastifyReply, format: 'json' | 'stix', head: Record<string, unknown>, graph: GraphRows) {
  if (format === 'json') {
    const fields = Object.entries(head).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');
    return reply.type('application/json; charset=utf-8')
      .send(`{${fields},"nodes":${graph.nodes},"edges":${graph.edges},"edges_truncated":${graph.edgesTruncated}}`);
  }
  const nodes = JSON.parse(graph.nodes) as FeedItem[];
  const updated = new Map(nodes.map((n) => [n.id, n.updated_at]));
  const later = (a: string, b: string) => (Date.parse(a) >= Date.parse(b) ? a : b);
  const relationships = (JSON.parse(graph.edges) as Array<Omit<GraphLink, 'modified'>>)
    .map((edge) => stixRelationship({ ...edge, modified: later(updated.get(edge.source)!, updated.get(edge.target)!) }));
  const objects = [...stixObjectsOf(nodes), ...relationships];
  // An empty graph is a bundle without objects, as an empty feed page (STIX 2.1 §8).
  return reply.type(STIX).send(JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, ...(objects.length ? { objects } : {}) }));
}

export default async function analysisRoutes(app: FastifyInstance, opts: { db: Database }) {
  const { db } = opts;
  const format = Type.Optional(StringEnum(['json', 'stix'], { default: 'json' }));

  app.get('/v1/indicators/:id/related', {
    onRequest: app.authorize('indicators:read'),
    schema: {
      tags, operationId: 'getRelatedIndicators', summary: 'The graph around an indicator: what the caller may receive within `depth` links of it',
      description: 'Linked by submitted relations, by the same observable from other sources (corroboration), and by derived links ' +
        '(a URL\'s or e-mail\'s domain, a domain\'s registrable domain, addresses inside networks, shared servers, payment accounts, ' +
        'IBANs, wallets, tracking ids). Nodes are ordered by distance, then by how many observables they share with the level before, ' +
        'then by confidence; each level keeps its 1,000 most relevant. `format=stix`: a bundle with Relationship objects.',
      params: IdParams,
      querystring: Type.Object({
        depth: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, default: 1 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100, description: 'nodes at most, the start included' })),
        format,
      }, { additionalProperties: false }),
      response: { 200: { description: 'The graph', content: { 'application/json': { schema: Type.Ref(RelatedGraph) }, ...stixResponse } }, ...problemResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { id } = request.params as { id: string };
    const q = request.query as { depth: number; limit: number; format: 'json' | 'stix' };
    if (!await mayRead(db, caller, id)) throw notFound('indicator');
    const found = await related(db, caller, id, q.depth, q.limit);
    await recordDeliveries(db, caller, q.format === 'stix' ? 'graph:related:stix' : 'graph:related', found.delivered);
    return send(reply, q.format, { id, depth: q.depth }, found);
  });

  app.get('/v1/indicators/:id/network', {
    onRequest: app.authorize('indicators:read'),
    schema: {
      tags, operationId: 'getIndicatorNetwork', summary: 'The connected component (the suspected operation) an indicator belongs to, as far as the caller may see it',
      description: 'Counts by type over the whole component (read up to 100,000 members; `truncated` beyond), and its first `limit` ' +
        'members, nearest the start first, with the links between them. `format=stix`: a bundle with Relationship objects.',
      params: IdParams,
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200, description: 'nodes returned at most' })),
        format,
      }, { additionalProperties: false }),
      response: { 200: { description: 'The network', content: { 'application/json': { schema: Type.Ref(NetworkGraph) }, ...stixResponse } }, ...problemResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const caller = callerOf(request);
    const { id } = request.params as { id: string };
    const q = request.query as { limit: number; format: 'json' | 'stix' };
    if (!await mayRead(db, caller, id)) throw notFound('indicator');
    const found = await network(db, caller, id, q.limit);
    await recordDeliveries(db, caller, q.format === 'stix' ? 'graph:network:stix' : 'graph:network', found.delivered);
    return send(reply, q.format, { id, members: found.members, by_type: found.byType, truncated: found.truncated }, found);
  });
}
