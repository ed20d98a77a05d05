import type { Run } from '../../contract/checks.js';
import { buildMapModel, LIGHT_PALETTE, mapSvg } from '../../contract/integration-map-svg.js';
import { hostOf, linkFindings, linkStates, mapTexts, type MapCheck, type MapNode } from '../../contract/integration-map.js';
import { catalogueText } from '../errors.js';
import type { Knowledge } from '../knowledge/runbook.js';

/** The width the report draws at: its page is 1100 px wide at most, less the run section's padding. */
export const REPORT_MAP_WIDTH = 1000;

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * One run's integration path for report.html: the same drawing as the Checks page (colours of the
 * app's light theme written out, the text alternative in the SVG's title and description) and, under
 * it, each link as text with its checks. `host` is the appliance as the report may name it (null
 * when host names are left out). English, like the rest of the report, unless told otherwise.
 */
export function reportMap(run: Run, n: number, knowledge: Knowledge, host: string | null, language: 'en' | 'de' = 'en'): string {
  const texts = mapTexts((key, params) => catalogueText(key, params, language) ?? key);
  const checks: MapCheck[] = run.checks.map((c) => ({ id: c.id, kind: knowledge.checkById.get(c.id)?.kind ?? 'probe', state: c.status, outcome: c.outcome }));
  const states = linkStates(knowledge.integrationMap, checks);
  const findings = Object.fromEntries(states.map((s) => [s.link, linkFindings(s, run.findings).length]));
  const details: Partial<Record<MapNode, string>> = {
    'threat-response': hostOf(run.endpoints.threatResponse),
    sse: hostOf(run.endpoints.ssePortal),
    xdr: hostOf(run.endpoints.xdrPortal),
    ...(host ? { appliance: host } : {}),
  };
  const model = buildMapModel({ width: REPORT_MAP_WIDTH, states, texts, details, findings });
  const svg = mapSvg(model, { palette: LIGHT_PALETTE, idPrefix: `map-run-${n}`, description: model.links.map((l) => l.label).join(' ') });
  const status = new Map(run.checks.map((c) => [c.id, c.status]));
  const items = states
    .map((s) => {
      const list = s.checks.map((id) => `<code>${esc(id)}</code> <span class="${status.get(id) === 'error' ? 'error-status' : esc(status.get(id))}">${esc(status.get(id))}</span>`).join(', ');
      return `<li data-link="${esc(s.link)}"><strong>${esc(texts.name(s.link))}</strong>: <span style="color:${LIGHT_PALETTE.tone[s.tone]};font-weight:600">${esc(texts.state(s))}</span> · ${esc(texts.aspects[s.link])}${list ? `<br><span class="meta">${esc(texts.checks)}: ${list}</span>` : ''}</li>`;
    })
    .join('');
  return `<div class="map"><h4>${esc(texts.title)}</h4><div class="svg">${svg}</div><ul class="map-links">${items}</ul></div>`;
}
