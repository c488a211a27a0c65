/**
 * The server under test, as a real separate process: the compiled service (`tsc` into
 * bench/.cache/dist) started with `node`, listening on 127.0.0.1 only. Its memory is sampled
 * from /proc/<pid>/status (VmRSS) while it runs; VmHWM gives the kernel's own peak.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = `${ROOT}bench/.cache/dist`;

/** Compile the service once per run, so the measured process runs plain JavaScript (no loader). */
export function buildServer(log: (m: string) => void): void {
  log('compiling the service (tsc → bench/.cache/dist)');
  const out = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', DIST], { cwd: ROOT, stdio: 'inherit' });
  if (out.status !== 0) throw new Error('tsc failed');
}

/**
 * How the service runs in production: the environment assignments and node flags of
 * package.json's `start` script (`… && MALLOC_ARENA_MAX=2 node --max-old-space-size=N dist/src/server.js`;
 * the Dockerfile carries the same), so that the measured process has the same heap bound and
 * allocator settings. BENCH_NODE_FLAGS (space-separated) replaces the flags, for experiments.
 */
export function productionLaunch(): { env: Record<string, string>; flags: string[] } {
  const start = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
  const words = (start.split('&&').pop() ?? '').trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[i]!); i++) {
    const [name, ...value] = words[i]!.split('=');
    env[name!] = value.join('=');
  }
  const flags: string[] = [];
  if (words[i] === 'node') for (i++; i < words.length && words[i]!.startsWith('--'); i++) flags.push(words[i]!);
  const override = process.env.BENCH_NODE_FLAGS;
  return { env, flags: override !== undefined ? override.split(/\s+/).filter(Boolean) : flags };
}

export interface ServerOptions {
  databaseUrl: string;
  port: number;
  clientId: string;
  clientSecret: string;
  /** Write a V8 CPU profile into this directory when the server stops. */
  cpuProfDir?: string;
  env?: Record<string, string>;
  /** Its stdout and stderr go to bench/.cache/<logName> (default server.log). */
  logName?: string;
}

export interface MemorySample { at: number; rssKb: number }

export class ServerProcess {
  readonly baseUrl: string;
  #child: ChildProcess | undefined;
  #timer: NodeJS.Timeout | undefined;
  #samples: MemorySample[] = [];
  #marks: Array<{ label: string; from: number; to?: number; cpuFrom: number; cpuTo?: number }> = [];
  #stderr = '';

  constructor(private readonly options: ServerOptions) {
    this.baseUrl = `http://127.0.0.1:${options.port}`;
  }

  get pid(): number { return this.#child?.pid ?? -1; }

  async start(): Promise<void> {
    const o = this.options;
    const launch = productionLaunch();
    const args = [...launch.flags, ...(o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : []), `${DIST}/src/server.js`];
    if (o.cpuProfDir) mkdirSync(o.cpuProfDir, { recursive: true });
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...launch.env, PATH: process.env.PATH ?? '', NODE_ENV: 'production',
        DATABASE_URL: o.databaseUrl, HOST: '127.0.0.1', PORT: String(o.port), LOG_LEVEL: 'warn',
        BOOTSTRAP_CLIENT_ID: o.clientId, BOOTSTRAP_CLIENT_SECRET: o.clientSecret,
        RATE_LIMIT_MAX: '1000000', TOKEN_RATE_LIMIT_MAX: '1000000', TOKEN_TTL_SECONDS: '86400',
        ...o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    mkdirSync(`${ROOT}bench/.cache`, { recursive: true });
    const errLog = createWriteStream(`${ROOT}bench/.cache/${o.logName ?? 'server.log'}`);
    child.stderr!.on('data', (chunk) => { this.#stderr = (this.#stderr + String(chunk)).slice(-20_000); errLog.write(chunk); });
    child.stdout!.on('data', (chunk) => errLog.write(chunk));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${this.#stderr}`);
      try {
        const res = await fetch(`${this.baseUrl}/readyz`);
        if (res.ok) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) throw new Error(`server not ready after 60 s: ${this.#stderr}`);
      await sleep(200);
    }
    this.#timer = setInterval(() => this.#sample(), 100);
    this.#timer.unref();
  }

  #sample(): void {
    const rss = this.#status('VmRSS');
    if (rss !== null) this.#samples.push({ at: Date.now(), rssKb: rss });
  }

  #status(field: string): number | null {
    try {
      const text = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  /** CPU seconds (user + system) the server has used so far, from /proc/<pid>/stat. */
  #cpuSeconds(): number {
    try {
      const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
    } catch {
      return NaN;
    }
  }

  /** Label what the server is doing now (for per-phase memory peaks and CPU time). */
  mark(label: string): void {
    const last = this.#marks[this.#marks.length - 1];
    const cpu = this.#cpuSeconds();
    if (last && last.to === undefined) { last.to = Date.now(); last.cpuTo = cpu; }
    this.#marks.push({ label, from: Date.now(), cpuFrom: cpu });
  }

  /** Peak memory so far: the kernel's VmHWM and the highest sampled VmRSS, in MB, and per phase. */
  memory() {
    this.#sample();
    const hwmKb = this.#status('VmHWM') ?? NaN;
    const peakSampled = Math.max(0, ...this.#samples.map((s) => s.rssKb));
    const phases = this.#marks.map((m) => {
      const inside = this.#samples.filter((s) => s.at >= m.from && s.at <= (m.to ?? Date.now()));
      const seconds = ((m.to ?? Date.now()) - m.from) / 1000;
      const cpuSeconds = (m.cpuTo ?? this.#cpuSeconds()) - m.cpuFrom;
      return {
        phase: m.label, peakRssMb: inside.length ? Math.max(...inside.map((s) => s.rssKb)) / 1024 : NaN,
        seconds, serverCpuSeconds: cpuSeconds, serverCores: seconds > 0 ? cpuSeconds / seconds : NaN,
      };
    });
    return { vmHwmMb: hwmKb / 1024, peakRssMb: peakSampled / 1024, currentRssMb: (this.#samples[this.#samples.length - 1]?.rssKb ?? NaN) / 1024, phases };
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    const child = this.#child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
