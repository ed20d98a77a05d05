import fs from 'node:fs';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

// Required on the first read, not with this module: a host that may never read a setting (`xet
// --lang de har sanitize`, a data folder without a database) does not load better-sqlite3 at all.
const requireHere = createRequire(import.meta.url);

/**
 * One row's `value` of the settings table of a database that exists, or undefined (no file, no such
 * row), read without opening the store (database.ts): nothing is created, migrated or written, so
 * a host that only needs a setting (the CLI's language) neither makes a database nor upgrades one.
 * What the value holds is the caller's to check.
 */
export function readStoredSetting(file: string, key: string, options: { nativeBinding?: string | undefined; busyTimeoutMs?: number } = {}): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  const Database = requireHere('better-sqlite3') as typeof BetterSqlite3;
  // Read-write but `fileMustExist`: a read-only connection could not remove the WAL and SHM files it
  // makes beside a WAL database; this one, closed last, removes them as every other connection does.
  const db = new Database(file, { fileMustExist: true, timeout: Math.trunc(options.busyTimeoutMs ?? 5000), ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
  try {
    return db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key)?.value;
  } finally {
    db.close();
  }
}
