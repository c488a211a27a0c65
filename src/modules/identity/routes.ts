/** Contract §2: tokens, keys, the organisation directory, clients and sharing groups. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../../db/client.js';
import { clients, orgs, sharingGroupMembers, sharingGroups } from '../../db/schema.js';
import { IdParams, problemResponses } from '../../../schemas/common.js';
import {
  ClientCreate, ClientCreated, Org, OrgCreate, OrgDirectoryEntry, SharingGroup, SharingGroupCreate,
  SharingGroupPatch, TokenRequest, TokenResponse,
} from '../../../schemas/identity.js';
import { callerOf, type ScopeName } from '../../plugins/auth.js';
import { HttpProblem } from '../../plugins/problems.js';
import { toRfc3339 } from '../../db/sql.js';
import { checkClientCredentials, createClient, createOrg, revokeClient, type ZoneIssuer } from './service.js';
import { issueTsigKey } from '../dns/zones.js';
import { TsigKeyIssued } from '../../../schemas/dns.js';
import { recordMembershipChange } from '../feeds/change-log.js';
import { withRetry } from '../../db/transaction.js';
import { recordAudit } from '../audit/log.js';

const invalidClient = () => new HttpProblem(401, 'Client authentication failed.', {
  slug: 'invalid-client', headers: { 'www-authenticate': 'Basic realm="isop"' }, extensions: { error: 'invalid_client' },
});

/** RFC 6749 §2.3.1: client_id/secret from HTTP Basic (form-urlencoded, then base64) or the body. */
function clientCredentials(request: FastifyRequest, body: TokenRequest): { id: string; secret: string } {
  const header = request.headers.authorization;
  if (header?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw invalidClient();
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      throw invalidClient();
    }
  }
  if (!body.client_id || !body.client_secret) throw invalidClient();
  return { id: body.client_id, secret: body.client_secret };
}

/** A sharing group with its member ids, as one row. */
const groupColumns = {
  id: sharingGroups.id,
  name: sharingGroups.name,
  members: sql<string[]>`coalesce((select array_agg(m.org_id::text order by m.org_id) from ${sharingGroupMembers} m where m.group_id = ${sharingGroups.id}), '{}')`,
};

async function groupWithMembers(db: Database, id: string) {
  const [group] = await db.select(groupColumns).from(sharingGroups).where(eq(sharingGroups.id, id));
  return group ?? null;
}

async function assertOrgsExist(db: Database, ids: string[], path: string) {
  if (ids.length === 0) return;
  const found = await db.select({ id: orgs.id }).from(orgs).where(inArray(orgs.id, ids));
  const known = new Set(found.map((f) => f.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) {
    throw new HttpProblem(400, 'Some members are not known organisations.', {
      slug: 'validation-error', errors: missing.map((id) => ({ path, message: `unknown organisation ${id}` })),
    });
  }
}

export default async function identityRoutes(app: FastifyInstance, opts: {
  db: Database; tokenTtlSeconds: number; tokenRateLimitMax: number; rateLimitWindowMs: number; zones: ZoneIssuer;
}) {
  const { db, zones } = opts;
  const tags = ['identity'];

  app.get('/.well-known/jwks.json', {
    config: { public: true },
    schema: { tags, operationId: 'getJwks', summary: 'Public keys that verify access tokens', response: { 200: Type.Object({ keys: Type.Array(Type.Object({}, { additionalProperties: true })) }) } },
  }, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return app.keyRing.jwks;
  });

  app.post('/v1/auth/token', {
    bodyLimit: 8 * 1024,
    config: { public: true, acceptsForm: true, rateLimit: { max: opts.tokenRateLimitMax, timeWindow: opts.rateLimitWindowMs } },
    schema: {
      tags, operationId: 'issueToken', summary: 'OAuth 2.0 client-credentials grant (form, JSON or HTTP Basic)',
      security: [{ clientBasic: [] }, {}], // HTTP Basic, or the credentials in the body
      body: { content: { 'application/json': { schema: Type.Ref(TokenRequest) }, 'application/x-www-form-urlencoded': { schema: Type.Ref(TokenRequest) } } },
      response: { 200: Type.Ref(TokenResponse), ...problemResponses(400, 401) },
    },
  }, async (request, reply) => {
    const body = request.body as TokenRequest;
    // Every refusal is audited: under the client's id when it names a client, else without one.
    const refuse = async (reason: string, client?: { clientId: string; orgId: string }, problem = invalidClient()) => {
      await recordAudit(db, client ?? { clientId: 'unknown-client', orgId: null }, {
        action: 'token.refused', ...(client ? { subject: client.clientId, subjectOrg: client.orgId } : {}), detail: { reason, ip: request.ip },
      });
      return problem;
    };
    let credentials: { id: string; secret: string };
    try {
      credentials = clientCredentials(request, body);
    } catch (err) {
      throw await refuse('malformed', undefined, err as HttpProblem);
    }
    const checked = await checkClientCredentials(db, credentials.id, credentials.secret);
    if (!checked.ok) {
      throw await refuse(checked.reason, checked.client && { clientId: checked.client.clients.clientId, orgId: checked.client.orgs.id });
    }
    const { client } = checked;
    const known = { clientId: client.clients.clientId, orgId: client.orgs.id };

    const granted = client.clients.scopes as ScopeName[];
    let scopes = granted;
    if (body.scope !== undefined) {
      const asked = body.scope.split(' ').filter(Boolean) as ScopeName[];
      const extra = asked.filter((s) => !granted.includes(s));
      if (extra.length || asked.length === 0) {
        throw await refuse('scope not granted', known, new HttpProblem(400, `Scope not granted to this client: ${extra.join(' ') || '(empty)'}.`, {
          slug: 'invalid-scope', extensions: { error: 'invalid_scope' },
        }));
      }
      scopes = asked;
    }
    const scope = scopes.join(' ');
    const jti = randomUUID();
    const token = await reply.jwtSign({
      sub: client.clients.clientId, org: client.orgs.id, org_kind: client.orgs.kind, scope, jti,
    });
    await recordAudit(db, known, { action: 'token.issued', subject: known.clientId, subjectOrg: known.orgId, detail: { scope, jti, expires_in: opts.tokenTtlSeconds, ip: request.ip } });
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return { access_token: token, token_type: 'Bearer' as const, expires_in: opts.tokenTtlSeconds, scope };
  });

  app.post('/v1/orgs', {
    onRequest: app.authorize('admin'),
    schema: { tags, operationId: 'createOrg', summary: 'Create an organisation (admin)', body: Type.Ref(OrgCreate), response: { 201: Type.Ref(Org), ...problemResponses(400, 401, 403, 409) } },
  }, async (request, reply) => {
    const row = await createOrg(db, request.body as OrgCreate, callerOf(request));
    reply.code(201);
    return { id: row.id, name: row.name, kind: row.kind, country: row.country, sectors: row.sectors, created_at: toRfc3339(row.createdAt) };
  });

  app.get('/v1/orgs', {
    onRequest: app.authorize('authenticated'),
    schema: {
      tags, operationId: 'listOrgs', summary: 'The organisation directory',
      response: { 200: Type.Object({ items: Type.Array(Type.Ref(OrgDirectoryEntry)), next_cursor: Type.Null() }), ...problemResponses(401) },
    },
  }, async () => {
    const items = await db.select({ id: orgs.id, name: orgs.name, kind: orgs.kind, country: orgs.country }).from(orgs).orderBy(asc(orgs.name));
    return { items, next_cursor: null };
  });

  app.post('/v1/orgs/:id/clients', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'createClient', summary: 'Create a client for an organisation (admin); the secret is shown once',
      params: IdParams, body: Type.Ref(ClientCreate), response: { 201: Type.Ref(ClientCreated), ...problemResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const { id } = request.params as { id: string };
    const body = request.body as { name: string; scopes?: ScopeName[] };
    const created = await createClient(db, { orgId: id, name: body.name, ...(body.scopes ? { scopes: body.scopes } : {}) }, callerOf(request), zones);
    reply.code(201).header('cache-control', 'no-store');
    return created;
  });

  app.post('/v1/clients/:client_id/tsig-key', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'rotateTsigKey',
      summary: 'Issue a new TSIG key for an intermediary client\'s resolver zone (admin); the old key stops at once, the new secret is shown once',
      params: Type.Object({ client_id: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Ref(TsigKeyIssued), ...problemResponses(401, 403, 404) },
    },
  }, async (request, reply) => {
    const { client_id: clientId } = request.params as { client_id: string };
    const [client] = await db.select({ kind: orgs.kind, orgId: orgs.id }).from(clients).innerJoin(orgs, eq(orgs.id, clients.orgId))
      .where(and(eq(clients.clientId, clientId), isNull(clients.revokedAt)));
    if (client?.kind !== 'intermediary') throw new HttpProblem(404, 'No such active intermediary client.');
    const sealKeys = await zones.sealKeys();
    const issued = await db.transaction(async (tx) => {
      const key = await issueTsigKey(tx, clientId, sealKeys, zones.rpz);
      await recordAudit(tx, callerOf(request), { action: 'client.tsig_rotated', subject: clientId, subjectOrg: client.orgId });
      return key;
    });
    reply.header('cache-control', 'no-store');
    return issued;
  });

  app.delete('/v1/clients/:client_id', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'revokeClient', summary: 'Revoke a client (admin): token requests fail at once, issued tokens within 30 s',
      params: Type.Object({ client_id: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...problemResponses(401, 403, 404) },
    },
  }, async (request, reply) => {
    const { client_id: clientId } = request.params as { client_id: string };
    if (!(await revokeClient(db, clientId, callerOf(request)))) throw new HttpProblem(404, 'No such active client.');
    app.forgetClient(clientId);
    reply.code(204).send();
  });

  app.post('/v1/sharing-groups', {
    onRequest: app.authorize('admin'),
    schema: { tags, operationId: 'createSharingGroup', summary: 'Create a sharing group (admin)', body: Type.Ref(SharingGroupCreate), response: { 201: Type.Ref(SharingGroup), ...problemResponses(400, 401, 403) } },
  }, async (request, reply) => {
    const body = request.body as { name: string; members: string[] };
    await assertOrgsExist(db, body.members, '/body/members');
    const id = uuidv7();
    await db.transaction(async (tx) => {
      await tx.insert(sharingGroups).values({ id, name: body.name });
      if (body.members.length) await tx.insert(sharingGroupMembers).values(body.members.map((orgId) => ({ groupId: id, orgId })));
      await recordAudit(tx, callerOf(request), { action: 'sharing_group.created', subject: id, detail: { name: body.name, members: body.members } });
    });
    reply.code(201);
    return groupWithMembers(db, id);
  });

  app.patch('/v1/sharing-groups/:id', {
    onRequest: app.authorize('admin'),
    schema: { tags, operationId: 'updateSharingGroup', summary: 'Rename a sharing group or replace its members (admin)', params: IdParams, body: Type.Ref(SharingGroupPatch), response: { 200: Type.Ref(SharingGroup), ...problemResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const { id } = request.params as { id: string };
    const body = request.body as { name?: string; members?: string[] };
    if (body.members) await assertOrgsExist(db, body.members, '/body/members');
    const found = await withRetry(db, async (tx) => {
      const [group] = await tx.select().from(sharingGroups).where(eq(sharingGroups.id, id)).for('update');
      if (!group) return false;
      if (body.name) await tx.update(sharingGroups).set({ name: body.name }).where(eq(sharingGroups.id, id));
      const change: Record<string, unknown> = body.name ? { name: body.name } : {};
      if (body.members) {
        const before = (await tx.select({ orgId: sharingGroupMembers.orgId }).from(sharingGroupMembers)
          .where(eq(sharingGroupMembers.groupId, id))).map((m) => m.orgId);
        const after = new Set(body.members);
        const left = before.filter((o) => !after.has(o)), joined = body.members.filter((o) => !before.includes(o));
        const moved = [...left, ...joined];
        Object.assign(change, { joined, left });
        // Leavers get revoked tombstones and joiners the items, through the feed like any change;
        // recorded before the membership changes, so the recorded audience is the one they left.
        await recordMembershipChange(tx, id, moved);
        await tx.delete(sharingGroupMembers).where(eq(sharingGroupMembers.groupId, id));
        if (body.members.length) await tx.insert(sharingGroupMembers).values(body.members.map((orgId) => ({ groupId: id, orgId })));
      }
      await recordAudit(tx, callerOf(request), { action: 'sharing_group.updated', subject: id, detail: change });
      return true;
    });
    if (!found) throw new HttpProblem(404, 'No such sharing group.');
    return groupWithMembers(db, id);
  });

  app.get('/v1/sharing-groups', {
    onRequest: app.authorize('authenticated'),
    schema: { tags, operationId: 'listSharingGroups', summary: 'Sharing groups: all for admins, otherwise those the caller belongs to', response: { 200: Type.Object({ items: Type.Array(Type.Ref(SharingGroup)), next_cursor: Type.Null() }), ...problemResponses(401) } },
  }, async (request) => {
    const caller = callerOf(request);
    const isAdmin = caller.scopes.has('admin');
    const rows = await db.select(groupColumns).from(sharingGroups)
      .where(isAdmin ? undefined : sql`exists (select 1 from ${sharingGroupMembers} m where m.group_id = ${sharingGroups.id} and m.org_id = ${caller.orgId})`)
      .orderBy(asc(sharingGroups.name));
    return { items: rows, next_cursor: null };
  });

}
