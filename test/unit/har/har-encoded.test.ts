import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEncoded } from '../../../electron/core/har/encoded-text.js';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { entry, har, harSchemaErrors, leaks } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

// Bodies and values that are base64 (or base64url) of JSON, of a form body or of user:password:
// opaque to every text rule, so their secrets survived when the MIME type was text/plain or missing.

const P = {
  passphrase: 'Enc-Passphrase-7731!x',
  apiToken: 'enc_api_token_55aa41c9e0',
  formPassword: 'FormPw-Encoded-9902',
  basicPassword: 'UserPassEncoded-4410',
  nested: 'Nested-Client-Secret-0031',
  header: 'HeaderLoginPw-3321',
  query: 'QueryStatePw-8812',
  ws: 'WsFramePw-1209',
  octet: 'OctetBodyPw-6606',
  field: 'JsonFieldPw-7117',
  formField: 'FormFieldPw-5151',
};

const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64bare = (s: string) => b64(s).replace(/=+$/, '');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const b64urlPadded = (s: string) => b64url(s) + '='.repeat((4 - (b64url(s).length % 4)) % 4);

/** A body or value whose encoding must be kept: where it sits in the copy and how it was written. */
interface Planted {
  get: (clean: Clean) => string;
  encoded: string;
  alphabet: 'base64' | 'base64url';
  padded: boolean;
}

type Clean = {
  log: {
    entries: {
      request: { url: string; headers: { name: string; value: string }[]; queryString: { name: string; value: string }[]; postData?: { text?: string } };
      response: { content: { text?: string } };
      _webSocketMessages?: { data: string }[];
    }[];
  };
};

/** `make(filler)` with the shortest filler whose base64 needs padding: so that keeping or dropping it shows. */
function padded(make: (filler: string) => string): string {
  let filler = '';
  while (!b64(make(filler)).endsWith('=')) filler += 'x';
  return make(filler);
}

function corpus(): { doc: unknown; planted: Planted[] } {
  const login = JSON.stringify({ userName: 'admin', passphrase: P.passphrase });
  const inner = b64url(JSON.stringify({ client_secret: P.nested, scope: 'read' }));
  const bodies = {
    postPlain: b64(login),
    postNoMime: b64url(JSON.stringify({ user: 'ops', api_token: P.apiToken })),
    resPlain: b64(`user=admin&password=${P.formPassword}&lang=en`),
    resNoMime: b64bare(padded((f) => `admin${f}:${P.basicPassword}`)),
    nested: b64urlPadded(padded((f) => JSON.stringify({ kind: `wrapped${f}`, data: inner }))),
    header: b64(`operator:${P.header}`),
    query: b64url(JSON.stringify({ return: '/home', password: P.query })),
    ws: b64(JSON.stringify({ op: 'auth', secret: P.ws })),
    octet: b64(JSON.stringify({ password: P.octet })),
    field: b64(JSON.stringify({ pwd: P.field })),
    formField: b64(JSON.stringify({ token: P.formField })),
  };
  const doc = har([
    entry({
      request: { method: 'POST', url: 'https://esa.example/login', postData: { mimeType: 'text/plain', text: bodies.postPlain } },
      response: { content: { size: 1, mimeType: 'text/plain', text: bodies.resPlain } },
    }),
    entry({
      request: { method: 'POST', url: 'https://esa.example/api', postData: { text: bodies.postNoMime } },
      response: { content: { size: 1, text: bodies.resNoMime } },
    }),
    entry({
      request: {
        method: 'POST',
        url: `https://esa.example/cb?state=${bodies.query}&x=1`,
        queryString: [{ name: 'state', value: bodies.query }, { name: 'x', value: '1' }],
        headers: [{ name: 'X-Login', value: bodies.header }],
        postData: { mimeType: 'application/x-www-form-urlencoded', text: `blob=${encodeURIComponent(bodies.formField)}&n=2` },
      },
      response: { content: { size: 1, mimeType: 'application/json', text: JSON.stringify({ ok: true, blob: bodies.field }) } },
      _webSocketMessages: [{ type: 'send', time: 1, opcode: 1, data: bodies.ws }],
    }),
    entry({
      response: { content: { size: 1, mimeType: 'application/octet-stream', encoding: 'base64', text: bodies.octet } },
      request: { method: 'PUT', url: 'https://esa.example/nested', postData: { mimeType: 'text/plain;charset=UTF-8', text: bodies.nested } },
    }),
  ]);
  const e = (c: Clean, i: number) => c.log.entries[i]!;
  const planted: Planted[] = [
    { get: (c) => e(c, 0).request.postData!.text!, encoded: bodies.postPlain, alphabet: 'base64', padded: bodies.postPlain.endsWith('=') },
    { get: (c) => e(c, 0).response.content.text!, encoded: bodies.resPlain, alphabet: 'base64', padded: bodies.resPlain.endsWith('=') },
    { get: (c) => e(c, 1).request.postData!.text!, encoded: bodies.postNoMime, alphabet: 'base64url', padded: false },
    { get: (c) => e(c, 1).response.content.text!, encoded: bodies.resNoMime, alphabet: 'base64', padded: false },
    { get: (c) => e(c, 2).request.queryString[0]!.value, encoded: bodies.query, alphabet: 'base64url', padded: false },
    { get: (c) => e(c, 2).request.headers[0]!.value, encoded: bodies.header, alphabet: 'base64', padded: bodies.header.endsWith('=') },
    { get: (c) => e(c, 2)._webSocketMessages![0]!.data, encoded: bodies.ws, alphabet: 'base64', padded: bodies.ws.endsWith('=') },
    { get: (c) => (JSON.parse(e(c, 2).response.content.text!) as { blob: string }).blob, encoded: bodies.field, alphabet: 'base64', padded: bodies.field.endsWith('=') },
    { get: (c) => decodeURIComponent(/blob=([^&]*)/.exec(e(c, 2).request.postData!.text!)![1]!), encoded: bodies.formField, alphabet: 'base64', padded: bodies.formField.endsWith('=') },
    { get: (c) => e(c, 3).response.content.text!, encoded: bodies.octet, alphabet: 'base64', padded: bodies.octet.endsWith('=') },
    { get: (c) => e(c, 3).request.postData!.text!, encoded: bodies.nested, alphabet: 'base64url', padded: true },
  ];
  return { doc, planted };
}

/**
 * Every text in the copy, and every text inside it once decoded: strings of the HAR, percent-
 * decoded, base64/base64url-decoded (any UTF-8 result), JSON parsed, to any depth.
 */
function everyText(value: unknown, out: string[] = [], depth = 0): string[] {
  // Depth counts decodings, not JSON levels.
  if (depth > 8) return out;
  if (typeof value === 'string') {
    out.push(value);
    let unescaped = value;
    try {
      unescaped = decodeURIComponent(value);
    } catch {
      // Not percent-encoded.
    }
    for (const piece of new Set([value, unescaped, ...unescaped.split(/[?&=;\s]/)])) {
      if (piece.length >= 8 && /^[A-Za-z0-9+/_-]+=*$/.test(piece)) {
        const text = Buffer.from(piece, /[-_]/.test(piece) ? 'base64url' : 'base64').toString('utf8');
        if (text !== piece) everyText(text, out, depth + 1);
      }
      try {
        const doc = JSON.parse(piece) as unknown;
        if (doc !== null && typeof doc === 'object') everyText(doc, out, depth + 1);
      } catch {
        // Not JSON.
      }
    }
  } else if (Array.isArray(value)) {
    for (const v of value) everyText(v, out, depth);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      everyText(k, out, depth);
      everyText(v, out, depth);
    }
  }
  return out;
}

async function sanitize(doc: unknown) {
  const dir = tempDir();
  const input = path.join(dir, 'capture.har');
  fs.writeFileSync(input, JSON.stringify(doc));
  const output = path.join(dir, 'clean.har');
  const { report } = await sanitizeHarFile(input, output);
  const text = fs.readFileSync(output, 'utf8');
  return { input, output, report, text, clean: JSON.parse(text) as Clean };
}

describe('base64 of JSON, forms and user:password in bodies and values', () => {
  it('every planted value is gone in every form the scanner checks, decoded to any depth; the copy is HAR 1.2 and still decodes', async () => {
    const { doc, planted } = corpus();
    const { input, output, report, text, clean } = await sanitize(doc);
    const values = Object.values(P);
    // The planted values are not in the input's bytes as such (they are encoded): the decoding view finds them.
    const before = everyText(JSON.parse(fs.readFileSync(input, 'utf8')));
    for (const v of values) expect(before.some((t) => t.includes(v)), v).toBe(true);
    expect(leaks(output, values)).toEqual([]);
    const after = everyText(clean);
    for (const v of values) expect(after.filter((t) => t.includes(v)), v).toEqual([]);
    expect(harSchemaErrors(JSON.parse(text))).toEqual([]);
    for (const p of planted) {
      const now = p.get(clean);
      expect(now, p.encoded).not.toBe(p.encoded);
      const decoded = decodeEncoded(now);
      expect(decoded, now).not.toBeNull();
      // The same alphabet (no character of the other one) and the same padding as the original.
      expect(now).not.toMatch(p.alphabet === 'base64url' ? /[+/]/ : /[-_]/);
      expect(decoded!.encoding.padded, now).toBe(p.padded);
      // The placeholder is inside (one layer further for the nested one).
      expect(everyText(decoded!.text).some((t) => /\[REDACTED:[a-z-]+:[0-9a-f]{6}\]|%5BREDACTED%3A[a-z-]+%3A[0-9a-f]{6}%5D/.test(t)), now).toBe(true);
    }
    expect(report.byRule['encoded-body']).toBeGreaterThanOrEqual(planted.length + 1);
    const paths = report.paths.map((p) => p.path);
    expect(paths).toContain('log.entries[*].request.postData.text{base64}{json}.passphrase');
    expect(paths).toContain('log.entries[*].request.postData.text{base64}{json}.data{base64}{json}.client_secret');
    expect(paths.filter((p) => p.endsWith('.text') && report.paths.find((r) => r.path === p && r.rule === 'encoded-body'))).not.toEqual([]);
    expect(JSON.stringify(report)).not.toMatch(new RegExp(values.join('|')));
  });

  it('the structure inside survives: the same JSON keys, the form fields in order, the user name', async () => {
    const { doc } = corpus();
    const { clean } = await sanitize(doc);
    const login = JSON.parse(Buffer.from(clean.log.entries[0]!.request.postData!.text!, 'base64').toString()) as Record<string, string>;
    expect(Object.keys(login)).toEqual(['userName', 'passphrase']);
    expect(login.userName).toBe('admin');
    const form = Buffer.from(clean.log.entries[0]!.response.content.text!, 'base64').toString();
    expect(form).toMatch(/^user=admin&password=%5BREDACTED%3Aform%3A[0-9a-f]{6}%5D&lang=en$/);
    expect(Buffer.from(clean.log.entries[1]!.response.content.text!, 'base64').toString()).toMatch(/^adminx*:\[REDACTED:credential:[0-9a-f]{6}\]$/);
    // The password of user:password is learned: echoed elsewhere in the capture, it goes too.
    expect(clean.log.entries[1]!.request.url).toBe('https://esa.example/api');
  });

  it('binary, plain words, hex digests and ids are left as they are', async () => {
    const binary = randomBytes(300).toString('base64');
    const values = [binary, 'AuthorizationHeader', 'deadbeefcafebabe0123456789abcdef', 'dGhpcyBpcyBqdXN0IHRleHQ=', b64('{"status":"ok","count":3}')];
    const doc = har(values.map((v) => entry({ response: { content: { size: 1, mimeType: 'text/plain', text: v } }, request: { headers: [{ name: 'X-Trace', value: v }] } })));
    const { clean, report } = await sanitize(doc);
    values.forEach((v, i) => {
      expect(clean.log.entries[i]!.response.content.text).toBe(v);
      expect(clean.log.entries[i]!.request.headers[0]!.value).toBe(v);
    });
    expect(report.byRule['encoded-body']).toBe(0);
  });

  it('binary that holds a known secret loses it (the known-secret search), and stays binary otherwise', async () => {
    const secret = 'KnownInBinary-3390';
    const blob = Buffer.concat([randomBytes(40), Buffer.from(secret), randomBytes(40)]).toString('base64');
    const dir = tempDir();
    const input = path.join(dir, 'b.har');
    fs.writeFileSync(input, JSON.stringify(har([entry({ response: { content: { size: 1, mimeType: 'image/png', encoding: 'base64', text: blob } } })])));
    const output = path.join(dir, 'clean.har');
    const { report } = await sanitizeHarFile(input, output, { knownSecrets: [secret] });
    expect(leaks(output, [secret])).toEqual([]);
    expect(report.byRule.secret).toBeGreaterThanOrEqual(1);
    expect(report.byRule['encoded-body']).toBe(0);
  });

  it('layers are bounded: base64 nested four deep is cleaned three layers in and the rest left to the other rules', async () => {
    let v = JSON.stringify({ password: 'Deepest-Pw-1234' });
    for (let k = 0; k < 4; k++) v = b64(JSON.stringify({ wrap: v }));
    const { clean, report } = await sanitize(har([entry({ response: { content: { size: 1, mimeType: 'text/plain', text: v } } })]));
    expect(decodeEncoded(clean.log.entries[0]!.response.content.text!)).not.toBeNull();
    expect(report.byRule['encoded-body']).toBeLessThanOrEqual(3);
  });
});

describe('placeholders', () => {
  it('a secret-field value that merely starts like a placeholder is still a secret; a whole placeholder is kept', async () => {
    const doc = har([
      entry({
        response: { content: { size: 1, mimeType: 'application/json', text: JSON.stringify({ password: '[REDACTED:secret:abcdef] Hunter2-Tail', token: '[REDACTED:jwt:012345]', apiKey: '[REDACTED:x]' }) } },
        request: { method: 'POST', url: 'https://h.example/', postData: { mimeType: 'text/plain', text: 'password="[REDACTED:form:aaaaaa]Trail-Pw-77"' } },
      }),
    ]);
    const { clean, output } = await sanitize(doc);
    const body = JSON.parse(clean.log.entries[0]!.response.content.text!) as Record<string, string>;
    expect(body.password).toMatch(/^\[REDACTED:json-field:[0-9a-f]{6}\]$/);
    expect(body.token).toBe('[REDACTED:jwt:012345]');
    expect(body.apiKey).toMatch(/^\[REDACTED:json-field:[0-9a-f]{6}\]$/);
    expect(leaks(output, ['Hunter2-Tail', 'Trail-Pw-77'])).toEqual([]);
  });
});

describe('names that describe a secret without holding one', () => {
  it('token_type, token_endpoint and auth_method keep their values in JSON, form and text bodies; the token itself goes', async () => {
    const token = 'at-9f8e7d6c5b4a3921';
    const json = JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, token_endpoint: 'https://idp.example/token', auth_method: 'client_secret_basic' });
    const doc = har([
      entry({
        request: { method: 'POST', url: 'https://idp.example/token', postData: { mimeType: 'text/plain', text: `{'access_token': '${token}', 'token_type': 'bearer'}` } },
        response: { content: { size: 1, mimeType: 'application/json', text: json } },
      }),
      entry({ response: { content: { size: 1, mimeType: 'application/x-www-form-urlencoded', text: `access_token=${token}&token_type=bearer&expires_in=60` } } }),
    ]);
    const { clean, output } = await sanitize(doc);
    expect(leaks(output, [token])).toEqual([]);
    const body = JSON.parse(clean.log.entries[0]!.response.content.text!) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, token_endpoint: 'https://idp.example/token', auth_method: 'client_secret_basic' });
    expect(clean.log.entries[0]!.request.postData!.text).toMatch(/'token_type': 'bearer'/);
    expect(clean.log.entries[1]!.response.content.text).toMatch(/&token_type=bearer&expires_in=60$/);
  });
});
