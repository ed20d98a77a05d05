import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { codes, simulatedSetup, statusOf } from '../../support/checks.js';

describe('stored runs: history, answers, diff, deletion', () => {
  it('stores every run with its checks and findings, newest first, and survives a reopen', async () => {
    const s = await simulatedSetup({ mode: 'api-off' });
    try {
      const first = await s.core.checks.run({ profileId: s.profile.id });
      const second = await s.core.checks.run({ profileId: s.profile.id, answers: { 'sse-services': 'no' } });
      const list = s.core.checks.list(s.profile.id, 50).runs;
      expect(list.map((r) => r.id)).toEqual([second.id, first.id]);
      expect(list[0]).toMatchObject({ profileName: 'sim-api-off', state: 'completed', worstSeverity: 'critical', findingCodes: ['API_PORT_CLOSED', 'SSE_SERVICES_DISABLED'] });
      expect(list[0]!.counts.fail).toBe(3);
      const stored = s.core.checks.get(second.id);
      expect(stored.checks).toEqual(second.checks);
      expect(stored.findings).toEqual(second.findings);
      expect(stored.answers).toEqual({ 'sse-services': 'no' });
      expect(s.core.checks.resolveRunId(second.id.slice(0, 8))).toBe(second.id);
      expect(() => s.core.checks.resolveRunId('zzzzzzzz')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    } finally {
      await s.close();
    }
  });

  it('re-evaluates the findings of a stored run when a manual step is answered', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(statusOf(run, 'device-listed')).toBe('needs-input');
      const answered = await s.core.checks.answer(run.id, 'device-listed', 'no');
      expect(statusOf(answered, 'device-listed')).toBe('fail');
      expect(codes(answered)).toEqual(['DEVICE_OFFLINE_IN_SSE']);
      expect(answered.worstSeverity).toBe('error');
      expect(s.core.checks.list(s.profile.id, 1).runs[0]!.findingCodes).toEqual(['DEVICE_OFFLINE_IN_SSE']);
      const fixed = await s.core.checks.answer(run.id, 'device-listed', 'yes');
      expect(codes(fixed)).toEqual([]);
      expect(fixed.answers).toEqual({ 'device-listed': 'yes' });
      await expect(s.core.checks.answer(run.id, 'api-tls', 'yes')).rejects.toMatchObject({ code: 'INVALID_REQUEST', field: 'checkId' });
      await expect(s.core.checks.answer(run.id, 'device-listed', 'perhaps')).rejects.toMatchObject({ field: 'answer' });
    } finally {
      await s.close();
    }
  });

  it('diffs two runs: changed checks, new and resolved findings', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const before = await s.core.checks.run({ profileId: s.profile.id, answers: { 'sse-services': 'no', 'dashboard-range': 'no' } });
      const after = await s.core.checks.run({ profileId: s.profile.id, answers: { 'sse-services': 'yes', 'dashboard-range': 'no', 'device-listed': 'no' } });
      const diff = s.core.checks.diff(before.id, after.id);
      expect(diff.checks).toEqual([
        { id: 'sse-services', before: 'fail', after: 'pass' },
        { id: 'device-listed', before: 'needs-input', after: 'fail' },
      ]);
      expect(diff.findings.new.map((f) => f.code)).toEqual(['DEVICE_OFFLINE_IN_SSE']);
      expect(diff.findings.resolved.map((f) => f.code)).toEqual(['SSE_SERVICES_DISABLED']);
      expect(diff.findings.unchanged).toEqual(['DASHBOARD_RANGE_TOO_SHORT']);
      const r = await s.core.dispatcher.dispatch('runs.diff', { before: before.id, after: 'nope' });
      expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await s.close();
    }
  });

  it('keeps history when a profile is deleted, unless the user asks to delete it too', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const kept = await s.core.checks.run({ profileId: s.profile.id, only: ['appliance-dns'] });
      const r = await s.core.dispatcher.dispatch('profiles.delete', { id: s.profile.id });
      expect(r).toMatchObject({ ok: true, value: { deleted: true, historyDeleted: 0 } });
      const orphan = s.core.checks.get(kept.id);
      expect(orphan.profileId).toBeNull();
      expect(orphan.profileName).toBe('sim-healthy');

    } finally {
      await s.close();
    }
    const t = await simulatedSetup({ mode: 'healthy' });
    try {
      await t.core.checks.run({ profileId: t.profile.id, only: ['appliance-dns'] });
      await t.core.checks.run({ profileId: t.profile.id, only: ['appliance-dns'] });
      const r = await t.core.dispatcher.dispatch('profiles.delete', { id: t.profile.id, deleteHistory: true });
      expect(r).toMatchObject({ ok: true, value: { deleted: true, historyDeleted: 2 } });
      expect(t.core.checks.list(undefined, 50).runs).toEqual([]);
      expect(t.core.db.prepare('SELECT count(*) FROM run_checks').pluck().get()).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('emits progress for every check and a finished event with the stored summary', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- event payloads of several shapes
      const events: { name: string; payload: any }[] = [];
      s.core.bus.subscribe((name, payload) => events.push({ name, payload }));
      const r = await s.core.dispatcher.dispatch('checks.start', { profileId: s.profile.id });
      if (!r.ok) throw new Error(r.error.message);
      const { runId, total } = r.value as { runId: string; total: number };
      await new Promise<void>((resolve) => s.core.bus.on('checks.finished', () => resolve()));
      const progress = events.filter((e) => e.name === 'checks.progress' && e.payload.runId === runId);
      const finished = progress.filter((e) => e.payload.check.result);
      expect(finished.length).toBe(total);
      expect(finished.map((e) => e.payload.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      expect(progress.some((e) => e.payload.check.state === 'running')).toBe(true);
      const done = events.find((e) => e.name === 'checks.finished')!;
      expect(done.payload).toMatchObject({ runId, profileId: s.profile.id, summary: { id: runId, state: 'completed' } });
      const del = await s.core.dispatcher.dispatch('runs.delete', { id: runId });
      expect(del).toEqual({ ok: true, value: { deleted: true } });
      expect(await s.core.dispatcher.dispatch('runs.get', { id: runId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      await s.close();
    }
  });
});

describe('shutdown during a run', () => {
  it('stops the run without touching the closed database, and the next start marks it cancelled', async () => {
    const s = await simulatedSetup({ mode: 'slow', slowMs: 3000 });
    const dataDir = s.core.paths.root;
    const { runId, done } = s.core.checks.start({ profileId: s.profile.id });
    await new Promise((r) => setTimeout(r, 200));
    s.core.close();
    await expect(done).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    const { testCore } = await import('../../support/core.js');
    const reopened = testCore({ dataDir, env: {} });
    try {
      expect(reopened.checks.list(undefined, 5).runs.map((r) => [r.id, r.state])).toEqual([[runId, 'cancelled']]);
    } finally {
      reopened.close();
      await s.sim.close();
    }
  });
});

describe('runs of another process on the same data folder', () => {
  it('a core opened beside a live run (the CLI while the app runs checks) leaves it running; it ends completed', async () => {
    const s = await simulatedSetup({ mode: 'slow', slowMs: 400 });
    const { testCore } = await import('../../support/core.js');
    try {
      const { runId, done } = s.core.checks.start({ profileId: s.profile.id });
      await new Promise((r) => setTimeout(r, 200));
      const beside = testCore({ dataDir: s.core.paths.root, env: {} });
      try {
        expect(beside.checks.list(undefined, 5).runs.map((r) => [r.id, r.state])).toEqual([[runId, 'running']]);
      } finally {
        beside.close();
      }
      await done;
      expect(s.core.checks.list(undefined, 5).runs.map((r) => [r.id, r.state])).toEqual([[runId, 'completed']]);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('a run owned by a live process stays running; once that process is gone, or for runs without a live owner, the next start cancels it', async () => {
    const { testCore } = await import('../../support/core.js');
    const first = testCore({ env: {} });
    const dataDir = first.paths.root;
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      await once(other, 'spawn');
      const now = new Date().toISOString();
      const insert = first.db.prepare(
        `INSERT INTO runs (id, profile_id, profile_name, profile_kind, region, state, started_at, counts, finding_codes, context, owner_pid, owner_instance)
         VALUES (?, NULL, 'p', 'esa', 'eu', 'running', ?, '{}', '[]', '{}', ?, ?)`,
      );
      insert.run('live-other', now, other.pid!, 'their-instance');
      insert.run('before-owners', now, null, null);
      insert.run('closed-here', now, process.pid, 'an-instance-of-this-process-long-closed');
      insert.run('pid-reused', new Date(Date.now() - 2 * 24 * 3600 * 1000).toISOString(), other.pid!, 'old');
      first.close();

      const second = testCore({ dataDir, env: {} });
      const states = () => Object.fromEntries(second.checks.list(undefined, 10).runs.map((r) => [r.id, r.state]));
      expect(states()).toEqual({ 'live-other': 'running', 'before-owners': 'cancelled', 'closed-here': 'cancelled', 'pid-reused': 'cancelled' });
      second.close();

      other.kill('SIGKILL');
      await once(other, 'exit');
      const third = testCore({ dataDir, env: {} });
      try {
        expect(third.checks.list(undefined, 10).runs.find((r) => r.id === 'live-other')?.state).toBe('cancelled');
      } finally {
        third.close();
      }
    } finally {
      other.kill('SIGKILL');
    }
  });
});
