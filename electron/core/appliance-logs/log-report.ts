import type { Manifest } from '../../contract/archive.js';
import type { EntryResult } from '../archive/zip-stream.js';
import type { CollectResult } from './log-collector.js';

type Scrub = (text: string) => string;

/** The manifest's appliance-logs part, built from what was written (hashes from the zip) and scrubbed messages. */
export function manifestLogs(r: CollectResult, written: readonly EntryResult[], scrub: Scrub): NonNullable<Manifest['applianceLogs']> {
  const byPath = new Map(written.map((e) => [e.path, e]));
  return {
    window: r.window,
    caps: r.caps,
    files: r.files.map((f) => ({
      path: f.path,
      subscription: f.subscription,
      source: f.source,
      origin: scrub(f.origin),
      bytes: byPath.get(f.path)?.bytes ?? 0,
      sha256: byPath.get(f.path)?.sha256 ?? '',
      capped: f.result.capped,
      redactions: f.result.redactions,
    })),
    problems: r.problems.map((p) => ({ subscription: p.subscription, file: p.file, problem: p.problem, message: scrub(p.message) })),
    notices: r.notices.map((n) => ({ code: n.code, message: scrub(n.message) })),
  };
}

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${n} bytes`);

/** The report.html section: what was collected and from where, the per-file counts and cuts, and what was refused. */
export function logsSection(m: NonNullable<Manifest['applianceLogs']>): string {
  const rules = (r: Record<string, number>) =>
    Object.entries(r)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${esc(k)} ${n}`)
      .join(', ') || 'none';
  const rows = m.files
    .map((f) => `<tr><td><code>${esc(f.path)}</code></td><td>${f.source === 'api' ? 'AsyncOS API' : 'imported by hand'}<br><span class="mono">${esc(f.origin)}</span></td><td>${esc(size(f.bytes))}${f.capped ? ' <strong>(cut at the cap)</strong>' : ''}</td><td>${rules(f.redactions)}</td></tr>`)
    .join('');
  const problems = m.problems.map((p) => `<li><code>${esc(p.subscription)}${p.file ? `/${esc(p.file)}` : ''}</code> (${esc(p.problem)}): ${esc(p.message)}</li>`).join('');
  const notices = m.notices.map((n) => `<p class="card">${esc(n.message)}</p>`).join('');
  return `<h2>Appliance logs</h2>
<p class="meta">Window ${esc(m.window.from)} – ${esc(m.window.to)} (UTC) · caps ${esc(size(m.caps.perFileBytes))} per file, ${esc(size(m.caps.totalBytes))} in all · scrubbed with the same pseudonyms as the HAR files</p>
${notices}
${m.files.length ? `<table><thead><tr><th>File</th><th>From</th><th>Size</th><th>Redactions per rule</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>No appliance log file was collected.</p>'}
${problems ? `<h3>Not collected</h3><ul>${problems}</ul>` : ''}`;
}
