import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

const FILE = /^(\d{4})-[a-z0-9-]+\.sql$/;

export const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Reads `NNNN-name.sql` files in order; gaps and duplicates are packaging errors. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((name) => {
    const match = FILE.exec(name);
    if (!match) throw new MigrationError(`Migration file name "${name}" does not match NNNN-name.sql`);
    return { version: Number(match[1]), name, sql: fs.readFileSync(path.join(dir, name), 'utf8') };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`Migration ${m.name} should be number ${String(i + 1).padStart(4, '0')}`);
  });
  return migrations;
}

/**
 * Applies pending migrations, each in its own transaction with its hash recorded. An applied
 * migration whose file changed since, or a database from a newer version, is refused before
 * anything is touched.
 */
export function migrate(db: Database, migrations: Migration[]): { applied: string[] } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const rows = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    sha256: string;
  }[];
  for (const row of rows) {
    const known = migrations.find((m) => m.version === row.version);
    if (!known) {
      throw new MigrationError(
        `The database was created by a newer version of this app (migration ${row.name} is unknown here). Update the app.`,
      );
    }
    if (sha256(known.sql) !== row.sha256) {
      throw new MigrationError(`Migration ${known.name} was edited after it was applied (hash mismatch); refusing to continue.`);
    }
  }
  const done = new Set(rows.map((r) => r.version));
  const insert = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)');
  const applied: string[] = [];
  const appliedNow = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?');
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    // Under the write lock, ask again: another process opening the same new database may have
    // applied it while this one waited.
    const ran = db.transaction(() => {
      if (appliedNow.get(m.version)) return false;
      db.exec(m.sql);
      insert.run(m.version, m.name, sha256(m.sql), new Date().toISOString());
      return true;
    }).immediate();
    if (ran) applied.push(m.name);
  }
  return { applied };
}
