import { createHash } from 'node:crypto';
import { ZipWriter, configure } from '@zip.js/zip.js';
import type { ArchiveOutput } from './archive-output.js';
import { ZlibCompressionStream } from './zlib-compression-stream.js';

// Node has no web workers for zip.js; compression runs in zlib on libuv's thread pool, through a
// CompressionStream that keeps several chunks in flight (see zlib-compression-stream.ts).
// 128 KiB chunks: measured lower peak memory (and no slower) than the 512 KiB default on a 256 MB HAR.
configure({ useWebWorkers: false, chunkSize: 128 * 1024, CompressionStream: ZlibCompressionStream as unknown as typeof CompressionStream });

export interface EntryResult {
  path: string;
  bytes: number;
  sha256: string;
}

/** Writes plaintext chunks into an entry; resolves when the zip accepted the chunk (backpressure). */
export type EntryWriter = (data: Uint8Array) => Promise<void>;

const ZIP64_FROM = 2 * 1024 ** 3;

/**
 * A zip written as a stream into an ArchiveOutput: with a password every entry is WinZip AES-256
 * (AE-2: AES-CTR and HMAC-SHA1, no CRC) as 7-Zip and WinZip read it; without one (inside the CMS
 * envelope) it is a plain deflate zip. Entries are added one after another, never buffered whole,
 * and each one's plaintext SHA-256 is taken on the way in for the manifest.
 */
export class ZipStream {
  private readonly zip: ZipWriter<unknown>;
  private readonly entries: EntryResult[] = [];

  constructor(output: ArchiveOutput, options: { password: string | null; modified: Date; signal?: AbortSignal }) {
    const writable = new WritableStream<Uint8Array>({ write: (chunk) => output.write(chunk) });
    this.zip = new ZipWriter(writable, {
      ...(options.password ? { password: options.password, encryptionStrength: 3 as const, zipCrypto: false } : {}),
      lastModDate: options.modified,
      extendedTimestamp: false,
      keepOrder: true,
      bufferedWrite: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  get written(): readonly EntryResult[] {
    return this.entries;
  }

  /**
   * Adds an entry whose content `produce` writes through the given writer. `sizeHint` (bytes, if
   * known) switches on Zip64 for entries that may pass 4 GiB.
   */
  async addStream(name: string, produce: (write: EntryWriter) => Promise<void>, sizeHint = 0): Promise<EntryResult> {
    const hash = createHash('sha256');
    let bytes = 0;
    const pipe = new TransformStream<Uint8Array, Uint8Array>();
    const writer = pipe.writable.getWriter();
    const added = this.zip.add(name, pipe.readable, { zip64: sizeHint >= ZIP64_FROM });
    // If the zip fails first, stop the producer at its next write instead of letting it wait forever.
    let zipError: unknown = null;
    added.catch((error: unknown) => {
      zipError = error ?? new Error('zip entry failed');
      void writer.abort(zipError).catch(() => undefined);
    });
    try {
      await produce(async (data) => {
        if (zipError) throw zipError;
        if (data.length === 0) return;
        hash.update(data);
        bytes += data.length;
        await writer.ready;
        await writer.write(data);
      });
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
      await added.catch(() => undefined);
      throw error;
    }
    await added;
    const result = { path: name, bytes, sha256: hash.digest('hex') };
    this.entries.push(result);
    return result;
  }

  /** Adds a small entry held in memory (report, manifest, results). */
  addBuffer(name: string, data: Buffer | string): Promise<EntryResult> {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return this.addStream(name, async (write) => {
      for (let i = 0; i < buffer.length; i += 1 << 20) await write(buffer.subarray(i, i + (1 << 20)));
    });
  }

  /** Writes the central directory. */
  async close(): Promise<void> {
    await this.zip.close();
  }
}
