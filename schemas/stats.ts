/** Statistics shapes (contract §6). */
import { Type } from '@sinclair/typebox';
import { CountryCode, Timestamp, Uuid } from './common.js';

const Counts = Type.Record(Type.String(), Type.Integer());
const Timed = {
  action: Type.String(),
  reports: Type.Integer({ description: 'indicators with such an outcome (each reporter\'s first)' }),
  median_seconds: Type.Number(),
  p90_seconds: Type.Number(),
};

export const Statistics = Type.Object({
  generated_at: Timestamp,
  indicators: Type.Object({
    total: Type.Integer(),
    by_status: Counts,
    by_type: Type.Record(Type.String(), Type.Integer(), { description: 'active indicators; so are by_sector, by_tlp and by_source' }),
    by_sector: Counts,
    by_tlp: Counts,
    by_source: Type.Optional(Type.Array(Type.Object({ org_id: Uuid, name: Type.String(), active: Type.Integer() }), { description: '/v1/stats only: the 100 largest sources' })),
  }),
  outcomes: Type.Object({ total: Type.Integer(), by_action: Counts }),
  time_to_action: Type.Object({
    by_country: Type.Array(Type.Object({ ...Timed, country: CountryCode }), { description: 'time from report to blocked, taken_down and domain_seized, by the country of the organisation that reported it' }),
    by_intermediary: Type.Array(Type.Object({ ...Timed, org_id: Uuid, name: Type.String() })),
  }),
  consumers: Type.Array(Type.Object({
    client_id: Type.String(), client_name: Type.String(), org_id: Uuid, org_name: Type.String(),
    feed: Type.String({ description: '`feed` (/v1/feed) or a saved feed\'s id' }),
    last_pulled_at: Timestamp,
    pending_changes: Type.Integer({ description: 'changes after its last page that it may receive (its filters aside), counted up to 1,000' }),
    pending_capped: Type.Boolean(),
    lag_seconds: Type.Number({ description: 'how long the oldest of those has waited; 0 when it is at the head' }),
  })),
}, { $id: 'Statistics' });

export const statsSchemas = [Statistics];
