import type { Finding, RunSummary } from '../../contract/checks.js';
import { STALE_AFTER_MS, type OverviewResult, type OverviewRow } from '../../contract/overview.js';
import type { ProfilesService } from '../profiles/profiles-service.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { ChecksService } from './checks-service.js';

export interface OverviewDeps {
  checks: ChecksService;
  profiles: ProfilesService;
  secrets: SecretStore;
  clock: () => Date;
}

/** The result the overview shows and filters by: worst severity of the last run, or its state. */
export function resultOf(run: RunSummary | null): OverviewResult {
  if (!run) return 'none';
  if (run.state === 'running') return 'running';
  if (run.state === 'cancelled') return 'cancelled';
  if (run.worstSeverity === 'critical' || run.worstSeverity === 'error') return 'error';
  if (run.worstSeverity === 'warning') return 'warning';
  return 'ok';
}

/** Findings are stored most likely cause first; an info note only leads when there is nothing worse. */
export function topFinding(findings: readonly Finding[]): Finding | null {
  return findings.find((f) => f.severity !== 'info') ?? findings[0] ?? null;
}

/** One row per profile (sorted by name, as the profile list is) with its last stored run. */
export function overviewRows(deps: OverviewDeps): OverviewRow[] {
  const now = deps.clock().getTime();
  return deps.profiles.list().profiles.map((profile) => {
    const lastRun = deps.checks.list(profile.id, 1).runs[0] ?? null;
    const top = lastRun && lastRun.findingCodes.length > 0 ? topFinding(deps.checks.get(lastRun.id).findings) : null;
    const at = lastRun ? Date.parse(lastRun.finishedAt ?? lastRun.startedAt) : NaN;
    const stored = new Map(deps.secrets.status(profile.id).map((s) => [s.kind, s.stored]));
    return {
      profile,
      lastRun,
      result: resultOf(lastRun),
      topFinding: top ? { code: top.code, severity: top.severity, title: top.title } : null,
      stale: Number.isFinite(at) && now - at > STALE_AFTER_MS,
      secrets: { apiPassword: stored.get('api-password') === true, xdrClientSecret: stored.get('xdr-client-secret') === true },
    };
  });
}
