import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { runAdmin } from '../src/cli/admin.js';
import { loadConfig } from '../src/config.js';
import { sql } from 'drizzle-orm';
import { migrate, rows } from '../src/db/client.js';
import { chainAudit } from '../src/modules/audit/chain.js';
import { startRuntime } from '../src/runtime.js';
import { isolatedDatabase, json } from './helpers/app.js';

const { handle } = await isolatedDatabase(t);
await migrate(handle);

/** Runs one command in-process against the test database, capturing both streams. */
async function admin(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdmin(argv, { out: (s) => out.push(s), err: (s) => err.push(s) }, handle);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '100000', TOKEN_RATE_LIMIT_MAX: '100000' });
// Built lazily: the runtime owns (and closes) the handle, so it starts after the first commands.
let runtime: Awaited<ReturnType<typeof startRuntime>> | undefined;
async function app() {
  if (!runtime) {
    runtime = await startRuntime(config, { database: handle, logger: false });
    await runtime.app.ready();
    const started = runtime;
    t.teardown(() => started.app.close());
  }
  return runtime.app;
}
const tokenRequest = async (clientId: string, secret: string, scope?: string) => (await app()).inject({
  method: 'POST', url: '/v1/auth/token',
  payload: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, ...(scope ? { scope } : {}) },
});

t.test('help and usage', async (t) => {
  const help = await admin('help');
  t.equal(help.code, 0);
  for (const command of ['create-org', 'create-client', 'revoke-client', 'list-orgs']) t.match(help.out, command);
  t.match(help.out, /stop the server/i, 'warns that the embedded database must not be shared');
  t.equal((await admin('--help')).code, 0);
  t.equal((await admin('list-orgs', '--help')).code, 0);

  const none = await admin();
  t.equal(none.code, 2);
  t.match(none.err, /^Usage:/m);

  const unknown = await admin('frobnicate');
  t.equal(unknown.code, 2);
  t.match(unknown.err, /unknown command "frobnicate"/);
  t.match(unknown.err, /^Usage:/m);

  const badOption = await admin('list-orgs', '--verbose');
  t.equal(badOption.code, 2);
  t.match(badOption.err, /--verbose/);
});

let orgId = '';
t.test('create-org', async (t) => {
  const created = await admin('create-org', '--name', 'CLI Films', '--kind', 'partner', '--country', 'fr', '--sectors', 'film_tv,music');
  t.equal(created.code, 0, `exits 0 ${created.err}`.trim());
  const org = JSON.parse(created.out);
  t.match(org, { name: 'CLI Films', kind: 'partner', country: 'FR', sectors: ['film_tv', 'music'] });
  t.match(org.id, /^[0-9a-f-]{36}$/);
  t.ok(!Number.isNaN(Date.parse(org.created_at)));
  orgId = org.id;

  const badKind = await admin('create-org', '--name', 'X', '--kind', 'pirate', '--country', 'FR');
  t.equal(badKind.code, 2);
  t.match(badKind.err, /--kind must be one of partner, agency, intermediary, secretariat/);
  const missing = await admin('create-org', '--name', 'X', '--kind', 'agency');
  t.equal(missing.code, 2);
  t.match(missing.err, /--country is required/);
  const badSector = await admin('create-org', '--name', 'X', '--kind', 'partner', '--country', 'FR', '--sectors', 'piracy');
  t.equal(badSector.code, 2);
  t.match(badSector.err, /--sectors: unknown piracy/);

  const badCountry = await admin('create-org', '--name', 'X', '--kind', 'agency', '--country', 'XX');
  t.equal(badCountry.code, 1);
  t.match(badCountry.err, /country is not an ISO 3166-1 alpha-2 code/);
  const sectorsForAgency = await admin('create-org', '--name', 'X', '--kind', 'agency', '--country', 'DE', '--sectors', 'music');
  t.equal(sectorsForAgency.code, 1);
  t.match(sectorsForAgency.err, /Only partners have sectors/);
  const duplicate = await admin('create-org', '--name', 'cli films', '--kind', 'agency', '--country', 'DE');
  t.equal(duplicate.code, 1);
  t.match(duplicate.err, /exists already/);
});

let client = { client_id: '', client_secret: '' };
t.test('create-client prints a working secret once', async (t) => {
  const created = await admin('create-client', '--org', orgId, '--name', 'primary');
  t.equal(created.code, 0, `exits 0 ${created.err}`.trim());
  client = JSON.parse(created.out);
  t.match(client, { client_id: String, client_secret: String, name: 'primary', scopes: ['indicators:write', 'indicators:read', 'outcomes:read'] });
  t.match(created.err, /not shown again/);

  const res = await tokenRequest(client.client_id, client.client_secret);
  t.equal(res.statusCode, 200, res.body);
  t.equal(json(res).scope, 'indicators:write indicators:read outcomes:read');

  const narrow = await admin('create-client', '--org', orgId, '--name', 'reader', '--scopes', 'indicators:read');
  t.equal(narrow.code, 0, `exits 0 ${narrow.err}`.trim());
  const reader = JSON.parse(narrow.out);
  const readerToken = await tokenRequest(reader.client_id, reader.client_secret);
  t.equal(json(readerToken).scope, 'indicators:read');

  const listed = await admin('list-orgs');
  t.equal(listed.code, 0);
  t.notMatch(listed.out, client.client_secret, 'list-orgs never shows a secret');
  const orgs = JSON.parse(listed.out);
  const mine = orgs.find((o: { id: string }) => o.id === orgId);
  t.same(mine.clients.map((c: { client_id: string }) => c.client_id).sort(), [client.client_id, reader.client_id].sort());
  t.ok(orgs.some((o: { kind: string }) => o.kind === 'secretariat'), 'the runtime bootstrap shows too');
});

t.test('create-client errors', async (t) => {
  const noOrg = await admin('create-client', '--name', 'x');
  t.equal(noOrg.code, 2);
  t.match(noOrg.err, /--org is required/);
  const notUuid = await admin('create-client', '--org', 'acme', '--name', 'x');
  t.equal(notUuid.code, 2);
  t.match(notUuid.err, /--org must be an organisation id/);
  const badScope = await admin('create-client', '--org', orgId, '--name', 'x', '--scopes', 'root');
  t.equal(badScope.code, 2);
  t.match(badScope.err, /--scopes: unknown root/);
  const unknownOrg = await admin('create-client', '--org', randomUUID(), '--name', 'x');
  t.equal(unknownOrg.code, 1);
  t.match(unknownOrg.err, /No such organisation/);
  const adminScope = await admin('create-client', '--org', orgId, '--name', 'x', '--scopes', 'admin');
  t.equal(adminScope.code, 1);
  t.match(adminScope.err, /Only secretariat clients may hold the admin scope/);
});

t.test('revoke-client', async (t) => {
  const revoked = await admin('revoke-client', '--client', client.client_id);
  t.equal(revoked.code, 0, `exits 0 ${revoked.err}`.trim());
  t.match(revoked.out, `revoked ${client.client_id}`);
  const res = await tokenRequest(client.client_id, client.client_secret);
  t.equal(res.statusCode, 401, 'a revoked client gets no token');

  const again = await admin('revoke-client', '--client', client.client_id);
  t.equal(again.code, 1);
  t.match(again.err, /no active client/);
  const missing = await admin('revoke-client');
  t.equal(missing.code, 2);

  const listed = JSON.parse((await admin('list-orgs')).out);
  const entry = listed.find((o: { id: string }) => o.id === orgId).clients.find((c: { client_id: string }) => c.client_id === client.client_id);
  t.ok(entry.revoked_at, 'list-orgs shows the revocation');
});

t.test('the CLI\'s actions are audited as system:cli; migrate; audit verify', async (t) => {
  t.equal((await admin('rotate-signing-key')).code, 0);
  const actions = await rows<{ action: string }>(handle.db, sql`select action from audit_log where actor = 'system:cli' order by id`);
  t.same([...new Set(actions.map((a) => a.action))].sort(), ['client.created', 'client.revoked', 'org.created', 'signing_key.added']);

  t.match(await admin('migrate'), { code: 0, out: 'migrations applied' });
  await chainAudit(handle.db);
  const verified = await admin('audit', 'verify');
  t.equal(verified.code, 0, verified.err);
  t.match(JSON.parse(verified.out), { ok: true, entries: Number, problems: [] });
  t.ok(JSON.parse(verified.out).entries > 0);
  const head = JSON.parse(verified.out).head;
  t.match(JSON.parse((await admin('audit', 'verify', '--after', String(head.entry), '--hash', head.hash)).out), { ok: true, entries: 0 });
  t.equal((await admin('audit', 'verify', '--after', 'x')).code, 2);
  t.equal((await admin('audit', 'verify', '--hash', head.hash)).code, 2, '--hash needs --after');
  t.equal((await admin('audit', 'frobnicate')).code, 2);
  t.match((await admin('help')).out, /audit verify/);
});

t.test('as a program: exit codes and its own embedded database', async (t) => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dataDir = mkdtempSync(join(tmpdir(), 'isop-cli-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, DATA_DIR: join(dataDir, 'db') } as Record<string, string | undefined>;
  delete env.DATABASE_URL;
  const run = (args: string[], extra: Record<string, string> = {}) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    // Under tap's own TypeScript loader (process.execArgv), so coverage counts this run too.
    execFile(process.execPath, [...process.execArgv, 'src/cli/admin.ts', ...args], { cwd: root, env: { ...env, ...extra }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }));
  });

  const unknown = await run(['nope']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, /unknown command/);
  const badConfig = await run(['list-orgs'], { LOG_LEVEL: 'loud' });
  t.equal(badConfig.code, 2);
  t.match(badConfig.stderr, /invalid configuration: LOG_LEVEL/);
  const created = await run(['create-org', '--name', 'Spawned', '--kind', 'intermediary', '--country', 'NL']);
  t.equal(created.code, 0, created.stderr);
  t.match(JSON.parse(created.stdout), { name: 'Spawned', kind: 'intermediary', country: 'NL' });
});
