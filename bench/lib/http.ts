/** A thin HTTP client for the server under test (node's fetch, keep-alive, 127.0.0.1 only). */

/** No request of the benchmark may hang the run: fail loudly instead. */
const TIMEOUT_MS = 300_000;

export class HttpError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what}: HTTP ${status} ${body.slice(0, 500)}`);
  }
}

export class Api {
  constructor(readonly baseUrl: string) {}

  /** Connection-level failures ("fetch failed": a kept-alive socket closed under the request) seen and retried. */
  retries = 0;

  async json<T = any>(method: string, path: string, token: string | null, body?: unknown, expect = [200, 201]): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#json<T>(method, path, token, body, expect);
      } catch (err) {
        // No response at all (not an HTTP error): the request never reached a handler or its
        // connection dropped. Retrying a batch is safe: a resubmission is reported as unchanged.
        if (!(err instanceof TypeError) || attempt >= 3) throw err;
        this.retries++;
      }
    }
  }

  async #json<T>(method: string, path: string, token: string | null, body: unknown, expect: number[]): Promise<T> {
    const res = await fetch(this.baseUrl + path, {
      method, signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!expect.includes(res.status)) throw new HttpError(res.status, text, `${method} ${path}`);
    return JSON.parse(text) as T;
  }

  async token(clientId: string, clientSecret: string): Promise<string> {
    const out = await this.json<{ access_token: string }>('POST', '/v1/auth/token', null, { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
    return out.access_token;
  }

  /** GET a response as text plus the headers the feed uses. */
  async text(path: string, token: string, accept?: string): Promise<{ status: number; body: string; headers: Headers; headersMs: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#text(path, token, accept);
      } catch (err) {
        if (!(err instanceof TypeError) || attempt >= 3) throw err;
        this.retries++;
      }
    }
  }

  async #text(path: string, token: string, accept?: string): Promise<{ status: number; body: string; headers: Headers; headersMs: number }> {
    const t0 = performance.now();
    const res = await fetch(this.baseUrl + path, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { authorization: `Bearer ${token}`, ...(accept ? { accept } : {}) } });
    const headersMs = performance.now() - t0;
    const body = await res.text();
    if (res.status !== 200) throw new HttpError(res.status, body, `GET ${path}`);
    return { status: res.status, body, headers: res.headers, headersMs };
  }

  /** GET a streamed response, counting its lines without keeping it. */
  async countLines(path: string, token: string): Promise<{ lines: number; bytes: number; headers: Headers; headersMs: number }> {
    const t0 = performance.now();
    const res = await fetch(this.baseUrl + path, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { authorization: `Bearer ${token}` } });
    const headersMs = performance.now() - t0;
    if (res.status !== 200) throw new HttpError(res.status, await res.text(), `GET ${path}`);
    let lines = 0, bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
    return { lines, bytes, headers: res.headers, headersMs };
  }
}

/** Items in a JSON feed page without parsing it: each item or tombstone starts with its uuid `id`. */
const ITEM_START = /\{"id" ?: "[0-9a-f]{8}-[0-9a-f]{4}-/g;
export function countFeedItems(body: string): number {
  return body.match(ITEM_START)?.length ?? 0;
}

/** Run `worker(i)` for i in [0, count) with at most `concurrency` at once. */
export async function pool<T>(count: number, concurrency: number, worker: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      out[i] = await worker(i);
    }
  }));
  return out;
}
