/**
 * Which names (headers, cookies, query and form parameters, JSON keys) mean secrets. Names are
 * compared folded: lower case without `-`, `_`, `.` and spaces, so `client_secret`, `Client-Secret`
 * and `clientSecret` are one name.
 */

export function foldName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]/g, '');
}

const EXACT = new Set([
  'code', 'pwd', 'pw', 'pass', 'sid', 'jwt', 'key', 'otp', 'pin', 'mfa', 'totp', 'ticket', 'sig', 'session', 'auth',
  'assertion', 'verifier', 'codeverifier', 'authcode', 'authorizationcode', 'otpcode', 'mfacode', 'verificationcode', 'devicecode', 'usercode',
]);

// `auth` but not `author`/`authority`; `secret`, `token`, `password`… anywhere in the name.
const PARTS = /passw|passphrase|secret|token|apikey|credential|privatekey|signature|samlresponse|samlrequest|jwt|csrf|xsrf|auth(?!or)|cookie|sessid|sessionid|sessionkey/;

// Names with a secret word in them that describe a secret without holding one (OAuth's
// `token_type: "Bearer"`, discovery documents' endpoints, policy fields). TAC needs these values.
const NOT_SECRET = new Set([
  'tokentype', 'tokenendpoint', 'authorizationendpoint', 'revocationendpoint', 'introspectionendpoint', 'tokenendpointauthmethod',
  'authtype', 'authmethod', 'authscheme', 'authmode', 'authprovider', 'authorizationtype', 'tokenexpiresin', 'tokenexpiresat',
  'passwordpolicy', 'passwordexpired', 'passwordexpiry', 'passwordlastchanged', 'xsrfheadername', 'xsrfcookiename', 'csrfheadername', 'csrfcookiename',
]);

/** A name whose value is known not to be a secret although the name contains a secret word. */
export function isNonSecretName(name: string): boolean {
  return NOT_SECRET.has(foldName(name));
}

/** A parameter or JSON field whose value is a secret. */
export function isSecretName(name: string): boolean {
  const f = foldName(name);
  if (f === '' || NOT_SECRET.has(f)) return false;
  return EXACT.has(f) || PARTS.test(f) || (f.length > 3 && f.endsWith('key'));
}

const SECRET_HEADERS = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie', 'xapikey', 'xauthtoken', 'xcsrftoken', 'xxsrftoken', 'jwttoken']);
// Headers whose names contain a secret word but carry no secret.
const HARMLESS_HEADER = /^(accesscontrol|secfetch|wwwauthenticate|contentsecuritypolicy|crossoriginembedderpolicy)/;

/** A request or response header whose whole value is a secret (or holds cookies). */
export function isSecretHeader(name: string): boolean {
  const f = foldName(name);
  if (SECRET_HEADERS.has(f)) return true;
  if (HARMLESS_HEADER.test(f) || NOT_SECRET.has(f)) return false;
  return PARTS.test(f) || f.endsWith('apikey') || (f.endsWith('key') && f.startsWith('x'));
}

/**
 * `code` names OAuth authorization codes but also error codes (`"code": "E4017"`), which TAC needs.
 * Values shaped like an error code or a status stay; anything else under `code` is treated as secret.
 * Six-digit one-time codes are secret too: only letter-prefixed codes and up to four digits stay.
 */
export function isHarmlessCodeValue(name: string, value: string | number): boolean {
  // The text scrubber matches names by pattern; a descriptive name's value stays there too.
  if (NOT_SECRET.has(foldName(name))) return true;
  if (foldName(name) !== 'code') return false;
  const v = String(value);
  return /^[A-Za-z]{1,6}[-_]?\d{1,6}$/.test(v) || /^\d{1,4}$/.test(v) || /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(v) || /^[A-Z][A-Za-z]+(Error|Exception)$/.test(v);
}

/** Folded names, for building a regular expression over `name=value` text. */
export const SECRET_PARAM_PATTERN =
  '(?:[\\w.-]*(?:passw|passphrase|secret|token|api[-_]?key|credential|private[-_]?key|signature|samlresponse|samlrequest|jwt|csrf|xsrf|auth(?!or)|sessid|session[-_]?id|session[-_]?key)[\\w.-]*|code|pwd|pw|pass|sid|key|otp|pin|mfa|totp|ticket|sig|session|auth|assertion|code[-_]?verifier|auth[-_]?code|device[-_]?code|user[-_]?code)';
