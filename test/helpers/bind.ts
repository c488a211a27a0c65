/**
 * A BIND 9 resolver as a secondary of one resolver zone, in a temporary directory on a free
 * high port, configured from the operator guide's own snippets (docs/resolver-zones.md).
 * Used by test/modules/dns-bind.test.ts and bench/dns.ts.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decode } from '../../src/modules/dns/wire.js';
import { query, udpExchange } from './dns.js';

export const run = promisify(execFile);

/** The BIND programs the resolver test needs that are not installed here. */
export async function missingBind(): Promise<string[]> {
  const found = await Promise.all(['named', 'named-checkzone', 'dig'].map((b) => run('sh', ['-c', `command -v ${b}`]).then(() => null, () => b)));
  return found.filter((b): b is string => b !== null);
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits for `check` to hold, polling; fails after `seconds` (bounded, no fixed sleeps). */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, seconds = 30, pollMs = 250): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (let wait = Math.min(25, pollMs); ; wait = Math.min(wait * 2, pollMs)) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The fenced block after the marker `<!-- name -->` in the operator guide, placeholders filled in. */
export function snippet(name: string, values: Record<string, string>): string {
  const guide = readFileSync(new URL('../../docs/resolver-zones.md', import.meta.url), 'utf8');
  const m = new RegExp(`<!-- ${name} -->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\``).exec(guide);
  if (!m) throw new Error(`no snippet ${name} in docs/resolver-zones.md`);
  return m[1]!.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`snippet ${name}: no value for {{${key}}}`);
    return values[key]!;
  });
}

export interface Bind {
  port: number;
  dir: string;
  /** Everything named logged so far. */
  log(): string;
  /** The RCODE BIND answers for `name`/A (a recursive query, as a user's device sends). */
  rcode(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface BindOptions {
  zone: string;
  keyName: string;
  secret: string;
  primaryPort: number;
  port?: number;
  /** A local zone "tv." standing in for the Internet: every name resolves, these to the given addresses. */
  tvRecords?: Record<string, string>;
}

export async function startBind(o: BindOptions): Promise<Bind> {
  const port = o.port ?? await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'isop-bind-'));
  writeFileSync(join(dir, 'named.conf'), `
options {
  directory "${dir}";
  pid-file "${dir}/named.pid";
  session-keyfile "${dir}/session.key";
  managed-keys-directory "${dir}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion yes;
  allow-query { 127.0.0.1; };
  dnssec-validation no;
  notify no;
${snippet('bind-policy', { zone: o.zone })}
};
controls { };
${snippet('bind-secondary', { zone: o.zone, key_name: o.keyName, secret: o.secret, primary: '127.0.0.1', primary_port: String(o.primaryPort), file: 'rpz.db' })}
// Stands in for the Internet: every name under tv. resolves.
zone "tv" { type primary; file "tv.db"; };
`);
  writeFileSync(join(dir, 'tv.db'), [
    '$TTL 60', '@ IN SOA ns.tv. hostmaster.tv. ( 1 3600 600 86400 60 )', '@ IN NS ns.tv.', 'ns IN A 127.0.0.1', '* IN A 192.0.2.80',
    ...Object.entries(o.tvRecords ?? {}).map(([name, address]) => `${name} IN ${address.includes(':') ? 'AAAA' : 'A'} ${address}`), '',
  ].join('\n'));
  // named drops to an unprivileged user when started as root; that user writes the zone copy here.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chmodSync(dir, 0o777);
  const named = spawn('named', ['-g', '-c', join(dir, 'named.conf'), ...(asRoot ? ['-u', 'nobody'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  named.stdout.on('data', (d) => lines.push(String(d)));
  named.stderr.on('data', (d) => lines.push(String(d)));
  const exited = new Promise<void>((resolve) => named.once('exit', () => resolve()));
  return {
    port, dir,
    log: () => lines.join(''),
    async rcode(name) {
      const raw = await udpExchange(port, query({ name, type: 'A', class: 'IN' }, { recursionDesired: true }).raw);
      return decode(raw).rcode;
    },
    async stop() {
      named.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
