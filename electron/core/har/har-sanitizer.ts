import type { HarContent, HarEntry, HarNameValue, HarPostData } from './har-types.js';
import { oversizeOf } from './har-reader.js';
import { ReportBuilder, type RedactionLocation } from './har-report.js';
import { decodeEncoded, encode, MAX_LAYERS, MIN_ENCODED, type Decoded } from './encoded-text.js';
import {
  CONTENT_FIELDS,
  COOKIE_FIELDS,
  ENTRY_FIELDS,
  FORMAT_KEYS,
  HEADER_FIELDS,
  PARAM_FIELDS,
  POST_DATA_FIELDS,
  REQUEST_FIELDS,
  RESPONSE_FIELDS,
  WEBSOCKET_MESSAGE_FIELDS,
  type FieldTable,
} from './har-fields.js';
import { isPlaceholder, urlPlaceholder } from './placeholder.js';
import { Pseudonyms } from './pseudonym.js';
import { foldName, isHarmlessCodeValue, isSecretHeader, isSecretName } from './secret-names.js';
import { seg, site } from './har-site.js';
import { decodeSafe, hostSafe, isLoginUrl, URL_USERINFO } from './har-url.js';
import { TextScrubber, type Site } from './text-scrubber.js';

export interface SanitizeOptions {
  /** Keep HTML/JS/CSS response bodies (scrubbed) instead of dropping them. */
  keepBodies?: boolean;
  /** Values to scrub wherever they appear (the profile's stored secrets). */
  knownSecrets?: string[];
  /** Words to scrub case-insensitively (internal host names, user names). */
  keywords?: string[];
  /** The pseudonym key; one per archive so placeholders match across its files. Random by default. */
  key?: Buffer;
}

const DROPPED_TYPES = /html|javascript|ecmascript|text\/css|x-js\b/i;
const TEXT_TYPES = /^text\/|json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|csv|yaml/i;
// Values of these names are learned as secrets (see TextScrubber.learn); token-like values are not,
// as they are many and each one is already caught where it stands.
const PASSWORD_NAME = /passw|passphrase/;
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

/**
 * Sanitises HAR entries in place, one at a time: headers and cookies by name, URL userinfo, query
 * and form parameters and JSON fields whose names mean secrets, the AsyncOS login body, then every
 * remaining string through the text rules (JWTs, PEM keys, credentials, known secrets, keywords).
 * HTML/JS/CSS response bodies are dropped unless `keepBodies`. The output keeps HAR 1.2's shape.
 */
export class HarSanitizer {
  readonly report = new ReportBuilder();
  private readonly text: TextScrubber;
  private readonly keepBodies: boolean;

  constructor(options: SanitizeOptions = {}) {
    this.keepBodies = options.keepBodies ?? false;
    this.text = new TextScrubber(new Pseudonyms(options.key), this.report, options.knownSecrets ?? [], options.keywords ?? []);
  }

  /** A field of `log` other than entries (pages, creator, comment, `_`-fields). */
  logField(key: string, value: unknown): unknown {
    return this.walk(value, -1, 'other', key, []);
  }

  /** A name the report shows (the capture's file name) without known secrets and keywords. */
  maskName(name: string): string {
    return this.text.mask(name);
  }

  rootField(key: string, value: unknown): unknown {
    return this.walk(value, -1, 'other', `(root).${key}`, []);
  }

  /** Sanitises one entry in place; `raw` (its JSON text as read) lets whole-entry checks skip work. */
  entry(e: HarEntry, i: number, raw?: string): HarEntry {
    return this.text.scoped(raw, () => this.entryRules(e, i));
  }

  private entryRules(e: HarEntry, i: number): HarEntry {
    const req = e.request;
    const res = e.response;
    const login = isLoginUrl(req.url);
    req.url = this.url(req.url, i, 'request.url');
    this.headers(req.headers, i, 'request');
    this.cookies(req.cookies, i, 'request');
    for (const q of req.queryString) this.pair(q, i, 'query', 'query', 'request.queryString');
    if (req.postData) this.postData(req.postData, i, login);
    this.rest(req, i, 'request', REQUEST_FIELDS);
    this.headers(res.headers, i, 'response');
    this.cookies(res.cookies, i, 'response');
    if (res.redirectURL) res.redirectURL = this.url(res.redirectURL, i, 'response.redirectURL');
    this.content(res.content, i, login);
    this.rest(res, i, 'response', RESPONSE_FIELDS);
    const ws = e._webSocketMessages;
    if (Array.isArray(ws)) {
      ws.forEach((m: unknown, k) => {
        if (m === null || typeof m !== 'object' || Array.isArray(m)) {
          // Not the message object Chrome writes: scrubbed like any unknown value.
          ws[k] = this.walk(m, i, 'other', `_webSocketMessages[${k}]`, []);
          return;
        }
        const msg = m as { data?: unknown };
        if (typeof msg?.data === 'string') msg.data = this.body(msg.data, '', site(i, 'body', `_webSocketMessages[].data`), false);
        this.rest(msg as Record<string, unknown>, i, `_webSocketMessages[${k}]`, WEBSOCKET_MESSAGE_FIELDS);
      });
    }
    this.rest(e, i, '', ENTRY_FIELDS);
    return e;
  }

  private url(url: string, i: number, path: string): string {
    let out = url;
    const m = URL_USERINFO.exec(out);
    if (m && m[2] !== '') out = `${m[1]}${urlPlaceholder(this.text.replace('userinfo', decodeSafe(m[2]!), site(i, 'url', path), 'userinfo'))}@${out.slice(m[0].length)}`;
    const at = site(i, 'url', path, undefined, 'query');
    // Query values that are base64 of JSON, a form or user:password (a `state` or `data` parameter).
    const q = out.indexOf('?');
    if (q >= 0 && out.length - q > MIN_ENCODED) {
      out =
        out.slice(0, q) +
        out.slice(q).replace(/([?&])([^=&#]*)=([^&#]+)/g, (m, sep: string, name: string, value: string) => {
          const clean = this.encodedParam(value, at, 0);
          return clean === null ? m : `${sep}${name}=${clean}`;
        });
    }
    return hostSafe(this.text.scrub(out, at));
  }

  private headers(list: HarNameValue[], i: number, side: string): void {
    for (const h of list) {
      // Rules look at the name as sent; the copy and the report get it without known secrets and keywords.
      const name = h.name;
      h.name = this.text.scrubName(name, site(i, 'header', `${side}.headers[].name`));
      const f = foldName(name);
      const lower = h.name.toLowerCase();
      const at = site(i, 'header', `${side}.headers[${lower}].value`, undefined, 'query');
      if (f === 'authorization' || f === 'proxyauthorization') {
        const m = /^(\S+)(\s+)(\S[\s\S]*)$/.exec(h.value);
        if (m && /^basic$/i.test(m[1]!)) this.learnBasic(m[3]!);
        h.value = m ? `${m[1]}${m[2]}${this.text.replace('authorization', m[3]!, at, h.name)}` : h.value === '' ? '' : this.text.replace('authorization', h.value, at, h.name);
      } else if (f === 'cookie') {
        h.value = h.value
          .split(';')
          .map((part) => this.cookiePair(part, i, `${side}.headers[cookie].value`, 'header'))
          .join(';');
      } else if (f === 'setcookie') {
        h.value = h.value
          .split('\n')
          .map((line) => {
            const cut = line.indexOf(';');
            const first = cut < 0 ? line : line.slice(0, cut);
            const attrs = cut < 0 ? '' : line.slice(cut);
            return this.cookiePair(first, i, `${side}.headers[set-cookie].value`, 'header') + this.text.scrub(attrs, at);
          })
          .join('\n');
      } else if (isSecretHeader(name)) {
        if (h.value !== '') h.value = this.text.replace('header', h.value, at, h.name);
      } else {
        h.value = this.encoded(h.value, at, 0) ?? this.text.scrub(h.value, at);
      }
      this.rest(h, i, `${side}.headers[${lower}]`, HEADER_FIELDS);
    }
  }

  private cookiePair(part: string, i: number, path: string, location: RedactionLocation): string {
    const eq = part.indexOf('=');
    if (eq < 0) {
      // A cookie without a name (`document.cookie = "value"`) is sent as its bare value.
      const value = part.trim();
      return value === '' ? part : part.replace(value, this.text.replace('cookie', value, site(i, location, path), '(no name)'));
    }
    const name = this.text.scrubName(part.slice(0, eq), site(i, location, path));
    const value = part.slice(eq + 1);
    if (value.trim() === '') return `${name}=${value}`;
    return `${name}=${this.text.replace('cookie', value, site(i, location, path), name.trim())}`;
  }

  private cookies(list: HarNameValue[], i: number, side: string): void {
    for (const c of list) {
      c.name = this.text.scrubName(c.name, site(i, 'cookie', `${side}.cookies[].name`));
      if (c.value !== '') c.value = this.text.replace('cookie', c.value, site(i, 'cookie', `${side}.cookies[${c.name}].value`), c.name);
      this.rest(c, i, `${side}.cookies[${c.name}]`, COOKIE_FIELDS);
    }
  }

  /** A name/value pair of a query string or form (`list` is its array's path): secret names lose their value, others are scrubbed. */
  private pair(p: { name: string; value?: string }, i: number, rule: 'query' | 'form', location: RedactionLocation, list: string): void {
    const name = p.name;
    p.name = this.text.scrubName(name, site(i, location, `${list}[].name`));
    const path = `${list}[${p.name}].value`;
    const value = p.value;
    if (value === undefined || value === '') return;
    if (isSecretName(name) && !isHarmlessCodeValue(name, value)) {
      // Firefox keeps form values percent-encoded: the placeholder is keyed on the decoded value,
      // so it matches the one in the body text.
      const decoded = decodeSafe(value.replace(/\+/g, ' '));
      if (PASSWORD_NAME.test(foldName(name))) this.text.learn(decoded);
      p.value = this.text.replace(rule, rule === 'form' ? decoded : value, site(i, location, path), p.name);
    } else {
      const at = site(i, location, path, undefined, rule);
      p.value = this.encodedParam(value, at, 0) ?? this.text.scrub(value, at);
    }
  }

  private postData(post: HarPostData, i: number, login: boolean): void {
    for (const p of post.params ?? []) {
      this.pair(p, i, 'form', 'body', 'request.postData.params');
      this.rest(p, i, `request.postData.params[${p.name}]`, PARAM_FIELDS);
    }
    if (typeof post.text === 'string') post.text = this.body(post.text, post.mimeType ?? '', site(i, 'body', 'request.postData.text', undefined, 'form'), login);
    this.rest(post, i, 'request.postData', POST_DATA_FIELDS);
  }

  private content(content: HarContent, i: number, login: boolean): void {
    const text = content.text;
    const at = site(i, 'body', 'response.content.text', undefined, 'form');
    this.rest(content, i, 'response.content', CONTENT_FIELDS);
    if (typeof text !== 'string' || text === '') return;
    const mime = content.mimeType ?? '';
    const big = oversizeOf(text);
    const drop = (rule: 'body-dropped' | 'oversize', why: string, value: string) => {
      this.text.replace(rule, value, at, mime || 'unknown type');
      delete content.text;
      delete content.encoding;
      content.comment = `Body removed by the sanitiser: ${why}.`;
    };
    if (big) return drop('oversize', `${big.bytes} bytes, too large to inspect`, big.digest);
    if (!this.keepBodies && DROPPED_TYPES.test(mime)) return drop('body-dropped', `${mime.split(';')[0]} bodies are dropped unless kept on purpose`, text);
    const base64 = content.encoding === 'base64';
    if (base64 && !TEXT_TYPES.test(mime)) {
      // Binary stays as it is (but for known secrets), unless it is in fact encoded JSON, a form or user:password.
      content.text = this.encoded(text, at, 0) ?? this.text.scrubOpaque(text, at);
      return;
    }
    if (!base64) {
      const out = this.body(text, mime, at, login);
      if (out !== text) content.text = out;
      return;
    }
    // Decoded text was not part of the raw entry the known-secret check looked at.
    const plain = Buffer.from(text, 'base64').toString('utf8');
    const out = this.text.widened(() => this.body(plain, mime, at, login, 1));
    if (out !== plain) content.text = Buffer.from(out, 'utf8').toString('base64');
  }

  /** A request or response body (or WebSocket message): form, JSON, multipart or other text. */
  private body(text: string, mime: string, at: Site, login: boolean, layer = 0): string {
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
  private encoded(text: string, at: Site, layer: number): string | null {
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
  private encodedParam(value: string, at: Site, layer: number): string | null {
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
  private renamed(keys: string[], at: Site, format = false): string[] | null {
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

  /** Every string in fields not handled by a specific rule (`_initiator`, `_error`, comments…). */
  private rest(obj: Record<string, unknown>, i: number, base: string, table: FieldTable): void {
    const keys = Object.keys(obj).filter((key) => table[key] === undefined);
    const shown = this.renamed(keys, site(i, 'other', base), true);
    keys.forEach((key, k) => {
      const name = shown?.[k] ?? key;
      const value = this.walk(obj[key], i, 'other', base ? `${base}${seg(name)}` : name, []);
      // HAR's own objects are changed in place (their holders keep them); a renamed field moves to the end.
      if (name !== key) delete obj[key];
      obj[name] = value;
    });
  }

  private walk(v: unknown, i: number, location: RedactionLocation, base: string, stack: (string | number)[]): unknown {
    if (typeof v === 'string') {
      if (v.length < 4) return v;
      const at = site(i, location, base, stack);
      return this.encoded(v, at, 0) ?? this.text.scrub(v, at);
    }
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) {
        stack.push(k);
        v[k] = this.walk(v[k], i, location, base, stack);
        stack.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const keys = Object.keys(obj);
      const shown = this.renamed(keys, site(i, location, base, stack), true);
      const out = shown ? (Object.create(null) as Record<string, unknown>) : obj;
      for (let k = 0; k < keys.length; k++) {
        stack.push(shown?.[k] ?? keys[k]!);
        out[shown?.[k] ?? keys[k]!] = this.walk(obj[keys[k]!], i, location, base, stack);
        stack.pop();
      }
      return out;
    }
    return v;
  }

  private learnBasic(token: string): void {
    const decoded = decodeBase64(token);
    const colon = decoded.indexOf(':');
    if (colon > 0) this.text.learn(decoded.slice(colon + 1));
  }
}

function decodeBase64(s: string): string {
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(s)) return '';
  return Buffer.from(s, 'base64').toString('utf8');
}
