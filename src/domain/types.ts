/**
 * Core value types shared by the pure domain code and the HTTP layer.
 * The TypeBox schemas in `schemas/` describe the same shapes for the wire.
 */

export const INDICATOR_TYPES = [
  'domain', 'url', 'ipv4', 'ipv6', 'cidr', 'asn', 'email', 'iban',
  'crypto_address', 'payment_account', 'social_account', 'app', 'tracking_id',
] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** Types whose observable only means something together with a platform (chain, provider, store...). */
export const TYPES_WITH_PLATFORM: ReadonlySet<IndicatorType> = new Set([
  'crypto_address', 'payment_account', 'social_account', 'app', 'tracking_id',
]);

export const ORG_KINDS = ['partner', 'agency', 'intermediary', 'secretariat'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const SECTORS = ['film_tv', 'music', 'live_sports', 'software', 'publishing', 'games', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export const PAP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const;
export type Pap = (typeof PAP_LEVELS)[number];

export interface Grading {
  source: '1' | '2' | '3';
  assessment: 'A' | 'B' | 'C' | 'D' | 'E';
  handling: 'P' | 'C';
  conditions?: string;
}

export interface Relation {
  type: string;
  target: { type: IndicatorType; value: string; platform?: string | null };
}

export interface Reference { kind: 'court_order' | 'case' | 'notice' | 'url'; id?: string; url?: string }
export interface Evidence { sha256: string; description?: string; captured_at?: string }

/** An indicator as one consumer may see it in a feed, a read or a lookup (contract §4). */
export interface FeedItem {
  id: string;
  version: number;
  status: 'active';
  type: IndicatorType;
  value: string;
  platform: string | null;
  tlp: Tlp;
  pap: Pap;
  grading: Grading | null;
  confidence: number;
  sector: string | null;
  categories: string[];
  tags: string[];
  description: string | null;
  first_seen: string | null;
  last_seen: string | null;
  valid_from: string;
  valid_until: string;
  shared_infrastructure: string[];
  relations: Relation[];
  references: Reference[];
  evidence: Evidence[];
  source: { org_id: string; name: string } | null;
  disputed: boolean;
  updated_at: string;
}

/**
 * What a former recipient receives when an indicator is withdrawn, expires or is no longer theirs:
 * the observable, its TLP (the value stays marked) and its source when named — no content.
 */
export interface Tombstone {
  id: string;
  version: number;
  status: 'withdrawn' | 'expired' | 'revoked';
  type: IndicatorType;
  value: string;
  platform: string | null;
  tlp?: Tlp;
  source?: { org_id: string; name: string } | null;
  updated_at: string;
}

export type FeedEntry = FeedItem | Tombstone;
