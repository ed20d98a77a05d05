import type { MessageParams } from '../../contract/result.js';
import { harProblem, pathText } from './har-errors.js';

/**
 * HAR 1.2 structure checks, one entry at a time. Fields the rest of the pipeline relies on (request,
 * response, method, url, headers, status, content…) must be there with the right type: otherwise the
 * file is refused with the path. Fields HAR 1.2 requires but some exporters leave out (`cache`,
 * sizes, `httpVersion`…) are filled with neutral values and listed as repairs, so a sanitised copy
 * still validates.
 */

export interface HarProblem {
  path: string;
  problem: string;
  kind: 'missing' | 'type';
  /** The catalogue key and parameters (see `harProblem`). */
  key: `errors.harFile.${string}`;
  params: MessageParams;
}

export class HarStructureError extends Error {
  constructor(readonly issue: HarProblem) {
    super(`${issue.path}: ${issue.problem}`);
  }
}

type Json = Record<string, unknown>;
type Kind = 'string' | 'number' | 'integer' | 'object' | 'array' | 'boolean';

const DATE_TIME = /^(\d{4})-?(\d\d)-?(\d\d)[Tt ]?(\d\d):?(\d\d):?(\d\d)(\.\d+)?(?:([Zz])|([+-])(\d\d)(?::?(\d\d))?)$/;

/**
 * An ISO 8601 date-time in the one form both Chrome DevTools' importer (`new Date(x)`) and the HAR
 * schema's date-time format read: extended form, a real calendar date, a `Z` or `±hh:mm` zone.
 * Basic form (`20240501T100000Z`) and `±hhmm` zones are rewritten; null when it is no date-time.
 */
export function isoDateTime(text: string): string | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac = '', z, sign, zh, zm = '00'] = m as unknown as string[];
  const n = (v: string | undefined) => Number(v);
  const days = new Date(Date.UTC(n(y), n(mo), 0)).getUTCDate();
  if (n(mo) < 1 || n(mo) > 12 || n(d) < 1 || n(d) > days || n(h) > 23 || n(mi) > 59 || n(sec) > 59) return null;
  if (!z && (n(zh) > 23 || n(zm) > 59)) return null;
  const out = `${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${z ? 'Z' : `${sign}${zh}:${zm}`}`;
  return Number.isFinite(Date.parse(out)) ? out : null;
}

/** A cookie's `expires` as the HAR schema wants it (ISO 8601), from any form `Date` reads; null when it is none. */
function cookieDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const iso = isoDateTime(v);
  if (iso !== null) return iso;
  const t = Date.parse(v);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

// Chrome's own numeric extras: DevTools' importer casts each with Number() and refuses NaN.
const CHROME_TIMINGS = ['_blocked_queueing', '_blocked_proxy', '_workerStart', '_workerReady', '_workerFetchStart', '_workerRespondWithSettled'];

/** What a parsed JSON value is; `huge` is a number beyond JSON's range. */
type JsonKind = 'string' | 'number' | 'integer' | 'object' | 'array' | 'boolean' | 'null' | 'huge';

function kindOf(v: unknown): JsonKind {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  // 1e999 parses as Infinity, which JSON cannot write back (it would become null in the copy).
  if (typeof v === 'number') return !Number.isFinite(v) ? 'huge' : Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'string') return 'string';
  return typeof v === 'boolean' ? 'boolean' : 'object';
}

/** The type a field must have, as the catalogue words it after "must be" (`expected`). */
const EXPECTED: Record<Kind, `errors.harType.${string}`> = {
  string: 'errors.harType.string',
  number: 'errors.harType.number',
  integer: 'errors.harType.integer',
  object: 'errors.harType.object',
  array: 'errors.harType.array',
  boolean: 'errors.harType.boolean',
};

/** The type a field has, as the catalogue words it after "found" (`found`). */
const FOUND: Record<JsonKind, `errors.harType.${string}`> = {
  string: 'errors.harType.foundString',
  number: 'errors.harType.foundNumber',
  integer: 'errors.harType.foundInteger',
  object: 'errors.harType.foundObject',
  array: 'errors.harType.foundArray',
  boolean: 'errors.harType.foundBoolean',
  null: 'errors.harType.foundNull',
  huge: 'errors.harType.foundHuge',
};

function is(v: unknown, kind: Kind): boolean {
  const k = kindOf(v);
  return k === kind || (kind === 'number' && k === 'integer');
}

class Checker {
  readonly repairs: string[] = [];
  constructor(private readonly repair: boolean) {}

  fail(path: (string | number)[], problem: ReturnType<typeof harProblem>, kind: HarProblem['kind'] = 'type'): never {
    throw new HarStructureError({ path: pathText(path), ...problem, kind });
  }

  /** A value of the wrong JSON type: "must be a string (found number)". */
  wrongType(path: (string | number)[], kind: Kind, v: unknown): never {
    return this.fail(path, harProblem('errors.harFile.wrongType', { expected: EXPECTED[kind], found: FOUND[kindOf(v)] }));
  }

  /** A field that must be present with this type. */
  need(obj: Json, key: string, kind: Kind, at: (string | number)[]): void {
    const v = obj[key];
    if (v === undefined) this.fail([...at, key], harProblem('errors.harFile.missingField', { field: key }), 'missing');
    if (!is(v, kind)) this.wrongType([...at, key], kind, v);
  }

  /** A field HAR 1.2 requires that exporters sometimes leave out: filled in (and reported) when absent. */
  fill(obj: Json, key: string, kind: Kind, at: (string | number)[], fallback: () => unknown): void {
    const v = obj[key];
    if (v === undefined || (kind === 'integer' && Number.isFinite(v) && !Number.isInteger(v))) {
      this.repairs.push(`${pathText([...at, key])}: ${v === undefined ? 'missing' : 'not a whole number'}; ${v === undefined ? 'set to a neutral value' : 'rounded'}`);
      if (this.repair) obj[key] = v === undefined ? fallback() : Math.round(v as number);
      return;
    }
    if (!is(v, kind)) this.wrongType([...at, key], kind, v);
  }

  /** An optional field: when present it must have this type. */
  maybe(obj: Json, key: string, kind: Kind, at: (string | number)[]): void {
    const v = obj[key];
    if (v !== undefined && !is(v, kind)) this.wrongType([...at, key], kind, v);
  }

  pairs(list: unknown[], at: (string | number)[], valueRequired: boolean): void {
    list.forEach((item, i) => {
      if (!is(item, 'object')) this.fail([...at, i], harProblem('errors.harFile.notPair', { found: FOUND[kindOf(item)] }));
      this.need(item as Json, 'name', 'string', [...at, i]);
      if (valueRequired) this.need(item as Json, 'value', 'string', [...at, i]);
      else this.maybe(item as Json, 'value', 'string', [...at, i]);
    });
  }

  dateTime(obj: Json, key: string, at: (string | number)[]): void {
    this.need(obj, key, 'string', at);
    const iso = isoDateTime(obj[key] as string);
    if (iso === null) this.fail([...at, key], harProblem('errors.harFile.notDateTime'));
    if (iso !== obj[key]) this.mend(obj, key, at, iso, 'not in ISO 8601 extended form; rewritten');
  }

  /** A field that is there but unusable, set to `value` (or removed when undefined), and reported. */
  mend(obj: Json, key: string, at: (string | number)[], value: unknown, why: string): void {
    this.repairs.push(`${pathText([...at, key])}: ${why}`);
    if (!this.repair) return;
    if (value === undefined) delete obj[key];
    else obj[key] = value;
  }

  /** An optional field DevTools casts with Number(): one that gives NaN is removed (it would refuse the whole file). */
  numeric(obj: Json, key: string, at: (string | number)[]): void {
    if (obj[key] !== undefined && Number.isNaN(Number(obj[key]))) this.mend(obj, key, at, undefined, 'not a number; removed');
  }

  cookies(list: unknown[], at: (string | number)[]): void {
    list.forEach((c, i) => {
      const cookie = c as Json;
      if (cookie.expires === undefined || cookie.expires === null) return;
      const iso = cookieDate(cookie.expires);
      if (iso !== cookie.expires) this.mend(cookie, 'expires', [...at, i], iso ?? undefined, iso === null ? 'not a date; removed' : 'not in ISO 8601 form; rewritten');
    });
  }
}

function message(c: Checker, m: Json, at: (string | number)[], isRequest: boolean): void {
  c.fill(m, 'httpVersion', 'string', at, () => '');
  c.fill(m, 'cookies', 'array', at, () => []);
  c.need(m, 'headers', 'array', at);
  c.pairs(m.headers as unknown[], [...at, 'headers'], true);
  c.pairs((m.cookies as unknown[] | undefined) ?? [], [...at, 'cookies'], true);
  c.cookies((m.cookies as unknown[] | undefined) ?? [], [...at, 'cookies']);
  c.fill(m, 'headersSize', 'integer', at, () => -1);
  c.fill(m, 'bodySize', 'integer', at, () => -1);
  if (isRequest) {
    c.need(m, 'method', 'string', at);
    c.need(m, 'url', 'string', at);
    c.fill(m, 'queryString', 'array', at, () => []);
    c.pairs((m.queryString as unknown[] | undefined) ?? [], [...at, 'queryString'], true);
    c.maybe(m, 'postData', 'object', at);
    const post = m.postData as Json | undefined;
    if (post) {
      const p = [...at, 'postData'];
      c.fill(post, 'mimeType', 'string', p, () => '');
      c.maybe(post, 'text', 'string', p);
      c.maybe(post, 'params', 'array', p);
      if (post.params) c.pairs(post.params as unknown[], [...p, 'params'], false);
    }
  } else {
    c.need(m, 'status', 'integer', at);
    c.fill(m, 'statusText', 'string', at, () => '');
    c.fill(m, 'redirectURL', 'string', at, () => '');
    c.need(m, 'content', 'object', at);
    const content = m.content as Json;
    const p = [...at, 'content'];
    c.fill(content, 'size', 'integer', p, () => 0);
    c.fill(content, 'mimeType', 'string', p, () => '');
    c.maybe(content, 'text', 'string', p);
    c.maybe(content, 'encoding', 'string', p);
    c.numeric(content, 'compression', p);
    c.numeric(m, '_transferSize', at);
  }
}

/**
 * Checks one `log.entries[index]`; with `repair`, fills the lenient fields in place. Throws
 * HarStructureError naming the first path that is wrong; answers the repairs made.
 */
export function checkEntry(entry: unknown, index: number, repair: boolean): string[] {
  const c = new Checker(repair);
  const at: (string | number)[] = ['log', 'entries', index];
  if (!is(entry, 'object')) c.wrongType(at, 'object', entry);
  const e = entry as Json;
  c.dateTime(e, 'startedDateTime', at);
  c.need(e, 'time', 'number', at);
  c.need(e, 'request', 'object', at);
  c.need(e, 'response', 'object', at);
  message(c, e.request as Json, [...at, 'request'], true);
  message(c, e.response as Json, [...at, 'response'], false);
  c.fill(e, 'cache', 'object', at, () => ({}));
  c.fill(e, 'timings', 'object', at, () => ({ send: 0, wait: 0, receive: 0 }));
  const timings = (e.timings as Json | undefined) ?? {};
  for (const key of ['send', 'wait', 'receive']) c.fill(timings, key, 'number', [...at, 'timings'], () => 0);
  for (const key of ['blocked', 'dns', 'connect', 'ssl']) c.maybe(timings, key, 'number', [...at, 'timings']);
  for (const key of CHROME_TIMINGS) c.numeric(timings, key, [...at, 'timings']);
  chromeExtras(c, e, at);
  c.maybe(e, 'pageref', 'string', at);
  c.maybe(e, 'serverIPAddress', 'string', at);
  c.maybe(e, 'connection', 'string', at);
  return c.repairs;
}

/**
 * Chrome's `_initiator` and `_webSocketMessages` as DevTools reads them back: a null initiator or
 * message makes it refuse the file, so they are dropped (they carry nothing), and so are message
 * times and opcodes that are no numbers.
 */
function chromeExtras(c: Checker, e: Json, at: (string | number)[]): void {
  if (e._initiator === null) c.mend(e, '_initiator', at, undefined, 'null; removed');
  const messages = e._webSocketMessages;
  if (!Array.isArray(messages)) return;
  if (messages.includes(null)) {
    c.mend(e, '_webSocketMessages', at, messages.filter((m) => m !== null), 'null messages; removed');
  }
  messages.forEach((m, i) => {
    if (m === null || typeof m !== 'object') return;
    for (const key of ['time', 'opcode']) c.numeric(m as Json, key, [...at, '_webSocketMessages', i]);
  });
}

/** Checks a field of `log` other than `entries` (and fills what may be filled). */
export function checkLogField(key: string, value: unknown, repair: boolean): string[] {
  const c = new Checker(repair);
  const at = ['log', key];
  if (key === 'version' && !is(value, 'string')) c.wrongType(at, 'string', value);
  if (key === 'creator' || key === 'browser') {
    if (!is(value, 'object')) c.wrongType(at, 'object', value);
    c.need(value as Json, 'name', 'string', at);
    c.fill(value as Json, 'version', 'string', at, () => '');
  }
  if (key === 'pages') {
    if (!is(value, 'array')) c.wrongType(at, 'array', value);
    (value as unknown[]).forEach((page, i) => {
      const p = [...at, i];
      if (!is(page, 'object')) c.wrongType(p, 'object', page);
      c.dateTime(page as Json, 'startedDateTime', p);
      c.need(page as Json, 'id', 'string', p);
      c.fill(page as Json, 'title', 'string', p, () => '');
      c.fill(page as Json, 'pageTimings', 'object', p, () => ({}));
      const timings = ((page as Json).pageTimings as Json | undefined) ?? {};
      for (const key of ['onContentLoad', 'onLoad']) {
        if (timings[key] !== undefined && typeof timings[key] !== 'number') c.mend(timings, key, [...p, 'pageTimings'], -1, 'not a number; set to -1 (unknown)');
      }
    });
  }
  if (key === 'comment' && !is(value, 'string')) c.wrongType(at, 'string', value);
  return c.repairs;
}

/** What `log` must have besides entries; answers the fields to add when they are missing. */
export function missingLogFields(seen: ReadonlySet<string>): { key: string; value: unknown }[] {
  const out: { key: string; value: unknown }[] = [];
  if (!seen.has('version')) out.push({ key: 'version', value: '1.2' });
  if (!seen.has('creator')) out.push({ key: 'creator', value: { name: 'unknown', version: '' } });
  return out;
}
