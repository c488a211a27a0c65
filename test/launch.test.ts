/**
 * The service runs the same way from `npm start` and from the Docker image: the same allocator
 * settings and the same V8 heap bound (the benchmark's server takes them from the start script,
 * bench/lib/server.ts, so its memory figures are the production configuration's).
 */
import { readFileSync } from 'node:fs';
import t from 'tap';

const root = new URL('../', import.meta.url);
const start = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

t.test('npm start and the Docker image bound the heap and set the allocator alike', async (t) => {
  const launch = start.split('&&').pop()!.trim().split(/\s+/);
  const env = launch.filter((w) => /^[A-Z_][A-Z0-9_]*=/.test(w));
  const flags = launch.filter((w) => w.startsWith('--'));
  t.ok(flags.some((f) => /^--max-old-space-size=\d+$/.test(f)), `the start script bounds the old generation (${start})`);
  t.ok(env.includes('MALLOC_ARENA_MAX=2'), 'and caps the malloc arenas');
  const cmd = /^CMD (\[.*\])$/m.exec(runtime.slice(runtime.lastIndexOf('\nCMD ')))?.[1];
  t.ok(cmd, 'the image has a CMD');
  const args = JSON.parse(cmd!) as string[];
  t.same(args.filter((a) => a.startsWith('--')), flags, 'the image runs node with the same flags');
  for (const assignment of env) {
    const [name, value] = assignment.split('=');
    t.match(runtime, new RegExp(`\\b${name}=${value}\\b`), `the image sets ${assignment}`);
  }
});
