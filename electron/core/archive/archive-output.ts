import { createHash, randomBytes, type Hash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { CmsEnvelopeWriter } from './cms-envelope.js';
import type { Recipient } from './recipient-cert.js';

export interface OutputPart {
  /** Final path of the part (the target itself when not split). */
  path: string;
  bytes: number;
  sha256: string;
}

export interface OutputResult {
  parts: OutputPart[];
  bytes: number;
  /** SHA-256 of the whole archive (all parts joined). */
  sha256: string;
}

interface OpenPart {
  temp: string;
  final: string;
  handle: fs.FileHandle;
  bytes: number;
  hash: Hash;
}

const PARTIAL_SUFFIX = '.xet-partial';

/** `support.zip` → `support.zip.001` (7-Zip's split-volume naming; `cat` joins them back). */
export function partName(target: string, index: number): string {
  return `${target}.${String(index + 1).padStart(3, '0')}`;
}

/** True for the temp files this module writes (so a sweep can find what a killed process left). */
export function isPartialName(name: string): boolean {
  return name.startsWith('.') && name.endsWith(PARTIAL_SUFFIX);
}

const STALE_PARTIAL_MS = 10 * 60 * 1000;

/**
 * Removes temp files an earlier, killed build of the same target left beside it (untouched for ten
 * minutes, so a build still running elsewhere keeps its own). They hold only ciphertext, but clutter.
 */
async function sweepPartials(target: string): Promise<void> {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !isPartialName(name)) continue;
    const file = path.join(dir, name);
    try {
      if ((await fs.stat(file)).mtimeMs < Date.now() - STALE_PARTIAL_MS) await fs.rm(file, { force: true });
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
}

/**
 * The bytes of an archive on their way to disk: only ever ciphertext (the zip's own AES, or the CMS
 * envelope around a plain zip), into temp files beside the target (0600), optionally cut into parts.
 * `commit` fsyncs and renames every part; `abort` removes them. The final names never hold a partial file.
 */
export class ArchiveOutput {
  private readonly parts: OpenPart[] = [];
  private readonly whole = createHash('sha256');
  private total = 0;
  private envelope: CmsEnvelopeWriter | null = null;
  private closed = false;

  private constructor(
    readonly target: string,
    private readonly splitBytes: number | null,
  ) {}

  /** Opens the first temp part; with recipients, the CMS header is written first. */
  static async open(target: string, options: { splitBytes?: number | null; recipients?: readonly Recipient[] | null }): Promise<ArchiveOutput> {
    const out = new ArchiveOutput(path.resolve(target), options.splitBytes ?? null);
    await sweepPartials(out.target);
    await out.nextPart();
    if (options.recipients && options.recipients.length > 0) {
      const { writer, header } = CmsEnvelopeWriter.start(options.recipients);
      out.envelope = writer;
      await out.raw(header);
    }
    return out;
  }

  get bytesWritten(): number {
    return this.total;
  }

  private async nextPart(): Promise<void> {
    const index = this.parts.length;
    const final = this.splitBytes ? partName(this.target, index) : this.target;
    const temp = path.join(path.dirname(final), `.${path.basename(final)}.${randomBytes(6).toString('hex')}${PARTIAL_SUFFIX}`);
    const handle = await fs.open(temp, 'wx', 0o600);
    this.parts.push({ temp, final, handle, bytes: 0, hash: createHash('sha256') });
  }

  /** Bytes as they go to disk (already encrypted), cut at the part size. */
  private async raw(data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      let part = this.parts[this.parts.length - 1]!;
      if (this.splitBytes && part.bytes >= this.splitBytes) {
        await this.closePart(part);
        await this.nextPart();
        part = this.parts[this.parts.length - 1]!;
      }
      const room = this.splitBytes ? this.splitBytes - part.bytes : data.length - offset;
      const slice = data.subarray(offset, offset + Math.min(room, data.length - offset));
      await part.handle.write(slice);
      part.hash.update(slice);
      this.whole.update(slice);
      part.bytes += slice.length;
      this.total += slice.length;
      offset += slice.length;
    }
  }

  /** The zip writer's output: encrypted by the envelope first when there is one. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.closed) throw new Error('archive output already closed');
    await this.raw(this.envelope ? this.envelope.update(chunk) : chunk);
  }

  private async closePart(part: OpenPart): Promise<void> {
    await part.handle.sync();
    await part.handle.close();
  }

  /** Finishes the envelope, fsyncs, and renames every part to its final name. */
  async commit(): Promise<OutputResult> {
    if (this.envelope) await this.raw(this.envelope.final());
    this.closed = true;
    const last = this.parts[this.parts.length - 1]!;
    await this.closePart(last);
    for (const part of this.parts) await fs.rename(part.temp, part.final);
    return {
      parts: this.parts.map((p) => ({ path: p.final, bytes: p.bytes, sha256: p.hash.digest('hex') })),
      bytes: this.total,
      sha256: this.whole.digest('hex'),
    };
  }

  /** Removes every temp part (the final names were never written). */
  async abort(): Promise<void> {
    this.closed = true;
    for (const part of this.parts) {
      await part.handle.close().catch(() => undefined);
      await fs.rm(part.temp, { force: true });
    }
  }
}
