import { isAscii, isUtf8 } from 'node:buffer';
import { firstInvalidUtf8, foundByte, HarError, harProblem, jsonPathAt, pathText, syntaxErrorAt, type HarErrorDetail, type JsonToken } from './har-errors.js';
import { DeferredString, deferredMarker } from './har-deferred.js';
import { OversizeString } from './har-oversize.js';

export { oversizeOf } from './har-oversize.js';

/**
 * Streaming HAR reader. A byte-level boundary scanner walks the container levels (`{ "log": {
 * "entries": [ … ] } }`) itself and hands each entry, and each other field of `log` and of the root,
 * to `JSON.parse` on its own. Memory stays at one read chunk plus one entry, whatever the file size,
 * so files beyond V8's largest string (~512 MB) work. Measured on a 100 MB Chrome-style capture:
 * this scanner with JSON.parse and the entry checks reads ~100 MB/s; stream-json (1.9) delivered the
 * same entries at ~25 MB/s and @streamparser/json (0.0.26) at ~18 MB/s, before any sanitising.
 * `npm run bench -- har-scanner-vs-parsers` measures it again beside stream-json's current major
 * (3.8: 5.0 MB/s against this scanner's 82.8 on the loaded shared box, 2026-12-02), and
 * test/unit/har/har-scanner-property.test.ts compares it with JSON.parse on random input.
 *
 * A string longer than `maxStringBytes` is never materialised: it is hashed as it streams past and
 * replaced by an oversize marker (see `oversizeOf`), which the sanitiser turns into a placeholder.
 */

export interface ReadOptions {
  /** Bytes per read (default 4 MiB). */
  chunkBytes?: number;
  /** Strings longer than this (in JSON bytes) become oversize markers (default 32 MiB). */
  maxStringBytes?: number;
  /** Largest entry (or other field) after oversize strings are cut out (default 256 MiB). */
  maxValueBytes?: number;
  /** Deepest nesting accepted, counting the HAR's own levels (default 1000). */
  maxDepth?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * Keep each entry's `response.content.text` (from DEFER_MIN_BYTES on) out of the entry's JSON
   * text: the entry holds a marker in its place and `entry` gets the string as a DeferredString,
   * whose bytes are valid during that call only (the reader reuses its buffers). For the
   * sanitiser, which drops most such bodies unread. Off by default.
   */
  deferBodies?: boolean;
}

/** Values joined from more pieces than this are joined in a buffer of their own (see `joined`). */
const MAX_SCRATCH = 16 * 2 ** 20;

/** Shorter bodies are parsed with their entry: a deferred string costs more than it saves below this. */
export const DEFER_MIN_BYTES = 1024;

/** Receives the document in order; `entry` is called once per `log.entries[i]`. */
export interface RawHarVisitor {
  rootField?(key: string, value: unknown, offset: number): void;
  logStart?(offset: number): void;
  logField?(key: string, value: unknown, offset: number): void;
  entriesStart?(offset: number): void;
  /**
   * `raw` is the entry's JSON text as read (for cheap whole-entry checks); `deferred` the strings
   * kept out of it (see `ReadOptions.deferBodies`), in the order of their markers.
   */
  entry(value: unknown, index: number, offset: number, raw: string, deferred?: DeferredString[]): void;
  entriesEnd?(count: number): void;
  logEnd?(): void;
  /** Awaited after every chunk: the place for a writer to apply back-pressure. */
  drain?(): Promise<void> | void;
}

export interface ReadSummary {
  bytes: number;
  entries: number;
  bom: boolean;
}

type Container = 'root' | 'log' | 'entries';
type Tok = 'start' | 'key-or-close' | 'key' | 'in-key' | 'colon' | 'value' | 'after-value' | 'value-or-close' | 'done';
type Target = { kind: 'root-field' | 'log-field'; key: string } | { kind: 'entry'; index: number };

interface Capture {
  target: Target;
  kind: 'nested' | 'string' | 'scalar';
  start: number;
  parts: Buffer[];
  partBytes: number;
  /** Index in the current chunk where bytes not yet saved in `parts` begin. */
  seg: number;
  depth: number;
  inString: boolean;
  strStart: number;
  /** Backslashes immediately before the scan position (carried across chunk ends). */
  bs: number;
  spill: OversizeString | null;
  /**
   * Where oversize strings were cut out: `at` is the index in the captured bytes just past the
   * marker that replaced one, `removed` how many file bytes fewer the capture holds from there on.
   */
  cuts: { at: number; removed: number }[];
  /** Tracking the keys an entry's body stands under (deferBodies only): see `KEY_*`. */
  track: boolean;
  /** The key class of the last string that closed, and of the key before the last colon. */
  lastKey: number;
  pendingKey: number;
  /** Whether the last structural byte was a colon (the next string is a value). */
  afterColon: boolean;
  /** Per depth, the key class the object or array open there stands under. */
  openedBy: number[];
  /** The body string being kept out of the entry. */
  defer: { parts: Buffer[]; bytes: number; start: number } | null;
  deferred: DeferredString[];
}

/** Key classes for deferBodies: `response` (depth 1), `content` (depth 2), `text` (depth 3). */
const KEY_RESPONSE = 1;
const KEY_CONTENT = 2;
const KEY_TEXT = 3;
const RESPONSE = Buffer.from('response');
const CONTENT = Buffer.from('content');
const TEXT = Buffer.from('text');

const BOM = [0xef, 0xbb, 0xbf];
export const WS = new Uint8Array(256);
for (const b of [0x20, 0x09, 0x0a, 0x0d]) WS[b] = 1;
const SCALAR_END = new Uint8Array(256);
for (const b of [0x20, 0x09, 0x0a, 0x0d, 0x2c, 0x7d, 0x5d]) SCALAR_END[b] = 1;

export class HarScanner {
  private base = 0;
  private tok: Tok = 'start';
  private readonly stack: Container[] = [];
  private key: number[] = [];
  private keyEscape = false;
  private currentKey = '';
  private keyStart = 0;
  private cap: Capture | null = null;
  private entryCount = 0;
  private sawLog = false;
  private sawEntries = false;
  bom = false;
  private readonly maxString: number;
  private readonly maxValue: number;
  private readonly maxDepth: number;
  private readonly deferBodies: boolean;

  constructor(
    private readonly file: string,
    private readonly visitor: RawHarVisitor,
    options: ReadOptions = {},
  ) {
    this.maxString = options.maxStringBytes ?? 32 * 2 ** 20;
    this.maxValue = options.maxValueBytes ?? 256 * 2 ** 20;
    this.maxDepth = options.maxDepth ?? 1000;
    this.deferBodies = options.deferBodies ?? false;
  }

  get entries(): number {
    return this.entryCount;
  }

  private fail(d: Omit<HarErrorDetail, 'file'>): never {
    throw new HarError({ file: this.file, ...d });
  }

  private where(): string {
    const parts: (string | number)[] = [];
    if (this.stack.length >= 2) parts.push('log');
    if (this.stack.length >= 3) parts.push('entries');
    return pathText(parts) || '(root)';
  }

  feed(chunk: Buffer): void {
    let i = 0;
    const n = chunk.length;
    // A UTF-8 byte-order mark (Windows tools write one) may arrive split over reads.
    while (i < n && this.base + i < 3 && this.tok === 'start' && chunk[i] === BOM[this.base + i]) {
      i++;
      if (this.base + i === 3) this.bom = true;
    }
    while (i < n) i = this.cap ? this.capture(chunk, i) : this.token(chunk, i);
    if (this.cap) this.saveSegment(chunk, n);
    this.base += n;
  }

  end(): void {
    const at = this.base;
    if (this.cap) {
      if (this.cap.kind === 'scalar') {
        this.finish(Buffer.alloc(0), 0);
      } else {
        const t = this.cap.target;
        this.fail({ kind: 'truncated', ...(t.kind === 'entry' ? harProblem('errors.harFile.truncatedEntry', { index: t.index }) : harProblem('errors.harFile.truncatedField', { field: t.key })), offset: at, ...(t.kind === 'entry' ? { entry: t.index, path: `log.entries[${t.index}]` } : { path: t.kind === 'log-field' ? `log.${t.key}` : t.key }) });
      }
    }
    if (this.tok === 'start') this.fail({ kind: 'empty', ...harProblem(this.bom ? 'errors.harFile.onlyBom' : 'errors.harFile.onlyWhiteSpace') });
    if (this.tok !== 'done') this.fail({ kind: 'truncated', ...harProblem('errors.harFile.truncated'), offset: at, path: this.where() });
    if (!this.sawLog) this.fail({ kind: 'missing', ...harProblem('errors.harFile.noLog'), path: 'log' });
    if (!this.sawEntries) this.fail({ kind: 'missing', ...harProblem('errors.harFile.noEntries'), path: 'log.entries' });
  }

  /** Container level: the few bytes between the values we hand to JSON.parse. */
  private token(chunk: Buffer, i: number): number {
    const b = chunk[i]!;
    const at = this.base + i;
    if (this.tok === 'in-key') {
      if (this.keyEscape) this.keyEscape = false;
      else if (b === 0x5c) this.keyEscape = true;
      else if (b === 0x22) {
        const raw = Buffer.from(this.key);
        this.key = [];
        if (!isUtf8(raw)) this.fail({ kind: 'encoding', ...harProblem('errors.harFile.invalidUtf8'), offset: this.keyStart + 1 + firstInvalidUtf8(raw), path: this.where() });
        try {
          this.currentKey = JSON.parse(`"${raw.toString('utf8')}"`) as string;
        } catch {
          this.fail({ kind: 'syntax', ...harProblem('errors.harFile.badKey'), offset: this.keyStart, path: this.where() });
        }
        this.tok = 'colon';
        return i + 1;
      }
      if (this.key.length > 4096) this.fail({ kind: 'syntax', ...harProblem('errors.harFile.longKey', { max: 4096 }), offset: this.keyStart, path: this.where() });
      this.key.push(b);
      return i + 1;
    }
    if (WS[b] === 1) return i + 1;
    const top = this.stack[this.stack.length - 1];
    const unexpected = (expected: JsonToken): never => {
      if (this.tok === 'done') this.fail({ kind: 'syntax', ...harProblem('errors.harFile.afterEnd'), offset: at });
      return this.fail({ kind: 'syntax', ...harProblem('errors.harFile.unexpected', { expected, ...foundByte(b) }), offset: at, path: this.where() });
    };
    switch (this.tok) {
      case 'start':
        if (b !== 0x7b) {
          if (b === 0x5b) this.fail({ kind: 'structure', ...harProblem('errors.harFile.topLevelArray'), offset: at });
          return unexpected('errors.harToken.objectStart');
        }
        this.stack.push('root');
        this.tok = 'key-or-close';
        return i + 1;
      case 'key-or-close':
      case 'key':
        if (b === 0x22) {
          this.tok = 'in-key';
          this.keyStart = at;
          return i + 1;
        }
        if (b === 0x7d && this.tok === 'key-or-close') return this.close(i);
        return unexpected('errors.harToken.key');
      case 'colon':
        if (b !== 0x3a) return unexpected('errors.harToken.colon');
        this.tok = 'value';
        return i + 1;
      case 'value':
        return this.startValue(chunk, i, top!);
      case 'value-or-close':
        if (b === 0x5d) return this.close(i);
        return this.startValue(chunk, i, top!);
      case 'after-value':
        if (b === 0x2c) {
          this.tok = top === 'entries' ? 'value' : 'key';
          return i + 1;
        }
        if ((b === 0x7d && top !== 'entries') || (b === 0x5d && top === 'entries')) return this.close(i);
        return unexpected(top === 'entries' ? 'errors.harToken.commaOrBracket' : 'errors.harToken.commaOrBrace');
      case 'done':
        return unexpected('errors.harToken.endOfFile');
      default:
        return unexpected('errors.harToken.json');
    }
  }

  private close(i: number): number {
    const closed = this.stack.pop();
    if (closed === 'entries') this.visitor.entriesEnd?.(this.entryCount);
    if (closed === 'log') this.visitor.logEnd?.();
    this.tok = this.stack.length === 0 ? 'done' : 'after-value';
    return i + 1;
  }

  private startValue(chunk: Buffer, i: number, top: Container): number {
    const b = chunk[i]!;
    const at = this.base + i;
    if (top === 'root' && this.currentKey === 'log') {
      if (b !== 0x7b) this.fail({ kind: 'type', ...harProblem('errors.harFile.logNotObject'), offset: at, path: 'log' });
      if (this.sawLog) this.fail({ kind: 'structure', ...harProblem('errors.harFile.twoLogs'), offset: at, path: 'log' });
      this.sawLog = true;
      this.stack.push('log');
      this.visitor.logStart?.(at);
      this.tok = 'key-or-close';
      return i + 1;
    }
    if (top === 'log' && this.currentKey === 'entries') {
      if (b !== 0x5b) this.fail({ kind: 'type', ...harProblem('errors.harFile.entriesNotArray'), offset: at, path: 'log.entries' });
      if (this.sawEntries) this.fail({ kind: 'structure', ...harProblem('errors.harFile.twoEntries'), offset: at, path: 'log.entries' });
      this.sawEntries = true;
      this.stack.push('entries');
      this.visitor.entriesStart?.(at);
      this.tok = 'value-or-close';
      return i + 1;
    }
    if (b === 0x7d || b === 0x5d || b === 0x2c || b === 0x3a) {
      this.fail({ kind: 'syntax', ...harProblem('errors.harFile.unexpected', { expected: 'errors.harToken.value', ...foundByte(b) }), offset: at, path: this.where() });
    }
    const target: Target = top === 'entries' ? { kind: 'entry', index: this.entryCount } : { kind: top === 'root' ? 'root-field' : 'log-field', key: this.currentKey };
    const kind = b === 0x7b || b === 0x5b ? 'nested' : b === 0x22 ? 'string' : 'scalar';
    const track = this.deferBodies && target.kind === 'entry' && kind === 'nested';
    this.cap = { target, kind, start: at, parts: [], partBytes: 0, seg: i, depth: 0, inString: false, strStart: 0, bs: 0, spill: null, cuts: [], track, lastKey: 0, pendingKey: 0, afterColon: false, openedBy: track ? [0, 0, 0, 0] : [], defer: null, deferred: [] };
    if (kind === 'string') {
      this.cap.inString = true;
      this.cap.strStart = at;
    }
    return kind === 'string' ? i + 1 : i;
  }

  /** Scans one captured value; returns where the scan stopped (the chunk end, or just past the value). */
  private capture(chunk: Buffer, i: number): number {
    const c = this.cap!;
    const n = chunk.length;
    if (c.kind === 'scalar') {
      while (i < n && SCALAR_END[chunk[i]!] !== 1) i++;
      if (i < n) this.finish(chunk, i);
      return i;
    }
    const levels = this.stack.length;
    while (i < n) {
      if (c.inString) {
        const q = this.stringEnd(chunk, i, c);
        if (c.defer) {
          if (this.keepDeferred(chunk, q < 0 ? n : q, q)) {
            if (q < 0) return n;
            c.inString = false;
            i = q + 1;
            continue;
          }
          // Grown past maxStringBytes: from here on an oversize string like any other.
          if (q < 0) return n;
        } else if (q < 0) {
          if (c.spill || this.base + n - c.strStart > this.maxString) this.spill(chunk, n, -1);
          return n;
        }
        if (c.spill || this.base + q - c.strStart > this.maxString) this.spill(chunk, q, q);
        else if (c.track) c.lastKey = keyClass(chunk, c.strStart - this.base + 1, q);
        c.inString = false;
        i = q + 1;
        if (c.kind === 'string') {
          this.finish(chunk, i);
          return i;
        }
        continue;
      }
      const b = chunk[i];
      if (b === 0x22) {
        c.inString = true;
        c.strStart = this.base + i;
        c.bs = 0;
        if (c.track) {
          if (c.afterColon && c.depth === 3 && c.pendingKey === KEY_TEXT && c.openedBy[3] === KEY_CONTENT && c.openedBy[2] === KEY_RESPONSE) this.startDefer(chunk, i);
          c.afterColon = false;
        }
      } else if (b === 0x7b || b === 0x5b) {
        if (++c.depth + levels > this.maxDepth) this.tooDeep(chunk, i);
        if (c.track) {
          if (c.depth <= 3) c.openedBy[c.depth] = c.afterColon ? c.pendingKey : 0;
          c.afterColon = false;
        }
      } else if (b === 0x7d || b === 0x5d) {
        if (--c.depth === 0) {
          this.finish(chunk, i + 1);
          return i + 1;
        }
      } else if (c.track) {
        if (b === 0x3a) {
          c.pendingKey = c.lastKey;
          c.afterColon = true;
        } else if (b === 0x2c) c.afterColon = false;
      }
      i++;
    }
    return n;
  }

  /** Starts keeping the body string whose opening quote is at `i` out of the entry's text. */
  private startDefer(chunk: Buffer, i: number): void {
    const c = this.cap!;
    if (i > c.seg) {
      c.parts.push(chunk.subarray(c.seg, i));
      c.partBytes += i - c.seg;
    }
    c.seg = i + 1;
    c.defer = { parts: [], bytes: 0, start: this.base + i + 1 };
  }

  /**
   * Adds the body's bytes up to `end` (the closing quote at `q`, or -1: it goes on). False when the
   * body has grown past maxStringBytes: it is then spilled as an oversize string (and closed at `q`).
   */
  private keepDeferred(chunk: Buffer, end: number, q: number): boolean {
    const c = this.cap!;
    const d = c.defer!;
    if (end > c.seg) {
      d.parts.push(chunk.subarray(c.seg, end));
      d.bytes += end - c.seg;
    }
    c.seg = end;
    if (d.bytes + 2 > this.maxString) {
      c.defer = null;
      c.spill = new OversizeString(d.start);
      let at = d.start;
      for (const part of d.parts) {
        this.spillBytes(part, at);
        at += part.length;
      }
      // The caller spills the rest, and closes the marker at `q`.
      return false;
    }
    if (q < 0) return true;
    c.defer = null;
    const raw = d.parts.length === 1 ? d.parts[0]! : this.joinedBody(d.parts, d.bytes, c.deferred.length);
    if (d.bytes < DEFER_MIN_BYTES) {
      // Short after all: back into the entry's text as it was.
      c.parts.push(Buffer.from('"'), raw, Buffer.from('"'));
      c.partBytes += d.bytes + 2;
    } else {
      const ascii = isAscii(raw);
      if (!ascii && !isUtf8(raw)) this.badUtf8(d.start + firstInvalidUtf8(raw));
      const index = c.target.kind === 'entry' ? c.target.index : -1;
      const at = d.start;
      const marker = deferredMarker(c.deferred.length);
      c.deferred.push(
        new DeferredString(raw, ascii, (pos, key, params) => this.fail({ kind: 'syntax', ...harProblem(key, params), offset: at + pos, entry: index, path: `log.entries[${index}].response.content.text` })),
      );
      c.parts.push(marker);
      c.partBytes += marker.length;
      c.cuts.push({ at: c.partBytes, removed: d.bytes + 2 - marker.length });
    }
    c.seg = q + 1;
    return true;
  }

  /** Index of the quote closing the string being scanned, or -1 when it goes on past this chunk. */
  private stringEnd(chunk: Buffer, from: number, c: Capture): number {
    let s = from;
    for (;;) {
      const q = chunk.indexOf(0x22, s);
      const stop = q < 0 ? chunk.length : q;
      let k = 0;
      let j = stop - 1;
      while (j >= s && chunk[j] === 0x5c) {
        k++;
        j--;
      }
      if (j < s) k += c.bs;
      if (q < 0) {
        c.bs = k;
        return -1;
      }
      c.bs = 0;
      if ((k & 1) === 0) return q;
      s = q + 1;
    }
  }

  /**
   * Moves an over-long string out of the value: the bytes before it stay, the string itself only
   * feeds a hash, and a marker takes its place once it closes (`closedAt` ≥ 0).
   */
  private spill(chunk: Buffer, upTo: number, closedAt: number): void {
    const c = this.cap!;
    if (!c.spill) {
      const all = Buffer.concat([...c.parts, chunk.subarray(c.seg, upTo)]);
      // The capture is shorter than the file by what earlier oversize strings of this value gave up.
      const keep = c.strStart - c.start - c.cuts.reduce((n, cut) => n + cut.removed, 0);
      c.parts = [Buffer.from(all.subarray(0, keep))];
      c.partBytes = keep;
      c.spill = new OversizeString(c.strStart + 1);
      this.spillBytes(all.subarray(keep + 1), c.strStart + 1);
    } else {
      this.spillBytes(chunk.subarray(c.seg, upTo), this.base + c.seg);
    }
    c.seg = upTo;
    if (closedAt >= 0) {
      const closed = c.spill.close();
      if ('badAt' in closed) this.badUtf8(closed.badAt);
      const { marker } = closed;
      c.parts.push(marker);
      c.partBytes += marker.length;
      c.cuts.push({ at: c.partBytes, removed: c.spill.bytes + 2 - marker.length });
      c.spill = null;
      c.seg = closedAt + 1;
    }
  }

  /** The file offset of byte `index` of a captured value (oversize strings cut out before it count). */
  private fileOffset(c: Capture, index: number): number {
    let offset = c.start + index;
    for (const cut of c.cuts) if (cut.at <= index) offset += cut.removed;
    return offset;
  }

  private spillBytes(bytes: Buffer, offset: number): void {
    const bad = this.cap!.spill!.add(bytes, offset);
    if (bad >= 0) this.badUtf8(bad);
  }

  private badUtf8(offset: number): never {
    this.fail({ kind: 'encoding', ...harProblem('errors.harFile.invalidUtf8'), offset, ...this.targetWhere(this.cap!.target) });
  }

  private saveSegment(chunk: Buffer, end: number): void {
    const c = this.cap!;
    if (c.spill) {
      if (c.inString) this.spillBytes(chunk.subarray(c.seg, end), this.base + c.seg);
      c.seg = 0;
      return;
    }
    if (end > c.seg) {
      c.parts.push(chunk.subarray(c.seg, end));
      c.partBytes += end - c.seg;
    }
    c.seg = 0;
    if (c.partBytes > this.maxValue) {
      this.fail({ kind: 'too-large', ...harProblem('errors.harFile.tooLarge', { mib: Math.round(this.maxValue / 2 ** 20) }), offset: c.start, ...this.targetWhere(c.target) });
    }
  }

  private targetWhere(t: Target): { entry?: number; path: string } {
    if (t.kind === 'entry') return { entry: t.index, path: `log.entries[${t.index}]` };
    return { path: t.kind === 'log-field' ? pathText(['log', t.key]) : pathText([t.key]) };
  }

  private tooDeep(chunk: Buffer, i: number): never {
    const c = this.cap!;
    const text = Buffer.concat([...c.parts, chunk.subarray(c.seg, i)]).toString('utf8');
    const prefix: (string | number)[] = c.target.kind === 'entry' ? ['log', 'entries', c.target.index] : c.target.kind === 'log-field' ? ['log', c.target.key] : [c.target.key];
    const path = jsonPathAt(text, text.length, prefix);
    this.fail({ kind: 'too-deep', ...harProblem('errors.harFile.tooDeep', { max: this.maxDepth }), offset: this.base + i, path, ...(c.target.kind === 'entry' ? { entry: c.target.index } : {}) });
  }

  /** Reused for joining a value's pieces: each is read (and decoded) before the next is joined. */
  private scratch = Buffer.alloc(0);

  /**
   * The pieces as one buffer, valid until the next call. A deferred body splits its entry in two:
   * a fresh Buffer.concat per entry cost 81 ms of 1.9 s on a 100 MB capture, most of it faulting
   * in new pages; the reused buffer only copies.
   */
  private joined(parts: Buffer[], last: Buffer): Buffer {
    let n = last.length;
    for (const p of parts) n += p.length;
    if (n > MAX_SCRATCH) return Buffer.concat([...parts, last], n);
    if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(Math.max(n, Math.min(MAX_SCRATCH, this.scratch.length * 2)));
    let at = 0;
    for (const p of parts) at += p.copy(this.scratch, at);
    last.copy(this.scratch, at);
    return this.scratch.subarray(0, n);
  }

  /** Per deferred string of an entry, the buffer its pieces are joined in (valid for that entry's visit). */
  private bodyScratch: Buffer[] = [];

  /** A deferred body read in several chunks, as one buffer: reused from entry to entry, as `joined`. */
  private joinedBody(parts: Buffer[], n: number, k: number): Buffer {
    if (n > MAX_SCRATCH) return Buffer.concat(parts, n);
    let b = this.bodyScratch[k];
    if (b === undefined || b.length < n) {
      b = Buffer.allocUnsafe(Math.max(n, Math.min(MAX_SCRATCH, (b?.length ?? 0) * 2)));
      this.bodyScratch[k] = b;
    }
    let at = 0;
    for (const p of parts) at += p.copy(b, at);
    return b.subarray(0, n);
  }

  private finish(chunk: Buffer, end: number): void {
    const c = this.cap!;
    this.cap = null;
    const buf = c.parts.length === 0 ? chunk.subarray(c.seg, end) : this.joined(c.parts, chunk.subarray(c.seg, end));
    const t = c.target;
    // Pure ASCII (most HARs) decodes as Latin-1: the same string, made by a plain copy.
    const ascii = isAscii(buf);
    if (!ascii && !isUtf8(buf)) {
      this.fail({ kind: 'encoding', ...harProblem('errors.harFile.invalidUtf8'), offset: this.fileOffset(c, firstInvalidUtf8(buf)), ...this.targetWhere(t) });
    }
    const text = buf.toString(ascii ? 'latin1' : 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // Said in the house's words (V8's are English and vary by version); its position only if the two ever disagree.
      const syntax = syntaxErrorAt(text);
      const pos = syntax ? syntax.pos : Number(/at position (\d+)/.exec((error as Error).message)?.[1] ?? NaN);
      const prefix: (string | number)[] = t.kind === 'entry' ? ['log', 'entries', t.index] : t.kind === 'log-field' ? ['log', t.key] : [t.key];
      const offset = Number.isFinite(pos) ? this.fileOffset(c, Buffer.byteLength(text.slice(0, pos))) : c.start;
      const problem = syntax ? harProblem(syntax.key, syntax.params) : harProblem('errors.harFile.syntax');
      this.fail({ kind: 'syntax', ...problem, offset, path: Number.isFinite(pos) ? jsonPathAt(text, pos, prefix) : pathText(prefix), ...(t.kind === 'entry' ? { entry: t.index } : {}) });
    }
    if (t.kind === 'entry') {
      this.entryCount++;
      this.visitor.entry(value, t.index, c.start, text, c.deferred.length > 0 ? c.deferred : undefined);
    } else if (t.kind === 'log-field') this.visitor.logField?.(t.key, value, c.start);
    else this.visitor.rootField?.(t.key, value, c.start);
    this.tok = 'after-value';
  }
}

/** The key class (KEY_*) of the string in `chunk[from, to)`, or 0. */
function keyClass(chunk: Buffer, from: number, to: number): number {
  const len = to - from;
  if (from < 0 || (len !== 8 && len !== 7 && len !== 4)) return 0;
  const name = len === 8 ? RESPONSE : len === 7 ? CONTENT : TEXT;
  for (let k = 0; k < len; k++) if (chunk[from + k] !== name[k]) return 0;
  return len === 8 ? KEY_RESPONSE : len === 7 ? KEY_CONTENT : KEY_TEXT;
}
