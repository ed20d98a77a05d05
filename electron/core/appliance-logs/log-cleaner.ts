import zlib from 'node:zlib';
import { LogFileError } from './log-errors.js';
import type { LogScrubber } from './log-scrubber.js';
import { isHeaderLine, localStamp, offsetSeconds, utcOf } from './log-time.js';

export interface CleanOptions {
  /** Lines whose time is outside [from, to] (UTC ms) are left out; header lines always stay. */
  window: { from: number; to: number } | null;
  /** Cleaned bytes at most; the rest is cut (and reported). */
  capBytes: number;
  scrubber: LogScrubber;
  signal?: AbortSignal | undefined;
  /** Raw bytes read so far (for progress). */
  onBytes?: (raw: number) => void;
}

export interface CleanResult {
  /** Bytes read from the source (compressed, for gzip). */
  rawBytes: number;
  /** Bytes after decompression. */
  inputBytes: number;
  outputBytes: number;
  lines: { read: number; kept: number; outsideWindow: number };
  gzip: boolean;
  /** The output reached capBytes: the lines after it were cut. */
  capped: boolean;
  /** The time offset the header gave (seconds east of UTC), or null when the file had none. */
  offsetSeconds: number | null;
  first: string | null;
  last: string | null;
  redactions: Record<string, number>;
}

/** Within the first 64 KiB an AsyncOS log shows a time-stamped line, or it is not one. */
const SNIFF_BYTES = 64 * 1024;
const MAX_LINE = 1024 * 1024;
const FLUSH = 256 * 1024;

/** Decompresses when the first bytes are the gzip magic; a cut or corrupt stream becomes a LogFileError. */
async function* maybeGunzip(source: AsyncIterable<Buffer>, seen: (n: number) => void, gz: { on: boolean }): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  seen(first.value.length);
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const r = await it.next();
        if (!r.done) seen(r.value.length);
        return r;
      },
      return: async () => (await it.return?.()) ?? { done: true, value: undefined },
    }),
  };
  if (!(first.value[0] === 0x1f && first.value[1] === 0x8b)) {
    yield first.value;
    yield* rest;
    return;
  }
  gz.on = true;
  const gunzip = zlib.createGunzip({ chunkSize: 128 * 1024 });
  const feed = (async () => {
    try {
      for (const chunk of [first.value]) if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
      for await (const chunk of rest) if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();
  try {
    for await (const out of gunzip as AsyncIterable<Buffer>) yield out;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || /unexpected end/i.test((error as Error).message)) throw new LogFileError('gzip-cut', 'the gzip file is cut short (its end is missing)');
    if (error instanceof LogFileError) throw error;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new LogFileError('gzip-broken', `the gzip data is damaged (${code})`);
    throw error;
  } finally {
    gunzip.destroy();
    await feed.catch(() => undefined);
  }
}

/**
 * Cleans one appliance log as a stream: decompress (gzip), decode strict UTF-8, cut to the window
 * by the line times (header offset applied), scrub every line, stop at the cap. Memory is bounded
 * by one line and one flush buffer. Broken input throws a LogFileError; the caller drops whatever
 * was written for this file.
 */
export async function cleanLog(source: AsyncIterable<Buffer>, write: (data: Buffer) => Promise<void>, options: CleanOptions): Promise<CleanResult> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const gz = { on: false };
  let rawBytes = 0;
  const result: CleanResult = { rawBytes: 0, inputBytes: 0, outputBytes: 0, lines: { read: 0, kept: 0, outsideWindow: 0 }, gzip: false, capped: false, offsetSeconds: null, first: null, last: null, redactions: {} };
  let offset = 0;
  let carry = '';
  let out: string[] = [];
  let outLength = 0;
  let sawStamp = false;
  // Lines without a time (continuations) follow the decision of the line before them.
  let keepCurrent = true;
  let firstMs: number | null = null;
  let lastMs: number | null = null;
  const window = options.window;

  const flush = async () => {
    if (outLength === 0) return;
    const data = Buffer.from(out.join(''), 'utf8');
    out = [];
    outLength = 0;
    result.outputBytes += data.length;
    await write(data);
  };

  /** false when the cap is reached. */
  const take = async (line: string): Promise<boolean> => {
    result.lines.read++;
    const local = localStamp(line);
    if (local !== null) sawStamp = true;
    const header = isHeaderLine(line);
    if (header) {
      const o = offsetSeconds(line);
      if (o !== null) {
        offset = o;
        result.offsetSeconds = o;
      }
    }
    if (local !== null && window && !header) {
      const t = utcOf(local, offset);
      keepCurrent = t >= window.from && t <= window.to;
    }
    if (!header && !keepCurrent) {
      result.lines.outsideWindow++;
      return true;
    }
    const clean = `${options.scrubber.line(line)}\n`;
    const bytes = Buffer.byteLength(clean);
    if (result.outputBytes + outLength + bytes > options.capBytes) {
      result.capped = true;
      return false;
    }
    if (local !== null && !header) {
      // Kept as numbers: a date string per line was a tenth of the cleaning time.
      const t = utcOf(local, offset);
      if (firstMs === null) firstMs = t;
      lastMs = t;
    }
    result.lines.kept++;
    out.push(clean);
    outLength += bytes;
    if (outLength >= FLUSH) await flush();
    return true;
  };

  const stream = maybeGunzip(source, (n) => {
    rawBytes += n;
    options.onBytes?.(rawBytes);
  }, gz);
  let stopped = false;
  try {
    for await (const chunk of stream) {
      if (options.signal?.aborted) throw options.signal.reason;
      const at = result.inputBytes;
      result.inputBytes += chunk.length;
      const nul = chunk.indexOf(0);
      if (nul >= 0) throw new LogFileError('binary', `this is a binary file, not a text log (a NUL byte at byte ${at + nul})`);
      let text: string;
      try {
        text = decoder.decode(chunk, { stream: true });
      } catch {
        throw new LogFileError('invalid-utf8', `the text is not valid UTF-8 (near byte ${at})`);
      }
      carry += text;
      let start = 0;
      let nl: number;
      while ((nl = carry.indexOf('\n', start)) >= 0) {
        const line = carry.charCodeAt(nl - 1) === 13 ? carry.slice(start, nl - 1) : carry.slice(start, nl);
        start = nl + 1;
        if (!(await take(line))) {
          stopped = true;
          break;
        }
      }
      carry = carry.slice(start);
      if (stopped) break;
      if (carry.length > MAX_LINE) throw new LogFileError('not-a-log', `a line is longer than ${MAX_LINE / 1024} KiB at byte ${at}: not an AsyncOS text log`);
      if (!sawStamp && result.inputBytes >= SNIFF_BYTES) throw new LogFileError('not-a-log', 'no AsyncOS time-stamped line (e.g. "Wed Sep  8 18:03:06 2004 Info: …") in the first 64 KiB: not an appliance log');
    }
    if (!stopped) {
      try {
        carry += decoder.decode();
      } catch {
        throw new LogFileError('invalid-utf8', 'the text ends in the middle of a UTF-8 character');
      }
      if (carry.length > 0) await take(carry.replace(/\r$/, ''));
      if (result.inputBytes === 0) throw new LogFileError('empty', 'the file is empty');
      if (!sawStamp) throw new LogFileError('not-a-log', 'no AsyncOS time-stamped line (e.g. "Wed Sep  8 18:03:06 2004 Info: …"): not an appliance log');
    }
    await flush();
  } finally {
    // Ends the source too (a download stops when the cap is reached).
    await stream.return(undefined).catch(() => undefined);
  }
  result.first = firstMs === null ? null : new Date(firstMs).toISOString();
  result.last = lastMs === null ? null : new Date(lastMs).toISOString();
  result.rawBytes = rawBytes;
  result.gzip = gz.on;
  result.redactions = options.scrubber.counts();
  return result;
}
