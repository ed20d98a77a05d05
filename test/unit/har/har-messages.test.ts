import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogueText } from '../../../electron/core/errors.js';
import { HarError, syntaxErrorAt } from '../../../electron/core/har/har-errors.js';
import { validateHar } from '../../../electron/core/har/har-import.js';
import { tempDir } from '../../support/temp.js';

/** A refusal as each edge shows it: the English `message` and the German text from its key and params. */
async function refusal(content: string): Promise<{ en: string; de: string; error: HarError }> {
  const file = path.join(tempDir(), 'x.har');
  fs.writeFileSync(file, content);
  const error = (await validateHar(file).catch((e: unknown) => e)) as HarError;
  expect(error).toBeInstanceOf(HarError);
  return { en: error.message, de: catalogueText(error.key!, error.params, 'de') ?? '', error };
}

const entry = (fields: string) => `{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"entries":[{"startedDateTime":"2024-05-01T10:00:00.000Z",${fields}}]}}`;

describe('HAR refusals carry a key and parameters: every edge words them in its language', () => {
  it('a field of the wrong JSON type names the expected and the found type, in English and German', async () => {
    const r = await refusal(entry('"time":"12","request":{}'));
    expect(r.en).toMatch(/^x\.har: must be a number \(found string\) \(at log\.entries\[0\]\.time, entry 0, byte \d+\)$/);
    expect(r.de).toMatch(/^x\.har: Muss eine Zahl sein \(gefunden: Zeichenkette\) \(bei log\.entries\[0\]\.time, Eintrag 0, Byte \d+\)$/);
    // The types travel as catalogue keys, not as English words.
    expect(r.error.params).toMatchObject({ expected: 'errors.harType.number', found: 'errors.harType.foundString' });
  });

  it('a header that is no name/value object says what it found', async () => {
    const r = await refusal(entry('"time":1,"request":{"method":"GET","url":"https://a/","headers":[null]},"response":{}'));
    expect(r.en).toMatch(/^x\.har: must be an object with "name" and "value" \(found null\) \(at log\.entries\[0\]\.request\.headers\[0\]/);
    expect(r.de).toMatch(/^x\.har: Muss ein Objekt mit „name“ und „value“ sein \(gefunden: null\) \(bei log\.entries\[0\]\.request\.headers\[0\]/);
  });

  it('a syntax error between the values names the expected token and the byte found, in both languages', async () => {
    const r = await refusal('hello');
    expect(r.en).toBe('x.har: not valid JSON: expected "{" (a HAR file is a JSON object) but found "h" (at (root), byte 0)');
    expect(r.de).toBe('x.har: Kein gültiges JSON: Erwartet wurde „{“ (eine HAR-Datei ist ein JSON-Objekt), gefunden wurde „h“ (bei (root), Byte 0)');
    const colon = await refusal('{"log" 1}');
    expect(colon.en).toBe('x.har: not valid JSON: expected ":" but found "1" (at (root), byte 7)');
    expect(colon.de).toBe('x.har: Kein gültiges JSON: Erwartet wurde „:“, gefunden wurde „1“ (bei (root), Byte 7)');
  });

  it('a syntax error inside an entry is said in the house words, not V8’s (which are English and differ by version)', async () => {
    const cases: [string, RegExp, RegExp][] = [
      [entry('"time":12 "request":{}'), /not valid JSON: expected "," or "}" but found """ \(at log\.entries\[0\]\.time/, /Erwartet wurde „,“ oder „}“, gefunden wurde „"“/],
      [entry('"time":NaN'), /not valid JSON: expected a value but found "N" \(at log\.entries\[0\]\.time/, /Erwartet wurde ein Wert, gefunden wurde „N“/],
      [entry('"time":1,"x":"a\u0002b"'), /not valid JSON: a control character \(U\+0002\) inside a string must be escaped \(at log\.entries\[0\]\.x/, /Ein Steuerzeichen \(U\+0002\) in einer Zeichenkette muss maskiert werden/],
      [entry('"time":1,"x":"a\\qb"'), /not valid JSON: a bad escape sequence inside a string \(at log\.entries\[0\]\.x/, /Eine ungültige Escape-Sequenz in einer Zeichenkette/],
      [entry('"time":1,"x":"é"é'), /not valid JSON: expected "," or "}" but found the character U\+00E9/, /gefunden wurde das Zeichen U\+00E9/],
    ];
    for (const [content, en, de] of cases) {
      const r = await refusal(content);
      expect(r.en).toMatch(en);
      expect(r.de).toMatch(de);
      expect(r.en).not.toMatch(/Unexpected|token|position|JSON at/);
    }
  });

  it('a file that cannot be opened is said with the file name first, in both languages', async () => {
    const file = path.join(tempDir(), 'missing.har');
    const error = (await validateHar(file).catch((e: unknown) => e)) as HarError;
    expect(error.message).toBe('missing.har: cannot open the file (ENOENT)');
    expect(catalogueText(error.key!, error.params, 'de')).toBe('missing.har: Die Datei kann nicht geöffnet werden (ENOENT)');
  });
});

describe('syntaxErrorAt', () => {
  // Its words replace V8's, so it must find an error exactly where JSON.parse finds one.
  const parses = (text: string) => {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  };
  const mutated = fc
    .tuple(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v, null, 1)), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '\\', '\u0001', 'x', ' ', '{', '[', '-', '0', 'e'), fc.nat({ max: 3 }))
    .map(([text, at, insert, cut]) => {
      const i = text.length === 0 ? 0 : at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + cut);
    });

  it('agrees with JSON.parse on valid and broken JSON', () => {
    fc.assert(
      fc.property(mutated, (text) => {
        expect(syntaxErrorAt(text) === null).toBe(parses(text));
      }),
      { numRuns: 3000 },
    );
  });
});
