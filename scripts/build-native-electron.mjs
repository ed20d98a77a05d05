#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into native/electron/, apart from node_modules (which
// keeps the Node build for tests, the CLI and the web host). Needs the Electron headers, so it
// needs the internet once; on an offline machine it stops with a clear message.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { assertAddonAbi } = require('../build/native-abi.cjs');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const electronPkg = require('electron/package.json');
const expectedAbi = Number(fs.readFileSync(path.join(path.dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim());
const target = path.join(root, 'native', 'electron', 'better_sqlite3.node');

if (fs.existsSync(target)) {
  try {
    assertAddonAbi(target, expectedAbi, `Electron ${electronPkg.version}`);
    console.log(`native/electron/better_sqlite3.node is built for Electron ${electronPkg.version} (ABI ${expectedAbi}).`);
    process.exit(0);
  } catch (error) {
    console.log(`${error.message}\nRebuilding…`);
  }
}

const work = path.join(root, 'native', 'electron', 'work');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
fs.cpSync(path.dirname(require.resolve('better-sqlite3/package.json')), path.join(work, 'better-sqlite3'), {
  recursive: true,
  filter: (src) => !src.includes(`${path.sep}build${path.sep}`),
});

// ~/.npmrc on some machines sets nodedir, which would silently compile against Node's headers.
const env = { ...process.env };
for (const key of Object.keys(env)) if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
try {
  execFileSync(
    process.execPath,
    [nodeGyp, 'rebuild', '--release', `--target=${electronPkg.version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'],
    { cwd: path.join(work, 'better-sqlite3'), env, stdio: 'inherit' },
  );
} catch {
  fs.rmSync(work, { recursive: true, force: true });
  console.error(
    `\nCould not build better-sqlite3 for Electron ${electronPkg.version}. This step downloads Electron's headers once; ` +
      'run it on a machine with internet access. Tests, the CLI and `npm run web` do not need it.',
  );
  process.exit(1);
}
const built = path.join(work, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
assertAddonAbi(built, expectedAbi, `Electron ${electronPkg.version}`);
fs.copyFileSync(built, target);
fs.rmSync(work, { recursive: true, force: true });
console.log(`Built ${path.relative(root, target)} for Electron ${electronPkg.version} (ABI ${expectedAbi}).`);
