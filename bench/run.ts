import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarks } from './benchmarks/index.js';
import { runBenchmark, table, type BenchResult } from './harness.js';
import { ROOT } from '../test/support/web-host-process.js';

const { values, positionals } = parseArgs({
  options: { runs: { type: 'string' }, list: { type: 'boolean', default: false } },
  allowPositionals: true,
});

if (values.list) {
  for (const b of benchmarks) console.log(`${b.name.padEnd(32)} ${b.description}`);
  process.exit(0);
}

const chosen = positionals.length ? benchmarks.filter((b) => positionals.includes(b.name)) : benchmarks;
const unknown = positionals.filter((p) => !benchmarks.some((b) => b.name === p));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')} (see npm run bench -- --list)`);
  process.exit(2);
}
const runs = values.runs === undefined ? undefined : Number(values.runs);
if (runs !== undefined && (!Number.isInteger(runs) || runs < 1)) {
  console.error('--runs must be a positive whole number');
  process.exit(2);
}

const results: BenchResult[] = [];
for (const b of chosen) {
  process.stdout.write(`running ${b.name}… `);
  const r = await runBenchmark(b, runs);
  console.log(`${r.median} ${r.unit}`);
  results.push(r);
}

console.log(`\n${table(results)}\n`);
const machine = { node: process.version, platform: `${process.platform} ${os.release()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGB: Math.round(os.totalmem() / 2 ** 30) };
const out = path.join(ROOT, 'bench-results.json');
fs.writeFileSync(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, results }, null, 2)}\n`);
console.log(`written ${path.relative(process.cwd(), out)}`);
process.exitCode = results.some((r) => r.pass === false) ? 1 : 0;
