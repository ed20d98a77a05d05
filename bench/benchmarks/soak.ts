import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../../test/fixtures/simulator/simulator.js';
import type { FaultMode } from '../../test/fixtures/simulator/appliance.js';
import { runChild, type Benchmark } from '../harness.js';
import { generateHar } from '../har-generate.js';
import type { SoakChecksConfig } from '../soak-checks-child.js';
import { flat, flatness, soakReport, SOAK_TARGETS, type SoakPoint } from '../soak-sampling.js';

const CHECKS_CHILD = path.join(import.meta.dirname, '..', 'soak-checks-child.ts');
const ARCHIVES_CHILD = path.join(import.meta.dirname, '..', 'soak-archives-child.ts');
const MB = 2 ** 20;

const CHECK_RUNS = 200;
const SAMPLE_EVERY = 10;
/** Every 5th run goes to a fault simulator, in turn: refusals, errors and timeouts have their own clean-up paths. */
const FAULT_EVERY = 5;
const FAULTS: { mode: FaultMode; timeoutMs?: number }[] = [{ mode: 'bad-credentials' }, { mode: 'clock-skew' }, { mode: 'changed-certificate' }, { mode: 'api-off' }, { mode: 'slow', timeoutMs: 800 }];

const ARCHIVES = 20;
const HAR_MB = 100;

let dir = '';
let sims: Simulator[] = [];

function report(points: SoakPoint[], what: string, extra: string): { value: number; ok: boolean } {
  const f = flatness(points);
  console.log(`\n  ${extra}\n${soakReport(points, what)}`);
  return { value: f.rssMB, ok: flat(f) };
}

/**
 * 200 full check runs in one process (the core, its store and log files as the web host has them),
 * against the healthy simulator with every 5th run against a fault mode; RSS and heap after a forced
 * GC and open descriptors every 10 runs. Value: RSS growth (last quarter over the second, MB).
 */
export const soakChecks: Benchmark = {
  name: 'soak-checks',
  description: `${CHECK_RUNS} check runs in one process (healthy; every ${FAULT_EVERY}th: ${FAULTS.map((f) => f.mode).join(', ')}), sampled every ${SAMPLE_EVERY}: RSS growth MB; heap ≤ ${SOAK_TARGETS.heapMB} MB and fds ±${SOAK_TARGETS.fds} too`,
  unit: 'MB',
  target: { max: SOAK_TARGETS.rssMB },
  defaultRuns: 1,
  async setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-soak-checks-'));
    sims = [await startSimulator({ mode: 'healthy' }), ...(await Promise.all(FAULTS.map((f) => startSimulator({ mode: f.mode, ...(f.mode === 'slow' ? { slowMs: 2000 } : {}) }))))];
  },
  async teardown() {
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const config: SoakChecksConfig = {
      runs: CHECK_RUNS,
      every: SAMPLE_EVERY,
      faultEvery: FAULT_EVERY,
      endpointsFile: sims[0]!.endpointsFile,
      targets: sims.map((s, i) => ({ mode: s.mode, httpsPort: s.httpsPort, httpPort: s.httpPort, sha256: s.pinnedSha256, password: s.password, ...(i > 0 && FAULTS[i - 1]!.timeoutMs ? { timeoutMs: FAULTS[i - 1]!.timeoutMs } : {}) })),
    };
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify(config));
    const r = await runChild<{ points: SoakPoint[]; ms: number; outcomes: Record<string, number>; peakRssBytes: number | null }>(CHECKS_CHILD, [file], ['--expose-gc']);
    const outcomes = Object.entries(r.outcomes).map(([k, n]) => `${n}× ${k}`).join(' · ');
    const { value, ok } = report(r.points, 'run', `${CHECK_RUNS} runs in ${(r.ms / 1000).toFixed(1)} s (${(r.ms / CHECK_RUNS).toFixed(0)} ms each) · ${outcomes}`);
    return { value, ok, ...(r.peakRssBytes ? { peakRssBytes: r.peakRssBytes } : {}) };
  },
};

/**
 * 20 support archives of a 100 MB HAR in one process through the archive service, password and
 * certificate in turn, each removed after its sample.
 */
export const soakArchives: Benchmark = {
  name: 'soak-archives',
  description: `${ARCHIVES} support archives of a ${HAR_MB} MB HAR in one process (password and certificate in turn), sampled after each: RSS growth MB; heap ≤ ${SOAK_TARGETS.heapMB} MB and fds ±${SOAK_TARGETS.fds} too`,
  unit: 'MB',
  target: { max: SOAK_TARGETS.rssMB },
  defaultRuns: 1,
  async setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-soak-archives-'));
    const g = generateHar(path.join(dir, 'capture.har'), HAR_MB * MB, 7);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=soak'], { stdio: 'ignore' });
    console.log(`\n  generated ${(g.bytes / MB).toFixed(0)} MB, ${g.entries} entries`);
  },
  async teardown() {
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const r = await runChild<{ points: SoakPoint[]; ms: number; bytes: number[]; peakRssBytes: number | null }>(ARCHIVES_CHILD, [path.join(dir, 'capture.har'), path.join(dir, 'cert.pem'), String(ARCHIVES)], ['--expose-gc']);
    const sizes = `${(Math.min(...r.bytes) / MB).toFixed(1)}–${(Math.max(...r.bytes) / MB).toFixed(1)} MB each`;
    const { value, ok } = report(r.points, 'arch.', `${ARCHIVES} archives in ${(r.ms / 1000).toFixed(1)} s (${(r.ms / ARCHIVES / 1000).toFixed(1)} s each, ${sizes})`);
    return { value, ok, ...(r.peakRssBytes ? { peakRssBytes: r.peakRssBytes } : {}) };
  },
};
