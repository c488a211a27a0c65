/**
 * Normalisation of indicator values (contract §3.1): one observable, one stored spelling.
 *
 * `normalise(type, value, platform)` either returns the normal form (which may change the type:
 * an IPv4-mapped IPv6 address becomes `ipv4`) or a short reason an integrator can act on.
 * Pure code, no I/O. It runs on 10,000-item batches, so every regex, table and option object
 * is built once at module load and the common (valid) path allocates little.
 */
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { validateIBAN, ValidationErrorsIBAN } from 'ibantools';
import { getDomain, parse as parseHost } from 'tldts';
import { TYPES_WITH_PLATFORM, type IndicatorType } from './types.js';

export type NormaliseResult =
  | { ok: true; type: IndicatorType; value: string; platform: string | null }
  | { ok: false; reason: string };

type Failure = { ok: false; reason: string };
/** Internal result of a check: the normal text, or why not. */
type Checked = { ok: true; value: string } | Failure;

const fail = (reason: string): Failure => ({ ok: false, reason });
const pass = (value: string): Checked => ({ ok: true, value });

// ---------------------------------------------------------------------------------------------
// Entry point

const MAX_VALUE_LENGTH = 2048;
/**
 * C0/C1 control characters, plus the bidirectional embedding/override/isolate marks, which
 * are invisible and let a value display as something it is not.
 */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const PLATFORM_SYNTAX = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** What `platform` means for each type in TYPES_WITH_PLATFORM, for the "platform is required" reason. */
const PLATFORM_HINTS: Partial<Record<IndicatorType, string>> = {
  crypto_address: 'the chain, e.g. btc or eth',
  payment_account: 'the provider, e.g. paypal',
  social_account: 'the network, e.g. telegram',
  app: 'the store, e.g. google_play',
  tracking_id: 'e.g. google_analytics',
};

type Normaliser = (value: string, platform: string) => NormaliseResult;

const NORMALISERS: Record<IndicatorType, Normaliser> = {
  domain: (v) => asResult('domain', checkDomain(v, 'domain')),
  url: (v) => asResult('url', checkUrl(v)),
  ipv4: (v) => normaliseIp(v, 'ipv4'),
  ipv6: (v) => normaliseIp(v, 'ipv6'),
  cidr: (v) => asResult('cidr', checkCidr(v)),
  asn: (v) => asResult('asn', checkAsn(v)),
  email: (v) => asResult('email', checkEmail(v)),
  iban: (v) => asResult('iban', checkIban(v)),
  crypto_address: normaliseCryptoAddress,
  payment_account: (v, p) => asResult('payment_account', checkPaymentAccount(v), p),
  social_account: normaliseSocialAccount,
  app: (v, p) => asResult('app', checkApp(v), p),
  tracking_id: (v, p) => asResult('tracking_id', checkTrackingId(v, p), p),
};

export function normalise(type: IndicatorType, value: string, platform?: string | null): NormaliseResult {
  const normaliser = NORMALISERS[type];
  if (normaliser === undefined) return fail(`unknown indicator type ${JSON.stringify(type)}`);

  let platformId = '';
  if (TYPES_WITH_PLATFORM.has(type)) {
    if (platform === undefined || platform === null || platform.trim() === '') {
      return fail(`platform is required for type ${type} (${PLATFORM_HINTS[type] as string})`);
    }
    platformId = platform.trim().toLowerCase();
    if (!PLATFORM_SYNTAX.test(platformId)) {
      return fail('platform must be a lower-case id of letters, digits, "_", "." or "-" (at most 64 characters)');
    }
  } else if (platform !== undefined && platform !== null) {
    return fail(`platform must be omitted for type ${type}`);
  }

  if (typeof value !== 'string') return fail('value must be a string');
  const trimmed = value.trim();
  if (trimmed === '') return fail('value is empty');
  if (trimmed.length > MAX_VALUE_LENGTH) return fail(`value is longer than ${MAX_VALUE_LENGTH} characters`);
  if (CONTROL_CHARS.test(trimmed)) return fail('value contains control characters');

  return normaliser(trimmed, platformId);
}

function asResult(type: IndicatorType, checked: Checked, platform: string | null = null): NormaliseResult {
  return checked.ok ? { ok: true, type, value: checked.value, platform } : checked;
}

// ---------------------------------------------------------------------------------------------
// Domains

const MAX_DOMAIN_LENGTH = 253;
/** Whole host in LDH syntax: labels of 1–63 letters, digits and inner hyphens. */
const LDH_HOST = /^(?:(?!-)[a-z0-9-]{1,63}(?<!-)\.)*(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const NON_ASCII = /[^\x00-\x7f]/;
const PUNYCODE_LABEL = /(?:^|\.)xn--/i;
/** A last label WHATWG would read as an IPv4 number (`1.2.3.4`, `0x7f.1`, `2130706433`). */
const NUMERIC_LAST_LABEL = /(?:^|\.)(?:\d+|0x[0-9a-f]*)$/i;
/** Public suffixes from the ICANN section only: private entries (blogspot.com…) are hosts someone registered under. */
const ICANN_ONLY = { allowPrivateDomains: false, extractHostname: false, detectIp: false, validateHostname: false } as const;
const WITH_PRIVATE = { ...ICANN_ONLY, allowPrivateDomains: true } as const;

/** Lower-case A-label form of a host name, or null when it is not a valid public domain. */
export function normaliseDomain(host: string): string | null {
  const checked = checkHost(host.trim());
  return checked.ok ? checked.value : null;
}

/**
 * The registrable domain (eTLD+1) of a host, for linking indicators in analysis; null for
 * invalid hosts and IP addresses. Private PSL suffixes count here (unlike for validation), so
 * two unrelated sites on `*.blogspot.com` or `*.pages.dev` are not linked as one.
 */
export function registrableDomain(host: string): string | null {
  const domain = normaliseDomain(host);
  if (domain === null) return null;
  // A host that is itself a private suffix (github.io) falls back to its ICANN eTLD+1.
  return getDomain(domain, WITH_PRIVATE) ?? getDomain(domain, ICANN_ONLY);
}

/** Host of an already-normalised url (IPv6 without brackets), or null. */
export function urlHost(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!HTTP_SCHEMES.has(parsed.protocol)) return null;
  const host = parsed.hostname;
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

function checkDomain(value: string, subject: string): Checked {
  const checked = checkHost(value);
  return checked.ok ? checked : fail(`${subject} ${checked.reason}`);
}

/** Host name validation; reasons are phrased to follow a subject ("domain …", "url host …"). */
function checkHost(input: string): Checked {
  if (input.includes('/')) return fail('must be a bare host name, not a URL (use type url for URLs)');
  let host = input.endsWith('.') ? input.slice(0, -1) : input;

  if (NON_ASCII.test(host) || PUNYCODE_LABEL.test(host)) {
    // '%' would be percent-decoded by domainToASCII and so smuggle characters past the checks.
    if (host.includes('%')) return fail('contains characters not allowed in a host name');
    // UTS #46 (non-transitional, as WHATWG): maps case and full-width dots, checks xn-- labels.
    host = domainToASCII(host);
    if (host === '') return fail('is not a valid internationalised domain name');
    if (host.endsWith('.')) host = host.slice(0, -1);
  } else {
    host = host.toLowerCase();
  }

  if (host === '') return fail('is empty');
  if (host.startsWith('[') || NUMERIC_LAST_LABEL.test(host) || (host.includes(':') && ipaddr.IPv6.isValid(host))) {
    return fail('is an IP address; a domain name is required (use type ipv4 or ipv6 for addresses)');
  }
  if (host.length > MAX_DOMAIN_LENGTH) return fail(`is longer than ${MAX_DOMAIN_LENGTH} characters`);
  if (!LDH_HOST.test(host)) return fail(describeLdhProblem(host));

  const parsed = parseHost(host, ICANN_ONLY);
  if (parsed.isIcann !== true) return fail('does not end in a public suffix');
  if (parsed.domain === null) return fail(`is a public suffix (${parsed.publicSuffix}) with no name under it`);
  return pass(host);
}

/** Only on the failure path: say which LDH rule the host breaks. */
function describeLdhProblem(host: string): string {
  if (host.includes(':')) return 'must not include a scheme or port';
  for (const label of host.split('.')) {
    if (label === '') return 'has an empty label (leading or doubled dot)';
    if (label.length > 63) return 'has a label longer than 63 characters';
  }
  return 'labels may only contain letters, digits and hyphens, and may not start or end with a hyphen';
}

// ---------------------------------------------------------------------------------------------
// URLs

const HTTP_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const SCHEME_AND_SLASHES = /^[a-z][a-z0-9+.-]*:[/\\]*/i; // WHATWG also accepts backslashes
const AUTHORITY_END = /[/\\?#]/;
const TRAILING_PORT = /:\d*$/;

function checkUrl(value: string): Checked {
  if (!HAS_SCHEME.test(value)) return fail('url must be absolute and start with http:// or https://');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('url is not a valid URL');
  }
  if (!HTTP_SCHEMES.has(url.protocol)) return fail('url must use http or https'); // http(s) URLs always have a host

  // Credentials are never stored, even if an integrator sends them: drop userinfo entirely.
  url.username = '';
  url.password = '';
  url.hash = '';

  const hostname = url.hostname;
  if (hostname.startsWith('[')) {
    const ip = checkIpv6Host(hostname.slice(1, -1));
    if (!ip.ok) return fail(`url host ${ip.reason}`);
    if (ip.value !== hostname) url.hostname = ip.value;
  } else if (STRICT_IPV4.test(hostname)) {
    // WHATWG turns 0x7f.1, 017.0.0.1 or 2130706433 into dotted decimal; as with type ipv4, only
    // an address written in plain dotted decimal is unambiguous.
    if (rawHost(value) !== hostname) return fail('url host IPv4 address must be written in dotted decimal');
    const problem = ipv4Problem(ipaddr.IPv4.parse(hostname));
    if (problem !== null) return fail(`url host ${problem}`);
  } else {
    const host = checkHost(hostname);
    if (!host.ok) return fail(`url host ${host.reason}`);
    if (host.value !== hostname) url.hostname = host.value; // only the trailing dot can differ
  }

  const normal = url.href; // default port, dot segments and percent-encoding already canonical
  if (normal.length > MAX_VALUE_LENGTH) return fail(`url is longer than ${MAX_VALUE_LENGTH} characters once normalised`);
  return pass(normal);
}

/** The host exactly as written in a URL string (lower-cased, userinfo and port removed). */
function rawHost(url: string): string {
  const rest = url.replace(SCHEME_AND_SLASHES, '');
  const end = rest.search(AUTHORITY_END);
  const authority = end < 0 ? rest : rest.slice(0, end);
  return authority.slice(authority.lastIndexOf('@') + 1).replace(TRAILING_PORT, '').toLowerCase();
}

/** IPv6 literal of a parsed URL (WHATWG has validated it): same rules as type ipv6; a mapped IPv4 becomes the dotted IPv4. */
function checkIpv6Host(text: string): Checked {
  const address = ipaddr.IPv6.parse(text);
  if (address.isIPv4MappedAddress()) {
    const v4 = address.toIPv4Address();
    const problem = ipv4Problem(v4);
    return problem === null ? pass(v4.toString()) : fail(problem);
  }
  const problem = ipv6Problem(address);
  return problem === null ? pass(`[${address.toString()}]`) : fail(problem);
}

// ---------------------------------------------------------------------------------------------
// IP addresses
//
// Rejected, because they cannot identify a party on the public internet:
//   IPv4: unspecified 0/8, private 10/8 172.16/12 192.168/16, loopback 127/8, link-local
//         169.254/16, carrier-grade NAT 100.64/10, multicast 224/4, reserved 240/4 and
//         255.255.255.255, IETF protocol assignments 192.0.0/24, 6to4 relay 192.88.99/24,
//         benchmarking 198.18/15, documentation 192.0.2/24 198.51.100/24 203.0.113/24.
//   IPv6: everything outside global unicast 2000::/3 (unspecified, loopback, ::ffff:0:0/96
//         translated, NAT64 64:ff9b::/96, discard 100::/64, unique-local fc00::/7, link-local
//         fe80::/10, site-local, multicast ff00::/8, segment routing 5f00::/16…), and inside it
//         IETF protocol assignments 2001::/23, benchmarking, ORCHID, drone remote ID,
//         documentation 2001:db8::/32 and 3fff::/20.
// Kept, because they are globally routed: AS112 and AMT anycast (v4 and v6), Teredo 2001::/32
// and 6to4 2002::/16. IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address and normalises to it.

const STRICT_IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6_CHARS = /^[0-9a-f:.]+$/i;
const EMBEDDED_IPV4 = /:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

const IPV4_ROUTABLE: ReadonlySet<string> = new Set(['unicast', 'as112', 'amt']);
const IPV6_ROUTABLE: ReadonlySet<string> = new Set(['unicast', 'as112v6', 'amt', 'teredo', '6to4']);
const IPV4_DOCUMENTATION: ReadonlyArray<[ipaddr.IPv4, number]> = [
  [ipaddr.IPv4.parse('192.0.2.0'), 24],
  [ipaddr.IPv4.parse('198.51.100.0'), 24],
  [ipaddr.IPv4.parse('203.0.113.0'), 24],
];
const IPV6_DOCUMENTATION: ReadonlyArray<[ipaddr.IPv6, number]> = [
  [ipaddr.IPv6.parse('2001:db8::'), 32],
  [ipaddr.IPv6.parse('3fff::'), 20],
];
const IPV6_GLOBAL_UNICAST: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];

/** ipaddr.js range names → words for reasons. Names not listed read as "reserved". */
const RANGE_LABELS: Readonly<Record<string, string>> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  uniqueLocal: 'unique-local (private)',
  deprecatedSiteLocal: 'site-local (private)',
  ipv4Mapped: 'IPv4-mapped',
  rfc6145: 'IPv4-translated',
  rfc6052: 'NAT64',
  benchmarking: 'benchmarking',
  discard: 'discard-only',
  documentation: 'documentation',
};

function rangeProblem(range: string): string {
  return `is in the ${RANGE_LABELS[range] ?? 'reserved'} range`;
}

/** Why an IPv4 address cannot be an indicator, or null when it is publicly routable. */
function ipv4Problem(address: ipaddr.IPv4): string | null {
  if (IPV4_DOCUMENTATION.some((net) => address.match(net))) return rangeProblem('documentation');
  const range = address.range();
  return IPV4_ROUTABLE.has(range) ? null : rangeProblem(range);
}

/** Why an IPv6 address cannot be an indicator, or null when it is publicly routable. */
function ipv6Problem(address: ipaddr.IPv6): string | null {
  if (IPV6_DOCUMENTATION.some((net) => address.match(net))) return rangeProblem('documentation');
  const range = address.range();
  if (!IPV6_ROUTABLE.has(range)) return rangeProblem(range);
  return address.match(IPV6_GLOBAL_UNICAST) ? null : rangeProblem('reserved');
}

type Ipv4Parse = { ok: true; address: ipaddr.IPv4 } | Failure;

/** Dotted-decimal only: ipaddr.js alone would also read octal, hex and short forms. */
function parseIpv4(text: string): Ipv4Parse {
  const m = STRICT_IPV4.exec(text);
  if (m === null) return fail('is not a dotted-decimal IPv4 address');
  const octets: number[] = [];
  for (let i = 1; i <= 4; i++) {
    const octet = m[i] as string;
    // 010 means 8 to some parsers and 10 to others.
    if (octet.length > 1 && octet.startsWith('0')) return fail('has an octet with a leading zero (ambiguous octal)');
    const n = Number(octet);
    if (n > 255) return fail('has an octet larger than 255');
    octets.push(n);
  }
  return { ok: true, address: new ipaddr.IPv4(octets) };
}

function parseIpv6(text: string): ipaddr.IPv6 | null {
  // No zone ids (fe80::1%eth0: meaningless off-host), and an embedded IPv4 must be strict too.
  if (!IPV6_CHARS.test(text) || !text.includes(':')) return null;
  const embedded = EMBEDDED_IPV4.exec(text);
  if (embedded !== null && !parseIpv4(embedded[1] as string).ok) return null;
  try {
    return ipaddr.IPv6.parse(text);
  } catch {
    return null;
  }
}

function normaliseIp(value: string, type: 'ipv4' | 'ipv6'): NormaliseResult {
  const text = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;

  if (!text.includes(':')) {
    if (type === 'ipv6') {
      return fail(parseIpv4(text).ok ? 'address is IPv4; use type ipv4' : 'address is not a valid IPv6 address');
    }
    const parsed = parseIpv4(text);
    if (!parsed.ok) return fail(`address ${parsed.reason}`);
    const problem = ipv4Problem(parsed.address);
    return problem === null ? { ok: true, type: 'ipv4', value: parsed.address.toString(), platform: null } : fail(`address ${problem}`);
  }

  const address = parseIpv6(text);
  if (address === null) return fail(`address is not a valid ${type === 'ipv4' ? 'IPv4' : 'IPv6'} address`);
  if (address.isIPv4MappedAddress()) {
    const v4 = address.toIPv4Address();
    const problem = ipv4Problem(v4);
    return problem === null ? { ok: true, type: 'ipv4', value: v4.toString(), platform: null } : fail(`address ${problem}`);
  }
  if (type === 'ipv4') return fail('address is IPv6; use type ipv6');
  const problem = ipv6Problem(address);
  // toString() is RFC 5952: lower case, longest zero run compressed.
  return problem === null ? { ok: true, type: 'ipv6', value: address.toString(), platform: null } : fail(`address ${problem}`);
}

// ---------------------------------------------------------------------------------------------
// CIDR

const MIN_PREFIX_V4 = 16;
const MIN_PREFIX_V6 = 32;
const PREFIX_SYNTAX = /^(?:0|[1-9]\d{0,2})$/;

function checkCidr(value: string): Checked {
  const slash = value.indexOf('/');
  if (slash < 0) return fail('cidr must be written as address/prefix, e.g. 8.8.8.0/24');
  const addressText = value.slice(0, slash);
  const prefixText = value.slice(slash + 1);
  if (!PREFIX_SYNTAX.test(prefixText)) return fail('cidr prefix length must be a decimal number');
  let prefix = Number(prefixText);

  let address: ipaddr.IPv4 | ipaddr.IPv6;
  if (addressText.includes(':')) {
    const v6 = parseIpv6(addressText);
    if (v6 === null) return fail('cidr address is not a valid IPv6 address');
    if (prefix > 128) return fail('cidr prefix length is larger than 128');
    // ::ffff:a.b.c.d/120 is the IPv4 network a.b.c.d/24.
    if (v6.isIPv4MappedAddress() && prefix >= 96) {
      address = v6.toIPv4Address();
      prefix -= 96;
    } else {
      address = v6;
    }
  } else {
    const v4 = parseIpv4(addressText);
    if (!v4.ok) return fail(`cidr address ${v4.reason}`);
    if (prefix > 32) return fail('cidr prefix length is larger than 32');
    address = v4.address;
  }

  const isV4 = address.kind() === 'ipv4';
  const minimum = isV4 ? MIN_PREFIX_V4 : MIN_PREFIX_V6;
  if (prefix < minimum) return fail(`cidr is too broad: ${isV4 ? 'IPv4' : 'IPv6'} networks must be /${minimum} or longer`);

  const first = withHostBits(address, prefix, false);
  const last = withHostBits(address, prefix, true);
  // A network that merely contains a special range is fine; one inside special space is not.
  // CIDR blocks nest or are disjoint, and with the minimum prefixes above no allowed network
  // starts and ends in special ranges with routable space between them, so "inside" is exactly
  // "first and last address both non-routable".
  const problem = rangeProblemOf(first);
  if (problem !== null && rangeProblemOf(last) !== null) return fail(`cidr network ${problem}`);
  return pass(`${first.toString()}/${prefix}`);
}

function withHostBits(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number, set: boolean): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const networkBits = Math.min(Math.max(prefix - i * 8, 0), 8);
    const hostMask = 0xff >> networkBits;
    const byte = bytes[i] as number;
    bytes[i] = set ? byte | hostMask : byte & ~hostMask & 0xff;
  }
  return ipaddr.fromByteArray(bytes);
}

function rangeProblemOf(address: ipaddr.IPv4 | ipaddr.IPv6): string | null {
  return address.kind() === 'ipv4' ? ipv4Problem(address as ipaddr.IPv4) : ipv6Problem(address as ipaddr.IPv6);
}

// ---------------------------------------------------------------------------------------------
// ASN

const ASN_SYNTAX = /^(?:AS)?0*(\d{1,10})$/i;
const MAX_ASN = 4294967295;

/**
 * Numbers that never identify a network (IANA special-purpose AS numbers, RFC 7607, 6793,
 * 5398, 6996, 7300): [from, to, why].
 */
const SPECIAL_ASNS: ReadonlyArray<readonly [number, number, string]> = [
  [0, 0, 'is reserved'],
  [23456, 23456, 'is AS_TRANS, a placeholder for 4-byte ASNs'],
  [64496, 64511, 'is reserved for documentation'],
  [64512, 65534, 'is in a private-use range'],
  [65535, 65535, 'is reserved'],
  [65536, 65551, 'is reserved for documentation'],
  [65552, 131071, 'is reserved'],
  [4200000000, 4294967294, 'is in a private-use range'],
  [4294967295, 4294967295, 'is reserved'],
];

function checkAsn(value: string): Checked {
  const m = ASN_SYNTAX.exec(value);
  if (m === null) return fail('asn must be a number in asplain form, e.g. AS13335 or 13335');
  const n = Number(m[1]);
  if (n > MAX_ASN) return fail(`asn is larger than ${MAX_ASN}`);
  for (const [from, to, why] of SPECIAL_ASNS) {
    if (n >= from && n <= to) return fail(`asn ${n} ${why}`);
  }
  return pass(`AS${n}`);
}

// ---------------------------------------------------------------------------------------------
// E-mail and IBAN

const MAX_LOCAL_PART = 64;
/** Outside quotes a local part has no spaces and none of these; quoted local parts are not supported. */
const LOCAL_PART_FORBIDDEN = /[\s"(),:;<>[\\\]]/;

function checkEmail(value: string): Checked {
  const at = value.indexOf('@');
  if (at < 0 || at !== value.lastIndexOf('@')) return fail('e-mail address must contain exactly one @');
  // The local part is kept as given: only the receiving server may decide it is case-insensitive.
  const local = value.slice(0, at);
  if (local === '') return fail('e-mail local part (before the @) is empty');
  if (local.length > MAX_LOCAL_PART) return fail(`e-mail local part is longer than ${MAX_LOCAL_PART} characters`);
  if (LOCAL_PART_FORBIDDEN.test(local)) return fail('e-mail local part contains spaces or characters not allowed in an address');
  const domain = checkDomain(value.slice(at + 1), 'e-mail domain');
  return domain.ok ? pass(`${local}@${domain.value}`) : domain;
}

/** Spaces (including the non-breaking ones of copy-paste) and the dashes some people group with. */
const IBAN_SEPARATORS = /[\s-]+/g;

const IBAN_ERRORS: Readonly<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANProvided]: 'iban is empty',
  [ValidationErrorsIBAN.NoIBANCountry]: 'iban does not start with a known country code',
  [ValidationErrorsIBAN.WrongBBANLength]: 'iban has the wrong length for its country',
  [ValidationErrorsIBAN.WrongBBANFormat]: 'iban account part does not match its country format',
  [ValidationErrorsIBAN.ChecksumNotNumber]: 'iban check digits (3rd and 4th characters) must be digits',
  [ValidationErrorsIBAN.WrongIBANChecksum]: 'iban check digits are wrong (ISO 13616 mod 97)',
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: 'iban national account checksum is wrong',
  [ValidationErrorsIBAN.QRIBANNotAllowed]: 'QR-IBANs are not accepted',
};

function checkIban(value: string): Checked {
  const iban = value.replace(IBAN_SEPARATORS, '').toUpperCase();
  const result = validateIBAN(iban);
  // An invalid result always names at least one error; the first is the most basic.
  return result.valid ? pass(iban) : fail(IBAN_ERRORS[result.errorCodes[0] as ValidationErrorsIBAN]);
}

// ---------------------------------------------------------------------------------------------
// Crypto addresses

/** The parts of multicoin-address-validator (CommonJS, untyped) used here. */
interface CoinCurrency {
  name: string;
  symbol: string;
  validator: { isValidAddress(address: string, currency: CoinCurrency, opts: { networkType: string }): boolean };
}
interface WalletAddressValidator {
  getCurrencies(): CoinCurrency[];
}
const walletAddressValidator = createRequire(import.meta.url)('multicoin-address-validator') as WalletAddressValidator;

/**
 * Chain ids → the library's currency, by symbol and by name, first entry winning as in its own
 * lookup. Calling the currency's validator directly is what `validate()` does, minus a linear
 * search with two toLowerCase() calls per currency on every call.
 */
const COIN_CURRENCIES: ReadonlyMap<string, CoinCurrency> = (() => {
  const map = new Map<string, CoinCurrency>();
  for (const currency of walletAddressValidator.getCurrencies()) {
    for (const key of [currency.symbol.toLowerCase(), currency.name.toLowerCase()]) {
      if (!map.has(key)) map.set(key, currency);
    }
  }
  return map;
})();
const ETHEREUM = COIN_CURRENCIES.get('eth') as CoinCurrency;
const MAINNET = { networkType: 'prod' } as const;

/** Full chain names → the ticker used as platform, so one chain is one platform. */
const CHAIN_ALIASES: ReadonlyMap<string, string> = new Map([
  ['bitcoin', 'btc'], ['ethereum', 'eth'], ['litecoin', 'ltc'], ['bitcoincash', 'bch'],
  ['bitcoin_cash', 'bch'], ['dogecoin', 'doge'], ['tron', 'trx'], ['monero', 'xmr'], ['solana', 'sol'],
]);

/** EVM-style address; hex, so case only carries the EIP-55 checksum. */
const HEX_ADDRESS = /^0x[0-9a-f]{40}$/i;
/** Bech32 (BIP 173/350) addresses are case-insensitive; mixed case is invalid and the library rejects it. */
const BECH32_ADDRESS = /^(?:bc|ltc)1[02-9ac-hj-np-z]+$/i;
/** Cashaddr-shaped (the charset is checked with the checksum), with or without its prefix. */
const CASHADDR = /^(?:bitcoincash:)?([qp][0-9a-z]{41})$/i;
const SOLANA_ADDRESS = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
/** Chains the library does not know: letters, digits and the separators address formats use. */
const GENERIC_ADDRESS = /^[A-Za-z0-9][A-Za-z0-9:._-]{3,127}$/;

function normaliseCryptoAddress(value: string, platform: string): NormaliseResult {
  const chain = CHAIN_ALIASES.get(platform) ?? platform;
  const checked = checkCryptoAddress(value, chain);
  return checked.ok ? { ok: true, type: 'crypto_address', value: checked.value, platform: chain } : checked;
}

function checkCryptoAddress(value: string, chain: string): Checked {
  const invalid = (): Failure => fail(`not a valid ${chain} mainnet address (format or checksum)`);

  // The library's Solana check requires 43+ characters; a 32-byte key can encode shorter.
  if (chain === 'sol') return SOLANA_ADDRESS.test(value) && base58ByteLength(value) === 32 ? pass(value) : invalid();

  // The library accepts any cashaddr-shaped string for bch without verifying the checksum.
  const cash = chain === 'bch' ? CASHADDR.exec(value) : null;
  if (cash !== null) {
    const address = (cash[1] as string).toLowerCase();
    if (value !== value.toLowerCase() && value !== value.toUpperCase()) return fail('bch cashaddr must not mix upper and lower case');
    return isValidCashAddr(address) ? pass(address) : invalid();
  }

  const currency = COIN_CURRENCIES.get(chain);
  if (currency === undefined) {
    // Unknown chain: an EVM-style address still gets its EIP-55 check; anything else a format check.
    if (HEX_ADDRESS.test(value)) return isValidOn(ETHEREUM, value) ? pass(value.toLowerCase()) : fail('mixed-case 0x address fails its EIP-55 checksum');
    return GENERIC_ADDRESS.test(value) ? pass(value) : fail(`${chain} address must be 4–128 letters, digits, ":", ".", "_" or "-"`);
  }
  if (!isValidOn(currency, value)) {
    return HEX_ADDRESS.test(value) && currency.validator === ETHEREUM.validator
      ? fail('mixed-case 0x address fails its EIP-55 checksum')
      : invalid();
  }
  // Stored lower-cased where case is not part of the address: hex (EIP-55 is only a checksum), bech32.
  return pass(HEX_ADDRESS.test(value) || BECH32_ADDRESS.test(value) ? value.toLowerCase() : value);
}

function isValidOn(currency: CoinCurrency, address: string): boolean {
  try {
    return currency.validator.isValidAddress(address, currency, MAINNET);
    /* c8 ignore next 3 -- defensive: fuzzing found no throwing input, but one must not fail a batch */
  } catch {
    return false;
  }
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Number of bytes a base58 string decodes to (leading '1's are zero bytes); the caller checked the alphabet. */
function base58ByteLength(text: string): number {
  const bytes: number[] = []; // little-endian
  for (const char of text) {
    let carry = BASE58_ALPHABET.indexOf(char);
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] as number) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    for (; carry > 0; carry >>= 8) bytes.push(carry & 0xff);
  }
  let leadingZeros = 0;
  while (text[leadingZeros] === '1') leadingZeros++;
  return bytes.length + leadingZeros;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const CASHADDR_GENERATORS = [0x98f2bc8e61n, 0x79b76d99e2n, 0xf33e5fb3c4n, 0xae2eabe2a8n, 0x1e4f43e470n] as const;
/** 'bitcoincash' as 5-bit values (low bits of each character) followed by the 0 separator. */
const CASHADDR_PREFIX = [...'bitcoincash'].map((c) => c.charCodeAt(0) & 0x1f).concat(0);

/** Cashaddr checksum (BCH spec: a BCH code over GF(32), 40-bit polymod), lower-case payload. */
function isValidCashAddr(payload: string): boolean {
  let checksum = 1n;
  const step = (value: number): void => {
    const top = checksum >> 35n;
    checksum = ((checksum & 0x07ffffffffn) << 5n) ^ BigInt(value);
    for (let i = 0; i < 5; i++) {
      if ((top >> BigInt(i)) & 1n) checksum ^= CASHADDR_GENERATORS[i] as bigint;
    }
  };
  for (const value of CASHADDR_PREFIX) step(value);
  for (const char of payload) {
    const value = BECH32_CHARSET.indexOf(char);
    if (value < 0) return false;
    step(value);
  }
  return checksum === 1n;
}

// ---------------------------------------------------------------------------------------------
// Payment accounts and apps

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WHITESPACE = /\s/;

function checkPaymentAccount(value: string): Checked {
  // Providers treat e-mail logins case-insensitively; other ids (account numbers, merchant ids) stay as given.
  return pass(EMAIL_LIKE.test(value) ? value.toLowerCase() : value);
}

function checkApp(value: string): Checked {
  return WHITESPACE.test(value) ? fail('app id must not contain whitespace') : pass(value);
}

// ---------------------------------------------------------------------------------------------
// Social accounts

interface SocialPlatform {
  /** Hosts of profile URLs, without www./m./mobile. */
  hosts: readonly string[];
  /** Profile path is /@handle (TikTok, YouTube) rather than /handle. */
  atPath?: boolean;
  /** First path segments that are site sections rather than accounts. */
  sections?: readonly string[];
  /** Handle is a phone number (WhatsApp). */
  phone?: boolean;
}

/**
 * Known networks. All of them treat handles case-insensitively (Telegram, X, Instagram, TikTok,
 * YouTube handles, Facebook and VK usernames, Discord's lower-case usernames; WhatsApp ids are
 * digits), so their handles are stored lower-cased. Handles on other platforms keep their case.
 */
const SOCIAL_PLATFORMS: ReadonlyMap<string, SocialPlatform> = new Map<string, SocialPlatform>([
  ['telegram', { hosts: ['t.me', 'telegram.me', 'telegram.dog'], sections: ['addstickers', 'share', 'proxy', 'socks', 'c'] }],
  ['x', { hosts: ['x.com', 'twitter.com'], sections: ['i', 'home', 'search', 'explore', 'hashtag', 'intent', 'share', 'settings', 'messages', 'notifications'] }],
  ['instagram', { hosts: ['instagram.com'], sections: ['p', 'reel', 'reels', 'stories', 'explore', 'tv', 'accounts'] }],
  ['tiktok', { hosts: ['tiktok.com'], atPath: true }],
  ['youtube', { hosts: ['youtube.com'], atPath: true }],
  ['facebook', { hosts: ['facebook.com', 'fb.com'], sections: ['groups', 'pages', 'events', 'watch', 'share', 'sharer', 'sharer.php', 'story.php', 'permalink.php', 'photo.php', 'people', 'marketplace'] }],
  ['vk', { hosts: ['vk.com'], sections: ['feed', 'im', 'search', 'video', 'music'] }],
  ['discord', { hosts: [] }],
  ['whatsapp', { hosts: ['wa.me'], phone: true }],
]);
const SOCIAL_ALIASES: ReadonlyMap<string, string> = new Map([['twitter', 'x']]);
const SOCIAL_HOSTS: ReadonlyMap<string, string> = new Map(
  [...SOCIAL_PLATFORMS].flatMap(([id, p]) => p.hosts.map((host): [string, string] => [host, id])),
);

const MOBILE_PREFIX = /^(?:www|m|mobile|web)\./;
/** A scheme, or any '/': handles never contain one, profile links without a scheme (t.me/<h>) do. */
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\/|\//i;
const HANDLE = /^[\p{L}\p{M}\p{N}_.-]{1,100}$/u;
const PHONE_SEPARATORS = /[\s().-]/g;
const PHONE = /^\+?([1-9]\d{6,14})$/; // E.164: at most 15 digits, no leading zero

function normaliseSocialAccount(value: string, platform: string): NormaliseResult {
  const id = SOCIAL_ALIASES.get(platform) ?? platform;
  const checked = checkSocialAccount(value, id);
  return checked.ok ? { ok: true, type: 'social_account', value: checked.value, platform: id } : checked;
}

function checkSocialAccount(value: string, platformId: string): Checked {
  const known = SOCIAL_PLATFORMS.get(platformId);
  let handle = value;

  if (URL_LIKE.test(value)) {
    if (known === undefined) return fail(`profile URLs are only understood for known platforms; give the ${platformId} handle`);
    const fromUrl = handleFromProfileUrl(value, platformId, known);
    if (!fromUrl.ok) return fromUrl;
    handle = fromUrl.value;
  }
  if (handle.startsWith('@')) handle = handle.slice(1);

  if (known === undefined) {
    if (handle === '' || WHITESPACE.test(handle)) return fail('handle must be non-empty and contain no whitespace');
    return pass(handle); // case unknown for this platform: kept as given
  }
  if (known.phone === true) {
    const phone = PHONE.exec(handle.replace(PHONE_SEPARATORS, ''));
    return phone === null ? fail(`${platformId} account must be a phone number in international form, e.g. +447700900123`) : pass(`+${phone[1]}`);
  }
  if (!HANDLE.test(handle)) return fail(`${platformId} handle may only contain letters, digits, "_", "." and "-"`);
  return pass(handle.toLowerCase());
}

function handleFromProfileUrl(value: string, platformId: string, platform: SocialPlatform): Checked {
  let url: URL;
  try {
    url = new URL(HAS_SCHEME.test(value) ? value : `https://${value}`);
  } catch {
    return fail('profile URL is not a valid URL');
  }
  const hostPlatform = SOCIAL_HOSTS.get(url.hostname.replace(MOBILE_PREFIX, ''));
  if (hostPlatform === undefined) {
    return fail(platform.hosts.length === 0
      ? `${platformId} profile URLs are not understood; give the handle`
      : `not a recognised ${platformId} profile URL (expected ${platform.hosts.join(' or ')})`);
  }
  if (hostPlatform !== platformId) return fail(`profile URL belongs to ${hostPlatform}, not ${platformId}`);

  const segments = url.pathname.split('/').filter((s) => s !== '');
  let first = segments[0] ?? '';
  if (platformId === 'telegram' && first === 's') first = segments[1] ?? ''; // t.me/s/<h> is the web preview
  if (platformId === 'facebook' && first === 'profile.php') first = url.searchParams.get('id') ?? '';

  if (first.startsWith('+') || first === 'joinchat') return fail('invite links are not accounts; submit them as type url');
  if (platform.atPath === true) {
    if (!first.startsWith('@')) return fail(`${platformId} profile URLs look like ${platform.hosts[0]}/@handle`);
  } else if (first === '' || platform.sections?.includes(first.toLowerCase()) === true) {
    return fail(`not a profile URL for ${platformId} (expected ${platform.hosts[0]}/<handle>)`);
  }
  return pass(decodeURIComponentSafe(first));
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // malformed escapes: the handle check rejects the '%'
  }
}

// ---------------------------------------------------------------------------------------------
// Tracking ids

/** Shapes of ids on the platforms we know; ids of other platforms only need a safe alphabet. */
const TRACKING_ID_SHAPES: ReadonlyMap<string, { shapes: readonly RegExp[]; example: string }> = new Map([
  // GA4 measurement id, Universal Analytics property, and the Google tag (gtag.js) id.
  ['google_analytics', { shapes: [/^G-[A-Z0-9]{4,16}$/, /^UA-\d{4,10}-\d{1,4}$/, /^GT-[A-Z0-9]{4,16}$/], example: 'G-XXXXXXXXXX or UA-123456-1' }],
  ['google_tag_manager', { shapes: [/^GTM-[A-Z0-9]{4,12}$/], example: 'GTM-XXXXXXX' }],
  ['adsense', { shapes: [/^PUB-\d{16}$/], example: 'pub-1234567890123456' }],
]);
const ADSENSE_CLIENT_PREFIX = /^CA-PUB-/; // ad client "ca-pub-…" names the publisher "pub-…"
const TRACKING_ID_ALPHABET = /^[A-Z0-9_-]+$/;

function checkTrackingId(value: string, platform: string): Checked {
  const id = value.toUpperCase().replace(ADSENSE_CLIENT_PREFIX, 'PUB-');
  const known = TRACKING_ID_SHAPES.get(platform);
  if (known === undefined) {
    return TRACKING_ID_ALPHABET.test(id) ? pass(id) : fail('tracking id may only contain letters, digits, "_" and "-"');
  }
  if (known.shapes.some((shape) => shape.test(id))) return pass(id);
  for (const [other, { shapes }] of TRACKING_ID_SHAPES) {
    if (shapes.some((shape) => shape.test(id))) return fail(`tracking id looks like a ${other} id; use platform ${other}`);
  }
  return fail(`${platform} id must look like ${known.example}`);
}
