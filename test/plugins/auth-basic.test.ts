/**
 * HTTP Basic with a client's id and secret (TAXII connectors): the slow hash is paid once per
 * credentials and revocation-cache lifetime, not per request; refusals are remembered too;
 * the client's own scopes apply; with no cache, every request verifies.
 */
import t from 'tap';
import Fastify from 'fastify';
import * as service from '../../src/modules/identity/service.js';
import { adminToken, createMember, createTestApp } from '../helpers/app.js';

const { app, database } = await createTestApp(t);
const admin = await adminToken(app);

let verifications = 0;
const { default: auth } = await t.mockImport<typeof import('../../src/plugins/auth.js')>('../../src/plugins/auth.js', {
  '../../src/modules/identity/service.js': {
    ...service,
    verifyClientCredentials: (...args: Parameters<typeof service.verifyClientCredentials>) => { verifications++; return service.verifyClientCredentials(...args); },
  },
});

async function probe(revocationCacheSeconds: number) {
  const instance = Fastify();
  await instance.register(auth, { db: database.db, keyRing: app.keyRing, tokenTtlSeconds: 900, revocationCacheSeconds });
  instance.get('/probe', { onRequest: instance.authorize('feed:read', { orBasic: true }) }, async (request) => ({ client: request.caller?.clientId }));
  t.teardown(() => instance.close());
  await instance.ready();
  return (id: string, secret: string) => instance.inject({ method: 'GET', url: '/probe', headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` } });
}

t.test('credentials are verified once, then remembered for the cache lifetime', async (t) => {
  const get = await probe(10);
  const agency = await createMember(app, admin, 'agency', 'FR');
  verifications = 0;
  const first = await Promise.all(Array.from({ length: 5 }, () => get(agency.clientId, agency.secret)));
  t.same(first.map((r) => r.statusCode), [200, 200, 200, 200, 200]);
  t.equal(verifications, 1, 'five concurrent first requests, one verification');
  for (let i = 0; i < 3; i++) t.equal((await get(agency.clientId, agency.secret)).statusCode, 200);
  t.equal(verifications, 1, 'later requests pay no hash');
  t.equal((await get(agency.clientId, 'wrong')).statusCode, 401);
  t.equal((await get(agency.clientId, 'wrong')).statusCode, 401);
  t.equal(verifications, 2, 'a wrong secret is verified once too');
  t.equal((await get('isop_nobody', agency.secret)).statusCode, 401, 'an unknown client');
  const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['music'] });
  t.equal((await get(partner.clientId, partner.secret)).statusCode, 403, 'the client\'s own scopes apply');
});

t.test('without a cache, every request verifies (the bound a revocation is held to)', async (t) => {
  const get = await probe(0);
  const agency = await createMember(app, admin, 'agency', 'DE');
  verifications = 0;
  await get(agency.clientId, agency.secret);
  await get(agency.clientId, agency.secret);
  t.equal(verifications, 2);
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/clients/${agency.clientId}`, headers: { authorization: `Bearer ${admin}` } })).statusCode, 204);
  t.equal((await get(agency.clientId, agency.secret)).statusCode, 401, 'revoked: refused');
});
