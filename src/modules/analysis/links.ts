/**
 * Keeping the link graph's stored links (src/domain/links.ts) in step with ingest: set-based, one
 * statement to clear the links of the indicators a batch changed and one insert per 20,000 links,
 * whatever the number of items. Called from storeBatch after its own statements.
 */
import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import { linksOf, type Linkable } from '../../domain/links.js';
import { pacer } from '../../domain/pace.js';

const LINKS_PER_STATEMENT = 20_000;

/** Writes the links of `written` (new and changed indicators); `changed` are the ids whose old links go first. */
export async function storeLinks(tx: Executor, written: ReadonlyArray<{ id: string; row: Linkable }>, changed: readonly string[]): Promise<void> {
  const pace = pacer();
  if (changed.length) await tx.execute(sql`delete from indicator_links where indicator_id = any(${pgArray(changed)}::uuid[])`);
  const columns = { ids: [] as string[], types: [] as string[], platforms: [] as string[], values: [] as string[], vias: [] as string[] };
  const flush = async () => {
    if (!columns.ids.length) return;
    await tx.execute(sql`insert into indicator_links (indicator_id, type, platform, value, via)
      select * from unnest(${pgArray(columns.ids)}::uuid[], ${pgArray(columns.types)}::text[], ${pgArray(columns.platforms)}::text[],
        ${pgArray(columns.values)}::text[], ${pgArray(columns.vias)}::text[])`);
    for (const list of Object.values(columns)) list.length = 0;
  };
  for (const { id, row } of written) {
    await pace();
    for (const link of linksOf(row)) {
      columns.ids.push(id); columns.types.push(link.type); columns.platforms.push(link.platform);
      columns.values.push(link.value); columns.vias.push(link.via);
    }
    if (columns.ids.length >= LINKS_PER_STATEMENT) await flush();
  }
  await flush();
}
