import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../../electron/core/store/database.js';
import { loadMigrations, migrate, MigrationError, sha256 } from '../../../electron/core/store/migrator.js';
import { tempDir } from '../../support/temp.js';

describe('migrator', () => {
  it('applies every migration once, records its hash, and is idempotent', () => {
    const db = new BetterSqlite3(':memory:');
    const migrations = loadMigrations();
    expect(migrate(db, migrations).applied).toEqual(migrations.map((m) => m.name));
    expect(migrate(db, migrations).applied).toEqual([]);
    const rows = db.prepare('SELECT version, name, sha256 FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(migrations.map((m) => ({ version: m.version, name: m.name, sha256: sha256(m.sql) })));
  });

  it('refuses a database whose applied migration was edited afterwards', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001-one.sql'), 'CREATE TABLE one (id INTEGER);');
    const db = new BetterSqlite3(':memory:');
    migrate(db, loadMigrations(dir));
    fs.writeFileSync(path.join(dir, '0001-one.sql'), 'CREATE TABLE one (id INTEGER, extra TEXT);');
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/0001-one\.sql was edited after it was applied/);
  });

  it('refuses a database created by a newer version', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001-one.sql'), 'CREATE TABLE one (id INTEGER);');
    fs.writeFileSync(path.join(dir, '0002-two.sql'), 'CREATE TABLE two (id INTEGER);');
    const db = new BetterSqlite3(':memory:');
    migrate(db, loadMigrations(dir));
    fs.rmSync(path.join(dir, '0002-two.sql'));
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/newer version/);
  });

  it('rolls back a failing migration completely and leaves earlier ones applied', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001-one.sql'), 'CREATE TABLE one (id INTEGER);');
    fs.writeFileSync(path.join(dir, '0002-bad.sql'), 'CREATE TABLE two (id INTEGER); INSERT INTO nowhere VALUES (1);');
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, loadMigrations(dir))).toThrow(/no such table: nowhere/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
    expect(tables).toContain('one');
    expect(tables).not.toContain('two');
    expect(db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(1);
  });

  it('refuses badly named or non-consecutive migration files', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '0001-one.sql'), 'SELECT 1;');
    fs.writeFileSync(path.join(dir, '0003-three.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(MigrationError);
    const dir2 = tempDir();
    fs.writeFileSync(path.join(dir2, 'init.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir2)).toThrow(/does not match NNNN-name\.sql/);
  });

  describe('0001-settings', () => {
    it('creates a settings table that accepts JSON values only', () => {
      const db = new BetterSqlite3(':memory:');
      migrate(db, loadMigrations().slice(0, 1));
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('language', '\"de\"', 'now')").run();
      expect(db.prepare("SELECT value FROM settings WHERE key='language'").pluck().get()).toBe('"de"');
      expect(() => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', 'not json', 'now')").run()).toThrow(/CHECK constraint/);
      expect(() => db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('language', '\"en\"', 'now')").run()).toThrow(/UNIQUE|PRIMARY/);
    });
  });
});

describe('openDatabase', () => {
  it('opens a real file with WAL, foreign keys, busy timeout and private modes', () => {
    const dir = tempDir();
    const file = path.join(dir, 'xet.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    if (process.platform !== 'win32') {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    }
    db.close();
  });

  it('closes the handle and rethrows when migrations fail, leaving the file intact', () => {
    const dir = tempDir();
    const file = path.join(dir, 'xet.sqlite');
    openDatabase(file).close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file, { migrations: [{ version: 1, name: '0001-settings.sql', sql: 'changed' }] })).toThrow(/edited/);
    const db = openDatabase(file);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(fs.readFileSync(file).length).toBe(before.length);
  });
});

describe('0002-profiles-and-vault', () => {
  const db = () => {
    const d = new BetterSqlite3(':memory:');
    d.pragma('foreign_keys = ON');
    migrate(d, loadMigrations().slice(0, 2));
    return d;
  };
  const insert = (d: BetterSqlite3.Database, over: Record<string, unknown> = {}) =>
    d
      .prepare(
        `INSERT INTO profiles (id, name, name_key, kind, host, region, https_port, https_enabled, http_port, http_enabled, username, cluster, notes, trust_mode, trust_sha256, trust_ca_pem, created_at, updated_at)
         VALUES (@id, @name, @name_key, @kind, 'h', 'eu', @https_port, 1, 6080, 1, '', NULL, '', @trust_mode, @trust_sha256, NULL, 'now', 'now')`,
      )
      .run({ id: 'p1', name: 'n', name_key: 'n', kind: 'esa', https_port: 6443, trust_mode: 'system', trust_sha256: null, ...over });

  it('enforces kinds, ports, unique name keys and a consistent trust mode in the schema itself', () => {
    const d = db();
    insert(d);
    expect(() => insert(d, { id: 'p2' })).toThrow(/UNIQUE/);
    expect(() => insert(d, { id: 'p3', name_key: 'x', kind: 'wsa' })).toThrow(/CHECK/);
    expect(() => insert(d, { id: 'p4', name_key: 'y', https_port: 70000 })).toThrow(/CHECK/);
    expect(() => insert(d, { id: 'p5', name_key: 'z', trust_mode: 'pin' })).toThrow(/CHECK/);
  });

  it('deletes a profile’s secrets with it', () => {
    const d = db();
    insert(d);
    d.prepare("INSERT INTO secrets (profile_id, kind, format, iv, tag, ciphertext, updated_at) VALUES ('p1', 'api-password', 1, x'00', x'00', x'00', 'now')").run();
    expect(() => d.prepare("INSERT INTO secrets (profile_id, kind, format, iv, tag, ciphertext, updated_at) VALUES ('nope', 'api-password', 1, x'00', x'00', x'00', 'now')").run()).toThrow(/FOREIGN KEY/);
    d.prepare("DELETE FROM profiles WHERE id = 'p1'").run();
    expect(d.prepare('SELECT count(*) FROM secrets').pluck().get()).toBe(0);
  });

  it('keeps one wrapped data key per unlock method', () => {
    const d = db();
    d.prepare("INSERT INTO vault_keys (method, format, params, wrapped, created_at) VALUES ('passphrase', 1, '{}', x'01', 'now')").run();
    expect(() => d.prepare("INSERT INTO vault_keys (method, format, params, wrapped, created_at) VALUES ('passphrase', 1, '{}', x'02', 'now')").run()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => d.prepare("INSERT INTO vault_keys (method, format, params, wrapped, created_at) VALUES ('plaintext', 1, '{}', x'02', 'now')").run()).toThrow(/CHECK/);
  });
});

describe('0003-runs', () => {
  const db = () => {
    const d = new BetterSqlite3(':memory:');
    d.pragma('foreign_keys = ON');
    migrate(d, loadMigrations().slice(0, 3));
    d.prepare(
      `INSERT INTO profiles (id, name, name_key, kind, host, region, https_port, https_enabled, http_port, http_enabled, username, cluster, notes, trust_mode, trust_sha256, trust_ca_pem, created_at, updated_at)
       VALUES ('p1', 'n', 'n', 'esa', 'h', 'eu', 6443, 1, 6080, 1, '', NULL, '', 'system', NULL, NULL, 'now', 'now')`,
    ).run();
    return d;
  };
  const run = (d: BetterSqlite3.Database, id: string, over: Record<string, unknown> = {}) =>
    d
      .prepare(
        `INSERT INTO runs (id, profile_id, profile_name, profile_kind, region, state, started_at, counts, finding_codes, context)
         VALUES (@id, @profile_id, 'n', 'esa', 'eu', @state, 'now', '{}', '[]', @context)`,
      )
      .run({ id, profile_id: 'p1', state: 'completed', context: '{}', ...over });

  it('keeps runs when their profile goes (profile_id becomes NULL) and cascades checks and findings with a run', () => {
    const d = db();
    run(d, 'r1');
    d.prepare("INSERT INTO run_checks (run_id, ordinal, check_id, status, outcome, duration_ms, summary, evidence, raised) VALUES ('r1', 0, 'c', 'pass', NULL, 1, '{}', '{}', '[]')").run();
    d.prepare("INSERT INTO run_findings (run_id, ordinal, code, severity, finding) VALUES ('r1', 0, 'X', 'error', '{}')").run();
    d.prepare("DELETE FROM profiles WHERE id = 'p1'").run();
    expect(d.prepare("SELECT profile_id FROM runs WHERE id = 'r1'").pluck().get()).toBeNull();
    d.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    expect(d.prepare('SELECT (SELECT count(*) FROM run_checks) + (SELECT count(*) FROM run_findings)').pluck().get()).toBe(0);
  });

  it('rejects unknown states, statuses and severities, and JSON that is not JSON', () => {
    const d = db();
    expect(() => run(d, 'r2', { state: 'exploded' })).toThrow(/CHECK/);
    expect(() => run(d, 'r3', { context: 'not json' })).toThrow(/CHECK/);
    run(d, 'r4');
    expect(() => d.prepare("INSERT INTO run_checks (run_id, ordinal, check_id, status, outcome, duration_ms, summary, evidence, raised) VALUES ('r4', 0, 'c', 'great', NULL, 1, '{}', '{}', '[]')").run()).toThrow(/CHECK/);
    expect(() => d.prepare("INSERT INTO run_findings (run_id, ordinal, code, severity, finding) VALUES ('r4', 0, 'X', 'fatal', '{}')").run()).toThrow(/CHECK/);
  });

  it('answers "latest runs of a profile" from the index', () => {
    const d = db();
    const plan = d.prepare("EXPLAIN QUERY PLAN SELECT id FROM runs WHERE profile_id = 'p1' ORDER BY started_at DESC LIMIT 50").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/SEARCH runs USING (COVERING )?INDEX runs_by_profile \(profile_id=\?\)/);
    expect(plan.map((p) => p.detail).join('\n')).not.toMatch(/TEMP B-TREE/);
  });
});

describe('0004-run-owner', () => {
  it('adds the owner of a running run; runs stored before it keep NULL owners', () => {
    const d = new BetterSqlite3(':memory:');
    migrate(d, loadMigrations().slice(0, 3));
    d.prepare(
      `INSERT INTO runs (id, profile_id, profile_name, profile_kind, region, state, started_at, counts, finding_codes, context)
       VALUES ('old', NULL, 'n', 'esa', 'eu', 'running', 'now', '{}', '[]', '{}')`,
    ).run();
    migrate(d, loadMigrations().slice(0, 4));
    expect(d.prepare("SELECT owner_pid, owner_instance FROM runs WHERE id = 'old'").get()).toEqual({ owner_pid: null, owner_instance: null });
    d.prepare(
      `INSERT INTO runs (id, profile_id, profile_name, profile_kind, region, state, started_at, counts, finding_codes, context, owner_pid, owner_instance)
       VALUES ('new', NULL, 'n', 'esa', 'eu', 'running', 'now', '{}', '[]', '{}', 4242, 'i')`,
    ).run();
    // STRICT: a pid is a whole number.
    expect(() => d.prepare("UPDATE runs SET owner_pid = 'x' WHERE id = 'new'").run()).toThrow(/cannot store TEXT value in INTEGER column/);
  });
});
