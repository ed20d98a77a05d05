import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { BatchState } from '../electron/contract/overview.js';
import { peakRssOf } from './harness.js';
import { soakCore } from './soak-sampling.js';

/**
 * One core, as the web host has it: one profile's run timed alone, then every profile through
 * `checks.startAll` at the given concurrency, the end heard on the event bus.
 *   check-all-child.ts CONFIG.json
 * Prints one JSON line: { singleMs, batchMs, their CPU ms, the schedule's floor and each mode's run alone, states, findings, ms by mode, peakRssBytes }.
 */
export interface CheckAllConfig {
  profiles: number;
  concurrency: number;
  endpointsFile: string;
  targets: { mode: string; httpsPort: number; httpPort: number; sha256: string; password: string }[];
}

const config = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as CheckAllConfig;
const { core, dataDir } = soakCore('check-all', { endpointsFile: config.endpointsFile });

const ids = Array.from({ length: config.profiles }, (_, i) => {
  const t = config.targets[i % config.targets.length]!;
  return core.profiles.create(
    { name: `esa-${String(i).padStart(2, '0')}-${t.mode}`, kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: t.httpsPort, httpsEnabled: true, httpPort: t.httpPort, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'pin', sha256: t.sha256 } },
    t.password,
  ).id;
});

// The reference: one profile's full run in this very process (the healthy target, warmed once).
await core.checks.run({ profileId: ids[0]! });
const t0 = performance.now();
const cpu0 = process.cpuUsage();
await core.checks.run({ profileId: ids[0]! });
const singleMs = performance.now() - t0;
const singleCpu = process.cpuUsage(cpu0);

// What the schedule allows at best: each mode's run alone (one profile of each, in turn), then the
// batch's floor is the longest of them or the sum over all profiles spread over the concurrency.
const soloByMode: Record<string, number> = {};
for (let i = 0; i < Math.min(config.targets.length, ids.length); i++) {
  const t = performance.now();
  await core.checks.run({ profileId: ids[i]! });
  soloByMode[config.targets[i]!.mode] = performance.now() - t;
}
const soloOf = (i: number) => soloByMode[config.targets[i % config.targets.length]!.mode]!;
const soloSum = ids.reduce((sum, _id, i) => sum + soloOf(i), 0);
const floorMs = Math.max(Math.max(...Object.values(soloByMode)), soloSum / config.concurrency);

let resolve: (s: BatchState) => void = () => undefined;
const ended = new Promise<BatchState>((r) => (resolve = r));
const off = core.bus.subscribe((name, payload) => {
  if (name === 'checks.batch' && (payload as BatchState).state !== 'running') resolve(payload as BatchState);
});
const t1 = performance.now();
const cpu1 = process.cpuUsage();
const started = await core.dispatcher.dispatch('checks.startAll', { concurrency: config.concurrency });
if (!started.ok) throw new Error(`checks.startAll: ${started.error.code} ${started.error.message}`);
const final = await ended;
const batchMs = performance.now() - t1;
const batchCpu = process.cpuUsage(cpu1);
off();
const states: Record<string, number> = {};
for (const item of final.items) states[item.state] = (states[item.state] ?? 0) + 1;
const byMode: Record<string, number[]> = {};
for (const item of final.items) (byMode[item.profileName.replace(/^esa-\d+-/, '')] ??= []).push(item.summary?.durationMs ?? -1);
const findings = new Set(final.items.flatMap((i) => i.summary?.findingCodes ?? []));
core.close();
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ floorMs, soloByMode, singleCpuMs: (singleCpu.user + singleCpu.system) / 1000, batchCpuMs: (batchCpu.user + batchCpu.system) / 1000, singleMs, batchMs, states, findings: [...findings].sort(), byMode, peakRssBytes: peakRssOf(process.pid) ?? null }));
