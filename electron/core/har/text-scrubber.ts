import { encodedForms } from '../logging/redactor.js';
import { oversizeOf } from './har-reader.js';
import type { RedactionLocation, RedactionRule, RedactionSink } from './har-report.js';
import { isPlaceholder, placeholder, PLACEHOLDER_SOURCE, URL_PLACEHOLDER_SOURCE, urlPlaceholder } from './placeholder.js';
import type { Pseudonyms } from './pseudonym.js';
import { isHarmlessCodeValue, isNonSecretName, SECRET_PARAM_PATTERN } from './secret-names.js';

/** Where a string sits: the entry (-1 for `log` fields), its path, and the location it counts under. */
export interface Site {
  entry: number;
  path: string;
  location: RedactionLocation;
  /** Rule for `name=value` parameters found in the text (query in URLs, form in bodies). */
  paramRule?: 'query' | 'form';
  /** The text is percent-encoded (a form body): placeholders are encoded like in a URL. */
  urlEncoded?: boolean;
}

const MIN_SECRET_LENGTH = 4;
/** Every learned value makes the known-secret search longer for every later string. */
const MAX_LEARNED = 20;
/** A PEM private key's label (`RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, …): its words before PRIVATE KEY, then ` BLOCK` or not. */
export const PRIVATE_KEY_LABEL = String.raw`((?:[A-Z0-9]+ )*)PRIVATE KEY( BLOCK)?`;
const PEM = new RegExp(String.raw`-----BEGIN ${PRIVATE_KEY_LABEL}-----[\s\S]*?(?:-----END \1PRIVATE KEY\2-----|$)`, 'g');
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g;
const SCHEME_HINT = /(?:bearer|basic|negotiate|ntlm)\s/i;
const SCHEME = /\b(bearer|basic|negotiate|ntlm)(\s+)([A-Za-z0-9._~+/-]{8,}=*)/gi;
const PARAM = new RegExp(`(^|[?&#;\\s,"'])(${SECRET_PARAM_PATTERN})=([^&#\\s"'<>;,]*)`, 'gi');
// The look-behind makes only word starts candidates: without it every character of every word is
// a start, which made this the most expensive rule on large kept bodies.
const QUOTED_FIELD = new RegExp(`(?<![\\w.-])(["']?)(${SECRET_PARAM_PATTERN})\\1(\\s*[:=]\\s*)(["'])((?:\\\\.|(?!\\4)[^\\\\])*)\\4`, 'gi');
const QUOTED_FIELD_HINT = /[:=]\s*["']/;
const XML_FIELD = new RegExp(`<(${SECRET_PARAM_PATTERN})(\\s[^>]*)?>([^<]+)</\\1>`, 'gi');
const HTML_FIELD = new RegExp(`(<(?:input|meta)\\b[^>]*?\\bname=["'](${SECRET_PARAM_PATTERN})["'][^>]*?\\b(?:value|content)=["'])([^"']*)(["'])`, 'gi');
const URLISH = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A credential after a scheme word looks random: a digit, a symbol, or an upper-case letter inside. */
function looksLikeCredential(token: string): boolean {
  return /[0-9+/=._~-]/.test(token) || /[A-Z]/.test(token.slice(1));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** base64 of `secret` as it appears inside a longer base64 text, at each of the three byte alignments. */
function base64Inner(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const out: string[] = [];
  for (const shift of [1, 2]) {
    const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const start = shift === 1 ? 2 : 3;
    const end = Math.floor(((shift + bytes.length) * 8) / 6);
    const inner = b64.slice(start, end);
    if (inner.length >= 8) out.push(inner);
  }
  return out;
}

interface KnownScope {
  secret: boolean;
  keyword: boolean;
  /**
   * The secret forms worth testing per string: every form of each known secret one of whose forms
   * occurs in the entry's raw text (a value raw in a string is JSON-escaped in the raw text, so all
   * forms of a value found go in). Undefined: all of them.
   */
  secretForms?: string[];
}

interface Needles {
  re: RegExp | null;
  byForm: Map<string, string>;
  /** The forms alone, for the quick test before the replacing regex (which also matches placeholders). */
  forms: string[];
  /** For caseless sets and many forms: the forms as one non-global regex, with the replacing regex's flags. */
  test: RegExp | null;
}

/** Up to this many forms, one native substring search each beats one alternation regex over the text. */
const MAX_PLAIN_FORMS = 16;

/**
 * Whether `text` may hold one of the forms: over text that holds none (the usual case) a native
 * substring search per form (case-sensitive sets), or a test of the forms' alternation without the
 * placeholders and without collecting matches, is several times faster than the replacing regex.
 * Measured on a 100 MB capture: the replacing regexes over every entry were 13 % of the run.
 */
function mayHold(set: Needles, text: string, forms: string[] = set.forms): boolean {
  if (set.test) return set.test.test(text);
  for (const f of forms) if (text.includes(f)) return true;
  return false;
}

function needles(values: Iterable<string>, caseless: boolean): Needles {
  const byForm = new Map<string, string>();
  for (const v of values) {
    const original = caseless ? v.toLowerCase() : v;
    // JSON-escaped twice: how a value inside a JSON body looks in the raw HAR text.
    const twice = JSON.stringify(JSON.stringify(v).slice(1, -1)).slice(1, -1);
    const forms = [...encodedForms(v), ...base64Inner(v), twice];
    for (const f of forms) if (f.length >= MIN_SECRET_LENGTH && !byForm.has(caseless ? f.toLowerCase() : f)) byForm.set(caseless ? f.toLowerCase() : f, original);
  }
  const forms = [...byForm.keys()];
  if (byForm.size === 0) return { re: null, byForm, forms, test: null };
  // Placeholders are matched first and kept, so a keyword never cuts into an earlier replacement.
  const alternatives = [...byForm.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
  const test = caseless || forms.length > MAX_PLAIN_FORMS ? new RegExp(alternatives.join('|'), caseless ? 'i' : '') : null;
  return { re: new RegExp(`${PLACEHOLDER_SOURCE}|${URL_PLACEHOLDER_SOURCE}|${alternatives.join('|')}`, caseless ? 'gi' : 'g'), byForm, forms, test };
}

/**
 * The rules that apply to any string: oversize markers, PEM private keys, JWTs, credentials after
 * an auth scheme word, secret-named `name=value` parameters, and the known secrets and keywords in
 * their raw, base64, URL- and JSON-escaped forms. Every replacement is a keyed placeholder, and
 * every one is recorded in the report.
 */
export class TextScrubber {
  private secrets: Needles;
  private readonly keywords: Needles;
  private readonly secretValues: Set<string>;
  private learnedCount = 0;
  private readonly minLength: number;

  constructor(
    private readonly pseudonyms: Pseudonyms,
    private readonly report: RedactionSink,
    secrets: string[],
    keywords: string[],
  ) {
    this.secretValues = new Set(secrets.filter((s) => s.length >= MIN_SECRET_LENGTH));
    this.secrets = needles(this.secretValues, false);
    this.keywords = needles(keywords.filter((k) => k.length >= MIN_SECRET_LENGTH), true);
    this.minLength = this.secrets.re || this.keywords.re ? MIN_SECRET_LENGTH : 8;
  }

  /**
   * Which needle sets may occur in what is being scrubbed now. Narrowed per entry by `limitTo`, so
   * an entry naming the appliance host (a keyword) does not also pay for the secret search.
   */
  private scope: KnownScope = { secret: true, keyword: true };

  /** Whether known secrets or keywords are searched at all in the current scope. */
  get knownActive(): boolean {
    return this.scope.secret || this.scope.keyword;
  }

  /**
   * Runs `work` with the search narrowed to what occurs in `raw` (one entry's JSON text, see
   * `limitTo`), or over everything when `raw` is undefined; the full scope is back afterwards.
   */
  scoped<T>(raw: string | undefined, work: () => T): T {
    this.scope = raw === undefined ? { secret: true, keyword: true } : this.scopeFor(raw);
    try {
      return work();
    } finally {
      this.scope = { secret: true, keyword: true };
    }
  }

  /**
   * Runs `work` over the full scope inside a narrowed one: for decoded text (base64 bodies and
   * values), which the whole-entry pre-check never saw. The narrowed scope is back afterwards,
   * widened for secrets when `work` learned one (the rest of the entry may echo it).
   */
  widened<T>(work: () => T): T {
    const before = this.scope;
    const learned = this.learnedCount;
    this.scope = { secret: true, keyword: true };
    try {
      return work();
    } finally {
      this.scope = this.learnedCount !== learned ? { secret: true, keyword: before.keyword } : before;
    }
  }

  /**
   * Runs `work` with the search narrowed to what occurs in `text` itself: for a body kept out of
   * its entry's raw text (see har-deferred.ts), which the whole-entry pre-check never saw. The
   * scope before is back afterwards, widened for secrets when `work` learned one.
   */
  narrowed<T>(text: string, work: () => T): T {
    const before = this.scope;
    const learned = this.learnedCount;
    this.scope = this.scopeFor(text);
    try {
      return work();
    } finally {
      this.scope = this.learnedCount !== learned ? { secret: true, keyword: before.keyword } : before;
    }
  }

  /** Whether known secrets or keywords are searched and could be found. */
  get active(): boolean {
    return (this.scope.secret && this.secrets.re !== null) || (this.scope.keyword && this.keywords.re !== null);
  }

  /**
   * Whether JSON text (one raw entry) may hold a known secret or keyword. One pass over the entry
   * instead of one per string. `\u` and `\/` escapes could hide a form from a byte match, so their
   * presence answers yes.
   */
  mayContainKnown(raw: string): boolean {
    const scope = this.scopeFor(raw);
    return scope.secret || scope.keyword;
  }

  /** Narrows the search to the needle sets that occur in `raw` (one entry's JSON text). */
  limitTo(raw: string): void {
    this.scope = this.scopeFor(raw);
  }

  private scopeFor(raw: string): KnownScope {
    const escaped = raw.includes('\\u') || raw.includes('\\/');
    const occurs = (set: Needles): boolean => {
      if (!set.re) return false;
      if (escaped) return true;
      // A form inside a placeholder (a keyword like "acted") answers yes here: only more work, never less.
      return mayHold(set, raw);
    };
    const keyword = occurs(this.keywords);
    const secrets = this.secrets;
    if (!secrets.re || escaped || secrets.test) return { secret: occurs(secrets), keyword };
    // Which secrets occur: each string of the entry is then tested for their forms only (usually
    // one value's few forms instead of every form of every secret).
    const found = new Set<string>();
    for (const f of secrets.forms) if (raw.includes(f)) found.add(secrets.byForm.get(f)!);
    if (found.size === 0) return { secret: false, keyword };
    return { secret: true, keyword, secretForms: secrets.forms.filter((f) => found.has(secrets.byForm.get(f)!)) };
  }

  /** Adds a secret seen in the capture (a typed password) so later occurrences are scrubbed too. */
  learn(secret: string): void {
    if (secret.length < 6 || this.secretValues.has(secret) || this.learnedCount >= MAX_LEARNED || isPlaceholder(secret)) return;
    this.learnedCount++;
    this.secretValues.add(secret);
    this.secrets = needles(this.secretValues, false);
    // The whole-entry pre-check ran before this secret was known: the rest of the entry may echo it.
    this.scope = { secret: true, keyword: this.scope.keyword };
  }

  /** Replaces a whole value: the placeholder, recorded under `rule` at `site`. */
  replace(rule: RedactionRule, value: string, site: Site, name?: string): string {
    return this.replaced(rule, this.pseudonyms.fingerprint(value), site, name);
  }

  /** `replace` of a value given as its UTF-8 bytes (a deferred body, see har-deferred.ts). */
  replaceBytes(rule: RedactionRule, utf8: Uint8Array, site: Site, name?: string): string {
    return this.replaced(rule, this.pseudonyms.fingerprintBytes(utf8), site, name);
  }

  private replaced(rule: RedactionRule, fp: string, site: Site, name?: string): string {
    // Paths and names come from the capture (JSON keys, header and cookie names): the report shows them masked.
    if (this.report.wantsPaths) this.report.hit(rule, site.location, site.entry, this.mask(site.path), fp, name === undefined ? undefined : this.mask(name));
    else this.report.hit(rule, site.location, site.entry, '', fp);
    return placeholder(rule, fp);
  }

  /** A name (header, cookie, parameter, JSON key): only the known secrets and keywords, which may stand anywhere. */
  scrubName(name: string, site: Site): string {
    if (name.length < MIN_SECRET_LENGTH || (!this.secrets.re && !this.keywords.re)) return name;
    return this.known(name, site, false);
  }

  /** Known secrets and keywords as placeholders, without counting them: for what the report itself shows. */
  mask(text: string): string {
    if (!this.knownActive || text.length < MIN_SECRET_LENGTH || (!this.secrets.re && !this.keywords.re)) return text;
    return this.eachKnown(text, (rule, original) => placeholder(rule, this.pseudonyms.fingerprint(original)));
  }

  scrub(text: string, site: Site): string {
    // Short texts hold no JWT, key or credential, but `pw=a1b2` is a secret parameter all the same.
    if (text.length < this.minLength) return text.length > 3 && text.includes('=') ? this.params(text, site) : text;
    let s = text;
    if (s.charCodeAt(0) === 0) {
      const big = oversizeOf(s);
      if (big) return this.replace('oversize', big.digest, site, `string of ${big.bytes} bytes`);
    }
    // Inside a URL a placeholder is percent-encoded, so the URL stays a valid URI.
    const inUrl = site.urlEncoded === true || site.location === 'url' || URLISH.test(s);
    if (s.includes('-----BEGIN')) s = s.replace(PEM, (m) => this.put('pem', m, site, 'PEM private key', inUrl));
    if (s.includes('eyJ')) s = s.replace(JWT, (m) => this.put('jwt', m, site, 'JWT', inUrl));
    if (SCHEME_HINT.test(s)) {
      s = s.replace(SCHEME, (m, scheme: string, space: string, token: string) => (looksLikeCredential(token) ? `${scheme}${space}${this.put('credential', token, site, scheme, inUrl)}` : m));
    }
    if (s.includes('=')) s = this.params(s, site);
    return this.known(s, site, inUrl);
  }

  private put(rule: RedactionRule, value: string, site: Site, name: string, inUrl: boolean): string {
    const p = this.replace(rule, value, site, name);
    return inUrl ? urlPlaceholder(p) : p;
  }

  /** Only the known secrets and keywords: for opaque text such as base64-encoded images. */
  scrubOpaque(text: string, site: Site): string {
    if (text.length < this.minLength || (!this.secrets.re && !this.keywords.re)) return text;
    return this.known(text, site, false);
  }

  /** `scrub`, plus secret-named fields in text that is not parsed: JSON-ish, XML and HTML forms. */
  scrubBody(text: string, site: Site): string {
    let s = this.scrub(text, site);
    // Every match holds `:` or `=`, optional white space, then a quote: without that, the costly scan is skipped.
    if (QUOTED_FIELD_HINT.test(s)) {
      s = s.replace(QUOTED_FIELD, (m, q1: string, name: string, sep: string, q2: string, value: string) => {
        if (value === '' || isPlaceholder(value) || isHarmlessCodeValue(name, value) || isNonSecretName(name)) return m;
        return `${q1}${name}${q1}${sep}${q2}${this.replace('json-field', value, site, name)}${q2}`;
      });
    }
    if (s.includes('</')) {
      s = s.replace(XML_FIELD, (m, name: string, attrs: string | undefined, value: string) =>
        isPlaceholder(value) || isHarmlessCodeValue(name, value) || isNonSecretName(name) ? m : `<${name}${attrs ?? ''}>${this.replace('json-field', value, site, name)}</${name}>`,
      );
    }
    if (s.includes('<')) {
      s = s.replace(HTML_FIELD, (m, head: string, name: string, value: string, q: string) => (value === '' || isPlaceholder(value) ? m : `${head}${this.replace('form', value, site, name)}${q}`));
    }
    return s;
  }

  /** Secret-named `name=value` pairs (query strings, fragments, form bodies, cookies in text). */
  params(text: string, site: Site): string {
    return text.replace(PARAM, (m, lead: string, name: string, value: string) => {
      if (value === '' || isPlaceholder(value) || isHarmlessCodeValue(name, value) || isNonSecretName(name)) return m;
      let decoded = value;
      try {
        decoded = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        // Not percent-encoded after all: the raw text is the value.
      }
      const rule = site.paramRule ?? 'query';
      // A site's path may be a getter (built on demand): copy it by name, a spread would drop it.
      const at: Site = { entry: site.entry, path: site.path, location: site.location === 'url' ? 'query' : site.location };
      return `${lead}${name}=${urlPlaceholder(this.replace(rule, decoded, at, name))}`;
    });
  }

  private known(text: string, site: Site, inUrl: boolean): string {
    if (!this.knownActive) return text;
    return this.eachKnown(text, (rule, original) => {
      const p = this.replace(rule, original, site, rule === 'secret' ? 'known secret' : 'keyword');
      return inUrl ? urlPlaceholder(p) : p;
    });
  }

  /** Every known secret and keyword in `text` (earlier placeholders left alone) through `put`. */
  private eachKnown(text: string, put: (rule: 'secret' | 'keyword', original: string) => string): string {
    let s = text;
    for (const [set, rule] of [
      [this.secrets, 'secret'],
      [this.keywords, 'keyword'],
    ] as const) {
      if (!set.re || !this.scope[rule] || !mayHold(set, s, rule === 'secret' ? this.scope.secretForms : undefined)) continue;
      const caseless = rule === 'keyword';
      s = s.replace(set.re, (m) => {
        if (isPlaceholder(m)) return m;
        return put(rule, set.byForm.get(caseless ? m.toLowerCase() : m) ?? m);
      });
    }
    return s;
  }
}
