/**
 * Database errors: a failing statement is a 500 whose log line holds the error's class, code,
 * constraint and table — never the SQL, its parameters or the row's values; a database that
 * cannot be reached is a 503 with Retry-After. Query-string values never reach the log.
 */
import t from 'tap';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { buildApp, loggerOptions } from '../../src/app.js';
import { openDatabase } from '../../src/db/client.js';
import { databaseErrorFacts, isDatabaseUnavailable } from '../../src/db/errors.js';
import { errorForLog, urlForLog } from '../../src/plugins/logging.js';
import { adminToken, BOOTSTRAP_ID, BOOTSTRAP_SECRET, createMember, createTestApp, json } from '../helpers/app.js';

t.test('log lines: URLs keep parameter names only; errors keep no values', async (t) => {
  t.equal(urlForLog('/v1/lookup?type=domain&value=red.example&access_token=eyJx'), '/v1/lookup?type&value&access_token');
  t.equal(urlForLog('/v1/feed'), '/v1/feed');
  t.equal(urlForLog('/v1/feed?eyJhbGciOiJFUzI1NiJ9=x&Secret42&&a=b=c'), '/v1/feed?…&…&a', 'a name that could be a value is not logged');

  const pg = Object.assign(new Error('new row for relation "clients" violates check constraint "c"'), {
    name: 'PostgresError', code: '23514', table_name: 'clients', constraint_name: 'c', detail: 'Failing row contains (isop_x, scrypt$16384$secret-hash)',
    query: 'insert into clients values ($1, $2)', parameters: ['isop_x', 'scrypt$16384$secret-hash'],
  });
  const wrapped = Object.assign(new Error('Failed query: insert into clients values ($1, $2)\nparams: isop_x,scrypt$16384$secret-hash', { cause: pg }), { name: 'DrizzleQueryError' });
  for (const err of [pg, wrapped]) {
    const logged = JSON.stringify(errorForLog(err));
    t.notMatch(logged, /secret-hash|insert into|Failing row|isop_x/, 'no SQL, parameters or values');
    t.match(errorForLog(err), { message: 'database error 23514', code: '23514', constraint: 'c', table: 'clients' });
  }
  const plain = errorForLog(Object.assign(new Error('boom'), { rawPacket: Buffer.from('Authorization: Bearer secret'), code: 'HPE_X' }));
  t.match(plain, { type: 'Error', message: 'boom', code: 'HPE_X' });
  t.notOk('rawPacket' in plain, 'extra properties (a client error\'s raw request) are dropped');
});

t.test('what counts as the database being unreachable', async (t) => {
  const err = (code: string) => Object.assign(new Error('x'), { code });
  const unavailable = ['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'ECONNREFUSED', 'ECONNRESET', '08006', '08001', '08P01', '57P01', '57P02', '57P03'];
  for (const code of unavailable) {
    t.ok(isDatabaseUnavailable(err(code)), code);
    t.ok(isDatabaseUnavailable(new Error('Failed query', { cause: err(code) })), `${code}, wrapped`);
  }
  for (const code of ['23505', '22012', '40001', '57014', '42P01']) t.notOk(isDatabaseUnavailable(err(code)), `${code} is a failing statement`);
  t.ok(isDatabaseUnavailable(new Error('Failed query', { cause: new Error('PGlite is closed') })), 'PGlite closed');
  t.notOk(isDatabaseUnavailable(new TypeError('x')));
  t.same(databaseErrorFacts(new Error('x', { cause: Object.assign(new Error('y'), { code: '23505', constraint: 'k', table: 't' }) })), { code: '23505', constraint: 'k', table: 't' });
});

t.test('a failing statement: 500, and the log line holds no parameter or value', async (t) => {
  const { app, database, logs } = await createTestApp(t);
  const admin = await adminToken(app);
  const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['film_tv'] });
  // Every new client now fails in PostgreSQL itself, with the new secret's hash among the parameters.
  await database.db.execute(sql.raw('alter table clients add constraint no_new_clients check (false) not valid'));
  const name = 'client-name-that-must-not-be-logged';
  const res = await app.inject({
    method: 'POST', url: `/v1/orgs/${partner.orgId}/clients`,
    headers: { authorization: `Bearer ${admin}`, 'x-request-id': 'trace-db-error' }, payload: { name },
  });
  t.equal(res.statusCode, 500);
  t.match(res.headers['content-type'], /^application\/problem\+json/);
  t.notMatch(res.body, /insert|clients|no_new_clients|scrypt/, 'the client learns nothing of the SQL');

  // A secret in a query string is logged with the request, before the route refuses the unknown parameter.
  t.equal((await app.inject({ method: 'GET', url: '/v1/orgs?access_token=query-secret-value', headers: { authorization: `Bearer ${admin}` } })).statusCode, 400);

  const all = logs.join('');
  for (const leak of [name, 'scrypt$', 'insert into', 'params:', 'Failing row', 'query-secret-value', BOOTSTRAP_SECRET]) {
    t.notOk(all.includes(leak), `the log does not hold ${JSON.stringify(leak)}`);
  }
  const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'unhandled error');
  t.match(line, { reqId: 'trace-db-error', err: { type: 'DrizzleQueryError', code: '23514', constraint: 'no_new_clients', table: 'clients' } });
  t.ok(logs.some((l) => l.includes('"url":"/v1/orgs?access_token"')), 'the URL is logged with parameter names only');
});

t.test('a closed database: 503 with Retry-After, on every driver', async (t) => {
  const { app, database, logs } = await createTestApp(t);
  const admin = await adminToken(app);
  await database.close();
  const token = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: BOOTSTRAP_ID, client_secret: BOOTSTRAP_SECRET } });
  const read = await app.inject({ method: 'GET', url: '/v1/orgs', headers: { authorization: `Bearer ${admin}` } });
  for (const res of [token, read]) {
    t.equal(res.statusCode, 503);
    t.equal(res.headers['retry-after'], '5');
    t.match(json(res), { status: 503, type: 'urn:isop:problem:service-unavailable', detail: /database/ });
  }
  t.ok(logs.some((l) => l.includes('"msg":"database unavailable"')), 'logged as an outage');
  t.notOk(logs.join('').includes(BOOTSTRAP_SECRET));
});

t.test('a database that refuses connections: 503', async (t) => {
  const { app, config } = await createTestApp(t);
  const unreachable = await openDatabase({ url: 'postgres://postgres@127.0.0.1:1/nothing', max: 1 });
  const logs: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } });
  const cut = await buildApp({
    config, database: unreachable, keyRing: app.keyRing, warninglists: app.warninglists, cursorKey: Buffer.alloc(32),
    logger: loggerOptions('info', stream),
  });
  t.teardown(async () => { await cut.close(); await unreachable.close(); });
  const res = await cut.inject({ method: 'POST', url: '/v1/auth/token', payload: { grant_type: 'client_credentials', client_id: BOOTSTRAP_ID, client_secret: BOOTSTRAP_SECRET } });
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '5');
  t.match(logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'database unavailable'), { err: { code: 'ECONNREFUSED' } });
  t.notOk(logs.join('').includes(BOOTSTRAP_ID), 'the query parameters (the client id) are not logged');
});
