/**
 * TSIG (RFC 8945) with HMAC-SHA256, around messages that dns-packet encodes and decodes.
 * dns-packet knows TSIG only as an unknown record type, so the record's data and the digest
 * are built here.
 *
 * What is signed:
 * - a request:            message (without its TSIG) + TSIG variables
 * - the first response:   request MAC + message + TSIG variables
 * - each later message of a multi-message answer (AXFR/IXFR over TCP): previous MAC + message +
 *   timers only. This primary signs every message of a transfer.
 * "message" is the wire form with the TSIG record removed: ARCOUNT one less, the original id.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { names } from './wire.js';

export const TSIG_ALGORITHM = 'hmac-sha256';
/** Seconds a signature's time may differ from ours (RFC 8945 recommends 300). */
export const FUDGE = 300;
const TYPE_TSIG = 250;
const CLASS_ANY = 255;
const MAC_BYTES = 32;

/** TSIG error codes (RFC 8945 §4.3). */
export const TSIG_ERROR = { BADSIG: 16, BADKEY: 17, BADTIME: 18 } as const;

export interface TsigKey { name: string; secret: Buffer }

export interface TsigRecord {
  keyName: string;
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  error: number;
  otherData: Buffer;
  /** Offset of the TSIG record in the message: what precedes it is what was signed. */
  start: number;
}

/** A domain name in canonical wire form (lower case, uncompressed). */
function wireName(name: string): Buffer {
  return names.encode(name.toLowerCase());
}

function uint48(value: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(value, 0, 6);
  return b;
}

function uint16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

/** Skips a (possibly compressed) name at `offset`; returns the offset after it. */
function skipName(message: Buffer, offset: number): number {
  names.decode(message, offset);
  return offset + names.decode.bytes;
}

/**
 * The TSIG record of a message, when its last additional record is one; null when unsigned.
 * Throws on a malformed message (the caller answers FORMERR).
 */
export function findTsig(message: Buffer): TsigRecord | null {
  if (message.length < 12) throw new Error('short message');
  const counts = [4, 6, 8, 10].map((o) => message.readUInt16BE(o));
  const [questions, answers, authorities, additionals] = counts as [number, number, number, number];
  if (additionals === 0) return null;
  let offset = 12;
  for (let i = 0; i < questions; i++) offset = skipName(message, offset) + 4;
  let last = -1;
  for (let i = 0; i < answers + authorities + additionals; i++) {
    last = offset;
    offset = skipName(message, offset);
    if (offset + 10 > message.length) throw new Error('truncated record');
    offset += 10 + message.readUInt16BE(offset + 8);
    if (offset > message.length) throw new Error('truncated record');
  }
  const nameEnd = skipName(message, last);
  if (message.readUInt16BE(nameEnd) !== TYPE_TSIG) return null;
  const keyName = names.decode(message, last).toLowerCase();
  let p = nameEnd + 10;
  const algorithm = names.decode(message, p).toLowerCase();
  p += names.decode.bytes;
  const timeSigned = message.readUIntBE(p, 6);
  const fudge = message.readUInt16BE(p + 6);
  const macSize = message.readUInt16BE(p + 8);
  const mac = message.subarray(p + 10, p + 10 + macSize);
  p += 10 + macSize;
  const originalId = message.readUInt16BE(p);
  const error = message.readUInt16BE(p + 2);
  const otherLength = message.readUInt16BE(p + 4);
  const otherData = message.subarray(p + 6, p + 6 + otherLength);
  if (p + 6 + otherLength !== offset || offset !== message.length) throw new Error('malformed TSIG record');
  return { keyName, algorithm, timeSigned, fudge, mac, originalId, error, otherData, start: last };
}

/** The message as it was before the TSIG record was added: ARCOUNT one less, the original id. */
function unsignedPart(message: Buffer, tsig: TsigRecord): Buffer {
  const part = Buffer.from(message.subarray(0, tsig.start));
  part.writeUInt16BE(tsig.originalId, 0);
  part.writeUInt16BE(part.readUInt16BE(10) - 1, 10);
  return part;
}

interface Variables { keyName: string; timeSigned: number; fudge: number; error: number; otherData: Buffer }

function variables(v: Variables): Buffer {
  return Buffer.concat([
    wireName(v.keyName), uint16(CLASS_ANY), Buffer.alloc(4), wireName(TSIG_ALGORITHM),
    uint48(v.timeSigned), uint16(v.fudge), uint16(v.error), uint16(v.otherData.length), v.otherData,
  ]);
}

const withLength = (mac: Buffer) => Buffer.concat([uint16(mac.length), mac]);

function digest(secret: Buffer, parts: Buffer[]): Buffer {
  const hmac = createHmac('sha256', secret);
  for (const p of parts) hmac.update(p);
  return hmac.digest();
}

/** The TSIG resource record for `message`, as wire bytes. */
function tsigRecord(v: Variables, mac: Buffer, originalId: number): Buffer {
  const rdata = Buffer.concat([
    wireName(TSIG_ALGORITHM), uint48(v.timeSigned), uint16(v.fudge), uint16(mac.length), mac,
    uint16(originalId), uint16(v.error), uint16(v.otherData.length), v.otherData,
  ]);
  return Buffer.concat([wireName(v.keyName), uint16(TYPE_TSIG), uint16(CLASS_ANY), Buffer.alloc(4), uint16(rdata.length), rdata]);
}

function appendRecord(message: Buffer, record: Buffer): Buffer {
  const out = Buffer.concat([message, record]);
  out.writeUInt16BE(out.readUInt16BE(10) + 1, 10);
  return out;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export type Verdict =
  | { ok: true; key: TsigKey; tsig: TsigRecord }
  | { ok: false; error: number; tsig: TsigRecord; key?: TsigKey };

/**
 * Checks a signed request (RFC 8945 §5.2): a known key and algorithm (else BADKEY), a full-length
 * MAC that matches (else BADSIG), a time within the fudge (else BADTIME, answered signed).
 */
export function verifyRequest(message: Buffer, tsig: TsigRecord, key: TsigKey | undefined, now = nowSeconds()): Verdict {
  if (!key || tsig.algorithm !== TSIG_ALGORITHM) return { ok: false, error: TSIG_ERROR.BADKEY, tsig };
  const expected = digest(key.secret, [unsignedPart(message, tsig), variables({ ...tsig, keyName: key.name })]);
  if (tsig.mac.length !== MAC_BYTES || !timingSafeEqual(tsig.mac, expected)) return { ok: false, error: TSIG_ERROR.BADSIG, tsig };
  if (Math.abs(now - tsig.timeSigned) > tsig.fudge) return { ok: false, error: TSIG_ERROR.BADTIME, tsig, key };
  return { ok: true, key, tsig };
}

/**
 * Signs the messages of one exchange in order: a request (no previous MAC), or the responses to
 * a signed request (starting from the request's MAC). Later messages chain on the previous MAC.
 */
export class TsigSigner {
  private previous: Buffer | undefined;
  private first = true;
  constructor(private readonly key: TsigKey, requestMac?: Buffer, private readonly now = nowSeconds) {
    this.previous = requestMac;
  }

  sign(message: Buffer, extra: { error?: number; otherData?: Buffer; timeSigned?: number } = {}): Buffer {
    const v: Variables = {
      keyName: this.key.name, timeSigned: extra.timeSigned ?? this.now(), fudge: FUDGE,
      error: extra.error ?? 0, otherData: extra.otherData ?? Buffer.alloc(0),
    };
    const parts = this.previous ? [withLength(this.previous), message] : [message];
    parts.push(this.first ? variables(v) : Buffer.concat([uint48(v.timeSigned), uint16(v.fudge)]));
    const mac = digest(this.key.secret, parts);
    this.previous = mac;
    this.first = false;
    return appendRecord(message, tsigRecord(v, mac, message.readUInt16BE(0)));
  }

  /** The MAC of the last message signed (a response to a signed request starts from it). */
  get mac(): Buffer | undefined { return this.previous; }
}

/**
 * Verifies the messages of one exchange in order, as a client does (our tests, and the answers
 * to the NOTIFYs this primary sends): the first against the request's MAC with full variables,
 * later ones chained on the previous MAC with timers only.
 */
export class TsigVerifier {
  private previous: Buffer;
  private first = true;
  constructor(private readonly key: TsigKey, requestMac: Buffer) {
    this.previous = requestMac;
  }

  /** Throws unless `message` carries a valid signature of this key. */
  verify(message: Buffer): void {
    const tsig = findTsig(message);
    if (!tsig) throw new Error('unsigned message');
    if (tsig.keyName !== this.key.name.toLowerCase()) throw new Error('signed with another key');
    if (tsig.error !== 0) throw new Error(`TSIG error ${tsig.error}`);
    const parts = [withLength(this.previous), unsignedPart(message, tsig)];
    parts.push(this.first ? variables({ ...tsig, keyName: this.key.name }) : Buffer.concat([uint48(tsig.timeSigned), uint16(tsig.fudge)]));
    const expected = digest(this.key.secret, parts);
    if (tsig.mac.length !== MAC_BYTES || !timingSafeEqual(tsig.mac, expected)) throw new Error('bad signature');
    this.previous = tsig.mac;
    this.first = false;
  }
}

/**
 * The unsigned error answer RFC 8945 §5.3.2 asks for when the key is unknown or the MAC is bad:
 * the request's TSIG record echoed with the error and no MAC.
 */
export function unsignedTsigError(message: Buffer, tsig: TsigRecord, error: number): Buffer {
  return appendRecord(message, tsigRecord({ keyName: tsig.keyName, timeSigned: tsig.timeSigned, fudge: tsig.fudge, error, otherData: Buffer.alloc(0) }, Buffer.alloc(0), message.readUInt16BE(0)));
}

/** BADTIME answers carry the server's time in Other Data (RFC 8945 §5.2.3), signed. */
export function badTimeData(now = nowSeconds()): Buffer {
  return uint48(now);
}
