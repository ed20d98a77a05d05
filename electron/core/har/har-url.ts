/** URL pieces the sanitiser treats apart: userinfo, host names holding a placeholder, the AsyncOS login path. */
import { hostLabels } from './placeholder.js';

const LOGIN_PATH = /\/api\/v\d+(?:\.\d+)?\/login\/?$/i;

// Up to the last `@` of the authority, as URL parsers read it: a password may hold an `@` of its own.
export const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#\s]*)@/i;

/**
 * A placeholder that replaced part of a host name is written as a DNS-safe label
 * (`redacted-keyword-aa5140.invalid`) instead of percent-encoded brackets, so the URL stays readable
 * and its host still parses; `.invalid` can never resolve.
 */
export function hostSafe(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i, (_all, scheme: string, authority: string) => {
    // Only the host: userinfo (before the last @) keeps its own placeholder form.
    const at = authority.lastIndexOf('@') + 1;
    return scheme + authority.slice(0, at) + hostLabels(authority.slice(at));
  });
}

export function isLoginUrl(url: string): boolean {
  const path = url.replace(/[?#].*$/s, '');
  return LOGIN_PATH.test(path);
}

export function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
