import t from 'tap';
import { stixIndicatorId, stixRelationship } from '../../src/domain/stix.js';

const A = '018f0a2b-3c4d-7e5f-8a6b-7c8d9e0f1a2b';
const B = '018f0a2b-3c4e-7000-8000-000000000002';
const link = { source: A, target: B, type: 'uses_payment', observable: { type: 'crypto_address' as const, value: 'bc1qxyz', platform: 'btc' }, modified: '2026-01-02T03:04:05.678Z' };

t.test('a graph link is a STIX Relationship between the two Indicators', async (t) => {
  const r = stixRelationship(link);
  t.match(r, {
    type: 'relationship', spec_version: '2.1', relationship_type: 'uses-payment',
    source_ref: stixIndicatorId(A), target_ref: stixIndicatorId(B),
    created: '2026-01-02T03:04:05.678Z', modified: '2026-01-02T03:04:05.678Z',
    x_isop_observable: { type: 'crypto_address', value: 'bc1qxyz', platform: 'btc' },
  });
  t.match(r.id, /^relationship--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a name-based (v5) UUID');
  t.equal(stixRelationship({ ...link, modified: '2027-01-01T00:00:00.000Z' }).id, r.id, 'the same link keeps its id across versions');
  t.not(stixRelationship({ ...link, source: B, target: A }).id, r.id, 'the other direction is another relationship');
  t.not(stixRelationship({ ...link, type: 'hosted_on' }).id, r.id);
  t.same(stixRelationship({ ...link, observable: { type: 'domain', value: 'x.tv', platform: null } }).x_isop_observable, { type: 'domain', value: 'x.tv' }, 'no null properties');
});
