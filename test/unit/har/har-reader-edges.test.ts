import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarError } from '../../../electron/core/har/har-errors.js';
import { validateHar } from '../../../electron/core/har/har-import.js';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { entry, har, harSchemaErrors, leaks } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

// Small limits make a few KiB "oversize", so the streamed-past path runs at every read size.
const SMALL = { maxStringBytes: 100 };

function write(content: string | Buffer): string {
  const file = path.join(tempDir(), 'edge.har');
  fs.writeFileSync(file, content);
  return file;
}

async function refusal(file: string, options: Parameters<typeof validateHar>[1] = {}): Promise<HarError> {
  const error = await validateHar(file, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HarError);
  return error as HarError;
}

/** A HAR whose first response body is `body` (raw bytes, already JSON-escaped), for byte-exact offsets. */
function withBody(body: Buffer): Buffer {
  const [head, tail] = JSON.stringify(har([entry({ response: { content: { size: 1, mimeType: 'text/plain', text: '@@' } } })])).split('@@') as [string, string];
  return Buffer.concat([Buffer.from(head), body, Buffer.from(tail)]);
}

describe('reader edge cases in located errors', () => {
  it('a broken entry never quotes a value that stands where a key should be', async () => {
    const secret = 'Bearer SecretValueInKeyPosition42';
    const text = JSON.stringify(har([entry({ request: { headers: [{ name: 'Authorization', value: secret }] } })])).replace(`"value":"${secret}"`, `"${secret}"`);
    const e = await refusal(write(text));
    expect(e.detail).toMatchObject({ kind: 'syntax', entry: 0, path: 'log.entries[0].request.headers[0].name' });
    expect(e.message).not.toContain('SecretValueInKeyPosition42');
  });

  it('two oversize strings in one entry: both replaced, the entry kept, at every read size', async () => {
    const doc = har([entry({ request: { headers: [{ name: 'X-A', value: 'A'.repeat(3000) }, { name: 'X-B', value: `${'B'.repeat(2000)}TailOfTheSecondString` }] } })]);
    const file = write(JSON.stringify(doc));
    for (const chunkBytes of [64, 1000, 1 << 20]) {
      const out = path.join(tempDir(), 'out.har');
      const { report } = await sanitizeHarFile(file, out, { ...SMALL, chunkBytes });
      expect(report.byRule.oversize, `read size ${chunkBytes}`).toBe(2);
      expect(leaks(out, ['TailOfTheSecondString', 'BBBBBBBB', 'AAAAAAAA'])).toEqual([]);
      expect(harSchemaErrors(JSON.parse(fs.readFileSync(out, 'utf8')))).toEqual([]);
    }
  });

  it('a syntax error after an oversize string names its byte in the file, not in what was kept', async () => {
    const text = JSON.stringify(har([entry({ response: { content: { size: 1, mimeType: 'text/plain', text: 'x'.repeat(5000) } } })])).replace('"text":', '"_bad":tru,"text":');
    // The error is where the broken literal starts.
    const badAt = Buffer.byteLength(text.slice(0, text.indexOf('tru,')));
    const swapped = text.replace('"_bad":tru,"text":"' + 'x'.repeat(5000) + '"', '"text":"' + 'x'.repeat(5000) + '","_bad":tru');
    const after = Buffer.byteLength(swapped.slice(0, swapped.indexOf(',"_bad":tru') + ',"_bad":'.length));
    for (const chunkBytes of [64, 4096, 1 << 20]) {
      expect((await refusal(write(text), { ...SMALL, chunkBytes })).detail.offset).toBe(badAt);
      expect((await refusal(write(swapped), { ...SMALL, chunkBytes })).detail.offset).toBe(after);
    }
  });

  it('invalid UTF-8 inside an oversize string: its first byte, however the reads split the character', async () => {
    const body = Buffer.concat([Buffer.alloc(2000, 0x61), Buffer.from([0xe2, 0x82, 0x41]), Buffer.alloc(300, 0x62)]);
    const file = write(withBody(body));
    const at = fs.readFileSync(file).indexOf(Buffer.from([0xe2, 0x82, 0x41]));
    // Read sizes that end a read after the first byte, after the second, and well before or after.
    for (const chunkBytes of [at + 1, at + 2, 64, 100, 137, 4096]) {
      const e = await refusal(file, { ...SMALL, chunkBytes });
      expect(e.detail, `read size ${chunkBytes}`).toMatchObject({ kind: 'encoding', entry: 0, offset: at });
    }
  });

  it('an oversize string that ends in the middle of a character is a located error, not a crash', async () => {
    const file = write(withBody(Buffer.concat([Buffer.alloc(2000, 0x61), Buffer.from([0xe2, 0x82])])));
    const at = fs.readFileSync(file).indexOf(Buffer.from([0xe2, 0x82]));
    for (const chunkBytes of [64, at + 1, 1 << 20]) {
      const dir = tempDir();
      const error = await sanitizeHarFile(file, path.join(dir, 'out.har'), { ...SMALL, chunkBytes }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HarError);
      expect((error as HarError).detail).toMatchObject({ kind: 'encoding', offset: at });
      expect(fs.readdirSync(dir)).toEqual([]);
    }
  });

  it('valid multi-byte text split across reads inside an oversize string passes', async () => {
    const body = Buffer.from('ä€😀'.repeat(400));
    const file = write(withBody(body));
    for (const chunkBytes of [61, 62, 63, 64, 4096]) {
      const summary = await validateHar(file, { ...SMALL, chunkBytes });
      expect(summary.entries).toBe(1);
    }
  });
});

describe('keys of the top levels', () => {
  it('invalid UTF-8 in a key of the root or of log is a located error, not silently replaced', async () => {
    const text = JSON.stringify(har([entry()], { _note: 1 }));
    const at = text.indexOf('_note') + 2;
    const bytes = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff]), Buffer.from(text.slice(at))]);
    expect((await refusal(write(bytes))).detail).toMatchObject({ kind: 'encoding', offset: at, path: 'log' });
  });
});
