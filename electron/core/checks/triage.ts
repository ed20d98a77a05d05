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

const QUOTES = /["'`´‘’‚‛“”„‟«»‹›]/;
const DASHES = /[‐‑‒–—―−]/;

/**
 * Folds what users paste into one comparable form: Unicode-normalised, lower case, every kind of
 * quote removed, dashes unified, all whitespace (line breaks too) collapsed to one space. `origin[i]`
 * is the index in the original text of folded character i, so a match can be shown as pasted.
 */
export function foldText(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const ch of text) {
    const at = index;
    index += ch.length;
    if (QUOTES.test(ch)) continue;
    if (/\s/.test(ch)) {
      if (folded.length > 0 && !folded.endsWith(' ')) {
        folded += ' ';
        origin.push(at);
      }
      continue;
    }
    const out = DASHES.test(ch) ? '-' : ch.normalize('NFKC').toLowerCase();
    for (const c of out) {
      folded += c;
      for (let k = 0; k < c.length; k++) origin.push(at);
    }
  }
  if (folded.endsWith(' ')) {
    folded = folded.slice(0, -1);
    origin.pop();
  }
  return { folded, origin };
}

export function normalizeText(text: string): string {
  return foldText(text).folded;
}

function statusHint(pattern: PatternDef, status: number) {
  const table = pattern.byStatus ?? {};
  return table[String(status)] ?? table[`${String(status)[0]}xx`] ?? table.other;
}

/** Every known message in the text, specific ones first; a generic pattern only when no specific one matched. */
export function triage(knowledge: Knowledge, text: string): PatternMatch[] {
  const { folded, origin } = foldText(text);
  // The matched span as the user pasted it (case, quotes and line breaks as they were, spaces collapsed).
  const original = (start: number, length: number) => text.slice(origin[start], origin[start + length - 1]! + 1).replace(/\s+/g, ' ');
  const group = (m: RegExpExecArray, name: string) => {
    const span = m.indices?.groups?.[name];
    return span ? original(span[0], span[1] - span[0]) : '';
  };
  const found: PatternMatch[] = [];
  for (const pattern of knowledge.patterns) {
    for (const language of ['en', 'de'] as const) {
      const phrase = pattern.phrases?.[language].find((p) => folded.includes(normalizeText(p)));
      if (phrase) {
        const needle = normalizeText(phrase);
        found.push({ pattern, language, excerpt: original(folded.indexOf(needle), needle.length), httpStatus: null, raises: [...pattern.raises], candidates: [...pattern.candidates], checks: [...pattern.checks], params: {} });
        break;
      }
      const source = pattern.regex?.[language];
      const m = source ? new RegExp(source, 'du').exec(folded) : null;
      if (m) {
        const status = m.groups?.status ? Number(m.groups.status) : null;
        const hint = status !== null ? statusHint(pattern, status) : undefined;
        found.push({
          pattern,
          language,
          excerpt: original(m.index, m[0].length),
          httpStatus: status,
          raises: [...pattern.raises],
          candidates: [...pattern.candidates, ...(hint?.candidates ?? [])],
          checks: [...pattern.checks, ...(hint?.checks ?? [])],
          params: { module: group(m, 'module'), detail: group(m, 'detail'), httpStatus: status ?? '', statusMeaning: hint?.meaning ?? '' },
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
    profileName: { en: 'PROFILE', de: 'PROFIL' },
    xdrClientId: { en: 'of this profile', de: 'dieses Profils' },
    xdrApiHost: all((r) => r.xdrApi.host),
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
            de: 'Diese Meldung ist dem Troubleshooter nicht bekannt. Führen Sie alle Prüfungen aus: Sie testen die üblichen Ursachen. Bleibt das Problem, zeichnen Sie eine HAR-Datei auf und erstellen Sie ein Support-Archiv für das TAC.',
          },
  };
}
