import { format } from '../../contract/i18n.js';
import type { Finding, Severity } from '../../contract/checks.js';
import type { ProfileKind } from '../../contract/profiles.js';
import { fillLocalized, type FindingDef, type Knowledge, type Params } from '../knowledge/runbook.js';

export type { Params };

/** One reason to show a finding: the check (or pasted text) that raised it and the facts it saw. */
export interface Raised {
  code: string;
  check: string;
  params: Params;
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

/**
 * Turns raised codes into findings: one per code (checks merged, the first raiser's facts used),
 * codes suppressed by a present root cause folded into it, and the list ordered with the most likely
 * root cause first: causes before symptoms before escalation, then severity, then the catalog priority.
 */
export function buildFindings(knowledge: Knowledge, raised: readonly Raised[], base: Params, kind: ProfileKind): Finding[] {
  const byCode = new Map<string, { params: Params; checks: string[] }>();
  for (const r of raised) {
    const entry = byCode.get(r.code);
    if (entry) {
      if (!entry.checks.includes(r.check)) entry.checks.push(r.check);
    } else {
      byCode.set(r.code, { params: { ...base, ...r.params }, checks: [r.check] });
    }
  }
  for (const [code, entry] of [...byCode]) {
    const suppressor = (knowledge.findings.get(code)?.suppressedBy ?? []).find((s) => byCode.has(s));
    if (suppressor) {
      const target = byCode.get(suppressor)!;
      for (const c of entry.checks) if (!target.checks.includes(c)) target.checks.push(c);
      byCode.delete(code);
    }
  }
  const defs = [...byCode.keys()].map((code) => {
    const def = knowledge.findings.get(code);
    if (!def) throw new Error(`finding ${code} is not in findings.json`);
    return def;
  });
  defs.sort((a, b) => ROLE_RANK[a.role] - ROLE_RANK[b.role] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.priority - b.priority);
  return defs.map((def) => {
    const entry = byCode.get(def.code)!;
    return renderFinding(def, entry.params, kind, entry.checks);
  });
}
