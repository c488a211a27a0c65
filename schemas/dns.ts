import { Type } from '@sinclair/typebox';
import { RPZ_POLICIES } from '../src/domain/rpz.js';
import { StringEnum } from './common.js';

export const RpzPolicy = StringEnum(RPZ_POLICIES, {
  $id: 'RpzPolicy',
  description: 'What the resolver answers for a listed name or address: NXDOMAIN, NODATA, or a CNAME to the notice page (walled_garden, when the server has RPZ_NOTICE_HOST)',
});

export const TsigKeyIssued = Type.Object({
  zone: Type.String({ description: 'the resolver zone (RPZ) of this client, to transfer from the DNS primary' }),
  key_name: Type.String(),
  algorithm: Type.Literal('hmac-sha256'),
  secret: Type.String({ description: 'base64; shown once (kept sealed, see the operator guide)' }),
}, { $id: 'TsigKeyIssued', description: 'The TSIG key of an intermediary client\'s resolver zone' });

export const DnsZone = Type.Object({
  client_id: Type.String(),
  zone: Type.String(),
  key_name: Type.String(),
  algorithm: Type.Literal('hmac-sha256'),
  policy: Type.Ref(RpzPolicy),
  notify: Type.Array(Type.String(), { description: 'secondaries told of each change (address or address:port)' }),
  serial: Type.Integer({ description: 'SOA serial of the zone\'s current version' }),
  entries: Type.Integer({ description: 'domains, addresses and networks in the zone' }),
}, { $id: 'DnsZone' });

export const DnsZonePatch = Type.Object({
  policy: Type.Optional(Type.Ref(RpzPolicy)),
  notify: Type.Optional(Type.Array(Type.String({ maxLength: 60, description: 'IPv4 or IPv6 address, optional port: 192.0.2.53, 192.0.2.53:5353, [2001:db8::53]:53' }), { maxItems: 16, uniqueItems: true })),
}, { $id: 'DnsZonePatch', additionalProperties: false, minProperties: 1, examples: [{ policy: 'walled_garden', notify: ['192.0.2.53', '[2001:db8::53]:5353'] }] });

export const dnsSchemas = [RpzPolicy, TsigKeyIssued, DnsZone, DnsZonePatch];
