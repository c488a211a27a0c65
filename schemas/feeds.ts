/** Feed shapes (contract §4). */
import { Type } from '@sinclair/typebox';
import { INDICATOR_TYPES, SECTORS, TLP_LEVELS } from '../src/domain/types.js';
import { Nullable, Timestamp, Uuid } from './common.js';

export const Tombstone = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  status: Type.Union([Type.Literal('withdrawn'), Type.Literal('expired'), Type.Literal('revoked')]),
  type: Type.Ref('IndicatorType'),
  value: Type.String(),
  platform: Nullable(Type.String()),
  updated_at: Timestamp,
}, { $id: 'Tombstone', description: 'Sent to former recipients when an indicator is withdrawn, expires or is no longer theirs' });

export const FeedPage = Type.Object({
  items: Type.Array(Type.Union([Type.Ref('Indicator'), Type.Ref(Tombstone)])),
  next_cursor: Type.String({ description: 'Opaque; ask again with it to get only what changed since' }),
  has_more: Type.Boolean(),
}, { $id: 'FeedPage' });

export const FeedFiltersSchema = Type.Object({
  types: Type.Optional(Type.Array(Type.Union(INDICATOR_TYPES.map((t) => Type.Literal(t))), { uniqueItems: true })),
  sectors: Type.Optional(Type.Array(Type.Union(SECTORS.map((s) => Type.Literal(s))), { uniqueItems: true })),
  tlp: Type.Optional(Type.Array(Type.Union(TLP_LEVELS.map((t) => Type.Literal(t))), { uniqueItems: true })),
  min_confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  include_shared: Type.Optional(Type.Boolean()),
}, { $id: 'FeedFilters', additionalProperties: false });

export const SavedFeedCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  filters: Type.Ref(FeedFiltersSchema),
}, { $id: 'SavedFeedCreate', additionalProperties: false });

export const SavedFeed = Type.Object({
  id: Uuid, name: Type.String(), filters: Type.Ref(FeedFiltersSchema),
}, { $id: 'SavedFeed' });

export const feedSchemas = [Tombstone, FeedPage, FeedFiltersSchema, SavedFeedCreate, SavedFeed];
