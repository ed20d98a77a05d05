import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, runChild, type Benchmark } from '../harness.js';
import { generateHar, PLANTED } from '../har-generate.js';

const CHILD = path.join(import.meta.dirname, '..', 'har-child.ts');
const MB = 2 ** 20;

interface ChildResult {
  ms: number;
  peakRssBytes: number;
  entries?: number;
  redactions?: number;
}

/** Runs one measurement in a fresh Node process (tsx only compiles; the measured code is plain JS). */
async function child(mode: 'baseline' | 'sanitize' | 'sanitize-keep', input: string, output: string): Promise<ChildResult> {
  const result = await runChild<ChildResult>(CHILD, [mode, input, output]);
  fs.rmSync(output, { force: true });
  return result;
}

/** A streamed byte search: is any planted secret still in the file? */
function leaked(file: string): string[] {
  const needles = Object.values(PLANTED).map((s) => Buffer.from(s));
  const found = new Set<string>();
  const fd = fs.openSync(file, 'r');
  const chunk = Buffer.alloc(8 * MB);
  let carry = Buffer.alloc(0);
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    const window = Buffer.concat([carry, chunk.subarray(0, n)]);
    for (const needle of needles) if (window.includes(needle)) found.add(needle.toString());
    carry = window.subarray(Math.max(0, window.length - 256));
  }
  fs.closeSync(fd);
  return [...found];
}

let dir = '';
let file100 = '';
let file1500 = '';

function fresh(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-har-'));
}

/** The baseline's rate in each sample of har-sanitize-100mb so far. */
const baseRates: number[] = [];

/**
 * Sanitising a 100 MB HAR against the floor a naive tool cannot beat: JSON.parse + JSON.stringify
 * of the same file (each sample measures both, in separate processes). The target is 2.0× the
 * baseline's median over the samples, with a peak RSS below 250 MB; --keep-bodies is shown against 1.2×.
 */
export const harSanitize100: Benchmark = {
  name: 'har-sanitize-100mb',
  description: 'Sanitise a 100 MB Chrome-style HAR (streaming, in a child process): MB/s; target ≥ 2.0× JSON.parse+JSON.stringify of the same file, peak RSS < 250 MB (--keep-bodies shown against 1.2×)',
  unit: 'MB/s',
  defaultRuns: 3,
  async setup() {
    baseRates.length = 0;
    dir = fresh();
    file100 = path.join(dir, 'capture-100mb.har');
    const g = generateHar(file100, 100 * MB);
    console.log(`\n  generated ${(g.bytes / MB).toFixed(0)} MB, ${g.entries} entries`);
  },
  async teardown() {
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const size = fs.statSync(file100).size / MB;
    const base = await child('baseline', file100, path.join(dir, 'baseline.json'));
    const out = path.join(dir, 'clean.har');
    const s = await runChild<ChildResult>(CHILD, ['sanitize', file100, out]);
    const left = leaked(out);
    fs.rmSync(out, { force: true });
    // With --keep-bodies there is more to scan and to write: shown against its own 1.2× (not failing the run).
    const keep = await child('sanitize-keep', file100, path.join(dir, 'keep.har'));
    const baseRate = size / (base.ms / 1000);
    const rate = size / (s.ms / 1000);
    const keepRate = size / (keep.ms / 1000);
    // The target follows the baseline of the same samples: 2 × its median over the samples so far,
    // set against our median (issue 17: "same run, same file, medians"), as the archive benchmarks do.
    baseRates.push(baseRate);
    harSanitize100.target = { min: Math.round(median(baseRates) * 2 * 10) / 10 };
    console.log(
      `\n  baseline JSON.parse+stringify ${baseRate.toFixed(1)} MB/s (peak RSS ${(base.peakRssBytes / MB).toFixed(0)} MB)` +
        ` · sanitise ${rate.toFixed(1)} MB/s = ${(rate / baseRate).toFixed(2)}× (peak RSS ${(s.peakRssBytes / MB).toFixed(0)} MB, target < 250 MB)` +
        ` · ${s.entries} entries, ${s.redactions} redactions, planted secrets left: ${left.length}` +
        ` · with --keep-bodies ${keepRate.toFixed(1)} MB/s = ${(keepRate / baseRate).toFixed(2)}× (target ≥ 1.2×; peak RSS ${(keep.peakRssBytes / MB).toFixed(0)} MB)`,
    );
    if (left.length) throw new Error(`planted secrets survived: ${left.join(', ')}`);
    if (s.peakRssBytes >= 250 * MB) throw new Error(`peak RSS ${(s.peakRssBytes / MB).toFixed(0)} MB ≥ 250 MB`);
    return { value: rate, peakRssBytes: s.peakRssBytes };
  },
};

/** A 1.5 GB HAR (three times V8's largest string) sanitised in bounded memory. */
export const harSanitize1500: Benchmark = {
  name: 'har-sanitize-1.5gb',
  description: 'Sanitise a 1.5 GB Chrome-style HAR (beyond V8’s string limit) in a child process: MB/s; peak RSS must stay < 400 MB',
  unit: 'MB/s',
  defaultRuns: 1,
  async setup() {
    dir = fresh();
    file1500 = path.join(dir, 'capture-1500mb.har');
    const g = generateHar(file1500, 1536 * MB, 2);
    console.log(`\n  generated ${(g.bytes / MB).toFixed(0)} MB, ${g.entries} entries`);
  },
  async teardown() {
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const size = fs.statSync(file1500).size / MB;
    const out = path.join(dir, 'clean.har');
    const s = await runChild<ChildResult>(CHILD, ['sanitize', file1500, out]);
    const left = leaked(out);
    fs.rmSync(out, { force: true });
    const rate = size / (s.ms / 1000);
    console.log(`\n  sanitise ${size.toFixed(0)} MB at ${rate.toFixed(1)} MB/s in ${(s.ms / 1000).toFixed(1)} s · peak RSS ${(s.peakRssBytes / MB).toFixed(0)} MB (target < 400 MB) · ${s.entries} entries · planted secrets left: ${left.length}`);
    if (left.length) throw new Error(`planted secrets survived: ${left.join(', ')}`);
    if (s.peakRssBytes >= 400 * MB) throw new Error(`peak RSS ${(s.peakRssBytes / MB).toFixed(0)} MB ≥ 400 MB`);
    return { value: rate, peakRssBytes: s.peakRssBytes };
  },
};
