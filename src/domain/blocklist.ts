/** Blocklist snapshots: plain text, CSV, and DNS Response Policy Zones (RPZ). */
import ipaddr from 'ipaddr.js';

export const BLOCKLIST_TYPES = ['domain', 'ipv4', 'ipv6', 'url'] as const;
export const BLOCKLIST_FORMATS = ['txt', 'csv', 'rpz'] as const;
export type BlocklistType = (typeof BLOCKLIST_TYPES)[number];
export type BlocklistFormat = (typeof BLOCKLIST_FORMATS)[number];

/** RPZ owner name of an address trigger: prefix length then the address reversed (RFC draft-vixie-dnsop-dns-rpz). */
export function rpzIpOwner(address: string): string {
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') return `32.${address.split('.').reverse().join('.')}.rpz-ip`;
  // IPv6: 128 then the 16-bit groups reversed, the longest zero run written as "zz".
  const groups = (ip as ipaddr.IPv6).toNormalizedString().split(':').map((g) => parseInt(g, 16).toString(16));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') { i++; continue; }
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const labels = best.length > 1
    ? [...groups.slice(0, best.start), 'zz', ...groups.slice(best.start + best.length)]
    : groups;
  return `128.${labels.reverse().join('.')}.rpz-ip`;
}

export function toBlocklist(type: BlocklistType, format: BlocklistFormat, values: string[]): string {
  if (format === 'txt') return values.map((v) => v + '\n').join('');
  if (format === 'csv') return 'type,value\n' + values.map((v) => `${type},${/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v}\n`).join('');
  if (type === 'url') throw new Error('RPZ has no URL triggers');
  const lines = [
    '$TTL 300',
    '@ IN SOA localhost. hostmaster.localhost. ( 1 3600 600 86400 300 )',
    '@ IN NS localhost.',
  ];
  for (const v of values) {
    if (type === 'domain') lines.push(`${v} CNAME .`, `*.${v} CNAME .`);
    else lines.push(`${rpzIpOwner(v)} CNAME .`);
  }
  return lines.join('\n') + '\n';
}
