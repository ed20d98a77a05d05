'use strict';
// Reads the Node ABI a native addon was compiled for, without loading it: addons built with
// NODE_MODULE_INIT export `node_register_module_v<ABI>`. Loading a wrong-ABI addon crashes the
// app at start, so packaging refuses a mismatch instead.
const fs = require('node:fs');

function readAddonAbi(file) {
  const text = fs.readFileSync(file).toString('latin1');
  const found = new Set([...text.matchAll(/node_register_module_v(\d+)/g)].map((m) => Number(m[1])));
  if (found.size !== 1) {
    throw new Error(`${file}: cannot tell which ABI this addon targets (found ${found.size ? [...found].join(', ') : 'no'} module version markers)`);
  }
  return [...found][0];
}

function assertAddonAbi(file, expected, runtimeLabel) {
  const actual = readAddonAbi(file);
  if (actual !== expected) {
    throw new Error(
      `${file} was built for ABI ${actual}, but ${runtimeLabel} needs ABI ${expected}. ` +
        'Rebuild it with `node scripts/build-native-electron.mjs` (it must not pick up ~/.npmrc nodedir), then package again.',
    );
  }
  return actual;
}

module.exports = { readAddonAbi, assertAddonAbi };
