import { z } from 'zod';
import { ProfileId, ProfileKind, RegionId } from './profiles.js';

/** Text every user-facing part of a check or finding carries in both UI languages. */
export const Localized = z.object({ en: z.string(), de: z.string() });
export type Localized = z.infer<typeof Localized>;
export const LocalizedList = z.object({ en: z.array(z.string()), de: z.array(z.string()) });
export type LocalizedList = z.infer<typeof LocalizedList>;

export const checkStatuses = ['pass', 'fail', 'warn', 'skip', 'needs-input', 'error'] as const;
export const CheckStatus = z.enum(checkStatuses);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const severities = ['critical', 'error', 'warning', 'info'] as const;
export const Severity = z.enum(severities);
export type Severity = z.infer<typeof Severity>;

export const seedSteps = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'V', 'E'] as const;
export const SeedStep = z.enum(seedSteps);
export type SeedStep = z.infer<typeof SeedStep>;

export const checkKinds = ['probe', 'manual', 'input'] as const;
export const CheckKind = z.enum(checkKinds);
export type CheckKind = z.infer<typeof CheckKind>;

/** Technical facts behind a result: plain values, never a secret. */
export const EvidenceValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
export const Evidence = z.record(z.string(), EvidenceValue);
export type Evidence = z.infer<typeof Evidence>;

export const CheckResult = z.object({
  id: z.string(),
  status: CheckStatus,
  /** What the probe observed, named by the runbook (e.g. `refused`, `intercepted`); null when it passed. */
  outcome: z.string().nullable(),
  durationMs: z.number(),
  summary: Localized,
  evidence: Evidence,
});
export type CheckResult = z.infer<typeof CheckResult>;

/**
 * Whether the profile's XDR API client signed in during the run, so the SSE device, the XDR module
 * and its health were checked by the run itself; otherwise those were manual questions only, and
 * an all-clear covers the path up to the Threat Response server.
 */
export function farSideChecked(checks: readonly Pick<CheckResult, 'id' | 'outcome'>[]): boolean {
  return checks.some((c) => c.id === 'xdr-auth' && c.outcome !== 'no-client');
}

/** The profile form's fields a finding can point at: "Edit profile" opens the form with that field focused. */
export const profileFormFields = ['host', 'region', 'httpsPort', 'httpPort', 'username', 'password', 'trust', 'cluster', 'xdrClientId', 'xdrClientSecret'] as const;
export const ProfileFormField = z.enum(profileFormFields);
export type ProfileFormField = z.infer<typeof ProfileFormField>;

/** Which portal a link opens: the region's SSE or XDR portal, or one of TAC's sites. */
export const portalKinds = ['sse', 'xdr', 'support'] as const;

/**
 * What fixes a finding, resolved from its catalogue entry (resources/findings.json `fix`) for the
 * profile's region: the profile field that may be wrong, the manual step it depends on, the portal page.
 */
export const FindingFix = z.object({
  profileField: ProfileFormField.optional(),
  /** A manual step of the runbook (its check id). */
  question: z.string().optional(),
  /** An https front page on the app's allow-list (regions.json); the desktop app opens it in the system browser. */
  portal: z.object({ kind: z.enum(portalKinds), url: z.string(), host: z.string() }).optional(),
});
export type FindingFix = z.infer<typeof FindingFix>;

export const Finding = z.object({
  code: z.string(),
  severity: Severity,
  seedStep: SeedStep.nullable(),
  title: Localized,
  cause: Localized,
  remediation: LocalizedList,
  /** The checks whose outcome raised it (or `error-text` for a pasted message). */
  checks: z.array(z.string()),
  fix: FindingFix.optional(),
  /** Symptoms this cause explains (a pasted message), shown with it instead of beside it with a severity of their own. */
  explains: z.array(z.object({ code: z.string(), title: Localized })).optional(),
});
export type Finding = z.infer<typeof Finding>;

/** A manual or input check as the UI shows it before and during a run. */
export const CheckDefinition = z.object({
  id: z.string(),
  kind: CheckKind,
  title: Localized,
  help: Localized,
  appliesTo: z.array(ProfileKind),
  dependsOn: z.array(z.string()),
  seedSteps: z.array(SeedStep),
  /** Answers a manual check accepts, e.g. yes / no / unsure, or the region ids. */
  choices: z.array(z.object({ value: z.string(), label: Localized })),
  /** `xdr`: a check of the far side (SSE device, XDR module) through the profile's XDR API client. */
  group: z.literal('xdr').optional(),
});
export type CheckDefinition = z.infer<typeof CheckDefinition>;

export const Answer = z.string().min(1).max(32);
export const Answers = z.record(z.string().max(64), Answer);
export type Answers = z.infer<typeof Answers>;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * A token lifetime in milliseconds, or null: ISO 8601 (`PT1H`, `P7D`, `P1DT12H`) or a number with a
 * unit (`90m`, `2h`, `1d`, `1w`, `3600s`, `1h30m`).
 */
export function parseLifetime(raw: string): number | null {
  const s = raw.trim();
  const iso = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && !/T$/i.test(s)) {
    const [, w, d, h, m, sec] = iso;
    const ms = (Number(w ?? 0) * 7 * 86400 + Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(sec ?? 0)) * 1000;
    return ms > 0 ? ms : null;
  }
  const parts = [...s.toLowerCase().matchAll(/(\d+)\s*([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== s.toLowerCase().replace(/\s/g, '')) return null;
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2] as keyof typeof UNIT_MS], 0);
  return ms > 0 ? ms : null;
}

export const Lifetime = z
  .string()
  .max(32)
  .refine((s) => parseLifetime(s) !== null, { message: 'Lifetime must be a duration such as 1h, 90m, 7d or PT1H' });

export const TokenInput = z
  .object({
    value: z.string().min(1, { message: 'Paste the registration token' }).max(512, { message: 'A registration token is at most 512 characters' }),
    createdAt: z.iso.datetime({ offset: true, message: 'Creation time must be ISO 8601, e.g. 2026-11-27T09:30:00Z' }).optional(),
    lifetime: Lifetime.optional(),
    region: RegionId.optional(),
  })
  .strict();
export type TokenInput = z.infer<typeof TokenInput>;

export const RunOptions = z
  .object({
    profileId: ProfileId,
    only: z.array(z.string().max(64)).max(64).optional(),
    /** Caps every check's own timeout (milliseconds). */
    timeoutMs: z.number().int().min(100, { message: 'Timeout must be at least 100 ms' }).max(120_000, { message: 'Timeout can be at most 120000 ms' }).optional(),
    answers: Answers.optional(),
    token: TokenInput.optional(),
    errorText: z.string().max(20_000, { message: 'The error text can be at most 20000 characters' }).optional(),
  })
  .strict();
export type RunOptions = z.input<typeof RunOptions>;

export const runStates = ['running', 'completed', 'cancelled'] as const;
export const RunState = z.enum(runStates);

export const RunSummary = z.object({
  id: z.string(),
  profileId: z.string().nullable(),
  profileName: z.string(),
  profileKind: ProfileKind,
  region: RegionId,
  state: RunState,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  /** Worst severity among the findings, null when there are none. */
  worstSeverity: Severity.nullable(),
  counts: z.record(CheckStatus, z.number()),
  findingCodes: z.array(z.string()),
  /** The findings' titles, in the same order as the codes. */
  findingTitles: z.array(z.object({ code: z.string(), severity: Severity, title: Localized })),
});
export type RunSummary = z.infer<typeof RunSummary>;

export const Run = RunSummary.extend({
  checks: z.array(CheckResult),
  findings: z.array(Finding),
  answers: Answers,
  /** Where the cloud endpoints came from (`regions.json` or an endpoints file), for the report. */
  endpoints: z.object({ source: z.string(), threatResponse: z.string(), ssePortal: z.string(), xdrPortal: z.string() }),
  proxy: z.string().nullable(),
});
export type Run = z.infer<typeof Run>;

export const RunDiff = z.object({
  before: RunSummary,
  after: RunSummary,
  checks: z.array(z.object({ id: z.string(), before: CheckStatus.nullable(), after: CheckStatus.nullable() })),
  findings: z.object({ new: z.array(Finding), resolved: z.array(Finding), unchanged: z.array(z.string()) }),
});
export type RunDiff = z.infer<typeof RunDiff>;

/** A finding from the catalogue for one appliance (or without one), and the checks that confirm it. */
export const FindingExplanation = z.object({
  finding: Finding,
  checks: z.array(z.object({ id: z.string(), title: Localized })),
});
export type FindingExplanation = z.infer<typeof FindingExplanation>;

export const TriageMatch = z.object({
  pattern: z.string(),
  language: z.enum(['en', 'de']),
  /** The part of the pasted text that matched. */
  excerpt: z.string(),
  /** The upstream HTTP status in a `… [NNN]` module error. */
  httpStatus: z.number().nullable(),
  findings: z.array(Finding),
  checks: z.array(z.object({ id: z.string(), title: Localized })),
});
export const TriageResult = z.object({ matched: z.boolean(), matches: z.array(TriageMatch), advice: Localized });
export type TriageResult = z.infer<typeof TriageResult>;

export const CheckProgress = z.object({
  runId: z.string(),
  profileId: z.string(),
  done: z.number(),
  total: z.number(),
  /** The check that changed: `running` when it started, its result when it finished. */
  check: z.object({ id: z.string(), state: z.enum(['running', ...checkStatuses]), result: CheckResult.nullable() }),
});
export type CheckProgress = z.infer<typeof CheckProgress>;

export const CheckFinished = z.object({ runId: z.string(), profileId: z.string(), summary: RunSummary });
