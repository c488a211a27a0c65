/**
 * Warninglists: the false-positive guard (contract §3.5).
 *
 * National blocking platforms have blocked Cloudflare and Google Drive addresses by mistake, so
 * every submitted value is checked against curated lists — by exact value, by parent domain
 * (`drive.usercontent.google.com` matches `google.com`) and by IP range containment or overlap.
 * `reject` lists turn the item away; `flag` lists mark it as shared infrastructure.
 *
 * Pure code except `loadShippedWarninglists`. The matcher runs on 10,000-item batches, so it is
 * an index built once (and again, lazily, after an admin addition):
 * - domains: a Map from a hash of each domain entry to its hits; a host is hashed from its end,
 *   and at each dot the hash so far (that of a parent domain) is looked up, so the host and all
 *   its parents cost one pass with no substrings, read in place inside a URL or e-mail address;
 * - IP ranges: per family, the ranges of all lists cut into sorted, disjoint segments, each
 *   holding the most specific entry of every list covering it, stored as 32-bit words in typed
 *   arrays (1 word for IPv4, 4 for IPv6) and searched by binary search. Values are parsed into
 *   a reused scratch array.
 * A lookup allocates only its answer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { projectRoot } from '../paths.js';
import { normaliseDomain } from './normalise.js';
import type { IndicatorType } from './types.js';

export type WarninglistAction = 'reject' | 'flag';

export interface Warninglist {
  name: string;
  description: string;
  action: WarninglistAction;
  /** Where the data comes from, with the date it was known. */
  sources: string[];
  /** Domains (a domain also covers its subdomains), IP addresses and CIDR networks, mixed. */
  entries: string[];
}

export interface WarninglistHit {
  list: string;
  action: WarninglistAction;
  /** The list entry that matched, in its normal form. */
  entry: string;
}

export type WarninglistEntryKind = 'domain' | 'ip' | 'cidr';

// ---------------------------------------------------------------------------------------------
// Entries

const LIST_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ACTIONS: ReadonlySet<string> = new Set<WarninglistAction>(['reject', 'flag']);
const PREFIX_SYNTAX = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Validates one list entry and returns its normal form (the form values are normalised to:
 * lower-case A-label domains, RFC 5952 IPv6, `network/prefix` CIDRs), or null when it is not a
 * domain, an IP address or a CIDR network. A CIDR with host bits set (10.1.2.3/8) is refused
 * rather than silently widened.
 */
export function parseWarninglistEntry(entry: string): { kind: WarninglistEntryKind; normal: string } | null {
  const text = entry.trim();
  if (text === '' || text.includes('%')) return null; // no IPv6 zone ids, no percent-escapes
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const address = parseIpLiteral(text.slice(0, slash));
    const prefixText = text.slice(slash + 1);
    if (address === null || !PREFIX_SYNTAX.test(prefixText)) return null;
    const prefix = Number(prefixText);
    if (prefix > (address.kind() === 'ipv4' ? 32 : 128)) return null;
    if (networkOf(address, prefix).toString() !== address.toString()) return null;
    return { kind: 'cidr', normal: `${address.toString()}/${prefix}` };
  }
  const address = parseIpLiteral(text);
  if (address !== null) return { kind: 'ip', normal: address.toString() };
  const domain = normaliseDomain(text);
  return domain === null ? null : { kind: 'domain', normal: domain };
}

/** Dotted-decimal IPv4 (no octal, hex or short forms) or IPv6. */
function parseIpLiteral(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes(':') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
}

// ---------------------------------------------------------------------------------------------
// Matcher

interface ListState {
  name: string;
  action: WarninglistAction;
  description: string;
  sources: string[];
  /** Normal form → kind; insertion-ordered, duplicates collapse. */
  entries: Map<string, WarninglistEntryKind>;
}

/** Hits in answer order, with the rank (position in answer order) of each hit's list alongside. */
interface RankedHits {
  hits: WarninglistHit[];
  ranks: number[];
}

/** The index built from the lists; replaced as a whole when the lists change. */
interface Index {
  /** Domain entries by `suffixHash` (collisions are told apart by comparing the text). */
  domains: ReadonlyMap<number, ReadonlyArray<{ domain: string } & RankedHits>>;
  v4: RangeIndex;
  v6: RangeIndex;
  /** Scratch for one lookup: the hit chosen so far for each list, by rank. Left all-undefined. */
  best: Array<WarninglistHit | undefined>;
}

export class WarninglistMatcher {
  readonly #lists = new Map<string, ListState>();
  #index: Index | null = null;

  constructor(lists: Warninglist[]) {
    for (const list of lists) {
      if (this.#lists.has(list.name)) throw new Error(`warninglist ${JSON.stringify(list.name)} is given twice`);
      this.add(list, list.entries);
    }
  }

  /**
   * Adds entries to a list, creating the list if it is new. All entries are validated before any
   * is added, so a bad entry changes nothing. Adding to an existing list keeps its description.
   */
  add(list: Pick<Warninglist, 'name' | 'action' | 'description'> & { sources?: string[] }, entries: string[]): void {
    const { name, action } = list;
    if (!LIST_NAME.test(name)) {
      throw new Error(`warninglist name ${JSON.stringify(name)} must be lower-case letters, digits and "-" (at most 64)`);
    }
    if (!ACTIONS.has(action)) throw new Error(`warninglist ${name}: action must be "reject" or "flag", not ${JSON.stringify(action)}`);
    const existing = this.#lists.get(name);
    if (existing !== undefined && existing.action !== action) {
      throw new Error(`warninglist ${name} is a ${existing.action} list; entries cannot be added to it as ${action}`);
    }

    const parsed = entries.map((entry) => {
      const result = typeof entry === 'string' ? parseWarninglistEntry(entry) : null;
      if (result === null) {
        throw new Error(`warninglist ${name}: ${JSON.stringify(entry)} is not a domain, an IP address or a CIDR network (address/prefix with no host bits set)`);
      }
      return result;
    });

    const state: ListState = existing ?? { name, action, description: list.description, sources: [], entries: new Map() };
    for (const source of list.sources ?? []) if (!state.sources.includes(source)) state.sources.push(source);
    for (const { kind, normal } of parsed) state.entries.set(normal, kind);
    this.#lists.set(name, state);
    this.#index = null; // rebuilt on the next match, so a bulk load of many additions builds once
  }

  /**
   * The lists a normalised value matches: at most one hit per list, reject lists first, then in
   * the order the lists were given. A list's hit is its most specific entry: the nearest parent
   * domain, the smallest range containing an address, and for a network the most specific
   * range at the lowest overlapping address. Types without a host or an address (asn, iban, …)
   * match nothing.
   */
  match(type: IndicatorType, value: string): WarninglistHit[] {
    const index = (this.#index ??= this.#build());
    switch (type) {
      case 'domain':
        return matchHost(index, value, 0, value.length);
      case 'email':
        return matchHost(index, value, value.lastIndexOf('@') + 1, value.length);
      case 'url':
        return matchUrl(index, value);
      case 'ipv4':
      case 'ipv6':
        return matchAddress(index, value, 0, value.length);
      case 'cidr':
        return matchNetwork(index, value);
      default:
        return [];
    }
  }

  /** The lists in answer order, with their number of entries. */
  lists(): Array<{ name: string; action: WarninglistAction; description: string; sources: string[]; entries: number }> {
    return this.#ranked().map((l) => ({
      name: l.name, action: l.action, description: l.description, sources: [...l.sources], entries: l.entries.size,
    }));
  }

  #ranked(): ListState[] {
    const all = [...this.#lists.values()];
    return [...all.filter((l) => l.action === 'reject'), ...all.filter((l) => l.action === 'flag')];
  }

  #build(): Index {
    const ranked = this.#ranked();
    const domains = new Map<number, Array<{ domain: string } & RankedHits>>();
    const v4: RangeEntry[] = [];
    const v6: RangeEntry[] = [];
    ranked.forEach((list, rank) => {
      for (const [entry, kind] of list.entries) {
        // Shared by every answer that reports it, so frozen.
        const hit: WarninglistHit = Object.freeze({ list: list.name, action: list.action, entry });
        if (kind === 'domain') {
          const hash = suffixHash(entry, 0, entry.length);
          const slots = domains.get(hash) ?? [];
          const slot = slots.find((s) => s.domain === entry);
          // Lists are visited in rank order, so each slot's hits are already in answer order.
          if (slot === undefined) {
            slots.push({ domain: entry, hits: [hit], ranks: [rank] });
            domains.set(hash, slots);
          } else {
            slot.hits.push(hit);
            slot.ranks.push(rank);
          }
        } else {
          const range = rangeOf(entry);
          (range.v4 ? v4 : v6).push({ start: range.start, end: range.end, rank, hit });
        }
      }
    });
    return { domains, v4: buildRangeIndex(v4, 1), v6: buildRangeIndex(v6, 4), best: ranked.map(() => undefined) };
  }
}

/** Moves the chosen hits out of the scratch array, in rank order, leaving it all-undefined. */
function collectBest(best: Array<WarninglistHit | undefined>): WarninglistHit[] {
  const result: WarninglistHit[] = [];
  for (let rank = 0; rank < best.length; rank++) {
    const hit = best[rank];
    if (hit !== undefined) {
      result.push(hit);
      best[rank] = undefined;
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Domain matching
//
// A host is read from its last character to its first, hashing as it goes; at each label
// boundary the hash so far is that of a parent domain (c, b.c, a.b.c), looked up in the table.
// No substring is made, and a value inside a URL or an e-mail address is read in place.

const DOT = 0x2e;

function lowerAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** Hash of text[from, to), read backwards, case-folded; 30 bits so it stays a small integer. */
function suffixHash(text: string, from: number, to: number): number {
  let hash = 0;
  for (let i = to - 1; i >= from; i--) hash = (Math.imul(hash, 31) + lowerAscii(text.charCodeAt(i))) & 0x3fffffff;
  return hash;
}

/** Hits for the host text[from, to) and its parent domains; the nearest entry of each list wins. */
function matchHost(index: Index, text: string, from: number, to: number): WarninglistHit[] {
  if (to > from && text.charCodeAt(to - 1) === DOT) to--; // fully-qualified form
  const best = index.best;
  let found = false;
  let hash = 0;
  for (let i = to - 1; ; i--) {
    if (i < from || text.charCodeAt(i) === DOT) {
      // text[i + 1, to) is the host or one of its parents; shorter ones were seen first.
      const slots = index.domains.get(hash);
      if (slots !== undefined) {
        for (const slot of slots) {
          if (slot.domain.length === to - i - 1 && regionEquals(text, i + 1, slot.domain)) {
            for (let k = 0; k < slot.hits.length; k++) best[slot.ranks[k] as number] = slot.hits[k];
            found = true;
          }
        }
      }
      if (i < from) break;
    }
    hash = (Math.imul(hash, 31) + lowerAscii(text.charCodeAt(i))) & 0x3fffffff;
  }
  return found ? collectBest(best) : [];
}

/** text at `at` equals `domain` (lower-case), ignoring ASCII case in text. */
function regionEquals(text: string, at: number, domain: string): boolean {
  for (let k = 0; k < domain.length; k++) {
    if (lowerAscii(text.charCodeAt(at + k)) !== domain.charCodeAt(k)) return false;
  }
  return true;
}

/** Matches the host of an http(s) URL, read in place without building a URL object. */
function matchUrl(index: Index, url: string): WarninglistHit[] {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return [];
  let start = schemeEnd + 3;
  let end = start;
  for (; end < url.length; end++) {
    const c = url.charCodeAt(end);
    if (c === 0x2f /* / */ || c === 0x3f /* ? */ || c === 0x23 /* # */ || c === 0x5c /* \ */) break;
  }
  for (let i = end - 1; i >= start; i--) {
    if (url.charCodeAt(i) === 0x40 /* @ */) {
      start = i + 1; // skip userinfo
      break;
    }
  }
  if (url.charCodeAt(start) === 0x5b /* [ */) {
    const close = url.indexOf(']', start);
    return close < 0 || close > end ? [] : matchAddress(index, url, start + 1, close);
  }
  let hostEnd = end;
  for (let i = end - 1; i >= start; i--) {
    if (url.charCodeAt(i) === 0x3a /* : */) {
      hostEnd = i; // drop the port
      break;
    }
  }
  const v4 = parseIpv4(url, start, hostEnd);
  if (v4 >= 0) {
    SCRATCH_A[0] = v4;
    return index.v4.point(SCRATCH_A);
  }
  return matchHost(index, url, start, hostEnd);
}

// ---------------------------------------------------------------------------------------------
// IP matching

/** Scratch words for the value being looked up (one address, or a network's first and last). */
const SCRATCH_A = new Uint32Array(4);
const SCRATCH_B = new Uint32Array(4);

function matchAddress(index: Index, text: string, from: number, to: number): WarninglistHit[] {
  const v4 = parseIpv4(text, from, to);
  if (v4 >= 0) {
    SCRATCH_A[0] = v4;
    return index.v4.point(SCRATCH_A);
  }
  return parseIpv6(text, from, to, SCRATCH_A) ? index.v6.point(SCRATCH_A) : [];
}

function matchNetwork(index: Index, text: string): WarninglistHit[] {
  const slash = text.indexOf('/');
  if (slash < 0) return matchAddress(index, text, 0, text.length);
  const prefix = parsePrefix(text, slash + 1);
  const v4 = prefix >= 0 && prefix <= 32 ? parseIpv4(text, 0, slash) : -1;
  let range: RangeIndex;
  if (v4 >= 0) {
    SCRATCH_A[0] = v4;
    range = index.v4;
  } else if (prefix >= 0 && prefix <= 128 && parseIpv6(text, 0, slash, SCRATCH_A)) {
    range = index.v6;
  } else {
    return [];
  }
  // First and last address of the network, word by word.
  for (let w = 0; w < range.words; w++) {
    const bits = prefix - 32 * w;
    const mask = bits >= 32 ? 0xffffffff : bits <= 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    const word = SCRATCH_A[w] as number;
    SCRATCH_A[w] = (word & mask) >>> 0;
    SCRATCH_B[w] = (word | ~mask) >>> 0;
  }
  return range.overlapping(SCRATCH_A, SCRATCH_B, index.best);
}

/** Decimal prefix length from `from` to the end, or -1. */
function parsePrefix(text: string, from: number): number {
  if (from >= text.length || text.length - from > 3) return -1;
  let n = 0;
  for (let i = from; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** Strict dotted-decimal IPv4 in text[from, to) as a number, or -1 when it is not one. */
function parseIpv4(text: string, from: number, to: number): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3 || (digits === 1 && octet === 0)) return -1; // no leading zeros
      octet = octet * 10 + d;
      if (octet > 255) return -1;
      digits++;
    }
  }
  return digits === 0 || dots !== 3 ? -1 : value * 256 + octet;
}

const GROUPS = new Uint16Array(8);

/**
 * IPv6 in text[from, to) (with `::` and an optional dotted IPv4 tail) into out[0..3]; false
 * when it is not one. Values arrive in RFC 5952 form, but any valid spelling is read.
 */
function parseIpv6(text: string, from: number, to: number, out: Uint32Array): boolean {
  if (to - from < 2) return false;
  let count = 0; // groups written into GROUPS
  let gap = -1; // index in GROUPS where '::' stands
  let i = from;
  if (text.charCodeAt(i) === 0x3a) {
    if (text.charCodeAt(i + 1) !== 0x3a) return false;
    gap = 0;
    i += 2;
    if (i === to) return packIpv6(out, count, gap);
  }
  for (;;) {
    // One group: up to 4 hex digits, or a dotted IPv4 tail.
    let value = 0;
    let digits = 0;
    const groupStart = i;
    for (; i < to && digits <= 4; i++, digits++) {
      const c = text.charCodeAt(i);
      const h = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (h < 0) break;
      value = value * 16 + h;
    }
    if (i < to && text.charCodeAt(i) === DOT) {
      const v4 = count <= 6 ? parseIpv4(text, groupStart, to) : -1;
      if (v4 < 0) return false;
      GROUPS[count++] = v4 >>> 16;
      GROUPS[count++] = v4 & 0xffff;
      return packIpv6(out, count, gap);
    }
    if (digits === 0 || digits > 4 || count === 8) return false;
    GROUPS[count++] = value;
    if (i === to) return packIpv6(out, count, gap);
    if (text.charCodeAt(i) !== 0x3a) return false;
    i++;
    if (i < to && text.charCodeAt(i) === 0x3a) {
      if (gap >= 0) return false; // a second '::'
      gap = count;
      i++;
      if (i === to) return packIpv6(out, count, gap);
    } else if (i === to) {
      return false; // trailing single ':'
    }
  }
}

/** Expands the '::' gap and packs the 8 groups into 4 words. */
function packIpv6(out: Uint32Array, count: number, gap: number): boolean {
  if (gap < 0 ? count !== 8 : count > 7) return false;
  const missing = 8 - count;
  for (let g = 0; g < 8; g += 2) out[g / 2] = (groupAt(g, gap, missing) * 0x10000 + groupAt(g + 1, gap, missing)) >>> 0;
  return true;
}

function groupAt(g: number, gap: number, missing: number): number {
  if (gap < 0 || g < gap) return GROUPS[g] as number;
  return g < gap + missing ? 0 : (GROUPS[g - missing] as number);
}

// ---------------------------------------------------------------------------------------------
// Range index

interface RangeEntry {
  start: bigint;
  end: bigint;
  rank: number;
  hit: WarninglistHit;
}

function rangeOf(entry: string): { v4: boolean; start: bigint; end: bigint } {
  const slash = entry.indexOf('/');
  const address = ipaddr.parse(slash < 0 ? entry : entry.slice(0, slash));
  const bits = address.kind() === 'ipv4' ? 32 : 128;
  const prefix = slash < 0 ? bits : Number(entry.slice(slash + 1));
  let start = 0n;
  for (const byte of address.toByteArray()) start = (start << 8n) | BigInt(byte);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  return { v4: bits === 32, start, end: start | hostMask };
}

/**
 * Disjoint segments, sorted, each with the hits of every list covering it (the smallest covering
 * range of each list, in rank order). Addresses are `words` 32-bit words, most significant first.
 */
class RangeIndex {
  constructor(
    readonly words: number,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    private readonly segments: readonly RankedHits[],
    /** How many lists have ranges here: an overlap search can stop once it has a hit from each. */
    private readonly listCount: number,
  ) {}

  point(address: Uint32Array): WarninglistHit[] {
    // The last segment starting at or before the address; a hit if it also ends at or after it.
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.starts, mid, address, this.words) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && compare(this.ends, found, address, this.words) >= 0 ? (this.segments[found] as RankedHits).hits.slice() : [];
  }

  /** Hits of the segments overlapping [first, last]: one per list, from the lowest such segment. */
  overlapping(first: Uint32Array, last: Uint32Array, best: Array<WarninglistHit | undefined>): WarninglistHit[] {
    // The first segment ending at or after `first` (ends are sorted too, segments being disjoint).
    let lo = 0;
    let hi = this.segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.ends, mid, first, this.words) < 0) lo = mid + 1;
      else hi = mid;
    }
    let found = 0;
    for (let i = lo; i < this.segments.length && found < this.listCount && compare(this.starts, i, last, this.words) <= 0; i++) {
      const { hits, ranks } = this.segments[i] as RankedHits;
      for (let k = 0; k < hits.length; k++) {
        const rank = ranks[k] as number;
        if (best[rank] === undefined) {
          best[rank] = hits[k];
          found++;
        }
      }
    }
    return found > 0 ? collectBest(best) : [];
  }
}

/** Compares segment i of `table` with `address`, word by word. */
function compare(table: Uint32Array, i: number, address: Uint32Array, words: number): number {
  const base = i * words;
  for (let w = 0; w < words; w++) {
    const a = table[base + w] as number;
    const b = address[w] as number;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/**
 * Sweeps the boundaries of all ranges: between two consecutive boundaries the set of covering
 * ranges is constant, so each such stretch becomes a segment (merged with its neighbour when the
 * hits are the same). Ranges of one list nest or are disjoint (CIDR), so "smallest covering" is
 * the most specific entry.
 */
function buildRangeIndex(ranges: RangeEntry[], words: number): RangeIndex {
  const points = [...new Set(ranges.flatMap((r) => [r.start, r.end + 1n]))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const byStart = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const segments: Array<{ start: bigint; end: bigint } & RankedHits> = [];
  let active: RangeEntry[] = [];
  let next = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const start = points[k] as bigint;
    const end = (points[k + 1] as bigint) - 1n;
    active = active.filter((r) => r.end >= start);
    while (next < byStart.length && (byStart[next] as RangeEntry).start <= start) active.push(byStart[next++] as RangeEntry);
    if (active.length === 0) continue;

    const best = new Map<number, RangeEntry>(); // rank → smallest covering range of that list
    for (const r of active) {
      const current = best.get(r.rank);
      if (current === undefined || r.end - r.start < current.end - current.start) best.set(r.rank, r);
    }
    const chosen = [...best.values()].sort((a, b) => a.rank - b.rank);
    const hits = chosen.map((r) => r.hit);

    const previous = segments[segments.length - 1];
    if (previous !== undefined && previous.end + 1n === start && sameHits(previous.hits, hits)) previous.end = end;
    else segments.push({ start, end, hits, ranks: chosen.map((r) => r.rank) });
  }

  const starts = new Uint32Array(segments.length * words);
  const ends = new Uint32Array(segments.length * words);
  segments.forEach((segment, i) => {
    for (let w = 0; w < words; w++) {
      const shift = BigInt(32 * (words - 1 - w));
      starts[i * words + w] = Number((segment.start >> shift) & 0xffffffffn);
      ends[i * words + w] = Number((segment.end >> shift) & 0xffffffffn);
    }
  });
  const listCount = new Set(ranges.map((r) => r.rank)).size;
  return new RangeIndex(words, starts, ends, segments, listCount);
}

function sameHits(a: readonly WarninglistHit[], b: readonly WarninglistHit[]): boolean {
  return a.length === b.length && a.every((hit, i) => hit === b[i]);
}

// ---------------------------------------------------------------------------------------------
// Shipped lists

/** The lists in data/warninglists/ (one JSON file per list, named after it), in file-name order. */
export function loadShippedWarninglists(dir: URL = new URL('data/warninglists/', projectRoot)): Warninglist[] {
  const folder = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => parseWarninglistFile(file, readFileSync(new URL(file, folder), 'utf8')));
}

function parseWarninglistFile(file: string, text: string): Warninglist {
  const bad = (why: string): Error => new Error(`warninglist file ${file}: ${why}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw bad(`not valid JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null) throw bad('must hold a JSON object');
  const { name, description, action, sources, entries } = data as Record<string, unknown>;
  if (typeof name !== 'string' || `${name}.json` !== file) throw bad('"name" must be the file name without .json');
  if (typeof description !== 'string' || description === '') throw bad('"description" must be a non-empty string');
  if (action !== 'reject' && action !== 'flag') throw bad('"action" must be "reject" or "flag"');
  const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (!isStrings(sources) || sources.length === 0) throw bad('"sources" must be a non-empty array of strings');
  if (!isStrings(entries)) throw bad('"entries" must be an array of strings');
  return { name, description, action, sources, entries };
}
