import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { median, type Benchmark } from '../harness.js';
import { generateHar } from '../har-generate.js';

const run = promisify(execFile);
const CHILD = path.join(import.meta.dirname, '..', 'archive-child.mjs');
const MB = 2 ** 20;
const PASSWORD = 'bench-Archive-Lynx-7731';

interface ChildResult {
  ms: number;
  peakRssBytes: number;
  bytes: number;
}

async function ours(mode: 'password' | 'certificate' | 'container', input: string, output: string, extra: string): Promise<ChildResult> {
  const { stdout } = await run(process.execPath, [CHILD, mode, input, output, extra], { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
  fs.rmSync(output, { force: true });
  return result;
}

/** Wall time of a stock tool on the same input. */
async function stock(cmd: string, args: string[], output: string): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  await run(cmd, args, { maxBuffer: 1 << 20 });
  const ms = performance.now() - started;
  const bytes = fs.statSync(output).size;
  fs.rmSync(output, { force: true });
  return { ms, bytes };
}

let dir = '';
let input = '';
let cert = '';

async function setupInputs(sizeMb: number) {
  stockRates.clear();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-archive-'));
  input = path.join(dir, `capture-${sizeMb}mb.har`);
  const g = generateHar(input, sizeMb * MB, 5);
  cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', cert, '-days', '2', '-subj', '/CN=bench'], { stdio: 'ignore' });
  console.log(`\n  generated ${(g.bytes / MB).toFixed(0)} MB, ${g.entries} entries`);
}

async function teardown() {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The stock tool's rate in every sample so far, per benchmark (reset by setupInputs). */
const stockRates = new Map<string, number[]>();

/**
 * Our archive of the input against a stock tool on the same raw file in the same sample (so both
 * see the same machine load). The target is `factor` × the tool's median rate over the samples,
 * compared with our median: the tool's own rate varies by a third from run to run on this machine.
 */
async function againstStock(b: Benchmark, factor: number, command: string[], stockOut: string, mode: 'password' | 'certificate', extra: string) {
  const size = fs.statSync(input).size / MB;
  const [cmd, ...args] = command as [string, ...string[]];
  const tool = await stock(cmd, args, stockOut);
  const r = await ours(mode, input, path.join(dir, mode === 'password' ? 'ours.zip' : 'ours.p7m'), extra);
  const stockRate = size / (tool.ms / 1000);
  const rates = [...(stockRates.get(b.name) ?? []), stockRate];
  stockRates.set(b.name, rates);
  b.target = { min: Math.round(median(rates) * factor * 10) / 10 };
  return { size, rate: size / (r.ms / 1000), stockRate, stockBytes: tool.bytes, r };
}

/**
 * The whole `archive create` path (sanitise, deflate, WinZip AES-256, fsync, rename) against stock
 * 7-Zip only zipping and encrypting the same raw file: target ≥ 2.5× of 7-Zip's rate in the same run
 * (issue 17; it was 0.8×). Dropping HTML/JS/CSS bodies leaves less to deflate than 7-Zip gets.
 */
export const archivePassword: Benchmark = {
  name: 'archive-password-vs-7z',
  description: 'Password archive of a 256 MB HAR (sanitise + zip + AES-256): MB/s of input; target ≥ 2.5× `7z a -tzip -mem=AES256 -mx=5` of the same file in the same run',
  unit: 'MB/s',
  defaultRuns: 2,
  setup: () => setupInputs(256),
  teardown,
  async sample() {
    const out7 = path.join(dir, 'seven.zip');
    const { rate, stockRate, stockBytes, r } = await againstStock(archivePassword, 2.5, ['7z', 'a', '-tzip', '-mem=AES256', '-mx=5', `-p${PASSWORD}`, out7, input], out7, 'password', PASSWORD);
    console.log(
      `\n  7z ${stockRate.toFixed(1)} MB/s → ${(stockBytes / MB).toFixed(0)} MB · xet ${rate.toFixed(1)} MB/s = ${(rate / stockRate).toFixed(2)}× → ${(r.bytes / MB).toFixed(0)} MB (sanitised: bodies dropped) · peak RSS ${(r.peakRssBytes / MB).toFixed(0)} MB`,
    );
    return { value: rate, peakRssBytes: r.peakRssBytes };
  },
};

/** The certificate archive against stock OpenSSL encrypting the same raw file (no zip, no sanitising): target ≥ 1.0× (issue 17; it was 0.8×). */
export const archiveCertificate: Benchmark = {
  name: 'archive-certificate-vs-openssl',
  description: 'Certificate archive of a 256 MB HAR (sanitise + zip + CMS AES-256-CBC): MB/s of input; target ≥ 1.0× `openssl cms -encrypt -aes256 -binary -outform DER` of the same file',
  unit: 'MB/s',
  defaultRuns: 2,
  setup: () => setupInputs(256),
  teardown,
  async sample() {
    const outSsl = path.join(dir, 'openssl.p7m');
    const { size, rate, stockRate: sslRate, stockBytes, r } = await againstStock(
      archiveCertificate,
      1.0,
      ['openssl', 'cms', '-encrypt', '-aes256', '-binary', '-outform', 'DER', '-in', input, '-out', outSsl, cert],
      outSsl,
      'certificate',
      cert,
    );
    const c = await ours('container', input, path.join(dir, 'container.p7m'), cert);
    const containerRate = size / (c.ms / 1000);
    console.log(
      `\n  openssl cms ${sslRate.toFixed(1)} MB/s → ${(stockBytes / MB).toFixed(0)} MB · xet end to end ${rate.toFixed(1)} MB/s = ${(rate / sslRate).toFixed(2)}× → ${(r.bytes / MB).toFixed(0)} MB · peak RSS ${(r.peakRssBytes / MB).toFixed(0)} MB` +
        ` · container only (raw file zipped into CMS, no sanitising) ${containerRate.toFixed(1)} MB/s = ${(containerRate / sslRate).toFixed(2)}×`,
    );
    return { value: rate, peakRssBytes: r.peakRssBytes };
  },
};

/** A 1 GiB input in bounded memory. */
export const archive1GiB: Benchmark = {
  name: 'archive-1gib-rss',
  description: 'Password archive of a 1 GiB HAR: peak RSS of the building process (MB); target < 250 MB',
  unit: 'MB/s',
  defaultRuns: 1,
  setup: () => setupInputs(1024),
  teardown,
  async sample() {
    const size = fs.statSync(input).size / MB;
    const r = await ours('password', input, path.join(dir, 'big.zip'), PASSWORD);
    const rss = r.peakRssBytes / MB;
    console.log(`\n  ${size.toFixed(0)} MB in ${(r.ms / 1000).toFixed(1)} s = ${(size / (r.ms / 1000)).toFixed(1)} MB/s · peak RSS ${rss.toFixed(0)} MB (target < 250 MB)`);
    if (rss >= 250) throw new Error(`peak RSS ${rss.toFixed(0)} MB ≥ 250 MB`);
    return { value: size / (r.ms / 1000), peakRssBytes: r.peakRssBytes };
  },
};
