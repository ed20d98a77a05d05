import { createDecipheriv } from 'node:crypto';
import type fs from 'node:fs/promises';
import { openRegularFile } from '../fs/regular-file.js';

/** Bytes readable at any offset: a file, split parts seen as one, or decrypted CMS content. */
export interface RandomAccess {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

/** One file, or split parts (`.001`, `.002`, …) read as if joined. */
export class PartsFile implements RandomAccess {
  private constructor(
    private readonly parts: { handle: fs.FileHandle; start: number; size: number }[],
    readonly size: number,
  ) {}

  static async open(paths: readonly string[]): Promise<PartsFile> {
    const parts: { handle: fs.FileHandle; start: number; size: number }[] = [];
    let start = 0;
    try {
      for (const p of paths) {
        // A folder, FIFO or device is refused here: a FIFO would block the open for ever.
        const opened = await openRegularFile(p);
        if (!opened.ok) throw new Error(opened.problem);
        parts.push({ handle: opened.handle, start, size: opened.size });
        start += opened.size;
      }
    } catch (error) {
      for (const part of parts) await part.handle.close().catch(() => undefined);
      throw error;
    }
    return new PartsFile(parts, start);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(offset + length, this.size);
    const out = Buffer.alloc(Math.max(0, end - offset));
    let filled = 0;
    for (const part of this.parts) {
      const from = Math.max(offset + filled, part.start);
      if (from >= end) break;
      if (from >= part.start + part.size) continue;
      const to = Math.min(end, part.start + part.size);
      const { bytesRead } = await part.handle.read(out, filled, to - from, from - part.start);
      filled += bytesRead;
      if (bytesRead < to - from) break;
    }
    return out.subarray(0, filled);
  }

  async close(): Promise<void> {
    for (const part of this.parts) await part.handle.close().catch(() => undefined);
  }
}

/** Where ciphertext lies in the file: the OCTET STRING segments of the encrypted content, in order. */
export interface CipherSegment {
  fileOffset: number;
  length: number;
  /** Offset of this segment within the whole ciphertext. */
  cipherOffset: number;
}

const BLOCK = 16;

/**
 * AES-256-CBC content read at any offset without decrypting what comes before: block i needs only
 * ciphertext block i-1 as its IV. This lets the zip reader seek in a CMS archive (to its central
 * directory at the end) with nothing decrypted written to disk.
 */
export class CbcContent implements RandomAccess {
  readonly size: number;

  private constructor(
    private readonly file: RandomAccess,
    private readonly segments: CipherSegment[],
    private readonly key: Buffer,
    private readonly iv: Buffer,
    private readonly cipherSize: number,
    plainSize: number,
  ) {
    this.size = plainSize;
  }

  /** Checks the padding of the last block; a wrong key or a cut file fails here. */
  static async open(file: RandomAccess, segments: CipherSegment[], key: Buffer, iv: Buffer): Promise<CbcContent> {
    const cipherSize = segments.reduce((sum, s) => sum + s.length, 0);
    if (cipherSize === 0 || cipherSize % BLOCK !== 0) throw new Error(`the encrypted content is ${cipherSize} bytes, not a whole number of AES blocks (truncated?)`);
    const probe = new CbcContent(file, segments, key, iv, cipherSize, cipherSize);
    const last = await probe.decryptBlocks(cipherSize / BLOCK - 1, 1);
    const pad = last[BLOCK - 1]!;
    if (pad < 1 || pad > BLOCK || !last.subarray(BLOCK - pad).every((b) => b === pad)) throw new Error('the decrypted content has invalid padding (wrong key, or a damaged file)');
    return new CbcContent(file, segments, key, iv, cipherSize, cipherSize - pad);
  }

  /** Ciphertext bytes [from, from + length) gathered from the segments. */
  private async cipher(from: number, length: number): Promise<Buffer> {
    const out: Buffer[] = [];
    let need = length;
    let at = from;
    for (const s of this.segments) {
      if (need <= 0) break;
      if (at >= s.cipherOffset + s.length) continue;
      const inSeg = at - s.cipherOffset;
      const take = Math.min(need, s.length - inSeg);
      const data = await this.file.read(s.fileOffset + inSeg, take);
      if (data.length < take) throw new Error('the archive ends inside its encrypted content (truncated)');
      out.push(data);
      need -= take;
      at += take;
    }
    return Buffer.concat(out);
  }

  private async decryptBlocks(firstBlock: number, count: number): Promise<Buffer> {
    const iv = firstBlock === 0 ? this.iv : await this.cipher((firstBlock - 1) * BLOCK, BLOCK);
    const data = await this.cipher(firstBlock * BLOCK, count * BLOCK);
    const decipher = createDecipheriv('aes-256-cbc', this.key, iv);
    decipher.setAutoPadding(false);
    return Buffer.concat([decipher.update(data), decipher.final()]);
  }

  async read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(offset + length, this.size);
    if (end <= offset) return Buffer.alloc(0);
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((end - 1) / BLOCK);
    const plain = await this.decryptBlocks(first, last - first + 1);
    return plain.subarray(offset - first * BLOCK, end - first * BLOCK);
  }

  get ciphertextBytes(): number {
    return this.cipherSize;
  }

  async close(): Promise<void> {
    this.key.fill(0);
    await this.file.close();
  }
}
