/** Organisation and client administration, shared by the HTTP routes, the bootstrap and the CLI. */
import { and, eq, isNull } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../../db/client.js';
import { clients, orgs } from '../../db/schema.js';
import { isCountryCode } from '../../domain/countries.js';
import type { OrgKind } from '../../domain/types.js';
import type { ScopeName } from '../../plugins/auth.js';
import { HttpProblem } from '../../plugins/problems.js';
import { isStorableText } from '../../domain/json.js';
import { decoy, hashSecret, newClientId, newClientSecret, verifySecret } from './secrets.js';
import type { RpzConfig } from '../../config.js';
import type { SealKeys } from '../dns/seal.js';
import { issueTsigKey } from '../dns/zones.js';
import { recordAudit, SYSTEM_ACTORS, type AuditActor } from '../audit/log.js';

export const DEFAULT_SCOPES: Record<OrgKind, ScopeName[]> = {
  partner: ['indicators:write', 'indicators:read', 'outcomes:read'],
  agency: ['feed:read', 'indicators:read', 'outcomes:write'],
  // The contract's defaults (§2). An intermediary that confirms blocking orders (§5) gets a client with outcomes:write too.
  intermediary: ['feed:read', 'indicators:read'],
  secretariat: ['indicators:write', 'indicators:read', 'outcomes:read', 'outcomes:write', 'feed:read', 'admin'],
};


/**
 * The live client (with its organisation) these credentials belong to, or null. Pays the slow
 * hash whether or not the client id exists, so timing tells nothing.
 */
export async function checkClientCredentials(db: Database, id: string, secret: string) {
  // No client id holds a NUL (PostgreSQL could not even be asked): from HTTP Basic, say.
  if (!isStorableText(id) || !isStorableText(secret)) return { ok: false as const, reason: 'malformed' };
  const [client] = await db.select().from(clients).innerJoin(orgs, eq(orgs.id, clients.orgId)).where(eq(clients.clientId, id));
  // Spend the same time whether or not the client exists.
  const ok = await verifySecret(secret, client?.clients.secretHash ?? await decoy());
  if (!client) return { ok: false as const, reason: 'unknown client' };
  if (!ok) return { ok: false as const, reason: 'wrong secret', client };
  if (client.clients.revokedAt !== null) return { ok: false as const, reason: 'revoked client', client };
  return { ok: true as const, client };
}

/** The client and its organisation when the credentials are right and the client not revoked, else null. */
export async function verifyClientCredentials(db: Database, id: string, secret: string) {
  const checked = await checkClientCredentials(db, id, secret);
  return checked.ok ? checked.client : null;
}

export interface NewOrg { name: string; kind: OrgKind; country: string; sectors?: string[] }

/** Creates an organisation, audited as done by `actor`. */
export async function createOrg(db: Database, input: NewOrg, actor: AuditActor) {
  if (!isCountryCode(input.country)) {
    throw new HttpProblem(400, 'country is not an ISO 3166-1 alpha-2 code.', {
      slug: 'validation-error', errors: [{ path: '/body/country', message: 'unknown country code' }],
    });
  }
  if (input.sectors?.length && input.kind !== 'partner') {
    throw new HttpProblem(400, 'Only partners have sectors.', {
      slug: 'validation-error', errors: [{ path: '/body/sectors', message: 'only partners have sectors' }],
    });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(orgs)
      .values({ id: uuidv7(), name: input.name.trim(), kind: input.kind, country: input.country, sectors: input.sectors ?? [] })
      .onConflictDoNothing().returning();
    if (!row) throw new HttpProblem(409, `An organisation named "${input.name}" exists already.`);
    await recordAudit(tx, actor, {
      action: 'org.created', subject: row.id, subjectOrg: row.id, detail: { name: row.name, kind: row.kind, country: row.country, sectors: row.sectors },
    });
    return row;
  });
}

export interface NewClient { orgId: string; name: string; scopes?: ScopeName[]; clientId?: string; clientSecret?: string }

/** What issuing a resolver zone's TSIG key needs: the keys that seal it, and the zones' origin. */
export interface ZoneIssuer { sealKeys: () => Promise<SealKeys>; rpz: Pick<RpzConfig, 'origin'> }

/**
 * Creates a client and returns its secret — the only time the secret exists outside the caller.
 * An intermediary's client also gets its resolver zone and that zone's TSIG key, shown here once
 * too (when `zones` is given: the API and the CLI give it).
 */
export async function createClient(db: Database, input: NewClient, actor: AuditActor, zones?: ZoneIssuer) {
  const [org] = await db.select().from(orgs).where(eq(orgs.id, input.orgId));
  if (!org) throw new HttpProblem(404, 'No such organisation.');
  const kind = org.kind as OrgKind;
  const scopes = input.scopes ?? DEFAULT_SCOPES[kind];
  if (scopes.includes('admin') && kind !== 'secretariat') {
    throw new HttpProblem(400, 'Only secretariat clients may hold the admin scope.', {
      slug: 'validation-error', errors: [{ path: '/body/scopes', message: 'admin is for the secretariat only' }],
    });
  }
  const clientId = input.clientId ?? newClientId();
  const clientSecret = input.clientSecret ?? newClientSecret();
  const secretHash = await hashSecret(clientSecret);
  const sealKeys = kind === 'intermediary' && zones ? await zones.sealKeys() : undefined;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(clients)
      .values({ clientId, orgId: org.id, name: input.name, secretHash, scopes })
      .onConflictDoNothing().returning();
    if (!row) throw new HttpProblem(409, 'That client id exists already.');
    const tsig = sealKeys ? await issueTsigKey(tx, clientId, sealKeys, zones!.rpz) : undefined;
    await recordAudit(tx, actor, { action: 'client.created', subject: clientId, subjectOrg: org.id, detail: { name: input.name, scopes, resolver_zone: Boolean(tsig) } });
    return { client_id: clientId, client_secret: clientSecret, name: input.name, scopes, ...(tsig ? { tsig_key: tsig } : {}) };
  });
}

export async function revokeClient(db: Database, clientId: string, actor: AuditActor): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx.update(clients).set({ revokedAt: new Date().toISOString() })
      .where(and(eq(clients.clientId, clientId), isNull(clients.revokedAt))).returning({ id: clients.clientId, orgId: clients.orgId });
    if (revoked) await recordAudit(tx, actor, { action: 'client.revoked', subject: clientId, subjectOrg: revoked.orgId });
    return revoked !== undefined;
  });
}

/**
 * When the database has no secretariat, create one with one client. Credentials come from
 * BOOTSTRAP_CLIENT_ID/SECRET or are generated; generated ones are returned to be printed once.
 */
export async function bootstrapSecretariat(db: Database, configured: { clientId?: string; clientSecret?: string }) {
  const [existing] = await db.select({ id: orgs.id }).from(orgs).where(eq(orgs.kind, 'secretariat')).limit(1);
  if (existing) return null;
  const org = await createOrg(db, { name: 'I-SOP Secretariat', kind: 'secretariat', country: 'EU' }, SYSTEM_ACTORS.bootstrap);
  return createClient(db, {
    orgId: org.id, name: 'bootstrap',
    ...(configured.clientId ? { clientId: configured.clientId } : {}),
    ...(configured.clientSecret ? { clientSecret: configured.clientSecret } : {}),
  }, SYSTEM_ACTORS.bootstrap);
}
