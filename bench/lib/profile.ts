/** Where the server's time went: self time per function from a V8 .cpuprofile (node --cpu-prof). */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }

export function summariseProfile(path: string, top = 40): Array<{ selfPercent: number; selfMs: number; fn: string }> {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const timeById = new Map<number, number>();
  profile.samples.forEach((id, i) => timeById.set(id, (timeById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const t = timeById.get(node.id) ?? 0;
    total += t;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*\/(node_modules|bench\/\.cache\/dist)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFn.set(key, (byFn.get(key) ?? 0) + t);
  }
  return [...byFn.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([fn, t]) => ({ selfPercent: Math.round((t / total) * 1000) / 10, selfMs: Math.round(t / 1000), fn }));
}
