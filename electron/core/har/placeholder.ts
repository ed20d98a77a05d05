/**
 * The one owner of the placeholder format `[REDACTED:<rule>:<tag>]`: how it is written (raw, inside
 * a URL or form body, as a host label), how it is recognised, and its tag. Every rule, the report
 * and the URL code go through here, so the format and its checks cannot drift apart.
 */

/** The 6-hex tag of a value: the first 24 bits of its keyed HMAC (see Pseudonyms). */
export const TAG_LENGTH = 6;

/** Regular-expression source of a placeholder as written in text (no anchors, no flags). */
export const PLACEHOLDER_SOURCE = '\\[REDACTED:[a-z-]+:[0-9a-f]{6}\\]';
/** The same, percent-encoded as inside a URL or a form body. */
export const URL_PLACEHOLDER_SOURCE = '%5BREDACTED%3A[a-z-]+%3A[0-9a-f]{6}%5D';

/** One placeholder anywhere in a text (kept for callers that test with it). */
export const PLACEHOLDER = new RegExp(PLACEHOLDER_SOURCE);

const EXACT = new RegExp(`^(?:${PLACEHOLDER_SOURCE}|${URL_PLACEHOLDER_SOURCE})$`, 'i');
const PARTS = /^(?:\[REDACTED:([a-z-]+):([0-9a-f]{6})\]|%5BREDACTED%3A([a-z-]+)%3A([0-9a-f]{6})%5D)$/i;
const URL_PLACEHOLDERS = new RegExp(`%5BREDACTED%3A([a-z-]+)%3A([0-9a-f]{${TAG_LENGTH}})%5D`, 'gi');

export function placeholder(rule: string, tag: string): string {
  return `[REDACTED:${rule}:${tag}]`;
}

/** The placeholder as it must appear inside a URL or a form body (where `[`, `]` and `:` are escaped). */
export function urlPlaceholder(text: string): string {
  return encodeURIComponent(text);
}

/**
 * Whether `value` is exactly one placeholder (raw or percent-encoded): only then is it left as
 * it is. A value that merely starts like one (`[REDACTED:x] hunter2`) is still a value.
 */
export function isPlaceholder(value: string): boolean {
  // The length test keeps the common case (any other value) from touching the regex.
  return value.length >= 19 && value.length <= 80 && (value.charCodeAt(0) === 91 || value.charCodeAt(0) === 37) && EXACT.test(value);
}

/** The rule and tag of an exact placeholder, or null. */
export function parsePlaceholder(value: string): { rule: string; tag: string } | null {
  const m = PARTS.exec(value);
  if (!m) return null;
  return { rule: (m[1] ?? m[3]!).toLowerCase(), tag: (m[2] ?? m[4]!).toLowerCase() };
}

/**
 * Percent-encoded placeholders in a host name as DNS-safe labels (`redacted-keyword-aa5140.invalid`),
 * so the URL stays readable and its host still parses; `.invalid` can never resolve.
 */
export function hostLabels(host: string): string {
  return host.replace(URL_PLACEHOLDERS, (_m, rule: string, tag: string) => `redacted-${rule.toLowerCase()}-${tag.toLowerCase()}.invalid`);
}
