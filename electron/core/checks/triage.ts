import type { Finding, TriageResult } from '../../contract/checks.js';
import type { ProfileKind } from '../../contract/profiles.js';
import type { Knowledge, Params, PatternDef } from '../knowledge/runbook.js';
import { renderFinding } from './findings.js';

export interface PatternMatch {
  pattern: PatternDef;
  language: 'en' | 'de';
  excerpt: string;
  httpStatus: number | null;
  raises: string[];
  candidates: string[];
  checks: string[];
  params: Params;
}

/**
 * Folds what users paste into one comparable form: Unicode-normalised, lower case, every kind of
 * quote removed, dashes unified, all whitespace (line breaks too) collapsed to one space.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/["'`´‘’‚‛“”„‟«»‹›]/g, '')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

function statusHint(pattern: PatternDef, status: number) {
  const table = pattern.byStatus ?? {};
  return table[String(status)] ?? table[`${String(status)[0]}xx`] ?? table.other;
}

/** Every known message in the text, specific ones first; a generic pattern only when no specific one matched. */
export function triage(knowledge: Knowledge, text: string): PatternMatch[] {
  const folded = normalizeText(text);
  const found: PatternMatch[] = [];
  for (const pattern of knowledge.patterns) {
    for (const language of ['en', 'de'] as const) {
      const phrase = pattern.phrases?.[language].find((p) => folded.includes(normalizeText(p)));
      if (phrase) {
        const at = folded.indexOf(normalizeText(phrase));
        found.push({ pattern, language, excerpt: folded.slice(at, at + normalizeText(phrase).length), httpStatus: null, raises: [...pattern.raises], candidates: [...pattern.candidates], checks: [...pattern.checks], params: {} });
        break;
      }
      const source = pattern.regex?.[language];
      const m = source ? new RegExp(source, 'u').exec(folded) : null;
      if (m) {
        const status = m.groups?.status ? Number(m.groups.status) : null;
        const hint = status !== null ? statusHint(pattern, status) : undefined;
        found.push({
          pattern,
          language,
          excerpt: m[0],
          httpStatus: status,
          raises: [...pattern.raises],
          candidates: [...pattern.candidates, ...(hint?.candidates ?? [])],
          checks: [...pattern.checks, ...(hint?.checks ?? [])],
          params: { module: m.groups?.module ?? '', detail: m.groups?.detail ?? '', httpStatus: status ?? '', statusMeaning: hint?.meaning ?? '' },
        });
        break;
      }
    }
  }
  const specific = found.filter((f) => f.pattern.specific);
  return specific.length > 0 ? specific : found;
}

/** Placeholders for findings shown without a profile: generic words instead of one appliance's facts. */
export function genericParams(knowledge: Knowledge): Params {
  const all = (pick: (r: Knowledge['regions']['regions'][number]) => string) => knowledge.regions.regions.map((r) => `${pick(r)} (${r.id.toUpperCase()})`).join(', ');
  return {
    host: { en: 'the appliance', de: 'die Appliance' },
    user: { en: 'the API user', de: 'der API-Benutzer' },
    httpsPort: 6443,
    httpPort: 6080,
    port: 6443,
    cluster: '',
    regionLabel: { en: 'the appliance’s region', de: 'die Region der Appliance' },
    cloudHost: all((r) => r.threatResponseServer.host),
    sseHost: all((r) => r.sseAdminPortal.host),
    xdrHost: all((r) => r.xdrPortal.host),
    sseUrl: { en: `the SSE portal of the appliance’s region (${all((r) => `https://${r.sseAdminPortal.host}/`)})`, de: `das SSE-Portal der Region der Appliance (${all((r) => `https://${r.sseAdminPortal.host}/`)})` },
    xdrUrl: { en: `the XDR portal of your region (${all((r) => `https://${r.xdrPortal.host}/`)})`, de: `das XDR-Portal Ihrer Region (${all((r) => `https://${r.xdrPortal.host}/`)})` },
    detail: { en: 'see the checks', de: 'siehe Prüfungen' },
  };
}

/** The answer to "what does this message mean": matching findings (symptom and candidate causes) and the checks to run. */
export function triageResult(knowledge: Knowledge, text: string, kind: ProfileKind, params: Params): TriageResult {
  const matches = triage(knowledge, text);
  const render = (code: string, extra: Params): Finding => renderFinding(knowledge.findings.get(code)!, { ...params, ...extra }, kind, ['error-text']);
  return {
    matched: matches.length > 0,
    matches: matches.map((m) => ({
      pattern: m.pattern.id,
      language: m.language,
      excerpt: m.excerpt,
      httpStatus: m.httpStatus,
      findings: [...new Set([...m.raises, ...m.candidates])].map((code) => render(code, m.params)),
      checks: [...new Set(m.checks)].map((id) => ({ id, title: knowledge.checkById.get(id)!.title })),
    })),
    advice:
      matches.length > 0
        ? { en: 'Run the checks listed to find out which cause applies.', de: 'Führen Sie die genannten Prüfungen aus, um die zutreffende Ursache zu finden.' }
        : {
            en: 'This message is not one the troubleshooter knows. Run all checks: they test the usual causes. If the problem stays, capture a HAR file and build a support archive for TAC.',
            de: 'Diese Meldung ist dem Troubleshooter nicht bekannt. Führen Sie alle Prüfungen aus: Sie testen die üblichen Ursachen. Bleibt das Problem, zeichnen Sie eine HAR-Datei auf und erstellen Sie ein Support-Archiv für TAC.',
          },
  };
}
