import type { CheckDefinition, CheckStatus, Localized, RunSummary } from '../../../electron/contract/checks.js';

/** Statuses in the order a reader cares about them: what broke first, what passed last. */
export const countOrder: readonly CheckStatus[] = ['fail', 'error', 'warn', 'needs-input', 'pass', 'skip'];

export function nonZeroCounts(run: RunSummary): { status: CheckStatus; count: number }[] {
  return countOrder.map((status) => ({ status, count: run.counts[status] ?? 0 })).filter((c) => c.count > 0);
}

/** A check's title from the runbook; a check the runbook no longer has keeps its id. */
export function titleOf(defs: readonly CheckDefinition[], id: string): Localized {
  return defs.find((d) => d.id === id)?.title ?? { en: id, de: id };
}

/**
 * The runbook's definitions plus a plain row for any stored check the runbook does not have
 * (an older run), so every stored result is shown.
 */
export function defsForRun(defs: readonly CheckDefinition[], ids: readonly string[]): CheckDefinition[] {
  const known = new Set(defs.map((d) => d.id));
  const extra = ids
    .filter((id) => !known.has(id))
    .map((id): CheckDefinition => ({ id, kind: 'probe', title: { en: id, de: id }, help: { en: '', de: '' }, appliesTo: [], dependsOn: [], seedSteps: [], choices: [] }));
  return [...defs.filter((d) => ids.includes(d.id)), ...extra];
}

/** The two selected runs as before/after: the older one first. */
export function orderPair(a: RunSummary, b: RunSummary): [RunSummary, RunSummary] {
  return a.startedAt <= b.startedAt ? [a, b] : [b, a];
}
