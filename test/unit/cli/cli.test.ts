import fs from 'node:fs';
import path from 'node:path';
import { xet } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';

const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };

describe('xet CLI', () => {
  it('prints the version with --version, -V and version', async () => {
    for (const args of [['--version'], ['-V'], ['version']]) {
      const r = await xet(args);
      expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  it('prints help listing every command and the exit codes', async () => {
    const r = await xet(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['xet info', 'xet settings get', 'xet settings set', '--data-dir', '--json', 'Exit codes']) expect(r.stdout).toContain(word);
    expect((await xet(['help'])).code).toBe(0);
  });

  it('exits 2 with help on stderr when no command is given', async () => {
    const r = await xet([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: xet');
  });

  it('exits 2 for an unknown command or flag, naming it', async () => {
    const dir = tempDir();
    const unknown = await xet(['--data-dir', dir, 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const flag = await xet(['--data-dir', dir, 'settings', 'get', '--colour']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--colour');
  });

  it('does not touch the data folder for --help or --version', async () => {
    const dir = path.join(tempDir(), 'never');
    await xet(['--data-dir', dir, '--version']);
    await xet(['--data-dir', dir, 'settings', 'get', '--help']);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('uses --data-dir over XET_DATA_DIR', async () => {
    const flagDir = tempDir();
    const envDir = tempDir();
    const r = await xet(['--data-dir', flagDir, 'info', '--json'], { XET_DATA_DIR: envDir });
    expect(JSON.parse(r.stdout)).toMatchObject({ dataDir: flagDir, transport: 'cli', version: pkg.version });
    const r2 = await xet(['info', '--json'], { XET_DATA_DIR: envDir });
    expect(JSON.parse(r2.stdout)).toMatchObject({ dataDir: envDir });
    expect(fs.existsSync(path.join(envDir, 'xet.sqlite'))).toBe(true);
  });

  it('prints exactly one JSON document with --json and keeps settings between runs', async () => {
    const dir = tempDir();
    const set = await xet(['--data-dir', dir, '--json', 'settings', 'set', '--language', 'de', '--theme', 'dark']);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ language: 'de', theme: 'dark', proxy: null });
    // The language just set is the CLI's language from now on; --lang overrides it.
    const get = await xet(['--data-dir', dir, '--lang', 'en', 'settings', 'get']);
    expect(get.stdout).toBe('language: de\ntheme:    dark\nproxy:    none (HTTPS_PROXY from the environment, if set)\n');
    const german = await xet(['--data-dir', dir, 'settings', 'get']);
    expect(german.stdout).toBe('Sprache:    de\nFarbschema: dark\nProxy:      keiner (HTTPS_PROXY aus der Umgebung, falls gesetzt)\n');
  });

  it('reports an invalid value as a usage error naming the field, as text and as JSON', async () => {
    const dir = tempDir();
    const r = await xet(['--data-dir', dir, 'settings', 'set', '--language', 'fr', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'INVALID_REQUEST', field: 'language' } });
    expect(r.stderr).toContain('--language: Invalid option');
    const none = await xet(['--data-dir', dir, 'settings', 'set']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--language, --theme and/or --proxy');
  });
});
