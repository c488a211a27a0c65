/** Feed shapes (contract §4). */
import { Type } from '@sinclair/typebox';
import { INDICATOR_TYPES, SECTORS, TLP_LEVELS } from '../src/domain/types.js';
import { Nullable, StringEnum, Timestamp, Uuid } from './common.js';
import { SourceRef } from './indicators.js';

export const Tombstone = Type.Object({
  id: Uuid,
  version: Type.Integer(),
  status: StringEnum(['withdrawn', 'expired', 'revoked']),
  type: Type.Ref('IndicatorType'),
  value: Type.String(),
  platform: Nullable(Type.String()),
  tlp: Type.Ref('Tlp'),
  source: Nullable(SourceRef),
  updated_at: Timestamp,
}, { $id: 'Tombstone', description: 'Sent to former recipients when an indicator is withdrawn, expires or is no longer theirs: the observable, its TLP and its source when named (null when anonymous), no content' });

export const FeedPage = Type.Object({
  items: Type.Array(Type.Union([Type.Ref('Indicator'), Type.Ref(Tombstone)])),
  next_cursor: Type.String({ description: 'Opaque; ask again with it to get only what changed since' }),
  has_more: Type.Boolean(),
}, { $id: 'FeedPage' });

export const FeedFiltersSchema = Type.Object({
  types: Type.Optional(Type.Array(StringEnum(INDICATOR_TYPES), { uniqueItems: true })),
  sectors: Type.Optional(Type.Array(StringEnum(SECTORS), { uniqueItems: true })),
  tlp: Type.Optional(Type.Array(StringEnum(TLP_LEVELS), { uniqueItems: true })),
  min_confidence: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  include_shared: Type.Optional(Type.Boolean()),
}, { $id: 'FeedFilters', additionalProperties: false });

export const SavedFeedCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  filters: Type.Ref(FeedFiltersSchema),
}, { $id: 'SavedFeedCreate', additionalProperties: false, examples: [{ name: 'Live sports domains', filters: { types: ['domain', 'url'], sectors: ['live_sports'], min_confidence: 60 } }] });

export const SavedFeed = Type.Object({
  id: Uuid, name: Type.String(), filters: Type.Ref(FeedFiltersSchema),
}, { $id: 'SavedFeed' });

export const feedSchemas = [Tombstone, FeedPage, FeedFiltersSchema, SavedFeedCreate, SavedFeed];
