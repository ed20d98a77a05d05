'use strict';
// electron-builder configuration. `npm run package` builds for the current OS.

/** @type {import('app-builder-lib').Configuration} */
module.exports = {
  appId: 'com.example.xdr-email-troubleshooter',
  productName: 'Secure Email XDR Troubleshooter',
  executableName: 'xdr-email-troubleshooter',
  copyright: 'Copyright © 2026',
  directories: { output: 'release', buildResources: 'build' },
  asar: true,
  // node_modules keeps the Node build of better-sqlite3 for tests and the CLI; the app ships the
  // Electron build from native/electron instead, so electron-builder must not rebuild anything.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  files: [
    'package.json',
    'dist/electron/**',
    'dist/preload/**',
    'dist/renderer/**',
    '!dist/electron/cli/**',
    '!dist/electron/web/**',
    '!**/*.map',
    '!node_modules/better-sqlite3/build/**',
    '!node_modules/better-sqlite3/deps/**',
    '!node_modules/better-sqlite3/src/**',
  ],
  extraResources: [
    { from: 'resources', to: 'resources', filter: ['**/*'] },
    { from: 'native/electron/better_sqlite3.node', to: 'native/better_sqlite3.node' },
  ],
  afterPack: './build/after-pack.cjs',
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    loadBrowserProcessSpecificV8Snapshot: false,
    grantFileProtocolExtraPrivileges: false,
  },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Network',
    maintainer: 'Secure Email XDR Troubleshooter team',
    synopsis: 'Troubleshoot Cisco Secure Email and XDR integration',
  },
  deb: { depends: ['libsecret-1-0'] },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.utilities', hardenedRuntime: true },
  dmg: { sign: false },
};
