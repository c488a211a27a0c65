/** Contract §4 "Resolver zones": what an intermediary's zone is and how it is served (policy, NOTIFY targets). */
import { Type } from '@sinclair/typebox';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { rows, type Database } from '../../db/client.js';
import { pgArray } from '../../db/sql.js';
import type { RpzPolicy } from '../../domain/rpz.js';
import { DnsZone, DnsZonePatch } from '../../../schemas/dns.js';
import { problemResponses } from '../../../schemas/common.js';
import { callerOf } from '../../plugins/auth.js';
import { badRequest, HttpProblem } from '../../plugins/problems.js';
import type { ZoneIssuer } from '../identity/service.js';
import { parseNotifyTarget } from './primary.js';
import { TSIG_ALGORITHM } from './tsig.js';
import { zoneName } from './zones.js';
import { recordAudit } from '../audit/log.js';

const ClientParams = Type.Object({ client_id: Type.String({ maxLength: 200 }) }, { additionalProperties: false });

export default async function dnsRoutes(app: FastifyInstance, opts: { db: Database; zones: ZoneIssuer & { rpz: { noticeHost?: string | undefined } } }) {
  const { db, zones } = opts;
  const tags = ['resolver zones'];

  async function view(clientId: string) {
    const [zone] = await rows<{ label: string; policy: RpzPolicy; notify: string[]; serial: string | number; entries: string | number }>(db, sql`
      select z.label, z.policy, z.notify, z.serial, (select count(*) from dns_zone_records r where r.client_id = z.client_id) as entries
      from dns_zones z join clients c on c.client_id = z.client_id and c.revoked_at is null
      where z.client_id = ${clientId}`);
    if (!zone) throw new HttpProblem(404, 'No resolver zone for that client (zones belong to active intermediary clients).');
    const name = zoneName(zone.label, zones.rpz);
    return {
      client_id: clientId, zone: name, key_name: name, algorithm: TSIG_ALGORITHM, policy: zone.policy, notify: zone.notify,
      serial: Number(zone.serial), entries: Number(zone.entries),
    };
  }

  app.get('/v1/dns-zone', {
    onRequest: app.authorize('feed:read'),
    schema: {
      tags, operationId: 'getOwnDnsZone', summary: 'The caller\'s resolver zone: its name, TSIG key name, policy and current serial',
      response: { 200: Type.Ref(DnsZone), ...problemResponses(401, 403, 404) },
    },
  }, async (request) => view(callerOf(request).clientId));

  app.get('/v1/clients/:client_id/dns-zone', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'getDnsZone', summary: 'An intermediary client\'s resolver zone (admin)',
      params: ClientParams, response: { 200: Type.Ref(DnsZone), ...problemResponses(401, 403, 404) },
    },
  }, async (request) => view((request.params as { client_id: string }).client_id));

  app.patch('/v1/clients/:client_id/dns-zone', {
    onRequest: app.authorize('admin'),
    schema: {
      tags, operationId: 'updateDnsZone',
      summary: 'Choose an intermediary client\'s policy (NXDOMAIN, NODATA, walled garden) and the secondaries NOTIFYed of its zone\'s changes (admin)',
      description: 'A new policy changes every record: the zone gets a new serial and secondaries transfer it whole.',
      params: ClientParams, body: Type.Ref(DnsZonePatch), response: { 200: Type.Ref(DnsZone), ...problemResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const { client_id: clientId } = request.params as { client_id: string };
    const body = request.body as { policy?: RpzPolicy; notify?: string[] };
    if (body.policy === 'walled_garden' && !zones.rpz.noticeHost) {
      throw badRequest('This server has no notice page for a walled garden (RPZ_NOTICE_HOST).', [{ path: '/body/policy', message: 'must be one of: nxdomain, nodata' }]);
    }
    const bad = (body.notify ?? []).map((t, i) => ({ t, i })).filter(({ t }) => !parseNotifyTarget(t));
    if (bad.length) {
      throw badRequest('NOTIFY targets must be IP addresses with an optional port.', bad.map(({ i }) => ({ path: `/body/notify/${i}`, message: 'must be an IPv4 or IPv6 address, optionally with :port ([v6]:port)' })));
    }
    const updated = await db.transaction(async (tx) => {
      const [zone] = await rows<{ org_id: string }>(tx, sql`update dns_zones z set
          policy = coalesce(${body.policy ?? null}, policy),
          notify = coalesce(${body.notify ? pgArray(body.notify) : null}::text[], notify)
        from clients c where z.client_id = ${clientId} and c.client_id = z.client_id returning c.org_id`);
      if (zone) await recordAudit(tx, callerOf(request), { action: 'dns_zone.updated', subject: clientId, subjectOrg: zone.org_id, detail: body });
      return zone !== undefined;
    });
    if (!updated) throw new HttpProblem(404, 'No resolver zone for that client (zones belong to active intermediary clients).');
    return view(clientId);
  });
}
