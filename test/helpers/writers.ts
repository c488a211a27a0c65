/** Writers whose transactions stay open as long as a test says: commits in another order than they started. */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../src/db/client.js';
import { prepareBatch, storeBatch } from '../../src/modules/indicators/ingest.js';

/**
 * A writer for `orgId`: stores one domain in a transaction that calls `started` once written and
 * commits when `hold` resolves; resolves to the indicator's id.
 */
export function heldWriter(app: FastifyInstance, database: DatabaseHandle, orgId: string) {
  return async (value: string, hold: Promise<void>, started?: () => void): Promise<string> => {
    let id = '';
    await database.db.transaction(async (tx) => {
      const batch = await prepareBatch(tx as never, [{ type: 'domain', value }], undefined, app.warninglists, Date.now(), { orgId, orgKind: 'partner' });
      await storeBatch(tx as never, orgId, batch, Date.now());
      id = batch.results[0]!.id!;
      started?.();
      await hold;
    });
    return id;
  };
}
