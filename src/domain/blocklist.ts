/** Blocklist snapshots: plain text, CSV, and DNS Response Policy Zones (see rpz.ts). */
export const BLOCKLIST_TYPES = ['domain', 'ipv4', 'ipv6', 'url'] as const;
export const BLOCKLIST_FORMATS = ['txt', 'csv', 'rpz'] as const;
export type BlocklistType = (typeof BLOCKLIST_TYPES)[number];
export type BlocklistFormat = (typeof BLOCKLIST_FORMATS)[number];

/** One line of a blocklist: an IP blocklist carries `cidr` networks of its family besides addresses. */
export interface BlocklistEntry { type: string; value: string }

export function toBlocklist(format: Exclude<BlocklistFormat, 'rpz'>, entries: BlocklistEntry[]): string {
  if (format === 'txt') return entries.map((e) => e.value + '\n').join('');
  return 'type,value\n' + entries.map((e) => `${e.type},${/[",\n\r]/.test(e.value) ? `"${e.value.replace(/"/g, '""')}"` : e.value}\n`).join('');
}
