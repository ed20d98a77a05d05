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

/** zip.js reads an archive (one file or the parts of a split one) through this, a slice at a time. */
export class RandomAccessReader extends Reader<RandomAccess> {
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
  if (out[0] !== file) throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.notFirstPart', { file: path.basename(file) }, 'file');
  return out;
}

/** zip.js's words for deflate data that does not inflate, or inflates to another size than recorded (not among its exported error constants). */
const NOT_AS_WRITTEN = new Set(['Invalid compressed data', 'Invalid uncompressed size']);

function label(file: string): string {
  return path.basename(file);
}

function zipError(file: string, error: unknown, entry?: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (message === ERR_INVALID_PASSWORD) return AppError.of('BAD_PASSPHRASE', 'errors.archiveRead.wrongPassword', { file: label(file) }, 'password');
  // Deflate data this tool wrote always inflates to its recorded size: when it does not, the bytes were changed. With AES
  // the inflater can fail on the altered plaintext before the entry's HMAC is reached at its end.
  if (message === ERR_INVALID_AUTHENTICATION_CODE || message === ERR_INVALID_CRC32 || NOT_AS_WRITTEN.has(message)) {
    return entry === undefined
      ? AppError.of('INVALID_REQUEST', 'errors.archiveRead.anEntryTampered', { file: label(file) }, 'file')
      : AppError.of('INVALID_REQUEST', 'errors.archiveRead.entryTampered', { file: label(file), entry }, 'file');
  }
  if (message === ERR_EOCDR_NOT_FOUND) return AppError.of('INVALID_REQUEST', 'errors.archiveRead.noZipDirectory', { file: label(file) }, 'file');
  // The CMS reader and the key checks do not know the file's name; every refusal starts with it.
  // Catalogue messages take the name through a prefix parameter: `where` (CMS refusals) or `label`
  // (the certificate's name), so the German text names the file too.
  if (error instanceof AppError) {
    if (error.message.startsWith(`${label(file)}: `)) return error;
    const params = error.params;
    if (error.key?.startsWith('errors.') && params && 'where' in params) return AppError.of(error.code, error.key as `errors.${string}`, { ...params, where: `${label(file)}: ` }, error.field);
    if (error.key?.startsWith('errors.') && params && 'label' in params) return AppError.of(error.code, error.key as `errors.${string}`, { ...params, label: `${label(file)}: ${params.label}` }, error.field);
    return new AppError(error.code, `${label(file)}: ${error.message}`, error.field);
  }
  // zip.js's own message (English, from the library) is passed through as the detail.
  return entry === undefined
    ? AppError.of('INVALID_REQUEST', 'errors.archiveRead.zipProblem', { file: label(file), detail: message }, 'file')
    : AppError.of('INVALID_REQUEST', 'errors.archiveRead.entryProblem', { file: label(file), entry, detail: message }, 'file');
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
    throw AppError.of('NOT_FOUND', 'errors.archiveRead.unreadable', { file: label(file), reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message }, 'file');
  }
  const archiveBytes = raw.size;
  try {
    const magic = await raw.read(0, 4);
    if (magic.length < 4) throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.truncated', { file: label(file), bytes: archiveBytes }, 'file');
    let source: RandomAccess = raw;
    let mode: Opened['mode'];
    if (magic[0] === 0x50 && magic[1] === 0x4b) {
      mode = 'password';
      if (!('password' in credentials)) throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.needsPassword', { file: label(file) }, 'password');
    } else if (magic[0] === 0x30) {
      mode = 'certificate';
      if (!('keyPem' in credentials)) throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.needsKey', { file: label(file) }, 'key');
      const der = splitCertificates(credentials.certLabel, Buffer.from(credentials.certPem, 'utf8'))[0]!;
      source = await openCmsContent(raw, parseRecipient(credentials.certLabel, der, new Date(), false), credentials.keyPem);
    } else {
      throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.unknownFormat', { file: label(file), first: magic.toString('hex') }, 'file');
    }
    // Tolerant about names: nothing is extracted here, and verify names each unsafe one itself
    // (zip.js would refuse the whole archive with "Unsafe filename", not saying which entry).
    const zip = new ZipReader(new RandomAccessReader(source), { checkSignature: true, useWebWorkers: false, filenameValidation: 'tolerant' });
    return { source, zip, password: 'password' in credentials ? credentials.password : undefined, mode, archiveBytes, parts: partPaths.length };
  } catch (error) {
    await raw.close();
    throw zipError(file, error);
  }
}

/** Largest manifest.json read (real ones are a few KB). */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Thrown from the sink when an entry inflates past the size it may have; stops the inflating. */
class TooLarge extends Error {}

/**
 * Hashes an entry as it inflates, holding none of it (but manifest.json). It stops once more than
 * `limit` bytes came out: a zip bomb, or an entry larger than its manifest says, is never inflated
 * further than the size it was declared with.
 */
async function entryDigest(entry: Entry, password: string | undefined, limit: number): Promise<{ bytes: number; sha256: string; data: Buffer | null; overLimit: boolean }> {
  if (entry.directory) return { bytes: 0, sha256: createHash('sha256').digest('hex'), data: null, overLimit: false };
  const hash = createHash('sha256');
  let bytes = 0;
  const keep: Buffer[] = [];
  const keepData = entry.filename === 'manifest.json';
  try {
    await entry.getData(
      new WritableStream<Uint8Array>({
        write(chunk) {
          bytes += chunk.length;
          if (bytes > limit) throw new TooLarge();
          hash.update(chunk);
          if (keepData) keep.push(Buffer.from(chunk));
        },
      }),
      { ...(password !== undefined ? { password } : {}), checkSignature: true, useWebWorkers: false },
    );
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return { bytes, sha256: '', data: null, overLimit: true };
  }
  return { bytes, sha256: hash.digest('hex'), data: keepData ? Buffer.concat(keep) : null, overLimit: false };
}

/** A name from the archive as a message shows it: quoted and escaped when it holds anything unprintable. */
function shownName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name) ? JSON.stringify(name) : name;
}

/**
 * Why an entry name could make an extracting tool (TAC uses 7-Zip) write outside its folder, or
 * null. This reader never extracts, but it vouches for the archive.
 */
export function unsafeEntryName(name: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'holds a control character';
  if (name.includes('\\')) return 'holds a backslash, a folder separator on Windows';
  if (name.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'starts with a drive letter';
  if (name.split('/').includes('..')) return 'climbs out of its folder (..)';
  return null;
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
  if (!entry) throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.noManifest', { file: label(file) }, 'file');
  let digest;
  try {
    digest = await entryDigest(entry, password, MAX_MANIFEST_BYTES);
  } catch (error) {
    throw zipError(file, error, 'manifest.json');
  }
  if (digest.overLimit) throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.manifestTooLarge', { file: label(file), mib: MAX_MANIFEST_BYTES / 2 ** 20 }, 'file');
  let json: unknown;
  try {
    json = JSON.parse(digest.data!.toString('utf8'));
  } catch (error) {
    throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.manifestNotJson', { file: label(file), detail: (error as Error).message }, 'file');
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw AppError.of('INVALID_REQUEST', 'errors.archiveRead.manifestInvalid', { file: label(file), path: issue.path.join('.') || '(root)', detail: issue.message }, 'file');
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
    const seen = new Map<string, number>();
    for (const e of entries) seen.set(e.filename, (seen.get(e.filename) ?? 0) + 1);
    for (const [name, times] of seen) if (times > 1) problems.push(`${shownName(name)} is in the archive ${times} times; an extracting tool keeps only one of them`);
    for (const name of new Set([...seen.keys(), ...manifest.files.map((f) => f.path)])) {
      const why = unsafeEntryName(name);
      if (why) problems.push(`${shownName(name)} ${why}: extracting it could write outside the target folder`);
    }
    const byName = new Map(entries.map((e) => [e.filename, e]));
    const files: VerifiedFile[] = [];
    for (const listed of manifest.files) {
      const entry = byName.get(listed.path);
      if (!entry) {
        files.push({ ...listed, status: 'missing', actualSha256: null, actualBytes: null });
        problems.push(`${shownName(listed.path)} is listed in the manifest but missing`);
        continue;
      }
      let digest;
      try {
        digest = await entryDigest(entry, opened.password, listed.bytes);
      } catch (error) {
        const e = zipError(file, error, shownName(listed.path));
        if (e.code === 'BAD_PASSPHRASE') throw e;
        files.push({ ...listed, status: 'mismatch', actualSha256: null, actualBytes: null });
        problems.push(e.message);
        continue;
      }
      if (digest.overLimit) {
        files.push({ ...listed, status: 'mismatch', actualSha256: null, actualBytes: null });
        problems.push(`${shownName(listed.path)}: inflates to more than the ${listed.bytes} bytes the manifest lists (tampered, or a zip bomb); not read further`);
        continue;
      }
      const same = digest.sha256 === listed.sha256 && digest.bytes === listed.bytes;
      files.push({ ...listed, status: same ? 'ok' : 'mismatch', actualSha256: digest.sha256, actualBytes: digest.bytes });
      if (!same) problems.push(`${shownName(listed.path)}: SHA-256 or size differs from the manifest (tampered or damaged)`);
    }
    const listedNames = new Set([...manifest.files.map((f) => f.path), 'manifest.json']);
    const unlisted = entries.filter((e) => !listedNames.has(e.filename) && !e.directory).map((e) => e.filename);
    for (const name of unlisted) problems.push(`${shownName(name)} is in the archive but not in its manifest`);
    return { ok: problems.length === 0, mode: opened.mode, archiveBytes: opened.archiveBytes, parts: opened.parts, manifest, files, unlisted, problems };
  } finally {
    await opened.zip.close();
    await opened.source.close();
  }
}
