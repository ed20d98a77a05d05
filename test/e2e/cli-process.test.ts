import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess } from '../support/web-host-process.js';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };

function xet(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(ROOT, pkg.bin.xet!), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('the installed xet command', () => {
  it('runs as `npx xet` from the project folder', () => {
    const r = spawnSync('npx', ['--no-install', 'xet', '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  it('prints its version and help', () => {
    expect(xet(['--version'])).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    const help = xet(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: xet');
  });

  it('exits 2 on a usage error and 0 on success, with XET_DATA_DIR honoured', () => {
    const dir = tempDir();
    expect(xet(['settings', 'set', '--theme', 'mauve'], { XET_DATA_DIR: dir }).status).toBe(2);
    const ok = xet(['--json', 'info'], { XET_DATA_DIR: dir });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ dataDir: dir, transport: 'cli' });
  });

  it('says a usage error in German with --lang de or a German settings language, in English otherwise', () => {
    const dir = tempDir();
    const env = { XET_DATA_DIR: dir, LANG: 'en_US.UTF-8' };
    const noCase = ['archive', 'upload', 'a.zip', '--token-stdin'];
    expect(xet(['--lang', 'de', ...noCase], env)).toMatchObject({ status: 2, stdout: '', stderr: 'xet: archive upload: --case SR ist erforderlich (die Nummer des TAC-Falls / Service Requests)\n' });
    expect(xet(noCase, env)).toMatchObject({ status: 2, stderr: 'xet: archive upload: --case SR is required (the TAC case / service request number)\n' });
    expect(xet(['settings', 'set', '--language', 'de'], env).status).toBe(0);
    expect(xet(['check', '--all', '--concurrency', '0'], env)).toMatchObject({ status: 2, stderr: 'xet: --concurrency muss eine ganze Zahl von 1 bis 16 sein\n' });
  });

  it('shares its data folder with the web host (same settings)', async () => {
    const dir = tempDir();
    expect(xet(['--data-dir', dir, 'settings', 'set', '--language', 'de']).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'xet.sqlite'))).toBe(true);
    // The web host on the same folder answers the language the CLI stored …
    const host = await startWebHostProcess(dir, { LANG: 'en_US.UTF-8' });
    try {
      const api = (command: string, body: unknown) =>
        fetch(new URL(`/api/${command}`, host.url), { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
      expect(await api('settings.get', {})).toMatchObject({ ok: true, value: { language: 'de' } });
      // … and what the app changes there, the CLI reads back.
      expect(await api('settings.set', { theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark' } });
    } finally {
      await host.stop();
    }
    const read = xet(['--data-dir', dir, '--json', 'settings', 'get']);
    expect(read.status).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual({ language: 'de', theme: 'dark', proxy: null });
  });
});
