import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { sanitizeHarFile } from '../electron/core/har/har-sanitize-file.js';
import { peakRssOf } from './harness.js';

/**
 * One measured run in its own process, so its peak RSS (VmHWM) is its own:
 *   baseline IN OUT — readFile, JSON.parse, JSON.stringify, writeFile (what a naive tool does)
 *   sanitize IN OUT — xet's streaming sanitiser with one known secret and one keyword
 *   sanitize-keep IN OUT — the same with --keep-bodies (HTML/JS/CSS kept and scrubbed)
 * Prints one JSON line: { ms, peakRssBytes, … }.
 */
const [mode, input, output] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
let extra: Record<string, unknown> = {};
if (mode === 'baseline') {
  const doc = JSON.parse(fs.readFileSync(input, 'utf8')) as unknown;
  fs.writeFileSync(output, JSON.stringify(doc));
} else if (mode === 'sanitize' || mode === 'sanitize-keep') {
  const { report } = await sanitizeHarFile(input, output, { knownSecrets: ['BenchAppliancePass42'], keywords: ['esa01.corp.example'], keepBodies: mode === 'sanitize-keep' });
  extra = { entries: report.input.entries, redactions: report.totals.redactions, bodiesDropped: report.totals.bodiesDropped };
} else {
  throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, peakRssBytes: peakRssOf(process.pid) ?? process.resourceUsage().maxRSS * 1024, ...extra }));
