/** One request on the timeline: start relative to the capture, duration, outcome, short label. */
export interface WaterfallRow {
  index: number;
  startMs: number;
  timeMs: number;
  status: number;
  failed: boolean;
  label: string;
  /** Shown as the row's tooltip (no query values, see har-analyze.ts). */
  detail: string;
}

export interface WaterfallOptions {
  title?: string;
  /** At most this many rows are drawn: all failures first, then the slowest (default 300). */
  maxRows?: number;
  width?: number;
}

const ROW = 16;
const HEAD = 44;
const LABEL = 380;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function niceStep(totalMs: number): number {
  const raw = totalMs / 8;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? pow * 10;
}

function msText(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

function colour(r: WaterfallRow): string {
  if (r.failed) return '#d93025';
  if (r.status >= 300 && r.status < 400) return '#7b8794';
  return '#1a73e8';
}

/** Which rows to draw when there are too many: failures, then the slowest, shown in time order. */
export function pickRows(rows: readonly WaterfallRow[], max: number): WaterfallRow[] {
  if (rows.length <= max) return [...rows].sort((a, b) => a.startMs - b.startMs || a.index - b.index);
  const failed = rows.filter((r) => r.failed).slice(0, max);
  const rest = rows
    .filter((r) => !r.failed)
    .sort((a, b) => b.timeMs - a.timeMs)
    .slice(0, max - failed.length);
  return [...failed, ...rest].sort((a, b) => a.startMs - b.startMs || a.index - b.index);
}

/**
 * A self-contained SVG waterfall (no scripts, fonts or external references), failures in red, so
 * the UI and the archive report can embed the same picture.
 */
export function waterfallSvg(all: readonly WaterfallRow[], options: WaterfallOptions = {}): string {
  const width = options.width ?? 1000;
  const rows = pickRows(all, options.maxRows ?? 300);
  const span = Math.max(1, ...rows.map((r) => r.startMs + Math.max(r.timeMs, 0)));
  const barWidth = width - LABEL - 20;
  const scale = barWidth / span;
  const height = HEAD + rows.length * ROW + 28;
  const failedCount = all.filter((r) => r.failed).length;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img">`);
  const title = options.title ?? 'HAR timeline';
  const shown = rows.length < all.length ? ` · showing ${rows.length} of ${all.length} (failures first, then the slowest)` : '';
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="8" y="16" font-size="13" font-weight="bold" fill="#202124">${escapeXml(title)}</text>`);
  out.push(`<text x="8" y="32" fill="#5f6368">${all.length} requests · ${failedCount} failed · ${msText(span)}${escapeXml(shown)}</text>`);
  const step = niceStep(span);
  for (let t = 0; t <= span; t += step) {
    const x = (LABEL + t * scale).toFixed(1);
    out.push(`<line x1="${x}" y1="${HEAD - 6}" x2="${x}" y2="${HEAD + rows.length * ROW}" stroke="#e8eaed"/>`);
    out.push(`<text x="${x}" y="${HEAD - 8}" fill="#5f6368" text-anchor="middle">${msText(t)}</text>`);
  }
  rows.forEach((r, k) => {
    const y = HEAD + k * ROW;
    const x = LABEL + r.startMs * scale;
    const w = Math.max(1, r.timeMs * scale);
    const label = r.label.length > 62 ? `${r.label.slice(0, 61)}…` : r.label;
    out.push(`<g>`);
    out.push(`<title>${escapeXml(`#${r.index} ${r.detail} · ${r.failed ? 'FAILED · ' : ''}${msText(r.timeMs)}`)}</title>`);
    if (r.failed) out.push(`<rect x="0" y="${y}" width="${width}" height="${ROW}" fill="#fce8e6"/>`);
    out.push(`<text x="8" y="${y + 12}" fill="${r.failed ? '#a50e0e' : '#202124'}">${escapeXml(label)}</text>`);
    out.push(`<rect x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${colour(r)}"/>`);
    out.push(`</g>`);
  });
  const ly = HEAD + rows.length * ROW + 18;
  out.push(`<rect x="8" y="${ly - 9}" width="10" height="10" fill="#1a73e8"/><text x="22" y="${ly}" fill="#202124">OK</text>`);
  out.push(`<rect x="60" y="${ly - 9}" width="10" height="10" fill="#7b8794"/><text x="74" y="${ly}" fill="#202124">redirect</text>`);
  out.push(`<rect x="130" y="${ly - 9}" width="10" height="10" fill="#d93025"/><text x="144" y="${ly}" fill="#202124">failed (status ≥ 400, 0 or a network error)</text>`);
  out.push('</svg>');
  return out.join('\n');
}
