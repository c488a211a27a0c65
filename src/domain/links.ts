/**
 * The link graph's stored links (contract §6; src/modules/analysis/): the observables an
 * indicator points at besides its own. Two indicators are linked when they share an observable —
 * each one's own value or one of these — or when their addresses and networks overlap. So:
 *
 * - corroboration: two reports of the same observable share their own value (nothing stored);
 * - a submitted relation: the target (`via` the relation type) is the other indicator's value,
 *   or, when no indicator has it, a value two sites share (a server, a wallet, a tracking id);
 * - derived: a URL's and an e-mail's domain (`domain`, or `host` for an address), a domain's or
 *   URL's registrable domain (`registrable_domain`), so a site, its URLs and its subdomains meet;
 * - containment: addresses and networks carry their own value (`self`) so the database can find
 *   the networks around an address and the addresses inside a network (GiST, `&&`).
 *
 * Pure: the input is an indicator in its normal form (src/domain/normalise.ts).
 */
import { registrableDomain, urlHost } from './normalise.js';
import type { IndicatorType } from './types.js';

export type LinkVia = string; // a relation type (src: schemas/indicators.ts RELATION_TYPES), or one below
export const DERIVED_VIAS = ['self', 'domain', 'host', 'registrable_domain'] as const;

/** Types compared by containment (inet `&&`) as well as by equality. */
export const ADDRESS_TYPES: readonly IndicatorType[] = ['ipv4', 'ipv6', 'cidr'];

export interface Link { type: IndicatorType; platform: string; value: string; via: LinkVia }

export interface Linkable {
  type: IndicatorType;
  platform: string;
  value: string;
  relations: ReadonlyArray<{ type: string; target: { type: IndicatorType; value: string; platform?: string | null } }>;
}

const addressType = (host: string): IndicatorType | null =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(host) ? 'ipv4' : host.includes(':') ? 'ipv6' : null;

/** A host name's links: the domain itself, and its registrable domain when that is another name. */
function domainLinks(host: string, via: 'domain' | 'self'): Link[] {
  const out: Link[] = via === 'self' ? [] : [{ type: 'domain', platform: '', value: host, via }];
  const registrable = registrableDomain(host);
  if (registrable && registrable !== host) out.push({ type: 'domain', platform: '', value: registrable, via: 'registrable_domain' });
  return out;
}

/** Every link of one indicator, each observable once (the first reason wins), never its own value but for addresses. */
export function linksOf(indicator: Linkable): Link[] {
  const found: Link[] = [];
  switch (indicator.type) {
    case 'ipv4': case 'ipv6': case 'cidr':
      found.push({ type: indicator.type, platform: '', value: indicator.value, via: 'self' });
      break;
    case 'domain':
      found.push(...domainLinks(indicator.value, 'self'));
      break;
    case 'url': {
      const host = urlHost(indicator.value);
      const address = host ? addressType(host) : null;
      if (host && address) found.push({ type: address, platform: '', value: host, via: 'host' });
      else if (host) found.push(...domainLinks(host, 'domain'));
      break;
    }
    case 'email': {
      const domain = indicator.value.slice(indicator.value.lastIndexOf('@') + 1);
      if (domain) found.push(...domainLinks(domain, 'domain'));
      break;
    }
    default:
      break;
  }
  for (const relation of indicator.relations) {
    const target = relation.target;
    found.push({ type: target.type, platform: target.platform ?? '', value: target.value, via: relation.type });
  }
  const seen = new Set<string>([`${indicator.type}\u0000${indicator.platform}\u0000${indicator.value}`]);
  const links: Link[] = [];
  for (const link of found) {
    const key = `${link.type}\u0000${link.platform}\u0000${link.value}`;
    if (link.via !== 'self' && seen.has(key)) continue;
    seen.add(key);
    links.push(link);
  }
  return links;
}
