/**
 * A real streaming replica for tests: a hot standby of the local primary (DATABASE_URL's server),
 * made with `pg_basebackup -R -X stream` into a temporary directory and started with `pg_ctl` on a
 * free port — as the postgres OS user when the tests run as root. Its replay can be paused and
 * resumed, so a test decides exactly which of the primary's commits the replica shows.
 *
 * `replicaUnavailable` says why one cannot be made here (no binaries, no replication access,
 * no free WAL sender), for a clear skip. .ci/run allows replication from 127.0.0.1.
 *
 * Clean-up: the standby is stopped, its replication slot dropped and its directory removed at
 * `stop()`; a standby, slot or directory left by a test process that died is removed by the next
 * `startReplica` (each is named after the process that made it).
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort, until } from './bind.js';

const run = promisify(execFile);
const PREFIX = 'isop-replica-';
const SLOT_PREFIX = 'isop_replica_';
const asRoot = userInfo().uid === 0;

/** A command as the postgres OS user when we are root (the server refuses to run as root). */
function asPostgres(program: string, args: string[], timeoutMs = 120_000) {
  return asRoot
    ? run('runuser', ['-u', 'postgres', '--', program, ...args], { timeout: timeoutMs })
    : run(program, args, { timeout: timeoutMs });
}

const alive = (pid: number) => {
  try { process.kill(pid, 0); return true; } catch (err) { return (err as NodeJS.ErrnoException).code === 'EPERM'; }
};

/** The primary's server as an admin URL (its `postgres` database), from any database URL on it. */
function adminUrl(base: string, database = 'postgres'): URL {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url;
}

interface PrimaryFacts { bin: string; host: string; port: string; user: string }

async function primaryFacts(base: string, admin: postgres.Sql): Promise<PrimaryFacts> {
  const [row] = await admin<{ version: string }[]>`select current_setting('server_version_num') as version`;
  const version = row!.version;
  const url = new URL(base);
  return {
    bin: `/usr/lib/postgresql/${Math.floor(Number(version) / 10000)}/bin`,
    host: url.hostname || '127.0.0.1', port: url.port || '5432', user: decodeURIComponent(url.username || 'postgres'),
  };
}

/** Why no replica can be made of `base`'s server here, or null when one can. */
export async function replicaUnavailable(base: string | undefined): Promise<string | null> {
  if (!base) return 'needs a real PostgreSQL (DATABASE_URL) to stream from';
  const admin = postgres(adminUrl(base).toString(), { max: 1, onnotice: () => {} });
  try {
    const facts = await primaryFacts(base, admin);
    const missing = ['pg_basebackup', 'pg_ctl', 'psql'].filter((p) => !existsSync(join(facts.bin, p)));
    if (missing.length) return `PostgreSQL server binaries not found (${missing.map((p) => join(facts.bin, p)).join(', ')})`;
    if (asRoot) {
      try { await run('id', ['-u', 'postgres']); } catch { return 'running as root and there is no postgres OS user to run the standby as'; }
    }
    const [s] = await admin<{ wal_level: string; senders: number; used: number }[]>`
      select current_setting('wal_level') as wal_level, current_setting('max_wal_senders')::int as senders,
        (select count(*)::int from pg_stat_replication) as used`;
    if (s!.wal_level === 'minimal') return 'the primary has wal_level=minimal (needs replica)';
    // pg_basebackup -X stream takes two senders for the backup, the standby one afterwards.
    if (s!.senders - s!.used < 2) return `the primary has no two free WAL senders (max_wal_senders=${s!.senders}, ${s!.used} in use)`;
    try {
      await run(join(facts.bin, 'psql'), [`host=${facts.host} port=${facts.port} user=${facts.user} dbname=postgres replication=true`, '-qAtc', 'IDENTIFY_SYSTEM'], { timeout: 30_000 });
    } catch (err) {
      const detail = String((err as { stderr?: string }).stderr ?? err).trim().split('\n')[0];
      return `the primary refuses replication connections from ${facts.host} (pg_hba.conf needs "host replication ${facts.user} ${facts.host}/32 trust"; .ci/run adds it): ${detail}`;
    }
    return null;
  } finally {
    await admin.end();
  }
}

export interface Replica {
  port: number;
  /** A URL of `database` on the standby. */
  url(database: string): string;
  /** A connection to the standby's `postgres` database. */
  sql: postgres.Sql;
  /** Stops replay (returns once it has stopped): the replica's view stays where it is. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Waits (bounded) until the standby has replayed everything the primary had written when called. */
  catchUp(seconds?: number): Promise<void>;
  /** Waits (bounded) until `database`, created on the primary, exists on the standby. */
  hasDatabase(database: string, seconds?: number): Promise<void>;
  /** The standby's log so far (for failures). */
  log(): string;
  stop(): Promise<void>;
}

/** Stops standbys, drops slots and removes directories that test processes now gone left behind. */
async function removeLeftovers(facts: PrimaryFacts, admin: postgres.Sql): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner = NaN;
    try { owner = Number(readFileSync(join(dir, 'owner'), 'utf8').trim()); } catch { /* not one of ours, or half made */ }
    if (!Number.isInteger(owner) || alive(owner)) continue;
    if (existsSync(join(dir, 'data', 'postmaster.pid'))) {
      await asPostgres(join(facts.bin, 'pg_ctl'), ['-D', join(dir, 'data'), '-m', 'immediate', '-w', 'stop']).catch(() => {});
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const slots = await admin<{ slot_name: string; active: boolean }[]>`
    select slot_name, active from pg_replication_slots where slot_name like ${SLOT_PREFIX + '%'}`;
  for (const slot of slots) {
    const owner = Number(/^isop_replica_(\d+)_/.exec(slot.slot_name)?.[1]);
    if (!Number.isInteger(owner) || alive(owner)) continue;
    // A standby just stopped above holds its slot until the primary notices it went.
    await until(`leftover slot ${slot.slot_name} to be released`, async () => {
      const [s] = await admin<{ active: boolean }[]>`select active from pg_replication_slots where slot_name = ${slot.slot_name}`;
      return !s?.active;
    }, 30).catch(() => {});
    await admin`select pg_drop_replication_slot(${slot.slot_name})`.catch(() => {});
  }
}

/** A hot standby of `base`'s server (see the top of this file). Call `stop()` in a teardown. */
export async function startReplica(base: string): Promise<Replica> {
  const admin = postgres(adminUrl(base).toString(), { max: 1, onnotice: () => {} });
  const facts = await primaryFacts(base, admin);
  await removeLeftovers(facts, admin);

  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, 'owner'), String(process.pid));
  if (asRoot) {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]).then((r) => r.map((x) => Number(x.stdout.trim())));
    chownSync(dir, uid!, gid!);
  }
  const data = join(dir, 'data');
  const slot = `${SLOT_PREFIX}${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  let sql: postgres.Sql | undefined;
  let started = false;
  const logFile = join(dir, 'standby.log');

  const stop = async () => {
    await sql?.end({ timeout: 5 }).catch(() => {});
    if (started || existsSync(join(data, 'postmaster.pid'))) {
      await asPostgres(join(facts.bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', '-t', '60', 'stop']).catch(() => {});
    }
    // The slot is released once the primary's WAL sender notices the standby went: wait for that.
    await until('the replica slot to be released', async () => {
      const [s] = await admin<{ active: boolean }[]>`select active from pg_replication_slots where slot_name = ${slot}`;
      if (!s) return true;
      if (s.active) return false;
      await admin`select pg_drop_replication_slot(${slot})`;
      return true;
    }, 60).catch(() => {});
    await admin.end({ timeout: 5 }).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // -c fast: an immediate checkpoint (a spread one may take minutes); -C -S: a slot of our own
    // keeps the WAL the standby still needs, whatever else writes to the primary meanwhile.
    await asPostgres(join(facts.bin, 'pg_basebackup'), [
      '-h', facts.host, '-p', facts.port, '-U', facts.user, '-D', data, '-R', '-X', 'stream', '-c', 'fast', '-C', '-S', slot, '-w',
    ], 300_000);
    // Debian keeps the configuration outside the data directory: the standby gets its own, with
    // the limits a hot standby must not set below the primary's.
    const limits = await admin<{ name: string; setting: string }[]>`
      select name, setting from pg_settings where name in
        ('max_connections', 'max_prepared_transactions', 'max_worker_processes', 'max_wal_senders', 'max_locks_per_transaction')`;
    const hba = 'local all all trust\nhost all all 127.0.0.1/32 trust\n';
    writeFileSync(join(data, 'pg_hba.conf'), hba);
    writeFileSync(join(data, 'pg_ident.conf'), '');
    mkdirSync(join(dir, 'socket'), { recursive: true });
    if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);

    let lastError: unknown;
    for (let attempt = 0; attempt < 3 && !started; attempt++) {
      const port = await freePort();
      const conf = [
        ...limits.map((l) => `${l.name} = ${l.setting}`),
        `port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${join(dir, 'socket')}'`,
        `hot_standby = on`, `hba_file = '${join(data, 'pg_hba.conf')}'`, `ident_file = '${join(data, 'pg_ident.conf')}'`,
        `shared_buffers = 32MB`, `fsync = off`, `synchronous_commit = off`, `logging_collector = off`,
        `ssl = off`, `wal_receiver_status_interval = 1s`,
      ].join('\n');
      // Appended: the last setting wins over anything a copied postgresql.conf says.
      const existing = existsSync(join(data, 'postgresql.conf')) ? readFileSync(join(data, 'postgresql.conf'), 'utf8') : '';
      writeFileSync(join(data, 'postgresql.conf'), `${existing.replace(/\n# isop replica test[\s\S]*$/, '')}\n# isop replica test\n${conf}\n`);
      if (asRoot) await run('chown', ['postgres:postgres', join(data, 'postgresql.conf')]);
      try {
        await asPostgres(join(facts.bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-w', '-t', '120', 'start'], 180_000);
        started = true;
        sql = postgres(`postgres://${facts.user}@127.0.0.1:${port}/postgres`, { max: 1, onnotice: () => {} });
        await until('the standby to accept connections', async () => (await sql!`select pg_is_in_recovery() as r`.then((r) => r[0]!.r as boolean, () => false)), 60);
        const replica = makeReplica(port);
        return replica;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError;
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-4000) : '';
    await stop();
    throw new Error(`could not start a standby: ${String((err as { stderr?: string }).stderr ?? err)}\n${log}`);
  }

  function makeReplica(port: number): Replica {
    const standby = sql!;
    return {
      port,
      sql: standby,
      url: (database) => `postgres://${facts.user}@127.0.0.1:${port}/${database}`,
      async pause() {
        await standby`select pg_wal_replay_pause()`;
        await until('replay to pause', async () => (await standby<{ s: string }[]>`select pg_get_wal_replay_pause_state() as s`)[0]!.s === 'paused', 30);
      },
      async resume() {
        await standby`select pg_wal_replay_resume()`;
      },
      async catchUp(seconds = 60) {
        const lsn = (await admin<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`)[0]!.lsn;
        await until(`replay to reach ${lsn}`, async () => {
          const [r] = await standby<{ done: boolean }[]>`select pg_last_wal_replay_lsn() >= ${lsn}::pg_lsn as done`;
          return r!.done;
        }, seconds, 50);
      },
      async hasDatabase(database, seconds = 60) {
        await until(`database ${database} on the standby`, async () => (await standby`select 1 from pg_database where datname = ${database}`).length > 0, seconds, 50);
      },
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      stop,
    };
  }
}
