import { setMaxListeners } from 'node:events';
import type { Answers, CheckResult, CheckStatus, Evidence, TokenInput } from '../../contract/checks.js';
import type { ProfileFields } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import type { CheckDef, Knowledge, OutcomeDef, Params, ProbeDef } from '../knowledge/runbook.js';
import { fillLocalized } from '../knowledge/runbook.js';
import type { Redactor } from '../logging/redactor.js';
import type { Endpoints } from './endpoints.js';
import type { Raised } from './findings.js';
import { ApiConnections } from './probes/api-connections.js';
import { apiAuthProbe, apiClockProbe, apiHealthProbe, apiPrivilegesProbe, apiVersionProbe } from './probes/asyncos.js';
import { cloudHttpsProbe } from './probes/cloud-https.js';
import { errorTextProbe, manualProbe, manualRegionProbe, tokenFormatProbe, tokenLifetimeProbe, tokenRegionProbe } from './probes/inputs.js';
import { dnsProbe, tcpProbe } from './probes/network.js';
import type { ApiSession, Probe, ProbeContext, ProbeResult } from './probes/probe.js';
import { applianceTlsProbe, cloudTlsProbe } from './probes/tls-probes.js';
import { xdrAuthProbe, xdrModuleHealthProbe, xdrModuleProbe, xdrObserveProbe, xdrSseDeviceProbe } from './probes/xdr-probes.js';
import type { ProxyConfig } from './proxy.js';
import { XdrSession, type XdrConfig } from './xdr/xdr-session.js';

/** Which function runs each probe type of the runbook; injectable so the scheduler is tested without the network. */
export type ProbeRegistry = { [T in ProbeDef['type']]: Probe<Extract<ProbeDef, { type: T }>> };

export const PROBES: ProbeRegistry = {
  dns: dnsProbe,
  tcp: tcpProbe,
  'appliance-tls': applianceTlsProbe,
  'api-version': apiVersionProbe,
  'api-auth': apiAuthProbe,
  'api-privileges': apiPrivilegesProbe,
  'api-health': apiHealthProbe,
  'api-clock': apiClockProbe,
  'cloud-tls': cloudTlsProbe,
  'cloud-https': cloudHttpsProbe,
  'token-format': tokenFormatProbe,
  'token-lifetime': tokenLifetimeProbe,
  'token-region': tokenRegionProbe,
  manual: manualProbe,
  'manual-region': manualRegionProbe,
  'error-text': errorTextProbe,
  'xdr-auth': xdrAuthProbe,
  'xdr-sse-device': xdrSseDeviceProbe,
  'xdr-module': xdrModuleProbe,
  'xdr-module-health': xdrModuleHealthProbe,
  'xdr-observe': xdrObserveProbe,
};

/** A check's result plus what the engine needs to rebuild findings later (stored with the run). */
export interface CheckRecord {
  result: CheckResult;
  raised: Raised[];
}

export interface EngineInput {
  knowledge: Knowledge;
  profile: ProfileFields & { id: string; xdrClient?: boolean };
  /** The checks to run, from `planRun` (the caller plans once, validating `only` and the answers before anything starts). */
  plan: CheckDef[];
  /** The probe functions; the real ones unless a test passes its own. */
  probes?: ProbeRegistry | undefined;
  timeoutMs?: number | undefined;
  answers: Answers;
  token?: TokenInput | undefined;
  errorText?: string | undefined;
  endpoints: Endpoints;
  proxy: ProxyConfig | null;
  password: () => string | null;
  clock: () => Date;
  redactor: Redactor;
  /** Masks a credential a probe obtained (a JWT) while the run needs it; without it, for the life of the process. */
  protect?: (secret: string) => void;
  signal: AbortSignal;
  /** The profile's XDR API client; null when it has none (the XDR checks are then not planned). */
  xdr?: XdrConfig | null | undefined;
  /** Log lines from probes (the XDR API's trace ids). */
  note?: (message: string, fields: Record<string, unknown>) => void;
  onStart?: (checkId: string) => void;
  onResult?: (record: CheckRecord, done: number, total: number) => void;
}

const PROCEEDS: ReadonlySet<CheckStatus> = new Set(['pass', 'warn']);

/** What decides which checks apply: the kind, a cluster name, and whether an XDR API client (ID and secret) is set. */
export type Applicability = Pick<ProfileFields, 'kind' | 'cluster'> & { xdrClient?: boolean };

function applies(check: CheckDef, profile: Applicability): boolean {
  if (!check.appliesTo.includes(profile.kind)) return false;
  switch (check.when) {
    case 'cluster':
      return profile.cluster !== null;
    case 'xdr-client':
      return profile.xdrClient === true;
    case 'no-xdr-client':
      // The manual steps an XDR API client answers automatically stay for profiles without one.
      return profile.xdrClient !== true;
    default:
      return true;
  }
}

/** The checks of the runbook that apply to this profile (kind, cluster, XDR API client), in runbook order. */
export function applicableChecks(knowledge: Knowledge, profile: Applicability): CheckDef[] {
  return knowledge.runbook.checks.filter((c) => applies(c, profile));
}

/**
 * The checks a run executes: all applicable ones, or `only` plus everything those depend on.
 * Unknown ids and answers outside a check's choices are input errors naming the field.
 */
export function planRun(knowledge: Knowledge, profile: ProfileFields & { xdrClient?: boolean }, only: string[] | undefined, answers: Answers): CheckDef[] {
  const applicable = applicableChecks(knowledge, profile);
  const byId = new Map(applicable.map((c) => [c.id, c]));
  for (const [id, answer] of Object.entries(answers)) {
    const check = knowledge.checkById.get(id);
    if (!check || check.kind !== 'manual') throw AppError.of('INVALID_REQUEST', 'errors.checks.answerNotManual', { check: id, steps: knowledge.runbook.checks.filter((c) => c.kind === 'manual').map((c) => c.id).join(', ') }, `answers.${id}`);
    const choices = knowledge.runbook.choiceSets[check.choices!]!.map((c) => c.value);
    if (!choices.includes(answer)) throw AppError.of('INVALID_REQUEST', 'errors.checks.answerNotChoice', { answer, check: id, choices: choices.join(', ') }, `answers.${id}`);
  }
  if (!only || only.length === 0) return applicable;
  const wanted = new Set<string>();
  const add = (id: string) => {
    if (wanted.has(id)) return;
    const check = byId.get(id);
    if (!check) {
      const def = knowledge.checkById.get(id);
      const params = { check: id, kind: profile.kind.toUpperCase(), checks: applicable.map((c) => c.id).join(', ') };
      const key = !def
        ? 'errors.checks.onlyUnknown'
        : def.appliesTo.includes(profile.kind) && def.when === 'xdr-client'
          ? 'errors.checks.onlyNeedsXdrClient'
          : def.appliesTo.includes(profile.kind) && def.when === 'no-xdr-client'
            ? 'errors.checks.onlyAnsweredByXdr'
            : 'errors.checks.onlyNotApplicable';
      throw AppError.of('INVALID_REQUEST', key, params, 'only');
    }
    wanted.add(id);
    check.dependsOn.forEach(add);
  };
  only.forEach(add);
  return applicable.filter((c) => wanted.has(c.id));
}

/** Profile facts every summary, help text and finding may use. */
export function baseParams(knowledge: Knowledge, profile: ProfileFields, endpoints: Endpoints): Params {
  return {
    host: profile.host,
    httpsPort: profile.httpsPort,
    httpPort: profile.httpPort,
    port: profile.httpsPort,
    user: profile.username,
    cluster: profile.cluster ?? '',
    region: profile.region,
    regionLabel: knowledge.regionLabels[profile.region],
    cloudHost: endpoints.threatResponse.host,
    sseHost: endpoints.ssePortal.host,
    xdrHost: endpoints.xdrPortal.host,
    sseUrl: endpoints.ssePortal.href,
    xdrUrl: endpoints.xdrPortal.href,
    base: `https://${profile.host}:${profile.httpsPort}/${profile.kind === 'sma' ? 'sma' : 'esa'}/api/v2.0`,
    detail: '',
    profileName: profile.name,
    xdrClientId: profile.xdrClientId ?? '',
    xdrApiHost: (endpoints.xdrApi?.[profile.region] ?? new URL(`https://${knowledge.regions.regions.find((r) => r.id === profile.region)!.xdrApi.host}/`)).host,
  };
}

/** Evidence and summaries pass through the redactor: a secret that slipped into a probe's output is masked here. */
function scrub<T>(redactor: Redactor, value: T): T {
  return JSON.parse(redactor.redact(JSON.stringify(value))) as T;
}

/** Builds the stored record of one check from its outcome. */
export function recordOutcome(
  knowledge: Knowledge,
  check: CheckDef,
  outcome: string,
  base: Params,
  extra: { params?: Params; evidence?: Evidence; raises?: ProbeResult['raises']; durationMs: number },
  redactor: Redactor,
): CheckRecord {
  const generic = knowledge.runbook.genericOutcomes as Record<string, OutcomeDef>;
  const def = check.outcomes[outcome] ?? generic[outcome];
  if (!def) {
    return recordOutcome(knowledge, check, 'exception', base, { ...extra, params: { message: `probe answered an outcome the runbook does not define: ${outcome}` } }, redactor);
  }
  const params = { ...base, ...extra.params };
  const raised: Raised[] = [
    ...(def.raises ?? []).map((code) => ({ code, check: check.id, params: extra.params ?? {} })),
    ...(extra.raises ?? []).map((r) => ({ code: r.code, check: check.id, params: { ...extra.params, ...r.params }, ...(r.causes?.length ? { causes: r.causes } : {}) })),
  ];
  const result: CheckResult = {
    id: check.id,
    status: def.status,
    outcome: outcome === 'pass' ? null : outcome,
    durationMs: Math.round(extra.durationMs),
    summary: fillLocalized(def.summary, params),
    evidence: extra.evidence ?? {},
  };
  return scrub(redactor, { result, raised });
}

class TimeoutSignal extends Error {
  constructor() {
    super('timeout');
  }
}

/**
 * Runs the planned checks as a dependency graph: each starts once its dependencies are done, up to
 * `concurrency` at a time, each bounded by its own timeout (capped by `timeoutMs`). A dependency that
 * did not pass (or warn) makes its dependents `skip`, naming it. Cancelling stops running probes and
 * marks the rest `skip`. Never throws for a probe's failure: that becomes the check's `error`.
 */
export async function runEngine(input: EngineInput): Promise<{ records: CheckRecord[]; cancelled: boolean }> {
  const { knowledge, profile } = input;
  const { plan } = input;
  const probes = input.probes ?? PROBES;
  const base = baseParams(knowledge, profile, input.endpoints);
  const session: ApiSession = { base: null, jwt: null, basic: null, user: profile.username, tls: null, connections: new ApiConnections() };
  const xdr = new XdrSession(input.xdr ?? null);
  const records = new Map<string, CheckRecord>();
  const planned = new Set(plan.map((c) => c.id));
  const running = new Set<Promise<void>>();
  const limit = knowledge.runbook.concurrency;
  const total = plan.length;

  const finish = (record: CheckRecord) => {
    records.set(record.result.id, record);
    input.onResult?.(record, records.size, total);
  };

  const runOne = async (check: CheckDef): Promise<void> => {
    input.onStart?.(check.id);
    const started = performance.now();
    const timeoutMs = Math.min(check.timeoutMs ?? 1000, input.timeoutMs ?? Number.POSITIVE_INFINITY);
    const controller = new AbortController();
    setMaxListeners(32, controller.signal);
    const onCancel = () => controller.abort(input.signal.reason);
    input.signal.addEventListener('abort', onCancel, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const ctx: ProbeContext = {
      check,
      profile,
      signal: controller.signal,
      timeoutMs,
      endpoints: input.endpoints,
      proxy: input.proxy,
      session,
      token: input.token,
      answers: input.answers,
      errorText: input.errorText,
      password: input.password,
      clock: input.clock,
      protect: (secret) => (input.protect ? input.protect(secret) : input.redactor.addSecret(secret)),
      knowledge,
      xdr,
      note: (message, fields) => input.note?.(message, fields),
    };
    try {
      const probe = probes[check.probe.type] as Probe;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new TimeoutSignal());
          reject(new TimeoutSignal());
        }, timeoutMs);
      });
      const cancelled = new Promise<never>((_, reject) => {
        if (controller.signal.aborted) reject(controller.signal.reason);
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      const result = await Promise.race([probe(ctx, check.probe), timeout, cancelled]);
      finish(recordOutcome(knowledge, check, result.outcome, base, { ...result, durationMs: performance.now() - started }, input.redactor));
    } catch (error) {
      const durationMs = performance.now() - started;
      if (error instanceof TimeoutSignal) {
        finish(recordOutcome(knowledge, check, 'timeout', base, { params: { timeoutMs, detail: `no answer within ${timeoutMs} ms` }, evidence: { timeoutMs }, durationMs }, input.redactor));
      } else if (input.signal.aborted) {
        finish(recordOutcome(knowledge, check, 'cancelled', base, { durationMs }, input.redactor));
      } else {
        const message = error instanceof Error ? error.message : String(error);
        finish(recordOutcome(knowledge, check, 'exception', base, { params: { message }, evidence: { error: message }, durationMs }, input.redactor));
      }
    } finally {
      clearTimeout(timer);
      input.signal.removeEventListener('abort', onCancel);
    }
  };

  const pending = [...plan];
  const skipFor = (check: CheckDef): CheckDef | null => {
    for (const dep of check.dependsOn) {
      if (!planned.has(dep)) continue;
      const r = records.get(dep);
      if (r && !PROCEEDS.has(r.result.status)) return knowledge.checkById.get(dep)!;
    }
    return null;
  };
  const ready = (check: CheckDef) => check.dependsOn.every((d) => !planned.has(d) || records.has(d));

  // One listener for the whole run: a new one per wait stayed on the run's signal until the run ended.
  let wakeOnCancel: () => void = () => undefined;
  const cancel = new Promise<void>((resolve) => {
    wakeOnCancel = () => resolve();
  });
  input.signal.addEventListener('abort', wakeOnCancel, { once: true });
  try {
    while (pending.length > 0 || running.size > 0) {
      if (input.signal.aborted) {
        for (const check of pending.splice(0)) finish(recordOutcome(knowledge, check, 'cancelled', base, { durationMs: 0 }, input.redactor));
        await Promise.all(running);
        break;
      }
      let progressed = false;
      for (let i = 0; i < pending.length; ) {
        const check = pending[i]!;
        if (!ready(check)) {
          i++;
          continue;
        }
        const blocker = skipFor(check);
        if (blocker) {
          pending.splice(i, 1);
          finish(recordOutcome(knowledge, check, 'dependency', base, { params: { dependency: blocker.title }, evidence: { dependency: blocker.id }, durationMs: 0 }, input.redactor));
          progressed = true;
          continue;
        }
        if (running.size >= limit) break;
        pending.splice(i, 1);
        const task: Promise<void> = runOne(check).finally(() => running.delete(task));
        running.add(task);
        progressed = true;
      }
      if (!progressed || running.size >= limit || pending.length === 0) {
        if (running.size === 0) {
          if (pending.length > 0 && !progressed) throw new Error(`checks cannot start: ${pending.map((c) => c.id).join(', ')}`);
          continue;
        }
        await Promise.race([...running, cancel]);
      }
    }
  } finally {
    input.signal.removeEventListener('abort', wakeOnCancel);
    session.connections?.close();
    await xdr.close();
  }
  const ordered = plan.map((c) => records.get(c.id)!).filter(Boolean);
  return { records: ordered, cancelled: input.signal.aborted };
}
