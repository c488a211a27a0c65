/**
 * Administration from the command line: organisations and API clients, straight in the
 * database (no token needed), audited as `system:cli`; verifying the audit chain. `npm run admin -- <command>`; in the Docker image
 * `node dist/src/cli/admin.js <command>`.
 *
 * Exit codes: 0 done, 1 the operation failed (the message says why), 2 usage or configuration error.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { asc } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../config.js';
import { migrate, openDatabase, type Database, type DatabaseHandle } from '../db/client.js';
import { clients, orgs } from '../db/schema.js';
import { toRfc3339 } from '../db/sql.js';
import { ORG_KINDS, type OrgKind } from '../domain/types.js';
import type { ScopeName } from '../plugins/auth.js';
import { HttpProblem } from '../plugins/problems.js';
import { createClient, createOrg, revokeClient, type ZoneIssuer } from '../modules/identity/service.js';
import { loadSealKeys } from '../modules/dns/seal.js';
import { addSigningKey, retireSigningKey } from '../modules/identity/keys.js';
import { Scope, Sector } from '../../schemas/identity.js';
import { recordAudit, SYSTEM_ACTORS } from '../modules/audit/log.js';
import { verifyAudit } from '../modules/audit/chain.js';

/** An intermediary's client gets its resolver zone's TSIG key, sealed with the server's keys (TSIG_SEAL_KEY). */
function zoneIssuer(db: Database): ZoneIssuer {
  const config = loadConfig();
  return { sealKeys: () => loadSealKeys(db, config.tsigSealKeys), rpz: config.rpz };
}

export interface AdminIo {
  /** One line of results (stdout). */
  out(s: string): void;
  /** One line of warnings and errors (stderr). */
  err(s: string): void;
}

const SECTORS: string[] = Sector.enum;
const SCOPES: string[] = Scope.enum;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const USAGE = `Usage: npm run admin -- <command> [options]
       (in the Docker image: node dist/src/cli/admin.js <command> [options])

Commands:
  create-org --name NAME --kind KIND --country CC [--sectors a,b]
      Create an organisation and print it as JSON.
      KIND: ${ORG_KINDS.join(', ')}
      CC: ISO 3166-1 alpha-2 country code (EU for union-level bodies)
      sectors (partners only): ${SECTORS.join(', ')}
  create-client --org ORG_ID --name NAME [--scopes a,b]
      Create an API client and print its client_id and client_secret as JSON.
      The secret is shown only this once; only a hash is stored.
      scopes (default: those of the organisation's kind): ${SCOPES.join(', ')}
  revoke-client --client CLIENT_ID
      Revoke a client: token requests fail at once; a running server rejects the client's
      issued tokens within REVOCATION_CACHE_SECONDS.
  list-orgs
      Print every organisation with its clients (never their secrets) as JSON.
  rotate-signing-key
      Add a new token signing key. Each node signs with it from its next start; every node
      accepts it at once, and the older keys keep verifying the tokens they signed.
  retire-signing-key --kid KID
      Stop accepting tokens signed with KID (after the longest token lifetime has passed since
      every node restarted on the new key). Nodes drop it within 30 seconds.
  migrate
      Apply pending migrations and exit (every command does so first). With a least-privilege
      service role, run it with the owner role's DATABASE_URL before starting the new version.
  audit verify [--after ENTRY [--hash HASH]]
      Verify the audit log's hash chain: every entry, link and row, in bounded memory. Prints
      { ok, entries, head, pending, problems } as JSON and exits 1 when something was changed,
      inserted or deleted (each problem names its entry). --after (with --hash, a head published
      earlier) verifies only what was chained since.
  help
      Show this text.

Database: the same configuration as the server. DATABASE_URL (postgres://...) when set,
otherwise the embedded database in DATA_DIR (default ./data/db). Migrations are applied first.
With the embedded database, STOP THE SERVER FIRST: its data directory must never be opened by
two processes at once. With PostgreSQL the server may keep running.

Exit codes: 0 done, 1 the operation failed, 2 usage or configuration error.`;

class UsageError extends Error {}

const list = (raw: string | undefined) => raw === undefined ? undefined : raw.split(',').map((s) => s.trim()).filter(Boolean);

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

function oneOfEach(values: string[], allowed: string[], option: string): void {
  const unknown = values.filter((v) => !allowed.includes(v));
  if (unknown.length) throw new UsageError(`--${option}: unknown ${unknown.join(', ')} (allowed: ${allowed.join(', ')})`);
}

type Command = (db: DatabaseHandle['db'], values: Record<string, string | boolean | undefined>, io: AdminIo) => Promise<number>;

interface CommandSpec {
  options: Record<string, { type: 'string' }>;
  /** Checks the options before the database is opened; throws UsageError. */
  check(values: Record<string, string | boolean | undefined>): void;
  run: Command;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

const COMMANDS: Record<string, CommandSpec> = {
  'create-org': {
    options: { name: { type: 'string' }, kind: { type: 'string' }, country: { type: 'string' }, sectors: { type: 'string' } },
    check(values) {
      const name = required(values, 'name');
      if (name.length > 200) throw new UsageError('--name must be at most 200 characters');
      const kind = required(values, 'kind');
      if (!(ORG_KINDS as readonly string[]).includes(kind)) {
        throw new UsageError(`--kind must be one of ${ORG_KINDS.join(', ')}, got "${kind}"`);
      }
      required(values, 'country');
      const sectors = list(values.sectors as string | undefined);
      if (sectors) oneOfEach(sectors, SECTORS, 'sectors');
    },
    async run(db, values, io) {
      const sectors = list(values.sectors as string | undefined);
      const row = await createOrg(db, {
        name: String(values.name).trim(),
        kind: values.kind as OrgKind,
        country: String(values.country).trim().toUpperCase(),
        ...(sectors ? { sectors: [...new Set(sectors)] } : {}),
      }, SYSTEM_ACTORS.cli);
      io.out(json({ id: row.id, name: row.name, kind: row.kind, country: row.country, sectors: row.sectors, created_at: toRfc3339(row.createdAt) }));
      return 0;
    },
  },
  'create-client': {
    options: { org: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'string' } },
    check(values) {
      const org = required(values, 'org');
      if (!UUID.test(org)) throw new UsageError(`--org must be an organisation id (a UUID), got "${org}"`);
      const name = required(values, 'name');
      if (name.length > 200) throw new UsageError('--name must be at most 200 characters');
      const scopes = list(values.scopes as string | undefined);
      if (scopes) {
        if (scopes.length === 0) throw new UsageError('--scopes must name at least one scope');
        oneOfEach(scopes, SCOPES, 'scopes');
      }
    },
    async run(db, values, io) {
      const scopes = list(values.scopes as string | undefined);
      const created = await createClient(db, {
        orgId: String(values.org).trim(),
        name: String(values.name).trim(),
        ...(scopes ? { scopes: [...new Set(scopes)] as ScopeName[] } : {}),
      }, SYSTEM_ACTORS.cli, zoneIssuer(db));
      io.out(json(created));
      io.err(`Keep the client_secret${created.tsig_key ? ' and the tsig_key secret' : ''} now: not shown again.`);
      return 0;
    },
  },
  'revoke-client': {
    options: { client: { type: 'string' } },
    check(values) { required(values, 'client'); },
    async run(db, values, io) {
      const clientId = String(values.client).trim();
      if (!(await revokeClient(db, clientId, SYSTEM_ACTORS.cli))) {
        io.err(`error: no active client "${clientId}" (unknown, or revoked already).`);
        return 1;
      }
      io.out(`revoked ${clientId}`);
      return 0;
    },
  },
  'rotate-signing-key': {
    options: {},
    check() {},
    async run(db, _values, io) {
      const kid = await addSigningKey(db);
      await recordAudit(db, SYSTEM_ACTORS.cli, { action: 'signing_key.added', subject: kid });
      io.out(json({ kid }));
      io.err('Restart every node to sign with the new key; retire the old one after the token lifetime.');
      return 0;
    },
  },
  'retire-signing-key': {
    options: { kid: { type: 'string' } },
    check(values) { required(values, 'kid'); },
    async run(db, values, io) {
      const kid = String(values.kid).trim();
      if (!(await retireSigningKey(db, kid))) {
        io.err(`error: no active signing key "${kid}".`);
        return 1;
      }
      await recordAudit(db, SYSTEM_ACTORS.cli, { action: 'signing_key.retired', subject: kid });
      io.out(`retired ${kid}`);
      return 0;
    },
  },
  migrate: {
    options: {},
    check() {},
    async run(_db, _values, io) {
      io.out('migrations applied'); // by runAdmin, before every command
      return 0;
    },
  },
  'audit verify': {
    options: { after: { type: 'string' }, hash: { type: 'string' } },
    check(values) {
      if (values.after !== undefined && !/^[1-9]\d{0,15}$/.test(String(values.after))) throw new UsageError('--after must be an entry number');
      if (values.hash !== undefined && (values.after === undefined || !/^[0-9a-f]{64}$/.test(String(values.hash)))) {
        throw new UsageError('--hash must be a 64-digit hex SHA-256, given with --after');
      }
    },
    async run(db, values, io) {
      const after = values.after === undefined ? undefined : { entry: Number(values.after), ...(values.hash ? { hash: String(values.hash) } : {}) };
      const result = await verifyAudit(db, after ? { after } : {});
      io.out(json(result));
      if (!result.ok) io.err(`error: the audit chain does not verify (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}).`);
      return result.ok ? 0 : 1;
    },
  },
  'list-orgs': {
    options: {},
    check() {},
    async run(db, _values, io) {
      const orgRows = await db.select().from(orgs).orderBy(asc(orgs.name));
      const clientRows = await db.select({
        clientId: clients.clientId, orgId: clients.orgId, name: clients.name, scopes: clients.scopes,
        createdAt: clients.createdAt, revokedAt: clients.revokedAt,
      }).from(clients).orderBy(asc(clients.createdAt));
      io.out(json(orgRows.map((org) => ({
        id: org.id, name: org.name, kind: org.kind, country: org.country, sectors: org.sectors,
        created_at: toRfc3339(org.createdAt),
        clients: clientRows.filter((c) => c.orgId === org.id).map((c) => ({
          client_id: c.clientId, name: c.name, scopes: c.scopes, created_at: toRfc3339(c.createdAt),
          revoked_at: c.revokedAt === null ? null : toRfc3339(c.revokedAt),
        })),
      }))));
      return 0;
    },
  },
};

function describe(err: unknown): string[] {
  if (err instanceof HttpProblem) {
    return [`error: ${err.message}`, ...(err.errors ?? []).map((e) => `  ${e.path.replace(/^\/body\//, '--')}: ${e.message}`)];
  }
  return [`error: ${err instanceof Error ? err.message : String(err)}`];
}

/**
 * Runs one admin command. `database`, when given, is used as it is (not migrated, not closed);
 * otherwise the database is opened from the environment, migrated, and closed at the end.
 */
export async function runAdmin(argv: string[], io: AdminIo, database?: DatabaseHandle): Promise<number> {
  // Two-word commands: `audit verify`.
  const [first, ...others] = argv;
  const [command, rest] = first === 'audit' && others[0] !== undefined && !others[0].startsWith('-')
    ? [`audit ${others[0]}`, others.slice(1)] : [first, others];
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) {
    io.err(`error: unknown command "${command}"`);
    io.err(USAGE);
    return 2;
  }

  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({ args: rest, options: { ...spec.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
    values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    spec.check(values);
  } catch (err) {
    io.err(`error: ${command}: ${err instanceof Error ? err.message : String(err)}`);
    io.err(`Run "npm run admin -- help" for usage.`);
    return 2;
  }

  let handle = database;
  if (!handle) {
    try {
      const config = loadConfig();
      handle = await openDatabase(config.databaseUrl ? { url: config.databaseUrl, max: 2 } : { dataDir: config.dataDir });
    } catch (err) {
      if (err instanceof ConfigError) {
        io.err(err.message);
        return 2;
      }
      for (const line of describe(err)) io.err(line);
      return 1;
    }
  }
  try {
    if (!database) await migrate(handle);
    return await spec.run(handle.db, values, io);
  } catch (err) {
    for (const line of describe(err)) io.err(line);
    return 1;
  } finally {
    if (!database) await handle.close();
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const code = await runAdmin(process.argv.slice(2), {
    out: (s) => { process.stdout.write(`${s}\n`); },
    err: (s) => { process.stderr.write(`${s}\n`); },
  });
  process.exitCode = code;
}
