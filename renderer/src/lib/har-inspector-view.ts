import type { HarInspectorRow } from '../../../electron/contract/har-inspector.js';
import { formatMilliseconds } from './format.js';

export const statusClasses = ['', '2xx', '3xx', '4xx', '5xx', 'none'] as const;
export type StatusClass = (typeof statusClasses)[number];

export interface InspectorFilters {
  failed: boolean;
  xdr: boolean;
  status: StatusClass;
}

export function statusClassOf(status: number): StatusClass {
  if (status <= 0) return 'none';
  if (status >= 500) return '5xx';
  if (status >= 400) return '4xx';
  if (status >= 300) return '3xx';
  return '2xx';
}

export function matchesRow(row: HarInspectorRow, f: InspectorFilters): boolean {
  return (!f.failed || row.failed) && (!f.xdr || row.xdrApi) && (!f.status || statusClassOf(row.status) === f.status);
}

/** Milliseconds as people read them in the UI's language: `850 ms`, `1.4 s` / `1,4 s` (format.ts does it). */
export const formatMs = formatMilliseconds;

/** Gridlines for a scale of `total` ms: about eight at round values, as fractions of the width. */
export function ticks(total: number): { at: number; ms: number }[] {
  if (total <= 0) return [{ at: 0, ms: 0 }];
  const raw = total / 8;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? pow * 10;
  const out: { at: number; ms: number }[] = [];
  for (let ms = 0; ms <= total + 1e-9; ms += step) out.push({ at: ms / total, ms });
  return out;
}

/** Where a bar and its waiting part sit, in percent of the whole capture. */
export function barOf(row: HarInspectorRow, total: number): { left: number; width: number; waitLeft: number; waitWidth: number } {
  const scale = total > 0 ? 100 / total : 0;
  const left = Math.min(100, row.startMs * scale);
  const width = Math.max(0.3, Math.min(100 - left, row.timeMs * scale));
  const before = ['blocked', 'dns', 'connect', 'send'].reduce((sum, k) => sum + Math.max(0, row.timings[k as keyof typeof row.timings]), 0);
  const wait = Math.max(0, row.timings.wait);
  const waitLeft = row.timeMs > 0 ? Math.min(100, (before / row.timeMs) * 100) : 0;
  const waitWidth = row.timeMs > 0 ? Math.min(100 - waitLeft, (wait / row.timeMs) * 100) : 0;
  return { left, width, waitLeft, waitWidth };
}

const PLACEHOLDER = /(\[REDACTED:[a-z-]+:[0-9a-f]{6}\]|%5BREDACTED%3A[a-z-]+%3A[0-9a-f]{6}%5D)/i;

/** A value cut into plain text and placeholders, so the page can mark each placeholder with its rule. */
export function splitPlaceholders(value: string): { text: string; rule: string | null }[] {
  return value
    .split(PLACEHOLDER)
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^(?:\[REDACTED:([a-z-]+):|%5BREDACTED%3A([a-z-]+)%3A)/i.exec(part);
      return { text: part, rule: m ? (m[1] ?? m[2]!).toLowerCase() : null };
    });
}
