import { RuleCounts, type RedactionRule } from '../har/har-report.js';
import { Pseudonyms } from '../har/pseudonym.js';
import { PRIVATE_KEY_LABEL, TextScrubber, type Site } from '../har/text-scrubber.js';

export interface LogScrubOptions {
  /** The archive's pseudonym key: the same value gets the same placeholder here as in its HAR files. */
  key: Buffer;
  /** The profile's stored secrets (searched in all their encodings). */
  knownSecrets: string[];
  /** Host names, the API user and the user's keywords (case-insensitive, all encodings). */
  keywords: string[];
  /** Keep the domain of e-mail addresses (the local part is always replaced). */
  keepDomains: boolean;
}

const SITE: Site = { entry: -1, path: 'line', location: 'other' };

/** The rules this scrubber adds to the HAR text rules. */
const OWN_RULES = ['authorization', 'log-field', 'email-local', 'email-domain'] as const;
type OwnRule = (typeof OWN_RULES)[number];
/** Every rule a cleaned log's redaction counts can name: the HAR text rules that apply to a line, and its own. */
export const logRedactionRules = [...OWN_RULES, ...(['jwt', 'pem', 'credential', 'query', 'form', 'json-field', 'secret', 'keyword'] as const satisfies readonly RedactionRule[])];
const PLACEHOLDER = String.raw`\[REDACTED:[a-z-]+:[0-9a-f]{6}\]`;
export const EMAIL = new RegExp(String.raw`(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})(@|%40)(${PLACEHOLDER}|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24})\b`, 'g');
// Unquoted `name: value` / `name=value` in a logged request or CLI audit line (quoted ones and
// `a=b&c=d` pairs are the HAR text rules' job): the value up to white space or a separator.
// Not the rule name inside an earlier placeholder (`[REDACTED:secret:…]`).
const LOG_FIELD = /(?<!\[REDACTED:)\b(password|passphrase|passwd|secret|jwtToken|token|apiKey|api_key)(\s*[:=]\s*)(?!\[REDACTED|%5BREDACTED)([^\s,;'"&)\]}]{1,4096})/gi;
const AUTH_HEADER = /\b(Authorization|Proxy-Authorization)(\s*:\s*)(?!\[REDACTED)(?:(\w+)(\s+))?([^\s,;'"]{1,8192})/gi;

const isGap = (code: number) => code <= 32;
// The same labels as the HAR text rules' PEM rule, which scrubs the held key.
const KEY_BEGIN = new RegExp(`-----BEGIN ${PRIVATE_KEY_LABEL}-----`, 'g');
const KEY_END = new RegExp(`-----END ${PRIVATE_KEY_LABEL}-----`);

/** Whether a PEM private key starts in `line` and does not end there: the lines after it are its body. */
export function opensKey(line: string): boolean {
  if (!line.includes('-----BEGIN')) return false;
  let open = false;
  for (const m of line.matchAll(KEY_BEGIN)) open = !KEY_END.test(line.slice(m.index + m[0].length));
  return open;
}

/** Whether `line` holds the END line of a PEM private key. */
export function endsKey(line: string): boolean {
  return line.includes('-----END') && KEY_END.test(line);
}

/**
 * `edit` applied to each run of the line without spaces or control characters that holds `@` or
 * `%40`, the rest left as it is. An address holds neither, and a space next to it reads to EMAIL's
 * look-behind and `\b` as the line's start or end would: the result is EMAIL over the whole line,
 * but the regex no longer tries every word of a long line as the start of an address.
 */
export function inRunsWith(line: string, edit: (run: string) => string): string {
  let out = '';
  let done = 0;
  let at = nextAt(line, 0);
  while (at >= 0) {
    let start = at;
    while (start > done && !isGap(line.charCodeAt(start - 1))) start--;
    let end = at;
    while (end < line.length && !isGap(line.charCodeAt(end))) end++;
    out += line.slice(done, start) + edit(line.slice(start, end));
    done = end;
    at = nextAt(line, end);
  }
  return done === 0 ? line : out + line.slice(done);
}

function nextAt(line: string, from: number): number {
  const a = line.indexOf('@', from);
  const b = line.indexOf('%40', from);
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/**
 * The line rules for appliance logs, on top of the HAR text scrubber (JWTs, PEM keys, scheme
 * credentials, secret-named parameters and fields, known secrets and keywords in every encoding):
 * `Authorization` headers, unquoted password and token fields as CLI and API logs write them, and
 * e-mail addresses as two pseudonyms (local part, domain). Counts per rule, never values.
 */
export class LogScrubber {
  private readonly report = new RuleCounts();
  private readonly text: TextScrubber;
  private readonly pseudonyms: Pseudonyms;
  private readonly own: Record<string, number> = {};

  constructor(private readonly options: LogScrubOptions) {
    this.pseudonyms = new Pseudonyms(options.key);
    this.text = new TextScrubber(this.pseudonyms, this.report, options.knownSecrets, options.keywords);
  }

  private count(rule: OwnRule): void {
    this.own[rule] = (this.own[rule] ?? 0) + 1;
  }

  private put(rule: OwnRule, value: string): string {
    this.count(rule);
    return this.pseudonyms.placeholder(rule, value);
  }

  line(line: string): string {
    let s = line;
    if (s.includes('uthorization')) {
      s = s.replace(AUTH_HEADER, (_m, name: string, sep: string, scheme: string | undefined, space: string | undefined, value: string) => `${name}${sep}${scheme ? `${scheme}${space}` : ''}${this.put('authorization', value)}`);
    }
    // Quoted, XML and HTML fields need a quote or a tag: without one the cheaper text rules are all there is to run.
    s = s.includes('"') || s.includes("'") || s.includes('<') ? this.text.scrubBody(s, SITE) : this.text.scrub(s, SITE);
    s = s.replace(LOG_FIELD, (m, name: string, sep: string, value: string) => (value.startsWith('[REDACTED') ? m : `${name}${sep}${this.put('log-field', value)}`));
    if (s.includes('@') || s.includes('%40')) {
      // `%40`: an address inside a logged URL or form.
      s = inRunsWith(s, (run) =>
        run.replace(EMAIL, (_m, local: string, at: string, domain: string) => {
          const d = domain.startsWith('[REDACTED:') || this.options.keepDomains ? domain : this.put('email-domain', domain.toLowerCase());
          return `${this.put('email-local', local.toLowerCase())}${at}${d}`;
        }),
      );
    }
    return s;
  }

  /** Redactions per rule so far (the HAR rules and the log rules), zero counts left out. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [rule, n] of Object.entries(this.report.byRule)) if (n) out[rule] = n;
    for (const [rule, n] of Object.entries(this.own)) out[rule] = (out[rule] ?? 0) + n;
    return out;
  }
}

/**
 * The appliance's names as keywords: the profile's host and its first label, and the names in the
 * appliance certificate (its CN and DNS names), as the logs print the appliance's own host name.
 */
export function hostKeywords(names: string[]): string[] {
  const out = new Set<string>();
  for (const raw of names) {
    const name = raw.trim().replace(/^\*\./, '');
    if (name.length < 4 || name === 'localhost' || /^[\d.:]+$/.test(name)) continue;
    out.add(name);
    const label = name.split('.')[0]!;
    if (label.length >= 4 && label !== name && !/^[\da-f]+$/i.test(label)) out.add(label);
  }
  return [...out];
}
