import fs from 'node:fs';
import path from 'node:path';
import { Redactor } from './redactor.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  readonly redactor: Redactor;
}

export interface FileLoggerOptions {
  dir: string;
  /** Base name without extension; files are `<name>.log`, `<name>.1.log`, … */
  name?: string;
  maxBytes?: number;
  maxFiles?: number;
  level?: Level;
  redactor?: Redactor;
  clock?: () => Date;
}

/** The four levels as methods over one `write`, for each logger below. */
abstract class LevelLogger implements Logger {
  abstract readonly redactor: Redactor;
  protected abstract write(level: Level, msg: string, fields?: Record<string, unknown>): void;

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }
}

/**
 * JSON-lines log with size-based rotation. Every line passes the redactor after serialisation,
 * so a secret hidden inside any field, at any depth, is masked too.
 */
export class FileLogger extends LevelLogger {
  readonly redactor: Redactor;
  private readonly file: string;
  private readonly dir: string;
  private readonly name: string;
  private readonly maxBytes: number;
  private readonly maxFiles: number;
  private readonly level: Level;
  private readonly clock: () => Date;
  private failed = false;

  constructor(options: FileLoggerOptions) {
    super();
    this.dir = options.dir;
    this.name = options.name ?? 'xet';
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.maxFiles = Math.max(1, options.maxFiles ?? 5);
    this.level = options.level ?? 'info';
    this.redactor = options.redactor ?? new Redactor();
    this.clock = options.clock ?? (() => new Date());
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.file = path.join(this.dir, `${this.name}.log`);
  }

  /** Paths of the current log files, newest first. */
  files(): string[] {
    return [this.file, ...Array.from({ length: this.maxFiles - 1 }, (_, i) => this.rotated(i + 1))].filter((f) => fs.existsSync(f));
  }

  private rotated(n: number): string {
    return path.join(this.dir, `${this.name}.${n}.log`);
  }

  protected write(level: Level, msg: string, fields?: Record<string, unknown>): void {
    if (ORDER[level] < ORDER[this.level]) return;
    let line: string;
    try {
      line = JSON.stringify({ ts: this.clock().toISOString(), level, msg, ...fields });
    } catch {
      line = JSON.stringify({ ts: this.clock().toISOString(), level, msg, note: 'fields not serialisable' });
    }
    const bytes = Buffer.from(`${this.redactor.redact(line)}\n`, 'utf8');
    try {
      // The size on disk, not a count of our own writes: the app, the web host and `xet` processes
      // append to the same file, and each counting only its own lines let the files grow past the bound.
      const size = this.sizeOnDisk();
      if (size > 0 && size + bytes.length > this.maxBytes) this.rotate();
      this.append(bytes);
    } catch (error) {
      // Logging must never take the app down (full disk, folder removed under us): report once, go on.
      if (!this.failed) process.stderr.write(`xet: cannot write the log file ${this.file}: ${(error as Error).message}\n`);
      this.failed = true;
    }
  }

  private sizeOnDisk(): number {
    try {
      return fs.statSync(this.file).size;
    } catch {
      return 0;
    }
  }

  private append(bytes: Buffer): void {
    try {
      fs.appendFileSync(this.file, bytes, { mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      fs.appendFileSync(this.file, bytes, { mode: 0o600 });
    }
    this.failed = false;
  }

  private rotate(): void {
    fs.rmSync(this.rotated(this.maxFiles - 1), { force: true });
    for (let n = this.maxFiles - 2; n >= 1; n--) renameIfThere(this.rotated(n), this.rotated(n + 1));
    // Another process may have rotated the same file a moment ago.
    if (this.maxFiles > 1) renameIfThere(this.file, this.rotated(1));
    else fs.rmSync(this.file, { force: true });
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** A logger that keeps lines in memory; for tests and for processes without a data folder yet. */
export class MemoryLogger extends LevelLogger {
  readonly redactor = new Redactor();
  readonly lines: string[] = [];
  protected write(level: Level, msg: string, fields?: Record<string, unknown>): void {
    this.lines.push(this.redactor.redact(JSON.stringify({ level, msg, ...fields })));
  }
}
