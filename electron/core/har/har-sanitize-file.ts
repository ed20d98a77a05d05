import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { importHar, type ImportOptions, type ImportSummary } from './har-import.js';
import type { RedactionReport } from './har-report.js';
import { HarSanitizer, type SanitizeOptions } from './har-sanitizer.js';

export interface SanitizeFileOptions extends SanitizeOptions, Omit<ImportOptions, 'repair'> {}

export interface SanitizeFileResult {
  report: RedactionReport;
  summary: ImportSummary;
  output: string;
  outputBytes: number;
}

const FLUSH_AT = 4 * 2 ** 20;

/** Buffered writes to an open file; `drain` is awaited by the reader after every chunk. */
class Sink {
  private pending: string[] = [];
  private pendingLength = 0;
  bytes = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly handle: fs.FileHandle) {}

  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length;
  }

  /** Resolves once no write is in flight (whatever its outcome). */
  settled(): Promise<void> {
    return this.inFlight.catch(() => undefined);
  }

  /** Starts writing what is buffered; waits only for the write before it (one in flight at a time). */
  async drain(force = false): Promise<void> {
    if (this.pending.length === 0 || (!force && this.pendingLength < FLUSH_AT)) {
      if (force) await this.inFlight;
      return;
    }
    const data = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    const previous = this.inFlight;
    this.inFlight = previous.then(async () => {
      await this.handle.write(data);
      this.bytes += data.length;
    });
    await (force ? this.inFlight : previous);
  }
}

/**
 * Reads `input` as a stream, sanitises every entry and writes the result to `output` atomically: a
 * temp file beside it (0600), fsynced, then renamed. On any error the temp file is removed, so the
 * final name never holds a partial or unsanitised file.
 */
export async function sanitizeHarFile(input: string, output: string, options: SanitizeFileOptions = {}): Promise<SanitizeFileResult> {
  const sanitizer = new HarSanitizer(options);
  const dir = path.dirname(path.resolve(output));
  const temp = path.join(dir, `.${path.basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  let closed = false;
  const sink = new Sink(handle);
  try {
    let rootFirst = true;
    let logFirst = true;
    let entryFirst = true;
    const rootComma = () => {
      sink.write(rootFirst ? '{' : ',');
      rootFirst = false;
    };
    const summary = await importHar(
      input,
      {
        rootField: (key, value) => {
          rootComma();
          sink.write(`${JSON.stringify(key)}:${JSON.stringify(sanitizer.rootField(key, value))}`);
        },
        logStart: () => {
          rootComma();
          sink.write('"log":{');
        },
        logField: (key, value) => {
          sink.write(`${logFirst ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(sanitizer.logField(key, value))}`);
          logFirst = false;
        },
        entriesStart: () => {
          sink.write(`${logFirst ? '' : ','}"entries":[`);
          logFirst = false;
        },
        entry: (entry, index, _offset, raw) => {
          sink.write(`${entryFirst ? '\n' : ',\n'}${JSON.stringify(sanitizer.entry(entry, index, raw))}`);
          entryFirst = false;
        },
        entriesEnd: () => sink.write('\n]'),
        logEnd: () => sink.write('}'),
        drain: () => sink.drain(),
      },
      { ...options, repair: true },
    );
    sink.write('}\n');
    await sink.drain(true);
    await handle.sync();
    await handle.close();
    closed = true;
    await fs.rename(temp, output);
    const report = sanitizer.report.build({
      input: { name: path.basename(input), bytes: summary.bytes, entries: summary.entries, pages: summary.pages, creator: summary.creator ? `${summary.creator.name} ${summary.creator.version}`.trim() : null },
      output: { bytes: sink.bytes },
      options: { keepBodies: options.keepBodies ?? false, knownSecrets: options.knownSecrets?.length ?? 0, keywords: options.keywords?.length ?? 0 },
      repairs: summary.repairs,
      repairCount: summary.repairCount,
    });
    return { report, summary, output, outputBytes: sink.bytes };
  } catch (error) {
    await sink.settled();
    if (!closed) await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
}
