import fsp from 'node:fs/promises';
import path from 'node:path';
import { ZipReader } from '@zip.js/zip.js';
import { AppError } from '../errors.js';
import { archiveParts, RandomAccessReader } from '../archive/archive-reader.js';
import { readCmsHeader } from '../archive/cms-reader.js';
import { PartsFile, type RandomAccess } from '../archive/random-access.js';
import '../archive/zip-stream.js';

/** What goes to CXD: the files in order (one archive, or every part of a split one). */
export interface CheckedArchive {
  mode: 'password' | 'certificate';
  files: { path: string; name: string; bytes: number }[];
}

const refuse = (name: string, key: `errors.upload.${string}`, params: Record<string, string | number> = {}) => AppError.of('INVALID_REQUEST', key, { file: name, ...params }, 'file');

/**
 * The files the user named, as the parts of one archive: a `.001` brings every part beside it; more
 * names must be exactly those parts, in order.
 */
function resolveParts(files: readonly string[]): string[] {
  const first = path.resolve(files[0]!);
  let parts: string[];
  try {
    parts = archiveParts(first);
  } catch {
    throw refuse(path.basename(first), 'errors.upload.firstPart');
  }
  if (files.length > 1) {
    const given = files.map((f) => path.resolve(f));
    const extra = given.find((f, i) => parts[i] !== f);
    if (extra !== undefined || given.length !== parts.length) {
      throw refuse(path.basename(extra ?? first), 'errors.upload.partsMismatch', { parts: parts.map((p) => path.basename(p)).join(', ') });
    }
  }
  return parts;
}

/**
 * Only ciphertext leaves: before any connection, the file must be a support archive this product
 * can read — a WinZip-AES zip whose every entry is AES-encrypted and which carries its manifest, or
 * a CMS EnvelopedData, or all the parts of one. Nothing is decrypted (no password or key is needed).
 */
export async function checkCiphertext(files: readonly string[]): Promise<CheckedArchive> {
  if (files.length === 0) throw AppError.of('INVALID_REQUEST', 'errors.upload.noFile', {}, 'file');
  const parts = resolveParts(files);
  const name = path.basename(parts[0]!);
  let raw: PartsFile;
  try {
    raw = await PartsFile.open(parts);
  } catch (error) {
    throw refuse(name, 'errors.upload.unreadable', { detail: (error as Error).message });
  }
  try {
    const sizes = await Promise.all(parts.map(async (p) => (await fsp.stat(p)).size));
    if (raw.size === 0) throw refuse(name, 'errors.upload.empty');
    const empty = sizes.findIndex((s) => s === 0);
    if (empty >= 0) throw refuse(path.basename(parts[empty]!), 'errors.upload.empty');
    const head = await raw.read(0, 16);
    const files = parts.map((p, i) => ({ path: p, name: path.basename(p), bytes: sizes[i]! }));
    if (head[0] === 0x50 && head[1] === 0x4b) {
      await checkZip(name, raw);
      return { mode: 'password', files };
    }
    if (head[0] === 0x30) {
      try {
        await readCmsHeader(raw);
      } catch (error) {
        throw refuse(name, 'errors.upload.damagedCms', { detail: (error as Error).message });
      }
      return { mode: 'certificate', files };
    }
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (text.startsWith('{') || text.startsWith('[')) throw refuse(name, 'errors.upload.json');
    throw refuse(name, 'errors.upload.notArchive', { first: head.subarray(0, 4).toString('hex') });
  } finally {
    await raw.close();
  }
}

async function checkZip(name: string, raw: RandomAccess): Promise<void> {
  const zip = new ZipReader(new RandomAccessReader(raw), { checkSignature: false, useWebWorkers: false, filenameValidation: 'tolerant' });
  try {
    let entries;
    try {
      entries = await zip.getEntries();
    } catch (error) {
      throw refuse(name, 'errors.upload.damagedZip', { detail: (error as Error).message });
    }
    const files = entries.filter((e) => !e.directory);
    if (files.length === 0) throw refuse(name, 'errors.upload.noManifest');
    // A name is visible in any zip; what matters is that no entry's content is readable without the password.
    const plain = files.find((e) => !e.encrypted);
    if (plain) throw refuse(name, 'errors.upload.plaintextZip', { entry: JSON.stringify(plain.filename).slice(1, -1).slice(0, 200) });
    const weak = files.find((e) => e.zipCrypto);
    if (weak) throw refuse(name, 'errors.upload.zipCrypto', { entry: JSON.stringify(weak.filename).slice(1, -1).slice(0, 200) });
    if (!files.some((e) => e.filename === 'manifest.json')) throw refuse(name, 'errors.upload.noManifest');
  } finally {
    await zip.close();
  }
}
