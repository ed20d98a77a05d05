import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { Database } from 'better-sqlite3';
import { RunSummary, type CheckDefinition, type FindingExplanation, type Run, type RunDiff, type TriageResult } from '../../contract/checks.js';
import type { ParsedRequestOf } from '../../contract/commands.js';
import type { ProfileFields, ProfileKind, RegionId } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../event-bus.js';
import { fillLocalized, type Knowledge, type Params } from '../knowledge/runbook.js';
import type { Logger } from '../logging/logger.js';
import type { ProfilesService } from '../profiles/profiles-service.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsService } from '../settings/settings-service.js';
import { regionEndpoints, regionXdrApis, type Endpoints } from './endpoints.js';
import { applicableChecks, baseParams, planRun, recordOutcome, runEngine, type ProbeRegistry } from './engine.js';
import { alignSymptomRows, buildFindings, renderFinding, withFix, worstSeverity } from './findings.js';
import { resolveProxy } from './proxy.js';
import { RunRepo, type RunContext, type RunOwner } from './run-repo.js';
import { genericParams, triageResult } from './triage.js';
import { manualProbe, manualRegionProbe } from './probes/inputs.js';
import type { ProbeContext } from './probes/probe.js';

export type StartOptions = ParsedRequestOf<'checks.start'>;

export interface ChecksDeps {
  db: Database;
  knowledge: Knowledge;
  profiles: ProfilesService;
  secrets: SecretStore;
  settings: SettingsService;
  bus: EventBus;
  log: Logger;
  clock: () => Date;
  env: NodeJS.ProcessEnv;
  /** Lab use (`--endpoints FILE`, XET_ENDPOINTS_FILE): replaces every region's cloud endpoints. */
  endpoints?: Endpoints | undefined;
  /** The probe functions (tests of the scheduler pass their own); the real ones by default. */
  probes?: ProbeRegistry | undefined;
}

interface Active {
  profileId: string;
  controller: AbortController;
  done: Promise<Run>;
}

/**
 * Runs the runbook against a profile, stores every run, and answers history, diffs, manual answers
 * and triage. Progress goes out as `checks.progress` / `checks.finished` events.
 */
export class ChecksService {
  private readonly repo: RunRepo;
  private readonly active = new Map<string, Active>();
  private closed = false;
  /** Marks this service's runs, so another service in this process tells them from its own leftovers. */
  private readonly instance = randomUUID();

  constructor(private readonly deps: ChecksDeps) {
    this.repo = new RunRepo(deps.db);
    liveInstances.add(this.instance);
    const stale = this.repo.abandonStale((owner) => ownerIsLive(owner, Date.now()));
    if (stale > 0) deps.log.warn('runs left running by an earlier process marked cancelled', { count: stale });
  }

  get knowledge(): Knowledge {
    return this.deps.knowledge;
  }

  private endpointsFor(profile: ProfileFields, override?: Endpoints): Endpoints {
    const endpoints = override ?? this.deps.endpoints ?? regionEndpoints(this.deps.knowledge.regions, profile.region);
    // An endpoints file without "xdrApi" keeps regions.json's XDR API hosts.
    return endpoints.xdrApi ? endpoints : { ...endpoints, xdrApi: regionXdrApis(this.deps.knowledge.regions) };
  }

  /** Whether the profile's XDR checks run: a client ID and its secret in the vault (both, or the manual steps stay). */
  private xdrClient(profileId: string, fields: ProfileFields): boolean {
    return Boolean(fields.xdrClientId) && this.deps.secrets.has(profileId, 'xdr-client-secret');
  }

  /** The runbook as the UI shows it; with a profile, only the checks that apply and with its facts filled in. */
  runbook(request: { profileId?: string | undefined; kind?: ProfileKind | undefined }): CheckDefinition[] {
    const { knowledge } = this.deps;
    let checks = knowledge.runbook.checks;
    let params = genericParams(knowledge);
    if (request.profileId) {
      const fields = this.deps.profiles.fields(request.profileId);
      checks = applicableChecks(knowledge, { ...fields, xdrClient: this.xdrClient(request.profileId, fields) });
      params = { ...params, ...baseParams(knowledge, fields, this.endpointsFor(fields)) };
    } else if (request.kind) {
      const kind = request.kind;
      checks = checks.filter((c) => c.appliesTo.includes(kind));
    }
    return checks.map((c) => ({
      id: c.id,
      kind: c.kind,
      title: fillLocalized(c.title, params),
      help: fillLocalized(c.help, params),
      appliesTo: c.appliesTo,
      dependsOn: c.dependsOn,
      seedSteps: c.seedSteps,
      choices: c.choices ? knowledge.runbook.choiceSets[c.choices]!.map((x) => ({ value: x.value, label: x.label })) : [],
      ...(c.group ? { group: c.group } : {}),
    }));
  }

  /**
   * Starts a run and returns at once; `done` settles with the stored run. Input errors (unknown
   * check, bad answer, bad proxy) are thrown before anything is stored.
   */
  start(options: StartOptions, overrides: { proxy?: string | undefined; endpoints?: Endpoints | undefined } = {}): { runId: string; total: number; done: Promise<Run> } {
    const { knowledge, log, bus, clock } = this.deps;
    const profile = this.deps.profiles.get(options.profileId);
    const stored = this.deps.profiles.fields(profile.id);
    const fields = { ...stored, id: profile.id, xdrClient: this.xdrClient(profile.id, stored) };
    for (const a of this.active.values()) {
      if (a.profileId === profile.id) throw AppError.of('CONFLICT', 'errors.checks.alreadyRunning', { profile: profile.name }, 'profileId');
    }
    // A stored password the vault cannot open would fail every API check: refuse up front with
    // LOCKED (the app's pages and the CLI open the vault and start again).
    if (profile.passwordStored && !this.deps.secrets.isOpen()) throw AppError.of('LOCKED', 'errors.checks.vaultLocked', { profile: profile.name }, 'profileId');
    const endpoints = this.endpointsFor(fields, overrides.endpoints);
    let proxy;
    try {
      proxy = resolveProxy({ option: overrides.proxy ?? null, setting: this.deps.settings.get().proxy, env: this.deps.env, targetHost: endpoints.threatResponse.hostname }, log.redactor);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw AppError.of('INVALID_REQUEST', 'errors.checks.proxyInvalid', { detail: (error as Error).message }, 'proxy');
    }
    const answers = options.answers ?? {};
    const context: RunContext = {
      answers,
      endpoints: { source: endpoints.source, threatResponse: endpoints.threatResponse.href, ssePortal: endpoints.ssePortal.href, xdrPortal: endpoints.xdrPortal.href },
      proxy: proxy ? `${proxy.display} (${proxy.source})` : null,
    };
    // Planned once, here: `only` and the answers are validated before anything is stored.
    const plan = planRun(knowledge, fields, options.only, answers);
    const total = plan.length;
    const runId = randomUUID();
    const controller = new AbortController();
    // Every running check listens for cancellation.
    setMaxListeners(64, controller.signal);
    const startedAt = clock();
    let done = 0;
    // Credentials of this run (the pasted token, each login's new JWT) are masked while it lasts, not
    // for the life of the process: a long session would otherwise mask, and scan every log line for,
    // every JWT it ever saw. The shapes the redactor knows (Bearer, Basic, JWT) stay masked regardless.
    const releases: (() => void)[] = [];
    const protect = (secret: string): void => {
      releases.push(log.redactor.hold(secret));
    };
    const release = () => {
      for (const r of releases.splice(0)) r();
    };
    if (options.token?.value) protect(options.token.value.trim());

    // Stored and registered before the engine starts: its first progress event names a run that
    // exists and can be cancelled, and a failure to store leaves no engine running unseen.
    try {
      this.repo.start({ id: runId, profileId: profile.id, profileName: profile.name, kind: profile.kind, region: profile.region, startedAt: startedAt.toISOString(), context, owner: { pid: process.pid, instance: this.instance } });
    } catch (error) {
      release();
      throw error;
    }
    let settle!: { resolve: (run: Run) => void; reject: (error: unknown) => void };
    const finished = new Promise<Run>((resolve, reject) => (settle = { resolve, reject }));
    this.active.set(runId, { profileId: profile.id, controller, done: finished });

    const engine = runEngine({
      knowledge,
      profile: fields,
      plan,
      probes: this.deps.probes,
      timeoutMs: options.timeoutMs,
      answers,
      token: options.token,
      errorText: options.errorText,
      endpoints,
      proxy,
      password: () => this.deps.secrets.reveal(profile.id, 'api-password'),
      xdr: fields.xdrClient && fields.xdrClientId ? { clientId: fields.xdrClientId, secret: () => this.deps.secrets.reveal(profile.id, 'xdr-client-secret') } : null,
      note: (message, data) => log.info(message, data),
      clock,
      redactor: log.redactor,
      protect,
      signal: controller.signal,
      onStart: (checkId) => bus.emit('checks.progress', { runId, profileId: profile.id, done, total, check: { id: checkId, state: 'running', result: null } }),
      onResult: (record, finishedCount) => {
        done = finishedCount;
        bus.emit('checks.progress', { runId, profileId: profile.id, done, total, check: { id: record.result.id, state: record.result.status, result: record.result } });
      },
    });
    engine
      .then(({ records: ordered, cancelled }) => {
        // The database is gone after shutdown; the next start marks this run cancelled.
        if (this.closed) throw AppError.of('UNAVAILABLE', 'errors.checks.shutDown');
        const findings = buildFindings(knowledge, ordered.flatMap((r) => r.raised), baseParams(knowledge, fields, endpoints), fields.kind);
        const records = alignSymptomRows(knowledge, ordered, findings);
        const finishedAt = clock();
        const durationMs = finishedAt.getTime() - startedAt.getTime();
        this.repo.finish(runId, cancelled ? 'cancelled' : 'completed', finishedAt.toISOString(), durationMs, records, findings, worstSeverity(findings), context);
        log.info('check run finished', { runId, profileId: profile.id, cancelled, durationMs, findings: findings.map((f) => f.code) });
        const run = this.get(runId);
        // No longer active by the time listeners hear of it: they may answer, delete or start again.
        this.active.delete(runId);
        bus.emit('checks.finished', { runId, profileId: profile.id, summary: RunSummary.parse(run) });
        return run;
      })
      .finally(() => {
        this.active.delete(runId);
        release();
      })
      .then(settle.resolve, settle.reject);
    finished.catch((error: unknown) => {
      if (this.closed) return;
      this.repo.delete(runId);
      log.error('check run failed', { runId, error: error instanceof Error ? error.message : String(error) });
    });
    return { runId, total, done: finished };
  }

  /** Runs to completion (CLI): like start, but answers the stored run. */
  async run(options: StartOptions, overrides: { proxy?: string | undefined; endpoints?: Endpoints | undefined } = {}): Promise<Run> {
    return await this.start(options, overrides).done;
  }

  activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  cancel(runId: string): { cancelled: boolean } {
    const a = this.active.get(runId);
    if (!a) return { cancelled: false };
    a.controller.abort(new Error('cancelled by the user'));
    return { cancelled: true };
  }

  /** Stops every running check run before the database closes (app shutdown); nothing is written after. */
  shutdown(): void {
    this.closed = true;
    liveInstances.delete(this.instance);
    for (const a of this.active.values()) a.controller.abort(new Error('shutting down'));
    this.active.clear();
  }

  /** A full run id from an id or a unique prefix of at least 4 characters (CLI convenience). */
  resolveRunId(idOrPrefix: string): string {
    const needle = idOrPrefix.trim().toLowerCase();
    if (needle.length < 4) throw AppError.of('INVALID_REQUEST', 'errors.checks.runIdShort', { min: 4 }, 'id');
    const ids = this.repo.idsStartingWith(needle);
    if (ids.length === 0) throw AppError.of('NOT_FOUND', 'errors.checks.noSuchRun', { id: idOrPrefix }, 'id');
    if (ids.length > 1) throw AppError.of('INVALID_REQUEST', 'errors.checks.runIdAmbiguous', { id: idOrPrefix }, 'id');
    return ids[0]!;
  }

  get(id: string): Run {
    const stored = this.repo.get(id);
    if (!stored) throw AppError.of('NOT_FOUND', 'errors.checks.noSuchRun', { id }, 'id');
    // The fix links follow today's catalogue, so an older run links to what fixes it too.
    const findings = stored.findings.map((f) => withFix(this.deps.knowledge, f, stored.summary.region));
    return { ...stored.summary, checks: stored.records.map((r) => r.result), findings, answers: stored.context.answers, endpoints: stored.context.endpoints, proxy: stored.context.proxy };
  }

  list(profileId: string | undefined, limit: number): { runs: RunSummary[] } {
    if (profileId) this.deps.profiles.requireId(profileId);
    return { runs: this.repo.list(profileId, limit) };
  }

  delete(id: string): { deleted: true } {
    if (this.active.has(id)) throw AppError.of('CONFLICT', 'errors.checks.stillRunning', {}, 'id');
    if (!this.repo.delete(id)) throw AppError.of('NOT_FOUND', 'errors.checks.noSuchRun', { id }, 'id');
    return { deleted: true };
  }

  deleteProfileHistory(profileId: string): number {
    return this.repo.deleteProfileHistory(profileId);
  }

  /** Records an answer to a manual step of a finished run and evaluates the findings again. */
  async answer(runId: string, checkId: string, answer: string): Promise<Run> {
    const { knowledge, log } = this.deps;
    if (this.active.has(runId)) throw AppError.of('CONFLICT', 'errors.checks.answerWhenFinished', {}, 'runId');
    const stored = this.repo.get(runId);
    if (!stored) throw AppError.of('NOT_FOUND', 'errors.checks.noSuchRun', { id: runId }, 'runId');
    const check = knowledge.checkById.get(checkId);
    const ordinal = stored.records.findIndex((r) => r.result.id === checkId);
    if (!check || check.kind !== 'manual' || ordinal < 0) throw AppError.of('INVALID_REQUEST', 'errors.checks.notManualStep', { check: checkId }, 'checkId');
    const choices = knowledge.runbook.choiceSets[check.choices!]!.map((c) => c.value);
    if (!choices.includes(answer)) throw AppError.of('INVALID_REQUEST', 'errors.checks.answerChoices', { choices: choices.join(', ') }, 'answer');
    const profileFields = this.profileSnapshot(stored.summary);
    const endpoints = this.endpointsFromContext(stored.context, profileFields);
    const answers = { ...stored.context.answers, [checkId]: answer };
    const probe = check.probe.type === 'manual-region' ? manualRegionProbe : manualProbe;
    const ctx = { check, profile: profileFields, answers, knowledge } as unknown as ProbeContext;
    const result = await probe(ctx, check.probe as never);
    const base = baseParams(knowledge, profileFields, endpoints);
    const record = recordOutcome(knowledge, check, result.outcome, base, { ...result, durationMs: 0 }, log.redactor);
    const findings = buildFindings(knowledge, stored.records.map((r, i) => (i === ordinal ? record : r)).flatMap((r) => r.raised), base, profileFields.kind);
    // The answer can bring a cause of the pasted message: its row follows the finding it now belongs to.
    const records = alignSymptomRows(knowledge, stored.records.map((r, i) => (i === ordinal ? record : r)), findings);
    const changed = records.map((r, i) => [i, r] as const).filter(([i, r]) => i === ordinal || r.result.status !== stored.records[i]!.result.status);
    const context = { ...stored.context, answers };
    this.repo.reevaluate(runId, changed, records, findings, worstSeverity(findings), context);
    log.info('manual step answered', { runId, checkId, answer, findings: findings.map((f) => f.code) });
    return this.get(runId);
  }

  /** The profile as it is now, or (deleted profile) what the run remembers of it. */
  private profileSnapshot(summary: RunSummary): ProfileFields & { id: string } {
    if (summary.profileId) {
      try {
        return { ...this.deps.profiles.fields(summary.profileId), id: summary.profileId };
      } catch {
        // Fall through to the run's own copy.
      }
    }
    return {
      id: summary.profileId ?? '',
      name: summary.profileName,
      kind: summary.profileKind,
      host: '',
      region: summary.region,
      httpsPort: 6443,
      httpsEnabled: true,
      httpPort: 6080,
      httpEnabled: true,
      username: '',
      cluster: null,
      notes: '',
      trust: { mode: 'system' },
      xdrClientId: null,
    };
  }

  private endpointsFromContext(context: RunContext, profile: ProfileFields): Endpoints {
    try {
      return { source: context.endpoints.source, threatResponse: new URL(context.endpoints.threatResponse), ssePortal: new URL(context.endpoints.ssePortal), xdrPortal: new URL(context.endpoints.xdrPortal), xdrApi: regionXdrApis(this.deps.knowledge.regions), trustedCa: null };
    } catch {
      return regionEndpoints(this.deps.knowledge.regions, profile.region);
    }
  }

  diff(beforeId: string, afterId: string): RunDiff {
    const before = this.get(beforeId);
    const after = this.get(afterId);
    const ids = [...new Set([...before.checks.map((c) => c.id), ...after.checks.map((c) => c.id)])];
    const statusIn = (run: Run, id: string) => run.checks.find((c) => c.id === id)?.status ?? null;
    const changed = ids.map((id) => ({ id, before: statusIn(before, id), after: statusIn(after, id) })).filter((c) => c.before !== c.after);
    const beforeCodes = new Set(before.findings.map((f) => f.code));
    const afterCodes = new Set(after.findings.map((f) => f.code));
    return {
      before: RunSummary.parse(before),
      after: RunSummary.parse(after),
      checks: changed,
      findings: {
        new: after.findings.filter((f) => !beforeCodes.has(f.code)),
        resolved: before.findings.filter((f) => !afterCodes.has(f.code)),
        unchanged: after.findings.filter((f) => beforeCodes.has(f.code)).map((f) => f.code),
      },
    };
  }

  /**
   * One finding of the catalogue for a profile (or, without one, in general words): its texts with
   * the profile's facts and `extra` (what a HAR file saw), its fix links, and the checks that confirm it.
   */
  explain(code: string, profileId: string | undefined, extra: Params = {}): FindingExplanation {
    const { knowledge } = this.deps;
    const def = knowledge.findings.get(code);
    if (!def) throw AppError.of('NOT_FOUND', 'errors.checks.noSuchFinding', { code }, 'code');
    let params = genericParams(knowledge);
    let kind: ProfileKind = 'esa';
    let region: RegionId | null = null;
    let applicable = new Set(knowledge.runbook.checks.map((c) => c.id));
    if (profileId) {
      const fields = this.deps.profiles.fields(profileId);
      params = { ...params, ...baseParams(knowledge, fields, this.endpointsFor(fields)) };
      kind = fields.kind;
      region = fields.region;
      applicable = new Set(applicableChecks(knowledge, { ...fields, xdrClient: this.xdrClient(profileId, fields) }).map((c) => c.id));
    }
    const raisers = knowledge.runbook.checks.filter((c) => Object.values(c.outcomes).some((o) => o.raises?.includes(code)) && applicable.has(c.id)).map((c) => c.id);
    // A symptom is told apart by the checks its message names.
    const told = knowledge.patterns.filter((p) => p.raises.includes(code)).flatMap((p) => p.checks.filter((id) => applicable.has(id)));
    const checks = [...new Set([...raisers, ...told])].map((id) => ({ id, title: fillLocalized(knowledge.checkById.get(id)!.title, params) }));
    // What only a capture (or a run) knows, worded in general when it is not at hand.
    const unknown: Params = { answerLabel: { en: 'another region', de: 'eine andere Region' }, httpStatus: '…', module: 'Secure Email', statusMeaning: '', message: params.detail ?? '' };
    return { finding: withFix(knowledge, renderFinding(def, { ...params, ...unknown, ...extra }, kind, raisers), region), checks };
  }

  triage(text: string, kind: ProfileKind | undefined, profileId: string | undefined): TriageResult {
    const { knowledge } = this.deps;
    let params = genericParams(knowledge);
    let profileKind: ProfileKind = kind ?? 'esa';
    if (profileId) {
      const fields = this.deps.profiles.fields(profileId);
      params = { ...params, ...baseParams(knowledge, fields, this.endpointsFor(fields)) };
      profileKind = kind ?? fields.kind;
    }
    const result = triageResult(knowledge, text, profileKind, params);
    const region = typeof params.region === 'string' ? (params.region as RegionId) : null;
    return { ...result, matches: result.matches.map((m) => ({ ...m, findings: m.findings.map((f) => withFix(knowledge, f, region)) })) };
  }
}

/** Check services of this process still open: their runs are live. */
const liveInstances = new Set<string>();
/** No run lasts a day: an older `running` one belongs to a process whose pid was reused. */
const MAX_RUN_MS = 24 * 60 * 60 * 1000;

/** Whether a `running` run is still being run: by an open service here, or by a live process beside us. */
function ownerIsLive(owner: RunOwner, now: number): boolean {
  if (owner.pid === null || owner.instance === null) return false;
  if (owner.pid === process.pid) return liveInstances.has(owner.instance);
  const started = Date.parse(owner.startedAt);
  if (!Number.isFinite(started) || now - started > MAX_RUN_MS) return false;
  return processExists(owner.pid);
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
