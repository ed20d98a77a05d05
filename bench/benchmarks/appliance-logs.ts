import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { logHeader, logLine } from '../../test/fixtures/simulator/appliance-logs.js';
import { median, type Benchmark } from '../harness.js';

const run = promisify(execFile);
const CHILD = path.join(import.meta.dirname, '..', 'logs-child.mjs');
const MB = 2 ** 20;
const PASSWORD = 'bench-Logs-Heron-4471';
const SUBS = ['ctr_logs', 'api_logs', 'cli_logs', 'gui_logs', 'xdr_errors', 'mail_logs', 'updater_logs', 'system_logs'];
const o = { username: 'admin', password: 'Sim-Passw0rd!', hostname: 'esa1.example.com', offsetSeconds: 3600 };

let dir = '';
let files: string[] = [];
const stockRates: number[] = [];

/** 200 MB of realistic AsyncOS lines (addresses, host names, a JWT, Basic values, the password) in eight files. */
function generate(totalBytes: number): void {
  const per = Math.ceil(totalBytes / SUBS.length);
  const start = Date.now() - 20 * 86_400_000;
  files = SUBS.map((sub) => {
    const file = path.join(dir, `${sub}.@20261201T000000.s`);
    const fd = fs.openSync(file, 'w');
    let bytes = 0;
    let i = 0;
    fs.writeSync(fd, logHeader(start, o));
    while (bytes < per) {
      const lines: string[] = [];
      for (let k = 0; k < 2000; k++, i++) lines.push(logLine(sub, start + i * 1000, i, o));
      const chunk = `${lines.join('\n')}\n`;
      fs.writeSync(fd, chunk);
      bytes += Buffer.byteLength(chunk);
    }
    fs.closeSync(fd);
    return file;
  });
}

/** 200 MB of appliance logs cleaned and archived, against stock 7-Zip only zipping and encrypting the same raw files. */
export const archiveWithLogs: Benchmark = {
  name: 'archive-with-logs',
  description: 'Password archive of 200 MB of appliance logs (window, scrub, encrypted spool, zip + AES-256): MB/s of input; target ≥ 0.8× `7z a -tzip -mem=AES256 -mx=5` of the same raw files in the same run; peak RSS < 250 MB',
  unit: 'MB/s',
  defaultRuns: 2,
  async setup() {
    stockRates.length = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-logs-'));
    generate(200 * MB);
    console.log(`\n  generated ${(files.reduce((n, f) => n + fs.statSync(f).size, 0) / MB).toFixed(0)} MB in ${files.length} log files`);
  },
  async teardown() {
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const size = files.reduce((n, f) => n + fs.statSync(f).size, 0) / MB;
    const out7 = path.join(dir, 'seven.zip');
    const t0 = performance.now();
    await run('7z', ['a', '-tzip', '-mem=AES256', '-mx=5', `-p${PASSWORD}`, out7, ...files], { maxBuffer: 1 << 22 });
    const stockMs = performance.now() - t0;
    const stockBytes = fs.statSync(out7).size;
    fs.rmSync(out7, { force: true });
    const ours = path.join(dir, 'ours.zip');
    const child = await run(process.execPath, [CHILD, ours, PASSWORD, ...files], { maxBuffer: 1 << 20 });
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; collectMs: number; peakRssBytes: number; bytes: number; outputBytes: number };
    fs.rmSync(ours, { force: true });
    const stockRate = size / (stockMs / 1000);
    stockRates.push(stockRate);
    archiveWithLogs.target = { min: Math.round(median(stockRates) * 0.8 * 10) / 10 };
    const rate = size / (r.ms / 1000);
    const rss = r.peakRssBytes / MB;
    console.log(
      `\n  7z ${stockRate.toFixed(1)} MB/s → ${(stockBytes / MB).toFixed(0)} MB · xet ${rate.toFixed(1)} MB/s = ${(rate / stockRate).toFixed(2)}× → ${(r.bytes / MB).toFixed(0)} MB (cleaned text ${(r.outputBytes / MB).toFixed(0)} MB; cleaning ${(r.collectMs / 1000).toFixed(1)} s, archive ${((r.ms - r.collectMs) / 1000).toFixed(1)} s) · peak RSS ${rss.toFixed(0)} MB (target < 250 MB)`,
    );
    if (rss >= 250) throw new Error(`peak RSS ${rss.toFixed(0)} MB ≥ 250 MB`);
    return { value: rate, peakRssBytes: r.peakRssBytes };
  },
};
