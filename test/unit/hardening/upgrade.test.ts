import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sha256File } from '../../support/archive.js';
import { testCore } from '../../support/core.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';
import { loadMigrations, migrate } from '../../../electron/core/store/migrator.js';
import { V1 } from '../../fixtures/db/v1-data.js';

// The first release is the state after migration 0002 (81f9b40): the first with profiles and the
// vault, i.e. the first a user had data in. v0001 (the foundation, settings only) is kept too.
// Both fixtures are built by test/fixtures/db/make-v1.ts from the migration files of those commits.
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/db');
const CURRENT = loadMigrations();

function folderWith(fixture: string): string {
  const dataDir = tempDir();
  fs.copyFileSync(path.join(FIXTURES, fixture), path.join(dataDir, 'xet.sqlite'));
  return dataDir;
}

function rowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'").all() as { name: string }[]).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

function expectCurrentSchema(db: Database.Database): void {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual(CURRENT.map((m) => ({ version: m.version, name: m.name })));
  // A second open finds nothing to do.
  expect(migrate(db, CURRENT).applied).toEqual([]);
}

describe('upgrading databases written by earlier releases', () => {
  it('the first release (0001 + 0002): profiles, settings and vault secrets come through intact and usable', async () => {
    const before = rowCounts(path.join(FIXTURES, 'v0002.sqlite'));
    expect(before).toMatchObject({ profiles: V1.profiles.length, secrets: V1.secrets.length, vault_keys: 1, settings: Object.keys(V1.settings).length });
    const dataDir = folderWith('v0002.sqlite');
    const core = testCore({ dataDir, defaultSettings: { language: 'en', theme: 'system', proxy: null } });
    try {
      expectCurrentSchema(core.db);
      expect(core.settings.get()).toEqual({ ...V1.settings, proxy: null });
      const listed = core.profiles.list();
      expect(listed.total).toBe(V1.profiles.length);
      for (const old of V1.profiles) {
        const p = core.profiles.get(old.id);
        expect(p).toMatchObject({ name: old.name, kind: old.kind, host: old.host, region: old.region, httpsPort: old.httpsPort, httpsEnabled: old.httpsEnabled, httpPort: old.httpPort, httpEnabled: old.httpEnabled, username: old.username, cluster: old.cluster, notes: old.notes, createdAt: V1.createdAt });
        expect(p.trust.mode).toBe(old.trust);
        if (p.trust.mode === 'pin') expect(p.trust.sha256).toBe(V1.pinSha256);
        if (p.trust.mode === 'ca') expect(p.trust.subject).toContain('Corp Lab Root CA');
        expect(p.passwordStored).toBe(V1.secrets.some((s) => s.profileId === old.id && s.kind === 'api-password'));
        expect(core.profiles.resolve(old.name.toUpperCase()).id).toBe(old.id);
      }
      // The vault opens with the passphrase of that release and every secret reads back.
      expect(core.vault.status()).toMatchObject({ state: 'locked', methods: ['passphrase'] });
      expect(() => core.vault.unlock('not the passphrase')).toThrow(/Wrong vault passphrase/);
      core.vault.unlock(V1.vaultPassphrase);
      for (const s of V1.secrets) expect(core.secrets.reveal(s.profileId, s.kind)).toBe(s.value);
      // And the data is usable with what came later: edit, new secret, a stored check run.
      const [first] = V1.profiles;
      const edited = await core.dispatcher.dispatch('profiles.update', { id: first.id, profile: { ...core.profiles.fields(first.id), notes: 'after the upgrade' } });
      expect(edited.ok).toBe(true);
      expect((await core.dispatcher.dispatch('secrets.set', { profileId: first.id, kind: 'api-password', value: 'New-Pw-After-Upgrade' })).ok).toBe(true);
      expect(core.secrets.reveal(first.id, 'api-password')).toBe('New-Pw-After-Upgrade');
      const run = await core.checks.run({ profileId: first.id, only: ['still-failing'], answers: { 'still-failing': 'no' } });
      expect(core.checks.list(first.id, 5).runs.map((r) => r.id)).toEqual([run.id]);
    } finally {
      core.close();
    }
    const again = testCore({ dataDir });
    try {
      expectCurrentSchema(again.db);
      expect(again.profiles.get(V1.profiles[0].id).notes).toBe('after the upgrade');
    } finally {
      again.close();
    }
    const migrated = Object.values(before).reduce((a, b) => a + b, 0);
    const foundation = Object.values(rowCounts(path.join(FIXTURES, 'v0001.sqlite'))).reduce((a, b) => a + b, 0);
    recordReliability('upgrade', {
      area: 'Upgrade safety',
      measure: 'rows in databases of the first releases (0001; 0001 + 0002 with profiles, vault, secrets) migrated to the current schema',
      value: migrated + foundation,
      outcome: '0 rows lost or changed, every secret opens with the old vault passphrase, integrity_check ok, second open a no-op',
    });
  }, 60_000);

  it('the foundation (0001 only): settings come through and the later tables are created empty', () => {
    const dataDir = folderWith('v0001.sqlite');
    const core = testCore({ dataDir, defaultSettings: { language: 'en', theme: 'system', proxy: null } });
    try {
      expectCurrentSchema(core.db);
      expect(core.settings.get()).toEqual({ ...V1.settings0001, proxy: null });
      expect(core.profiles.list().total).toBe(0);
      expect(core.vault.status().state).toBe('uninitialized');
    } finally {
      core.close();
    }
  });

  it('a database from a newer version is refused with a clear message and left byte for byte as it was', () => {
    const dataDir = folderWith('v0002.sqlite');
    const file = path.join(dataDir, 'xet.sqlite');
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)').run(CURRENT.length + 7, '9999-from-the-future.sql', 'f'.repeat(64), V1.createdAt);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const hash = sha256File(file);
    const listing = fs.readdirSync(dataDir).filter((f) => f.startsWith('xet.sqlite')).sort();
    expect(() => testCore({ dataDir })).toThrow(/created by a newer version of this app \(migration 9999-from-the-future\.sql is unknown here\)\. Update the app\./);
    expect(sha256File(file)).toBe(hash);
    // No WAL or SHM left beside it either (looked at before anything else opens the file).
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('xet.sqlite')).sort()).toEqual(listing);
  });
});
