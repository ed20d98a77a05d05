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

/** The built `xet` in a fresh process with every module it loads recorded (dist/ relative, or the URL). */
function loaded(args: string[]): { status: number | null; stderr: string; modules: string[] } {
  const dir = tempDir();
  const trace = path.join(dir, 'imports.txt');
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(TRACER).href, XET, ...args], {
    encoding: 'utf8',
    env: { ...process.env, XET_TRACE_IMPORTS: trace, XET_DATA_DIR: path.join(dir, 'data'), XET_VAULT_PASSPHRASE: '' },
  });
  const modules = [...new Set(fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [])].map((u) => (u.startsWith(DIST) ? u.slice(DIST.length) : u));
  return { status: r.status, stderr: r.stderr, modules };
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

  it('xet har sanitize: the sanitiser and the store, but no undici, node-forge, zip, checks, archive or upload code', () => {
    const out = path.join(tempDir(), 'clean.har');
    const r = loaded(['har', 'sanitize', HAR, '-o', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    expect(r.modules).toContain('core/har/har-sanitize-file.js');
    for (const lib of ['undici', 'node-forge', '@zip.js']) expect(r.modules.filter(LIBRARY(lib)), lib).toEqual([]);
    expect(r.modules.filter((m) => /^core\/(checks|archive|upload|appliance-logs|knowledge)\//.test(m) || m === 'core/core.js')).toEqual([]);
    expect(r.modules.filter((m) => m.startsWith('cli/commands/') && m !== 'cli/commands/har.js' && m !== 'cli/commands/profiles.js')).toEqual([]);
  });
});
