import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

const RECORD_HEAD = 4 + 12;
const TAG = 16;

/**
 * Cleaned log text on its way to the archive, encrypted on disk: AES-256-GCM records under a key
 * that lives only in this object. A file is cleaned completely into a spool first, so one that
 * breaks half-way never touches the archive; a killed process leaves ciphertext nobody can read
 * (the sweep removes it later). Plaintext never reaches the disk.
 */
export class LogSpool {
  private readonly key = randomBytes(32);
  private handle: fs.FileHandle | null = null;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private records = 0;
  /** Plaintext bytes written so far. */
  bytes = 0;

  private constructor(readonly file: string) {}

  static async create(dir: string): Promise<LogSpool> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const spool = new LogSpool(path.join(dir, `${randomBytes(8).toString('hex')}.xet-spool`));
    spool.handle = await fs.open(spool.file, 'wx', 0o600);
    return spool;
  }

  async write(data: Buffer): Promise<void> {
    if (data.length === 0) return;
    this.pending.push(data);
    this.pendingBytes += data.length;
    this.bytes += data.length;
    if (this.pendingBytes >= 256 * 1024) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0 || !this.handle) return;
    const plain = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const iv = randomBytes(12);
    // The record number is bound in as associated data: records cannot be reordered or dropped unnoticed.
    const aad = Buffer.alloc(4);
    aad.writeUInt32BE(this.records++);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const head = Buffer.alloc(RECORD_HEAD);
    head.writeUInt32BE(body.length);
    iv.copy(head, 4);
    await this.handle.write(Buffer.concat([head, body]));
  }

  /** Ends writing; the spool can then be read (any number of times). */
  async finish(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = null;
  }

  /** The plaintext back, record by record. */
  async *read(): AsyncGenerator<Buffer> {
    const handle = await fs.open(this.file, 'r');
    try {
      let position = 0;
      const head = Buffer.alloc(RECORD_HEAD);
      for (let n = 0; ; n++) {
        const { bytesRead } = await handle.read(head, 0, RECORD_HEAD, position);
        if (bytesRead === 0) return;
        if (bytesRead < RECORD_HEAD) throw new Error('log spool cut short');
        const length = head.readUInt32BE(0);
        const body = Buffer.alloc(length);
        const got = await handle.read(body, 0, length, position + RECORD_HEAD);
        if (got.bytesRead < length || length < TAG) throw new Error('log spool cut short');
        position += RECORD_HEAD + length;
        const aad = Buffer.alloc(4);
        aad.writeUInt32BE(n);
        const decipher = createDecipheriv('aes-256-gcm', this.key, head.subarray(4, 16)).setAAD(aad);
        decipher.setAuthTag(body.subarray(length - TAG));
        yield Buffer.concat([decipher.update(body.subarray(0, length - TAG)), decipher.final()]);
      }
    } finally {
      await handle.close();
    }
  }

  async remove(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    await fs.rm(this.file, { force: true });
  }
}
