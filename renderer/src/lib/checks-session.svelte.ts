import type { Api } from '../../../electron/contract/api.js';
import type { CheckDefinition, CheckProgress, Run, TokenInput } from '../../../electron/contract/checks.js';
import type { EventPayload } from '../../../electron/contract/events.js';
import type { ContractError, Result } from '../../../electron/contract/result.js';
import { rowsFromRun, type RowView } from './checks-view.js';
import { errorMessage } from './errors.js';

type Buffered = { kind: 'progress'; payload: CheckProgress } | { kind: 'finished'; payload: EventPayload<'checks.finished'> };

export type Phase = 'idle' | 'starting' | 'running' | 'finished';

/**
 * The Checks page's state, kept for the app's lifetime so a run keeps going (and its progress
 * keeps arriving) while the user looks at another page. The registration token is deliberately
 * not here: it lives only in the form while the page is open.
 */
export class ChecksSession {
  profileId = $state<string | null>(null);
  runbook = $state<CheckDefinition[]>([]);
  runbookError = $state('');
  /** Manual-step answers: sent with the next run, updated by answers to the last one. */
  answers = $state<Record<string, string>>({});
  errorText = $state('');
  phase = $state<Phase>('idle');
  runId = $state<string | null>(null);
  cancelling = $state(false);
  done = $state(0);
  total = $state(0);
  rows = $state<Record<string, RowView>>({});
  /** The finished run as stored, findings included. */
  run = $state<Run | null>(null);
  problem = $state<ContractError | null>(null);
  answering = $state<string | null>(null);
  /** The run shown is the profile's last stored one (after a restart or reload), not one started here. */
  restored = $state(false);
  /** A profile whose checks the Checks page starts when it opens ("Run checks on <name>" after creating it). */
  pendingStart: string | null = null;

  // Events can overtake the answer to checks.start (they travel on another channel).
  private buffer: Buffered[] = [];
  private fallback: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly api: Api) {
    api.events.on('checks.progress', (p) => this.receive({ kind: 'progress', payload: p }));
    api.events.on('checks.finished', (p) => this.receive({ kind: 'finished', payload: p }));
  }

  get busy(): boolean {
    return this.phase === 'starting' || this.phase === 'running';
  }

  /** Chooses the appliance to check and loads its runbook; keeps everything when it is already chosen. */
  async selectProfile(id: string): Promise<void> {
    if (this.busy) return;
    if (id === this.profileId && this.runbook.length > 0) return;
    this.profileId = id;
    this.runbook = [];
    this.runbookError = '';
    this.answers = {};
    this.reset();
    const r = await this.api.checks.runbook({ profileId: id });
    if (this.profileId !== id) return;
    if (r.ok) this.runbook = r.value.checks;
    else this.runbookError = errorMessage(r.error);
    // What the app knew before a restart is shown again rather than a list of "Not run".
    const last = await this.api.runs.latest({ profileId: id });
    if (this.profileId !== id || this.phase !== 'idle' || !last.ok || !last.value.run || last.value.run.state === 'running') return;
    this.show(last.value.run);
    this.restored = true;
  }

  /**
   * The chosen profile changed (an XDR API client added or removed): the checks that apply may
   * differ. Reloads them when idle; rows are kept unless the set of checks is different.
   */
  async refreshRunbook(): Promise<void> {
    if (this.busy || !this.profileId) return;
    const id = this.profileId;
    const r = await this.api.checks.runbook({ profileId: id });
    if (this.profileId !== id || this.busy || !r.ok) return;
    if (r.value.checks.map((c) => c.id).join() === this.runbook.map((c) => c.id).join()) return;
    this.runbook = r.value.checks;
    this.reset();
  }

  private reset(): void {
    this.restored = false;
    this.phase = 'idle';
    this.runId = null;
    this.run = null;
    this.rows = {};
    this.done = 0;
    this.total = 0;
    this.problem = null;
  }

  async start(token?: TokenInput): Promise<Result<{ runId: string; total: number }>> {
    const profileId = this.profileId;
    if (!profileId || this.busy) return { ok: false, error: { code: 'CONFLICT', message: 'A run is already starting.' } };
    const before = { phase: this.phase, runId: this.runId, run: this.run, rows: this.rows, done: this.done, total: this.total };
    this.problem = null;
    this.restored = false;
    this.phase = 'starting';
    this.buffer = [];
    this.run = null;
    this.runId = null;
    this.done = 0;
    this.total = this.runbook.length;
    this.rows = Object.fromEntries(this.runbook.map((d) => [d.id, { state: 'pending', result: null }]));
    const text = this.errorText.trim();
    const r = await this.api.checks.start({ profileId, answers: { ...this.answers }, ...(token ? { token } : {}), ...(text ? { errorText: text } : {}) });
    if (!r.ok) {
      Object.assign(this, before);
      this.problem = r.error;
      return r;
    }
    this.runId = r.value.runId;
    this.total = r.value.total;
    this.phase = 'running';
    const waiting = this.buffer.filter((b) => b.payload.runId === r.value.runId);
    this.buffer = [];
    for (const b of waiting) this.receive(b);
    return r;
  }

  async cancel(): Promise<void> {
    if (!this.runId || this.phase !== 'running') return;
    this.cancelling = true;
    const r = await this.api.checks.cancel({ runId: this.runId });
    if (!r.ok) {
      this.cancelling = false;
      this.problem = r.error;
    }
  }

  /**
   * Before a run, remembers the answer for it (choosing it again clears it); after a run, stores it
   * with the run and takes the re-evaluated findings.
   */
  async answer(checkId: string, value: string): Promise<void> {
    if (this.busy) return;
    if (this.phase !== 'finished' || !this.run) {
      const next = { ...this.answers };
      if (next[checkId] === value) delete next[checkId];
      else next[checkId] = value;
      this.answers = next;
      return;
    }
    this.answering = checkId;
    const r = await this.api.checks.answer({ runId: this.run.id, checkId, answer: value });
    this.answering = null;
    if (!r.ok) {
      this.problem = r.error;
      return;
    }
    this.problem = null;
    this.show(r.value);
  }

  private show(run: Run): void {
    this.run = run;
    this.rows = rowsFromRun(run.checks);
    this.answers = { ...this.answers, ...run.answers };
    this.done = run.checks.length;
    this.total = Math.max(this.total, run.checks.length);
    this.phase = 'finished';
    this.cancelling = false;
  }

  private receive(event: Buffered): void {
    if (this.phase === 'starting') {
      if (event.payload.profileId === this.profileId) this.buffer.push(event);
      return;
    }
    if (event.payload.runId !== this.runId || this.phase !== 'running') return;
    if (event.kind === 'finished') {
      void this.finish(event.payload.runId);
      return;
    }
    const p = event.payload;
    this.rows[p.check.id] = { state: p.check.state, result: p.check.result };
    this.done = Math.max(this.done, p.done);
    this.total = p.total;
    if (p.done >= p.total) {
      // Should the end event be lost (a reconnecting event stream), the stored run still ends the wait.
      clearTimeout(this.fallback);
      this.fallback = setTimeout(() => void this.finish(p.runId, true), 2500);
    }
  }

  private async finish(runId: string, onlyIfStored = false): Promise<void> {
    clearTimeout(this.fallback);
    const r = await this.api.runs.get({ id: runId });
    if (this.runId !== runId || this.phase !== 'running') return;
    if (!r.ok) {
      this.problem = r.error;
      return;
    }
    if (onlyIfStored && r.value.state === 'running') return;
    this.show(r.value);
  }
}

const sessions = new WeakMap<Api, ChecksSession>();

/** One session per API object (per app); tests that mount a fresh app get a fresh session. */
export function checksSession(api: Api): ChecksSession {
  let s = sessions.get(api);
  if (!s) {
    s = new ChecksSession(api);
    sessions.set(api, s);
  }
  return s;
}
