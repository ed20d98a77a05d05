import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FaultMode } from '../../test/fixtures/simulator/appliance.js';
import { startSimulator, type Simulator } from '../../test/fixtures/simulator/simulator.js';
import type { CheckAllConfig } from '../check-all-child.js';
import { runChild, type Benchmark } from '../harness.js';

const CHILD = path.join(import.meta.dirname, '..', 'check-all-child.ts');
const PROFILES = 50;
const CONCURRENCY = 8;
const MAX_RSS_MB = 300;
/** Ten appliance behaviours, five profiles each; the cloud stand-ins of the first serve them all. */
const MODES: FaultMode[] = ['healthy', 'api-off', 'http-off', 'bad-credentials', 'jwt-expiry', 'old-version', 'slow', 'clock-skew', 'resource-pressure', 'changed-certificate'];

let dir = '';
let sims: Simulator[] = [];

/**
 * `checks.startAll` over 50 profiles against ten simulated appliances (one per fault mode) at
 * concurrency 8, in one fresh process. Value: the batch's wall time as a multiple of one profile's
 * run in the same process (target ≤ 6×); the child's peak RSS must stay under 300 MB.
 */
export const checkAll50: Benchmark = {
  name: 'check-all-50',
  description: `${PROFILES} profiles (${MODES.length} fault modes) through checks.startAll at concurrency ${CONCURRENCY}: wall time ÷ one profile's run (target ≤ 6×), peak RSS < ${MAX_RSS_MB} MB`,
  unit: 'x',
  target: { max: 6 },
  defaultRuns: 1,
  async setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-check-all-'));
    sims = await Promise.all(MODES.map((mode) => startSimulator({ mode, ...(mode === 'slow' ? { slowMs: 100 } : {}) })));
  },
  async teardown() {
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
    fs.rmSync(dir, { recursive: true, force: true });
  },
  async sample() {
    const config: CheckAllConfig = {
      profiles: PROFILES,
      concurrency: CONCURRENCY,
      endpointsFile: sims[0]!.endpointsFile,
      targets: sims.map((s) => ({ mode: s.mode, httpsPort: s.httpsPort, httpPort: s.httpPort, sha256: s.pinnedSha256, password: s.password })),
    };
    const file = path.join(dir, 'config.json');
    fs.writeFileSync(file, JSON.stringify(config));
    // The simulated appliances and cloud run in this process: their CPU over the batch is this process's.
    const simCpu = process.cpuUsage();
    const r = await runChild<{ floorMs: number; soloByMode: Record<string, number>; singleCpuMs: number; batchCpuMs: number; singleMs: number; batchMs: number; states: Record<string, number>; findings: string[]; byMode: Record<string, number[]>; peakRssBytes: number | null }>(CHILD, [file]);
    const simCpuUsed = process.cpuUsage(simCpu);
    const simCpuMs = (simCpuUsed.user + simCpuUsed.system) / 1000;
    const ratio = r.batchMs / r.singleMs;
    const rssMB = r.peakRssBytes ? r.peakRssBytes / 2 ** 20 : null;
    console.log(
      `\n  one run ${r.singleMs.toFixed(0)} ms · ${PROFILES} at ${CONCURRENCY} ${r.batchMs.toFixed(0)} ms = ${ratio.toFixed(2)}× · schedule floor ${r.floorMs.toFixed(0)} ms = ${(r.floorMs / r.singleMs).toFixed(2)}× (each mode alone, ms: ${Object.entries(r.soloByMode).map(([m, ms]) => `${m} ${ms.toFixed(0)}`).join(', ')}) · CPU one ${r.singleCpuMs.toFixed(0)} ms, all ${r.batchCpuMs.toFixed(0)} ms, simulators over the whole child (solo runs included) ${simCpuMs.toFixed(0)} ms on ${os.availableParallelism()} CPUs · peak RSS ${rssMB?.toFixed(0) ?? '?'} MB · ${Object.entries(r.states).map(([s, n]) => `${n} ${s}`).join(', ')} · ms by mode ${JSON.stringify(r.byMode)} · findings ${r.findings.join(', ')}`,
    );
    const allDone = r.states.done === PROFILES;
    return { value: ratio, ok: allDone && rssMB !== null && rssMB < MAX_RSS_MB, ...(r.peakRssBytes ? { peakRssBytes: r.peakRssBytes } : {}) };
  },
};
