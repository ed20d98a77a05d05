import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { peakRssOf } from './harness.js';
import { samplePoint, soakCore, type SoakPoint } from './soak-sampling.js';

/**
 * Check runs in a row in one process, as the web host runs them: one core (its SQLite store and its
 * log files in a fresh data folder), `checks.start` through the dispatcher, the end heard on the
 * event bus (as the host's event stream does), then `runs.get` and now and then `runs.list` as the UI
 * asks. The simulators run in the parent, so sockets and memory sampled here are the app's own.
 *   soak-checks-child.ts CONFIG.json
 * Prints one JSON line: { points, ms, outcomes, peakRssBytes }.
 */
export interface SoakChecksConfig {
  runs: number;
  every: number;
  endpointsFile: string;
  /** The first target is healthy; every `faultEvery`-th run goes to the next fault target in turn. */
  targets: { mode: string; httpsPort: number; httpPort: number; sha256: string; password: string; timeoutMs?: number }[];
  faultEvery: number;
}

const config = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as SoakChecksConfig;
const { core, dataDir } = soakCore('soak-checks', { endpointsFile: config.endpointsFile });

const profiles = config.targets.map((t) => ({
  ...t,
  id: core.profiles.create(
    { name: `soak-${t.mode}`, kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: t.httpsPort, httpsEnabled: true, httpPort: t.httpPort, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'pin', sha256: t.sha256 } },
    t.password,
  ).id,
}));

const finishedRuns = new Set<string>();
let wake: (() => void) | null = null;
const unsubscribe = core.bus.subscribe((name, payload) => {
  if (name !== 'checks.finished') return;
  finishedRuns.add((payload as { runId: string }).runId);
  wake?.();
});

async function finishedOf(runId: string): Promise<void> {
  while (!finishedRuns.has(runId)) await new Promise<void>((resolve) => (wake = resolve));
  finishedRuns.delete(runId);
}

async function oneRun(i: number): Promise<string> {
  const fault = config.faultEvery > 0 && i % config.faultEvery === 0 && profiles.length > 1;
  const target = fault ? profiles[1 + ((i / config.faultEvery - 1) % (profiles.length - 1))]! : profiles[0]!;
  const started = await core.dispatcher.dispatch('checks.start', { profileId: target.id, ...(target.timeoutMs ? { timeoutMs: target.timeoutMs } : {}) });
  if (!started.ok) throw new Error(`checks.start: ${started.error.code} ${started.error.message}`);
  const { runId } = started.value as { runId: string };
  await finishedOf(runId);
  const run = await core.dispatcher.dispatch('runs.get', { id: runId });
  if (!run.ok) throw new Error(`runs.get: ${run.error.code} ${run.error.message}`);
  const { state, findings } = run.value as { state: string; findings: { code: string }[] };
  if (state !== 'completed') throw new Error(`run ${i} (${target.mode}) ended ${state}`);
  if (i % config.every === 0) {
    const list = await core.dispatcher.dispatch('runs.list', { profileId: target.id, limit: 50 });
    if (!list.ok) throw new Error(`runs.list: ${list.error.code}`);
  }
  return `${target.mode}: ${findings.map((f) => f.code).join(',') || 'no findings'}`;
}

const points: SoakPoint[] = [await samplePoint(0)];
const outcomes = new Map<string, number>();
const t0 = performance.now();
for (let i = 1; i <= config.runs; i++) {
  const outcome = await oneRun(i);
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  if (i % config.every === 0) points.push(await samplePoint(i));
}
const ms = performance.now() - t0;
unsubscribe();
core.close();
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ points, ms, outcomes: Object.fromEntries(outcomes), peakRssBytes: peakRssOf(process.pid) ?? null }));
