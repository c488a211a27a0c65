/**
 * Token signing keys. Configured keys (SIGNING_KEYS) win; otherwise keys are generated on
 * first start and kept in the database, so every node signs and verifies with the same set.
 * The newest active key signs; every known key verifies (rotation).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { isNull, desc } from 'drizzle-orm';
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

export async function loadKeyRing(db: Database, configured: string[]): Promise<KeyRing> {
  if (configured.length > 0) return ring(configured.map(describeKey));
  const stored = await db.select().from(signingKeys).orderBy(desc(signingKeys.createdAt));
  const active = stored.filter((k) => k.retiredAt === null);
  if (active.length === 0) {
    const key = describeKey(generatePrivateKeyPem());
    // Two nodes starting together may both try; the primary key keeps one of each.
    await db.insert(signingKeys).values({ kid: key.kid, alg: key.alg, privateKeyPem: key.privatePem }).onConflictDoNothing();
    const again = await db.select().from(signingKeys).where(isNull(signingKeys.retiredAt)).orderBy(desc(signingKeys.createdAt));
    return ring(again.map((k) => describeKey(k.privateKeyPem)));
  }
  return ring([...active, ...stored.filter((k) => k.retiredAt !== null)].map((k) => describeKey(k.privateKeyPem)));
}
