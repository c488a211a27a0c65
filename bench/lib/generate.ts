/**
 * The data generator: organisations, sharing groups and indicators that look like what the
 * exchange will really carry. Deterministic: everything comes from (seed, index).
 *
 * Indicators: all 13 types with valid, normalisable values; a realistic handling mix (TLP,
 * PAP, default and explicit audiences, RED to named orgs or groups, exclusions, anonymous
 * sources, grading, validity windows, references, evidence, relations). Values avoid the
 * warninglists except for a small share of shared-infrastructure hits (a file on Google Drive,
 * a shortened link, a Cloudflare address), as real submissions have.
 */
import { createHash } from 'node:crypto';
import { loadShippedWarninglists, WarninglistMatcher } from '../../src/domain/warninglists.js';
import { Rng } from './rng.js';

export type Kind = 'partner' | 'agency' | 'intermediary';

export interface OrgSpec { name: string; kind: Kind; country: string; sectors?: string[] }
export interface FleetOrg extends OrgSpec { id: string }
export interface FleetGroup { id: string; name: string; members: string[] }
/** What the generator needs to know about the organisations that exist. */
export interface Directory {
  partners: FleetOrg[];
  agencies: FleetOrg[];
  intermediaries: FleetOrg[];
  groups: FleetGroup[];
}

const COUNTRIES: ReadonlyArray<readonly [string, number]> = [
  ['FR', 12], ['DE', 10], ['ES', 9], ['IT', 9], ['GB', 9], ['NL', 5], ['BE', 4], ['PT', 4], ['PL', 4], ['SE', 3],
  ['DK', 2], ['FI', 2], ['AT', 3], ['CH', 2], ['IE', 2], ['GR', 2], ['RO', 2], ['CZ', 2], ['HU', 1], ['US', 8],
  ['CA', 2], ['BR', 3], ['MX', 2], ['AR', 1], ['IN', 2], ['SG', 1], ['JP', 2], ['KR', 1], ['AU', 2], ['ZA', 1],
];
const SECTORS = ['film_tv', 'music', 'live_sports', 'software', 'publishing', 'games'] as const;

const PARTNER_WORDS = ['Studios', 'Pictures', 'Records', 'Media', 'Sports League', 'Broadcasting', 'Games', 'Publishing', 'Software', 'Music Group', 'Entertainment', 'Rights Alliance'];
const AGENCY_WORDS = ['Cybercrime Unit', 'IP Crime Unit', 'Police Cyber Division', 'Customs Enforcement', 'Prosecutor IP Office', 'Audiovisual Regulator', 'Financial Crime Unit'];
const INTERMEDIARY_WORDS = ['Telecom', 'Broadband', 'Registrar', 'Hosting', 'Payments', 'Ad Exchange', 'Cloud', 'Mobile'];
const NAME_STEMS = ['Aurora', 'Boreal', 'Castell', 'Delta', 'Eiffel', 'Fjord', 'Granite', 'Helios', 'Iberia', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nordic', 'Orion', 'Pioneer', 'Quartz', 'Riviera', 'Sierra', 'Tundra', 'Umbra', 'Vertex', 'Willow', 'Xenon', 'Yarrow', 'Zenith'];

/** The organisations to create: partners (rights holders), agencies and intermediaries. */
export function orgSpecs(seed: number, count: number): OrgSpec[] {
  const out: OrgSpec[] = [];
  for (let i = 0; i < count; i++) {
    const r = new Rng(seed ^ 0x0a0a, i);
    const kind: Kind = i % 20 < 9 ? 'partner' : i % 20 < 15 ? 'agency' : 'intermediary';
    const country = r.weighted(COUNTRIES);
    const words = kind === 'partner' ? PARTNER_WORDS : kind === 'agency' ? AGENCY_WORDS : INTERMEDIARY_WORDS;
    const name = `${r.pick(NAME_STEMS)} ${r.pick(words)} ${country} ${i}`;
    const spec: OrgSpec = { name, kind, country };
    if (kind === 'partner') spec.sectors = r.sample(SECTORS, r.int(1, 2));
    out.push(spec);
  }
  return out;
}

/** Sharing groups: national task forces and sector coalitions, 5–40 members each. */
export function groupSpecs(seed: number, orgs: FleetOrg[], count: number): Array<{ name: string; members: string[] }> {
  const out: Array<{ name: string; members: string[] }> = [];
  for (let g = 0; g < count; g++) {
    const r = new Rng(seed ^ 0x0b0b, g);
    const members = r.sample(orgs, r.int(5, 40)).map((o) => o.id);
    out.push({ name: `${r.pick(NAME_STEMS)} task force ${g}`, members });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Observable values

const WORDS = ['stream', 'live', 'sport', 'tv', 'iptv', 'hd', 'watch', 'free', 'cine', 'film', 'serie', 'match', 'goal',
  'kick', 'anime', 'manga', 'torrent', 'movies', 'flix', 'play', 'box', 'zone', 'hub', 'cast', 'plus', 'max', 'king',
  'pro', 'world', 'fast', 'ultra', 'premium', 'direct', 'online', 'mega', 'super', 'star', 'arena', 'pitch', 'replay'];
const TLDS = ['com', 'net', 'org', 'to', 'cc', 'tv', 'io', 'me', 'xyz', 'live', 'stream', 'site', 'online', 'top', 'club',
  'info', 'biz', 'ws', 'su', 'ru', 'fr', 'de', 'es', 'it', 'nl', 'pt', 'co.uk', 'com.br', 'in', 'icu', 'lol', 'vip', 'win', 'one'];
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const matcher = new WarninglistMatcher(loadShippedWarninglists());

/** /16 networks of hosting-heavy IPv4 space that no warninglist touches. */
const SAFE_V4_16: string[] = (() => {
  const firsts = [5, 31, 37, 45, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 91, 93, 94, 109, 128, 130, 136,
    138, 144, 149, 159, 164, 176, 178, 185, 188, 193, 194, 195, 212, 213, 217];
  const out: string[] = [];
  for (const a of firsts) for (let b = 0; b < 256; b++) {
    if (matcher.match('cidr', `${a}.${b}.0.0/16`).length === 0) out.push(`${a}.${b}`);
  }
  return out;
})();
const V6_PREFIXES = ['2a01:4f8', '2a01:4f9', '2a03:b0c0', '2604:a880', '2a02:c207', '2001:41d0', '2a0e:97c0', '2a12:a300']
  .filter((p) => matcher.match('cidr', `${p}::/32`).length === 0);

const b36 = (n: number) => n.toString(36);

function base58(bytes: Uint8Array): string {
  let digits = [0];
  for (const byte of bytes) {
    let carry = byte;
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j]! << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) { digits.push(carry % 58); carry = (carry / 58) | 0; }
  }
  let out = '';
  for (const byte of bytes) { if (byte === 0) out += '1'; else break; }
  for (let k = digits.length - 1; k >= 0; k--) out += BASE58[digits[k]!];
  return out;
}

function base58check(version: number, payload: Buffer): string {
  const body = Buffer.concat([Buffer.from([version]), payload]);
  const check = createHash('sha256').update(createHash('sha256').update(body).digest()).digest().subarray(0, 4);
  return base58(Buffer.concat([body, check]));
}

const seedBytes = (i: number, salt: string, length: number) => createHash('sha256').update(`${salt}:${i}`).digest().subarray(0, length);

function ibanFor(country: 'DE' | 'LT' | 'AT', r: Rng): string {
  const bban = country === 'DE' ? r.chars('0123456789', 18) : country === 'LT' ? r.chars('0123456789', 16) : r.chars('0123456789', 16);
  const numeric = (bban + country + '00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let mod = 0;
  for (const digit of numeric) mod = (mod * 10 + Number(digit)) % 97;
  return `${country}${String(98 - mod).padStart(2, '0')}${bban}`;
}

function domainName(r: Rng, u: string): string {
  const sub = r.chance(0.2) ? `${r.pick(['www', 'live', 'watch', 'cdn', 'm', 'player', 'stream'])}.` : '';
  return `${sub}${r.pick(WORDS)}${r.pick(WORDS)}${u}.${r.pick(TLDS)}`;
}

function handle(r: Rng, u: string): string {
  return `${r.pick(WORDS)}${r.chance(0.5) ? '_' : ''}${r.pick(WORDS)}${u}`;
}

export type ItemType = 'domain' | 'url' | 'ipv4' | 'ipv6' | 'cidr' | 'asn' | 'email' | 'iban' | 'crypto_address'
  | 'payment_account' | 'social_account' | 'app' | 'tracking_id';

const TYPE_MIX: ReadonlyArray<readonly [ItemType, number]> = [
  ['domain', 22], ['url', 22], ['ipv4', 10], ['ipv6', 3], ['cidr', 2], ['asn', 1], ['email', 4], ['iban', 3],
  ['crypto_address', 6], ['payment_account', 5], ['social_account', 10], ['app', 6], ['tracking_id', 6],
];

/** One observable of indicator `i`: unique per `i` (the index is part of the value). */
export function observable(i: number, r: Rng, type: ItemType = r.weighted(TYPE_MIX)): { type: ItemType; value: string; platform?: string } {
  const u = b36(i);
  switch (type) {
    case 'domain':
      return { type, value: domainName(r, u) };
    case 'url': {
      if (r.chance(0.006)) { // shared infrastructure: a file on a mainstream host, a shortened link
        return { type, value: r.chance(0.5) ? `https://drive.google.com/file/d/${r.chars(BASE58, 28)}${u}/view` : `https://bit.ly/${u}${r.chars(BASE58, 4)}` };
      }
      const host = domainName(r, u);
      const path = r.weighted([
        [`/watch/${r.pick(WORDS)}-${r.pick(WORDS)}-${r.int(1, 9999)}`, 4], [`/live/${r.pick(['bein', 'sky', 'dazn', 'canal', 'espn'])}${r.int(1, 12)}`, 3],
        [`/embed/${r.chars(BASE58, 11)}`, 2], [`/dl/${r.chars(BASE58, 12)}.mkv`, 1], [`/get.php?username=${r.chars(BASE58, 8)}&password=${r.chars(BASE58, 8)}&type=m3u_plus`, 1],
      ] as const);
      const port = path.startsWith('/get.php') ? `:${r.pick([8080, 25461, 8000])}` : '';
      return { type, value: `${r.chance(0.85) ? 'https' : 'http'}://${host}${port}${path}` };
    }
    case 'ipv4': {
      if (r.chance(0.005)) return { type, value: `104.21.${r.int(0, 255)}.${r.int(1, 254)}` }; // a Cloudflare edge address
      const k = Math.floor(i / SAFE_V4_16.length);
      return { type, value: `${SAFE_V4_16[i % SAFE_V4_16.length]}.${(k >> 8) & 255}.${k & 255}` };
    }
    case 'ipv6':
      return { type, value: `${V6_PREFIXES[i % V6_PREFIXES.length]}:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::${r.int(1, 0xffff).toString(16)}` };
    case 'cidr':
      return r.chance(0.6)
        ? { type, value: `${SAFE_V4_16[i % SAFE_V4_16.length]}.${Math.floor(i / SAFE_V4_16.length) & 255}.0/24` }
        : { type, value: `${V6_PREFIXES[i % V6_PREFIXES.length]}:${(i & 0xffff).toString(16)}::/48` };
    case 'asn':
      return { type, value: r.chance(0.5) ? `AS${1000 + (i % 60000)}` : String(131072 + (i % 260000)) };
    case 'email':
      return { type, value: `${r.pick(['support', 'admin', 'billing', 'sales', 'contact', 'abuse', 'reseller'])}.${u}@${r.pick(WORDS)}${r.pick(['mail', 'panel', 'iptv', 'host'])}.${r.pick(TLDS)}` };
    case 'iban':
      return { type, value: ibanFor(r.pick(['DE', 'LT', 'AT'] as const), r) };
    case 'crypto_address': {
      const chain = r.weighted([['btc', 4], ['eth', 4], ['ltc', 1], ['doge', 1], ['trx', 2], ['sol', 1]] as const);
      const bytes = seedBytes(i, chain, 32);
      switch (chain) {
        case 'btc': return { type, platform: chain, value: base58check(0x00, bytes.subarray(0, 20)) };
        case 'ltc': return { type, platform: chain, value: base58check(0x30, bytes.subarray(0, 20)) };
        case 'doge': return { type, platform: chain, value: base58check(0x1e, bytes.subarray(0, 20)) };
        case 'trx': return { type, platform: chain, value: base58check(0x41, bytes.subarray(0, 20)) };
        case 'sol': { const b = Buffer.from(bytes); b[0] = b[0]! | 1; return { type, platform: chain, value: base58(b) }; }
        default: return { type, platform: 'eth', value: `0x${bytes.subarray(0, 20).toString('hex')}` };
      }
    }
    case 'payment_account': {
      const provider = r.weighted([['paypal', 5], ['stripe', 2], ['alipay', 1], ['skrill', 1], ['payoneer', 1]] as const);
      const value = provider === 'paypal' || provider === 'skrill' ? `${handle(r, u)}@${r.pick(WORDS)}${r.pick(['mail', 'pay'])}.${r.pick(TLDS)}`
        : provider === 'stripe' ? `acct_1${r.chars(BASE58, 10)}${u}` : provider === 'alipay' ? `2088${String(i).padStart(12, '0')}` : `${r.chars('0123456789', 6)}${u}`;
      return { type, platform: provider, value };
    }
    case 'social_account': {
      const platform = r.weighted([['telegram', 6], ['x', 2], ['instagram', 2], ['tiktok', 1], ['youtube', 1], ['facebook', 2], ['discord', 1], ['vk', 1], ['whatsapp', 1]] as const);
      const h = handle(r, u);
      if (platform === 'whatsapp') return { type, platform, value: `+44 7${String(100000000 + i).slice(-9)}` };
      if (platform === 'telegram' && r.chance(0.4)) return { type, platform, value: `https://t.me/${h}` };
      if (platform === 'tiktok' || platform === 'youtube') return { type, platform, value: `@${h}` };
      return { type, platform, value: h };
    }
    case 'app': {
      const store = r.weighted([['google_play', 5], ['apk', 3], ['apple_app_store', 2], ['amazon_appstore', 1]] as const);
      const value = store === 'apple_app_store' ? `id${1_000_000_000 + i}` : store === 'amazon_appstore' ? `B0${r.chars(ALNUM_UPPER, 6)}${u.toUpperCase()}`
        : `com.${r.pick(WORDS)}${r.pick(WORDS)}.${r.pick(['tv', 'player', 'live', 'app'])}${u}`;
      return { type, platform: store, value };
    }
    case 'tracking_id': {
      const platform = r.weighted([['google_analytics', 5], ['google_tag_manager', 2], ['adsense', 2]] as const);
      const value = platform === 'google_analytics'
        ? (r.chance(0.6) ? `G-${r.chars(ALNUM_UPPER, 4)}${u.toUpperCase()}` : `UA-${100000 + i}-${r.int(1, 9)}`)
        : platform === 'google_tag_manager' ? `GTM-${r.chars(ALNUM_UPPER, 3)}${u.toUpperCase()}` : `ca-pub-${String(1e15 + i * 7919).slice(0, 16)}`;
      return { type, platform, value };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Handling

const CATEGORIES: Partial<Record<ItemType, string[]>> & { default: string[] } = {
  domain: ['streaming_site', 'iptv_service', 'torrent_site', 'cyberlocker', 'linking_site'],
  url: ['streaming_site', 'iptv_service', 'linking_site', 'cyberlocker', 'stream_ripping'],
  app: ['piracy_app', 'iptv_service'],
  crypto_address: ['payment', 'reseller'],
  payment_account: ['payment', 'reseller'],
  iban: ['payment'],
  ipv4: ['hosting', 'iptv_service'], ipv6: ['hosting'], cidr: ['hosting'], asn: ['hosting'],
  default: ['reseller', 'iptv_service', 'streaming_site'],
};
const TAGS = ['epl', 'champions-league', 'la-liga', 'serie-a', 'bundesliga', 'ligue-1', 'f1', 'ufc', 'nba', 'nfl', 'boxing', 'cam-rip', 'pre-release', 'box-office', 'series', 'ebooks', 'cracked-software', 'game-keys', 'iptv-reseller'];
const DAY = 86_400_000;
/** Seen dates are spread over the months before this instant (fixed: the data set is deterministic). */
const SEEN_BASE = Date.parse('2026-01-01T00:00:00Z');

export interface GenerateOptions {
  /** The instant validity windows are computed from (valid_until must be in the future). */
  now: number;
}

/** Indicator `i` as a submission item (the JSON a partner POSTs), reported by `source`. */
export function indicatorItem(seed: number, i: number, source: FleetOrg, dir: Directory, opts: GenerateOptions): Record<string, unknown> {
  const r = new Rng(seed, i);
  const obs = observable(i, r);
  const item: Record<string, unknown> = { type: obs.type, value: obs.value, ...(obs.platform ? { platform: obs.platform } : {}) };

  const tlp = r.weighted([['CLEAR', 12], ['GREEN', 28], ['AMBER', 40], ['AMBER+STRICT', 10], ['RED', 10]] as const);
  item.tlp = tlp;
  if (tlp === 'RED') {
    item.audience = r.chance(0.6) || dir.groups.length === 0
      ? { orgs: r.sample(dir.agencies, r.int(1, 4)).map((o) => o.id) }
      : { groups: r.sample(dir.groups, r.int(1, 2)).map((g) => g.id) };
  } else {
    const a = r.weighted([['default', 70], ['agency+intermediary', 10], ['countries', 10], ['orgs', 5], ['groups', 5]] as const);
    if (a === 'agency+intermediary') item.audience = { kinds: ['agency', 'intermediary'] };
    else if (a === 'countries') item.audience = { kinds: ['agency'], countries: [...new Set([source.country, ...Array.from({ length: r.int(0, 2) }, () => r.weighted(COUNTRIES))])] };
    else if (a === 'orgs') item.audience = { orgs: r.sample([...dir.agencies, ...dir.intermediaries], r.int(2, 10)).map((o) => o.id) };
    else if (a === 'groups' && dir.groups.length) item.audience = { groups: r.sample(dir.groups, r.int(1, 2)).map((g) => g.id) };
  }
  if (r.chance(0.04)) item.exclude = r.chance(0.5) ? { countries: [r.weighted(COUNTRIES)] } : { orgs: [r.pick(dir.agencies).id] };
  item.pap = r.weighted([['CLEAR', 15], ['GREEN', 35], ['AMBER', 40], ['RED', 10]] as const);
  if (r.chance(0.5)) {
    const handling = r.chance(0.2) ? 'C' : 'P';
    item.grading = { source: r.pick(['1', '2', '3']), assessment: r.pick(['A', 'B', 'C', 'D']), handling, ...(handling === 'C' ? { conditions: 'Not for public attribution; court use only with consent.' } : {}) };
  }
  item.confidence = r.int(30, 100);
  if (r.chance(0.15)) item.attribution = 'anonymous';
  if (source.sectors?.length) item.sector = r.pick(source.sectors);
  item.categories = r.sample(CATEGORIES[obs.type] ?? CATEGORIES.default, r.int(1, 2));
  if (r.chance(0.6)) item.tags = r.sample(TAGS, r.int(1, 3));
  if (r.chance(0.5)) item.description = `${r.pick(['Illegal restream of', 'Unlicensed distribution of', 'Reseller panel for', 'Mirror network carrying', 'Payment endpoint of'])} ${r.pick(['premium sports channels', 'first-run films', 'series catalogues', 'live football', 'pay-per-view events', 'cracked games'])}; seen in ${r.weighted(COUNTRIES)}.`;
  if (r.chance(0.7)) {
    const first = SEEN_BASE - r.int(1, 300) * DAY - r.int(0, DAY);
    item.first_seen = new Date(first).toISOString();
    item.last_seen = new Date(first + r.int(0, 60) * DAY).toISOString();
  }
  if (r.chance(0.01)) {
    item.valid_from = new Date(opts.now + DAY).toISOString();
  } else if (r.chance(0.15)) {
    item.valid_until = new Date(opts.now + r.int(30, 700) * DAY).toISOString();
  }
  if (r.chance(0.15)) item.references = [r.chance(0.5) ? { kind: 'court_order', id: `HC-2025-${r.int(100, 99999)}` } : { kind: 'notice', url: `https://notices.example-rights.org/n/${b36(i)}` }];
  if (r.chance(0.1)) item.evidence = [{ sha256: createHash('sha256').update(`evidence:${i}`).digest('hex'), description: 'Screen capture of the live player' }];
  if ((obs.type === 'domain' || obs.type === 'url') && r.chance(0.2)) {
    const target = observable(i, r, r.pick(['ipv4', 'asn', 'crypto_address'] as const));
    item.relations = [{ type: target.type === 'ipv4' ? 'resolves_to' : target.type === 'asn' ? 'hosted_on' : 'uses_payment', target }];
  }
  return item;
}

/** Which partner reports indicator `i` when the data set is bulk-loaded: a few big reporters, a long tail. */
export function sourceOf(seed: number, i: number, dir: Directory): FleetOrg {
  return new Rng(seed ^ 0x5005, i).zipf(dir.partners, 1.4);
}

export const TYPES = TYPE_MIX.map(([t]) => t);
