import { openRegularFile } from '../fs/regular-file.js';
import { HarError, harProblem } from './har-errors.js';
import { HarScanner, WS, type RawHarVisitor, type ReadOptions, type ReadSummary } from './har-scanner.js';

export { oversizeOf, type RawHarVisitor, type ReadOptions, type ReadSummary } from './har-scanner.js';

const SIGNATURES: { bytes: number[]; problem: `errors.harFile.${string}`; kind: 'archive' | 'binary' }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], problem: 'errors.harFile.zip', kind: 'archive' },
  { bytes: [0x50, 0x4b, 0x05, 0x06], problem: 'errors.harFile.zipEmpty', kind: 'archive' },
  { bytes: [0x1f, 0x8b], problem: 'errors.harFile.gzip', kind: 'archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], problem: 'errors.harFile.sevenZip', kind: 'archive' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], problem: 'errors.harFile.zstd', kind: 'archive' },
  { bytes: [0xff, 0xfe], problem: 'errors.harFile.utf16', kind: 'binary' },
  { bytes: [0xfe, 0xff], problem: 'errors.harFile.utf16', kind: 'binary' },
];

/** Recognises files that are plainly not JSON text from their first bytes. */
export function sniff(file: string, head: Buffer): void {
  for (const s of SIGNATURES) {
    if (s.bytes.every((b, i) => head[i] === b)) throw new HarError({ file, kind: s.kind, ...harProblem(s.problem), offset: 0 });
  }
  const start = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  for (let i = start; i < head.length; i++) {
    const b = head[i]!;
    if (WS[b] === 1) continue;
    if (b < 0x20 || b === 0x7f) throw new HarError({ file, kind: 'binary', ...harProblem('errors.harFile.binary', { value: `0x${b.toString(16).padStart(2, '0')}` }), offset: i });
    return;
  }
}

/** Reads a HAR file entry by entry (see `HarScanner`). Throws HarError for anything not a HAR. */
export async function readHarFile(file: string, visitor: RawHarVisitor, options: ReadOptions = {}): Promise<ReadSummary> {
  const opened = await openRegularFile(file);
  if (!opened.ok) throw new HarError({ file, kind: 'io', problem: opened.problem, key: opened.key, params: opened.params });
  const { handle, size: total } = opened;
  try {
    if (total === 0) throw new HarError({ file, kind: 'empty', ...harProblem('errors.harFile.empty') });
    const scanner = new HarScanner(file, visitor, options);
    const size = options.chunkBytes ?? 4 * 2 ** 20;
    let read = 0;
    // Read-ahead: the next chunk is on its way while this one is scanned and parsed.
    const next = () => {
      const chunk = Buffer.allocUnsafe(size);
      return handle.read(chunk, 0, size, null).then(({ bytesRead }) => chunk.subarray(0, bytesRead));
    };
    let pending = next();
    pending.catch(() => undefined);
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        const chunk = await pending;
        if (chunk.length === 0) break;
        pending = next();
        pending.catch(() => undefined);
        if (read === 0) sniff(file, chunk.subarray(0, Math.min(chunk.length, 64)));
        scanner.feed(chunk);
        read += chunk.length;
        options.onProgress?.(read, total);
        await visitor.drain?.();
      }
    } finally {
      // Never close the file under a read still in flight.
      await pending.catch(() => undefined);
    }
    scanner.end();
    return { bytes: read, entries: scanner.entries, bom: scanner.bom };
  } finally {
    await handle.close();
  }
}
