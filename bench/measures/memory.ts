/**
 * Measure 4 — the server's peak memory over everything that ran before it: the kernel's
 * high-water mark (VmHWM of /proc/<pid>/status) and the peak of VmRSS sampled every 100 ms,
 * with the peak of each phase.
 */
import type { Measure } from '../lib/measure.js';

export const memory: Measure = {
  name: 'memory',
  title: 'Server peak memory',
  description: 'VmHWM of the server process after all other measures; VmRSS sampled every 100 ms per phase (and the server\'s CPU time per phase).',
  steps: () => [{
    label: 'memory',
    at: 'last',
    repeat: false,
    async run(ctx) {
      const m = ctx.server.memory();
      ctx.log(`server memory: VmHWM ${m.vmHwmMb.toFixed(0)} MB, sampled peak RSS ${m.peakRssMb.toFixed(0)} MB`);
      for (const p of m.phases) {
        ctx.log(`  ${p.phase}: peak RSS ${p.peakRssMb.toFixed(0)} MB, server CPU ${p.serverCpuSeconds.toFixed(1)} s in ${p.seconds.toFixed(1)} s (${p.serverCores.toFixed(2)} cores)`);
      }
      return [
        { id: 'memory.peak_hwm', label: 'Server peak memory (VmHWM) over the whole run', unit: 'MB', value: m.vmHwmMb, target: { op: '<=', value: 300 }, detail: { phases: m.phases } },
        { id: 'memory.peak_rss_sampled', label: 'Server peak RSS, sampled', unit: 'MB', value: m.peakRssMb },
      ];
    },
  }],
};
