import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHar } from '../../../bench/har-generate.js';
import { createCore } from '../../../electron/core/core.js';
import { FileLogger } from '../../../electron/core/logging/logger.js';
import { xetProcess } from '../../support/cli-process.js';
import { TEST_SCRYPT } from '../../support/core.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';
import { ROOT } from '../../support/web-host-process.js';
import { MANUAL_ANSWERS, VAULT } from '../../fixtures/hardening/constants.js';

const posix = process.platform !== 'win32';
const TEMP_NAME = /\.tmp$|\.xet-partial$|partial/;

/** Every folder and file below `root` (root included), with its permission bits. */
function walk(root: string): { path: string; dir: boolean; mode: number }[] {
  const out = [{ path: root, dir: true, mode: fs.statSync(root).mode & 0o777 }];
  for (const d of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, d.name);
    if (d.isDirectory()) out.push(...walk(full));
    else out.push({ path: full, dir: false, mode: fs.statSync(full).mode & 0o777 });
  }
  return out;
}

const temps = (root: string) => walk(root).filter((e) => !e.dir && TEMP_NAME.test(path.basename(e.path))).map((e) => e.path);

/** Starts `xet` and sends `signal` once a temp file shows up in `watch`; answers its exit. */
function interrupted(args: string[], watch: string, signal: NodeJS.Signals): Promise<{ code: number | null; sawTemp: boolean; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'xet.js'), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent-home', XET_VAULT_PASSPHRASE: VAULT }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sawTemp = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      if (temps(watch).length > 0) {
        sawTemp = true;
        clearInterval(poll);
        child.kill(signal);
      }
    }, 5);
    child.once('close', (code) => {
      clearInterval(poll);
      resolve({ code, sawTemp, stderr });
    });
  });
}

describe('the data folder', () => {
  it('after a session of the app and xet together, the folder and every folder in it are 0700 and every file 0600', async () => {
    if (!posix) return;
    const dataDir = path.join(tempDir(), 'data');
    const outside = tempDir();
    const har = path.join(outside, 'capture.har');
    generateHar(har, 512 * 1024, 5);
    const core = createCore({
      dataDir,
      transport: 'web',
      secretBackend: { kind: 'passphrase', detail: 'test vault', available: true },
      defaultSettings: { language: 'en', theme: 'system', proxy: null },
      scryptCost: TEST_SCRYPT,
      vaultPassphrase: VAULT,
    });
    try {
      const created = await core.dispatcher.dispatch('profiles.create', { profile: { name: 'lab', kind: 'esa', host: 'esa1.corp.example', region: 'eu' }, password: 'Lab-Password-1' });
      expect(created.ok).toBe(true);
      const id = (created as { value: { id: string } }).value.id;
      expect((await core.dispatcher.dispatch('secrets.set', { profileId: id, kind: 'cxd-token', value: 'cxd-token-1234' })).ok).toBe(true);
      expect((await core.dispatcher.dispatch('settings.set', { language: 'de' })).ok).toBe(true);
      await core.checks.run({ profileId: id, only: Object.keys(MANUAL_ANSWERS), answers: MANUAL_ANSWERS });
      const imported = await core.har.importPath(har);
      await core.archive.create({ profileId: id, runIds: [], includeHostnames: false, harIds: [imported.id], encryption: { mode: 'password', password: 'hygiene-Amber-Otter-4417' } });
      // xet on the same folder while the app has it open.
      const env = { XET_VAULT_PASSPHRASE: VAULT };
      for (const args of [
        ['profile', 'add', '--name', 'from-cli', '--kind', 'sma', '--host', 'sma.corp.example', '--region', 'eu', '--password-stdin'],
        ['settings', 'set', '--theme', 'dark'],
        ['archive', 'create', '--profile', 'lab', '--run', 'latest', '--har', har, '--generate-password', '-o', path.join(outside, 'support.zip')],
      ]) {
        const r = await xetProcess(['--data-dir', dataDir, ...args], { env, stdin: 'Cli-Password-2' });
        expect(r.code, `xet ${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
      // Enough log lines to rotate, through the same logger the app uses, in the app's log folder.
      const small = new FileLogger({ dir: core.paths.logs, name: 'xet', maxBytes: 4096, maxFiles: 3 });
      for (let i = 0; i < 100; i++) small.info('rotation filler', { i });

      const entries = walk(dataDir);
      const names = entries.map((e) => path.relative(dataDir, e.path));
      for (const expected of ['xet.sqlite', 'xet.sqlite-wal', 'xet.sqlite-shm', 'logs/xet.log', 'logs/xet.1.log']) expect(names).toContain(expected);
      expect(names.some((n) => /^tmp\/har\/.+\.har$/.test(n)), `no HAR copy in ${names.join(', ')}`).toBe(true);
      expect(names.some((n) => /^tmp\/archives\/.+\.zip$/.test(n)), `no archive in ${names.join(', ')}`).toBe(true);
      const loose = entries.filter((e) => e.mode !== (e.dir ? 0o700 : 0o600)).map((e) => `${path.relative(dataDir, e.path) || '.'} ${e.mode.toString(8)}`);
      expect(loose).toEqual([]);
      expect(temps(dataDir)).toEqual([]);
      recordReliability('hygiene-files', {
        area: 'Data folder hygiene',
        measure: 'files and folders checked for 0600/0700 in the data folder after a session (DB, WAL, SHM, logs, rotated logs, HAR copy, archive), the CLI writing beside the app',
        value: entries.length,
        outcome: '0 files looser than 0600, 0 folders looser than 0700, 0 temp files left',
      });
    } finally {
      core.close();
    }
    expect(walk(dataDir).filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))).toEqual([]);
  }, 120_000);

  it('xet leaves no temp file on success, on error, and when interrupted (SIGINT, SIGTERM) while it writes', async () => {
    const dataDir = path.join(tempDir(), 'data');
    const out = tempDir();
    const small = path.join(out, 'small.har');
    generateHar(small, 256 * 1024, 6);
    const big = path.join(tempDir(), 'big.har');
    generateHar(big, 40 * 1024 * 1024, 7);
    const broken = path.join(out, 'broken.har');
    fs.writeFileSync(broken, '{"log": {"entries": [ {"request": ');
    const env = { XET_VAULT_PASSPHRASE: VAULT };
    const add = await xetProcess(['--data-dir', dataDir, 'profile', 'add', '--name', 'lab', '--kind', 'esa', '--host', 'esa1.corp.example', '--region', 'eu'], { env });
    expect(add.code, add.stderr).toBe(0);
    const archive = (o: string, h: string) => ['--data-dir', dataDir, 'archive', 'create', '--profile', 'lab', '--har', h, '--generate-password', '-o', path.join(out, o)];
    const sanitize = (o: string, h: string) => ['--data-dir', dataDir, 'har', 'sanitize', h, '-o', path.join(out, o)];

    const ok1 = await xetProcess(archive('ok.zip', small), { env });
    expect(ok1.code, ok1.stderr).toBe(0);
    const ok2 = await xetProcess(sanitize('ok.har', small), { env });
    expect(ok2.code, ok2.stderr).toBe(0);
    const bad1 = await xetProcess(archive('bad.zip', broken), { env });
    expect(bad1.code).not.toBe(0);
    const bad2 = await xetProcess(sanitize('bad.har', broken), { env });
    expect(bad2.code).not.toBe(0);
    let interruptions = 0;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const [name, args] of [
        [`${signal}.zip`, archive(`${signal}.zip`, big)],
        [`${signal}.har`, sanitize(`${signal}.har`, big)],
      ] as const) {
        const r = await interrupted(args, out, signal);
        expect(r.sawTemp, `${name}: the command finished before it could be interrupted`).toBe(true);
        expect(r.code, `${name}: ${r.stderr}`).not.toBe(0);
        expect(fs.existsSync(path.join(out, name)), `${name} exists after ${signal}`).toBe(false);
        interruptions++;
      }
    }
    expect(interruptions).toBe(4);
    expect(temps(out)).toEqual([]);
    expect(temps(dataDir)).toEqual([]);
    expect(fs.readdirSync(out).sort()).toEqual(['broken.har', 'ok.har', 'ok.zip', 'small.har']);
  }, 120_000);

  it('logs stay under the documented bound (five files of 1 MiB) when several processes write far more', () => {
    const dir = path.join(tempDir(), 'logs');
    // The app, the web host and two xet commands: each its own logger on the same folder.
    const loggers = Array.from({ length: 4 }, () => new FileLogger({ dir }));
    const pad = 'x'.repeat(900);
    let written = 0;
    for (let i = 0; written < 16 * 1024 * 1024; i++) {
      loggers[i % loggers.length]!.info('filler', { i, pad });
      written += 960;
    }
    const files = fs.readdirSync(dir);
    const sizes = files.map((f) => fs.statSync(path.join(dir, f)).size);
    expect(files.sort()).toEqual(['xet.1.log', 'xet.2.log', 'xet.3.log', 'xet.4.log', 'xet.log']);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(1024 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(5 * 1024 * 1024);
    if (posix) for (const f of files) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
  });
});
