import type { Database, Statement } from 'better-sqlite3';
import type { CheckResult, CheckStatus, Finding, RunSummary, Severity } from '../../contract/checks.js';
import type { ProfileKind, RegionId } from '../../contract/profiles.js';
import type { CheckRecord } from './engine.js';
import type { Raised } from './findings.js';

export interface RunContext {
  answers: Record<string, string>;
  endpoints: { source: string; threatResponse: string; ssePortal: string; xdrPortal: string };
  proxy: string | null;
}

interface RunRow {
  id: string;
  profile_id: string | null;
  profile_name: string;
  profile_kind: ProfileKind;
  region: RegionId;
  state: 'running' | 'completed' | 'cancelled';
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  worst_severity: Severity | null;
  counts: string;
  finding_codes: string;
  context: string;
}

interface CheckRow {
  check_id: string;
  status: CheckStatus;
  outcome: string | null;
  duration_ms: number;
  summary: string;
  evidence: string;
  raised: string;
}

export const emptyCounts = (): Record<CheckStatus, number> => ({ pass: 0, fail: 0, warn: 0, skip: 0, 'needs-input': 0, error: 0 });

const SUMMARY_COLUMNS = 'id, profile_id, profile_name, profile_kind, region, state, started_at, finished_at, duration_ms, worst_severity, counts, finding_codes';

/** SQL for runs, their check results and findings; prepared once, parameters bound. */
/** Who stored a run as `running`: null for runs stored before owners were recorded. */
export interface RunOwner {
  pid: number | null;
  instance: string | null;
  startedAt: string;
}

export class RunRepo {
  private readonly insertRun: Statement<[string, string, string, ProfileKind, RegionId, string, string, string, number, string]>;
  private readonly finishRun: Statement<[string, string, number, Severity | null, string, string, string, string]>;
  private readonly updateRunFindings: Statement<[Severity | null, string, string, string, string]>;
  private readonly upsertCheck: Statement<[string, number, string, CheckStatus, string | null, number, string, string, string]>;
  private readonly deleteFindings: Statement<[string]>;
  private readonly insertFinding: Statement<[string, number, string, Severity, string]>;
  private readonly latestForProfile: Statement<[string, number], RunRow>;
  private readonly latestAll: Statement<[number], RunRow>;
  private readonly byId: Statement<[string], RunRow>;
  private readonly checksOf: Statement<[string], CheckRow>;
  private readonly findingsOf: Statement<[string], { finding: string }>;
  private readonly deleteRun: Statement<[string]>;
  private readonly deleteForProfile: Statement<[string]>;
  private readonly abandon: Statement<[string]>;
  private readonly running: Statement<[], RunOwner & { id: string }>;
  private readonly byPrefix: Statement<[string], { id: string }>;

  constructor(readonly db: Database) {
    this.insertRun = db.prepare(
      `INSERT INTO runs (id, profile_id, profile_name, profile_kind, region, state, started_at, counts, finding_codes, context, owner_pid, owner_instance)
       VALUES (?, ?, ?, ?, ?, ?, ?, '{}', '[]', ?, ?, ?)`,
    );
    this.finishRun = db.prepare(
      'UPDATE runs SET state = ?, finished_at = ?, duration_ms = ?, worst_severity = ?, counts = ?, finding_codes = ?, context = ? WHERE id = ?',
    );
    this.updateRunFindings = db.prepare('UPDATE runs SET worst_severity = ?, counts = ?, finding_codes = ?, context = ? WHERE id = ?');
    this.upsertCheck = db.prepare(
      `INSERT INTO run_checks (run_id, ordinal, check_id, status, outcome, duration_ms, summary, evidence, raised) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, check_id) DO UPDATE SET status = excluded.status, outcome = excluded.outcome, duration_ms = excluded.duration_ms,
         summary = excluded.summary, evidence = excluded.evidence, raised = excluded.raised`,
    );
    this.deleteFindings = db.prepare('DELETE FROM run_findings WHERE run_id = ?');
    this.insertFinding = db.prepare('INSERT INTO run_findings (run_id, ordinal, code, severity, finding) VALUES (?, ?, ?, ?, ?)');
    this.latestForProfile = db.prepare(RunRepo.LATEST_FOR_PROFILE_SQL);
    this.latestAll = db.prepare(`SELECT ${SUMMARY_COLUMNS}, '{}' AS context FROM runs ORDER BY started_at DESC LIMIT ?`);
    this.byId = db.prepare(`SELECT ${SUMMARY_COLUMNS}, context FROM runs WHERE id = ?`);
    this.checksOf = db.prepare('SELECT check_id, status, outcome, duration_ms, summary, evidence, raised FROM run_checks WHERE run_id = ? ORDER BY ordinal');
    this.findingsOf = db.prepare('SELECT finding FROM run_findings WHERE run_id = ? ORDER BY ordinal');
    this.deleteRun = db.prepare('DELETE FROM runs WHERE id = ?');
    this.deleteForProfile = db.prepare('DELETE FROM runs WHERE profile_id = ?');
    this.abandon = db.prepare("UPDATE runs SET state = 'cancelled' WHERE id = ? AND state = 'running'");
    this.running = db.prepare("SELECT id, started_at AS startedAt, owner_pid AS pid, owner_instance AS instance FROM runs WHERE state = 'running'");
    this.byPrefix = db.prepare("SELECT id FROM runs WHERE id >= ? ORDER BY id LIMIT 2");
  }

  /** The history list's query, prepared here and explained by the bench (bench/benchmarks/checks.ts), so the plan measured is the one that runs. */
  static readonly LATEST_FOR_PROFILE_SQL = `SELECT ${SUMMARY_COLUMNS}, '{}' AS context FROM runs WHERE profile_id = ? ORDER BY started_at DESC LIMIT ?`;

  start(run: { id: string; profileId: string; profileName: string; kind: ProfileKind; region: RegionId; startedAt: string; context: RunContext; owner: { pid: number; instance: string } }): void {
    this.insertRun.run(run.id, run.profileId, run.profileName, run.kind, run.region, 'running', run.startedAt, JSON.stringify(run.context), run.owner.pid, run.owner.instance);
  }

  /**
   * Runs left `running` by a process that ended mid-run are marked cancelled; runs whose owner
   * `isLive` says is still at work (another process on the same data folder) are left alone.
   */
  abandonStale(isLive: (owner: RunOwner) => boolean): number {
    return this.db.transaction(() => {
      let changed = 0;
      for (const run of this.running.all()) if (!isLive(run)) changed += this.abandon.run(run.id).changes;
      return changed;
    })();
  }

  saveCheck(runId: string, ordinal: number, record: CheckRecord): void {
    const r = record.result;
    this.upsertCheck.run(runId, ordinal, r.id, r.status, r.outcome, r.durationMs, JSON.stringify(r.summary), JSON.stringify(r.evidence), JSON.stringify(record.raised));
  }

  private writeFindings(runId: string, findings: Finding[]): void {
    this.deleteFindings.run(runId);
    findings.forEach((f, i) => this.insertFinding.run(runId, i, f.code, f.severity, JSON.stringify(f)));
  }

  finish(runId: string, state: 'completed' | 'cancelled', finishedAt: string, durationMs: number, records: CheckRecord[], findings: Finding[], worst: Severity | null, context: RunContext): void {
    this.db.transaction(() => {
      records.forEach((rec, i) => this.saveCheck(runId, i, rec));
      this.writeFindings(runId, findings);
      this.finishRun.run(state, finishedAt, durationMs, worst, JSON.stringify(countOf(records)), JSON.stringify(findings.map((f) => f.code)), JSON.stringify(context), runId);
    })();
  }

  /** Replaces the changed check records (by ordinal) and the findings (after a manual answer). */
  reevaluate(runId: string, changed: readonly (readonly [number, CheckRecord])[], records: CheckRecord[], findings: Finding[], worst: Severity | null, context: RunContext): void {
    this.db.transaction(() => {
      for (const [ordinal, record] of changed) this.saveCheck(runId, ordinal, record);
      this.writeFindings(runId, findings);
      this.updateRunFindings.run(worst, JSON.stringify(countOf(records)), JSON.stringify(findings.map((f) => f.code)), JSON.stringify(context), runId);
    })();
  }

  list(profileId: string | undefined, limit: number): RunSummary[] {
    const rows = profileId ? this.latestForProfile.all(profileId, limit) : this.latestAll.all(limit);
    return rows.map((row) => toSummary(row, this.storedFindings(row.id)));
  }

  private storedFindings(id: string): Finding[] {
    return this.findingsOf.all(id).map((f) => JSON.parse(f.finding) as Finding);
  }

  get(id: string): { summary: RunSummary; context: RunContext; records: CheckRecord[]; findings: Finding[] } | null {
    const row = this.byId.get(id);
    if (!row) return null;
    const records = this.checksOf.all(id).map((c) => ({
      result: { id: c.check_id, status: c.status, outcome: c.outcome, durationMs: c.duration_ms, summary: JSON.parse(c.summary), evidence: JSON.parse(c.evidence) } as CheckResult,
      raised: JSON.parse(c.raised) as Raised[],
    }));
    const findings = this.storedFindings(id);
    return { summary: toSummary(row, findings), context: JSON.parse(row.context) as RunContext, records, findings };
  }

  /** Ids starting with `prefix` (at most two: enough to tell unique from ambiguous). */
  idsStartingWith(prefix: string): string[] {
    return this.byPrefix.all(prefix).map((r) => r.id).filter((id) => id.startsWith(prefix));
  }

  delete(id: string): boolean {
    return this.deleteRun.run(id).changes > 0;
  }

  deleteProfileHistory(profileId: string): number {
    return this.deleteForProfile.run(profileId).changes;
  }
}

export function countOf(records: readonly CheckRecord[]): Record<CheckStatus, number> {
  const counts = emptyCounts();
  for (const r of records) counts[r.result.status]++;
  return counts;
}

function toSummary(row: RunRow, findings: readonly Finding[]): RunSummary {
  return {
    id: row.id,
    profileId: row.profile_id,
    profileName: row.profile_name,
    profileKind: row.profile_kind,
    region: row.region,
    state: row.state,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    worstSeverity: row.worst_severity,
    counts: { ...emptyCounts(), ...(JSON.parse(row.counts) as Partial<Record<CheckStatus, number>>) },
    findingCodes: JSON.parse(row.finding_codes) as string[],
    findingTitles: findings.map((f) => ({ code: f.code, severity: f.severity, title: f.title })),
  };
}
