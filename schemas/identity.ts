import { Type, type Static } from '@sinclair/typebox';
import { SECTORS } from '../src/domain/types.js';
import { CountryCode, StringEnum, Timestamp, Uuid } from './common.js';
import { TsigKeyIssued } from './dns.js';

export const OrgKind = StringEnum(['partner', 'agency', 'intermediary', 'secretariat'], { $id: 'OrgKind' });
export const Sector = StringEnum(SECTORS, { $id: 'Sector' });
export const Scope = StringEnum(['indicators:write', 'indicators:read', 'outcomes:read', 'outcomes:write', 'feed:read', 'admin'], { $id: 'Scope' });

export const OrgCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Type.Ref(OrgKind),
  country: CountryCode,
  sectors: Type.Optional(Type.Array(Type.Ref(Sector), { uniqueItems: true, maxItems: 7 })),
}, { $id: 'OrgCreate', additionalProperties: false, examples: [{ name: 'Premier Sports Rights', kind: 'partner', country: 'GB', sectors: ['live_sports'] }] });
export type OrgCreate = Static<typeof OrgCreate>;

export const Org = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Type.Ref(OrgKind),
  country: CountryCode,
  sectors: Type.Array(Type.Ref(Sector)),
  created_at: Timestamp,
}, { $id: 'Org' });

export const OrgDirectoryEntry = Type.Object({
  id: Uuid, name: Type.String(), kind: Type.Ref(OrgKind), country: CountryCode,
}, { $id: 'OrgDirectoryEntry' });

export const ClientCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  scopes: Type.Optional(Type.Array(Type.Ref(Scope), { uniqueItems: true, minItems: 1 })),
}, { $id: 'ClientCreate', additionalProperties: false, examples: [{ name: 'ingest-bot' }, { name: 'feed-reader', scopes: ['feed:read'] }] });

export const ClientCreated = Type.Object({
  client_id: Type.String(),
  client_secret: Type.String({ description: 'Shown once; only a slow hash is stored.' }),
  name: Type.String(),
  scopes: Type.Array(Type.Ref(Scope)),
  tsig_key: Type.Optional(Type.Ref(TsigKeyIssued, { description: 'intermediaries only: the key of the client\'s resolver zone, shown once' })),
}, { $id: 'ClientCreated' });

export const TokenRequest = Type.Object({
  grant_type: Type.Literal('client_credentials'),
  client_id: Type.Optional(Type.String({ maxLength: 200 })),
  client_secret: Type.Optional(Type.String({ maxLength: 500 })),
  scope: Type.Optional(Type.String({ maxLength: 500 })),
}, { $id: 'TokenRequest', additionalProperties: false, examples: [{ grant_type: 'client_credentials', client_id: 'isop_3kTqW9vZ2mLxR8pA', client_secret: 'kQ0x…shown-once-at-creation', scope: 'feed:read' }] });
export type TokenRequest = Static<typeof TokenRequest>;

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
}, { $id: 'TokenResponse' });

export const SharingGroupCreate = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  members: Type.Array(Uuid, { uniqueItems: true, maxItems: 10000 }),
}, { $id: 'SharingGroupCreate', additionalProperties: false, examples: [{ name: 'Live-sports task force', members: ['01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a', '01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0b'] }] });

export const SharingGroupPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  members: Type.Optional(Type.Array(Uuid, { uniqueItems: true, maxItems: 10000 })),
}, { $id: 'SharingGroupPatch', additionalProperties: false, minProperties: 1, examples: [{ members: ['01938a7e-4c2f-7d1e-9b3a-5f6e7d8c9b0a'] }] });

export const SharingGroup = Type.Object({
  id: Uuid, name: Type.String(), members: Type.Array(Uuid),
}, { $id: 'SharingGroup' });

export const identitySchemas = [
  OrgKind, Sector, Scope, OrgCreate, Org, OrgDirectoryEntry, ClientCreate, ClientCreated,
  TokenRequest, TokenResponse, SharingGroupCreate, SharingGroupPatch, SharingGroup,
];
