import path from 'node:path';
import { z } from 'zod';
import { CheckKind, CheckStatus, ProfileFormField, SeedStep, Severity, type Localized } from '../../contract/checks.js';
import { readResourceFile } from './resource-file.js';
import { format } from '../../contract/i18n.js';
import { IntegrationMapFile, mapCoverageProblems } from '../../contract/integration-map.js';
import { ProfileKind, type RegionId } from '../../contract/profiles.js';
import { externalHostAllowList, isAllowedExternalUrl, loadRegions, type RegionsFile } from './regions.js';
import { loadXdrApi, type XdrApiFile } from './xdr-api.js';

const Text = z.object({ en: z.string().min(1), de: z.string().min(1) });
const TextList = z.object({ en: z.array(z.string().min(1)).min(1), de: z.array(z.string().min(1)).min(1) });
const Code = z.string().regex(/^[A-Z][A-Z0-9_]+$/);
const Id = z.string().regex(/^[a-z][a-z0-9-]+$/);

const Outcome = z.object({ status: CheckStatus, summary: Text, raises: z.array(Code).optional() }).strict();
export type OutcomeDef = z.infer<typeof Outcome>;

const Probe = z.discriminatedUnion('type', [
  z.object({ type: z.literal('dns'), target: z.enum(['appliance', 'threatResponse']) }).strict(),
  z.object({ type: z.literal('tcp'), port: z.enum(['https', 'http']) }).strict(),
  z.object({ type: z.literal('appliance-tls') }).strict(),
  z.object({ type: z.literal('api-version'), version: z.string().regex(/^v\d+\.\d+$/) }).strict(),
  z.object({ type: z.literal('api-auth') }).strict(),
  z.object({ type: z.literal('api-privileges') }).strict(),
  z.object({ type: z.literal('api-health'), cpuPercent: z.number(), ramPercent: z.number(), queuePercent: z.number() }).strict(),
  z.object({ type: z.literal('api-clock'), maxSkewSeconds: z.number().positive() }).strict(),
  z.object({ type: z.literal('cloud-tls'), endpoint: z.literal('threatResponse') }).strict(),
  z.object({ type: z.literal('cloud-https'), endpoint: z.literal('threatResponse') }).strict(),
  z.object({ type: z.literal('token-format'), pattern: z.string() }).strict(),
  z.object({ type: z.literal('token-lifetime'), warnBelowMinutes: z.number().nonnegative() }).strict(),
  z.object({ type: z.literal('token-region') }).strict(),
  z.object({ type: z.literal('manual'), fail: z.enum(['yes', 'no']) }).strict(),
  z.object({ type: z.literal('manual-region') }).strict(),
  z.object({ type: z.literal('error-text') }).strict(),
  z.object({ type: z.literal('xdr-auth') }).strict(),
  z.object({ type: z.literal('xdr-sse-device') }).strict(),
  z.object({ type: z.literal('xdr-module') }).strict(),
  z.object({ type: z.literal('xdr-module-health') }).strict(),
  z.object({ type: z.literal('xdr-observe') }).strict(),
]);
export type ProbeDef = z.infer<typeof Probe>;

const Check = z
  .object({
    id: Id,
    kind: CheckKind,
    appliesTo: z.array(ProfileKind).min(1),
    /** Only for profiles with a cluster name; with (or without) an XDR API client and its secret. */
    when: z.enum(['cluster', 'xdr-client', 'no-xdr-client']).optional(),
    /** The UI group beyond the kind: `xdr` = the far side, through the XDR API client. */
    group: z.literal('xdr').optional(),
    dependsOn: z.array(Id),
    seedSteps: z.array(SeedStep),
    timeoutMs: z.number().int().positive().optional(),
    choices: z.string().optional(),
    probe: Probe,
    title: Text,
    help: Text,
    outcomes: z.record(z.string(), Outcome),
  })
  .strict();
export type CheckDef = z.infer<typeof Check>;

const Choice = z.object({ value: z.string().min(1), label: Text }).strict();

export const RunbookFile = z
  .object({
    schemaVersion: z.literal(1),
    note: z.string().optional(),
    concurrency: z.number().int().min(1).max(32),
    genericOutcomes: z.object({
      timeout: Outcome,
      dependency: Outcome,
      'not-applicable': Outcome,
      'not-selected': Outcome,
      cancelled: Outcome,
      exception: Outcome,
      unanswered: Outcome,
      unsure: Outcome,
    }),
    choiceSets: z.record(z.string(), z.array(Choice).min(2)),
    checks: z.array(Check).min(1),
  })
  .strict();
export type RunbookFile = z.infer<typeof RunbookFile>;

/** A region's portal by its name in regions.json, or a fixed https front page (TAC's sites). */
export const regionPortals = ['sseAdminPortal', 'xdrPortal'] as const;

/**
 * What fixes a finding, as data: the profile field that may be wrong, the manual step (runbook check
 * id) it depends on, the portal page. Checked at load against the runbook and the allow-list.
 */
const FixDef = z
  .object({
    profileField: ProfileFormField.optional(),
    question: Id.optional(),
    portal: z.union([z.enum(regionPortals), z.string().startsWith('https://')]).optional(),
  })
  .strict()
  .refine((f) => f.profileField || f.question || f.portal, { message: 'a fix names a profile field, a question or a portal' });
export type FixDef = z.infer<typeof FixDef>;

const FindingDef = z
  .object({
    code: Code,
    severity: Severity,
    seedStep: SeedStep.nullable(),
    role: z.enum(['cause', 'symptom', 'escalation']),
    priority: z.number().int(),
    suppressedBy: z.array(Code).optional(),
    title: Text,
    cause: Text,
    remediation: TextList,
    ces: TextList.optional(),
    fix: FixDef.optional(),
  })
  .strict();
export type FindingDef = z.infer<typeof FindingDef>;

export const FindingsFile = z.object({ schemaVersion: z.literal(1), note: z.string().optional(), findings: z.array(FindingDef).min(1) }).strict();

const StatusHint = z.object({ candidates: z.array(Code), checks: z.array(Id), meaning: Text }).strict();
const PatternDef = z
  .object({
    id: Id,
    specific: z.boolean(),
    phrases: z.object({ en: z.array(z.string().min(3)), de: z.array(z.string().min(3)) }).optional(),
    regex: z.object({ en: z.string(), de: z.string() }).optional(),
    raises: z.array(Code),
    candidates: z.array(Code),
    checks: z.array(Id),
    byStatus: z.record(z.string().regex(/^(\d{3}|\dxx|other)$/), StatusHint).optional(),
  })
  .strict()
  .refine((p) => p.phrases || p.regex, { message: 'a pattern needs phrases or a regex' });
export type PatternDef = z.infer<typeof PatternDef>;

export const PatternsFile = z.object({ schemaVersion: z.literal(1), note: z.string().optional(), patterns: z.array(PatternDef).min(1) }).strict();

export interface Knowledge {
  regions: RegionsFile;
  regionLabels: Record<RegionId, Localized>;
  runbook: RunbookFile;
  findings: Map<string, FindingDef>;
  patterns: PatternDef[];
  checkById: Map<string, CheckDef>;
  xdrApi: XdrApiFile;
  /** Which checks make up each link of the integration path (Checks page, report.html). */
  integrationMap: IntegrationMapFile;
}

/**
 * Loads the runbook, finding catalog and error patterns from `resources/` and checks that they fit
 * together: every referenced check and finding exists, dependencies form no cycle, every check has
 * a `pass` outcome and a choice set when it is manual. A broken file names the file and the path.
 */
export function loadKnowledge(resourcesDir: string): Knowledge {
  const runbookFile = path.join(resourcesDir, 'runbook.json');
  const runbook = readResourceFile(runbookFile, RunbookFile);
  const findingsFile = path.join(resourcesDir, 'findings.json');
  const findingList = readResourceFile(findingsFile, FindingsFile).findings;
  const patternsFile = path.join(resourcesDir, 'error-patterns.json');
  const patterns = readResourceFile(patternsFile, PatternsFile).patterns;

  const findings = new Map<string, FindingDef>();
  for (const [i, f] of findingList.entries()) {
    if (findings.has(f.code)) throw new Error(`${findingsFile}: findings.${i}.code: duplicate code ${f.code}`);
    findings.set(f.code, f);
  }
  const checkById = new Map<string, CheckDef>();
  runbook.checks.forEach((c, i) => {
    if (checkById.has(c.id)) throw new Error(`${runbookFile}: checks.${i}.id: duplicate check ${c.id}`);
    checkById.set(c.id, c);
  });
  const fail = (file: string, where: string, message: string): never => {
    throw new Error(`${file}: ${where}: ${message}`);
  };
  const needFinding = (file: string, where: string, code: string) => {
    if (!findings.has(code)) fail(file, where, `unknown finding ${code}`);
  };
  const needCheck = (file: string, where: string, id: string) => {
    if (!checkById.has(id)) fail(file, where, `unknown check ${id}`);
  };

  runbook.checks.forEach((c, i) => {
    const at = `checks.${i}`;
    if (!c.outcomes.pass) fail(runbookFile, `${at}.outcomes`, `check ${c.id} has no "pass" outcome`);
    c.dependsOn.forEach((d, j) => needCheck(runbookFile, `${at}.dependsOn.${j}`, d));
    for (const [name, o] of Object.entries(c.outcomes)) (o.raises ?? []).forEach((code, j) => needFinding(runbookFile, `${at}.outcomes.${name}.raises.${j}`, code));
    if (c.kind === 'manual') {
      if (!c.choices || !runbook.choiceSets[c.choices]) fail(runbookFile, `${at}.choices`, `manual check ${c.id} needs a known choice set`);
      if (!c.outcomes['answered-fail'] && c.probe.type === 'manual') fail(runbookFile, `${at}.outcomes`, `manual check ${c.id} has no "answered-fail" outcome`);
    }
    if (c.kind !== 'manual' && c.timeoutMs === undefined) fail(runbookFile, `${at}.timeoutMs`, `check ${c.id} needs a timeout`);
  });
  for (const [name, o] of Object.entries(runbook.genericOutcomes)) (o.raises ?? []).forEach((code) => needFinding(runbookFile, `genericOutcomes.${name}`, code));

  // Cycle check (depth-first with colours).
  const state = new Map<string, 1 | 2>();
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 2) return;
    if (state.get(id) === 1) fail(runbookFile, 'checks', `dependency cycle ${[...trail, id].join(' → ')}`);
    state.set(id, 1);
    for (const d of checkById.get(id)!.dependsOn) visit(d, [...trail, id]);
    state.set(id, 2);
  };
  for (const c of runbook.checks) visit(c.id, []);

  findingList.forEach((f, i) => (f.suppressedBy ?? []).forEach((code, j) => needFinding(findingsFile, `findings.${i}.suppressedBy.${j}`, code)));
  const regions = loadRegions(resourcesDir);
  const allowList = externalHostAllowList(regions);
  findingList.forEach((f, i) => {
    const at = `findings.${i}.fix`;
    const question = f.fix?.question;
    if (question !== undefined && checkById.get(question)?.kind !== 'manual') fail(findingsFile, `${at}.question`, `${question} is not a manual step of the runbook`);
    const portal = f.fix?.portal;
    // A fixed page is a portal's front page on the allow-list: the desktop app opens nothing else.
    if (portal !== undefined && !(regionPortals as readonly string[]).includes(portal) && !(isAllowedExternalUrl(portal, allowList) && new URL(portal).href === `https://${new URL(portal).hostname}/`)) {
      fail(findingsFile, `${at}.portal`, `${portal} is not the front page of an allow-listed host (regions.json)`);
    }
  });
  patterns.forEach((p, i) => {
    const at = `patterns.${i}`;
    [...p.raises, ...p.candidates].forEach((code) => needFinding(patternsFile, at, code));
    p.checks.forEach((id) => needCheck(patternsFile, at, id));
    for (const [status, hint] of Object.entries(p.byStatus ?? {})) {
      hint.candidates.forEach((code) => needFinding(patternsFile, `${at}.byStatus.${status}`, code));
      hint.checks.forEach((id) => needCheck(patternsFile, `${at}.byStatus.${status}`, id));
    }
    for (const lang of ['en', 'de'] as const) {
      const source = p.regex?.[lang];
      if (source === undefined) continue;
      try {
        new RegExp(source, 'u');
      } catch (error) {
        fail(patternsFile, `${at}.regex.${lang}`, (error as Error).message);
      }
    }
  });
  // Every check on exactly one link of the picture, or excluded on purpose.
  const mapFile = path.join(resourcesDir, 'integration-map.json');
  const integrationMap = readResourceFile(mapFile, IntegrationMapFile);
  const uncovered = mapCoverageProblems(integrationMap, runbook.checks.map((c) => c.id));
  if (uncovered.length > 0) fail(mapFile, 'links', uncovered.join('; '));
  const regionLabels = Object.fromEntries(regions.regions.map((r) => [r.id, r.label])) as Record<RegionId, Localized>;
  return { regions, regionLabels, runbook, findings, patterns, checkById, xdrApi: loadXdrApi(resourcesDir), integrationMap };
}

/** A placeholder value; a `{en, de}` pair is picked per language. */
export type ParamValue = string | number | Localized;
export type Params = Record<string, ParamValue>;

export function fillLocalized(text: Localized, params: Readonly<Params>): Localized {
  return { en: format(text.en, params, 'en'), de: format(text.de, params, 'de') };
}
