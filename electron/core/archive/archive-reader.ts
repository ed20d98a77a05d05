import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ERR_EOCDR_NOT_FOUND,
  ERR_INVALID_AUTHENTICATION_CODE,
  ERR_INVALID_CRC32,
  ERR_INVALID_PASSWORD,
  Reader,
  ZipReader,
  type Entry,
} from '@zip.js/zip.js';
import { Manifest, type ManifestFile } from '../../contract/archive.js';
import { AppError } from '../errors.js';
import { openCmsContent } from './cms-reader.js';
import { PartsFile, type RandomAccess } from './random-access.js';
import { parseRecipient, splitCertificates } from './recipient-cert.js';
import './zip-stream.js';

export type ArchiveCredentials = { password: string } | { certPem: string; certLabel: string; keyPem: string };

export interface VerifiedFile extends ManifestFile {
  status: 'ok' | 'mismatch' | 'missing';
  actualSha256: string | null;
  actualBytes: number | null;
}

export interface VerifyResult {
  ok: boolean;
  mode: 'password' | 'certificate';
  archiveBytes: number;
  parts: number;
  manifest: Manifest;
  files: VerifiedFile[];
  /** Entries the archive holds that its manifest does not list. */
  unlisted: string[];
  problems: string[];
}

class RandomAccessReader extends Reader<RandomAccess> {
  constructor(private readonly source: RandomAccess) {
    super(source);
    this.size = source.size;
  }
  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const data = await this.source.read(index, length);
    return new Uint8Array(data.buffer, data.byteOffset, data.length);
  }
}

/** `x.zip.001` → every existing part in order; anything else → itself. */
export function archiveParts(file: string): string[] {
  const m = /^(.*)\.(\d{3})$/.exec(file);
  if (!m) return [file];
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const part = `${m[1]}.${String(i).padStart(3, '0')}`;
    if (!fs.existsSync(part)) break;
    out.push(part);
  }
  // A name that merely ends in three digits, with no .001 beside it, is a whole archive.
  if (out.length === 0) return [file];
  if (out[0] !== file) throw new AppError('INVALID_REQUEST', `${path.basename(file)}: give the first part (.001) of a split archive.`, 'file');
  return out;
}

function label(file: string): string {
  return path.basename(file);
}

function zipError(file: string, error: unknown, entry?: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (message === ERR_INVALID_PASSWORD) return new AppError('BAD_PASSPHRASE', `${label(file)}: the password does not open this archive.`, 'password');
  if (message === ERR_INVALID_AUTHENTICATION_CODE || message === ERR_INVALID_CRC32) {
    return new AppError('INVALID_REQUEST', `${label(file)}: ${entry ?? 'an entry'} fails its integrity check (tampered or damaged).`, 'file');
  }
  if (message === ERR_EOCDR_NOT_FOUND) return new AppError('INVALID_REQUEST', `${label(file)}: the zip directory at its end is missing (truncated, or not a zip).`, 'file');
  if (error instanceof AppError) return error;
  return new AppError('INVALID_REQUEST', `${label(file)}: ${entry ? `${entry}: ` : ''}${message}`, 'file');
}

interface Opened {
  source: RandomAccess;
  zip: ZipReader<unknown>;
  password: string | undefined;
  mode: 'password' | 'certificate';
  archiveBytes: number;
  parts: number;
}

/** Opens a support archive for reading: decrypting on the fly, never writing plaintext anywhere. */
async function openArchive(file: string, credentials: ArchiveCredentials): Promise<Opened> {
  const partPaths = archiveParts(file);
  let raw: PartsFile;
  try {
    raw = await PartsFile.open(partPaths);
  } catch (error) {
    throw new AppError('NOT_FOUND', `${label(file)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`, 'file');
  }
  const archiveBytes = raw.size;
  try {
    const magic = await raw.read(0, 4);
    if (magic.length < 4) throw new AppError('INVALID_REQUEST', `${label(file)}: is empty or truncated (${archiveBytes} bytes).`, 'file');
    let source: RandomAccess = raw;
    let mode: Opened['mode'];
    if (magic[0] === 0x50 && magic[1] === 0x4b) {
      mode = 'password';
      if (!('password' in credentials)) throw new AppError('INVALID_REQUEST', `${label(file)}: is a password archive; give --password-stdin.`, 'password');
    } else if (magic[0] === 0x30) {
      mode = 'certificate';
      if (!('keyPem' in credentials)) throw new AppError('INVALID_REQUEST', `${label(file)}: is a certificate (CMS) archive; give --key KEY.pem --cert CERT.pem.`, 'key');
      const der = splitCertificates(credentials.certLabel, Buffer.from(credentials.certPem, 'utf8'))[0]!;
      source = await openCmsContent(raw, parseRecipient(credentials.certLabel, der, new Date(), false), credentials.keyPem);
    } else {
      throw new AppError('INVALID_REQUEST', `${label(file)}: is neither an AES zip nor a CMS (.p7m) archive (first bytes ${magic.toString('hex')}).`, 'file');
    }
    const zip = new ZipReader(new RandomAccessReader(source), { checkSignature: true, useWebWorkers: false });
    return { source, zip, password: 'password' in credentials ? credentials.password : undefined, mode, archiveBytes, parts: partPaths.length };
  } catch (error) {
    await raw.close();
    throw zipError(file, error);
  }
}

async function entryDigest(entry: Entry, password: string | undefined): Promise<{ bytes: number; sha256: string; data: Buffer | null }> {
  if (entry.directory) return { bytes: 0, sha256: createHash('sha256').digest('hex'), data: null };
  const hash = createHash('sha256');
  let bytes = 0;
  const keep: Buffer[] = [];
  const keepData = entry.filename === 'manifest.json';
  await entry.getData(
    new WritableStream<Uint8Array>({
      write(chunk) {
        hash.update(chunk);
        bytes += chunk.length;
        if (keepData && bytes <= 64 * 1024 * 1024) keep.push(Buffer.from(chunk));
      },
    }),
    { ...(password !== undefined ? { password } : {}), checkSignature: true, useWebWorkers: false },
  );
  return { bytes, sha256: hash.digest('hex'), data: keepData ? Buffer.concat(keep) : null };
}

/** The entries, without reading their content (after the password or key is proven by the first one). */
export async function listArchive(file: string, credentials: ArchiveCredentials): Promise<{ mode: Opened['mode']; entries: { path: string; bytes: number; encrypted: boolean }[]; manifest: Manifest }> {
  const opened = await openArchive(file, credentials);
  try {
    const entries = await opened.zip.getEntries();
    const manifest = await readManifest(file, entries, opened.password);
    return { mode: opened.mode, entries: entries.map((e) => ({ path: e.filename, bytes: e.uncompressedSize, encrypted: e.encrypted })), manifest };
  } catch (error) {
    throw zipError(file, error);
  } finally {
    await opened.zip.close();
    await opened.source.close();
  }
}

async function readManifest(file: string, entries: Entry[], password: string | undefined): Promise<Manifest> {
  const entry = entries.find((e) => e.filename === 'manifest.json');
  if (!entry) throw new AppError('INVALID_REQUEST', `${label(file)}: has no manifest.json; it was not made by this tool or is damaged.`, 'file');
  let digest;
  try {
    digest = await entryDigest(entry, password);
  } catch (error) {
    throw zipError(file, error, 'manifest.json');
  }
  let json: unknown;
  try {
    json = JSON.parse(digest.data!.toString('utf8'));
  } catch (error) {
    throw new AppError('INVALID_REQUEST', `${label(file)}: manifest.json is not valid JSON (${(error as Error).message}).`, 'file');
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('INVALID_REQUEST', `${label(file)}: manifest.json: ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'file');
  }
  return parsed.data;
}

/**
 * Decrypts every entry in memory, one stream at a time, and checks it against the manifest: size and
 * SHA-256, nothing missing, nothing unlisted, every entry encrypted (password mode). Returns the
 * findings; throws only when the archive cannot be opened at all.
 */
export async function verifyArchive(file: string, credentials: ArchiveCredentials): Promise<VerifyResult> {
  const opened = await openArchive(file, credentials);
  try {
    let entries: Entry[];
    try {
      entries = await opened.zip.getEntries();
    } catch (error) {
      throw zipError(file, error);
    }
    const problems: string[] = [];
    if (opened.mode === 'password') {
      for (const e of entries) if (!e.encrypted && !e.directory) problems.push(`${e.filename} is not encrypted`);
    }
    const manifest = await readManifest(file, entries, opened.password);
    const byName = new Map(entries.map((e) => [e.filename, e]));
    const files: VerifiedFile[] = [];
    for (const listed of manifest.files) {
      const entry = byName.get(listed.path);
      if (!entry) {
        files.push({ ...listed, status: 'missing', actualSha256: null, actualBytes: null });
        problems.push(`${listed.path} is listed in the manifest but missing`);
        continue;
      }
      let digest;
      try {
        digest = await entryDigest(entry, opened.password);
      } catch (error) {
        const e = zipError(file, error, listed.path);
        if (e.code === 'BAD_PASSPHRASE') throw e;
        files.push({ ...listed, status: 'mismatch', actualSha256: null, actualBytes: null });
        problems.push(e.message);
        continue;
      }
      const same = digest.sha256 === listed.sha256 && digest.bytes === listed.bytes;
      files.push({ ...listed, status: same ? 'ok' : 'mismatch', actualSha256: digest.sha256, actualBytes: digest.bytes });
      if (!same) problems.push(`${listed.path}: SHA-256 or size differs from the manifest (tampered or damaged)`);
    }
    const listedNames = new Set([...manifest.files.map((f) => f.path), 'manifest.json']);
    const unlisted = entries.filter((e) => !listedNames.has(e.filename) && !e.directory).map((e) => e.filename);
    for (const name of unlisted) problems.push(`${name} is in the archive but not in its manifest`);
    return { ok: problems.length === 0, mode: opened.mode, archiveBytes: opened.archiveBytes, parts: opened.parts, manifest, files, unlisted, problems };
  } finally {
    await opened.zip.close();
    await opened.source.close();
  }
}
