import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Core } from '../../electron/core/core.js';
import { benchCore } from '../bench-core.js';
import { RunRepo } from '../../electron/core/checks/run-repo.js';
import { MemoryLogger } from '../../electron/core/logging/logger.js';
import { startSilentServer } from '../../test/fixtures/simulator/silent-server.js';
import { startSimulator, type Simulator } from '../../test/fixtures/simulator/simulator.js';
import type { Benchmark } from '../harness.js';

const PASSPHRASE = 'bench vault passphrase';
/** The cap passed as timeoutMs for the all-timeouts run: every check's own timeout is at most this. */
const TIMEOUT_CAP_MS = 2000;

interface Fixture {
  core: Core;
  dataDir: string;
  profileId: string;
  close: () => Promise<void>;
}

function openCore(dataDir: string, endpointsFile?: string): Core {
  return benchCore(dataDir, { logger: new MemoryLogger(), vaultPassphrase: PASSPHRASE, ...(endpointsFile ? { endpointsFile } : {}) });
}

/** The fixture of a run benchmark: its core and profile; `close` stops `servers` and removes the data folder. */
function makeFixture(core: Core, dataDir: string, profileId: string, servers: () => Promise<unknown>): Fixture {
  return {
    core,
    dataDir,
    profileId,
    close: async () => {
      core.close();
      await servers();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function addProfile(core: Core, httpsPort: number, httpPort: number, sha256: string, password?: string): string {
  return core.profiles.create(
    { name: 'bench', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort, httpsEnabled: true, httpPort, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'pin', sha256 } },
    password,
  ).id;
}

let fixture: Fixture | undefined;

/** Gives the profile an XDR API client (ID and secret), so the run plans the SSE/XDR checks. */
function withXdrClient(core: Core, profileId: string, clientId: string, secret: string): void {
  core.profiles.update(profileId, { ...core.profiles.fields(profileId), xdrClientId: clientId });
  core.secrets.set(profileId, 'xdr-client-secret', secret);
}

/** The healthy simulator and a profile for it; with `xdr`, its IROH stand-in too and an XDR API client on the profile. */
async function simulatorSetup(xdr: boolean): Promise<void> {
  const sim: Simulator = await startSimulator(xdr ? { mode: 'healthy', xdrMode: 'xdr-healthy' } : { mode: 'healthy' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), xdr ? 'xet-bench-checks-xdr-' : 'xet-bench-checks-'));
  const core = openCore(dataDir, sim.endpointsFile);
  const profileId = addProfile(core, sim.httpsPort, sim.httpPort, sim.pinnedSha256, sim.password);
  if (xdr) withXdrClient(core, profileId, sim.xdr!.clientId, sim.xdr!.clientSecret);
  fixture = makeFixture(core, dataDir, profileId, () => sim.close());
}

const healthySetup = () => simulatorSetup(false);
const healthyXdrSetup = () => simulatorSetup(true);

async function silentSetup(): Promise<void> {
  const appliance = await startSilentServer();
  const plain = await startSilentServer();
  const cloud = await startSilentServer();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-timeouts-'));
  const endpointsFile = path.join(dataDir, 'endpoints.json');
  const base = `https://127.0.0.1:${cloud.port}`;
  // The XDR API never answers either: the XDR checks time out beside the appliance's, not after them.
  fs.writeFileSync(endpointsFile, JSON.stringify({ threatResponse: `${base}/`, ssePortal: `${base}/sse/`, xdrPortal: `${base}/xdr/`, xdrApi: `${base}/` }));
  const core = openCore(dataDir, endpointsFile);
  const profileId = addProfile(core, appliance.port, plain.port, 'ab'.repeat(32), 'bench-password');
  withXdrClient(core, profileId, 'client-bench', 'bench-xdr-secret');
  fixture = makeFixture(core, dataDir, profileId, () => Promise.all([appliance.close(), plain.close(), cloud.close()]));
}

async function teardown(): Promise<void> {
  await fixture?.close();
  fixture = undefined;
}

async function timeRun(options: object): Promise<number> {
  const t0 = performance.now();
  const run = await fixture!.core.checks.run({ profileId: fixture!.profileId, ...options });
  const ms = performance.now() - t0;
  if (run.state !== 'completed') throw new Error(`run ended ${run.state}`);
  return ms;
}

/** A benchmark of one full checks run per sample (ms, with peak RSS) against the fixture its setup opens. */
function fullRun(spec: Pick<Benchmark, 'name' | 'description' | 'target' | 'defaultRuns' | 'setup'>, options: object = {}): Benchmark {
  return { ...spec, unit: 'ms', teardown, sample: async () => ({ value: await timeRun(options), peakRssBytes: process.memoryUsage().rss }) };
}

export const checksHealthy = fullRun({
  name: 'checks-healthy',
  description: 'Full run (all checks) against the healthy simulator: DNS, TCP, TLS, AsyncOS login/JWT/Basic, privileges, health, clock, cloud TLS + HTTPS',
  target: { max: 2000 },
  defaultRuns: 7,
  setup: healthySetup,
});

export const checksHealthyWithXdr = fullRun({
  name: 'checks-healthy-with-xdr',
  description: 'Full run with an XDR API client against the healthy simulator and its IROH stand-in: the appliance checks plus token, SSE devices (two pages), module types/instances, health and observe',
  target: { max: 2000 },
  defaultRuns: 7,
  setup: healthyXdrSetup,
});

export const checksAllTimeouts = fullRun(
  {
    name: 'checks-all-timeouts',
    description: `Full run (XDR API client included) against an appliance, a cloud and an XDR API that accept TCP and never answer, timeouts capped at ${TIMEOUT_CAP_MS} ms (target ≤ 1.2 × the longest single timeout)`,
    target: { max: TIMEOUT_CAP_MS * 1.2 },
    defaultRuns: 3,
    setup: silentSetup,
  },
  { timeoutMs: TIMEOUT_CAP_MS },
);

const RUNS = 100_000;
const PROFILES = 100;

async function historySetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-history-'));
  const core = openCore(dataDir);
  const profileIds: string[] = [];
  for (let p = 0; p < PROFILES; p++) {
    profileIds.push(
      core.profiles.create({ name: `esa-${p}`, kind: 'esa', host: `esa${p}.example.com`, region: 'eu', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'system' } }).id,
    );
  }
  const insert = core.db.prepare(
    `INSERT INTO runs (id, profile_id, profile_name, profile_kind, region, state, started_at, finished_at, duration_ms, worst_severity, counts, finding_codes, context)
     VALUES (?, ?, ?, 'esa', 'eu', 'completed', ?, ?, 900, ?, ?, ?, '{"answers":{},"endpoints":{"source":"bench","threatResponse":"","ssePortal":"","xdrPortal":""},"proxy":null}')`,
  );
  const start = Date.parse('2025-01-01T00:00:00Z');
  core.db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const at = new Date(start + i * 60_000).toISOString();
      insert.run(`run-${String(i).padStart(6, '0')}`, profileIds[i % PROFILES]!, `esa-${i % PROFILES}`, at, at, i % 5 === 0 ? 'error' : null, '{"pass":20,"fail":1}', i % 5 === 0 ? '["API_PORT_CLOSED"]' : '[]');
    }
  })();
  const plan = core.db.prepare(`EXPLAIN QUERY PLAN ${RunRepo.LATEST_FOR_PROFILE_SQL}`).all(profileIds[7], 50) as { detail: string }[];
  process.stderr.write(`  query plan (latest 50 runs of one profile among ${RUNS.toLocaleString('en')}): ${plan.map((p) => p.detail).join(' | ')}\n`);
  fixture = {
    core,
    dataDir,
    profileId: profileIds[7]!,
    close: async () => {
      core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const runsHistory: Benchmark = {
  name: 'runs-latest-50-of-100k',
  description: `runs.list for one profile (latest 50) among ${RUNS.toLocaleString('en')} stored runs, through the dispatcher; query plan printed above`,
  unit: 'ms',
  target: { max: 50 },
  defaultRuns: 15,
  setup: historySetup,
  teardown,
  async sample() {
    const t0 = performance.now();
    const r = await fixture!.core.dispatcher.dispatch('runs.list', { profileId: fixture!.profileId, limit: 50 });
    const ms = performance.now() - t0;
    if (!r.ok || (r.value as { runs: unknown[] }).runs.length !== 50) throw new Error('runs.list did not return 50 runs');
    return { value: ms, peakRssBytes: process.memoryUsage().rss };
  },
};
