import { ProfileInput } from '../../../electron/contract/profiles.js';
import { regionEndpoints } from '../../../electron/core/checks/endpoints.js';
import { applicableChecks, PROBES, planRun, runEngine, type ProbeRegistry } from '../../../electron/core/checks/engine.js';
import type { ProbeContext, ProbeResult } from '../../../electron/core/checks/probes/probe.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { Redactor } from '../../../electron/core/logging/redactor.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { sampleProfile } from '../../support/core.js';

/**
 * The scheduler on its own: the real runbook's dependency graph, probes replaced through the
 * injectable registry, so skips, the concurrency bound, cancellation and timeouts are shown
 * without the network or the simulator.
 */
const knowledge = loadKnowledge(defaultResourcesDir());
const profile = { ...ProfileInput.parse(sampleProfile), id: 'p1' };
const endpoints = regionEndpoints(knowledge.regions, 'eu');

type Behaviour = 'pass' | 'throw' | 'hang';

/** Every probe type answers by the check's behaviour (default pass); `seen` records the concurrency. */
function fakeProbes(behaviour: Record<string, Behaviour>, seen: { running: number; max: number; started: string[] }): ProbeRegistry {
  const probe = async (ctx: ProbeContext): Promise<ProbeResult> => {
    seen.started.push(ctx.check.id);
    seen.running++;
    seen.max = Math.max(seen.max, seen.running);
    try {
      const what = behaviour[ctx.check.id] ?? 'pass';
      if (what === 'hang') await new Promise(() => undefined);
      // Yield, so checks that may run together really overlap.
      await new Promise((resolve) => setImmediate(resolve));
      if (what === 'throw') throw new Error(`${ctx.check.id} broke`);
      return { outcome: 'pass', params: { host: 'h', addresses: 'a', detail: '' } };
    } finally {
      seen.running--;
    }
  };
  return Object.fromEntries(Object.keys(PROBES).map((type) => [type, probe])) as unknown as ProbeRegistry;
}

function run(only: string[], behaviour: Record<string, Behaviour>, extra: { signal?: AbortSignal; timeoutMs?: number; onStart?: (id: string) => void } = {}) {
  const seen = { running: 0, max: 0, started: [] as string[] };
  const plan = planRun(knowledge, profile, only, {});
  const done = runEngine({
    knowledge,
    profile,
    plan,
    probes: fakeProbes(behaviour, seen),
    answers: {},
    endpoints,
    proxy: null,
    password: () => null,
    clock: () => new Date(),
    redactor: new Redactor(),
    signal: extra.signal ?? new AbortController().signal,
    timeoutMs: extra.timeoutMs,
    onStart: extra.onStart,
  });
  return { plan, seen, done };
}

const statusOf = (records: { result: { id: string; status: string; outcome: string | null } }[]) => Object.fromEntries(records.map((r) => [r.result.id, r.result.outcome ?? r.result.status]));

describe('check scheduler (injected probes)', () => {
  it('runs the plan it is given, once each, and skips the dependents of a check that did not pass', async () => {
    const { plan, seen, done } = run(['api-clock', 'cloud-https'], { 'api-https-port': 'throw' });
    const { records, cancelled } = await done;
    expect(cancelled).toBe(false);
    expect(records.map((r) => r.result.id).sort()).toEqual(plan.map((c) => c.id).sort());
    expect(new Set(seen.started).size).toBe(seen.started.length);
    const status = statusOf(records);
    expect(status['api-https-port']).toBe('exception');
    for (const dependent of ['api-tls', 'api-version', 'api-auth', 'api-clock']) expect(status[dependent], dependent).toBe('dependency');
    expect(seen.started).not.toContain('api-tls');
    // The cloud branch does not depend on the appliance and runs to the end.
    expect(status['cloud-https']).toBe('pass');
  });

  it('keeps at most the runbook concurrency of probes running, and does run independent ones side by side', async () => {
    const independent = applicableChecks(knowledge, profile).filter((c) => c.dependsOn.length === 0 && c.kind !== 'manual').map((c) => c.id);
    expect(independent.length).toBeGreaterThan(knowledge.runbook.concurrency - 2);
    const { seen, done } = run(independent, {});
    await done;
    expect(seen.max).toBeLessThanOrEqual(knowledge.runbook.concurrency);
    expect(seen.max).toBeGreaterThan(1);
  });

  it('cancels: the running probe ends as cancelled and nothing after it starts', async () => {
    const controller = new AbortController();
    const { seen, done } = run(['api-clock'], { 'api-tls': 'hang' }, { signal: controller.signal, onStart: (id) => id === 'api-tls' && setImmediate(() => controller.abort(new Error('cancelled by the user'))) });
    const { records, cancelled } = await done;
    expect(cancelled).toBe(true);
    const status = statusOf(records);
    expect(status['api-tls']).toBe('cancelled');
    expect(seen.started).not.toContain('api-version');
    expect(status['api-clock']).not.toBe('pass');
  });

  it('ends a probe that does not answer within the run timeout as timeout, and skips its dependents', async () => {
    const { done } = run(['api-version'], { 'api-tls': 'hang' }, { timeoutMs: 20 });
    const status = statusOf((await done).records);
    expect(status['api-tls']).toBe('timeout');
    expect(status['api-version']).toBe('dependency');
  });
});
