/**
 * The least-privilege production role of the README, set up with the README's own statements on
 * a real PostgreSQL (roles are a server's, not PGlite's): the service starts and works as that role
 * on a database its owner migrated, and it cannot change, remove or truncate audit rows, nor
 * disable the triggers that refuse it.
 */
import t from 'tap';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { migrate, openDatabase } from '../../src/db/client.js';
import { chainAudit, verifyAudit } from '../../src/modules/audit/chain.js';
import { startRuntime } from '../../src/runtime.js';
import { BOOTSTRAP_ID, BOOTSTRAP_SECRET, createMember, json, tokenFor } from '../helpers/app.js';

const base = process.env.DATABASE_URL;

/** The fenced block after `<!-- name -->` in the README, placeholders filled in. */
function snippet(name: string, values: Record<string, string>): string[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = new RegExp(`<!-- ${name} -->\\s*\`\`\`sql\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!m) throw new Error(`no snippet ${name} in README.md`);
  return m[1]!.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key]!).split(';').map((s) => s.trim()).filter(Boolean);
}

t.test('the service runs as the README\'s least-privilege role, which cannot rewrite the audit', { skip: base ? false : 'PostgreSQL only (roles and grants)' }, async (t) => {
  const suffix = randomBytes(4).toString('hex');
  const names = { owner: `isop_owner_${suffix}`, app: `isop_app_${suffix}`, database: `isop_test_${suffix}`, owner_password: 'owner-secret', app_password: 'app-secret' };
  const superuser = postgres(base!, { max: 1, onnotice: () => {} });
  const urlAs = (role: string) => {
    const url = new URL(base!);
    url.username = role;
    url.password = role === names.owner ? names.owner_password : names.app_password;
    url.pathname = `/${names.database}`;
    return url.toString();
  };
  t.teardown(async () => {
    await superuser.unsafe(`drop database if exists ${names.database} with (force)`);
    await superuser.unsafe(`drop role if exists ${names.app}`);
    await superuser.unsafe(`drop role if exists ${names.owner}`);
    await superuser.end();
  });
  for (const statement of snippet('least-privilege-roles', names)) await superuser.unsafe(statement);

  const owner = await openDatabase({ url: urlAs(names.owner), max: 2 }); // migrate() holds one connection for its lock
  await migrate(owner);
  for (const statement of snippet('least-privilege-grants', names)) await owner.db.execute(sql.raw(statement));
  await owner.close();

  const config = loadConfig({ DATABASE_URL: urlAs(names.app), LOG_LEVEL: 'silent', BOOTSTRAP_CLIENT_ID: BOOTSTRAP_ID, BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP_SECRET, RATE_LIMIT_MAX: '100000', TOKEN_RATE_LIMIT_MAX: '100000' });
  const { app, database } = await startRuntime(config, { logger: false });
  t.teardown(() => app.close());
  await app.ready();
  const admin = await tokenFor(app, BOOTSTRAP_ID, BOOTSTRAP_SECRET);
  const partner = await createMember(app, admin, 'partner', 'FR', { sectors: ['music'] });
  const agency = await createMember(app, admin, 'agency', 'FR');
  const pushed = await app.inject({ method: 'POST', url: '/v1/indicators', headers: partner.auth, payload: { items: [{ type: 'domain', value: 'least-privilege.com' }] } });
  t.equal(json(pushed).summary.created, 1, 'the service writes');
  t.equal(json(await app.inject({ method: 'GET', url: '/v1/feed', headers: agency.auth })).items.length, 1, 'and delivers');
  t.ok((await chainAudit(database.db)).chained > 0, 'and chains');
  t.match(await verifyAudit(database.db), { ok: true, pending: 0 });

  const refused = async (statement: string, reason: RegExp) => {
    await t.rejects(database.db.execute(sql.raw(statement)), { cause: { message: reason } }, statement);
  };
  await refused('update audit_log set actor = \'x\'', /permission denied for table audit_log/);
  await refused('delete from audit_log', /permission denied for table audit_log/);
  await refused('truncate audit_log', /permission denied for table audit_log/);
  await refused('update audit_chain set hash = \'x\'', /permission denied for table audit_chain/);
  await refused('delete from audit_chain', /permission denied for table audit_chain/);
  await refused('alter table audit_log disable trigger audit_log_append_only', /must be owner/);
  await refused('alter table audit_chain disable trigger audit_chain_append_only', /must be owner/);
  await refused('create table intruder (id int)', /permission denied for schema public/);
  t.match(await verifyAudit(database.db), { ok: true }, 'untouched');
});
