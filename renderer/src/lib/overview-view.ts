import type { BatchItem, BatchState, OverviewResult, OverviewRow } from '../../../electron/contract/overview.js';
import type { ProfileKind, RegionId } from '../../../electron/contract/profiles.js';

export interface OverviewFilters {
  kind: ProfileKind | '';
  region: RegionId | '';
  /** A cluster name, `-` for profiles without one, '' for any. */
  cluster: string;
  result: OverviewResult | '';
}

export const noFilters = (): OverviewFilters => ({ kind: '', region: '', cluster: '', result: '' });

export function matches(row: OverviewRow, f: OverviewFilters): boolean {
  const cluster = row.profile.cluster ?? '';
  return (
    (!f.kind || row.profile.kind === f.kind) &&
    (!f.region || row.profile.region === f.region) &&
    (!f.cluster || (f.cluster === '-' ? cluster === '' : cluster === f.cluster)) &&
    (!f.result || row.result === f.result)
  );
}

/** The clusters the profiles name, sorted, for the filter's choices. */
export function clustersOf(rows: readonly OverviewRow[]): string[] {
  return [...new Set(rows.map((r) => r.profile.cluster).filter((c): c is string => !!c))].sort((a, b) => a.localeCompare(b));
}

export interface BatchCounts {
  total: number;
  ok: number;
  warnings: number;
  errors: number;
  failed: number;
  cancelled: number;
}

function itemResult(item: BatchItem): keyof Omit<BatchCounts, 'total'> {
  if (item.state === 'failed') return 'failed';
  if (item.state !== 'done' || !item.summary) return 'cancelled';
  const worst = item.summary.worstSeverity;
  if (worst === 'critical' || worst === 'error') return 'errors';
  return worst === 'warning' ? 'warnings' : 'ok';
}

/** What the summary after a batch says: how many came out which way. */
export function batchCounts(batch: BatchState): BatchCounts {
  const counts: BatchCounts = { total: batch.items.length, ok: 0, warnings: 0, errors: 0, failed: 0, cancelled: 0 };
  for (const item of batch.items) counts[itemResult(item)]++;
  return counts;
}
