/**
 * A small DNS client for the tests: queries over UDP or TCP, zone transfers, signed with TSIG
 * and checked as a secondary would (every message's MAC chained on the previous one).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Answer, Question } from 'dns-packet';
import { findTsig, TsigSigner, TsigVerifier, type TsigKey } from '../../src/modules/dns/tsig.js';
import { decode, encode, frame, FrameReader, OPCODE, type Message } from '../../src/modules/dns/wire.js';

export interface Reply { message: Message; raw: Buffer }

let nextId = 1;

/** Encodes a query, signed with `key` when given; returns it and the signer (for the answer's MAC). */
export function query(question: Question, options: { key?: TsigKey; authorities?: Answer[]; id?: number; opcode?: number; sign?: (m: Buffer) => Buffer; recursionDesired?: boolean } = {}) {
  const id = options.id ?? (nextId++ & 0xffff);
  let raw = encode({ id, response: false, opcode: options.opcode ?? OPCODE.QUERY, recursionDesired: options.recursionDesired ?? false }, { questions: [question], ...(options.authorities ? { authorities: options.authorities } : {}) });
  let signer: TsigSigner | undefined;
  if (options.sign) raw = options.sign(raw);
  else if (options.key) {
    signer = new TsigSigner(options.key);
    raw = signer.sign(raw);
  }
  return { raw, signer };
}

export async function udpExchange(port: number, raw: Buffer, host = '127.0.0.1'): Promise<Buffer> {
  const socket = dgram.createSocket('udp4');
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no UDP answer')), 5000);
      socket.once('message', (msg) => { clearTimeout(timer); resolve(msg); });
      socket.send(raw, port, host);
    });
  } finally {
    socket.close();
  }
}

/**
 * Sends one request over TCP and collects answers until `done` says the exchange is over (a
 * transfer ends with its second SOA) or the server closes.
 */
export async function tcpExchange(port: number, raw: Buffer, done: (answers: Buffer[]) => boolean, timeoutMs = 30_000): Promise<Buffer[]> {
  const socket = net.connect(port, '127.0.0.1');
  const reader = new FrameReader();
  const got: Buffer[] = [];
  try {
    return await new Promise<Buffer[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('TCP exchange timed out')), timeoutMs);
      socket.on('error', reject);
      socket.on('close', () => { clearTimeout(timer); resolve(got); });
      socket.on('data', (chunk) => {
        got.push(...reader.push(chunk));
        if (done(got)) { clearTimeout(timer); resolve(got); }
      });
      socket.write(frame(raw));
    });
  } finally {
    socket.destroy();
  }
}

/** Checks each answer's TSIG in order against the request's signer. */
export function verifyAll(key: TsigKey, signer: TsigSigner, answers: Buffer[]): void {
  const verifier = new TsigVerifier(key, signer.mac!);
  for (const a of answers) verifier.verify(a);
}

export interface Transfer { messages: Message[]; records: Answer[]; bytes: number }

/** AXFR, or IXFR from `serial`, over TCP; every message's signature checked. */
export async function transfer(port: number, zone: string, key: TsigKey, serial?: number, timeoutMs = 30_000): Promise<Transfer> {
  const question: Question = { name: zone, type: serial === undefined ? 'AXFR' : 'IXFR', class: 'IN' };
  const authorities = serial === undefined ? undefined : [{
    name: zone, type: 'SOA', ttl: 0, class: 'IN',
    data: { mname: 'x', rname: 'x', serial, refresh: 0, retry: 0, expire: 0, minimum: 0 },
  } as Answer];
  const { raw, signer } = query(question, { key, ...(authorities ? { authorities } : {}) });
  // RFC 1995/5936 framing: AXFR ends at the second current SOA; an incremental IXFR alternates
  // SOA(old) deletions SOA(new) additions and ends at the current SOA where an old one would start.
  let current: number | undefined;
  let state: 'start' | 'axfr' | 'del' | 'add' | 'end' = 'start';
  let seen = 0;
  let read = 0;
  const answers = await tcpExchange(port, raw, (all) => {
    for (; read < all.length; read++) {
      const message = decode(all[read]!);
      if (message.rcode !== 'NOERROR') return true;
      for (const a of (message.answers ?? []).filter((r) => (r.type as string) !== 'TSIG')) {
        const soa = a.type === 'SOA' ? (a.data as { serial: number }).serial : undefined;
        seen++;
        if (seen === 1) { current = soa; continue; }
        if (state === 'start') state = soa === undefined || soa === current ? (soa === current && seen === 2 ? 'end' : 'axfr') : 'del';
        else if (state === 'axfr' && soa === current) state = 'end';
        else if (state === 'del' && soa !== undefined) state = 'add';
        else if (state === 'add' && soa !== undefined) state = soa === current ? 'end' : 'del';
      }
    }
    // A single SOA answering an IXFR means "up to date".
    return state === 'end' || (serial !== undefined && seen === 1 && all.length === 1);
  }, timeoutMs);
  verifyAll(key, signer!, answers);
  const messages = answers.map(decode);
  return { messages, records: messages.flatMap((m) => (m.answers ?? []).filter((a) => a.type !== 'TSIG' as never)), bytes: answers.reduce((n, a) => n + a.length, 0) };
}

/** The owner names of a transfer's CNAME records, relative to the zone. */
export function triggers(records: Answer[], zone: string): string[] {
  return records.filter((r) => r.type === 'CNAME').map((r) => r.name.slice(0, -(zone.length + 1)));
}

export { findTsig };
