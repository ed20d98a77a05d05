#!/usr/bin/env node
// Launcher for the compiled CLI; `npm ci` builds it (the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/electron/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('xet: the CLI is not built yet. Run `npm run build` in the project folder.\n');
  process.exit(2);
}
await import(entry.href);
