/** The warninglists in force: the lists shipped in data/warninglists plus entries admins added. */
import type { Database } from '../../db/client.js';
import { warninglistEntries } from '../../db/schema.js';
import { loadShippedWarninglists, WarninglistMatcher, type WarninglistAction } from '../../domain/warninglists.js';

export async function loadWarninglists(db: Database): Promise<WarninglistMatcher> {
  const matcher = new WarninglistMatcher(loadShippedWarninglists());
  const added = await db.select().from(warninglistEntries);
  const byList = new Map<string, { action: WarninglistAction; description: string; entries: string[] }>();
  for (const row of added) {
    const list = byList.get(row.list) ?? { action: row.action as WarninglistAction, description: row.description ?? 'added by administrators', entries: [] };
    list.entries.push(row.entry);
    byList.set(row.list, list);
  }
  for (const [name, list] of byList) matcher.add({ name, action: list.action, description: list.description }, list.entries);
  return matcher;
}
