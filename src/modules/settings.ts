/** Server-wide secrets kept in the database so every node shares them. */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { settings } from '../db/schema.js';

/** The HMAC key that signs cursors; generated once, the same on every node. */
export async function cursorKey(db: Database): Promise<Buffer> {
  await db.insert(settings).values({ key: 'cursor_key', value: randomBytes(32).toString('base64') }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, 'cursor_key'));
  return Buffer.from(row!.value, 'base64');
}
