import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cleanLog, type CleanResult } from './log-cleaner.js';
import { LogFileError, type LogFileProblem } from './log-errors.js';
import { LogScrubber, type LogScrubOptions } from './log-scrubber.js';

/** What one file's cleaning needs, in a form a worker thread can receive. */
export interface CleanJob {
  scrub: LogScrubOptions;
  window: { from: number; to: number } | null;
  capBytes: number;
  signal?: AbortSignal | undefined;
  onBytes?: ((raw: number) => void) | undefined;
}

/** Main thread → cleaner thread. */
export type ToCleaner =
  | { type: 'start'; scrub: Omit<LogScrubOptions, 'key'> & { key: Uint8Array }; window: CleanJob['window']; capBytes: number }
  | { type: 'chunk'; data: ArrayBuffer }
  | { type: 'end' }
  | { type: 'written' };

/** Cleaner thread → main thread. */
export type FromCleaner =
  | { type: 'ready' }
  | { type: 'taken' }
  | { type: 'stop' }
  | { type: 'bytes'; raw: number }
  | { type: 'out'; data: ArrayBuffer }
  | { type: 'done'; result: CleanResult }
  | { type: 'problem'; problem: LogFileProblem; message: string }
  | { type: 'failed'; message: string };

/** Raw chunks sent ahead of the cleaner: enough to keep it busy, few enough to bound memory. */
const AHEAD = 16;

/**
 * The built worker beside this module, or null when running from source (a test runner's or
 * tsx's transform does not reach a worker thread): then this thread cleans every file.
 */
function workerEntry(): URL | null {
  const built = new URL('./log-clean-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(built)) ? built : null;
}

/** The bytes of `b` as an ArrayBuffer that may be handed over: its own when it owns it whole, else a copy. */
export function transferable(b: Buffer): ArrayBuffer {
  if (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) return b.buffer;
  return new Uint8Array(b).buffer;
}

/**
 * Cleans log files, several at once where the machine has the cores: one in this thread and the
 * others on worker threads (each file still in one thread, so its lines, pseudonyms and learned
 * secrets are exactly as in one pass). A worker costs its own heap, so this thread takes a file
 * too rather than idling beside two workers. Reading the sources and writing the spools stay in
 * this thread; a worker only ever sees raw and cleaned bytes.
 */
export class LogCleaners {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly entry: URL | null;
  private broken = false;
  private hereBusy = false;

  /** How many files may be cleaned at once. */
  readonly concurrency: number;

  constructor(concurrency = Math.min(2, os.availableParallelism()), entry: URL | null = workerEntry()) {
    this.entry = concurrency > 1 ? entry : null;
    this.concurrency = this.entry ? concurrency : 1;
  }

  /** Whether files are cleaned on worker threads too. */
  get threaded(): boolean {
    return this.entry !== null && !this.broken;
  }

  async clean(source: AsyncIterable<Buffer>, write: (data: Buffer) => Promise<void>, job: CleanJob): Promise<CleanResult> {
    const worker = this.hereBusy ? await this.acquire() : null;
    if (!worker) {
      this.hereBusy = true;
      try {
        return await cleanLog(source, write, { window: job.window, capBytes: job.capBytes, scrubber: new LogScrubber(job.scrub), signal: job.signal, onBytes: job.onBytes });
      } finally {
        this.hereBusy = false;
      }
    }
    let healthy = false;
    try {
      const result = await this.cleanOn(worker, source, write, job);
      healthy = true;
      return result;
    } catch (error) {
      // A file's own problem leaves the worker ready for the next one; anything else ends it.
      healthy = error instanceof LogFileError;
      throw error;
    } finally {
      if (healthy) this.idle.push(worker);
      else void this.end(worker);
    }
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    await Promise.all([...this.all].map((w) => this.end(w)));
    this.idle.length = 0;
  }

  private async end(worker: Worker): Promise<void> {
    this.all.delete(worker);
    await worker.terminate().catch(() => undefined);
  }

  private async acquire(): Promise<Worker | null> {
    if (!this.entry || this.broken) return null;
    const ready = this.idle.pop();
    if (ready) return ready;
    const worker = new Worker(this.entry, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    this.all.add(worker);
    const started = await new Promise<boolean>((resolve) => {
      const onMessage = (m: FromCleaner) => {
        if (m.type === 'ready') done(true);
      };
      const onError = () => done(false);
      const done = (ok: boolean) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onError);
        resolve(ok);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onError);
    });
    if (started) {
      // An idle worker must not keep the process alive.
      worker.unref();
      return worker;
    }
    // No worker here (a packaged app that cannot start one): this thread cleans from now on.
    this.broken = true;
    await this.end(worker);
    return null;
  }

  private cleanOn(worker: Worker, source: AsyncIterable<Buffer>, write: (data: Buffer) => Promise<void>, job: CleanJob): Promise<CleanResult> {
    worker.ref();
    return new Promise<CleanResult>((resolve, reject) => {
      const it = source[Symbol.asyncIterator]();
      let ahead = 0;
      let stopped = false;
      let settled = false;
      let wake: (() => void) | null = null;
      let writes = Promise.resolve();
      const nudge = () => {
        wake?.();
        wake = null;
      };
      const finish = (error: unknown, result?: CleanResult) => {
        if (settled) return;
        settled = true;
        stopped = true;
        nudge();
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        job.signal?.removeEventListener('abort', onAbort);
        worker.unref();
        // The source is ended either way (a download stops when the cap is reached).
        void Promise.resolve(it.return?.()).catch(() => undefined);
        if (error === undefined) resolve(result!);
        else reject(error);
      };
      const onMessage = (m: FromCleaner) => {
        switch (m.type) {
          case 'taken':
            ahead--;
            nudge();
            break;
          case 'stop':
            stopped = true;
            nudge();
            break;
          case 'bytes':
            job.onBytes?.(m.raw);
            break;
          case 'out':
            writes = writes.then(async () => {
              if (settled) return;
              await write(Buffer.from(m.data));
              worker.postMessage({ type: 'written' } satisfies ToCleaner);
            });
            writes.catch((error: unknown) => finish(error));
            break;
          case 'done':
            writes.then(() => finish(undefined, m.result), (error: unknown) => finish(error));
            break;
          case 'problem':
            finish(new LogFileError(m.problem, m.message));
            break;
          case 'failed':
            finish(new Error(m.message));
            break;
          case 'ready':
            break;
        }
      };
      const onError = (error: Error) => finish(error);
      const onExit = (code: number) => finish(new Error(`the log cleaner thread ended (exit code ${code})`));
      const onAbort = () => finish(job.signal!.reason);
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.once('exit', onExit);
      if (job.signal?.aborted) return onAbort();
      job.signal?.addEventListener('abort', onAbort, { once: true });
      const { key, ...scrub } = job.scrub;
      worker.postMessage({ type: 'start', scrub: { ...scrub, key: new Uint8Array(key) }, window: job.window, capBytes: job.capBytes } satisfies ToCleaner);
      void (async () => {
        try {
          while (!stopped) {
            const next = await it.next();
            if (stopped) break;
            if (next.done) {
              worker.postMessage({ type: 'end' } satisfies ToCleaner);
              break;
            }
            const data = transferable(next.value);
            ahead++;
            worker.postMessage({ type: 'chunk', data } satisfies ToCleaner, [data]);
            while (ahead >= AHEAD && !stopped) await new Promise<void>((r) => (wake = r));
          }
        } catch (error) {
          // Reading the source failed (a download cut off, a file gone): its error, as in one thread.
          finish(error);
        }
      })();
    });
  }
}
