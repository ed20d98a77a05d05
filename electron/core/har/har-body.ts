import { decodeEncoded, encode, MAX_LAYERS, MIN_ENCODED, type Decoded } from './encoded-text.js';
import { oversizeOf } from './har-reader.js';
import { FORMAT_KEYS } from './har-fields.js';
import { site } from './har-site.js';
import { decodeSafe } from './har-url.js';
import { isPlaceholder } from './placeholder.js';
import { foldName, isHarmlessCodeValue, isSecretName } from './secret-names.js';
import type { Site, TextScrubber } from './text-scrubber.js';

/**
 * The rules for bodies (request and response bodies, WebSocket messages, and the values inside
 * them): form fields, JSON documents walked field by field, multipart parts, base64 of JSON, forms
 * and user:password (see encoded-text.ts), and whatever is left through the text rules. Apart from
 * HarSanitizer, which applies them to the HAR's own objects.
 */

// Values of these names are learned as secrets (see TextScrubber.learn); token-like values are not,
// as they are many and each one is already caught where it stands.
export const PASSWORD_NAME = /passw|passphrase/;
const MAX_JSON_DEPTH = 200;

class TooDeep extends Error {}

/** One JSON document being cleaned: where it sits, whether it is the AsyncOS login body, what changed. */
interface JsonWalk {
  at: Site;
  login: boolean;
  /** Encoding layers around this document (0: the body itself). */
  layer: number;
  stack: (string | number)[];
  changed: boolean;
}

const DECODED_NAMES: Record<Decoded['kind'], string> = { json: 'base64 of JSON', form: 'base64 of a form body', userpass: 'base64 of user:password' };

function looksLikeJson(mime: string, text: string): boolean {
  if (/json/i.test(mime)) return true;
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

export function decodeBase64(s: string): string {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(s)) return '';
  return Buffer.from(s, 'base64').toString('utf8');
}

export class BodyRules {
  constructor(private readonly text: TextScrubber) {}

  /** A request or response body (or WebSocket message): form, JSON, multipart or other text. */
  body(text: string, mime: string, at: Site, login: boolean, layer = 0): string {
    if (oversizeOf(text)) return this.text.scrub(text, at);
    const encoded = this.encoded(text, at, layer);
    if (encoded !== null) return encoded;
    if (/x-www-form-urlencoded/i.test(mime)) return this.form(text, at, layer);
    if (looksLikeJson(mime, text)) return this.json(text, at, login, layer);
    if (/multipart\/form-data/i.test(mime)) return this.text.scrubBody(this.multipart(text, at), at);
    return this.text.scrubBody(text, at);
  }

  private multipart(text: string, at: Site): string {
    return text.replace(/(name="([^"]*)"[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n)([\s\S]*?)(?=\r?\n--)/g, (m, head: string, name: string, value: string) =>
      isSecretName(name) && value !== '' && !isHarmlessCodeValue(name, value) ? `${head}${this.text.replace('form', value, at, name)}` : m,
    );
  }

  /** A form body: secret-named fields lose their value, encoded values are cleaned inside, the rest through the text rules. */
  private form(text: string, at: Site, layer: number): string {
    const form: Site = { entry: at.entry, location: at.location, path: at.path, paramRule: 'form', urlEncoded: true };
    const lead = text.startsWith('?') ? 0 : 1;
    let s = this.text.params(lead ? `?${text}` : text, form).slice(lead);
    if (s.length >= MIN_ENCODED) {
      s = s.replace(/(^|[?&])([^=&]*)=([^&]+)/g, (m, sep: string, name: string, value: string) => {
        const clean = this.encodedParam(value, form, layer);
        return clean === null ? m : `${sep}${name}=${clean}`;
      });
    }
    return this.text.scrub(s, form);
  }

  /**
   * Text that is base64 of JSON, a form or user:password (see encoded-text.ts): cleaned decoded,
   * by the same rules, and encoded back the same way; the original when nothing in it changed;
   * null when it is no such text (the caller's rules apply).
   */
  encoded(text: string, at: Site, layer: number): string | null {
    if (layer >= MAX_LAYERS || text.length < MIN_ENCODED) return null;
    const decoded = decodeEncoded(text);
    if (decoded === null) return null;
    const inner = site(at.entry, at.location, `${at.path}{base64}`, undefined, at.paramRule);
    // Decoded text was not part of the raw entry the known-secret check looked at.
    const out = this.text.widened(() => this.decodedRules(decoded, inner, layer + 1));
    if (out === decoded.text) return text;
    this.text.replace('encoded-body', text, at, DECODED_NAMES[decoded.kind]);
    return encode(out, decoded.encoding);
  }

  /** A URL or form parameter value, which may carry its base64 percent-encoded. */
  encodedParam(value: string, at: Site, layer: number): string | null {
    if (value.length < MIN_ENCODED) return null;
    const raw = value.includes('%') ? decodeSafe(value) : value;
    const clean = this.encoded(raw, at, layer);
    if (clean === null || clean === raw) return clean === null ? null : value;
    return raw === value ? clean : encodeURIComponent(clean);
  }

  private decodedRules(d: Decoded, at: Site, layer: number): string {
    if (d.kind === 'json') return this.json(d.text, at, false, layer);
    if (d.kind === 'form') return this.form(d.text, at, layer);
    const colon = d.text.indexOf(':');
    const password = d.text.slice(colon + 1);
    if (isPlaceholder(password)) return d.text;
    this.text.learn(password);
    return `${this.text.scrub(d.text.slice(0, colon), at)}:${this.text.replace('credential', password, at, 'user:password')}`;
  }

  private json(text: string, at: Site, login: boolean, layer = 0): string {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return this.text.scrubBody(text, at);
    }
    if (doc === null || typeof doc !== 'object') return this.text.scrubBody(text, at);
    const walk: JsonWalk = { at, login, layer, stack: [], changed: false };
    try {
      const out = this.jsonValue(doc, walk, 0, null);
      return walk.changed ? JSON.stringify(out) : text;
    } catch (error) {
      if (!(error instanceof TooDeep)) throw error;
      return this.text.replace('body-uninspectable', text, at, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
  }

  private jsonValue(v: unknown, walk: JsonWalk, depth: number, secretName: string | null): unknown {
    if (depth > MAX_JSON_DEPTH) throw new TooDeep();
    const { at, login, stack } = walk;
    if (typeof v === 'string' || typeof v === 'number') {
      const here = site(at.entry, at.location, `${at.path}{json}`, stack, at.paramRule);
      if (secretName !== null && v !== '' && !isHarmlessCodeValue(secretName, v)) {
        const value = String(v);
        // Only a whole placeholder is an earlier redaction; `[REDACTED:x] hunter2` is a value.
        if (isPlaceholder(value)) return v;
        const folded = foldName(secretName);
        if (PASSWORD_NAME.test(folded)) {
          this.text.learn(value);
          if (login) this.text.learn(decodeBase64(value));
        }
        walk.changed = true;
        return this.text.replace(login ? 'login' : 'json-field', value, here, secretName);
      }
      if (typeof v === 'number') return v;
      const s = this.encoded(v, here, walk.layer) ?? this.text.scrub(v, here);
      if (s !== v) walk.changed = true;
      return s;
    }
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) {
        stack.push(k);
        v[k] = this.jsonValue(v[k], walk, depth + 1, secretName);
        stack.pop();
      }
      return v;
    }
    if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      const shown = this.renamed(keys, site(at.entry, at.location, `${at.path}{json}`, stack));
      const out = shown ? (Object.create(null) as Record<string, unknown>) : obj;
      if (shown) walk.changed = true;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        const name = secretName ?? (isSecretName(key) || (login && foldName(key) === 'username') ? key : null);
        stack.push(shown?.[k] ?? key);
        out[shown?.[k] ?? key] = this.jsonValue(obj[key], walk, depth + 1, name);
        stack.pop();
      }
      return out;
    }
    return v;
  }

  /**
   * Keys without known secrets and keywords (a body keyed by user or host name), in order and
   * distinct; null when no key changes. Rules keep reading the keys as sent.
   */
  renamed(keys: string[], at: Site, format = false): string[] | null {
    if (!this.text.active) return null;
    let out: string[] | null = null;
    let taken: Set<string> | null = null;
    const originals = new Set(keys);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      // Outside bodies, the names HAR and Chrome define (and `_` fields) are the format, not data: a keyword never breaks them.
      const clean = format && (key.startsWith('_') || FORMAT_KEYS.has(key)) ? key : this.text.scrubName(key, at);
      if (clean !== key && out === null) {
        out = keys.slice(0, k);
        taken = new Set(out);
      }
      if (out === null || taken === null) continue;
      let unique = clean;
      for (let n = 2; taken.has(unique) || (unique !== key && originals.has(unique)); n++) unique = `${clean}#${n}`;
      out.push(unique);
      taken.add(unique);
    }
    return out;
  }
}
