import type { Run } from '../../electron/contract/checks.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../fixtures/simulator/simulator.js';
import { testCore } from './core.js';

export const VAULT_PASSPHRASE = 'correct horse battery staple';

/**
 * A simulator in one fault mode and a real core whose profile points at it: pinned certificate,
 * password in the vault, cloud endpoints from the simulator's endpoints file.
 */
export async function simulatedSetup(options: SimulatorOptions & { profile?: Record<string, unknown>; storePassword?: boolean; storeXdrSecret?: boolean } = {}) {
  const sim: Simulator = await startSimulator(options);
  const core = testCore({ endpointsFile: sim.endpointsFile, vaultPassphrase: VAULT_PASSPHRASE, env: {} });
  const profile = core.profiles.create(
    {
      name: `sim-${sim.mode}`,
      kind: options.kind === 'sma' ? 'sma' : 'esa',
      host: '127.0.0.1',
      region: options.region ?? 'eu',
      httpsPort: sim.httpsPort,
      httpsEnabled: true,
      httpPort: sim.httpPort,
      httpEnabled: true,
      username: sim.username,
      cluster: null,
      notes: '',
      trust: { mode: 'pin', sha256: sim.pinnedSha256 },
      ...(sim.xdr ? { xdrClientId: sim.xdr.clientId } : {}),
      ...options.profile,
    } as never,
    options.storePassword === false ? undefined : sim.password,
  );
  if (sim.xdr && options.storeXdrSecret !== false) core.secrets.set(profile.id, 'xdr-client-secret', sim.xdr.clientSecret);
  return {
    sim,
    core,
    profile,
    async close() {
      core.close();
      await sim.close();
    },
  };
}

export const codes = (run: Run) => run.findings.map((f) => f.code);
export const statusOf = (run: Run, id: string) => run.checks.find((c) => c.id === id)?.status;
