#!/usr/bin/env node
// Launcher for the compiled CLI; `npm ci` builds it (the `prepare` script).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/electron/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('xet: the CLI is not built yet. Run `npm run build` in the project folder.\n');
  process.exit(2);
}
// `xet --version` and `xet help` alone answer from package.json and the build's manifest (see
// program.ts), without loading the CLI: they are what a user runs first. Anything else goes to main.
const args = process.argv.slice(2);
const manifest = new URL('../dist/electron/cli/cli-manifest.json', import.meta.url);
if (args.length === 1 && ['--version', '-V', 'version'].includes(args[0])) {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else if (args.length === 1 && ['help', '--help', '-h'].includes(args[0]) && existsSync(fileURLToPath(manifest))) {
  process.stdout.write(`${JSON.parse(readFileSync(manifest, 'utf8')).help}\n`);
} else {
  await import(entry.href);
}
