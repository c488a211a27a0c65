/**
 * Token signing keys. Configured keys (SIGNING_KEYS) win; otherwise keys are generated on
 * first start and kept in the database, so every node signs and verifies with the same set.
 * The newest active key signs; every known key verifies (rotation).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { signingKeys } from '../../db/schema.js';

export interface SigningKey {
  kid: string;
  alg: 'ES256' | 'EdDSA';
  privatePem: string;
  publicPem: string;
  publicJwk: Record<string, unknown>;
}

export interface KeyRing {
  signing: SigningKey;
  byKid: Map<string, SigningKey>;
  jwks: { keys: Array<Record<string, unknown>> };
}

function algOf(key: KeyObject): 'ES256' | 'EdDSA' {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error('signing keys must be P-256 (ES256) or Ed25519 (EdDSA)');
}

export function describeKey(privatePem: string): SigningKey {
  const privateKey = createPrivateKey(privatePem);
  const publicKey = createPublicKey(privateKey);
  const alg = algOf(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  // RFC 7638 thumbprint as kid: stable, and the same on every node.
  const members = alg === 'ES256'
    ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
    : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  const kid = createHash('sha256').update(JSON.stringify(members)).digest('base64url');
  return {
    kid, alg, privatePem,
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicJwk: { ...jwk, kid, alg, use: 'sig' },
  };
}

export function generatePrivateKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

function ring(keys: SigningKey[]): KeyRing {
  const [signing] = keys;
  if (!signing) throw new Error('no signing key');
  return {
    signing,
    byKid: new Map(keys.map((k) => [k.kid, k])),
    jwks: { keys: keys.map((k) => k.publicJwk) },
  };
}

/**
 * The key ring in force: configured keys, or the active keys in the database (generated on
 * first start). The newest active key signs; every active key verifies. Retiring a key
 * (`retireSigningKey`) stops it verifying once nodes reload their ring.
 */
export async function loadKeyRing(db: Database, configured: string[]): Promise<KeyRing> {
  if (configured.length > 0) return ring(configured.map(describeKey));
  const active = () => db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt));
  let stored = await active();
  if (stored.length === 0) {
    // Two nodes starting together may both try; the primary key keeps each one once.
    const key = describeKey(generatePrivateKeyPem());
    await db.insert(signingKeys).values({ kid: key.kid, alg: key.alg, privateKeyPem: key.privatePem }).onConflictDoNothing();
    stored = await active();
  }
  return ring(stored.map((k) => describeKey(k.privateKeyPem)));
}

/** Rotation, step 1: a new key that signs from the next start of each node; the old ones keep verifying. */
export async function addSigningKey(db: Database): Promise<string> {
  const key = describeKey(generatePrivateKeyPem());
  // created_at orders the ring; make the new key strictly the newest even within one clock tick.
  await db.insert(signingKeys).values({ kid: key.kid, alg: key.alg, privateKeyPem: key.privatePem, createdAt: sql`clock_timestamp()` as never });
  return key.kid;
}

/** Rotation, step 2 (after the longest token lifetime): the old key stops verifying. */
export async function retireSigningKey(db: Database, kid: string): Promise<boolean> {
  const [remaining] = await db.select({ n: sql<number>`count(*)::int` }).from(signingKeys).where(and(isNull(signingKeys.retiredAt), ne(signingKeys.kid, kid)));
  if (!remaining || remaining.n === 0) throw new Error('refusing to retire the last active signing key');
  const retired = await db.update(signingKeys).set({ retiredAt: sql`now()` as never })
    .where(and(eq(signingKeys.kid, kid), isNull(signingKeys.retiredAt))).returning({ kid: signingKeys.kid });
  return retired.length > 0;
}
