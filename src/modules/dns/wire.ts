/**
 * The DNS wire format through dns-packet (encode/decode of messages and records), plus what it
 * leaves to us: TCP's two-byte length framing, header flags, and packing a transfer's records
 * into messages.
 */
import dnsPacket, { type Answer, type DecodedPacket, type Question } from 'dns-packet';
import type { TsigSigner } from './tsig.js';

interface NameCodec {
  encode(name: string): Buffer;
  decode: ((buf: Buffer, offset?: number) => string) & { bytes: number };
}
const untyped = dnsPacket as unknown as { name: NameCodec; answer: { encodingLength(a: Answer): number } };
/** dns-packet's name codec (its type declarations leave it out). */
export const names = untyped.name;

export const OPCODE = { QUERY: 0, NOTIFY: 4 } as const;
export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5, NOTAUTH: 9 } as const;
const AA = 1 << 10;
const RD = 1 << 8;

/** A decoded message with the header fields dns-packet decodes but does not declare. */
export type Message = DecodedPacket & { opcode: string; rcode: string };

export function decode(buf: Buffer): Message {
  return dnsPacket.decode(buf) as Message;
}

export interface Header { id: number; opcode?: number; rcode?: number; authoritative?: boolean; response?: boolean; recursionDesired?: boolean }

export function encode(header: Header, sections: { questions?: Question[]; answers?: Answer[]; authorities?: Answer[] }): Buffer {
  const flags = ((header.opcode ?? OPCODE.QUERY) << 11) | (header.authoritative ? AA : 0) | (header.recursionDesired ? RD : 0) | (header.rcode ?? RCODE.NOERROR);
  return dnsPacket.encode({ type: header.response === false ? 'query' : 'response', id: header.id, flags, ...sections });
}

/** The raw header of a message too broken to decode: its id and opcode, to answer FORMERR. */
export function rawHeader(buf: Buffer): { id: number; opcode: number; response: boolean } | null {
  if (buf.length < 12) return null;
  const flags = buf.readUInt16BE(2);
  return { id: buf.readUInt16BE(0), opcode: (flags >> 11) & 0xf, response: (flags & 0x8000) !== 0 };
}

/** Messages over TCP: each prefixed with its length (RFC 1035 §4.2.2). */
export function frame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(2);
  prefix.writeUInt16BE(message.length);
  return Buffer.concat([prefix, message]);
}

/** Collects TCP bytes and hands out whole messages. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.pending.length >= 2) {
      const length = this.pending.readUInt16BE(0);
      if (this.pending.length < 2 + length) break;
      out.push(Buffer.from(this.pending.subarray(2, 2 + length)));
      this.pending = this.pending.subarray(2 + length);
    }
    return out;
  }
  get buffered(): number { return this.pending.length; }
}

/** A message's bytes are at most 65,535; transfers fill messages to about this, leaving room for the TSIG. */
const MESSAGE_BUDGET = 32_000;

/**
 * Writes a zone transfer (AXFR or IXFR answer) as a stream of messages, each as full as the
 * budget allows, the question in the first (RFC 5936 §2.2), every message signed when the
 * request was.
 */
export class TransferWriter {
  private batch: Answer[] = [];
  private bytes = 12;
  private first = true;
  messages = 0;
  records = 0;
  octets = 0;
  constructor(
    private readonly id: number,
    private readonly question: Question,
    private readonly send: (message: Buffer) => Promise<void>,
    private readonly signer: TsigSigner | undefined,
  ) {
    this.bytes += this.questionBytes();
  }

  private questionBytes(): number {
    return this.first ? names.encode(this.question.name).length + 4 : 0;
  }

  /** Adds a record; a promise (to await) only when a full message went out. */
  add(record: Answer): Promise<void> | undefined {
    const size = untyped.answer.encodingLength(record);
    const flushed = this.batch.length && this.bytes + size > MESSAGE_BUDGET ? this.flush() : undefined;
    this.batch.push(record);
    this.bytes += size;
    this.records++;
    return flushed;
  }

  flush(): Promise<void> {
    if (!this.batch.length) return Promise.resolve();
    let message = encode({ id: this.id, authoritative: true }, { ...(this.first ? { questions: [this.question] } : {}), answers: this.batch });
    if (this.signer) message = this.signer.sign(message);
    this.first = false;
    this.batch = [];
    this.bytes = 12;
    this.messages++;
    this.octets += message.length;
    return this.send(message);
  }
}
