import type { MessageParams } from '../../contract/result.js';

/**
 * A response body the scanner kept out of its entry's JSON text (`response.content.text`, see
 * `ReadOptions.deferBodies`): its bytes as the file holds them (the JSON string without its quotes),
 * checked for UTF-8 but not yet for JSON. The entry carries a marker in its place. A dropped body is
 * then only hashed, straight from these bytes: it never becomes a JavaScript string, is never parsed
 * with its entry and is never searched for known values — on a Chrome capture, 40 % of the bytes.
 */
export class DeferredString {
  private checked = false;

  constructor(
    /** The string's bytes between its quotes, escapes as written. */
    readonly raw: Buffer,
    private readonly ascii: boolean,
    /** Throws the reader's error for a problem at byte `pos` of `raw`. */
    private readonly fail: (pos: number, key: `errors.harFile.${string}`, params?: MessageParams) => never,
  ) {}

  /** The value, as `JSON.parse` of the string gives it. */
  value(): string {
    const text = this.raw.toString(this.ascii ? 'latin1' : 'utf8');
    try {
      const value = JSON.parse(`"${text}"`) as string;
      this.checked = true;
      return value;
    } catch {
      // The byte walk names the position in the house's words (and throws).
      this.utf8();
      throw new Error('unreachable: JSON.parse refused a string the byte walk accepts');
    }
  }

  /**
   * The value's UTF-8 bytes, unescaped here: what hashing the value would read. A lone surrogate
   * (`\ud800`) becomes U+FFFD, as Node encodes a string holding one. The bytes are valid until the
   * next call (of any DeferredString): one buffer serves them all, so hash them at once.
   */
  utf8(): Buffer {
    const raw = this.raw;
    const n = raw.length;
    // Escapes only shrink: `\n` is one byte, `\uXXXX` at most three, a pair of them four.
    const out = outBuffer(n);
    let o = 0;
    let i = 0;
    while (i < n) {
      let j = i;
      let b = 0;
      while (j < n) {
        b = raw[j]!;
        if (b === 0x5c || b < 0x20) break;
        j++;
      }
      if (j > i) o += raw.copy(out, o, i, j);
      if (j >= n) break;
      if (b < 0x20) this.fail(j, 'errors.harFile.controlChar', { code: `U+${b.toString(16).toUpperCase().padStart(4, '0')}` });
      const e = raw[j + 1];
      if (e === 0x75) {
        const cu = hex4(raw, j + 2);
        if (cu < 0) this.fail(j, 'errors.harFile.badEscape');
        let cp = cu;
        let len = 6;
        if (cu >= 0xd800 && cu <= 0xdbff && raw[j + 6] === 0x5c && raw[j + 7] === 0x75) {
          const lo = hex4(raw, j + 8);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cu - 0xd800) << 10) + (lo - 0xdc00);
            len = 12;
          }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
        o = putUtf8(out, o, cp);
        i = j + len;
        continue;
      }
      const c = e === undefined ? -1 : SIMPLE_ESCAPES[e]!;
      if (c < 0) this.fail(j, 'errors.harFile.badEscape');
      out[o++] = c;
      i = j + 2;
    }
    this.checked = true;
    return out.subarray(0, o);
  }

  /** Checks the string as JSON if neither `value` nor `utf8` has yet. */
  check(): void {
    if (!this.checked) this.utf8();
  }
}

let shared = Buffer.alloc(0);
/** Bodies above this get a buffer of their own rather than growing the shared one. */
const MAX_SHARED = 16 * 2 ** 20;

/**
 * The buffer `utf8` writes into. A fresh one per body was a quarter of the time spent on dropped
 * bodies, most of it faulting in new pages; this one is reused.
 */
function outBuffer(n: number): Buffer {
  if (n > MAX_SHARED) return Buffer.allocUnsafe(n);
  if (shared.length < n) shared = Buffer.allocUnsafe(Math.min(MAX_SHARED, Math.max(n, shared.length * 2)));
  return shared;
}

/** The byte an escape letter stands for (`\n` → 0x0a), or -1 for a letter JSON does not allow. */
const SIMPLE_ESCAPES = new Int16Array(256).fill(-1);
for (const [letter, byte] of [
  ['"', 0x22],
  ['\\', 0x5c],
  ['/', 0x2f],
  ['b', 0x08],
  ['f', 0x0c],
  ['n', 0x0a],
  ['r', 0x0d],
  ['t', 0x09],
] as const) {
  SIMPLE_ESCAPES[letter.charCodeAt(0)] = byte;
}

function hexDigit(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const l = b | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x57 : -1;
}

function hex4(buf: Buffer, at: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const d = hexDigit(buf[at + k]);
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

function putUtf8(out: Buffer, o: number, cp: number): number {
  if (cp < 0x80) {
    out[o] = cp;
    return o + 1;
  }
  if (cp < 0x800) {
    out[o] = 0xc0 | (cp >> 6);
    out[o + 1] = 0x80 | (cp & 0x3f);
    return o + 2;
  }
  if (cp < 0x10000) {
    out[o] = 0xe0 | (cp >> 12);
    out[o + 1] = 0x80 | ((cp >> 6) & 0x3f);
    out[o + 2] = 0x80 | (cp & 0x3f);
    return o + 3;
  }
  out[o] = 0xf0 | (cp >> 18);
  out[o + 1] = 0x80 | ((cp >> 12) & 0x3f);
  out[o + 2] = 0x80 | ((cp >> 6) & 0x3f);
  out[o + 3] = 0x80 | (cp & 0x3f);
  return o + 4;
}

// Plain ASCII, no JSON escape: a `\u` in an entry's text widens its known-value search (see
// TextScrubber.scopeFor). Only `response.content.text` of an entry that has deferred strings is
// read as a marker, and there the scanner put it.
const DEFERRED_PREFIX = 'xet-deferred:';

/** The marker the entry holds in a deferred string's place, as JSON text. */
export function deferredMarker(k: number): Buffer {
  return Buffer.from(JSON.stringify(`${DEFERRED_PREFIX}${k}`));
}

/** The deferred string a value stands for, or null (in an entry without deferred strings, a value that looks like a marker stays a value). */
export function deferredOf(value: string, deferred: readonly DeferredString[] | undefined): DeferredString | null {
  if (deferred === undefined || deferred.length === 0 || !value.startsWith(DEFERRED_PREFIX)) return null;
  const k = Number(value.slice(DEFERRED_PREFIX.length));
  return Number.isInteger(k) ? (deferred[k] ?? null) : null;
}
