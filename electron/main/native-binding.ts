import path from 'node:path';

/**
 * The better-sqlite3 binary built for Electron's ABI. `node_modules` keeps the Node build for tests,
 * the CLI and the web host; the app loads this one instead (see scripts/build-native-electron.mjs).
 */
export function electronNativeBinding(opts: { packaged: boolean; resourcesPath: string; appRoot: string }): string {
  return opts.packaged
    ? path.join(opts.resourcesPath, 'native', 'better_sqlite3.node')
    : path.join(opts.appRoot, 'native', 'electron', 'better_sqlite3.node');
}
