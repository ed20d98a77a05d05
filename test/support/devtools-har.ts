/**
 * What Chrome DevTools needs to import a HAR (Network panel → Import HAR file), written down from
 * devtools-frontend's front_end/models/har/HARFormat.ts (the HARRoot/HARLog/HAREntry… constructors,
 * which throw on the first thing they cannot use) and Importer.ts (what it then reads). The panel
 * JSON.parses the whole text and builds those objects; any throw rejects the whole file with
 * "Failed to load HAR file with following error".
 *
 * The rules, as the constructors apply them:
 * - every object the format names (root, log, creator, browser when truthy, each page and its
 *   pageTimings, each entry, request, response, content, timings, each header, cookie, query
 *   string, postData when truthy and each of its params) must be a non-null object;
 * - log.entries must be an array;
 * - dates go through `new Date(x)` and must not be NaN: page and entry startedDateTime, and a
 *   cookie's `expires` when truthy;
 * - required numbers go through `Number(x)` and must not be NaN: entry.time, request and response
 *   headersSize and bodySize, response.status, content.size, timings send/wait/receive;
 * - optional numbers, when present (not undefined), must not be NaN either: pageTimings
 *   onContentLoad/onLoad, content.compression, timings blocked/dns/connect/ssl and the Chrome
 *   extras _blocked_queueing, _blocked_proxy, _workerStart…, response._transferSize;
 * - `_initiator`, when its typeof is "object" (null included), must be a non-null object; its
 *   lineNumber a number; its stack (when truthy) an object whose callFrames entries (when truthy)
 *   are objects with numeric lineNumber/columnNumber, and whose parent (when truthy) is a stack;
 * - `_webSocketMessages`, when an array: every item whose typeof is "object" must be non-null, with
 *   numeric time and opcode when present.
 * Strings (method, url, names, values, mimeType, httpVersion…) are taken with String() and never fail.
 */

type Json = Record<string, unknown>;

export function devtoolsImportErrors(doc: unknown): string[] {
  const errors: string[] = [];
  const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null;
  const object = (v: unknown, at: string): v is Json => {
    if (isObject(v)) return true;
    errors.push(`${at}: not an object`);
    return false;
  };
  const number = (v: unknown, at: string): void => {
    if (Number.isNaN(Number(v))) errors.push(`${at}: Number() gives NaN (${JSON.stringify(v)})`);
  };
  const optionalNumber = (o: Json, key: string, at: string): void => {
    if (o[key] !== undefined) number(o[key], `${at}.${key}`);
  };
  const date = (v: unknown, at: string): void => {
    if (Number.isNaN(new Date(v as string).getTime())) errors.push(`${at}: not a date for new Date() (${JSON.stringify(v)})`);
  };
  const list = (v: unknown, at: string, each: (item: unknown, at: string) => void): void => {
    if (Array.isArray(v)) v.forEach((item, i) => each(item, `${at}[${i}]`));
  };
  const cookie = (c: unknown, at: string): void => {
    if (object(c, at) && c.expires) date(c.expires, `${at}.expires`);
  };
  const stack = (s: Json, at: string): void => {
    list(s.callFrames, `${at}.callFrames`, (f, fat) => {
      if (!f) return;
      if (object(f, fat)) for (const k of ['lineNumber', 'columnNumber']) optionalNumber(f, k, fat);
    });
    if (s.parent && object(s.parent, `${at}.parent`)) stack(s.parent, `${at}.parent`);
  };

  if (!object(doc, '(root)')) return errors;
  const log = doc.log;
  if (!object(log, 'log')) return errors;
  object(log.creator, 'log.creator');
  if (log.browser) object(log.browser, 'log.browser');
  list(log.pages, 'log.pages', (p, at) => {
    if (!object(p, at)) return;
    date(p.startedDateTime, `${at}.startedDateTime`);
    if (object(p.pageTimings, `${at}.pageTimings`)) for (const k of ['onContentLoad', 'onLoad']) optionalNumber(p.pageTimings, k, `${at}.pageTimings`);
  });
  if (!Array.isArray(log.entries)) {
    errors.push('log.entries: not an array');
    return errors;
  }
  log.entries.forEach((e: unknown, i) => {
    const at = `log.entries[${i}]`;
    if (!object(e, at)) return;
    date(e.startedDateTime, `${at}.startedDateTime`);
    number(e.time, `${at}.time`);
    const req = e.request;
    if (object(req, `${at}.request`)) {
      for (const key of ['headers', 'queryString']) list(req[key], `${at}.request.${key}`, (h, hat) => void object(h, hat));
      list(req.cookies, `${at}.request.cookies`, cookie);
      if (req.postData && object(req.postData, `${at}.request.postData`)) list(req.postData.params, `${at}.request.postData.params`, (p, pat) => void object(p, pat));
      number(req.headersSize, `${at}.request.headersSize`);
      number(req.bodySize, `${at}.request.bodySize`);
    }
    const res = e.response;
    if (object(res, `${at}.response`)) {
      number(res.status, `${at}.response.status`);
      list(res.headers, `${at}.response.headers`, (h, hat) => void object(h, hat));
      list(res.cookies, `${at}.response.cookies`, cookie);
      if (object(res.content, `${at}.response.content`)) {
        number(res.content.size, `${at}.response.content.size`);
        optionalNumber(res.content, 'compression', `${at}.response.content`);
      }
      number(res.headersSize, `${at}.response.headersSize`);
      number(res.bodySize, `${at}.response.bodySize`);
      optionalNumber(res, '_transferSize', `${at}.response`);
    }
    if (object(e.timings, `${at}.timings`)) {
      for (const k of ['send', 'wait', 'receive']) number(e.timings[k], `${at}.timings.${k}`);
      for (const k of ['blocked', 'dns', 'connect', 'ssl', '_blocked_queueing', '_blocked_proxy', '_workerStart', '_workerReady', '_workerFetchStart', '_workerRespondWithSettled']) {
        optionalNumber(e.timings, k, `${at}.timings`);
      }
    }
    if (typeof e._initiator === 'object' && object(e._initiator, `${at}._initiator`)) {
      optionalNumber(e._initiator, 'lineNumber', `${at}._initiator`);
      if (e._initiator.stack && object(e._initiator.stack, `${at}._initiator.stack`)) stack(e._initiator.stack, `${at}._initiator.stack`);
    }
    list(e._webSocketMessages, `${at}._webSocketMessages`, (m, mat) => {
      if (typeof m !== 'object') return;
      if (object(m, mat)) for (const k of ['time', 'opcode']) optionalNumber(m, k, mat);
    });
  });
  return errors;
}
