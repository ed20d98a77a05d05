import type { RegionId } from '../../contract/profiles.js';
import { format } from '../../contract/i18n.js';
import { genericParams, triage } from '../checks/triage.js';
import type { Knowledge, Params } from '../knowledge/runbook.js';
import { importHar, type ImportOptions, type ImportSummary } from './har-import.js';
import type { HarEntry } from './har-types.js';
import { waterfallSvg, type WaterfallRow } from './har-waterfall.js';

export interface AnalyzeOptions {
  knowledge: Pick<Knowledge, 'patterns' | 'regions' | 'findings'>;
  /** The profile's region: calls to another region's Cisco hosts are findings. */
  region?: RegionId | null;
  slowest?: number;
  /** Applied to every text the analysis quotes (URLs, error excerpts), e.g. a scrubber for known secrets. */
  scrub?: (text: string) => string;
}

export interface HarRequestRef {
  index: number;
  startedDateTime: string;
  method: string;
  /** Scheme, host and path; query parameter names only, never their values. */
  url: string;
  host: string;
  status: number;
  statusText: string;
  timeMs: number;
  error: string | null;
}

export interface HarModuleError {
  index: number;
  url: string;
  status: number;
  excerpt: string;
  /** `E4017` and the like, when the text carries one. */
  code: string | null;
  /** The bracketed upstream status of `… [409]`. */
  httpStatus: number | null;
  pattern: string | null;
  /** The message's own words (`… module: <detail> [NNN]`), when the pattern names them. */
  detail: string | null;
  /** Finding codes of the catalog (resources/findings.json) the text raises (its symptom)… */
  raises: string[];
  /** …and the possible causes that tell it apart. */
  candidates: string[];
}

export interface HarRegionHost {
  host: string;
  region: RegionId;
  role: 'sseAdminPortal' | 'xdrPortal' | 'threatResponseServer' | 'xdrApi';
  count: number;
  firstIndex: number;
}

export interface HarAnalysis {
  entries: number;
  startedAt: string | null;
  durationMs: number;
  hosts: { host: string; count: number }[];
  failedCount: number;
  failed: HarRequestRef[];
  moduleErrors: HarModuleError[];
  regions: { expected: RegionId | null; seen: RegionId[]; hosts: HarRegionHost[]; otherRegion: HarRegionHost[] };
  slowest: HarRequestRef[];
  findingCodes: string[];
}

const MAX_FAILED = 500;
const MAX_MODULE_ERRORS = 200;
const MAX_ROWS = 50_000;
const MAX_BODY_SCAN = 1 << 20;
const ERROR_HINT = /\bE\d{4}\b|client error in|client-fehler im|unexpected error|unerwartete|there was a problem|es gab ein problem|invalid or expired token|abgelaufenen tokens/i;
const ERROR_SPOTS = /\bE\d{4}\b|client error in|client-fehler im|unexpected error|unerwartete|there was a problem|es gab ein problem|invalid or expired token|abgelaufenen tokens/gi;
const CODE = /\b(E\d{4})\b[^[\]\n"]{0,200}?\[(\d{3})\]|\b(E\d{4})\b/g;

/** A URL as the analysis shows it: no userinfo, no fragment, query parameter names without values. */
export function displayUrl(raw: string): string {
  // Userinfo runs to the last @ of the authority (a password may hold one of its own).
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#]*@)?([^/?#]*)([^?#]*)(\?[^#]*)?/i.exec(raw);
  if (!m) return raw.replace(/[?#].*$/s, '').slice(0, 300);
  const names = m[4] ? m[4].slice(1).split('&').map((p) => p.split('=')[0]).filter(Boolean) : [];
  const out = `${m[1]}${m[2]}${m[3]}${names.length ? `?${names.join('&')}` : ''}`;
  return out.length > 300 ? `${out.slice(0, 299)}…` : out;
}

function hostOf(url: string): string {
  return (/^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url)?.[1] ?? '').toLowerCase();
}

function failureText(e: HarEntry): string | null {
  const r = e.response as Record<string, unknown>;
  for (const key of ['_error', '_failureText', '_blockedReason']) if (typeof r[key] === 'string' && r[key] !== '') return r[key] as string;
  const cors = r._corsErrorStatus as { corsError?: unknown } | undefined;
  if (cors && typeof cors.corsError === 'string') return `CORS: ${cors.corsError}`;
  return null;
}

function bodyText(e: HarEntry): string {
  const c = e.response.content;
  if (typeof c.text !== 'string' || c.text.startsWith('\u0000')) return '';
  const text = c.encoding === 'base64' ? (/^text\/|json|xml/i.test(c.mimeType) ? Buffer.from(c.text.slice(0, MAX_BODY_SCAN * 2), 'base64').toString('utf8') : '') : c.text;
  return text.length > MAX_BODY_SCAN ? text.slice(0, MAX_BODY_SCAN) : text;
}

/** Collects findings entry by entry, in bounded memory. */
export class HarAnalyzer {
  private readonly hostCounts = new Map<string, number>();
  private readonly regionHosts = new Map<string, { region: RegionId; role: HarRegionHost['role'] }>();
  private readonly regionSeen = new Map<string, HarRegionHost>();
  private readonly failed: HarRequestRef[] = [];
  private failedCount = 0;
  private readonly moduleErrors: HarModuleError[] = [];
  private readonly seenErrors = new Map<string, HarModuleError>();
  private slow: HarRequestRef[] = [];
  readonly rows: WaterfallRow[] = [];
  private t0 = Number.POSITIVE_INFINITY;
  private t0Text: string | null = null;
  private tEnd = Number.NEGATIVE_INFINITY;
  private count = 0;
  private readonly scrub: (text: string) => string;

  constructor(private readonly options: AnalyzeOptions) {
    this.scrub = options.scrub ?? ((t) => t);
    for (const r of options.knowledge.regions.regions) {
      for (const role of ['sseAdminPortal', 'xdrPortal', 'threatResponseServer', 'xdrApi'] as const) this.regionHosts.set(r[role].host, { region: r.id, role });
    }
  }

  entry(e: HarEntry, index: number): void {
    this.count++;
    const url = e.request.url;
    const host = hostOf(url);
    this.hostCounts.set(host, (this.hostCounts.get(host) ?? 0) + 1);
    const start = Date.parse(e.startedDateTime);
    const time = Number.isFinite(e.time) && e.time > 0 ? e.time : 0;
    if (Number.isFinite(start)) {
      if (start < this.t0) {
        this.t0 = start;
        this.t0Text = e.startedDateTime;
      }
      this.tEnd = Math.max(this.tEnd, start + time);
    }
    const error = failureText(e);
    const status = e.response.status;
    const failed = status >= 400 || status <= 0 || error !== null;
    const ref: HarRequestRef = { index, startedDateTime: e.startedDateTime, method: e.request.method, url: this.scrub(displayUrl(url)), host: this.scrub(host), status, statusText: this.scrub(e.response.statusText ?? ''), timeMs: Math.round(time * 10) / 10, error: error && this.scrub(error) };
    if (failed) {
      this.failedCount++;
      if (this.failed.length < MAX_FAILED) this.failed.push(ref);
    }
    this.region(host, index);
    this.slowest(ref);
    if (this.rows.length < MAX_ROWS || failed) {
      const path = ref.url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
      this.rows.push({ index, startMs: Number.isFinite(start) ? start : 0, timeMs: time, status, failed, label: `${status > 0 ? status : 'ERR'} ${ref.method} ${path}`, detail: `${ref.method} ${ref.url} → ${status > 0 ? status : error ?? 'no response'}` });
    }
    const body = bodyText(e);
    const text = `${body}\n${e.response.statusText ?? ''}`;
    if (ERROR_HINT.test(text)) this.moduleTexts(text, index, ref);
  }

  private region(host: string, index: number): void {
    let hit = this.regionHosts.get(host);
    if (!hit) for (const [known, v] of this.regionHosts) if (host.endsWith(`.${known}`)) hit = v;
    if (!hit) return;
    const seen = this.regionSeen.get(host);
    if (seen) seen.count++;
    else this.regionSeen.set(host, { host, region: hit.region, role: hit.role, count: 1, firstIndex: index });
  }

  private slowest(ref: HarRequestRef): void {
    const n = this.options.slowest ?? 10;
    if (this.slow.length < n || ref.timeMs > this.slow[this.slow.length - 1]!.timeMs) {
      this.slow.push(ref);
      this.slow.sort((a, b) => b.timeMs - a.timeMs);
      if (this.slow.length > n) this.slow = this.slow.slice(0, n);
    }
  }

  /** XDR module errors and `E####` codes in a response: each spot is triaged with its sentence. */
  private moduleTexts(text: string, index: number, ref: HarRequestRef): void {
    for (const spot of text.matchAll(ERROR_SPOTS)) {
      if (this.moduleErrors.length >= MAX_MODULE_ERRORS) return;
      const from = Math.max(0, spot.index - 160);
      const window = text.slice(from, spot.index + 240);
      const matches = triage(this.options.knowledge as Knowledge, window);
      CODE.lastIndex = 0;
      const codeMatch = CODE.exec(text.slice(spot.index, spot.index + 240));
      if (matches.length === 0 && !codeMatch) continue;
      const first = matches[0];
      const excerpt = this.scrub(first?.excerpt ?? text.slice(spot.index, spot.index + 120).replace(/\s+/g, ' ').trim());
      const key = `${index}\u0000${first?.pattern.id ?? codeMatch?.[1] ?? codeMatch?.[3] ?? excerpt}`;
      const bracket = codeMatch?.[2] ? Number(codeMatch[2]) : (first?.httpStatus ?? null);
      const known = this.seenErrors.get(key);
      if (known) {
        // The same message seen again (a JSON "code" field, then the sentence): keep what each adds.
        known.code ??= codeMatch?.[1] ?? codeMatch?.[3] ?? null;
        known.httpStatus ??= bracket;
        continue;
      }
      const found: HarModuleError = {
        index,
        url: ref.url,
        status: ref.status,
        excerpt,
        code: codeMatch?.[1] ?? codeMatch?.[3] ?? null,
        httpStatus: bracket,
        pattern: first?.pattern.id ?? null,
        detail: typeof first?.params.detail === 'string' && first.params.detail !== '' ? this.scrub(first.params.detail) : null,
        raises: [...new Set(matches.flatMap((m) => m.raises))],
        candidates: [...new Set(matches.flatMap((m) => m.candidates))],
      };
      this.seenErrors.set(key, found);
      this.moduleErrors.push(found);
    }
  }

  result(): HarAnalysis {
    const expected = this.options.region ?? null;
    const hosts = [...this.regionSeen.values()].sort((a, b) => a.firstIndex - b.firstIndex);
    const otherRegion = expected ? hosts.filter((h) => h.region !== expected) : [];
    const findingCodes = new Set<string>();
    for (const m of this.moduleErrors) for (const code of m.raises) findingCodes.add(code);
    if (otherRegion.length > 0) findingCodes.add('REGION_MISMATCH');
    const known = this.options.knowledge.findings;
    return {
      entries: this.count,
      startedAt: this.t0Text,
      durationMs: Number.isFinite(this.t0) && Number.isFinite(this.tEnd) ? Math.round(this.tEnd - this.t0) : 0,
      hosts: [...this.hostCounts].map(([host, count]) => ({ host: this.scrub(host), count })).sort((a, b) => b.count - a.count).slice(0, 20),
      failedCount: this.failedCount,
      failed: this.failed,
      moduleErrors: this.moduleErrors,
      regions: { expected, seen: [...new Set(hosts.map((h) => h.region))], hosts, otherRegion },
      slowest: this.slow,
      findingCodes: [...findingCodes].filter((c) => known.has(c)),
    };
  }

  /** The timeline picture, times relative to the first request. */
  svg(title?: string): string {
    const t0 = Number.isFinite(this.t0) ? this.t0 : 0;
    return waterfallSvg(
      this.rows.map((r) => ({ ...r, startMs: Math.max(0, r.startMs - t0) })),
      title ? { title } : {},
    );
  }
}

export interface AnalyzeFileResult {
  analysis: HarAnalysis;
  summary: ImportSummary;
  svg: string;
}

/** Streams a HAR file through the analyzer (the file is validated on the way); `name` titles the picture (default: the file's). */
export async function analyzeHarFile(file: string, options: AnalyzeOptions & Omit<ImportOptions, 'repair'> & { name?: string }): Promise<AnalyzeFileResult> {
  const analyzer = new HarAnalyzer(options);
  const summary = await importHar(file, { entry: (e, i) => analyzer.entry(e, i) }, { ...options, repair: true });
  return { analysis: analyzer.result(), summary, svg: analyzer.svg(`HAR timeline · ${options.name ?? file.split(/[\\/]/).pop() ?? file}`) };
}

/** What a capture saw behind a finding it raised: the module error's words and status, or the other region's name. */
export function harFindingParams(knowledge: Pick<Knowledge, 'regionLabels'>, analysis: Pick<HarAnalysis, 'moduleErrors' | 'regions'>, code: string): Params {
  const source = analysis.moduleErrors.find((m) => m.raises.includes(code));
  const other = analysis.regions.otherRegion[0];
  return {
    detail: source?.detail ?? source?.excerpt ?? '',
    httpStatus: String(source?.httpStatus ?? ''),
    module: 'Secure Email',
    ...(code === 'REGION_MISMATCH' && other ? { answerLabel: knowledge.regionLabels[other.region] } : {}),
  };
}

/** The title of a finding a capture raised, filled from the module error that raised it (the HAR page and `xet har analyze`). */
export function harFindingTitle(knowledge: Knowledge, analysis: Pick<HarAnalysis, 'moduleErrors' | 'regions'>, code: string, lang: 'en' | 'de'): string {
  const title = knowledge.findings.get(code)?.title[lang] ?? code;
  return format(title, { ...genericParams(knowledge), ...harFindingParams(knowledge, analysis, code) }, lang);
}
