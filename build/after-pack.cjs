'use strict';
// electron-builder afterPack hook: the better-sqlite3 binary we ship must match Electron's ABI.
const fs = require('node:fs');
const path = require('node:path');
const { assertAddonAbi } = require('./native-abi.cjs');

module.exports = async function afterPack(context) {
  const electronDir = path.dirname(require.resolve('electron/package.json'));
  const expected = Number(fs.readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim());
  const resources =
    context.electronPlatformName === 'darwin'
      ? path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`, 'Contents', 'Resources')
      : path.join(context.appOutDir, 'resources');
  const addon = path.join(resources, 'native', 'better_sqlite3.node');
  if (!fs.existsSync(addon)) throw new Error(`Packaged app lacks ${addon}; run scripts/build-native-electron.mjs first.`);
  assertAddonAbi(addon, expected, `Electron ${require('electron/package.json').version}`);
};
