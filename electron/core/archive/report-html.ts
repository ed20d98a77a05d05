import type { Manifest } from '../../contract/archive.js';
import { farSideChecked, type Finding, type Run } from '../../contract/checks.js';
import type { HarAnalysis } from '../har/har-analyze.js';
import type { RedactionReport } from '../har/har-report.js';
import { count } from '../english.js';

export interface ReportHar {
  path: string;
  analysis: HarAnalysis;
  redaction: RedactionReport;
  svg: string;
  /** Findings the capture raised, with their catalog title and remediation. */
  findings: Finding[];
}

export interface ReportInput {
  head: Pick<Manifest, 'tool' | 'createdAt' | 'caseNumber' | 'notes' | 'profile'>;
  runs: Run[];
  hars: ReportHar[];
  files: { path: string; bytes: number }[];
  /** Sections of other parts (appliance logs), already escaped, placed before the file list. */
  extraHtml?: string;
  /** Each run's integration path (report-map.ts), already escaped, by the run's index. */
  maps?: string[];
}

/** HTML-escapes text for element content and quoted attributes. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;margin:0;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #d5d9df;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:#555;margin:0 0 16px}.card{background:#fff;border:1px solid #d5d9df;border-radius:6px;padding:12px 14px;margin:10px 0}
.sev{display:inline-block;font-size:12px;font-weight:600;border-radius:3px;padding:1px 6px;margin-right:6px;text-transform:uppercase}
.critical{background:#7a1010;color:#fff}.error{background:#c62828;color:#fff}.warning{background:#f0b400;color:#1b1f24}.info{background:#dde6f3;color:#1b1f24}
.pass{color:#1b6e20}.fail,.error-status{color:#c62828}.warn{color:#8a6100}.skip,.needs-input{color:#666}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px;word-break:break-all}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0}th,td{border:1px solid #d5d9df;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}dt{font-weight:600}dd{margin:0}
.svg{overflow-x:auto;background:#fff;border:1px solid #d5d9df;padding:6px}ol{margin:6px 0 0 18px;padding:0}
.map h4{font-size:14px;margin:10px 0 6px}.map .svg svg{display:block;max-width:100%;height:auto}.map-links{margin:6px 0 12px 18px;padding:0}.map-links li{margin:2px 0}.map-links code{word-break:normal}
@media print{body{background:#fff}.card{break-inside:avoid}}
`;

function findingCard(f: Finding, source: string): string {
  return `<div class="card finding"><div><span class="sev ${esc(f.severity)}">${esc(f.severity)}</span><strong>${esc(f.title.en)}</strong> <code>${esc(f.code)}</code>${
    f.seedStep ? ` · article step ${esc(f.seedStep)}` : ''
  } · ${esc(source)}</div><p>${esc(f.cause.en)}</p>${f.remediation.en.length ? `<ol>${f.remediation.en.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>` : ''}</div>`;
}

function evidence(e: Run['checks'][number]['evidence']): string {
  const rows = Object.entries(e);
  if (rows.length === 0) return '';
  return `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd class="mono">${esc(Array.isArray(v) ? v.join(', ') : v)}</dd>`).join('')}</dl>`;
}

function runSection(run: Run, n: number, map = ''): string {
  return `<section class="run"><h3>Run ${n}: ${esc(run.startedAt)} · ${esc(run.state)} · ${esc(run.durationMs ?? '–')} ms</h3>
<p class="meta">Endpoints: ${esc(run.endpoints.source)} (${esc(run.endpoints.threatResponse)}) · proxy: ${esc(run.proxy ?? 'none')} · SSE and XDR: ${farSideChecked(run.checks) ? 'checked through the profile’s XDR API client' : 'not checked automatically (no XDR API client); only the manual answers below speak for them'}</p>${map}
<table><thead><tr><th>Check</th><th>Status</th><th>Result</th><th>Evidence</th></tr></thead><tbody>${run.checks
    .map(
      (c) =>
        `<tr><td><code>${esc(c.id)}</code></td><td class="${c.status === 'error' ? 'error-status' : esc(c.status)}">${esc(c.status)}${c.outcome ? ` <span class="mono">(${esc(c.outcome)})</span>` : ''}</td><td>${esc(c.summary.en)}</td><td>${evidence(c.evidence)}</td></tr>`,
    )
    .join('')}</tbody></table></section>`;
}

/** Only our own waterfall markup goes in inline; anything scriptable is refused, whatever produced it. */
function safeSvg(svg: string): string {
  if (!svg.startsWith('<svg') || /<script|<foreignObject|\son[a-z]+\s*=|javascript:|<iframe|<object|<embed/i.test(svg)) return '<p>(timeline omitted)</p>';
  return svg;
}

function harSection(h: ReportHar): string {
  const a = h.analysis;
  const r = h.redaction;
  const rules = Object.entries(r.byRule).filter(([, n]) => n > 0);
  const failed = a.failed.slice(0, 100);
  return `<section class="har"><h3><code>${esc(h.path)}</code> · ${esc(a.entries)} requests · ${esc(Math.round(a.durationMs))} ms</h3>
${h.findings.map((f) => findingCard(f, 'from the HAR capture')).join('')}
<div class="svg">${safeSvg(h.svg)}</div>
<h3>Failed requests (${esc(a.failedCount)})</h3>${
    failed.length
      ? `<table><thead><tr><th>#</th><th>Method</th><th>URL</th><th>Status</th><th>Error</th><th>ms</th></tr></thead><tbody>${failed
          .map((f) => `<tr><td>${esc(f.index)}</td><td>${esc(f.method)}</td><td class="mono">${esc(f.url)}</td><td>${esc(f.status)} ${esc(f.statusText)}</td><td>${esc(f.error ?? '')}</td><td>${esc(Math.round(f.timeMs))}</td></tr>`)
          .join('')}</tbody></table>`
      : '<p>None.</p>'
  }
${
  a.moduleErrors.length
    ? `<h3>XDR module errors</h3><table><thead><tr><th>#</th><th>Code</th><th>Text</th><th>Findings</th></tr></thead><tbody>${a.moduleErrors
        .map((m) => `<tr><td>${esc(m.index)}</td><td>${esc(m.code ?? '')}${m.httpStatus ? ` [${esc(m.httpStatus)}]` : ''}</td><td>${esc(m.excerpt)}</td><td>${esc(m.raises.join(', '))}</td></tr>`)
        .join('')}</tbody></table>`
    : ''
}
${
  a.regions.otherRegion.length
    ? `<h3>Calls to another region than the profile's (${esc(a.regions.expected ?? '')})</h3><ul>${a.regions.otherRegion.map((o) => `<li><code>${esc(o.host)}</code> (${esc(o.region)}, ${esc(o.count)}×)</li>`).join('')}</ul>`
    : ''
}
<h3>Slowest requests</h3><table><thead><tr><th>#</th><th>URL</th><th>Status</th><th>ms</th></tr></thead><tbody>${a.slowest
    .map((s) => `<tr><td>${esc(s.index)}</td><td class="mono">${esc(s.url)}</td><td>${esc(s.status)}</td><td>${esc(Math.round(s.timeMs))}</td></tr>`)
    .join('')}</tbody></table>
<h3>Redaction</h3><p>${esc(r.totals.redactions)} values replaced by keyed placeholders, ${esc(r.totals.bodiesDropped)} response bodies dropped, in ${esc(r.totals.entriesTouched)} entries. ${
    rules.length ? `By rule: ${rules.map(([k, n]) => `${esc(k)} ${esc(n)}`).join(', ')}.` : ''
  } Details (JSON paths and fingerprints, never values): <code>redaction-report.json</code>.</p></section>`;
}

/**
 * The page a TAC engineer opens first: self-contained (inline CSS, the waterfall as inline SVG),
 * script-free (its CSP forbids scripts even if one slipped in), every value HTML-escaped.
 */
export function renderReport(input: ReportInput): string {
  const { head, runs, hars, files } = input;
  const seen = new Set<string>();
  const findings: { f: Finding; source: string }[] = [];
  runs.forEach((run, i) => {
    for (const f of run.findings) {
      if (seen.has(f.code)) continue;
      seen.add(f.code);
      findings.push({ f, source: `run ${i + 1}` });
    }
  });
  for (const h of hars) {
    for (const f of h.findings) {
      if (seen.has(f.code)) continue;
      seen.add(f.code);
      findings.push({ f, source: h.path });
    }
  }
  const p = head.profile;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Support archive report${head.caseNumber ? ` · case ${esc(head.caseNumber)}` : ''}</title><style>${CSS}</style></head>
<body><main>
<h1>Secure Email ↔ XDR support archive</h1>
<p class="meta">Created ${esc(head.createdAt)} by ${esc(head.tool.name)} ${esc(head.tool.version)}${head.caseNumber ? ` · TAC case <strong>${esc(head.caseNumber)}</strong>` : ''}</p>
<div class="card"><dl>
<dt>Profile</dt><dd>${esc(p.label)}</dd><dt>Kind</dt><dd>${esc(p.kind)}</dd><dt>Region</dt><dd>${esc(p.region)}</dd>
<dt>Host</dt><dd>${p.host ? `<code>${esc(p.host)}</code> (HTTPS API ${esc(p.httpsPort ?? '–')}, HTTP API ${esc(p.httpPort ?? '–')})` : 'not included (the user chose to leave host names out; they are replaced by placeholders throughout)'}</dd>
<dt>Contents</dt><dd>${esc(count(runs.length, 'check run'))}, ${esc(count(hars.length, 'sanitised HAR file'))}</dd>
</dl>${head.notes ? `<h3>Notes from the user</h3><p style="white-space:pre-wrap">${esc(head.notes)}</p>` : ''}</div>
<h2>Findings (${esc(findings.length)})</h2>
${findings.length ? findings.map(({ f, source }) => findingCard(f, source)).join('') : '<p>No findings: every check that ran passed.</p>'}
<h2>Checks</h2>
${runs.length ? runs.map((r, i) => runSection(r, i + 1, input.maps?.[i])).join('') : '<p>No check runs were included.</p>'}
<h2>HAR captures</h2>
${hars.length ? hars.map(harSection).join('') : '<p>No HAR files were included.</p>'}
${input.extraHtml ?? ''}
<h2>Files</h2>
<table><thead><tr><th>Path</th><th>Bytes</th></tr></thead><tbody>${files.map((f) => `<tr><td><code>${esc(f.path)}</code></td><td>${esc(f.bytes)}</td></tr>`).join('')}</tbody></table>
<p class="meta">Every file's SHA-256 is in <code>manifest.json</code>. Secrets were never written: passwords, tokens and cookies appear as <code>[REDACTED:rule:fingerprint]</code> placeholders, the same value always with the same placeholder within this archive.</p>
</main></body></html>
`;
}
