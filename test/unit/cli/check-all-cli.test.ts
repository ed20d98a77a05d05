import type { FaultMode } from '../../fixtures/simulator/appliance.js';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { xet } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';

const PASS = 'correct horse battery staple';

/** One CLI data folder with a profile per simulator: `lab-<mode>`, kind and region as given. */
async function withFleet(targets: { mode: FaultMode; kind: string; region: string }[], fn: (ctx: { sims: Simulator[]; env: Record<string, string> }) => Promise<void>) {
  const sims = await Promise.all(targets.map((t) => startSimulator({ mode: t.mode })));
  const env = { XET_DATA_DIR: tempDir(), XET_VAULT_PASSPHRASE: PASS };
  try {
    for (const [i, sim] of sims.entries()) {
      const t = targets[i]!;
      const add = await xet(['profile', 'add', '--name', `lab-${t.mode}`, '--kind', t.kind, '--host', '127.0.0.1', '--region', t.region, '--https-port', String(sim.httpsPort), '--http-port', String(sim.httpPort), '--username', sim.username, '--pin-sha256', sim.pinnedSha256, '--password-stdin'], env, `${sim.password}\n`);
      expect(add.code).toBe(0);
    }
    await fn({ sims, env });
  } finally {
    await Promise.all(sims.map((s) => s.close()));
  }
}

describe('xet check --all', () => {
  it('checks every profile in one JSON document, exit 1 when one has an error, progress on stderr', async () => {
    const fleet = [
      { mode: 'healthy', kind: 'esa', region: 'eu' },
      { mode: 'api-off', kind: 'esa', region: 'nam' },
      { mode: 'clock-skew', kind: 'sma', region: 'eu' },
    ] as const;
    await withFleet([...fleet], async ({ sims, env }) => {
      const r = await xet(['check', '--all', '--json', '--concurrency', '2', '--endpoints', sims[0]!.endpointsFile], env);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout);
      expect(doc.batch).toMatchObject({ state: 'finished', concurrency: 2 });
      expect(doc.summary).toMatchObject({ total: 3, failed: 0, cancelled: 0 });
      const byName = Object.fromEntries(doc.profiles.map((p: { profile: { name: string } }) => [p.profile.name, p]));
      expect(byName['lab-healthy']).toMatchObject({ state: 'done', findings: [], profile: { kind: 'esa', region: 'eu', host: '127.0.0.1' } });
      expect(byName['lab-api-off'].findings[0].code).toBe('API_PORT_CLOSED');
      expect(byName['lab-api-off'].summary.worstSeverity).toBe('critical');
      for (const name of ['lab-healthy', 'lab-api-off', 'lab-clock-skew']) expect(r.stderr).toMatch(new RegExp(`\\] ${name}: done`));
      expect(r.stdout).not.toContain(sims[0]!.password);
      expect(r.stderr).not.toContain(sims[0]!.password);
      // The stored runs are the ones `xet runs list` shows.
      expect(JSON.parse((await xet(['runs', 'list', '--json'], env)).stdout).runs).toHaveLength(3);
    });
  }, 60_000);

  it('filters by kind and region, prints titles not codes, exits 0 without errors, in German on request', async () => {
    const fleet = [
      { mode: 'healthy', kind: 'esa', region: 'eu' },
      { mode: 'api-off', kind: 'esa', region: 'nam' },
    ] as const;
    await withFleet([...fleet], async ({ sims, env }) => {
      const eu = await xet(['check', '--all', '--region', 'eu', '--endpoints', sims[0]!.endpointsFile], env);
      expect(eu.code).toBe(0);
      expect(eu.stdout).toMatch(/lab-healthy\s+ok\s+No problems/);
      expect(eu.stdout).not.toContain('lab-api-off');
      const nam = await xet(['check', '--all', '--kind', 'esa', '--region', 'nam', '--lang', 'de', '--endpoints', sims[0]!.endpointsFile], env);
      expect(nam.code).toBe(1);
      expect(nam.stdout).toMatch(/lab-api-off\s+.*Die AsyncOS-API ist auf der Management-Schnittstelle nicht aktiviert/);
      expect(nam.stdout).not.toContain('API_PORT_CLOSED');
      expect(nam.stdout).toMatch(/1 Appliance: 0 ohne Fehler, 1 mit Fehlern/);
    });
  }, 60_000);

  it('exits 2 naming the flag for bad input, and runs nothing', async () => {
    await withFleet([{ mode: 'healthy', kind: 'esa', region: 'eu' }], async ({ env }) => {
      const cases: [string[], RegExp][] = [
        [['check', '--all', '--concurrency', '0'], /--concurrency must be a whole number from 1 to 16/],
        [['check', '--all', '--concurrency', 'many'], /--concurrency must be a whole number/],
        [['check', '--all', '--kind', 'wsa'], /--kind must be one of esa, sma, ces/],
        [['check', '--all', '--region', 'mars'], /--region must be one of nam, eu, apjc/],
        [['check', '--all', '--region', 'apjc'], /No profile matches/],
        [['check', '--all', 'lab-healthy'], /unexpected argument "lab-healthy"/],
        [['check', '--all', '--only', 'api-tls'], /--only applies to one profile only/],
        [['check', 'lab-healthy', '--kind', 'esa'], /--kind needs --all/],
        [['check'], /missing PROFILE/],
      ];
      for (const [args, message] of cases) {
        const r = await xet(args, env);
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: expect.stringMatching(message) });
      }
      expect(JSON.parse((await xet(['runs', 'list', '--json'], env)).stdout).runs).toEqual([]);
      const locked = await xet(['check', '--all'], { XET_DATA_DIR: env.XET_DATA_DIR! });
      expect(locked.code).toBe(2);
      expect(locked.stderr).toMatch(/vault is locked/);
    });
  }, 60_000);
});
