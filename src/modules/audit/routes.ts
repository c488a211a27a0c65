/** Contract §7: reading and verifying the audit log (the secretariat only). */
import { Type } from '@sinclair/typebox';
import { sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { rows, type Database } from '../../db/client.js';
import { decodeCursor, encodeCursor } from '../../domain/cursor.js';
import { parseTimestamp } from '../../domain/time.js';
import { problemResponses, Timestamp, Uuid } from '../../../schemas/common.js';
import { AuditPage, AuditVerification } from '../../../schemas/audit.js';
import { badRequest } from '../../plugins/problems.js';
import { verifyAudit } from './chain.js';
import type { AuditAction } from './log.js';

const tags = ['audit'];
/** Rows fetched per query, and where a page ends: entries of 10,000 deliveries weigh about 600 KB each. */
const CHUNK = 100;
const PAGE_BYTES = 8 * 1024 * 1024;

const ts = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

const ENTRY_JSON = sql`json_build_object('id', a.id, 'entry', c.entry, 'hash', c.hash, 'at', ${ts('a.at')},
  'actor', a.actor, 'actor_org', a.actor_org, 'action', a.action, 'path', a.path, 'subject', a.subject, 'subject_org', a.subject_org,
  'indicators', coalesce((select json_agg(json_build_object('id', x.id, 'version', x.version) order by x.n)
    from unnest(a.indicator_ids, a.versions) with ordinality as x(id, version, n)), '[]'::json),
  'detail', a.detail)::text`;

interface AuditQuery {
  actor?: string; org_id?: string; indicator_id?: string; action?: AuditAction; path?: string;
  since?: string; until?: string; cursor?: string; limit: number;
}

export default async function auditRoutes(app: FastifyInstance, opts: { db: Database; cursorKey: Buffer }) {
  const { db, cursorKey } = opts;

  app.get('/v1/audit', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'listAudit', summary: 'The audit log, newest first (secretariat): writes, tokens, admin actions, deliveries',
      querystring: Type.Object({
        actor: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a client id, or system:sweeper, system:cli, system:bootstrap' })),
        org_id: Type.Optional(Uuid),
        indicator_id: Type.Optional(Uuid),
        action: Type.Optional(Type.Ref('AuditAction')),
        path: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'deliveries by this path (read, feed:json …)' })),
        since: Type.Optional(Timestamp),
        until: Type.Optional(Timestamp),
        cursor: Type.Optional(Type.String({ maxLength: 2048 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
      }, { additionalProperties: false }),
      description: '`org_id` matches the acting organisation and the organisation acted upon; `since` is inclusive, `until` exclusive.',
      response: { 200: Type.Ref(AuditPage), ...problemResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    const q = request.query as AuditQuery;
    const where: SQL[] = [sql`true`];
    if (q.actor) where.push(sql`a.actor = ${q.actor}`);
    if (q.org_id) where.push(sql`(a.actor_org = ${q.org_id}::uuid or a.subject_org = ${q.org_id}::uuid)`);
    if (q.indicator_id) where.push(sql`a.indicator_ids @> array[${q.indicator_id}::uuid]`);
    if (q.action) where.push(sql`a.action = ${q.action}`);
    if (q.path) where.push(sql`a.path = ${q.path}`);
    for (const [name, op] of [['since', sql`>=`], ['until', sql`<`]] as const) {
      const value = q[name];
      if (value === undefined) continue;
      const at = parseTimestamp(value);
      if (at === null) throw badRequest(`${name} is not a timestamp.`, [{ path: `/query/${name}`, message: 'must be an RFC 3339 date-time' }]);
      where.push(sql`a.at ${op} ${new Date(at).toISOString()}::timestamptz`);
    }
    let before: number | undefined;
    if (q.cursor !== undefined) {
      const decoded = decodeCursor<{ id: number }>('audit', q.cursor, cursorKey);
      if (!decoded || !Number.isSafeInteger(decoded.id)) throw badRequest('The cursor was not issued by this server.', [{ path: '/query/cursor', message: 'unknown cursor' }]);
      before = decoded.id;
    }
    // Chunks until `limit` entries or about PAGE_BYTES; then has_more is true (the next page may be empty).
    const page: Array<{ id: number; json: string }> = [];
    let bytes = 0;
    let full = false;
    for (;;) {
      const want = Math.min(CHUNK, q.limit - page.length);
      const chunk = await rows<{ id: string | number; json: string }>(db, sql`
        select a.id, ${ENTRY_JSON} as json
        from audit_log a left join audit_chain c on c.log_id = a.id
        where ${sql.join(where, sql` and `)} ${before === undefined ? sql`` : sql`and a.id < ${before}`}
        order by a.id desc limit ${want}`);
      for (const row of chunk) {
        page.push({ id: Number(row.id), json: row.json });
        bytes += row.json.length;
        if (bytes >= PAGE_BYTES) break;
      }
      if (page.length === q.limit || bytes >= PAGE_BYTES) { full = true; break; }
      if (chunk.length < want) break;
      before = page[page.length - 1]!.id;
    }
    const next = full ? JSON.stringify(encodeCursor('audit', { id: page[page.length - 1]!.id }, cursorKey)) : 'null';
    return reply.type('application/json; charset=utf-8')
      .send(`{"items":[${page.map((r) => r.json).join(',')}],"next_cursor":${next},"has_more":${full}}`);
  });

  app.get('/v1/audit/verify', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'verifyAudit', summary: 'Verify the audit chain (secretariat): every entry, link and row; names what was changed, inserted or deleted',
      description: 'With `after` (and `hash`), only the entries after a head published earlier are verified. A long log is best verified with ' +
        '`npm run admin -- audit verify` (no request deadline).',
      querystring: Type.Object({
        after: Type.Optional(Type.Integer({ minimum: 1, description: 'an entry number to start after' })),
        hash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'that entry\'s published hash' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Ref(AuditVerification), ...problemResponses(400, 401, 403) },
    },
  }, async (request) => {
    const q = request.query as { after?: number; hash?: string };
    if (q.hash && q.after === undefined) throw badRequest('hash needs after.', [{ path: '/query/hash', message: 'needs after' }]);
    return verifyAudit(db, q.after === undefined ? {} : { after: { entry: q.after, ...(q.hash ? { hash: q.hash } : {}) } });
  });
}
