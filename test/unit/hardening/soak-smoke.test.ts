import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { generateHar } from '../../../bench/har-generate.js';
import { openFds } from '../../../bench/soak-sampling.js';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { testCore } from '../../support/core.js';
import { tempDir } from '../../support/temp.js';

/**
 * A short version of `npm run bench -- soak-checks soak-archives`: repeated work in one core leaves
 * no descriptor open and no credential registered behind it. (The bench samples memory over 200 runs.)
 */

/** Sockets destroyed a moment ago close a few event-loop turns later: wait for them, up to a second. */
async function settledFds(baseline: number): Promise<number> {
  const until = Date.now() + 1000;
  let now = openFds();
  while (now > baseline && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    now = openFds();
  }
  return now;
}

const profileFor = (sim: Simulator) =>
  ({ name: `smoke-${sim.mode}`, kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 } }) as const;

describe('soak smoke', () => {
  it('20 check runs (healthy, refused login, API off, timeouts) leave the descriptors and the redactor as they found them', async () => {
    const sims = [await startSimulator({ mode: 'healthy' }), await startSimulator({ mode: 'bad-credentials' }), await startSimulator({ mode: 'api-off' }), await startSimulator({ mode: 'slow', slowMs: 1500 })];
    const core = testCore({ endpointsFile: sims[0]!.endpointsFile, vaultPassphrase: 'smoke vault passphrase' });
    try {
      const ids = sims.map((s) => core.profiles.create(profileFor(s), s.password).id);
      // One run each first: modules, TLS contexts and prepared statements are made once.
      for (const id of ids) await core.checks.run({ profileId: id, timeoutMs: 500 });
      const fds = openFds();
      const needles = core.log.redactor.size;
      for (let i = 0; i < 20; i++) {
        const run = await core.checks.run({ profileId: ids[i % 5 === 4 ? 1 + (Math.floor(i / 5) % 3) : 0]!, timeoutMs: 500 });
        expect(run.state).toBe('completed');
      }
      expect(await settledFds(fds)).toBe(fds);
      // Each login's JWT was masked while its run lasted, not kept for good.
      expect(core.log.redactor.size).toBe(needles);
    } finally {
      core.close();
      await Promise.all(sims.map((s) => s.close()));
    }
  }, 20_000);

  it('2 support archives, password and certificate, built, read and removed, leave no descriptor open and nothing in the temp area', async () => {
    const dir = tempDir();
    const har = path.join(dir, 'capture.har');
    generateHar(har, 3 * 2 ** 20, 3);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=smoke'], { stdio: 'ignore' });
    const pem = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const core = testCore({ vaultPassphrase: 'smoke vault passphrase' });
    try {
      const profileId = core.profiles.create({ name: 'smoke', kind: 'esa', host: 'esa01.corp.example', region: 'eu', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: false, username: 'admin', cluster: null, notes: '', trust: { mode: 'system' } }, 'SmokeAppliancePass42').id;
      const harId = (await core.har.importPath(har)).id;
      const fds = openFds();
      for (const encryption of [{ mode: 'password', password: 'smoke-Archive-Heron-4417' }, { mode: 'certificate', certificates: [{ name: 'smoke.pem', pem }] }]) {
        const built = await core.dispatcher.dispatch('archive.create', { profileId, harIds: [harId], encryption });
        expect(built.ok).toBe(true);
        const { id } = (built as { value: { id: string } }).value;
        const file = core.archive.file(id);
        expect(fs.readFileSync(file.path).length).toBe(file.bytes);
        expect((await core.dispatcher.dispatch('archive.remove', { id })).ok).toBe(true);
      }
      expect(await settledFds(fds)).toBe(fds);
      expect(fs.readdirSync(path.join(core.paths.tmp, 'archives'))).toEqual([]);
    } finally {
      core.close();
    }
  }, 20_000);
});
