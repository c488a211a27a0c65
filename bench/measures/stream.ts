/**
 * Measure 6 — live stream latency: commit → event received, with 100 subscribers on loopback.
 *
 * 100 consumers (agencies and intermediaries, one stream each) follow GET /v1/feed/stream from
 * the head of the change log. A partner then pushes one indicator every consumer may receive,
 * waits until all 100 streams carried it, and pushes the next. Latency runs from the POST's
 * answer (the commit precedes it by well under a millisecond on loopback) to the chunk holding
 * the value at each consumer; the same from the moment the POST was sent is kept in the detail
 * (it adds the ingest itself). Consumers spot their value in the raw stream, without parsing.
 */
import type { Measure } from '../lib/measure.js';
import { summary } from '../lib/stats.js';

const SUBSCRIBERS = 100;
/** How long one write may take to reach every subscriber before it counts as lost. */
const DELIVERY_TIMEOUT_MS = 10_000;

interface Subscriber { seen: Map<string, number>; tail: string; abort: AbortController; open: Promise<void> }

export const stream: Measure = {
  name: 'stream',
  title: 'Live stream latency (commit → event)',
  description: '100 SSE subscribers on loopback; one partner pushes one indicator at a time that all of them receive.',
  steps: (scale) => [{
    label: 'stream latency',
    repeat: false,
    at: scale.feedLevel,
    async run(ctx, run) {
      const { fleet, api } = ctx;
      const writes = ctx.scale.name === 'full' ? 200 : 40;
      const pool = [...fleet.agencies, ...fleet.intermediaries];
      const consumers = Array.from({ length: SUBSCRIBERS }, (_, k) => pool[(k * 7) % pool.length]!);
      const tokens = await Promise.all(consumers.map((m) => fleet.token(m)));
      const writer = fleet.partners[run % fleet.partners.length]!;
      const writerToken = await fleet.token(writer);
      // From the head: nothing committed before this is sent.
      const [head] = await ctx.sql<Array<{ xmax: string }>>`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`;
      const cursor = encodeURIComponent(ctx.cursorAt(head!.xmax, 0));
      const markers = Array.from({ length: writes }, (_, k) => `stream-bench-${run}-${k}-${Date.now().toString(36)}.com`);

      const subscribers: Subscriber[] = tokens.map((token) => {
        const abort = new AbortController();
        const seen = new Map<string, number>();
        const sub: Subscriber = { seen, tail: '', abort, open: Promise.resolve() };
        sub.open = (async () => {
          const res = await fetch(`${api.baseUrl}/v1/feed/stream?types=domain&cursor=${cursor}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
          if (res.status !== 200) throw new Error(`stream refused: ${res.status} ${await res.text()}`);
          const reader = (res.body as ReadableStream<Uint8Array>).getReader();
          const decoder = new TextDecoder();
          let opened!: () => void;
          const first = new Promise<void>((resolve) => { opened = resolve; });
          void (async () => {
            for (;;) {
              const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
              if (done) return;
              const at = performance.now();
              opened();
              // A value split across two chunks is found in the tail of the previous one.
              const text = sub.tail + decoder.decode(value, { stream: true });
              for (const m of markers) if (!seen.has(m) && text.includes(m)) seen.set(m, at);
              sub.tail = text.slice(-200);
            }
          })();
          await first; // the `retry:` line: the stream is registered
        })();
        return sub;
      });
      await Promise.all(subscribers.map((s) => s.open));

      ctx.server.mark('stream latency');
      const fromAnswer: number[] = [];
      const fromSend: number[] = [];
      let lost = 0;
      for (const marker of markers) {
        const sent = performance.now();
        await api.json('POST', '/v1/indicators', writerToken, { items: [{ type: 'domain', value: marker, tlp: 'CLEAR', pap: 'GREEN', confidence: 90 }] });
        const answered = performance.now();
        const deadline = answered + DELIVERY_TIMEOUT_MS;
        while (subscribers.some((s) => !s.seen.has(marker)) && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
        for (const s of subscribers) {
          const at = s.seen.get(marker);
          if (at === undefined) { lost++; continue; }
          fromAnswer.push(at - answered);
          fromSend.push(at - sent);
        }
      }
      for (const s of subscribers) s.abort.abort();

      const a = summary(fromAnswer), b = summary(fromSend);
      ctx.log(`stream: ${SUBSCRIBERS} subscribers (${new Set(consumers.map((m) => m.id)).size} organisations), ${writes} writes: commit → event p50 ${a.p50.toFixed(1)} ms, p99 ${a.p99.toFixed(1)} ms, max ${a.max.toFixed(1)} ms; from the POST sent p50 ${b.p50.toFixed(1)} ms, p99 ${b.p99.toFixed(1)} ms; lost ${lost}`);
      const detail = { fromAnswer: a, fromSend: b, lost, subscribers: SUBSCRIBERS, organisations: new Set(consumers.map((m) => m.id)).size, writes };
      return [
        { id: 'stream.latency_p50', label: `Stream commit → event p50, ${SUBSCRIBERS} subscribers`, unit: 'ms', value: a.p50, detail },
        { id: 'stream.latency_p99', label: `Stream commit → event p99, ${SUBSCRIBERS} subscribers`, unit: 'ms', value: a.p99, target: { op: '<=', value: 1000 } },
        { id: 'stream.lost', label: 'Stream events not delivered within 10 s', unit: 'events', value: lost, target: { op: '<=', value: 0 } },
      ];
    },
  }],
};
