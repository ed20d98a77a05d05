import { pathText } from './har-errors.js';

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
}

export class HarStructureError extends Error {
  constructor(readonly issue: HarProblem) {
    super(`${issue.path}: ${issue.problem}`);
  }
}

type Json = Record<string, unknown>;
type Kind = 'string' | 'number' | 'integer' | 'object' | 'array' | 'boolean';

const DATE_TIME = /^(\d{4})(-)?(\d\d)(-)?(\d\d)(T)?(\d\d)(:)?(\d\d)(:)?(\d\d)(\.\d+)?(Z|([+-])(\d\d)(:)?(\d\d))/;

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function is(v: unknown, kind: Kind): boolean {
  const k = kindOf(v);
  return k === kind || (kind === 'number' && k === 'integer');
}

class Checker {
  readonly repairs: string[] = [];
  constructor(private readonly repair: boolean) {}

  fail(path: (string | number)[], problem: string, kind: HarProblem['kind'] = 'type'): never {
    throw new HarStructureError({ path: pathText(path), problem, kind });
  }

  /** A field that must be present with this type. */
  need(obj: Json, key: string, kind: Kind, at: (string | number)[]): void {
    const v = obj[key];
    if (v === undefined) this.fail([...at, key], `missing required field "${key}"`, 'missing');
    if (!is(v, kind)) this.fail([...at, key], `must be ${article(kind)} (found ${kindOf(v)})`);
  }

  /** A field HAR 1.2 requires that exporters sometimes leave out: filled in (and reported) when absent. */
  fill(obj: Json, key: string, kind: Kind, at: (string | number)[], fallback: () => unknown): void {
    const v = obj[key];
    if (v === undefined || (kind === 'integer' && typeof v === 'number' && !Number.isInteger(v))) {
      this.repairs.push(`${pathText([...at, key])}: ${v === undefined ? 'missing' : 'not a whole number'}; ${v === undefined ? 'set to a neutral value' : 'rounded'}`);
      if (this.repair) obj[key] = v === undefined ? fallback() : Math.round(v as number);
      return;
    }
    if (!is(v, kind)) this.fail([...at, key], `must be ${article(kind)} (found ${kindOf(v)})`);
  }

  /** An optional field: when present it must have this type. */
  maybe(obj: Json, key: string, kind: Kind, at: (string | number)[]): void {
    const v = obj[key];
    if (v !== undefined && !is(v, kind)) this.fail([...at, key], `must be ${article(kind)} (found ${kindOf(v)})`);
  }

  pairs(list: unknown[], at: (string | number)[], valueRequired: boolean): void {
    list.forEach((item, i) => {
      if (!is(item, 'object')) this.fail([...at, i], `must be an object with "name" and "value" (found ${kindOf(item)})`);
      this.need(item as Json, 'name', 'string', [...at, i]);
      if (valueRequired) this.need(item as Json, 'value', 'string', [...at, i]);
      else this.maybe(item as Json, 'value', 'string', [...at, i]);
    });
  }

  dateTime(obj: Json, key: string, at: (string | number)[]): void {
    this.need(obj, key, 'string', at);
    if (!DATE_TIME.test(obj[key] as string)) this.fail([...at, key], 'must be an ISO 8601 date-time such as 2024-05-01T10:00:00.000Z');
  }
}

function article(kind: Kind): string {
  return kind === 'integer' ? 'a whole number' : kind === 'object' || kind === 'array' ? `an ${kind}` : `a ${kind}`;
}

function message(c: Checker, m: Json, at: (string | number)[], isRequest: boolean): void {
  c.fill(m, 'httpVersion', 'string', at, () => '');
  c.fill(m, 'cookies', 'array', at, () => []);
  c.need(m, 'headers', 'array', at);
  c.pairs(m.headers as unknown[], [...at, 'headers'], true);
  c.pairs((m.cookies as unknown[] | undefined) ?? [], [...at, 'cookies'], true);
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
  }
}

/**
 * Checks one `log.entries[index]`; with `repair`, fills the lenient fields in place. Throws
 * HarStructureError naming the first path that is wrong; answers the repairs made.
 */
export function checkEntry(entry: unknown, index: number, repair: boolean): string[] {
  const c = new Checker(repair);
  const at: (string | number)[] = ['log', 'entries', index];
  if (!is(entry, 'object')) c.fail(at, `must be an object (found ${kindOf(entry)})`);
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
  c.maybe(e, 'pageref', 'string', at);
  c.maybe(e, 'serverIPAddress', 'string', at);
  c.maybe(e, 'connection', 'string', at);
  return c.repairs;
}

/** Checks a field of `log` other than `entries` (and fills what may be filled). */
export function checkLogField(key: string, value: unknown, repair: boolean): string[] {
  const c = new Checker(repair);
  const at = ['log', key];
  if (key === 'version' && !is(value, 'string')) c.fail(at, `must be a string (found ${kindOf(value)})`);
  if (key === 'creator' || key === 'browser') {
    if (!is(value, 'object')) c.fail(at, `must be an object (found ${kindOf(value)})`);
    c.need(value as Json, 'name', 'string', at);
    c.fill(value as Json, 'version', 'string', at, () => '');
  }
  if (key === 'pages') {
    if (!is(value, 'array')) c.fail(at, `must be an array (found ${kindOf(value)})`);
    (value as unknown[]).forEach((page, i) => {
      const p = [...at, i];
      if (!is(page, 'object')) c.fail(p, `must be an object (found ${kindOf(page)})`);
      c.dateTime(page as Json, 'startedDateTime', p);
      c.need(page as Json, 'id', 'string', p);
      c.fill(page as Json, 'title', 'string', p, () => '');
      c.fill(page as Json, 'pageTimings', 'object', p, () => ({}));
    });
  }
  if (key === 'comment' && !is(value, 'string')) c.fail(at, `must be a string (found ${kindOf(value)})`);
  return c.repairs;
}

/** What `log` must have besides entries; answers the fields to add when they are missing. */
export function missingLogFields(seen: ReadonlySet<string>): { key: string; value: unknown }[] {
  const out: { key: string; value: unknown }[] = [];
  if (!seen.has('version')) out.push({ key: 'version', value: '1.2' });
  if (!seen.has('creator')) out.push({ key: 'creator', value: { name: 'unknown', version: '' } });
  return out;
}
