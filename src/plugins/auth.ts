/**
 * Bearer-token authentication and scope checks.
 *
 * Tokens are ES256/EdDSA JWTs whose `kid` must name a key of our key ring; `alg` is pinned to
 * the key's algorithm, so `none` and HS* are refused. After the signature, the client itself
 * is checked against the database (cached for at most REVOCATION_CACHE_SECONDS ≤ 30 s), so a
 * deleted client's tokens stop working on every node within that time.
 *
 * Every /v1 route declares who may call it — `onRequest: app.authorize(scope | [scopes] |
 * 'authenticated')`, or `config: { public: true }` — and the app refuses to start when one does
 * not, so a route cannot forget its scope. `app.routeAccess` lists every route with its access.
 *
 * Routes for tools configured with a user name and password (TAXII connectors) also take HTTP
 * Basic with a client's id and secret (`authorize(access, { orBasic: true })`), with the client's
 * own scopes. The slow hash is paid once: a verification is remembered, under a keyed hash of
 * the credentials, for no longer than the revocation cache, and the client is checked like a
 * token's, so a revoked client is refused within REVOCATION_CACHE_SECONDS either way.
 */
import jwt from '@fastify/jwt';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '../db/client.js';
import { clients, orgs, sharingGroupMembers } from '../db/schema.js';
import type { OrgKind } from '../domain/types.js';
import type { KeyRing } from '../modules/identity/keys.js';
import { verifyClientCredentials } from '../modules/identity/service.js';
import { HttpProblem } from './problems.js';

export type ScopeName = 'indicators:write' | 'indicators:read' | 'outcomes:read' | 'outcomes:write' | 'feed:read' | 'admin';

/** Who may call a route: a token with this scope, with any of these scopes, or any valid token. */
export type Access = ScopeName | readonly ScopeName[] | 'authenticated';

/** One registered route and the access it declared (`undefined`: declared none, allowed outside /v1 only). */
export interface RouteAccess { method: string; url: string; access: Access | 'public' | undefined }

/** Who is calling: the verified token joined with what the database knows now. */
export interface Caller {
  clientId: string;
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  country: string;
  groups: string[];
  scopes: ReadonlySet<ScopeName>;
}

interface TokenClaims { sub: string; org: string; org_kind: OrgKind; scope: string; jti: string }

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * onRequest hook requiring a valid token with the access asked for (a scope, one of a list
     * of scopes, or `'authenticated'`); `orSecret` also admits `Bearer <that secret>` (metrics).
     */
    authorize(access: Access, options?: AuthorizeOptions): onRequestHookHandler;
    /** Forget cached client state (after a revocation on this node). */
    forgetClient(clientId: string): void;
    /** Every route registered so far, with the access it declared. */
    routeAccess: readonly RouteAccess[];
    keyRing: KeyRing;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    /** The route answers without a token (declared, so that no /v1 route is public by omission). */
    public?: true;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT { payload: Record<string, unknown>; user: TokenClaims }
}

export interface AuthorizeOptions {
  /** Also admit `Bearer <this secret>` (metrics). */
  orSecret?: string | undefined;
  /** Also admit HTTP Basic with a client's id and secret, with that client's scopes. */
  orBasic?: boolean;
}

const unauthorized = (detail: string, basic = false) =>
  new HttpProblem(401, detail, {
    headers: { 'www-authenticate': `Bearer realm="isop", error="invalid_token"${basic ? ', Basic realm="isop", charset="UTF-8"' : ''}` },
  });

/** RFC 7617 credentials of a Basic authorization header, or null when it is not one. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const encoded = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i)?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) } : null;
}

export interface AuthOptions {
  db: Database;
  keyRing: KeyRing;
  /** Re-reads the key ring (rotation); absent when keys are configured, not stored. */
  reloadKeyRing?: () => Promise<KeyRing>;
  tokenTtlSeconds: number;
  revocationCacheSeconds: number;
}

/** How old a node's key ring may get before it is re-read: rotations and retirements reach every node. */
export const KEY_RING_TTL_MS = 30_000;
/** At most one forced re-read (a token names an unknown key) per this interval, so unknown kids cannot hammer the database. */
export const FORCED_RELOAD_INTERVAL_MS = 1_000;

export interface KeyRingRefresher {
  readonly ring: KeyRing;
  /**
   * `force` false: re-read the ring in the background when it is older than KEY_RING_TTL_MS.
   * `force` true (a token names an unknown key): resolves after the next forced re-read, which
   * runs at once, or FORCED_RELOAD_INTERVAL_MS after the previous forced one; callers meanwhile
   * share it.
   */
  refresh(force: boolean): Promise<void>;
}

export interface RefresherClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: RefresherClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => { setTimeout(resolve, ms).unref(); }),
};

/**
 * The key ring of one node. A forced re-read is throttled from the last forced re-read (never
 * from the node's start), and a token arriving within the interval waits for the next re-read
 * instead of being refused: a key another node just began signing with is accepted, whenever
 * this node started and whatever tokens with made-up kids came before; a storm of those costs
 * one query per interval.
 */
export function keyRingRefresher(initial: KeyRing, load: () => Promise<KeyRing>, onError: (err: unknown) => void, clock: RefresherClock = realClock): KeyRingRefresher {
  let ring = initial;
  let loadedAt = clock.now();
  let lastForcedAt = -Infinity;
  let background: Promise<void> | undefined;
  let forced: Promise<void> | undefined;
  // A slow re-read that finishes after a later one must not put its older ring back.
  let started = 0;
  let applied = 0;
  const reload = () => {
    const attempt = ++started;
    return load().then((next) => {
      if (attempt < applied) return;
      applied = attempt;
      ring = next;
      loadedAt = clock.now();
    }, onError);
  };
  return {
    get ring() { return ring; },
    refresh(force) {
      if (!force) {
        if (!background && !forced && clock.now() - loadedAt >= KEY_RING_TTL_MS) {
          background = reload().finally(() => { background = undefined; });
        }
        return background ?? Promise.resolve();
      }
      forced ??= (async () => {
        const wait = lastForcedAt + FORCED_RELOAD_INTERVAL_MS - clock.now();
        if (wait > 0) await clock.sleep(wait);
        lastForcedAt = clock.now();
        await reload();
      })().finally(() => { forced = undefined; });
      return forced;
    },
  };
}

/** Constant-time comparison of a presented secret with the configured one (hashed: equal lengths, no length leak). */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

const scopesOf = (access: Access): readonly ScopeName[] | undefined =>
  access === 'authenticated' ? undefined : typeof access === 'string' ? [access] : access;

export default fp(async function auth(app: FastifyInstance, opts: AuthOptions) {
  const keys = opts.reloadKeyRing
    ? keyRingRefresher(opts.keyRing, opts.reloadKeyRing, (err) => app.log.error({ err }, 'key ring reload failed'))
    : { ring: opts.keyRing, refresh: () => Promise.resolve() };
  app.decorate('keyRing', { getter: () => keys.ring });

  // Every route's declared access; a /v1 route without one stops the app at start.
  const declared = new WeakMap<object, Access>();
  const routeAccess: RouteAccess[] = [];
  app.decorate('routeAccess', { getter: () => routeAccess });
  app.addHook('onRoute', (route) => {
    const hooks = ([] as unknown[]).concat(route.onRequest ?? []);
    const access = route.config?.public ? 'public' as const
      : hooks.map((hook) => declared.get(hook as object)).find((a) => a !== undefined);
    if (access === undefined && route.url.startsWith('/v1/')) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no access: add onRequest: app.authorize(…) or config: { public: true }`);
    }
    for (const method of ([] as string[]).concat(route.method)) routeAccess.push({ method, url: route.url, access });
    // The OpenAPI document says so too: a public route asks for no credentials (the default is a bearer token).
    if (access === 'public' && route.schema) route.schema = { ...route.schema, security: route.schema.security ?? [] };
  });

  await app.register(jwt, {
    secret: {
      private: keys.ring.signing.privatePem,
      // Pick the verification key by `kid`; an unknown kid fails verification.
      public: (async (_request: FastifyRequest, token: { header?: { kid?: string } }) => {
        const kid = token.header?.kid;
        if (!kid) throw new Error('no key id');
        void keys.refresh(false);
        if (!keys.ring.byKid.has(kid)) await keys.refresh(true); // perhaps a key another node just started signing with
        const key = keys.ring.byKid.get(kid);
        if (!key) throw new Error('unknown key id');
        return key.publicPem;
      }) as never,
    },
    sign: { algorithm: keys.ring.signing.alg, kid: keys.ring.signing.kid, expiresIn: opts.tokenTtlSeconds, iss: 'isop-exchange' } as never,
    decode: { complete: true }, // the key function needs the header's kid
    verify: { algorithms: ['ES256', 'EdDSA'], allowedIss: 'isop-exchange', requiredClaims: ['sub', 'org', 'exp', 'jti'] } as never,
  });

  const cache = new Map<string, { caller: Omit<Caller, 'scopes'> | null; at: number }>();
  const ttlMs = opts.revocationCacheSeconds * 1000;
  app.decorate('forgetClient', (clientId: string) => { cache.delete(clientId); });

  async function currentClient(clientId: string): Promise<Omit<Caller, 'scopes'> | null> {
    const hit = cache.get(clientId);
    if (hit && Date.now() - hit.at < ttlMs) return hit.caller;
    const [row] = await opts.db
      .select({
        clientId: clients.clientId, revokedAt: clients.revokedAt, orgId: orgs.id, orgName: orgs.name,
        orgKind: orgs.kind, country: orgs.country,
        groups: sql<string[]>`coalesce((select array_agg(${sharingGroupMembers.groupId}::text) from ${sharingGroupMembers} where ${sharingGroupMembers.orgId} = ${orgs.id}), '{}')`,
      })
      .from(clients).innerJoin(orgs, eq(orgs.id, clients.orgId))
      .where(eq(clients.clientId, clientId));
    const caller = row && row.revokedAt === null
      ? { clientId: row.clientId, orgId: row.orgId, orgName: row.orgName, orgKind: row.orgKind as OrgKind, country: row.country, groups: row.groups }
      : null;
    if (cache.size > 50_000) cache.clear();
    cache.set(clientId, { caller, at: Date.now() });
    return caller;
  }

  /**
   * HTTP Basic: verified client ids and scopes by a keyed hash of the presented credentials (the
   * key lives in this process only), for at most the revocation cache's lifetime; refusals too,
   * so repeated wrong credentials cost no hashing either. Concurrent first requests share one check.
   */
  const credentialKey = randomBytes(32);
  const verified = new Map<string, { client: { clientId: string; scopes: ScopeName[] } | null; at: number }>();
  const verifying = new Map<string, Promise<{ clientId: string; scopes: ScopeName[] } | null>>();
  async function basicClient(id: string, secret: string) {
    const key = createHmac('sha256', credentialKey).update(id).update('\u0000').update(secret).digest('base64url');
    const hit = verified.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.client;
    let pending = verifying.get(key);
    if (!pending) {
      pending = verifyClientCredentials(opts.db, id, secret)
        .then((row) => (row ? { clientId: row.clients.clientId, scopes: row.clients.scopes as ScopeName[] } : null))
        .then((client) => {
          if (verified.size > 50_000) verified.clear();
          verified.set(key, { client, at: Date.now() });
          return client;
        })
        .finally(() => verifying.delete(key));
      verifying.set(key, pending);
    }
    return pending;
  }

  /** Sets `request.caller` from HTTP Basic credentials. */
  async function authenticateBasic(request: FastifyRequest, credentials: { id: string; secret: string }): Promise<Caller> {
    const verifiedClient = await basicClient(credentials.id, credentials.secret);
    const client = verifiedClient && await currentClient(verifiedClient.clientId);
    if (!verifiedClient || !client) throw unauthorized('The client id or secret is not valid.', true);
    request.caller = { ...client, scopes: new Set(verifiedClient.scopes) };
    return request.caller;
  }

  app.decorate('authorize', (access: Access, options: AuthorizeOptions = {}): onRequestHookHandler => {
    const needed = scopesOf(access);
    if (access === undefined || needed?.length === 0) throw new Error('app.authorize needs the access a route requires');
    const hook: onRequestHookHandler = async (request) => {
      const header = request.headers.authorization;
      const bearer = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
      const basic = options.orBasic && !bearer ? basicCredentials(header) : null;
      if (!bearer && !basic) throw unauthorized(options.orBasic ? 'A bearer token or HTTP Basic client credentials are required.' : 'A bearer token is required.', options.orBasic);
      if (bearer && options.orSecret && sameSecret(bearer, options.orSecret)) return;
      const caller = basic ? await authenticateBasic(request, basic) : await authenticate(request, options.orBasic);
      if (needed && !needed.some((scope) => caller.scopes.has(scope))) {
        const names = needed.map((scope) => `"${scope}"`).join(' or ');
        throw new HttpProblem(403, `This operation needs the ${names} scope.`, { slug: 'insufficient-scope' });
      }
    };
    declared.set(hook, access);
    return hook;
  });

  /** Verifies the bearer token and sets `request.caller` from what the database knows now. */
  async function authenticate(request: FastifyRequest, basicToo = false): Promise<Caller> {
    let claims: TokenClaims;
    try {
      claims = await request.jwtVerify<TokenClaims>();
    } catch {
      throw unauthorized('The access token is invalid or expired.', basicToo);
    }
    const client = await currentClient(claims.sub);
    if (!client || client.orgId !== claims.org) throw unauthorized('The client of this token has been revoked.', basicToo);
    const scopes = new Set(String(claims.scope ?? '').split(' ').filter(Boolean) as ScopeName[]);
    request.caller = { ...client, scopes };
    return request.caller;
  }
}, { name: 'auth' });

/** The authenticated caller of a route that used `app.authorize`. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error('route is missing app.authorize()');
  return request.caller;
}
