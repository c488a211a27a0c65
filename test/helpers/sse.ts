/**
 * A Server-Sent Events client for tests, over real HTTP (inject cannot stream): it parses the
 * stream as the HTML specification's EventSource does (events, ids, comments, `retry:`), keeps
 * everything it saw, and waits for conditions with a bound — never for a time.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';

export interface SseEvent { event: string; id: string; data: string }

export interface SseStream {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, when the answer was not a stream (a problem document). */
  body: string;
  events: SseEvent[];
  comments: string[];
  /** The id of the last block that carried one (what EventSource sends as Last-Event-ID). */
  lastEventId: string;
  retry: number | undefined;
  ended: boolean;
  /** Resolves once `condition` holds (checked on every chunk); rejects after `timeoutMs`. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** The base URL of an app listening on 127.0.0.1 (made to listen on a free port when it does not yet). */
export async function baseUrl(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

export function openStream(base: string, path: string, headers: Record<string, string> = {}): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const waiters = new Set<() => void>();
    const stream: SseStream = {
      status: 0, headers: {}, body: '', events: [], comments: [], lastEventId: '', retry: undefined, ended: false,
      until(condition, what, timeoutMs = 15_000) {
        if (condition()) return Promise.resolve();
        return new Promise((done, fail) => {
          const timer = setTimeout(() => { waiters.delete(check); fail(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
          const check = () => {
            if (!condition()) return;
            clearTimeout(timer);
            waiters.delete(check);
            done();
          };
          waiters.add(check);
        });
      },
      close() { req.destroy(); },
    };
    const notify = () => { for (const check of [...waiters]) check(); };
    let buffer = '';
    let block = { event: '', id: undefined as string | undefined, data: [] as string[] };
    const line = (text: string) => {
      if (text === '') {
        if (block.id !== undefined) stream.lastEventId = block.id;
        if (block.data.length) stream.events.push({ event: block.event || 'message', id: stream.lastEventId, data: block.data.join('\n') });
        block = { event: '', id: undefined, data: [] };
        return;
      }
      if (text.startsWith(':')) { stream.comments.push(text.slice(1).trim()); return; }
      const colon = text.indexOf(':');
      const field = colon < 0 ? text : text.slice(0, colon);
      const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') block.event = value;
      else if (field === 'id') block.id = value;
      else if (field === 'data') block.data.push(value);
      else if (field === 'retry' && /^\d+$/.test(value)) stream.retry = Number(value);
    };
    const req = request(`${base}${path}`, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      stream.status = res.statusCode ?? 0;
      stream.headers = res.headers;
      res.setEncoding('utf8');
      const isStream = String(res.headers['content-type']).startsWith('text/event-stream');
      res.on('data', (chunk: string) => {
        if (!isStream) { stream.body += chunk; return; }
        buffer += chunk;
        const lines = buffer.split(/\r\n|\r|\n/);
        buffer = lines.pop()!;
        lines.forEach(line);
        notify();
      });
      const end = () => { stream.ended = true; notify(); };
      res.on('end', end);
      res.on('close', end);
      if (isStream) resolve(stream);
      else res.on('end', () => resolve(stream));
    });
    req.on('error', (err) => {
      if (stream.status) { stream.ended = true; notify(); } else reject(err);
    });
    req.end();
  });
}

/** The JSON of every event of `stream` of type `event` (item or tombstone). */
export const entriesOf = (stream: SseStream, event?: string) =>
  stream.events.filter((e) => event === undefined || e.event === event).map((e) => JSON.parse(e.data) as { id: string; version: number; status: string; value: string; [k: string]: unknown });
