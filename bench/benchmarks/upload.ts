import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { makeAuthority } from '../../test/fixtures/simulator/certs.js';
import { startCxd, type CxdStandIn } from '../../test/fixtures/simulator/cxd.js';
import { median, type Benchmark } from '../harness.js';

const run = promisify(execFile);
const CHILD = path.join(import.meta.dirname, '..', 'upload-child.mjs');
const MB = 2 ** 20;
const CASE = '698765432';

let dir = '';
let archive = '';
let endpoints = '';
let caFile = '';
let cxd: CxdStandIn | null = null;
let n = 0;
const curlRates: number[] = [];

/** What the stand-in stored, checked against the file and removed (256 MB a sample would fill /tmp). */
function takeStored(name: string): void {
  const stored = cxd!.stored.get(`${CASE}/${name}`);
  if (!stored || stored.bytes !== fs.statSync(archive).size) throw new Error(`the stand-in did not store ${name} whole`);
  fs.rmSync(stored.path, { force: true });
}

/**
 * `archive.upload` of a 256 MB AES zip to the loopback CXD stand-in (TLS, Basic auth, Expect:
 * 100-continue, stored to disk and hashed by the stand-in) against `curl -T` of the same file to the
 * same stand-in in the same sample; target ≥ 0.9× curl's median rate, peak RSS < 150 MB.
 */
export const upload256: Benchmark = {
  name: 'upload-256mb',
  description: 'Upload of a 256 MB support archive to the loopback CXD stand-in (HTTPS PUT, Expect: 100-continue): MB/s; target ≥ 0.9× `curl -T` of the same file to it in the same run, peak RSS < 150 MB',
  unit: 'MB/s',
  defaultRuns: 3,
  async setup() {
    curlRates.length = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-upload-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"format":"bench"}');
    execFileSync('head', ['-c', String(256 * MB), '/dev/urandom'], { stdio: ['ignore', fs.openSync(path.join(dir, 'blob.bin'), 'w'), 'inherit'] });
    archive = path.join(dir, 'support.zip');
    execFileSync('7z', ['a', '-tzip', '-mx=0', '-mem=AES256', '-pbench-Upload-Heron-8812', archive, path.join(dir, 'manifest.json'), path.join(dir, 'blob.bin')], { stdio: 'ignore' });
    fs.rmSync(path.join(dir, 'blob.bin'));
    const root = makeAuthority('Bench Cloud Root');
    caFile = path.join(dir, 'root.pem');
    fs.writeFileSync(caFile, root.certPem);
    cxd = await startCxd({ mode: 'cxd-ok', issuer: root });
    endpoints = path.join(dir, 'endpoints.json');
    fs.writeFileSync(endpoints, JSON.stringify({ threatResponse: cxd.url, ssePortal: cxd.url, xdrPortal: cxd.url, cxd: cxd.url, trustedCaFile: caFile }));
    console.log(`\n  archive ${(fs.statSync(archive).size / MB).toFixed(0)} MB (7-Zip AES-256, stored)`);
  },
  async teardown() {
    await cxd?.close();
    cxd = null;
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const size = fs.statSync(archive).size / MB;
    n++;
    const curlName = `curl-${n}.zip`;
    const started = performance.now();
    const { stdout } = await run('curl', ['-sS', '-T', archive, '--cacert', caFile, '-u', `${CASE}:${cxd!.token}`, '-o', '/dev/null', '-w', '%{http_code}', `${cxd!.url}home/${curlName}`]);
    const curlMs = performance.now() - started;
    if (stdout.trim() !== '201') throw new Error(`curl got HTTP ${stdout}`);
    takeStored(curlName);
    // Our upload sends the file under its own name: a hard link gives each sample a new one without a copy.
    const ours = path.join(dir, `ours-${n}.zip`);
    fs.linkSync(archive, ours);
    const child = await run(process.execPath, [CHILD, ours, endpoints, CASE, cxd!.token], { maxBuffer: 1 << 20 });
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; peakRssBytes: number; status: number };
    takeStored(`ours-${n}.zip`);
    fs.rmSync(ours);
    const curlRate = size / (curlMs / 1000);
    const rate = size / (r.ms / 1000);
    curlRates.push(curlRate);
    upload256.target = { min: Math.round(median(curlRates) * 0.9 * 10) / 10 };
    const rssOk = r.peakRssBytes < 150 * MB;
    console.log(`\n  curl -T ${curlRate.toFixed(1)} MB/s · xet ${rate.toFixed(1)} MB/s = ${(rate / curlRate).toFixed(2)}× · peak RSS ${(r.peakRssBytes / MB).toFixed(0)} MB${rssOk ? '' : ' (over 150 MB)'}`);
    return { value: rate, peakRssBytes: r.peakRssBytes, ok: rssOk };
  },
};
