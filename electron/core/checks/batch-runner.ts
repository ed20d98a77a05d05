import { randomUUID } from 'node:crypto';
import { RunSummary, type Run } from '../../contract/checks.js';
import type { BatchItem, BatchState } from '../../contract/overview.js';
import type { ParsedRequestOf } from '../../contract/commands.js';
import type { Profile } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../event-bus.js';
import type { HostOptions } from '../host-options.js';
import type { Logger } from '../logging/logger.js';
import type { ProfilesService } from '../profiles/profiles-service.js';
import type { Vault } from '../secrets/vault.js';
import type { ChecksService } from './checks-service.js';

export interface BatchDeps {
  checks: ChecksService;
  profiles: ProfilesService;
  vault: Vault;
  bus: EventBus;
  log: Logger;
  clock: () => Date;
}

interface Live {
  state: BatchState;
  cancelled: boolean;
  done: Promise<BatchState>;
}

/**
 * Runs the checks of many profiles at once, at most `concurrency` at a time (each run already probes
 * in parallel; more at once only queues on the same sockets and event loop). One batch at a time:
 * two would fight over the same appliances. Every change of an appliance's state goes out whole as
 * `checks.batch`, so the overview and the CLI need nothing else to follow it.
 */
export class BatchRunner {
  private current: Live | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly deps: BatchDeps) {
    // Per-check progress only updates the counters; the event for it is `checks.progress` itself.
    this.unsubscribe = deps.bus.subscribe((name, payload) => {
      if (name !== 'checks.progress' || !this.current) return;
      const p = payload as { runId: string; done: number; total: number };
      const item = this.current.state.items.find((i) => i.runId === p.runId);
      if (item) Object.assign(item, { done: p.done, total: p.total });
    });
  }

  /** The profiles a request names: the ticked ones, else all that match the filters (by name). */
  select(request: ParsedRequestOf<'checks.startAll'>): Profile[] {
    const { profiles } = this.deps;
    if (request.profileIds && request.profileIds.length > 0) return [...new Set(request.profileIds)].map((id) => profiles.get(id));
    const cluster = request.cluster?.trim().toLowerCase();
    return profiles
      .list()
      .profiles.filter((p) => (!request.kind || p.kind === request.kind) && (!request.region || p.region === request.region) && (!cluster || (p.cluster ?? '').toLowerCase() === cluster));
  }

  start(request: ParsedRequestOf<'checks.startAll'>, host?: HostOptions['checks.start']): BatchState {
    if (this.current?.state.state === 'running') throw AppError.of('CONFLICT', 'errors.batch.running');
    const chosen = this.select(request);
    if (chosen.length === 0) throw AppError.of('INVALID_REQUEST', 'errors.batch.noProfiles', undefined, 'profileIds');
    // Asked once up front rather than failing half the runs one by one.
    if (chosen.some((p) => p.passwordStored) && this.deps.vault.status().state !== 'unlocked') throw AppError.of('LOCKED', 'errors.batch.locked');
    const state: BatchState = {
      batchId: randomUUID(),
      state: 'running',
      concurrency: request.concurrency,
      startedAt: this.deps.clock().toISOString(),
      finishedAt: null,
      items: chosen.map((p) => ({ profileId: p.id, profileName: p.name, state: 'queued', runId: null, done: 0, total: 0, summary: null, error: null })),
    };
    const live: Live = { state, cancelled: false, done: Promise.resolve(state) };
    this.current = live;
    live.done = this.drive(live, request, host);
    this.emit(live);
    this.deps.log.info('batch started', { batchId: state.batchId, profiles: state.items.length, concurrency: request.concurrency });
    return structuredClone(state);
  }

  private async drive(live: Live, request: ParsedRequestOf<'checks.startAll'>, host: HostOptions['checks.start'] | undefined): Promise<BatchState> {
    const queue = [...live.state.items];
    const worker = async (): Promise<void> => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        if (live.cancelled) break;
        await this.runOne(live, item, request, host);
      }
    };
    await Promise.all(Array.from({ length: Math.min(request.concurrency, queue.length) }, worker));
    for (const item of live.state.items) if (item.state === 'queued') item.state = 'cancelled';
    live.state.state = live.cancelled ? 'cancelled' : 'finished';
    live.state.finishedAt = this.deps.clock().toISOString();
    this.emit(live);
    this.deps.log.info('batch finished', { batchId: live.state.batchId, state: live.state.state });
    return structuredClone(live.state);
  }

  private async runOne(live: Live, item: BatchItem, request: ParsedRequestOf<'checks.startAll'>, host: HostOptions['checks.start'] | undefined): Promise<void> {
    let started: { runId: string; total: number; done: Promise<Run> };
    try {
      started = this.deps.checks.start({ profileId: item.profileId, ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}) }, host ?? {});
    } catch (error) {
      item.state = 'failed';
      item.error = describe(error);
      this.emit(live);
      return;
    }
    Object.assign(item, { state: 'running', runId: started.runId, total: started.total });
    this.emit(live);
    try {
      const run = await started.done;
      item.summary = RunSummary.parse(run);
      item.done = run.checks.length;
      item.state = run.state === 'cancelled' ? 'cancelled' : 'done';
    } catch (error) {
      item.state = 'failed';
      item.error = describe(error);
    }
    this.emit(live);
  }

  /** Stops the batch: queued appliances are not started, running ones are cancelled (their finished checks are kept). */
  cancel(batchId: string): { cancelled: boolean } {
    const live = this.current;
    if (!live || live.state.batchId !== batchId || live.state.state !== 'running') return { cancelled: false };
    live.cancelled = true;
    for (const item of live.state.items) {
      if (item.state === 'queued') item.state = 'cancelled';
      if (item.state === 'running' && item.runId) this.deps.checks.cancel(item.runId);
    }
    this.emit(live);
    return { cancelled: true };
  }

  /** The running or last batch of this session (the overview after a reload), or a named one. */
  status(batchId?: string): BatchState | null {
    const live = this.current;
    if (!live || (batchId && live.state.batchId !== batchId)) return null;
    return structuredClone(live.state);
  }

  shutdown(): void {
    if (this.current) this.current.cancelled = true;
    this.unsubscribe();
  }

  private emit(live: Live): void {
    this.deps.bus.emit('checks.batch', structuredClone(live.state));
  }
}

function describe(error: unknown): BatchItem['error'] {
  if (error instanceof AppError) return { code: error.code, message: error.message, ...(error.key ? { key: error.key } : {}), ...(error.params ? { params: error.params as Record<string, string | number> } : {}) };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
