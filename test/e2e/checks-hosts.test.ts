import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { RegionId } from '../../electron/contract/profiles.js';
import { loadRegions } from '../../electron/core/knowledge/regions.js';
import { defaultResourcesDir } from '../../electron/core/paths.js';
import { startSimulator, type Simulator } from '../fixtures/simulator/simulator.js';
import { contactedHosts, netLogEnv, readNetLog, type NetAttempt } from '../support/net-log.js';
import { recordReliability } from '../support/reliability.js';
import { tempDir } from '../support/temp.js';
import { startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const VAULT = 'e2e checks-hosts vault passphrase';
/** The region data the product itself loads (resources/regions.json, validated by the core). */
const REGIONS = loadRegions(defaultResourcesDir()).regions;
const regionHosts = (id: string): string[] => {
  const r = REGIONS.find((x) => x.id === id)!;
  return [r.sseAdminPortal.host, r.xdrPortal.host, r.threatResponseServer.host, r.xdrApi.host];
};

/** A web host process whose every outbound attempt is logged, with a helper to run checks through its API. */
interface LoggedHost {
  host: RunningHost;
  call: <T>(command: string, body: unknown) => Promise<{ ok: boolean; value?: T; error?: { message: string } }>;
  run: (profile: Record<string, unknown>, sim: Simulator) => Promise<NetAttempt[]>;
}

async function loggedHost(dir: string, extraArgs: string[] = []): Promise<LoggedHost> {
  const log = path.join(dir, 'net.jsonl');
  const host = await startWebHostProcess(path.join(dir, 'data'), { LANG: 'en_US.UTF-8', XET_VAULT_PASSPHRASE: VAULT, ...netLogEnv(log) }, extraArgs);
  async function call<T>(command: string, body: unknown): Promise<{ ok: boolean; value?: T; error?: { message: string } }> {
    const res = await fetch(new URL(`/api/${command}`, host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  }
  /** Creates the profile, runs every check of the runbook for it and answers what the run attempted. */
  async function run(profile: Record<string, unknown>, sim: Simulator): Promise<NetAttempt[]> {
    const created = await call<{ id: string }>('profiles.create', {
      profile: { kind: 'esa', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: sim.username, cluster: '', notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 }, ...profile },
      password: sim.password,
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    const profileId = created.value!.id;
    const before = readNetLog(log).length;
    const started = await call<{ runId: string }>('checks.start', { profileId });
    expect(started.ok, JSON.stringify(started)).toBe(true);
    await expect
      .poll(async () => (await call<{ runs: { id: string; state: string }[] }>('runs.list', { profileId })).value!.runs.find((r) => r.id === started.value!.runId)?.state, { timeout: 30_000, interval: 100 })
      .toBe('completed');
    return readNetLog(log, before);
  }
  return { host, call, run };
}

/** A loopback port with nothing listening: a proxy that is configured but down. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Checks contact only what the runbook names for the profile's region (resources/regions.json),
 * the appliance itself, and what the user configured instead: an endpoints file or a proxy.
 * The appliance is the simulator, addressed as `localhost` so its contacts are told apart from
 * the loopback stand-ins for the cloud. DNS questions count as contacts.
 */
describe('checks contact only the appliance, the region’s hosts, or the configured overrides', () => {
  let sim: Simulator;
  let plain: LoggedHost;
  let overridden: LoggedHost;
  const dir = tempDir('xet-e2e-checks-hosts-');

  beforeAll(async () => {
    sim = await startSimulator({ mode: 'healthy' });
    [plain, overridden] = await Promise.all([loggedHost(path.join(dir, 'plain')), loggedHost(path.join(dir, 'endpoints'), ['--endpoints', sim.endpointsFile])]);
  }, 60_000);

  afterAll(async () => {
    for (const h of [plain, overridden]) if (h && h.host.child.exitCode !== null) console.error('web host exited', h.host.child.exitCode, h.host.stderr());
    await Promise.all([plain?.host.stop(), overridden?.host.stop()]);
    await sim?.close();
  });

  it('a profile per region reaches the appliance and that region’s hosts, never another region’s', async () => {
    expect(REGIONS.map((r) => r.id)).toEqual(['nam', 'eu', 'apjc']);
    for (const region of REGIONS.map((r) => r.id as RegionId)) {
      const attempts = await plain.run({ name: `esa-${region}`, host: 'localhost', region }, sim);
      const allowed = ['localhost', ...regionHosts(region)];
      const hosts = contactedHosts(attempts);
      expect(hosts.filter((h) => !allowed.includes(h)), region).toEqual([]);
      // The run did reach out: the appliance, and its region's Threat Response server by name.
      expect(hosts, region).toContain('localhost');
      expect(hosts, region).toContain(REGIONS.find((r) => r.id === region)!.threatResponseServer.host);
      for (const other of REGIONS.filter((r) => r.id !== region)) for (const h of regionHosts(other.id)) expect(hosts, `${region} run contacted ${other.id}'s ${h}`).not.toContain(h);
      // TCP to the appliance goes to its API ports only.
      for (const a of attempts.filter((x) => x.kind === 'tcp' && x.host === 'localhost')) expect([sim.httpsPort, sim.httpPort], JSON.stringify(a)).toContain(a.port);
    }
  });

  it('with an endpoints file (the simulator’s --endpoints) only the overrides and the appliance are contacted', async () => {
    const file = JSON.parse(fs.readFileSync(sim.endpointsFile, 'utf8')) as Record<string, string>;
    const overrides = ['threatResponse', 'ssePortal', 'xdrPortal'].map((k) => new URL(file[k]!));
    const attempts = await overridden.run({ name: 'esa-lab', host: 'localhost', region: 'eu' }, sim);
    const hosts = contactedHosts(attempts);
    expect(hosts).toEqual(['127.0.0.1', 'localhost']);
    for (const a of attempts.filter((x) => x.host === '127.0.0.1' && x.kind === 'tcp')) expect(overrides.map((u) => Number(u.port)), JSON.stringify(a)).toContain(a.port);
    expect(attempts.some((a) => a.kind === 'tcp' && a.host === '127.0.0.1' && a.port === Number(overrides[0]!.port))).toBe(true);
    for (const a of attempts.filter((x) => x.kind === 'tcp' && x.host === 'localhost')) expect([sim.httpsPort, sim.httpPort], JSON.stringify(a)).toContain(a.port);
  });

  it('with a proxy set, the cloud is reached through the proxy only: no region host is even looked up', async () => {
    const proxyPort = await closedPort();
    const set = await plain.call('settings.set', { proxy: `http://localhost:${proxyPort}` });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    const attempts = await plain.run({ name: 'esa-proxied', host: '127.0.0.1', region: 'eu' }, sim);
    expect(contactedHosts(attempts)).toEqual(['127.0.0.1', 'localhost']);
    expect(attempts.some((a) => a.kind === 'tcp' && a.host === 'localhost' && a.port === proxyPort)).toBe(true);
    for (const a of attempts.filter((x) => x.kind === 'tcp' && x.host === 'localhost')) expect(a.port).toBe(proxyPort);
    recordReliability('checks-hosts', {
      area: 'No phoning home',
      measure: 'regions whose checks ran with every socket attempt and DNS question logged (plus an endpoints file and a proxy)',
      value: REGIONS.length,
      outcome: '0 contacts outside the appliance, the region’s runbook hosts and the configured overrides',
    });
  });
});
