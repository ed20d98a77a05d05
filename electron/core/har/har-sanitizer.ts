import type { HarContent, HarEntry, HarNameValue, HarPostData } from './har-types.js';
import { oversizeOf } from './har-reader.js';
import { ReportBuilder, type RedactionLocation } from './har-report.js';
import {
  CONTENT_FIELDS,
  COOKIE_FIELDS,
  ENTRY_FIELDS,
  HEADER_FIELDS,
  PARAM_FIELDS,
  POST_DATA_FIELDS,
  REQUEST_FIELDS,
  RESPONSE_FIELDS,
  WEBSOCKET_MESSAGE_FIELDS,
  type FieldTable,
} from './har-fields.js';
import { MIN_ENCODED } from './encoded-text.js';
import { BodyRules, decodeBase64, PASSWORD_NAME } from './har-body.js';
import { urlPlaceholder } from './placeholder.js';
import { Pseudonyms } from './pseudonym.js';
import { foldName, isHarmlessCodeValue, isSecretHeader, isSecretName } from './secret-names.js';
import { seg, site } from './har-site.js';
import { decodeSafe, hostSafe, isLoginUrl, URL_USERINFO } from './har-url.js';
import { TextScrubber, type Site } from './text-scrubber.js';
import { deferredOf, type DeferredString } from './har-deferred.js';

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
/**
 * Sanitises HAR entries in place, one at a time: headers and cookies by name, URL userinfo, query
 * and form parameters and JSON fields whose names mean secrets, the AsyncOS login body, then every
 * remaining string through the text rules (JWTs, PEM keys, credentials, known secrets, keywords).
 * HTML/JS/CSS response bodies are dropped unless `keepBodies`. The output keeps HAR 1.2's shape.
 */
export class HarSanitizer {
  readonly report = new ReportBuilder();
  private readonly text: TextScrubber;
  private readonly bodies: BodyRules;
  private readonly keepBodies: boolean;

  constructor(options: SanitizeOptions = {}) {
    this.keepBodies = options.keepBodies ?? false;
    this.text = new TextScrubber(new Pseudonyms(options.key), this.report, options.knownSecrets ?? [], options.keywords ?? []);
    this.bodies = new BodyRules(this.text);
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

  /** The bodies the reader kept out of the entry being sanitised (see har-deferred.ts). */
  private deferred: DeferredString[] | undefined;

  /**
   * Sanitises one entry in place; `raw` (its JSON text as read) lets whole-entry checks skip work,
   * `deferred` are the bodies kept out of `raw`, which the entry holds as markers.
   */
  entry(e: HarEntry, i: number, raw?: string, deferred?: DeferredString[]): HarEntry {
    this.deferred = deferred;
    try {
      const clean = this.text.scoped(raw, () => this.entryRules(e, i));
      // A body the rules never read is still checked as JSON, as it would have been with its entry.
      for (const d of deferred ?? []) d.check();
      return clean;
    } finally {
      this.deferred = undefined;
    }
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
        if (typeof msg?.data === 'string') msg.data = this.bodies.body(msg.data, '', site(i, 'body', `_webSocketMessages[].data`), false);
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
          const clean = this.bodies.encodedParam(value, at, 0);
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
        h.value = this.bodies.encoded(h.value, at, 0) ?? this.text.scrub(h.value, at);
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
      p.value = this.bodies.encodedParam(value, at, 0) ?? this.text.scrub(value, at);
    }
  }

  private postData(post: HarPostData, i: number, login: boolean): void {
    for (const p of post.params ?? []) {
      this.pair(p, i, 'form', 'body', 'request.postData.params');
      this.rest(p, i, `request.postData.params[${p.name}]`, PARAM_FIELDS);
    }
    if (typeof post.text === 'string') post.text = this.bodies.body(post.text, post.mimeType ?? '', site(i, 'body', 'request.postData.text', undefined, 'form'), login);
    this.rest(post, i, 'request.postData', POST_DATA_FIELDS);
  }

  private content(content: HarContent, i: number, login: boolean): void {
    const text = content.text;
    const at = site(i, 'body', 'response.content.text', undefined, 'form');
    this.rest(content, i, 'response.content', CONTENT_FIELDS);
    if (typeof text !== 'string' || text === '') return;
    const mime = content.mimeType ?? '';
    const big = oversizeOf(text);
    const deferred = deferredOf(text, this.deferred);
    const drop = (rule: 'body-dropped' | 'oversize', why: string, value: string) => {
      // A deferred body is hashed from its bytes: the same tag as its string would get.
      if (deferred) this.text.replaceBytes(rule, deferred.utf8(), at, mime || 'unknown type');
      else this.text.replace(rule, value, at, mime || 'unknown type');
      delete content.text;
      delete content.encoding;
      content.comment = `Body removed by the sanitiser: ${why}.`;
    };
    if (big) return drop('oversize', `${big.bytes} bytes, too large to inspect`, big.digest);
    if (!this.keepBodies && DROPPED_TYPES.test(mime)) return drop('body-dropped', `${mime.split(';')[0]} bodies are dropped unless kept on purpose`, text);
    if (deferred) {
      const value = deferred.value();
      content.text = value;
      // The whole-entry pre-check did not see this body: its own text narrows the search.
      this.text.narrowed(value, () => this.keptBody(content, value, mime, at, login));
      return;
    }
    this.keptBody(content, text, mime, at, login);
  }

  /** A body that stays: binary (known secrets only, or encoded text), text, or base64 of text. */
  private keptBody(content: HarContent, text: string, mime: string, at: Site, login: boolean): void {
    const base64 = content.encoding === 'base64';
    if (base64 && !TEXT_TYPES.test(mime)) {
      // Binary stays as it is (but for known secrets), unless it is in fact encoded JSON, a form or user:password.
      content.text = this.bodies.encoded(text, at, 0) ?? this.text.scrubOpaque(text, at);
      return;
    }
    if (!base64) {
      const out = this.bodies.body(text, mime, at, login);
      if (out !== text) content.text = out;
      return;
    }
    // Decoded text was not part of the raw entry the known-secret check looked at.
    const plain = Buffer.from(text, 'base64').toString('utf8');
    const out = this.text.widened(() => this.bodies.body(plain, mime, at, login, 1));
    if (out !== plain) content.text = Buffer.from(out, 'utf8').toString('base64');
  }

  /** Every string in fields not handled by a specific rule (`_initiator`, `_error`, comments…). */
  private rest(obj: Record<string, unknown>, i: number, base: string, table: FieldTable): void {
    const keys = Object.keys(obj).filter((key) => table[key] === undefined);
    const shown = this.bodies.renamed(keys, site(i, 'other', base), true);
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
      return this.bodies.encoded(v, at, 0) ?? this.text.scrub(v, at);
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
      const shown = this.bodies.renamed(keys, site(i, location, base, stack), true);
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
