/**
 * JSON read in bounded pieces, for request bodies of up to 16 MiB.
 *
 * One `JSON.parse` of a whole 16 MiB body holds the event loop for a long time, and a body
 * nested 10,000 levels deep overflows the stack of whatever walks it next. So a body is first
 * scanned — a validating pass over its UTF-8 bytes that stops anywhere between tokens and can be
 * resumed (the caller yields in between) and refuses nesting deeper than `maxDepth` and the
 * `__proto__` / `constructor.prototype` keys fastify also refuses. The scan notes, for each
 * container larger than `pieceBytes`, how it splits into runs of small members and its large
 * ones; `parseJson` then builds the value from `JSON.parse` of those runs (each at most about
 * `pieceBytes`), yielding between them. The result is what `JSON.parse` gives for the same text
 * (the property test in test/domain/json.test.ts compares them).
 *
 * Also here: the weight of a parsed value (about its size as compact JSON) and the check for
 * text that cannot be stored (NUL, unpaired surrogates).
 */
import type { Pace } from './pace.js';

export const MAX_JSON_DEPTH = 32;
const PIECE_BYTES = 64 * 1024;
/** Bytes scanned between two chances to yield. */
const SCAN_STEP_BYTES = 256 * 1024;

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(reason: string, readonly offset: number) {
    super(`${reason} at byte ${offset}`);
  }
}

/** A container too large to parse at once: runs of small children and its large children. */
interface Node {
  array: boolean;
  parts: Part[];
}
type Part =
  | { start: number; end: number } // members or elements, as text without the brackets
  | { node: Node; keyStart: number; keyEnd: number }; // a large child (and its key's text in an object)

/** One open container while scanning. Reused by depth. */
class Frame {
  array = false;
  start = 0;
  parts: Part[] | null = null;
  runStart = -1;
  runEnd = -1;
  /** Where the current member (its key) or element starts. */
  childStart = -1;
  keyStart = -1;
  keyEnd = -1;
  /** This object is the value of a `constructor` key: a `prototype` key in it is refused. */
  constructorValue = false;
  keyIsConstructor = false;

  reset(array: boolean, start: number, constructorValue: boolean) {
    this.array = array;
    this.start = start;
    this.parts = null;
    this.runStart = this.runEnd = this.childStart = this.keyStart = this.keyEnd = -1;
    this.constructorValue = constructorValue;
    this.keyIsConstructor = false;
  }

  push(part: Part) {
    (this.parts ??= []).push(part);
  }

  endRun() {
    if (this.runStart >= 0) this.push({ start: this.runStart, end: this.runEnd });
    this.runStart = -1;
  }

  /** A child ending at `end`; `node` when it is a container too large to parse at once. */
  childDone(end: number, node: Node | null, pieceBytes: number) {
    if (node) {
      this.endRun();
      this.push({ node, keyStart: this.keyStart, keyEnd: this.keyEnd });
    } else if (this.runStart < 0) {
      this.runStart = this.childStart;
      this.runEnd = end;
    } else if (end - this.runStart > pieceBytes) {
      this.endRun();
      this.runStart = this.childStart;
      this.runEnd = end;
    } else {
      this.runEnd = end;
    }
  }
}

// What the scanner expects next.
const VALUE = 0, VALUE_OR_CLOSE = 1, AFTER_VALUE = 2, KEY = 3, KEY_OR_CLOSE = 4, COLON = 5, DONE = 6;

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON_CHAR = 0x3a, MINUS = 0x2d, DOT = 0x2e;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;
const isWhitespace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined) => c !== undefined && ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66));
/** The characters that may follow a backslash, other than `u`. */
const SIMPLE_ESCAPES = new Set([...'"\\/bfnrt'].map((ch) => ch.charCodeAt(0)));
const LITERALS = new Map([...['true', 'false', 'null']].map((word) => [word.charCodeAt(0), Buffer.from(word)]));

/** A resumable, validating scan of one JSON text (see the file comment). */
export class JsonScanner {
  private pos = 0;
  private state = VALUE;
  private depth = 0;
  private readonly frames: Frame[] = [];
  /** Whether the string scanned last had an escape in it. */
  private escaped = false;
  /** The top-level value: where it is, and its pieces when it is too large to parse at once. */
  rootStart = 0;
  rootEnd = 0;
  root: Node | null = null;

  constructor(private readonly bytes: Buffer, private readonly maxDepth = MAX_JSON_DEPTH, private readonly pieceBytes = PIECE_BYTES) {}

  get position() {
    return this.pos;
  }

  /** Scans on until about byte `until`; true once the whole text is scanned. Throws JsonSyntaxError. */
  scan(until: number): boolean {
    const b = this.bytes;
    const len = b.length;
    let pos = this.pos;
    try {
      for (;;) {
        while (isWhitespace(b[pos])) pos++;
        if (this.state === DONE) {
          if (pos < len) throw new JsonSyntaxError('unexpected text after the JSON value', pos);
          return true;
        }
        if (pos >= len) throw new JsonSyntaxError(len === 0 ? 'empty body' : 'unexpected end of the JSON text', pos);
        if (pos >= until) return false;
        const c = b[pos]!;
        const frame = this.depth ? this.frames[this.depth - 1]! : null;
        switch (this.state) {
          case VALUE_OR_CLOSE:
            if (c === CLOSE_BRACKET) {
              pos = this.close(pos);
              break;
            }
          // falls through
          case VALUE:
            if (frame?.array) frame.childStart = pos;
            else if (!frame) this.rootStart = pos;
            if (c === OPEN_BRACE || c === OPEN_BRACKET) {
              if (this.depth >= this.maxDepth) throw new JsonSyntaxError(`nested deeper than ${this.maxDepth} levels`, pos);
              const array = c === OPEN_BRACKET;
              const next = (this.frames[this.depth] ??= new Frame());
              next.reset(array, pos, !array && frame !== null && !frame.array && frame.keyIsConstructor);
              this.depth++;
              this.state = array ? VALUE_OR_CLOSE : KEY_OR_CLOSE;
              pos++;
            } else {
              if (c === QUOTE) pos = this.string(pos);
              else if (c === MINUS || isDigit(c)) pos = this.number(pos);
              else pos = this.literal(pos);
              this.valueDone(pos, null);
            }
            break;
          case AFTER_VALUE:
            if (c === COMMA) {
              this.state = frame!.array ? VALUE : KEY;
              pos++;
            } else if (c === (frame!.array ? CLOSE_BRACKET : CLOSE_BRACE)) {
              pos = this.close(pos);
            } else {
              throw new JsonSyntaxError(`expected , or ${frame!.array ? ']' : '}'}`, pos);
            }
            break;
          case KEY_OR_CLOSE:
            if (c === CLOSE_BRACE) {
              pos = this.close(pos);
              break;
            }
          // falls through
          case KEY:
            if (c !== QUOTE) throw new JsonSyntaxError('expected a property name in double quotes', pos);
            frame!.childStart = frame!.keyStart = pos;
            pos = this.string(pos);
            frame!.keyEnd = pos;
            this.checkKey(frame!);
            this.state = COLON;
            break;
          case COLON:
            if (c !== COLON_CHAR) throw new JsonSyntaxError('expected :', pos);
            this.state = VALUE;
            pos++;
            break;
        }
      }
    } finally {
      this.pos = pos;
    }
  }

  /** Closes the container whose closing bracket is at `pos`; returns the position after it. */
  private close(pos: number): number {
    const frame = this.frames[--this.depth]!;
    const end = pos + 1;
    let node: Node | null = null;
    if (end - frame.start > this.pieceBytes) {
      frame.endRun();
      node = { array: frame.array, parts: frame.parts ?? [] };
    }
    this.valueDone(end, node);
    return end;
  }

  private valueDone(end: number, node: Node | null) {
    this.state = AFTER_VALUE;
    if (this.depth === 0) {
      this.rootEnd = end;
      this.root = node;
      this.state = DONE;
    } else {
      this.frames[this.depth - 1]!.childDone(end, node, this.pieceBytes);
    }
  }

  private string(start: number): number {
    const b = this.bytes;
    let pos = start + 1;
    this.escaped = false;
    for (;;) {
      const c = b[pos];
      if (c === QUOTE) return pos + 1;
      if (c === undefined) throw new JsonSyntaxError('unterminated string', start);
      if (c === BACKSLASH) {
        this.escaped = true;
        const e = b[pos + 1]!;
        if (SIMPLE_ESCAPES.has(e)) pos += 2;
        else if (e === 0x75 && isHex(b[pos + 2]) && isHex(b[pos + 3]) && isHex(b[pos + 4]) && isHex(b[pos + 5])) pos += 6;
        else throw new JsonSyntaxError('invalid escape in string', pos);
      } else if (c < 0x20) {
        throw new JsonSyntaxError('control character in string', pos);
      } else {
        pos++;
      }
    }
  }

  private number(start: number): number {
    const b = this.bytes;
    let pos = start;
    if (b[pos] === MINUS) pos++;
    if (b[pos] === 0x30) pos++;
    else if (isDigit(b[pos])) while (isDigit(b[pos])) pos++;
    else throw new JsonSyntaxError('invalid number', start);
    if (b[pos] === DOT) {
      pos++;
      if (!isDigit(b[pos])) throw new JsonSyntaxError('invalid number', start);
      while (isDigit(b[pos])) pos++;
    }
    if ((b[pos]! | 0x20) === 0x65) { // e or E
      pos++;
      if (b[pos] === 0x2b || b[pos] === MINUS) pos++;
      if (!isDigit(b[pos])) throw new JsonSyntaxError('invalid number', start);
      while (isDigit(b[pos])) pos++;
    }
    return pos;
  }

  private literal(start: number): number {
    const word = LITERALS.get(this.bytes[start]!);
    if (!word || !word.every((byte, i) => this.bytes[start + i] === byte)) throw new JsonSyntaxError('unexpected character', start);
    return start + word.length;
  }

  /** The `__proto__` and `constructor.prototype` keys are refused, as fastify's own parser does. */
  private checkKey(frame: Frame) {
    const key = this.keyText(frame.keyStart, frame.keyEnd);
    if (key === '__proto__' || (key === 'prototype' && frame.constructorValue)) {
      throw new JsonSyntaxError(`forbidden property name ${key}`, frame.keyStart);
    }
    frame.keyIsConstructor = key === 'constructor';
  }

  /** A key's text when it may be one of the names checked above (cheaply: most keys are not). */
  private keyText(start: number, end: number): string | null {
    const length = end - start - 2;
    if (this.escaped) return length <= 6 * 11 ? (JSON.parse(this.bytes.toString('utf8', start, end)) as string) : null;
    return length === 9 || length === 11 ? this.bytes.toString('latin1', start + 1, end - 1) : null;
  }
}

export interface ParseOptions {
  maxDepth?: number;
  /** Largest text given to one JSON.parse (children larger than it are split further). */
  pieceBytes?: number;
  /** Called between steps; awaited when it returns a promise. */
  pace?: Pace;
}

/** Parses a JSON text (UTF-8 bytes) in pieces, yielding through `pace`. Throws JsonSyntaxError. */
export async function parseJson(bytes: Buffer, options: ParseOptions = {}): Promise<unknown> {
  const scanner = new JsonScanner(bytes, options.maxDepth, options.pieceBytes);
  while (!scanner.scan(scanner.position + SCAN_STEP_BYTES)) await options.pace?.();
  if (!scanner.root) return JSON.parse(bytes.toString('utf8', scanner.rootStart, scanner.rootEnd));
  return assemble(bytes, scanner.root, options.pace);
}

async function assemble(bytes: Buffer, node: Node, pace: Pace | undefined): Promise<unknown> {
  const array: unknown[] = [];
  const object: Record<string, unknown> = {};
  for (const part of node.parts) {
    if ('node' in part) {
      const value = await assemble(bytes, part.node, pace);
      if (node.array) array.push(value);
      else object[JSON.parse(bytes.toString('utf8', part.keyStart, part.keyEnd)) as string] = value;
    } else {
      const text = bytes.toString('utf8', part.start, part.end);
      if (node.array) {
        for (const value of JSON.parse(`[${text}]`) as unknown[]) array.push(value);
      } else {
        // No __proto__ key gets here (the scan refuses it), so plain assignment is safe.
        const members = JSON.parse(`{${text}}`) as Record<string, unknown>;
        for (const key of Object.keys(members)) object[key] = members[key];
      }
    }
    await pace?.();
  }
  return node.array ? array : object;
}

/**
 * About how many bytes `value` takes as compact JSON (string lengths in UTF-16 units), counted
 * only up to `cap`: a value heavier than that weighs `cap + 1`, found without walking all of it.
 */
export function jsonWeight(value: unknown, cap = Number.POSITIVE_INFINITY): number {
  let total = 0;
  const add = (v: unknown): boolean => {
    if (typeof v === 'string') total += v.length + 2;
    else if (typeof v === 'number') total += String(v).length;
    else if (typeof v === 'boolean' || v === null) total += 5;
    else if (Array.isArray(v)) {
      total += 2;
      for (const e of v) if (total++ > cap || !add(e)) return false;
    } else if (typeof v === 'object') {
      total += 2;
      for (const [k, e] of Object.entries(v as object)) {
        total += k.length + 4;
        if (total > cap || !add(e)) return false;
      }
    }
    return total <= cap;
  };
  return add(value) ? total : cap + 1;
}

const UNSTORABLE = /[\u0000\p{Cs}]/u;

/** False for text PostgreSQL cannot store (NUL) or UTF-8 cannot encode (an unpaired surrogate). */
export const isStorableText = (text: string) => !UNSTORABLE.test(text);

/** The first string or key in `value` that text columns cannot hold (NUL, unpaired surrogate), as a problem. */
export function unstorableText(value: unknown, path = ''): { path: string; message: string } | null {
  if (typeof value === 'string') {
    if (!UNSTORABLE.test(value)) return null;
    return { path: path || '/', message: value.includes('\u0000') ? 'contains a NUL character' : 'contains an unpaired UTF-16 surrogate' };
  }
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const at = `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (typeof key === 'string' && UNSTORABLE.test(key)) return { path: at, message: 'has a name with a NUL character or an unpaired UTF-16 surrogate' };
    const found = unstorableText(child, at);
    if (found) return found;
  }
  return null;
}
