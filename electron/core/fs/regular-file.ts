import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';

export type OpenedFile = { ok: true; handle: FileHandle; size: number } | { ok: false; problem: string };

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
    return { ok: false, problem: code === 'EISDIR' ? 'this is a folder, not a file' : `cannot open the file (${code ?? (error as Error).message})` };
  }
  const stat = await handle.stat().catch(() => null);
  if (stat?.isFile()) return { ok: true, handle, size: stat.size };
  await handle.close().catch(() => undefined);
  return { ok: false, problem: stat?.isDirectory() ? 'this is a folder, not a file' : 'this is not a regular file (a device, pipe or socket); save it to a file first' };
}

/** A whole regular file of at most `maxBytes`, or why not (a larger one is not read at all). */
export async function readRegularFile(file: string, maxBytes: number): Promise<{ ok: true; data: Buffer } | { ok: false; problem: string }> {
  const opened = await openRegularFile(file);
  if (!opened.ok) return opened;
  try {
    if (opened.size > maxBytes) return { ok: false, problem: `the file is too large (${opened.size} bytes; at most ${maxBytes} are read)` };
    // One byte more than stat said tells a file that grew while it was read from one that did not.
    const buffer = Buffer.alloc(opened.size + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await opened.handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > opened.size) return { ok: false, problem: 'the file changed while it was read' };
    }
    return { ok: true, data: buffer.subarray(0, filled) };
  } catch (error) {
    return { ok: false, problem: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  } finally {
    await opened.handle.close().catch(() => undefined);
  }
}
