import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import type { MessageParams } from '../../contract/result.js';
import { AppError, englishText } from '../errors.js';

/**
 * Why a file was not read: `problem` in English (for logs and messages that append a location),
 * `key`/`params` for the catalogue; the templates start with `{where}` so a caller can put the
 * file's name in front (see {@link fileRefusal}).
 */
export interface FileProblem {
  ok: false;
  problem: string;
  key: `errors.regularFile.${string}`;
  params: MessageParams;
}

export type OpenedFile = { ok: true; handle: FileHandle; size: number } | FileProblem;

function problem(key: FileProblem['key'], params: MessageParams = {}): FileProblem {
  return { ok: false, problem: englishText(key, { ...params, where: '' }), key, params };
}

/** The refusal for a file that was not read, its name first: `name: why` in every language. */
export function fileRefusal(name: string, failed: FileProblem, field?: string): AppError {
  return AppError.of('INVALID_REQUEST', failed.key, { ...failed.params, where: `${name}: ` }, field);
}

/**
 * Opens a file for reading only when it is a regular file. A folder, a device such as /dev/zero, a
 * FIFO or a socket is refused: they never end, or block a thread until some writer appears. The
 * FIFO is opened without waiting (O_NONBLOCK, which regular files ignore; 0 where it does not exist).
 */
export async function openRegularFile(file: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EISDIR' ? problem('errors.regularFile.folder') : problem('errors.regularFile.cannotOpen', { reason: code ?? (error as Error).message });
  }
  const stat = await handle.stat().catch(() => null);
  if (stat?.isFile()) return { ok: true, handle, size: stat.size };
  await handle.close().catch(() => undefined);
  return stat?.isDirectory() ? problem('errors.regularFile.folder') : problem('errors.regularFile.notRegular');
}

/** A whole regular file of at most `maxBytes`, or why not (a larger one is not read at all). */
export async function readRegularFile(file: string, maxBytes: number): Promise<{ ok: true; data: Buffer } | FileProblem> {
  const opened = await openRegularFile(file);
  if (!opened.ok) return opened;
  try {
    if (opened.size > maxBytes) return problem('errors.regularFile.tooLarge', { bytes: opened.size, max: maxBytes });
    // One byte more than stat said tells a file that grew while it was read from one that did not.
    const buffer = Buffer.alloc(opened.size + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await opened.handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > opened.size) return problem('errors.regularFile.changed');
    }
    return { ok: true, data: buffer.subarray(0, filled) };
  } catch (error) {
    return problem('errors.regularFile.cannotRead', { reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}
