import { severityAtLeast } from '../../../electron/core/checks/findings.js';
import { simulatedSetup } from '../../support/checks.js';

/**
 * A run keeps its verified AsyncOS API connection open between calls (HTTP/1.1 keep-alive) instead
 * of a TCP and TLS handshake per call: the simulator counts the TLS connections it accepted.
 */
describe('AsyncOS API connections within a run', () => {
  const apiRequests = (s: Awaited<ReturnType<typeof simulatedSetup>>) => s.sim.requests.filter((r) => r.transport === 'https' && !r.path.startsWith('cloud:'));

  it('reuse a verified connection for the next call, and leave none open after the run', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(run.findings.filter((f) => severityAtLeast(f.severity, 'warning'))).toEqual([]);
      const calls = apiRequests(s).length;
      const { accepted } = await s.sim.apiConnections();
      // Fewer connections than calls, the certificate check's own handshake included.
      expect(calls).toBeGreaterThanOrEqual(5);
      expect(accepted).toBeLessThan(calls);
      await expect.poll(async () => (await s.sim.apiConnections()).open, { timeout: 2000 }).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('replaces a kept connection the appliance dropped as the call went out, and the checks still pass', async () => {
    const s = await simulatedSetup({ mode: 'healthy', dropKeptRequests: true });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      const probes = run.checks.filter((c) => s.core.checks.knowledge.checkById.get(c.id)!.kind === 'probe');
      expect(probes.map((c) => [c.id, c.status]).filter(([, st]) => st !== 'pass')).toEqual([]);
      // Every call was answered on a connection of its own in the end: the dropped ones were retried.
      const { accepted } = await s.sim.apiConnections();
      expect(accepted).toBeGreaterThanOrEqual(apiRequests(s).length);
      await expect.poll(async () => (await s.sim.apiConnections()).open, { timeout: 2000 }).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('keeps no connection across runs: the next run verifies the certificate again before any credential', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      await s.core.checks.run({ profileId: s.profile.id });
      const first = (await s.sim.apiConnections()).accepted;
      await s.core.checks.run({ profileId: s.profile.id });
      const second = (await s.sim.apiConnections()).accepted - first;
      expect(second).toBe(first);
    } finally {
      await s.close();
    }
  });
});

/** The log collector's listing and downloads share kept connections the same way. */
describe('AsyncOS log API connections', () => {
  const logRequests = (s: Awaited<ReturnType<typeof simulatedSetup>>) => s.sim.requests.filter((r) => r.transport === 'https' && r.path.includes('/logs'));

  it('lists every subscription’s files over far fewer connections than requests, none left open', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const listed = await s.core.dispatcher.call('logs.list', { profileId: s.profile.id });
      expect(listed.ok && listed.value.available).toBe(true);
      const calls = logRequests(s).length;
      const { accepted } = await s.sim.apiConnections();
      expect(calls).toBeGreaterThanOrEqual(5);
      expect(accepted).toBeLessThan(calls / 2);
      await expect.poll(async () => (await s.sim.apiConnections()).open, { timeout: 2000 }).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('replaces kept connections the appliance dropped, and the listing and an archive of the logs stay whole', async () => {
    const s = await simulatedSetup({ mode: 'healthy', dropKeptRequests: true });
    try {
      const listed = await s.core.dispatcher.call('logs.list', { profileId: s.profile.id });
      if (!listed.ok) throw new Error(listed.error.message);
      expect(listed.value.subscriptions.filter((sub) => sub.problem !== null)).toEqual([]);
      expect(listed.value.subscriptions.reduce((n, sub) => n + sub.files.length, 0)).toBeGreaterThan(0);
      const made = await s.core.dispatcher.call('archive.create', { profileId: s.profile.id, encryption: { mode: 'password', password: 'tac-case-Ruby-Falcon-2931' }, applianceLogs: { subscriptions: ['default'] } } as never);
      if (!made.ok) throw new Error(made.error.message);
      const logs = made.value.applianceLogs ?? [];
      expect(logs.filter((l) => l.problem !== null)).toEqual([]);
      expect(logs.filter((l) => l.path !== null).length).toBeGreaterThan(0);
      await expect.poll(async () => (await s.sim.apiConnections()).open, { timeout: 2000 }).toBe(0);
    } finally {
      await s.close();
    }
  });
});
