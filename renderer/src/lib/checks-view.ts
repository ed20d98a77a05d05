import type { CheckDefinition, CheckKind, CheckResult, CheckStatus, Evidence, Finding, Localized, LocalizedList, Severity } from '../../../electron/contract/checks.js';
import type { Language } from '../../../electron/contract/commands.js';

/** A check row's state: not run yet, running, or finished with a status. */
export type RowState = 'pending' | 'running' | CheckStatus;

export interface RowView {
  state: RowState;
  result: CheckResult | null;
}

/** Text the core sends in both languages, in the one the UI shows. */
export function pick(text: Localized, language: Language): string;
export function pick(text: LocalizedList, language: Language): string[];
export function pick(text: Localized | LocalizedList, language: Language): string | string[] {
  return text[language];
}

export const problemSeverities: readonly Severity[] = ['critical', 'error', 'warning'];

export function isProblem(f: Finding): boolean {
  return problemSeverities.includes(f.severity);
}

/** A group on the Checks page: a kind of check, or `xdr` (the far side, through the XDR API client). */
export type CheckGroup = CheckKind | 'xdr';

/** The runbook's checks by group, each in runbook order; XDR checks get their own group. */
export function groupByKind(defs: readonly CheckDefinition[]): Record<CheckGroup, CheckDefinition[]> {
  const groups: Record<CheckGroup, CheckDefinition[]> = { probe: [], xdr: [], manual: [], input: [] };
  for (const d of defs) groups[d.group === 'xdr' ? 'xdr' : d.kind].push(d);
  return groups;
}

/** The manual steps among the checks, by id: what a finding's "answer this" link can jump to. */
export function questionTitles(defs: readonly CheckDefinition[]): Record<string, Localized> {
  return Object.fromEntries(defs.filter((d) => d.kind === 'manual').map((d) => [d.id, d.title]));
}

/** Rows for a stored run: every check it recorded, looked up by id. */
export function rowsFromRun(checks: readonly CheckResult[]): Record<string, RowView> {
  return Object.fromEntries(checks.map((c) => [c.id, { state: c.status, result: c }]));
}

/**
 * `datetime-local` gives wall-clock time without a zone; the contract wants ISO 8601 with an
 * offset. The offset is this computer's at that moment (DST included).
 */
export function localInputToIso(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00'] = m;
  const date = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(date.getTime())) return undefined;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Kept under their old names for the pages that import them from here; the formatting itself lives in format.ts. */
export { formatDuration, formatDateTime as formatTime } from './format.js';

/** Evidence values as text; lists stay lists so the table can show one entry per line. */
export function evidenceRows(evidence: Evidence, words: { yes: string; no: string }): { key: string; value: string | string[] }[] {
  return Object.entries(evidence).map(([key, v]) => ({
    key,
    value: v === null ? '–' : typeof v === 'boolean' ? (v ? words.yes : words.no) : Array.isArray(v) ? v : String(v),
  }));
}

/** A finding as plain text for the clipboard or a ticket: title, facts, cause, numbered steps, the portal to open. */
export function findingAsText(f: Finding, language: Language, labels: { severity: string; step: string | null; cause: string; remediation: string; portal?: string }): string {
  const facts = [labels.severity, labels.step].filter(Boolean).join(' · ');
  const steps = pick(f.remediation, language).map((s, i) => `${i + 1}. ${s}`);
  const portal = f.fix?.portal && labels.portal ? ['', `${labels.portal}: ${f.fix.portal.url}`] : [];
  return [pick(f.title, language), facts, '', `${labels.cause}: ${pick(f.cause, language)}`, '', `${labels.remediation}:`, ...steps, ...portal].join('\n') + '\n';
}
