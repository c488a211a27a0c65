/** Test fixtures: observables the normaliser accepts. */

/** One valid observable of every type. */
export const EVERY_TYPE: Record<string, unknown>[] = [
  { type: 'domain', value: 'stix-every-type.tv' },
  { type: 'url', value: "https://stix-every-type.tv/live?ch=1&it's=ok" },
  { type: 'ipv4', value: '185.234.72.19' },
  { type: 'ipv6', value: '2a05:d014:1::80' },
  { type: 'cidr', value: '185.234.72.0/24' },
  { type: 'asn', value: 'AS203000' },
  { type: 'email', value: 'sales@stix-every-type.tv' },
  { type: 'iban', value: 'DE89 3704 0044 0532 0130 00' },
  { type: 'crypto_address', platform: 'btc', value: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq' },
  { type: 'payment_account', platform: 'paypal', value: 'payments@stix-every-type.tv' },
  { type: 'social_account', platform: 'telegram', value: 'stixeverytype' },
  { type: 'app', platform: 'google_play', value: 'com.stix.everytype' },
  { type: 'tracking_id', platform: 'google_analytics', value: 'UA-12345678-1' },
];
