/**
 * What the sanitiser does with each field of each HAR object, in one place. `rule`: a specific rule
 * of HarSanitizer cleans it (headers by name, URLs, bodies…); `keep`: format data left as it is
 * (numbers, dates, flags, MIME types). Any field not listed here (`comment`, `_initiator`,
 * `statusText`, a cookie's `path`…) has every string run through the text rules: scrubbed, so a
 * field nobody listed is a visible decision, never a silent pass.
 */
export type FieldAction = 'rule' | 'keep';
export type FieldTable = Readonly<Record<string, FieldAction>>;

export const ENTRY_FIELDS: FieldTable = { request: 'rule', response: 'rule', _webSocketMessages: 'rule', startedDateTime: 'keep', time: 'keep' };
export const REQUEST_FIELDS: FieldTable = {
  method: 'keep',
  url: 'rule',
  httpVersion: 'keep',
  cookies: 'rule',
  headers: 'rule',
  queryString: 'rule',
  postData: 'rule',
  headersSize: 'keep',
  bodySize: 'keep',
};
export const RESPONSE_FIELDS: FieldTable = { status: 'keep', cookies: 'rule', headers: 'rule', content: 'rule', redirectURL: 'rule', headersSize: 'keep', bodySize: 'keep' };
export const CONTENT_FIELDS: FieldTable = { size: 'keep', mimeType: 'keep', text: 'rule', encoding: 'rule', compression: 'keep' };
export const POST_DATA_FIELDS: FieldTable = { mimeType: 'keep', text: 'rule', params: 'rule' };
export const PARAM_FIELDS: FieldTable = { name: 'rule', value: 'rule' };
export const HEADER_FIELDS: FieldTable = { name: 'rule', value: 'rule' };
export const COOKIE_FIELDS: FieldTable = { name: 'rule', value: 'rule', expires: 'keep', httpOnly: 'keep', secure: 'keep' };
export const WEBSOCKET_MESSAGE_FIELDS: FieldTable = { data: 'rule' };

/** Field names of HAR 1.2 and of Chrome's extras that DevTools reads back: outside bodies, a keyword never renames them. */
export const FORMAT_KEYS = new Set(
  (
    'log version creator browser pages entries comment name startedDateTime id title pageTimings onContentLoad onLoad pageref time request response ' +
    'cache timings serverIPAddress connection method url httpVersion cookies headers queryString postData headersSize bodySize status statusText ' +
    'content redirectURL value path domain expires httpOnly secure sameSite mimeType params text fileName contentType size compression encoding ' +
    'beforeRequest afterRequest lastAccess eTag hitCount blocked dns connect send wait receive ssl ' +
    'type lineNumber columnNumber stack callFrames functionName scriptId parent description parentId debuggerId requestId opcode data'
  ).split(' '),
);
