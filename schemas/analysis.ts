/** Link graph shapes (contract §6). */
import { Type } from '@sinclair/typebox';
import { Nullable, Uuid } from './common.js';

export const GraphEdge = Type.Object({
  source: Uuid,
  target: Uuid,
  type: Type.String({
    description: '`corroboration` (both report the observable), a relation type (the source submitted it, pointing at the target\'s value), ' +
      '`domain`, `host` or `registrable_domain` (derived from the source\'s value), `shared` (both point at the observable), ' +
      '`contains` (the source\'s address or network contains the target\'s)',
  }),
  observable: Type.Object({ type: Type.Ref('IndicatorType'), value: Type.String(), platform: Nullable(Type.String()) }, { description: 'where the two meet' }),
}, { $id: 'GraphEdge' });

export const GraphNode = Type.Intersect([
  Type.Ref('Indicator'),
  Type.Object({ depth: Type.Optional(Type.Integer({ description: '/related: indicator hops from the start' })) }),
], { $id: 'GraphNode' });

export const RelatedGraph = Type.Object({
  id: Uuid,
  depth: Type.Integer(),
  nodes: Type.Array(Type.Ref(GraphNode), { description: 'the start first, then by distance, observables shared with the level before, confidence' }),
  edges: Type.Array(Type.Ref(GraphEdge)),
  edges_truncated: Type.Boolean(),
}, { $id: 'RelatedGraph' });

export const NetworkGraph = Type.Object({
  id: Uuid,
  members: Type.Integer({ description: 'indicators in the connected component that the caller may receive' }),
  by_type: Type.Record(Type.String(), Type.Integer()),
  truncated: Type.Boolean({ description: 'the component is larger than the walk reads (members and by_type then count that many)' }),
  nodes: Type.Array(Type.Ref(GraphNode), { description: 'the first `limit` members, nearest the start first' }),
  edges: Type.Array(Type.Ref(GraphEdge)),
  edges_truncated: Type.Boolean(),
}, { $id: 'NetworkGraph' });

export const analysisSchemas = [GraphEdge, GraphNode, RelatedGraph, NetworkGraph];
