// tsc compiles only .ts: copy the SQL migrations beside the compiled store.
import fs from 'node:fs';
import path from 'node:path';

const from = path.join('electron', 'core', 'store', 'migrations');
const to = path.join('dist', 'electron', 'core', 'store', 'migrations');
fs.rmSync(to, { recursive: true, force: true });
fs.mkdirSync(to, { recursive: true });
for (const f of fs.readdirSync(from)) if (f.endsWith('.sql')) fs.copyFileSync(path.join(from, f), path.join(to, f));
