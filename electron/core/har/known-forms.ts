import { isPlaceholder, PLACEHOLDER_SOURCE, URL_PLACEHOLDER_SOURCE } from './placeholder.js';

/**
 * Up to this many forms, one native substring search per form beats one alternation regex over
 * the text; above it (many learned secrets) the regex does the work.
 */
const MAX_SEARCHED_FORMS = 32;
/** Longer texts are tested with the regex rather than copied lower-cased. */
const MAX_LOWERED = 1 << 20;

/**
 * The forms of a set of known values (secrets, or keywords without case), found and replaced as
 * the alternation regex `placeholder|form…` (longest form first) finds them: leftmost first, at one
 * place the longest form, an earlier placeholder kept as it is so a keyword never cuts into an
 * earlier replacement. Found with one `indexOf` per form instead: a log line or HAR string that
 * holds none (the usual case) costs a few native searches, and one that holds some is not
 * scanned by the regex at every position. `test/unit/har/known-forms.test.ts` compares both on
 * random texts.
 */
export class KnownForms {
  /** The forms, longest first (lower-cased for a caseless set). */
  readonly forms: readonly string[];
  /** The replacing regex: the reference, and the way for many forms or texts that change length when lower-cased. */
  readonly re: RegExp;
  private readonly test: RegExp;
  private readonly placeholderAt: RegExp;
  private readonly open: string;
  private readonly openUrl: string;

  constructor(
    /** Each form (lower-cased when caseless) → the value it is a form of. */
    readonly byForm: ReadonlyMap<string, string>,
    readonly caseless: boolean,
  ) {
    this.forms = [...byForm.keys()].sort((a, b) => b.length - a.length);
    const alternatives = this.forms.map(escapeRegex).join('|');
    const flags = caseless ? 'i' : '';
    this.re = new RegExp(`${PLACEHOLDER_SOURCE}|${URL_PLACEHOLDER_SOURCE}|${alternatives}`, `g${flags}`);
    this.test = new RegExp(alternatives, flags);
    this.placeholderAt = new RegExp(`${PLACEHOLDER_SOURCE}|${URL_PLACEHOLDER_SOURCE}`, `y${flags}`);
    this.open = caseless ? '[redacted:' : '[REDACTED:';
    this.openUrl = caseless ? '%5bredacted%3a' : '%5BREDACTED%3A';
  }

  /** Whether `text` holds one of `forms` (all by default). */
  holds(text: string, forms: readonly string[] = this.forms): boolean {
    // A yes for a form outside `forms` (the regex tests them all) only means more work, never less.
    if (forms.length > MAX_SEARCHED_FORMS) return this.test.test(text);
    if (!this.caseless) {
      for (const f of forms) if (text.includes(f)) return true;
      return false;
    }
    if (text.length > MAX_LOWERED) return this.test.test(text);
    const lower = text.toLowerCase();
    for (const f of forms) if (lower.includes(f)) return true;
    // A character whose lower case is longer (İ) shifts the copy: the regex decides.
    return lower.length !== text.length && this.test.test(text);
  }

  /**
   * Every occurrence of a form through `put(value)` (the value it is a form of), placeholders left
   * alone. Returns `text` itself when nothing was found.
   */
  replace(text: string, put: (value: string) => string): string {
    const forms = this.forms;
    if (forms.length > MAX_SEARCHED_FORMS) return this.viaRegex(text, put);
    let hay = text;
    if (this.caseless) {
      if (text.length > MAX_LOWERED) return this.viaRegex(text, put);
      hay = text.toLowerCase();
      if (hay.length !== text.length) return this.viaRegex(text, put);
    }
    const n = forms.length;
    let first = 0;
    while (first < n && hay.indexOf(forms[first]!) < 0) first++;
    if (first === n) return text;
    // Per call, not per instance: `put` may come back here (the report masks its paths).
    const pos = new Int32Array(n).fill(-1);
    for (let i = first; i < n; i++) pos[i] = hay.indexOf(forms[i]!);
    let out = '';
    let done = 0;
    let from = 0;
    let ph = -2;
    let phEnd = 0;
    for (;;) {
      let best = -1;
      let bestLength = 0;
      let bestForm = '';
      for (let i = 0; i < n; i++) {
        let p = pos[i]!;
        if (p < 0) continue;
        const form = forms[i]!;
        if (p < from) {
          p = hay.indexOf(form, from);
          pos[i] = p;
          if (p < 0) continue;
        }
        if (best < 0 || p < best || (p === best && form.length > bestLength)) {
          best = p;
          bestLength = form.length;
          bestForm = form;
        }
      }
      if (best < 0) break;
      if (ph !== -1 && ph < from) {
        ph = this.nextPlaceholder(hay, text, from);
        if (ph >= 0) phEnd = this.placeholderAt.lastIndex;
      }
      if (ph >= 0 && ph <= best) {
        // The regex meets the placeholder first and keeps it; its forms are not looked at.
        from = phEnd;
        continue;
      }
      out += text.slice(done, best) + put(this.byForm.get(bestForm) ?? text.slice(best, best + bestLength));
      done = from = best + bestLength;
    }
    return done === 0 ? text : out + text.slice(done);
  }

  /** Where the next whole placeholder starts at or after `from` (its end in `placeholderAt.lastIndex`), or -1. */
  private nextPlaceholder(hay: string, text: string, from: number): number {
    let at = from;
    for (;;) {
      const a = hay.indexOf(this.open, at);
      const b = hay.indexOf(this.openUrl, at);
      const p = a < 0 ? b : b < 0 ? a : Math.min(a, b);
      if (p < 0) return -1;
      this.placeholderAt.lastIndex = p;
      if (this.placeholderAt.test(text)) return p;
      at = p + 1;
    }
  }

  /** The reference: the alternation regex. */
  viaRegex(text: string, put: (value: string) => string): string {
    return text.replace(this.re, (m) => (isPlaceholder(m) ? m : put(this.byForm.get(this.caseless ? m.toLowerCase() : m) ?? m)));
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
