import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChild, type Benchmark } from '../harness.js';
import { generateHar } from '../har-generate.js';

const CHILD = path.join(import.meta.dirname, '..', 'scanner-child.ts');
const MB = 2 ** 20;

interface ChildResult {
  ms: number;
  peakRssBytes: number;
  entries: number;
}

let dir = '';
let file = '';

/**
 * The hand-written streaming scanner (readHarFile: boundaries found byte by byte, JSON.parse per
 * entry) against stream-json (current major) and @streamparser/json on the same 100 MB file, each
 * delivering every entry as a value and nothing else. The target: faster than both, same run.
 */
export const harScanner: Benchmark = {
  name: 'har-scanner-vs-parsers',
  description: 'HAR scanner alone on a 100 MB Chrome-style HAR, every entry delivered as a value: MB/s; target faster than stream-json and @streamparser/json in the same run',
  unit: 'MB/s',
  defaultRuns: 1,
  async setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-scanner-'));
    file = path.join(dir, 'capture-100mb.har');
    const g = generateHar(file, 100 * MB);
    console.log(`\n  generated ${(g.bytes / MB).toFixed(0)} MB, ${g.entries} entries`);
  },
  async teardown() {
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const size = fs.statSync(file).size / MB;
    const xet = await runChild<ChildResult>(CHILD, ['xet', file]);
    const streamJson = await runChild<ChildResult>(CHILD, ['stream-json', file]);
    const streamParser = await runChild<ChildResult>(CHILD, ['streamparser', file]);
    const rate = (r: ChildResult) => size / (r.ms / 1000);
    const line = (name: string, r: ChildResult) => `${name} ${rate(r).toFixed(1)} MB/s (peak RSS ${(r.peakRssBytes / MB).toFixed(0)} MB, ${r.entries} entries)`;
    console.log(`\n  ${line('xet scanner', xet)} · ${line('stream-json 3', streamJson)} · ${line('@streamparser/json', streamParser)} · xet = ${(rate(xet) / rate(streamJson)).toFixed(1)}× stream-json, ${(rate(xet) / rate(streamParser)).toFixed(1)}× @streamparser/json`);
    if (streamJson.entries !== xet.entries || streamParser.entries !== xet.entries) throw new Error(`entry counts differ: ${xet.entries} / ${streamJson.entries} / ${streamParser.entries}`);
    harScanner.target = { min: Math.round(Math.max(rate(streamJson), rate(streamParser)) * 10) / 10 };
    return { value: rate(xet), peakRssBytes: xet.peakRssBytes };
  },
};
