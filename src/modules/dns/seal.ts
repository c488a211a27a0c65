/**
 * TSIG secrets at rest. TSIG is an HMAC: verifying a request needs the shared secret itself, so
 * unlike client secrets it cannot be kept as a slow hash. It is sealed instead — AES-256-GCM,
 * the client id as associated data (a sealed secret copied to another client's row does not
 * open) — under a key that is not in the same table: TSIG_SEAL_KEY from the environment
 * (several, comma-separated, for rotation: the first seals, all open), or, when none is
 * configured, one generated at first use and kept in the settings table. Only the first keeps a
 * copy of the database from revealing the secrets; the README says so.
 *
 * Sealed form: `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url), the key id being the first
 * 8 bytes of the key's SHA-256, so a value names the key that opens it.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { settings } from '../../db/schema.js';

export interface SealKeys { keys: Buffer[] }

const keyId = (key: Buffer) => createHash('sha256').update(key).digest().subarray(0, 8).toString('base64url');

/** The configured keys, else the one kept in the database (created on first use). */
export async function loadSealKeys(db: Database, configured: Buffer[]): Promise<SealKeys> {
  if (configured.length) return { keys: configured };
  await db.insert(settings).values({ key: 'tsig_seal_key', value: randomBytes(32).toString('base64') }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'tsig_seal_key'));
  return { keys: [Buffer.from(row!.value, 'base64')] };
}

export function seal(keys: SealKeys, clientId: string, secret: Buffer): string {
  const key = keys.keys[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(clientId));
  const sealed = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ['v1', keyId(key), iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

/** The secret, or null when no key at hand opens it (or it was tampered with). */
export function unseal(keys: SealKeys, clientId: string, sealed: string): Buffer | null {
  const [version, id, iv, tag, body] = sealed.split('.');
  const key = keys.keys.find((k) => keyId(k) === id);
  if (version !== 'v1' || !key || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(clientId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  } catch {
    return null;
  }
}
