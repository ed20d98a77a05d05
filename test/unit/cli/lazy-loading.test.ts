import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir } from '../../support/temp.js';

const ROOT = path.resolve('.');
const XET = path.join(ROOT, 'bin', 'xet.js');
const TRACER = path.join(ROOT, 'test', 'support', 'trace-imports.mjs');
const HAR = path.join(ROOT, 'test', 'fixtures', 'har', 'chrome-export.har');
const DIST = `${pathToFileURL(path.join(ROOT, 'dist', 'electron')).href}/`;

/**
 * The core modules `--version` and `--help` may load: the package root, the data folder's path,
 * the catalogue reader and the help language. Each imports only Node built-ins, the contract's
 * dependency-free i18n helpers and each other (anything more would show up in the trace).
 */
const STARTUP_CORE = ['app-info', 'paths', 'errors', 'validation', 'host-defaults', 'vault-passphrase', 'settings/locale'].map((m) => `core/${m}.js`);

const LIBRARY = (name: string) => (url: string) => url.includes(`/node_modules/${name}/`);

/**
 * Every module `xet har sanitize IN -o OUT` (no --profile, no database yet) may load, node: built-ins
 * and bin/xet.js counted: 58 on 2026-12-02, 176 before the store, the settings and the schemas were
 * left out of it (one more that a change needs is fine; zod or the store back in is 90 or more).
 */
const SANITIZE_BUDGET = 62;

/**
 * What `xet har sanitize` without --profile never needs: the store (its opening and migrations) and
 * its services, the schemas, the other commands' core. core/store/stored-setting.js, the reader of
 * one stored setting, is allowed: it loads better-sqlite3 only when there is a language to read.
 */
const NOT_FOR_SANITIZE = /^(core\/(checks|archive|upload|appliance-logs|knowledge|profiles|secrets)\/|core\/store\/(database|migrator)\.js$|core\/(core|core-base|settings\/settings-service)\.js$|contract\/(commands|profiles)\.js$)/;

/** The built `xet` in a fresh process with every module it loads recorded (dist/ relative, or the URL). */
function loaded(args: string[], dataDir = path.join(tempDir(), 'data')): { status: number | null; stdout: string; stderr: string; modules: string[] } {
  const trace = path.join(tempDir(), 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(TRACER).href, XET, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XET_TRACE_IMPORTS: trace, XET_DATA_DIR: dataDir, XET_VAULT_PASSPHRASE: '' },
  });
  const modules = [...new Set(fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [])].map((u) => (u.startsWith(DIST) ? u.slice(DIST.length) : u));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, modules };
}

describe('xet loads only what a command needs (built CLI, npm run build first)', () => {
  it('the tracer sees the CLI itself, so an empty list below is no accident', () => {
    const r = loaded(['--version']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.modules).toContain('cli/program.js');
    expect(r.modules).toContain('cli/manifest.js');
  });

  for (const args of [['--version'], ['help'], ['--help'], ['har', 'sanitize', '--help']]) {
    it(`xet ${args.join(' ')}: no core service, no zod, undici, node-forge, better-sqlite3 or zip`, () => {
      const r = loaded(args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.modules.filter((m) => m.startsWith('core/') && !STARTUP_CORE.includes(m))).toEqual([]);
      expect(r.modules.filter((m) => m.startsWith('cli/commands/'))).toEqual([]);
      for (const lib of ['zod', 'undici', 'node-forge', 'better-sqlite3', '@zip.js']) expect(r.modules.filter(LIBRARY(lib)), lib).toEqual([]);
    });
  }

  it('the tracer sees CommonJS too (better-sqlite3 loads its own files with require), so their absence below is no accident', () => {
    const r = loaded(['settings', 'get']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.modules.filter(LIBRARY('better-sqlite3'))).toContain(pathToFileURL(path.join(ROOT, 'node_modules', 'better-sqlite3', 'lib', 'database.js')).href);
  });

  it('xet har sanitize: the sanitiser only, within its module budget: no zod, no store, no undici, node-forge, zip, checks, archive or upload code, and no data folder made', () => {
    const out = path.join(tempDir(), 'clean.har');
    const dataDir = path.join(tempDir(), 'data');
    const r = loaded(['har', 'sanitize', HAR, '-o', out], dataDir);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    expect(r.modules).toContain('core/har/har-sanitize-file.js');
    expect(r.modules.length, r.modules.join('\n')).toBeLessThanOrEqual(SANITIZE_BUDGET);
    for (const lib of ['zod', 'better-sqlite3', 'undici', 'node-forge', '@zip.js']) expect(r.modules.filter(LIBRARY(lib)), lib).toEqual([]);
    expect(r.modules.filter((m) => NOT_FOR_SANITIZE.test(m))).toEqual([]);
    expect(r.modules.filter((m) => m.startsWith('cli/commands/') && m !== 'cli/commands/har.js')).toEqual([]);
    // Nothing was stored, so nothing is made: no folder, no database to learn the language from.
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('xet har sanitize in the stored settings language: read from the database as it is (no zod, no store opened, nothing migrated or left beside it)', () => {
    const dataDir = path.join(tempDir(), 'data');
    expect(spawnSync(process.execPath, [XET, '--data-dir', dataDir, 'settings', 'set', '--language', 'de'], { encoding: 'utf8' }).status).toBe(0);
    const database = path.join(dataDir, 'xet.sqlite');
    const before = fs.readFileSync(database);
    const listing = fs.readdirSync(dataDir).sort();
    const german = loaded(['har', 'sanitize', HAR, '-o', path.join(tempDir(), 'clean.har')], dataDir);
    expect(german.status, german.stderr).toBe(0);
    expect(german.stdout).toMatch(/ bereinigt: \d+ Einträge, /);
    for (const lib of ['zod', 'undici', 'node-forge', '@zip.js']) expect(german.modules.filter(LIBRARY(lib)), lib).toEqual([]);
    expect(german.modules.filter((m) => NOT_FOR_SANITIZE.test(m))).toEqual([]);
    expect(fs.readFileSync(database).equals(before)).toBe(true);
    expect(fs.readdirSync(dataDir).sort()).toEqual(listing);
    // With --lang the stored language is not read: better-sqlite3 is not even loaded.
    const english = loaded(['--lang', 'en', 'har', 'sanitize', HAR, '-o', path.join(tempDir(), 'clean.har')], dataDir);
    expect(english.stdout).toMatch(/^Sanitised .+: \d+ entries, /);
    expect(english.modules.filter(LIBRARY('better-sqlite3'))).toEqual([]);
  });
});
