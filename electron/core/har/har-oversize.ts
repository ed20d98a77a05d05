import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { firstInvalidUtf8, openUtf8Tail } from './har-errors.js';

const OVERSIZE_PREFIX = '\u0000xet-oversize:';

/** A string the reader did not keep because it was too long: its JSON byte length and SHA-256 prefix. */
export function oversizeOf(value: string): { bytes: number; digest: string } | null {
  if (!value.startsWith(OVERSIZE_PREFIX)) return null;
  const [bytes, digest] = value.slice(OVERSIZE_PREFIX.length).split(':');
  return { bytes: Number(bytes), digest: digest ?? '' };
}

/**
 * The body of one over-long JSON string as it streams past: hashed and checked for UTF-8, never
 * kept. A character split between two reads is checked whole, so an error names its first byte
 * whatever the read size.
 */
export class OversizeString {
  private readonly hash = createHash('sha256');
  bytes = 0;
  /** The last bytes seen when they begin a character that goes on in the next piece. */
  private tail = Buffer.alloc(0);
  /** File offset just past the last byte seen. */
  private end: number;

  constructor(start: number) {
    this.end = start;
  }

  /** Adds the piece at file `offset`; answers the offset of the first byte that breaks UTF-8, or -1. */
  add(piece: Buffer, offset: number): number {
    this.hash.update(piece);
    this.bytes += piece.length;
    this.end = offset + piece.length;
    const all = this.tail.length > 0 ? Buffer.concat([this.tail, piece]) : piece;
    const whole = all.length - openUtf8Tail(all);
    const start = offset - this.tail.length;
    if (!isUtf8(all.subarray(0, whole))) return start + firstInvalidUtf8(all.subarray(0, whole));
    this.tail = Buffer.from(all.subarray(whole));
    return -1;
  }

  /** The string closed: its marker (a JSON string), or the offset of a character it left unfinished. */
  close(): { marker: Buffer } | { badAt: number } {
    if (this.tail.length > 0) return { badAt: this.end - this.tail.length };
    return { marker: Buffer.from(JSON.stringify(`${OVERSIZE_PREFIX}${this.bytes}:${this.hash.digest('hex').slice(0, 16)}`)) };
  }
}
