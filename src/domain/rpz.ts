/**
 * DNS Response Policy Zones (RPZ, draft-vixie-dnsop-dns-rpz): what a blocklist looks like to a
 * resolver. Pure code: triggers (owner names), policy actions, the SOA and the zone file text;
 * the zone transfers in src/modules/dns/ encode the same records on the wire.
 *
 * - A domain blocks itself and every name below it: `name` and `*.name`.
 * - An address or network is an `rpz-ip` trigger: the prefix length, then the address reversed
 *   (IPv4 octets; IPv6 16-bit words in hex, the longest run of two or more zero words written
 *   `zz`) — the canonical form BIND insists on, else it ignores the trigger.
 * - The action is the CNAME target: `.` answers NXDOMAIN, `*.` NODATA, and any other name a
 *   walled garden (the resolver answers with that name's records: a notice page).
 */
import ipaddr from 'ipaddr.js';

export const RPZ_POLICIES = ['nxdomain', 'nodata', 'walled_garden'] as const;
export type RpzPolicy = (typeof RPZ_POLICIES)[number];

/** Indicator types a zone can hold: names, and addresses or networks as rpz-ip triggers. */
export const RPZ_TYPES = ['domain', 'ipv4', 'ipv6', 'cidr'] as const;
export type RpzType = (typeof RPZ_TYPES)[number];

export interface RpzEntry { type: string; value: string }

/** A host name as a DNS name: lower case, no trailing dot, labels of 1–63 letters, digits, `-` or `_`. */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label));
}

/** The CNAME target that carries the policy. */
export function policyTarget(policy: RpzPolicy, noticeHost: string | undefined): string {
  if (policy === 'nxdomain') return '.';
  if (policy === 'nodata') return '*.';
  if (!noticeHost) throw new Error('the walled-garden policy needs a notice host');
  return `${noticeHost}.`;
}

/** Owner name of an address trigger for `address/prefix` (prefix defaults to the full length). */
export function rpzIpOwner(address: string, prefix?: number): string {
  const ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv4') {
    return `${prefix ?? 32}.${(ip as ipaddr.IPv4).octets.slice().reverse().join('.')}.rpz-ip`;
  }
  const words = (ip as ipaddr.IPv6).parts.map((w) => w.toString(16));
  // The longest run of zero words (two or more; the first of equal runs, as RFC 5952 and BIND do).
  let best = { start: -1, length: 1 };
  for (let i = 0; i < words.length;) {
    if (words[i] !== '0') { i++; continue; }
    let j = i;
    while (j < words.length && words[j] === '0') j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const labels = best.start >= 0
    ? [...words.slice(0, best.start), 'zz', ...words.slice(best.start + best.length)]
    : words;
  return `${prefix ?? 128}.${labels.reverse().join('.')}.rpz-ip`;
}

/** The owner names (relative to the zone's origin) that trigger the policy for one entry. */
export function rpzTriggers(entry: RpzEntry): string[] {
  switch (entry.type) {
    case 'domain': return [entry.value, `*.${entry.value}`];
    case 'ipv4':
    case 'ipv6': return [rpzIpOwner(entry.value)];
    case 'cidr': {
      const slash = entry.value.indexOf('/');
      return [rpzIpOwner(entry.value.slice(0, slash), Number(entry.value.slice(slash + 1)))];
    }
    default: throw new Error(`an RPZ has no trigger for ${entry.type}`);
  }
}

/** The apex of a zone: SOA fields and name servers (names without their trailing dot). */
export interface ZoneApex {
  origin: string;
  serial: number;
  /** SOA MNAME and the single NS record: RPZ zones need one, resolvers never query it. */
  nameServer: string;
  /** SOA RNAME: the hostmaster's mailbox as a name (`hostmaster.example.org`). */
  hostmaster: string;
  /** TTL of every record, and the SOA's negative-caching minimum. */
  ttl: number;
  /** How often a secondary polls without NOTIFY, how soon it retries, when it gives the zone up. */
  refresh: number;
  retry: number;
  expire: number;
}

export const DEFAULT_SOA_TIMERS = { refresh: 300, retry: 60, expire: 1_209_600 } as const;

/**
 * RFC 1982 serial arithmetic: whether `a` is newer than `b` (both 32-bit). A zone's serial must
 * only ever move forwards in this sense, or secondaries stop following it.
 */
export function serialNewer(a: number, b: number): boolean {
  return a !== b && ((a > b && a - b < 2 ** 31) || (a < b && b - a > 2 ** 31));
}

/**
 * A serial derived from a feed position (a 64-bit transaction id): its low 32 bits, which rise
 * with every transaction and wrap as RFC 1982 allows. When that is not newer than `previous`
 * (nothing was written since, yet the zone changed), the next serial after `previous`.
 */
export function serialFor(xid: string, previous?: number): number {
  const candidate = Number(BigInt(xid) & 0xffffffffn);
  if (previous === undefined || serialNewer(candidate, previous)) return candidate;
  return (previous + 1) % 2 ** 32;
}

/** The zone as master-file text (RFC 1035 §5), for named-checkzone and for loading as a file. */
export function rpzZoneText(apex: ZoneApex, target: string, entries: Iterable<RpzEntry>): string {
  const lines = [
    `$ORIGIN ${apex.origin}.`,
    `$TTL ${apex.ttl}`,
    `@ IN SOA ${apex.nameServer}. ${apex.hostmaster}. ( ${apex.serial} ${apex.refresh} ${apex.retry} ${apex.expire} ${apex.ttl} )`,
    `@ IN NS ${apex.nameServer}.`,
  ];
  for (const entry of entries) {
    for (const owner of rpzTriggers(entry)) lines.push(`${owner} CNAME ${target}`);
  }
  return lines.join('\n') + '\n';
}
