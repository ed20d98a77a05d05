import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeferredString } from '../../../electron/core/har/har-deferred.js';
import { HarError } from '../../../electron/core/har/har-errors.js';
import { DEFER_MIN_BYTES, HarScanner } from '../../../electron/core/har/har-scanner.js';
import { sanitizeHarTo } from '../../../electron/core/har/har-sanitize-stream.js';
import { Pseudonyms } from '../../../electron/core/har/pseudonym.js';
import { entry, har, leaks } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

// The sanitiser keeps response bodies out of their entries' JSON text (har-deferred.ts): a dropped
// one is hashed from its bytes, a kept one parsed on its own. These tests hold it to the result of
// parsing the whole entry: the same value, the same tag, the same output and report byte for byte,
// the same error at the same offset, whatever the read size.

class Refused extends Error {
  constructor(
    readonly pos: number,
    readonly key: string,
  ) {
    super(`${key} at ${pos}`);
  }
}

function deferred(json: string): DeferredString {
  const raw = Buffer.from(json.slice(1, -1), 'utf8');
  return new DeferredString(raw, raw.every((b) => b < 0x80), (pos, key) => {
    throw new Refused(pos, key);
  });
}

/** Any UTF-16 text, lone surrogates and control characters included. */
const anyText = fc.string({ unit: fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('"', '\\', '/', '\n', 'é', '😀', 'a')), maxLength: 60 });

/** JSON text of `s` with some characters written as `\uXXXX` (either case) and `/` as `\/`, as other exporters do. */
function escapedOtherwise(s: string, seed: number): string {
  let out = '"';
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    const pick = (seed + k * 7) % 5;
    if (s[k] === '/' && pick < 2) out += '\\/';
    else if (pick === 0 || c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) {
      const hex = c.toString(16).padStart(4, '0');
      out += `\\u${pick === 1 ? hex.toUpperCase() : hex}`;
    } else out += s[k];
  }
  return `${out}"`;
}

describe('DeferredString', () => {
  it('gives the value JSON.parse gives, and its UTF-8 bytes as Node encodes the string (lone surrogates as U+FFFD), however it is escaped', () => {
    const key = Buffer.alloc(32, 9);
    fc.assert(
      fc.property(anyText, fc.nat(), (s, seed) => {
        for (const json of [JSON.stringify(s), escapedOtherwise(s, seed)]) {
          expect(JSON.parse(json)).toBe(s);
          expect(deferred(json).value()).toBe(s);
          const utf8 = deferred(json).utf8();
          expect(utf8.equals(Buffer.from(s, 'utf8'))).toBe(true);
          // The tag of a dropped body is the same whether it was hashed from bytes or from its string.
          expect(new Pseudonyms(key).fingerprintBytes(utf8)).toBe(new Pseudonyms(key).fingerprint(s));
        }
      }),
      { numRuns: 600, seed: 20261204 },
    );
  });

  it('refuses a control character and each kind of bad escape at the byte JSON.parse stops at', () => {
    const cases: [string, number, string][] = [
      ['"ab\ncd"', 2, 'errors.harFile.controlChar'],
      ['"ab\\x"', 2, 'errors.harFile.badEscape'],
      ['"ab\\u12g4"', 2, 'errors.harFile.badEscape'],
      ['"é\\u12"', 2, 'errors.harFile.badEscape'],
      ['"ab\\"', 2, 'errors.harFile.badEscape'],
    ];
    for (const [json, pos, key] of cases) {
      expect(() => JSON.parse(json), json).toThrow();
      for (const read of [(d: DeferredString) => d.utf8(), (d: DeferredString) => d.value(), (d: DeferredString) => d.check()]) {
        let refused: unknown;
        try {
          read(deferred(json));
        } catch (error) {
          refused = error;
        }
        expect(refused, json).toBeInstanceOf(Refused);
        expect((refused as Refused).key, json).toBe(key);
        expect((refused as Refused).pos, json).toBe(pos);
      }
    }
  });
});

const SECRET = 'Deferred-Secret-7731';
const KEYWORD = 'esa77.corp.example';
const MIMES = ['text/html; charset=utf-8', 'application/javascript', 'text/css', 'application/json', 'image/png', 'text/plain', ''];
const words = fc.constantFrom('var x = 1;', '\n', '"quoted"', 'é', '😀', '\u2028', '\\', 'token=abc123def', SECRET, KEYWORD.toUpperCase(), 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', ' ', '{"password":"hunter2!x"}');
/** A body around DEFER_MIN_BYTES: some stay in their entry, most are deferred. */
const bodyText = fc.array(words, { minLength: 1, maxLength: 400, size: 'max' }).map((w) => w.join(''));
const body = fc.record({ mime: fc.constantFrom(...MIMES), text: bodyText, base64: fc.boolean() });

function capture(bodies: { mime: string; text: string; base64: boolean }[]): Buffer {
  const entries = bodies.map((b, k) =>
    entry({
      request: { url: `https://esa77.corp.example/api/${k}` },
      response: {
        content: { size: b.text.length, mimeType: b.mime, text: b.base64 ? Buffer.from(b.text).toString('base64') : b.text, ...(b.base64 ? { encoding: 'base64' } : {}) },
        // A key named like the body's, beside it: only response.content.text is deferred.
        _text: b.text.slice(0, 40),
      },
    }),
  );
  return Buffer.from(JSON.stringify(har(entries), null, 1), 'utf8');
}

async function sanitized(file: string, out: string, deferBodies: boolean, chunkBytes: number, maxStringBytes?: number, keepBodies = false) {
  const parts: Buffer[] = [];
  try {
    const { report } = await sanitizeHarTo(
      file,
      async (data) => {
        parts.push(Buffer.from(data));
      },
      { key: Buffer.alloc(32, 3), knownSecrets: [SECRET], keywords: [KEYWORD], keepBodies, deferBodies, chunkBytes, ...(maxStringBytes ? { maxStringBytes } : {}) },
    );
    fs.writeFileSync(out, Buffer.concat(parts));
    return { output: Buffer.concat(parts).toString('utf8'), report: JSON.stringify(report) };
  } catch (error) {
    if (!(error instanceof HarError)) throw error;
    return { error: { key: error.detail.key, kind: error.detail.kind, offset: error.detail.offset, path: error.detail.path, entry: error.detail.entry, message: error.message } };
  }
}

describe('sanitising with deferred bodies', () => {
  it('writes the same output and report as parsing each whole entry, for random bodies, read sizes and string limits', async () => {
    const dir = tempDir();
    let deferredSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(body, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 9000 }), fc.constantFrom(undefined, 3000), fc.boolean(), async (bodies, chunk, maxString, keep) => {
        const bytes = capture(bodies);
        const file = path.join(dir, 'in.har');
        fs.writeFileSync(file, bytes);
        const whole = await sanitized(file, path.join(dir, 'whole.har'), false, 1 << 20, maxString, keep);
        const split = await sanitized(file, path.join(dir, 'split.har'), true, chunk, maxString, keep);
        expect(split).toEqual(whole);
        expect(leaks(path.join(dir, 'split.har'), [SECRET])).toEqual([]);
        deferredSeen += bodies.filter((b) => Buffer.byteLength(JSON.stringify(b.base64 ? Buffer.from(b.text).toString('base64') : b.text)) - 2 >= DEFER_MIN_BYTES).length;
      }),
      { numRuns: 120, seed: 20261205 },
    );
    // The property is about deferred bodies: make sure it saw many.
    expect(deferredSeen).toBeGreaterThan(100);
  }, 120_000);

  it('a body broken in any of four ways is refused with the same message, offset and path as when its entry is parsed whole', async () => {
    const dir = tempDir();
    const text = `${'x'.repeat(3000)}MARK${'y'.repeat(3000)}`;
    const good = capture([{ mime: 'application/javascript', text, base64: false }]);
    const at = good.indexOf('MARK');
    const breaks: Buffer[] = [Buffer.from('\\q  '), Buffer.from('\\u1x  '), Buffer.from([0x01, 0x41, 0x41, 0x41]), Buffer.from([0xc3, 0x28, 0x41, 0x41])];
    for (const [n, broken] of breaks.entries()) {
      const bytes = Buffer.concat([good.subarray(0, at), broken, good.subarray(at + 4)]);
      const file = path.join(dir, `broken-${n}.har`);
      fs.writeFileSync(file, bytes);
      const whole = await sanitized(file, path.join(dir, 'w.har'), false, 1 << 20);
      expect(whole.error, `break ${n}`).toBeDefined();
      expect(whole.error!.offset, `break ${n}`).toBe(at);
      for (const chunk of [7, 4096, 1 << 20]) {
        const split = await sanitized(file, path.join(dir, 's.har'), true, chunk);
        expect(split, `break ${n}, chunk ${chunk}`).toEqual(whole);
      }
    }
  });

  it('a kept body holding the known secret and the keyword, which nothing else in its entry holds, loses both', async () => {
    const dir = tempDir();
    const kept = entry({ response: { content: { size: 1, mimeType: 'text/plain', text: `${'a'.repeat(3000)} ${SECRET} at ${KEYWORD.toUpperCase()} ${'b'.repeat(100)}` } } });
    const file = path.join(dir, 'in.har');
    fs.writeFileSync(file, JSON.stringify(har([kept])));
    const out = path.join(dir, 'out.har');
    const result = await sanitized(file, out, true, 1 << 20);
    expect(leaks(out, [SECRET])).toEqual([]);
    expect(result.output).not.toMatch(/esa77/i);
    expect(result.output).toMatch(/a \[REDACTED:secret:[0-9a-f]{6}\] at \[REDACTED:keyword:[0-9a-f]{6}\] b/);
  });

  it('a kept body that echoes a password learned earlier in the capture loses it, though the entry around it does not hold it', async () => {
    const dir = tempDir();
    const password = 'Learned-Pass-9931';
    const login = entry({
      request: { method: 'POST', url: 'https://esa77.corp.example/login', postData: { mimeType: 'application/json', text: JSON.stringify({ password }) } },
    });
    const echo = entry({ response: { content: { size: 5000, mimeType: 'text/plain', text: `${'z'.repeat(4000)} your password was ${password} ${'z'.repeat(1000)}` } } });
    const file = path.join(dir, 'in.har');
    fs.writeFileSync(file, JSON.stringify(har([login, echo])));
    const out = path.join(dir, 'out.har');
    const result = await sanitized(file, out, true, 1 << 20);
    expect(result.output).toBeDefined();
    expect(leaks(out, [password])).toEqual([]);
    expect(result.output).toContain('your password was [REDACTED:secret:');
  });
});

describe('HarScanner with deferBodies', () => {
  it('keeps only response.content.text out of the entry, as a marker, and hands its bytes to the visitor', () => {
    const text = `${'ab"\\/é'.repeat(300)}`;
    const bytes = Buffer.from(JSON.stringify(har([entry({ response: { content: { size: 1, mimeType: 'text/html', text } }, request: { postData: { mimeType: 'text/plain', text } } })])));
    const seen: { value: unknown; raw: string; deferred: string[] | undefined }[] = [];
    // A deferred string's bytes are valid during the visit only: read them there.
    const scanner = new HarScanner('t.har', { entry: (value, _i, _o, raw, d) => seen.push({ value, raw, deferred: d?.map((x) => x.value()) }) }, { deferBodies: true });
    // Fed in pieces that cut the body but none of the keys before it (a key cut by a read only costs
    // the deferral: the property test above shows the output the same either way).
    const start = bytes.indexOf('"text":"ab', bytes.indexOf('"content"')) + 8;
    expect(start).toBeGreaterThan(100);
    for (const [from, to] of [[0, start + 10], [start + 10, start + 900], [start + 900, bytes.length]] as const) scanner.feed(bytes.subarray(from, to));
    scanner.end();
    const [one] = seen;
    const value = one!.value as { request: { postData: { text: string } }; response: { content: { text: string } } };
    expect(value.request.postData.text).toBe(text);
    expect(value.response.content.text).toBe('xet-deferred:0');
    // The request body's copy stays in the entry's text; the response body's does not.
    expect(one!.raw.split('ab\\"').length - 1).toBe(300);
    expect(one!.deferred).toHaveLength(1);
    expect(one!.deferred).toEqual([text]);
  });
});
