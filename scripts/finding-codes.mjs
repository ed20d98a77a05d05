// Prints the README's finding-code table from resources/findings.json (a test keeps them equal).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function findingCodesTable() {
  const { findings } = JSON.parse(fs.readFileSync(path.join(root, 'resources', 'findings.json'), 'utf8'));
  const clean = (s) => s.replace(/\{(\w+)\}/g, '‹$1›').replace(/\|/g, '\\|');
  const rows = findings.map((f) => `| \`${f.code}\` | ${f.severity} | ${f.seedStep ?? '–'} | ${clean(f.title.en)} | ${clean(f.remediation.en[0])}${f.ces ? ` CES: ${clean(f.ces.en[0])}` : ''} |`);
  return ['| code | severity | step | meaning | first remediation step |', '|---|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${findingCodesTable()}\n`);
