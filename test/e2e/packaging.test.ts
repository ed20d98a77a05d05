import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { tempDir } from '../support/temp.js';
import { ROOT } from '../support/web-host-process.js';

const require = createRequire(import.meta.url);
const config = require('../../build/electron-builder.config.cjs') as Record<string, unknown>;
const { readAddonAbi, assertAddonAbi } = require('../../build/native-abi.cjs') as {
  readAddonAbi: (f: string) => number;
  assertAddonAbi: (f: string, abi: number, label: string) => number;
};

describe('packaging configuration', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, asar: 'sometimes' }, new DebugLogger(false))).rejects.toThrow(/asar/);
  });

  it('sets the Electron fuses that close run-as-node, NODE_OPTIONS and inspector back doors', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('targets AppImage + deb, NSIS and dmg, ships resources/ and the Electron-ABI addon, and never rebuilds node_modules', () => {
    expect((config.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((config.win as { target: string[] }).target).toEqual(['nsis']);
    expect((config.mac as { target: string[] }).target).toEqual(['dmg']);
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ from: 'resources', to: 'resources' }),
        { from: 'native/electron/better_sqlite3.node', to: 'native/better_sqlite3.node' },
      ]),
    );
    expect(config.npmRebuild).toBe(false);
    expect(config.afterPack).toBe('./build/after-pack.cjs');
    expect(fs.existsSync(path.join(ROOT, 'build', 'after-pack.cjs'))).toBe(true);
  });
});

describe('native addon ABI check', () => {
  it('reads the ABI of the Node build in node_modules', () => {
    const addon = path.join(path.dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    expect(readAddonAbi(addon)).toBe(Number(process.versions.modules));
  });

  it('refuses an addon built for the wrong runtime, with a message saying how to fix it', () => {
    const fake = path.join(tempDir(), 'better_sqlite3.node');
    fs.writeFileSync(fake, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from('\0node_register_module_v115\0')]));
    expect(() => assertAddonAbi(fake, 150, 'Electron 45.5.0')).toThrow(/built for ABI 115, but Electron 45\.5\.0 needs ABI 150.*build-native-electron/);
    expect(assertAddonAbi(fake, 115, 'Node 20')).toBe(115);
  });

  it('refuses a file that is not a recognisable addon', () => {
    const junk = path.join(tempDir(), 'junk.node');
    fs.writeFileSync(junk, 'nothing here');
    expect(() => readAddonAbi(junk)).toThrow(/cannot tell which ABI/);
  });

  it('knows which ABI the pinned Electron needs', () => {
    const abi = Number(fs.readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8'));
    expect(abi).toBeGreaterThan(Number(process.versions.modules));
  });
});

describe('electron-builder --dir (offline, with a stand-in Electron binary)', () => {
  const run = (addonMarker: string) => {
    const dir = tempDir('xet-pack-');
    const fakeElectron = path.join(dir, 'electron-dist');
    fs.mkdirSync(fakeElectron);
    fs.writeFileSync(path.join(fakeElectron, 'electron'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const addon = path.join(dir, 'better_sqlite3.node');
    fs.writeFileSync(addon, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(`${addonMarker}\0`)]));
    const cfg = path.join(dir, 'config.cjs');
    fs.writeFileSync(
      cfg,
      `const base = require(${JSON.stringify(path.join(ROOT, 'build', 'electron-builder.config.cjs'))});
module.exports = { ...base, electronDist: ${JSON.stringify(fakeElectron)}, directories: { ...base.directories, output: ${JSON.stringify(path.join(dir, 'out'))} },
  extraResources: [base.extraResources[0], { from: ${JSON.stringify(addon)}, to: 'native/better_sqlite3.node' }] };`,
    );
    const cli = path.join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
    const r = spawnSync(process.execPath, [cli, '--projectDir', ROOT, '--config', cfg, '--dir', '--linux'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    return { output: `${r.stdout}\n${r.stderr}`, status: r.status, out: path.join(dir, 'out', 'linux-unpacked') };
  };

  it('refuses to ship a better-sqlite3 built for Node instead of Electron', () => {
    const r = run(`node_register_module_v${process.versions.modules}`);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(new RegExp(`built for ABI ${process.versions.modules}, but Electron [\\d.]+ needs ABI \\d+`));
  }, 60_000);

  it('accepts the Electron-ABI addon and lays out app.asar, resources and the addon', () => {
    const abi = fs.readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim();
    const r = run(`node_register_module_v${abi}`);
    // Past the ABI check, only the stand-in binary stops it: it has no fuse wire to flip.
    expect(r.output).not.toMatch(/built for ABI/);
    expect(r.output).toMatch(/fuse/i);
    expect(fs.existsSync(path.join(r.out, 'resources', 'native', 'better_sqlite3.node'))).toBe(true);
    expect(fs.existsSync(path.join(r.out, 'resources', 'resources', 'regions.json'))).toBe(true);
    const asar = require('@electron/asar') as { listPackage: (p: string, o: object) => string[] };
    const files = asar.listPackage(path.join(r.out, 'resources', 'app.asar'), {}).map((f) => f.replaceAll('\\', '/'));
    for (const f of ['/dist/electron/main/index.js', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/dist/electron/core/store/migrations/0001-settings.sql']) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith('/dist/electron/cli/') || f.startsWith('/dist/electron/web/'))).toBe(false);
    expect(files.some((f) => f.includes('better-sqlite3/build/'))).toBe(false);
  }, 60_000);
});
