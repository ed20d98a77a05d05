import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readPackageInfo } from './app-info.js';

/** The folder name Electron derives from `productName`; the CLI and web host use the same one. */
export const APP_FOLDER_NAME = 'Secure Email XDR Troubleshooter';

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

const here: PlatformEnv = { platform: process.platform, env: process.env, home: os.homedir() };

/** Mirrors Electron's `app.getPath('userData')` so the app and `xet` share one data folder. */
export function defaultDataDir(p: PlatformEnv = here): string {
  const join = p.platform === 'win32' ? path.win32.join : path.posix.join;
  if (p.platform === 'win32') return join(p.env.APPDATA ?? join(p.home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
  if (p.platform === 'darwin') return join(p.home, 'Library', 'Application Support', APP_FOLDER_NAME);
  const config = p.env.XDG_CONFIG_HOME && path.posix.isAbsolute(p.env.XDG_CONFIG_HOME) ? p.env.XDG_CONFIG_HOME : join(p.home, '.config');
  return join(config, APP_FOLDER_NAME);
}

/** `--data-dir` beats `XET_DATA_DIR` beats the per-OS default. */
export function resolveDataDir(flag: string | undefined, p: PlatformEnv = here): string {
  const chosen = flag ?? p.env.XET_DATA_DIR;
  return chosen && chosen.trim() !== '' ? path.resolve(chosen) : defaultDataDir(p);
}

export interface DataPaths {
  root: string;
  database: string;
  logs: string;
  tmp: string;
}

export function dataPaths(root: string): DataPaths {
  return { root, database: path.join(root, 'xet.sqlite'), logs: path.join(root, 'logs'), tmp: path.join(root, 'tmp') };
}

/** Creates the data folder private to this user (0700 on POSIX; Windows ACLs inherit the profile's). */
export function ensureDataDir(root: string): DataPaths {
  const paths = dataPaths(root);
  for (const dir of [paths.root, paths.logs, paths.tmp]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
  }
  return paths;
}

/** `resources/` beside package.json in a checkout or npm install; the packaged app passes its own. */
export function defaultResourcesDir(): string {
  return path.join(readPackageInfo().root, 'resources');
}
