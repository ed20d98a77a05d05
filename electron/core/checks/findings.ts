import { format } from '../../contract/i18n.js';
import type { CheckStatus, Finding, FindingFix, Severity } from '../../contract/checks.js';
import { regionIds, type ProfileKind, type RegionId } from '../../contract/profiles.js';
import { fillLocalized, type FindingDef, type Knowledge, type Params } from '../knowledge/runbook.js';
import type { CheckRecord } from './engine.js';

export type { Params };

/** One reason to show a finding: the check (or pasted text) that raised it and the facts it saw. */
export interface Raised {
  code: string;
  check: string;
  params: Params;
  /** A symptom's possible causes (a pasted message): when the run finds one, the symptom is shown with it. */
  causes?: string[];
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };
const ROLE_RANK: Record<FindingDef['role'], number> = { cause: 0, symptom: 1, escalation: 2 };

export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}

export function worstSeverity(findings: readonly { severity: Severity }[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

/** Renders one catalog entry with its parameters, in both languages; CES gets its own remediation. */
export function renderFinding(def: FindingDef, params: Params, kind: ProfileKind, checks: string[]): Finding {
  const remediation = kind === 'ces' && def.ces ? def.ces : def.remediation;
  return {
    code: def.code,
    severity: def.severity,
    seedStep: def.seedStep,
    title: fillLocalized(def.title, params),
    cause: fillLocalized(def.cause, params),
    remediation: { en: remediation.en.map((s) => format(s, params, 'en')), de: remediation.de.map((s) => format(s, params, 'de')) },
    checks,
  };
}

/** The profile's region among the placeholders (absent for findings shown without a profile). */
function regionOf(params: Params): RegionId | null {
  const region = params.region;
  return typeof region === 'string' && (regionIds as readonly string[]).includes(region) ? (region as RegionId) : null;
}

/**
 * What fixes a finding, from its catalogue entry: the profile field, the manual step, and the portal
 * page (a region's portal needs the region; without one only fixed pages are linked).
 */
export function resolveFix(knowledge: Pick<Knowledge, 'findings' | 'regions'>, code: string, region: RegionId | null): FindingFix | undefined {
  const def = knowledge.findings.get(code)?.fix;
  if (!def) return undefined;
  const fix: FindingFix = {};
  if (def.profileField) fix.profileField = def.profileField;
  if (def.question) fix.question = def.question;
  if (def.portal === 'sseAdminPortal' || def.portal === 'xdrPortal') {
    const r = knowledge.regions.regions.find((x) => x.id === region);
    if (r) fix.portal = { kind: def.portal === 'sseAdminPortal' ? 'sse' : 'xdr', url: `https://${r[def.portal].host}/`, host: r[def.portal].host };
  } else if (def.portal) {
    fix.portal = { kind: 'support', url: def.portal, host: new URL(def.portal).hostname };
  }
  return Object.keys(fix).length > 0 ? fix : undefined;
}

/** The finding with the fix targets of today's catalogue (a stored run keeps its texts, the links follow the data). */
export function withFix(knowledge: Pick<Knowledge, 'findings' | 'regions'>, finding: Finding, region: RegionId | null): Finding {
  const { fix: _old, ...rest } = finding;
  const fix = resolveFix(knowledge, finding.code, region);
  return fix ? { ...rest, fix } : rest;
}

const byRank = (a: FindingDef, b: FindingDef) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.priority - b.priority;

/**
 * Turns raised codes into findings: one per code (checks merged, the first raiser's facts used),
 * codes suppressed by a present root cause folded into it, a symptom (a pasted message) whose cause
 * the run found shown with that cause, and the list ordered with the most likely root cause first:
 * causes before symptoms before escalation, then severity, then the catalog priority.
 */
export function buildFindings(knowledge: Knowledge, raised: readonly Raised[], base: Params, kind: ProfileKind): Finding[] {
  const defOf = (code: string) => {
    const def = knowledge.findings.get(code);
    if (!def) throw new Error(`finding ${code} is not in findings.json`);
    return def;
  };
  const byCode = new Map<string, { params: Params; checks: string[]; causes: Set<string>; explains: { code: string; params: Params }[] }>();
  for (const r of raised) {
    let entry = byCode.get(r.code);
    if (entry) {
      if (!entry.checks.includes(r.check)) entry.checks.push(r.check);
    } else {
      entry = { params: { ...base, ...r.params }, checks: [r.check], causes: new Set(), explains: [] };
      byCode.set(r.code, entry);
    }
    for (const c of r.causes ?? []) entry.causes.add(c);
  }
  const fold = (code: string, into: string) => {
    const entry = byCode.get(code)!;
    const target = byCode.get(into)!;
    for (const c of entry.checks) if (!target.checks.includes(c)) target.checks.push(c);
    byCode.delete(code);
    return { entry, target };
  };
  for (const code of [...byCode.keys()]) {
    const suppressor = (knowledge.findings.get(code)?.suppressedBy ?? []).find((s) => byCode.has(s));
    if (suppressor) fold(code, suppressor);
  }
  // One cause, one severity: the pasted message's symptom goes with the most likely of its causes found.
  for (const code of [...byCode.keys()]) {
    const causes = [...byCode.get(code)!.causes].filter((c) => c !== code && byCode.has(c) && byCode.get(c)!.causes.size === 0);
    const cause = causes.map(defOf).sort(byRank)[0];
    if (!cause) continue;
    const { entry, target } = fold(code, cause.code);
    target.explains.push({ code, params: entry.params }, ...entry.explains);
  }
  const defs = [...byCode.keys()].map(defOf).sort(byRank);
  const region = regionOf(base);
  return defs.map((def) => {
    const entry = byCode.get(def.code)!;
    const finding = withFix(knowledge, renderFinding(def, entry.params, kind, entry.checks), region);
    return entry.explains.length > 0 ? { ...finding, explains: entry.explains.map((e) => ({ code: e.code, title: fillLocalized(defOf(e.code).title, e.params) })) } : finding;
  });
}

/**
 * A row whose only verdict is the finding it raised (the pasted message) shows the status of that
 * finding's severity, so one cause never reads "Warning" in the row and "Critical" on top.
 */
export function alignSymptomRows(knowledge: Knowledge, records: readonly CheckRecord[], findings: readonly Finding[]): CheckRecord[] {
  return records.map((record) => {
    const check = knowledge.checkById.get(record.result.id);
    if (check?.probe.type !== 'error-text' || record.raised.length === 0) return record;
    const worst = worstSeverity(findings.filter((f) => f.checks.includes(record.result.id)));
    if (!worst) return record;
    const status: CheckStatus = severityAtLeast(worst, 'error') ? 'fail' : 'warn';
    return status === record.result.status ? record : { ...record, result: { ...record.result, status } };
  });
}
