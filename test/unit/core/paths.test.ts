import fs from 'node:fs';
import path from 'node:path';
import { APP_FOLDER_NAME, defaultDataDir, defaultResourcesDir, ensureDataDir, resolveDataDir } from '../../../electron/core/paths.js';
import { tempDir } from '../../support/temp.js';

describe('data folder', () => {
  it('matches Electron userData on each OS', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/maria' })).toBe(`/home/maria/.config/${APP_FOLDER_NAME}`);
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/home/maria' })).toBe(`/xdg/${APP_FOLDER_NAME}`);
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'relative' }, home: '/h' })).toBe(`/h/.config/${APP_FOLDER_NAME}`);
    expect(defaultDataDir({ platform: 'darwin', env: {}, home: '/Users/maria' })).toBe(`/Users/maria/Library/Application Support/${APP_FOLDER_NAME}`);
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\maria\\AppData\\Roaming' }, home: 'C:\\Users\\maria' })).toBe(
      `C:\\Users\\maria\\AppData\\Roaming\\${APP_FOLDER_NAME}`,
    );
  });

  it('prefers --data-dir, then XET_DATA_DIR, then the default', () => {
    const p = { platform: 'linux' as const, env: { XET_DATA_DIR: '/from/env' }, home: '/h' };
    expect(resolveDataDir('/from/flag', p)).toBe('/from/flag');
    expect(resolveDataDir(undefined, p)).toBe('/from/env');
    expect(resolveDataDir(undefined, { ...p, env: {} })).toBe(`/h/.config/${APP_FOLDER_NAME}`);
    expect(resolveDataDir(undefined, { ...p, env: { XET_DATA_DIR: '  ' } })).toBe(`/h/.config/${APP_FOLDER_NAME}`);
  });

  it('creates the folder tree private to the user', () => {
    const root = path.join(tempDir(), 'data');
    const paths = ensureDataDir(root);
    for (const dir of [paths.root, paths.logs, paths.tmp]) {
      expect(fs.statSync(dir).isDirectory()).toBe(true);
      if (process.platform !== 'win32') expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    }
  });

  it('finds the shipped resources folder', () => {
    expect(fs.existsSync(path.join(defaultResourcesDir(), 'regions.json'))).toBe(true);
  });
});
