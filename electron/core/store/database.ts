import fs from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { loadMigrations, migrate, type Migration } from './migrator.js';

export interface OpenOptions {
  /** Path to a better-sqlite3 binary built for the running runtime (Electron ships its own). */
  nativeBinding?: string;
  migrations?: Migration[];
  busyTimeoutMs?: number;
}

/** Only this module opens the database: WAL, foreign keys, busy timeout, migrations, private file modes. */
export function openDatabase(file: string, options: OpenOptions = {}): Database {
  const db = new BetterSqlite3(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
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
