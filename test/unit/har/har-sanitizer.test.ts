import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HarSanitizer } from '../../../electron/core/har/har-sanitizer.js';
import type { HarEntry } from '../../../electron/core/har/har-types.js';
import fs from 'node:fs';
import path from 'node:path';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { entry, har } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const KEY = randomBytes(32);
const P = /\[REDACTED:([a-z-]+):([0-9a-f]{6})\]/;
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.dGVzdC1zaWduYXR1cmUtMTIz';

function clean(e: Record<string, unknown>, options: ConstructorParameters<typeof HarSanitizer>[0] = {}, index = 0): { e: HarEntry; s: HarSanitizer } {
  const s = new HarSanitizer({ key: KEY, ...options });
  return { e: s.entry(structuredClone(e) as HarEntry, index), s };
}

const header = (e: HarEntry, name: string, side: 'request' | 'response' = 'request') => e[side].headers.find((h) => h.name === name)!.value;

describe('sanitiser rules', () => {
  it('credentials headers keep their scheme; secret-named and shaped header values become placeholders', () => {
    const { e } = clean(
      entry({
        request: {
          headers: [
            { name: 'Authorization', value: `Bearer ${jwt}` },
            { name: 'Proxy-Authorization', value: 'Basic dXNlcjpwcm94eXB3' },
            { name: 'jwtToken', value: jwt },
            { name: 'X-CSRF-Token', value: 'csrf-123456' },
            { name: 'X-Amz-Security-Token', value: 'amz-abcdef' },
            { name: 'X-Trace', value: `prefix Bearer abc.DEF-123456 suffix` },
            { name: 'Accept', value: 'application/json' },
            { name: 'Access-Control-Allow-Credentials', value: 'true' },
          ],
        },
      }),
    );
    expect(header(e, 'Authorization')).toMatch(/^Bearer \[REDACTED:authorization:[0-9a-f]{6}\]$/);
    expect(header(e, 'Proxy-Authorization')).toMatch(/^Basic \[REDACTED:authorization:/);
    expect(header(e, 'jwtToken')).toMatch(/^\[REDACTED:header:/);
    expect(header(e, 'X-CSRF-Token')).toMatch(/^\[REDACTED:header:/);
    expect(header(e, 'X-Amz-Security-Token')).toMatch(/^\[REDACTED:header:/);
    expect(header(e, 'X-Trace')).toMatch(/^prefix Bearer \[REDACTED:credential:[0-9a-f]{6}\] suffix$/);
    expect(header(e, 'Accept')).toBe('application/json');
    expect(header(e, 'Access-Control-Allow-Credentials')).toBe('true');
    // The same JWT in two places gets the same tag.
    expect(P.exec(header(e, 'Authorization'))![2]).toBe(P.exec(header(e, 'jwtToken'))![2]);
  });

  it('prose after a scheme word is not a credential', () => {
    const { e } = clean(entry({ response: { statusText: 'Basic information missing', headers: [{ name: 'WWW-Authenticate', value: 'Basic realm="esa"' }] } }));
    expect(e.response.statusText).toBe('Basic information missing');
    expect(header(e, 'WWW-Authenticate', 'response')).toBe('Basic realm="esa"');
  });

  it('cookies: names and attributes stay, values become the same placeholder everywhere', () => {
    const { e } = clean(
      entry({
        request: { headers: [{ name: 'Cookie', value: 'sid=abc123456; theme=' }], cookies: [{ name: 'sid', value: 'abc123456' }] },
        response: { headers: [{ name: 'Set-Cookie', value: 'sid=abc123456; Path=/; Secure; HttpOnly\nlang=de; Path=/' }], cookies: [{ name: 'sid', value: 'abc123456', httpOnly: true }] },
      }),
    );
    const tag = e.request.cookies[0]!.value;
    expect(tag).toMatch(/^\[REDACTED:cookie:[0-9a-f]{6}\]$/);
    expect(header(e, 'Cookie')).toBe(`sid=${tag}; theme=`);
    expect(header(e, 'Set-Cookie', 'response')).toMatch(new RegExp(`^sid=${tag.replace(/[[\]]/g, '\\$&')}; Path=/; Secure; HttpOnly\\nlang=\\[REDACTED:cookie:[0-9a-f]{6}\\]; Path=/$`));
    expect(e.response.cookies[0]).toMatchObject({ value: tag, httpOnly: true });
  });

  it('URLs: userinfo, secret query and fragment parameters are replaced percent-encoded; queryString[] agrees', () => {
    const { e } = clean(
      entry({
        request: {
          url: 'https://bob:pa55word@host.example/cb?code=4%2F0AbCdEfGh&state=xyz&api_key=k-123#access_token=tok-987654',
          queryString: [
            { name: 'code', value: '4/0AbCdEfGh' },
            { name: 'state', value: 'xyz' },
            { name: 'api_key', value: 'k-123' },
          ],
        },
      }),
    );
    const url = decodeURIComponent(e.request.url);
    expect(e.request.url).not.toMatch(/pa55word|AbCdEfGh|k-123|tok-987654/);
    expect(url).toMatch(/^https:\/\/\[REDACTED:userinfo:[0-9a-f]{6}\]@host\.example\/cb\?code=\[REDACTED:query:([0-9a-f]{6})\]&state=xyz&api_key=\[REDACTED:query:[0-9a-f]{6}\]#access_token=\[REDACTED:query:[0-9a-f]{6}\]$/);
    const codeTag = /code=\[REDACTED:query:([0-9a-f]{6})\]/.exec(url)![1];
    expect(e.request.queryString[0]!.value).toBe(`[REDACTED:query:${codeTag}]`);
    expect(e.request.queryString[1]!.value).toBe('xyz');
  });

  it('JSON bodies: secret-named fields at any depth and in arrays, error codes kept, OAuth codes not', () => {
    const body = { user: 'alice', password: 'pw-123456', list: [{ deep: { client_secret: 'cs-1' } }, { refresh_token: 'rt-1' }], session: { id: 'x', expires: 5 }, error: { code: 'E4017', message: 'offline' }, code: 'SplxlOBeZQQYbYS6WxSbIA' };
    const { e } = clean(entry({ request: { method: 'POST', postData: { mimeType: 'application/json', text: JSON.stringify(body) } } }));
    const out = JSON.parse(e.request.postData!.text!) as typeof body;
    expect(out.user).toBe('alice');
    expect(out.password).toMatch(/^\[REDACTED:json-field:/);
    expect(out.list[0]!.deep!.client_secret).toMatch(/^\[REDACTED:json-field:/);
    expect(out.list[1]!.refresh_token).toMatch(/^\[REDACTED:json-field:/);
    expect(out.session.id).toMatch(/^\[REDACTED:json-field:/);
    expect(out.session.expires).toMatch(/^\[REDACTED:json-field:/);
    expect(out.error.code).toBe('E4017');
    expect(out.code).toMatch(/^\[REDACTED:json-field:/);
  });

  it('the AsyncOS login body: base64 userName and passphrase, and the JWT in its answer', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const { e, s } = clean(
      entry({
        request: { method: 'POST', url: 'https://esa.example:6443/esa/api/v2.0/login', postData: { mimeType: 'application/json', text: JSON.stringify({ data: { userName: b64('admin'), passphrase: b64('Appl1ancePass') } }) } },
        response: { content: { size: 1, mimeType: 'application/json', text: JSON.stringify({ data: { userName: 'admin', role: 'admin', jwtToken: jwt } }) } },
      }),
    );
    expect(e.request.postData!.text).not.toContain(b64('admin'));
    expect(e.response.content.text).not.toMatch(/"userName":"admin"|eyJ/);
    expect(JSON.parse(e.response.content.text!)).toMatchObject({ data: { role: 'admin' } });
    expect(s.report.byRule.login).toBe(4);
    // The decoded passphrase is learned: it is scrubbed where it shows up later.
    const later = s.entry(structuredClone(entry({ response: { statusText: 'echo Appl1ancePass' } })) as HarEntry, 1);
    expect(later.response.statusText).toMatch(/^echo \[REDACTED:secret:[0-9a-f]{6}\]$/);
  });

  it('forms: params[] and the body text, percent-encoded placeholders; multipart fields', () => {
    const { e } = clean(
      entry({
        request: {
          method: 'POST',
          postData: { mimeType: 'application/x-www-form-urlencoded', text: 'user=bob&password=s%21cret99&remember=1', params: [{ name: 'user', value: 'bob' }, { name: 'password', value: 's!cret99' }, { name: 'remember', value: '1' }] },
        },
      }),
    );
    expect(e.request.postData!.text).toMatch(/^user=bob&password=%5BREDACTED%3Aform%3A([0-9a-f]{6})%5D&remember=1$/);
    const tag = /%3Aform%3A([0-9a-f]{6})/.exec(e.request.postData!.text!)![1];
    expect(e.request.postData!.params![1]!.value).toBe(`[REDACTED:form:${tag}]`);
    const multipart = '--b\r\nContent-Disposition: form-data; name="passphrase"\r\n\r\nmp-secret-1\r\n--b\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--b--';
    const { e: m } = clean(entry({ request: { method: 'POST', postData: { mimeType: 'multipart/form-data; boundary=b', text: multipart } } }));
    expect(m.request.postData!.text).not.toContain('mp-secret-1');
    expect(m.request.postData!.text).toContain('hello');
  });

  it('JWTs and PEM private keys anywhere, unknown fields included', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIBVgIBADANBgkqhkiG9w0BAQEFAASCAUAwggE8\n-----END PRIVATE KEY-----';
    const { e } = clean(entry({ _custom: { note: `token=${jwt}`, list: [jwt] }, response: { content: { size: 1, mimeType: 'text/plain', text: `key:\n${pem}\nend` } } }));
    expect(JSON.stringify(e)).not.toMatch(/eyJ|MIIBVgIBADAN/);
    expect(e.response.content.text).toMatch(/^key:\n\[REDACTED:pem:[0-9a-f]{6}\]\nend$/);
    expect((e._custom as { list: string[] }).list[0]).toMatch(/^\[REDACTED:jwt:/);
  });

  it('HTML, JS and CSS response bodies are dropped by default; kept (and scrubbed) on request', () => {
    const html = entry({ response: { content: { size: 80, mimeType: 'text/html; charset=utf-8', text: '<input type="hidden" name="csrf_token" value="hidden-csrf-1"><p>hi</p>' } } });
    const dropped = clean(html);
    expect(dropped.e.response.content.text).toBeUndefined();
    expect(dropped.e.response.content.comment).toMatch(/text\/html bodies are dropped/);
    expect(dropped.s.report.byRule['body-dropped']).toBe(1);
    const kept = clean(html, { keepBodies: true });
    expect(kept.e.response.content.text).toMatch(/^<input type="hidden" name="csrf_token" value="\[REDACTED:form:[0-9a-f]{6}\]"><p>hi<\/p>$/);
    const js = clean(entry({ response: { content: { size: 1, mimeType: 'application/javascript', text: "var cfg = { apiToken: 'js-tok-1', title: 'x' };" } } }), { keepBodies: true });
    expect(js.e.response.content.text).toMatch(/apiToken: '\[REDACTED:json-field:[0-9a-f]{6}\]', title: 'x'/);
  });

  it('known secrets in raw, base64, URL- and JSON-escaped forms, and inside longer base64; keywords case-insensitively', () => {
    const secret = 'Vault"Pw/42+x';
    const basic = Buffer.from(`someone:${secret}`).toString('base64');
    const e0 = entry({
      request: { url: `https://h.example/p?x=${encodeURIComponent(secret)}`, headers: [{ name: 'X-Echo', value: Buffer.from(secret).toString('base64') }, { name: 'X-Blob', value: basic }] },
      response: { content: { size: 1, mimeType: 'application/json', text: JSON.stringify({ note: secret, host: 'ESA01.Corp.Example' }) } },
    });
    const { e, s } = clean(e0, { knownSecrets: [secret], keywords: ['esa01.corp.example'] });
    const text = JSON.stringify(e);
    for (const form of [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) expect(text).not.toContain(form);
    // base64 of user:password is cleaned inside and stays base64 (see har-encoded.test.ts).
    expect(Buffer.from(header(e, 'X-Blob')!, 'base64').toString()).toMatch(/^someone:\[REDACTED:credential:[0-9a-f]{6}\]$/);
    expect(text).not.toMatch(/esa01\.corp\.example/i);
    expect(s.report.byRule.secret).toBeGreaterThanOrEqual(3);
    expect(s.report.byRule['encoded-body']).toBe(1);
    expect(s.report.byRule.keyword).toBe(1);
  });

  it('the whole-entry pre-check of the file pipeline finds known secrets in nested JSON bodies and base64 bodies too', async () => {
    const secret = 'Vault"Pw\\42+x';
    const body = JSON.stringify({ note: `said ${secret}` });
    const doc = har([
      entry({ request: { method: 'POST', postData: { mimeType: 'application/json', text: body } } }),
      entry({ response: { content: { size: 1, mimeType: 'application/json', encoding: 'base64', text: Buffer.from(body).toString('base64') } } }),
      entry(),
    ]);
    const dir = tempDir();
    const input = path.join(dir, 'in.har');
    fs.writeFileSync(input, JSON.stringify(doc));
    const out = path.join(dir, 'out.har');
    const { report } = await sanitizeHarFile(input, out, { knownSecrets: [secret] });
    expect(report.byRule.secret).toBe(2);
    const clean = JSON.parse(fs.readFileSync(out, 'utf8')) as { log: { entries: { request: { postData?: { text: string } }; response: { content: { text: string } } }[] } };
    expect(JSON.parse(clean.log.entries[0]!.request.postData!.text)).toEqual({ note: expect.stringMatching(/^said \[REDACTED:secret:[0-9a-f]{6}\]$/) });
    expect(Buffer.from(clean.log.entries[1]!.response.content.text, 'base64').toString()).not.toContain('Vault');
  });

  it('a keyword in a host name becomes a DNS-safe .invalid label, elsewhere in the URL it stays an encoded placeholder', () => {
    const { e } = clean(entry({ request: { url: 'https://api.esa-internal.corp.example:8443/login?next=https://esa-internal.corp.example/x' } }), { keywords: ['esa-internal.corp.example'] });
    const url = e.request.url;
    expect(url).toMatch(/^https:\/\/api\.redacted-keyword-([0-9a-f]{6})\.invalid:8443\/login\?next=[^#]*%5BREDACTED%3Akeyword%3A\1%5D/);
    expect(url).not.toContain('esa-internal');
    expect(new URL(url).hostname).toMatch(/^api\.redacted-keyword-[0-9a-f]{6}\.invalid$/);
  });

  it('a keyword never cuts into an earlier placeholder', () => {
    const { e } = clean(entry({ request: { headers: [{ name: 'Cookie', value: 'a=cookievalue1' }] } }), { keywords: ['REDACTED', 'cookie'] });
    // The keyword "cookie" takes the header's name too (keywords go wherever they appear); the header is still read as Cookie.
    expect(e.request.headers[0]!.value).toMatch(/^a=\[REDACTED:cookie:[0-9a-f]{6}\]$/);
  });

  it('pseudonyms are keyed: same value, same key → same tag; another key → another tag', () => {
    const e0 = entry({ request: { headers: [{ name: 'jwtToken', value: jwt }] } });
    const a = header(clean(e0).e, 'jwtToken');
    const b = header(clean(e0).e, 'jwtToken');
    const c = header(new HarSanitizer({ key: randomBytes(32) }).entry(structuredClone(e0) as HarEntry, 0), 'jwtToken');
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('the report counts per rule and location, names paths and fingerprints, never values', () => {
    const { s, e } = clean(
      entry({
        request: { url: 'https://h.example/?token=qv-555', queryString: [{ name: 'token', value: 'qv-555' }], headers: [{ name: 'Authorization', value: 'Bearer ab-cd-ef-12' }], cookies: [{ name: 'sid', value: 'cv-777' }] },
      }),
      {},
      7,
    );
    const report = s.report.build({ input: { name: 'x.har', bytes: 1, entries: 8, pages: 0, creator: null }, output: null, options: { keepBodies: false, knownSecrets: 0, keywords: 0 }, repairs: [], repairCount: 0 });
    expect(report.byRule).toMatchObject({ authorization: 1, cookie: 1, query: 2 });
    expect(report.byLocation).toMatchObject({ header: 1, cookie: 1, query: 2 });
    expect(report.totals).toMatchObject({ redactions: 4, entriesTouched: 1 });
    const auth = report.paths.find((p) => p.rule === 'authorization')!;
    expect(auth).toMatchObject({ path: 'log.entries[*].request.headers[authorization].value', location: 'header', count: 1, entries: [7] });
    expect(header(e, 'Authorization')).toBe(`Bearer [REDACTED:authorization:${auth.fingerprints[0]}]`);
    expect(report.examples).toContainEqual({ rule: 'cookie', name: 'sid', placeholder: e.request.cookies[0]!.value });
    expect(JSON.stringify(report)).not.toMatch(/qv-555|ab-cd-ef-12|cv-777/);
  });

  it('the report lists its paths most frequent first, then by path, however it is read (sorted on first read)', () => {
    const build = () => {
      const s = new HarSanitizer({ key: KEY });
      for (let i = 0; i < 3; i++) {
        const cookies = [{ name: 'zeta', value: `z-${i}-secret` }, ...(i === 0 ? [{ name: 'Alpha', value: 'a-secret-1' }, { name: 'beta', value: 'b-secret-1' }] : [])];
        s.entry(structuredClone(entry({ request: { headers: [{ name: 'Authorization', value: `Bearer tok-${i}-abcdef` }], cookies } })) as HarEntry, i);
      }
      return s.report.build({ input: { name: 'x.har', bytes: 1, entries: 3, pages: 0, creator: null }, output: null, options: { keepBodies: false, knownSecrets: 0, keywords: 0 }, repairs: [], repairCount: 0 });
    };
    const order = (paths: { path: string; count: number }[]) => paths.map((p) => `${p.count} ${p.path}`);
    const expected = ['3 log.entries[*].request.cookies[zeta].value', '3 log.entries[*].request.headers[authorization].value', '1 log.entries[*].request.cookies[Alpha].value', '1 log.entries[*].request.cookies[beta].value'];
    expect(order(build().paths)).toEqual(expected);
    // JSON (the --report file, the web host) and a structured clone (Electron IPC) see the same list, in its place among the keys.
    const json = JSON.parse(JSON.stringify(build()));
    expect(Object.keys(json)).toEqual(['format', 'version', 'input', 'output', 'options', 'totals', 'byRule', 'byLocation', 'paths', 'examples', 'repairs', 'notes']);
    expect(order(json.paths)).toEqual(expected);
    expect(order(structuredClone(build()).paths)).toEqual(expected);
    const report = build();
    expect(report.paths).toBe(report.paths);
    report.paths = [];
    expect(report.paths).toEqual([]);
  });
});
