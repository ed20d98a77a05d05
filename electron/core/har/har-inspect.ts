import type { HarEntries, HarEntryDetail, HarEntryView, HarInspectorRow, HarReplacement } from '../../contract/har-inspector.js';
import { MAX_INSPECTOR_ROWS } from '../../contract/har-inspector.js';
import { AppError } from '../errors.js';
import type { Knowledge } from '../knowledge/runbook.js';
import { displayUrl } from './har-analyze.js';
import { importHar } from './har-import.js';
import type { HarEntry, HarNameValue, HarTimings } from './har-types.js';

// As written, or URL-encoded where it stands in a form body or a query string.
const PLACEHOLDER = /\[REDACTED:([a-z-]+):([0-9a-f]{6})\]|%5BREDACTED%3A([a-z-]+)%3A([0-9a-f]{6})%5D/gi;
const PREVIEW_CHARS = 8192;

function hostOf(url: string): string {
  return (/^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#]*@)?(\[[^\]]*\]|[^/?#:]*)/i.exec(url)?.[1] ?? '').toLowerCase();
}

function timingsOf(t: HarTimings | undefined): HarInspectorRow['timings'] {
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 10) / 10 : -1);
  return { blocked: n(t?.blocked), dns: n(t?.dns), connect: n(t?.connect), ssl: n(t?.ssl), send: n(t?.send), wait: n(t?.wait), receive: n(t?.receive) };
}

/** The XDR/IROH API and Threat Response hosts of every region (the calls an admin filters for). */
function apiHosts(knowledge: Knowledge): Set<string> {
  return new Set(knowledge.regions.regions.flatMap((r) => [r.xdrApi.host, r.threatResponseServer.host]));
}

function failedOf(e: HarEntry): boolean {
  const r = e.response as Record<string, unknown>;
  const error = ['_error', '_failureText', '_blockedReason'].some((k) => typeof r[k] === 'string' && r[k] !== '');
  return e.response.status >= 400 || e.response.status <= 0 || error;
}

/** Every request of a (sanitised) capture, times relative to the first request's start. */
export async function inspectorRows(file: string, knowledge: Knowledge, signal?: AbortSignal): Promise<HarEntries> {
  const hosts = apiHosts(knowledge);
  const raw: (Omit<HarInspectorRow, 'startMs'> & { at: number })[] = [];
  let total = 0;
  let t0 = Number.POSITIVE_INFINITY;
  let tEnd = Number.NEGATIVE_INFINITY;
  await importHar(
    file,
    {
      entry(e, index) {
        total++;
        const at = Date.parse(e.startedDateTime);
        const time = Number.isFinite(e.time) && e.time > 0 ? e.time : 0;
        if (Number.isFinite(at)) {
          t0 = Math.min(t0, at);
          tEnd = Math.max(tEnd, at + time);
        }
        if (raw.length >= MAX_INSPECTOR_ROWS) return;
        const host = hostOf(e.request.url);
        raw.push({
          index,
          at: Number.isFinite(at) ? at : Number.NaN,
          timeMs: Math.round(time * 10) / 10,
          method: e.request.method,
          url: displayUrl(e.request.url),
          host,
          status: e.response.status,
          failed: failedOf(e),
          xdrApi: hosts.has(host) || /^[a-z]+:\/\/[^/]+\/iroh\//i.test(e.request.url),
          mimeType: e.response.content.mimeType ?? '',
          timings: timingsOf(e.timings),
        });
      },
    },
    { repair: true, ...(signal ? { signal } : {}) },
  );
  const start = Number.isFinite(t0) ? t0 : 0;
  const rows = raw.map(({ at, ...r }) => ({ ...r, startMs: Number.isFinite(at) ? Math.round((at - start) * 10) / 10 : 0 }));
  return { durationMs: Number.isFinite(tEnd) ? Math.max(0, Math.round((tEnd - start) * 10) / 10) : 0, total, rows, truncated: total > rows.length };
}

/** Entry `index` of a capture as read (validated and repaired like every import), or null past the end. */
async function readEntry(file: string, index: number): Promise<HarEntry | null> {
  const stop = new AbortController();
  let found: HarEntry | null = null;
  try {
    await importHar(
      file,
      {
        entry(e, i) {
          if (i !== index) return;
          found = e;
          // Nothing after it is needed: stop reading a file that may be hundreds of MB.
          stop.abort();
        },
      },
      { repair: true, signal: stop.signal },
    );
  } catch (error) {
    if (!stop.signal.aborted) throw error;
  }
  return found;
}

function pairs(list: readonly HarNameValue[] | undefined): { name: string; value: string }[] {
  return (list ?? []).map((p) => ({ name: String(p.name), value: String(p.value ?? '') }));
}

function body(mimeType: string | undefined, text: string | undefined, encoding: string | undefined, size: number | undefined): HarEntryView['request']['body'] {
  if (typeof text !== 'string') return size && size > 0 ? { mimeType: mimeType ?? '', size, preview: '', truncated: false } : null;
  const readable = encoding === 'base64' ? (/^text\/|json|xml|javascript|urlencoded/i.test(mimeType ?? '') ? Buffer.from(text.slice(0, PREVIEW_CHARS * 2), 'base64').toString('utf8') : '') : text;
  return { mimeType: mimeType ?? '', size: size ?? text.length, preview: readable.slice(0, PREVIEW_CHARS), truncated: readable.length > PREVIEW_CHARS };
}

function view(e: HarEntry, index: number): HarEntryView {
  const post = e.request.postData;
  const postText = post?.text ?? (post?.params ? post.params.map((p) => `${p.name}=${p.value ?? ''}`).join('&') : undefined);
  return {
    index,
    startedDateTime: e.startedDateTime,
    timeMs: Number.isFinite(e.time) ? Math.round(e.time * 10) / 10 : 0,
    timings: timingsOf(e.timings),
    request: {
      method: e.request.method,
      url: e.request.url,
      httpVersion: e.request.httpVersion ?? '',
      headers: pairs(e.request.headers),
      cookies: pairs(e.request.cookies),
      query: pairs(e.request.queryString),
      body: post ? body(post.mimeType, postText, undefined, e.request.bodySize) : null,
    },
    response: {
      status: e.response.status,
      statusText: e.response.statusText ?? '',
      httpVersion: e.response.httpVersion ?? '',
      headers: pairs(e.response.headers),
      cookies: pairs(e.response.cookies),
      body: body(e.response.content.mimeType, e.response.content.text, e.response.content.encoding, e.response.content.size),
    },
  };
}

/** The JSON key or form name just before a placeholder in a body, so the list can say which field it was. */
function fieldBefore(text: string, at: number): string {
  const head = text.slice(Math.max(0, at - 120), at);
  return /["']?([\w.-]{1,64})["']?\s*[:=]\s*["']?$/.exec(head)?.[1] ?? '';
}

function placeholdersIn(text: string, place: HarReplacement['place'], name: string, out: HarReplacement[]): void {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const field = place.endsWith('-body') || place === 'request-url' ? fieldBefore(text, m.index) : name;
    out.push({ place, name: field, placeholder: m[1] ? m[0] : `[REDACTED:${m[3]!}:${m[4]!}]`, rule: (m[1] ?? m[3]!).toLowerCase(), before: null });
  }
}

/** Enough of a replaced value to recognise it (its first two characters when long, and its length), never the value. */
export function hintOf(value: string): string {
  const n = [...value].length;
  return n >= 16 ? `${[...value].slice(0, 2).join('')}… (${n})` : `•••• (${n})`;
}

function replacements(cleaned: HarEntryView, original: HarEntryView | null): HarReplacement[] {
  const out: HarReplacement[] = [];
  const lists = [
    ['request-header', cleaned.request.headers, original?.request.headers],
    ['request-cookie', cleaned.request.cookies, original?.request.cookies],
    ['request-query', cleaned.request.query, original?.request.query],
    ['response-header', cleaned.response.headers, original?.response.headers],
    ['response-cookie', cleaned.response.cookies, original?.response.cookies],
  ] as const;
  placeholdersIn(cleaned.request.url, 'request-url', '', out);
  for (const [place, items, before] of lists) {
    items.forEach((item, i) => {
      const start = out.length;
      placeholdersIn(item.value, place, item.name, out);
      // The same position in the original, when it still has that name (the sanitiser keeps order).
      const was = before?.[i]?.name === item.name ? before[i]!.value : null;
      if (was !== null) for (const r of out.slice(start)) r.before = hintOf(was);
    });
  }
  if (cleaned.request.body) placeholdersIn(cleaned.request.body.preview, 'request-body', '', out);
  if (cleaned.response.body) placeholdersIn(cleaned.response.body.preview, 'response-body', '', out);
  return out;
}

/**
 * One request and response of the sanitised copy and where each placeholder stands; with the raw
 * capture as well, a hint of each header, cookie or query value that was replaced.
 */
export async function inspectorEntry(cleanedFile: string, rawFile: string | null, index: number): Promise<HarEntryDetail> {
  const cleaned = await readEntry(cleanedFile, index);
  if (!cleaned) throw AppError.of('NOT_FOUND', 'errors.harInspector.noEntry', { index }, 'index');
  const entry = view(cleaned, index);
  const raw = rawFile ? await readEntry(rawFile, index) : null;
  return { entry, replacements: replacements(entry, raw ? view(raw, index) : null) };
}
