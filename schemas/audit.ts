/** Audit shapes (contract §7) and the review of what expires (extend). */
import { Type } from '@sinclair/typebox';
import { AUDIT_ACTIONS } from '../src/modules/audit/log.js';
import { Nullable, StringEnum, Timestamp, Uuid } from './common.js';

export const AuditAction = StringEnum(AUDIT_ACTIONS, { $id: 'AuditAction' });

export const AuditEntry = Type.Object({
  id: Type.Integer({ description: 'The audit row (the order entries were written in)' }),
  entry: Nullable(Type.Integer({ description: 'Its number in the hash chain; null until it is chained (within a sweep interval)' })),
  hash: Nullable(Type.String({ description: 'The chain hash up to and including this entry' })),
  at: Timestamp,
  actor: Type.String({ description: 'A client id, or system:sweeper, system:cli, system:bootstrap' }),
  actor_org: Nullable(Uuid),
  action: Type.Ref(AuditAction),
  path: Nullable(Type.String({ description: 'How a delivery left: read, list, lookup, feed:<format>, saved-feed:<format>, blocklist:<format>, dns:axfr, dns:ixfr …' })),
  subject: Nullable(Type.String({ description: 'What the entry is about besides indicators: an organisation, client, group, saved feed or warninglist' })),
  subject_org: Nullable(Uuid),
  indicators: Type.Array(Type.Object({ id: Uuid, version: Type.Integer() }), { description: 'The indicators concerned, at the version concerned (received, written)' }),
  detail: Nullable(Type.Object({}, { additionalProperties: true })),
}, { $id: 'AuditEntry', description: 'Never an indicator\'s value or other content: those are purged after retention, the trail stays' });

export const AuditPage = Type.Object({
  items: Type.Array(Type.Ref(AuditEntry)),
  next_cursor: Nullable(Type.String()),
  has_more: Type.Boolean(),
}, { $id: 'AuditPage', description: 'Newest first; a page also ends at about 8 MiB' });

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer({ description: 'Entries verified' }),
  head: Nullable(Type.Object({
    entry: Type.Integer(), hash: Type.String(), at: Timestamp,
  }, { description: 'The last entry of the chain: compare it with a head published earlier (logs, a previous answer)' })),
  pending: Type.Integer({ description: 'Entries written but not chained yet' }),
  problems: Type.Array(Type.Object({
    entry: Type.Optional(Type.Integer()), audit_id: Type.Optional(Type.Integer()), problem: Type.String(),
  }), { description: 'What is wrong, entry by entry (at most 100)' }),
}, { $id: 'AuditVerification' });

export const ExtendBody = Type.Object({
  ids: Type.Array(Uuid, { minItems: 1, maxItems: 10_000, uniqueItems: true }),
  valid_until: Timestamp,
}, { $id: 'ExtendBody', additionalProperties: false });

export const ExtendResult = Type.Object({
  results: Type.Array(Type.Object({
    id: Uuid,
    status: StringEnum(['extended', 'unchanged', 'not_found', 'not_active', 'rejected']),
    version: Type.Optional(Type.Integer()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  })),
  summary: Type.Object({ extended: Type.Integer(), unchanged: Type.Integer(), not_found: Type.Integer(), not_active: Type.Integer(), rejected: Type.Integer() }),
}, { $id: 'ExtendResult' });

export const auditSchemas = [AuditAction, AuditEntry, AuditPage, AuditVerification, ExtendBody, ExtendResult];
