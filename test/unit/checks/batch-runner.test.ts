import type { BatchState } from '../../../electron/contract/overview.js';
import type { Core } from '../../../electron/core/core.js';
import type { FaultMode } from '../../fixtures/simulator/appliance.js';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { VAULT_PASSPHRASE } from '../../support/checks.js';
import { testCore } from '../../support/core.js';

/** Three simulated appliances (healthy, API off, wrong password) in one real core. */
async function fleet(options: { clock?: () => Date; modes?: FaultMode[] } = {}) {
  const modes = options.modes ?? ['healthy', 'api-off', 'bad-credentials'];
  const sims: Simulator[] = await Promise.all(modes.map((mode) => startSimulator({ mode })));
  const core = testCore({ endpointsFile: sims[0]!.endpointsFile, vaultPassphrase: VAULT_PASSPHRASE, env: {}, ...(options.clock ? { clock: options.clock } : {}) });
  const profiles = sims.map((sim, i) =>
    core.profiles.create(
      {
        name: modes.indexOf(sim.mode) === i ? `esa-${sim.mode}` : `esa-${sim.mode}-${i}`,
        kind: i === 2 ? 'sma' : 'esa',
        host: '127.0.0.1',
        region: i === 1 ? 'nam' : 'eu',
        httpsPort: sim.httpsPort,
        httpsEnabled: true,
        httpPort: sim.httpPort,
        httpEnabled: true,
        username: sim.username,
        cluster: i === 0 ? 'Frankfurt' : null,
        notes: '',
        trust: { mode: 'pin', sha256: sim.pinnedSha256 },
      },
      sim.password,
    ),
  );
  return {
    core,
    profiles,
    async close() {
      core.close();
      await Promise.all(sims.map((s) => s.close()));
    },
  };
}

/** Collects every checks.batch event and settles when the batch has ended. */
function follow(core: Core) {
  const events: BatchState[] = [];
  let resolve: (s: BatchState) => void = () => undefined;
  const ended = new Promise<BatchState>((r) => (resolve = r));
  const off = core.bus.subscribe((name, payload) => {
    if (name !== 'checks.batch') return;
    const state = payload as BatchState;
    events.push(state);
    if (state.state !== 'running') resolve(state);
  });
  return { events, ended: ended.finally(off) };
}

async function call<T>(core: Core, name: string, payload: unknown): Promise<T> {
  const r = await core.dispatcher.dispatch(name, payload);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.value as T;
}

describe('batch runs and the overview', () => {
  it('runs every profile at most N at a time, reports each one, and the overview shows the last runs by title', async () => {
    const f = await fleet();
    try {
      const before = await call<{ rows: { result: string; lastRun: unknown; secrets: Record<string, boolean> }[] }>(f.core, 'overview.list', {});
      expect(before.rows.map((r) => [r.result, r.lastRun, r.secrets])).toEqual(Array(3).fill(['none', null, { apiPassword: true, xdrClientSecret: false }]));
      f.core.secrets.set(f.profiles[0]!.id, 'xdr-client-secret', 'planted-xdr-secret-7f3a');

      let runningAtOnce = 0;
      let peak = 0;
      const off = f.core.bus.subscribe((name, payload) => {
        if (name !== 'checks.batch') return;
        runningAtOnce = (payload as BatchState).items.filter((i) => i.state === 'running').length;
        peak = Math.max(peak, runningAtOnce);
      });
      const followed = follow(f.core);
      const started = await call<BatchState>(f.core, 'checks.startAll', { concurrency: 2 });
      expect(started.items.map((i) => i.profileName).sort()).toEqual(['esa-api-off', 'esa-bad-credentials', 'esa-healthy']);
      const final = await followed.ended;
      off();
      expect(peak).toBe(2);
      expect(final.state).toBe('finished');
      expect(final.items.every((i) => i.state === 'done' && i.summary !== null && i.done === i.total)).toBe(true);
      const bySummary = Object.fromEntries(final.items.map((i) => [i.profileName, i.summary!.findingCodes]));
      expect(bySummary['esa-healthy']).toEqual([]);
      expect(bySummary['esa-api-off']).toContain('API_PORT_CLOSED');
      expect(bySummary['esa-bad-credentials']!.length).toBeGreaterThan(0);
      // Every appliance went queued → running → done in the events.
      const states = (name: string) => [...new Set(followed.events.map((e) => e.items.find((i) => i.profileName === name)!.state))];
      expect(states('esa-api-off')).toEqual(expect.arrayContaining(['running', 'done']));

      const after = await call<{ rows: { profile: { name: string }; result: string; stale: boolean; topFinding: { code: string; title: { en: string; de: string } } | null; secrets: Record<string, boolean> }[] }>(f.core, 'overview.list', {});
      const row = (name: string) => after.rows.find((r) => r.profile.name === name)!;
      expect(row('esa-healthy')).toMatchObject({ result: 'ok', stale: false, topFinding: null, secrets: { apiPassword: true, xdrClientSecret: true } });
      expect(row('esa-api-off')).toMatchObject({ result: 'error', topFinding: { code: 'API_PORT_CLOSED', title: { en: expect.stringMatching(/AsyncOS API is not enabled/), de: expect.stringMatching(/AsyncOS-API/) } } });
      expect(JSON.stringify(after)).not.toContain('planted-xdr-secret-7f3a');
      expect(JSON.stringify(followed.events)).not.toContain('planted-xdr-secret-7f3a');

      const latest = await call<{ run: { id: string; findings: { code: string }[] } | null }>(f.core, 'runs.latest', { profileId: f.profiles[1]!.id });
      expect(latest.run!.id).toBe(final.items.find((i) => i.profileName === 'esa-api-off')!.runId);
      expect(latest.run!.findings[0]!.code).toBe('API_PORT_CLOSED');
      expect((await call<{ batch: BatchState | null }>(f.core, 'checks.batchStatus', {})).batch).toEqual(final);
    } finally {
      await f.close();
    }
  });

  it('runs only the ticked profiles or those matching kind, region and cluster', async () => {
    const f = await fleet();
    try {
      const names = async (request: object) => {
        const followed = follow(f.core);
        const s = await call<BatchState>(f.core, 'checks.startAll', request);
        await followed.ended;
        return s.items.map((i) => i.profileName).sort();
      };
      expect(await names({ kind: 'sma' })).toEqual(['esa-bad-credentials']);
      expect(await names({ region: 'eu', kind: 'esa' })).toEqual(['esa-healthy']);
      expect(await names({ cluster: 'frankfurt' })).toEqual(['esa-healthy']);
      expect(await names({ profileIds: [f.profiles[1]!.id, f.profiles[1]!.id, f.profiles[2]!.id] })).toEqual(['esa-api-off', 'esa-bad-credentials']);
      await expect(call(f.core, 'checks.startAll', { region: 'apjc' })).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'profileIds', key: 'errors.batch.noProfiles' });
      await expect(call(f.core, 'checks.startAll', { concurrency: 17 })).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'concurrency' });
      await expect(call(f.core, 'checks.startAll', { profileIds: ['nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await f.close();
    }
  });

  it('cancel stops them all: queued ones never start, running ones end cancelled; one batch at a time', async () => {
    const f = await fleet({ modes: ['slow', 'slow', 'slow'] });
    try {
      const followed = follow(f.core);
      const started = await call<BatchState>(f.core, 'checks.startAll', { concurrency: 1 });
      await expect(call(f.core, 'checks.startAll', {})).rejects.toMatchObject({ code: 'CONFLICT', key: 'errors.batch.running' });
      expect(await call(f.core, 'checks.cancelAll', { batchId: started.batchId })).toEqual({ cancelled: true });
      const final = await followed.ended;
      expect(final.state).toBe('cancelled');
      expect(final.items.map((i) => i.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      expect(final.items.filter((i) => i.runId !== null)).toHaveLength(1);
      expect(f.core.checks.activeRunIds()).toEqual([]);
      expect(await call(f.core, 'checks.cancelAll', { batchId: started.batchId })).toEqual({ cancelled: false });
    } finally {
      await f.close();
    }
  });

  it('asks for the vault once before starting, and marks a run over a day old stale', async () => {
    let now = new Date('2026-12-01T08:00:00Z');
    const f = await fleet({ clock: () => now, modes: ['api-off'] });
    try {
      const followed = follow(f.core);
      await call(f.core, 'checks.startAll', {});
      await followed.ended;
      const stale = async () => (await call<{ rows: { stale: boolean }[] }>(f.core, 'overview.list', {})).rows[0]!.stale;
      expect(await stale()).toBe(false);
      now = new Date('2026-12-02T09:00:00Z');
      expect(await stale()).toBe(true);
      f.core.vault.lock();
      await expect(call(f.core, 'checks.startAll', {})).rejects.toMatchObject({ code: 'LOCKED', key: 'errors.batch.locked' });
      expect(f.core.checks.list(undefined, 50).runs).toHaveLength(1);
    } finally {
      await f.close();
    }
  });
});
