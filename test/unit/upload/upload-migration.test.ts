import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../../../electron/core/store/migrator.js';

describe('0006-uploads', () => {
  it('adds the upload records and the case-keyed secrets to a database of the earlier migrations, strictly typed', () => {
    const d = new BetterSqlite3(':memory:');
    const all = loadMigrations();
    const at = all.findIndex((m) => m.name === '0006-uploads.sql');
    migrate(d, all.slice(0, at));
    migrate(d, all.slice(0, at + 1));
    const insert = d.prepare(
      `INSERT INTO uploads (id, case_number, file_name, bytes, sha256, started_at, finished_at, attempts, http_status, outcome, error_key)
       VALUES (?, '698765432', 'a.zip', 10, NULL, 't0', 't1', 1, ?, ?, NULL)`,
    );
    insert.run('u1', 201, 'uploaded');
    expect(() => insert.run('u2', 201, 'maybe')).toThrow(/CHECK constraint failed/);
    expect(() => insert.run('u3', '201 Created', 'uploaded')).toThrow(/cannot store TEXT value in INTEGER column/);
    const secret = d.prepare("INSERT INTO case_secrets (case_number, kind, format, iv, tag, ciphertext, updated_at) VALUES ('698765432', ?, 1, x'00', x'00', x'00', 't')");
    secret.run('cxd-token');
    expect(() => secret.run('cxd-token')).toThrow(/UNIQUE constraint failed/);
    expect(() => secret.run('api-password')).toThrow(/CHECK constraint failed/);
    const plan = d.prepare("EXPLAIN QUERY PLAN SELECT * FROM uploads WHERE case_number = ? AND file_name = ? AND bytes = ? AND outcome = 'uploaded'").all('x', 'y', 1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/INDEX uploads_by_case_file/);
  });
});
