import fs from 'node:fs';
import BetterSqlite3, { type Database, type Transaction } from 'better-sqlite3';
import { loadMigrations, migrate, type Migration } from './migrator.js';

export interface OpenOptions {
  /** Path to a better-sqlite3 binary built for the running runtime (Electron ships its own). */
  nativeBinding?: string;
  migrations?: Migration[];
  busyTimeoutMs?: number;
}

/**
 * Only this module opens the database for the store: WAL, foreign keys, busy timeout, migrations,
 * private file modes, and transactions that begin IMMEDIATE (stored-setting.ts reads one setting of
 * an existing database and changes nothing).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  const busyTimeoutMs = Math.trunc(options.busyTimeoutMs ?? 5000);
  const db = new BetterSqlite3(file, { timeout: busyTimeoutMs, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    immediateTransactions(db);
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, options.migrations ?? loadMigrations());
    if (file !== ':memory:') restrictModes(file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function restrictModes(file: string): void {
  if (process.platform === 'win32') return;
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(f)) fs.chmodSync(f, 0o600);
  }
}

/**
 * Every transaction the app opens writes, and the CLI, the web host and the desktop app may share
 * one database. A DEFERRED transaction that reads first takes the write lock only at its first
 * write; if another process wrote in between, SQLite answers SQLITE_BUSY at once, without waiting
 * out busy_timeout ("database is locked"). BEGIN IMMEDIATE takes the write lock up front, where the
 * busy timeout applies, so `db.transaction(fn)()` means IMMEDIATE here (`.deferred` stays available).
 */
function immediateTransactions(db: Database): void {
  const make = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown): Transaction => {
    const tx = make(fn);
    return Object.assign((...args: unknown[]) => tx.immediate(...args), {
      default: tx.immediate,
      deferred: tx.deferred,
      immediate: tx.immediate,
      exclusive: tx.exclusive,
    });
  }) as Database['transaction'];
}
