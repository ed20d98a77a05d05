import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarError } from '../../../electron/core/har/har-errors.js';
import { importHar, validateHar } from '../../../electron/core/har/har-import.js';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { entry, har, harSchemaErrors } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/har');

function write(name: string, content: string | Buffer): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, content);
  return file;
}

async function harError(file: string): Promise<HarError> {
  const error = await validateHar(file).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HarError);
  return error as HarError;
}

/** Sanitising a bad file throws and leaves nothing behind: no output, no temp file. */
async function refusedWithoutTrace(file: string): Promise<HarError> {
  const dir = tempDir();
  const out = path.join(dir, 'out.har');
  const error = await sanitizeHarFile(file, out).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HarError);
  expect(fs.readdirSync(dir)).toEqual([]);
  return error as HarError;
}

describe('streaming reader', () => {
  it('yields the same entries and fields whatever the read size, split BOM and escapes included', async () => {
    const text = `\uFEFF${fs.readFileSync(path.join(FIXTURES, 'chrome-export.har'), 'utf8')}`;
    const file = write('bom.har', text);
    const expected = JSON.parse(text.slice(1)) as { log: { entries: unknown[] } };
    for (const chunkBytes of [1, 2, 3, 5, 64, 4096, 1 << 20]) {
      const entries: unknown[] = [];
      const fields: string[] = [];
      const summary = await importHar(file, { entry: (e) => entries.push(e), logField: (k) => fields.push(k) }, { chunkBytes, repair: false });
      expect(entries).toEqual(expected.log.entries);
      expect(fields).toEqual(['version', 'creator', 'pages']);
      expect(summary.bom).toBe(true);
      expect(summary.entries).toBe(5);
    }
  });

  it('keeps creator, browser, pages, unknown log and root fields, in their order, through sanitising', async () => {
    const doc = { _exportedBy: 'tool', log: { _custom: { keep: [1, 'two'] }, version: '1.2', creator: { name: 'c', version: '1' }, browser: { name: 'Firefox', version: '126' }, pages: [], entries: [entry()], comment: 'after entries' }, _trailer: true };
    const file = write('fields.har', JSON.stringify(doc, null, 2));
    const out = path.join(tempDir(), 'out.har');
    await sanitizeHarFile(file, out);
    const text = fs.readFileSync(out, 'utf8');
    expect(JSON.parse(text)).toEqual(doc);
    expect(Object.keys(JSON.parse(text).log as object)).toEqual(['_custom', 'version', 'creator', 'browser', 'pages', 'entries', 'comment']);
  });

  it('nesting within the limit (900 levels in an unknown field) passes through unchanged', async () => {
    const deep = JSON.parse(`${'['.repeat(900)}"x"${']'.repeat(900)}`) as unknown;
    const doc = har([entry({ _deep: deep })]);
    const out = path.join(tempDir(), 'out.har');
    await sanitizeHarFile(write('deep-ok.har', JSON.stringify(doc)), out);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(doc);
  });

  it('reports progress up to the file size, and a cancelled run leaves no file', async () => {
    const file = path.join(FIXTURES, 'chrome-export.har');
    const seen: number[] = [];
    await validateHar(file, { chunkBytes: 1024, onProgress: (read, total) => seen.push(read / total) });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toBe(1);
    const dir = tempDir();
    const controller = new AbortController();
    controller.abort();
    await expect(sanitizeHarFile(file, path.join(dir, 'out.har'), { signal: controller.signal })).rejects.toThrow(/abort/i);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('accepts 0 entries and writes a valid HAR', async () => {
    const file = write('zero.har', JSON.stringify(har([])));
    const out = path.join(tempDir(), 'out.har');
    const { summary } = await sanitizeHarFile(file, out);
    expect(summary.entries).toBe(0);
    expect(harSchemaErrors(JSON.parse(fs.readFileSync(out, 'utf8')))).toEqual([]);
  });

  it('fills HAR 1.2 fields that exporters leave out, lists them, and the copy validates', async () => {
    const e = entry();
    delete e.cache;
    delete (e.request as Record<string, unknown>).httpVersion;
    const file = write('lenient.har', JSON.stringify({ log: { entries: [e] } }));
    const summary = await validateHar(file);
    expect(summary.repairs).toEqual(expect.arrayContaining(['log.entries[0].request.httpVersion: missing; set to a neutral value', 'log.entries[0].cache: missing; set to a neutral value', 'log.version: missing; set to a neutral value']));
    const out = path.join(tempDir(), 'out.har');
    await sanitizeHarFile(file, out);
    expect(harSchemaErrors(JSON.parse(fs.readFileSync(out, 'utf8')))).toEqual([]);
  });
});

describe('hostile and broken inputs: a clear error naming file, entry, path and byte, and no file written', () => {
  const good = JSON.stringify(har([entry(), entry(), entry(), entry({ request: { method: 'POST' } })]), null, 2);

  it('an empty file, and one with only white space', async () => {
    expect((await refusedWithoutTrace(write('empty.har', ''))).message).toBe('empty.har: the file is empty (0 bytes)');
    expect((await harError(write('blank.har', ' \n\t\n'))).detail.kind).toBe('empty');
  });

  it('a ZIP archive renamed to .har, a gzip file and random binary', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), Buffer.alloc(24), Buffer.from('capture.har'), Buffer.from(good)]);
    const e = await refusedWithoutTrace(write('capture.har', zip));
    expect(e.message).toMatch(/^capture\.har: this is a ZIP archive, not a HAR file/);
    expect(e.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await harError(write('g.har', Buffer.from([0x1f, 0x8b, 8, 0, 0])))).message).toMatch(/gzip/);
    expect((await harError(write('bin.har', Buffer.from([0x00, 0x01, 0x02, 0xff])))).message).toMatch(/binary file/);
  });

  it('text that is not JSON, and JSON that is not a HAR', async () => {
    expect((await harError(write('t.har', 'hello world'))).message).toBe('t.har: not valid JSON: expected "{" (a HAR file is a JSON object) but found "h" (at (root), byte 0)');
    expect((await harError(write('a.har', '[1,2]'))).message).toMatch(/top level is an array/);
    expect((await harError(write('n.har', '{"foo": 1}'))).message).toBe('n.har: not a HAR: the top-level object has no "log" (at log)');
    expect((await harError(write('e.har', '{"log": {"version": "1.2", "entries": {}}}'))).message).toMatch(/"log.entries" must be an array \(at log\.entries, byte 38\)/);
  });

  it('a file truncated anywhere: inside an entry, between entries, before the end', async () => {
    const secondEntry = good.indexOf('"startedDateTime"', good.indexOf('"startedDateTime"') + 1);
    const cut = await refusedWithoutTrace(write('cut.har', good.slice(0, secondEntry + 40)));
    expect(cut.message).toBe(`cut.har: truncated: the file ends in the middle of entry 1 (at log.entries[1], entry 1, byte ${secondEntry + 40})`);
    for (const at of [good.length - 1, good.length - 3, 20, good.indexOf('"entries"') + 12]) {
      expect((await harError(write('cut.har', good.slice(0, at)))).detail.kind).toBe('truncated');
    }
  });

  it('a missing required field names its path, the entry and the byte where that entry starts', async () => {
    const doc = JSON.parse(good) as { log: { entries: { request: Record<string, unknown> }[] } };
    delete doc.log.entries[3]!.request.headers;
    const text = JSON.stringify(doc, null, 2);
    const starts = [...text.matchAll(/\n {6}\{/g)].map((m) => m.index + 7);
    const e = await refusedWithoutTrace(write('missing.har', text));
    expect(e.message).toBe(`missing.har: missing required field "headers" (at log.entries[3].request.headers, entry 3, byte ${starts[3]})`);
    expect(e.detail).toMatchObject({ entry: 3, path: 'log.entries[3].request.headers', offset: starts[3], kind: 'missing' });
  });

  it('wrong types name the field and what was found', async () => {
    const text = good.replace('"time": 12.5', '"time": "12.5"');
    expect((await harError(write('type.har', text))).message).toMatch(/^type\.har: must be a number \(found string\) \(at log\.entries\[0\]\.time, entry 0, byte \d+\)$/);
    const badHeader = JSON.stringify(har([entry({ request: { headers: [{ name: 'a', value: 1 }] } })]));
    expect((await harError(write('h.har', badHeader))).detail.path).toBe('log.entries[0].request.headers[0].value');
  });

  it('a syntax error inside an entry points at the exact byte and the path around it', async () => {
    const at = good.indexOf('"status": 200', good.indexOf('"startedDateTime"', good.indexOf('"startedDateTime"') + 1));
    const text = `${good.slice(0, at)}"status": 2x0${good.slice(at + '"status": 200'.length)}`;
    const e = await harError(write('syntax.har', text));
    expect(e.detail).toMatchObject({ kind: 'syntax', entry: 1, path: 'log.entries[1].response.status', offset: at + '"status": 2'.length });
  });

  it('invalid UTF-8 names the byte', async () => {
    const at = good.indexOf('OK');
    const bytes = Buffer.concat([Buffer.from(good.slice(0, at)), Buffer.from([0xc3, 0x28]), Buffer.from(good.slice(at + 2))]);
    const e = await refusedWithoutTrace(write('utf8.har', bytes));
    expect(e.detail).toMatchObject({ kind: 'encoding', entry: 0, offset: at });
  });

  it('10,000 levels of nesting: a clear error, no stack overflow; inside a JSON body: the body is withheld, the file still sanitises', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const text = good.replace('"cache": {}', `"_deep": ${deep}, "cache": {}`);
    const e = await refusedWithoutTrace(write('deep.har', text));
    expect(e.message).toMatch(/^deep\.har: nesting deeper than 1000 levels \(at log\.entries\[0\]\._deep\[0\]\[0\].*, entry 0, byte \d+\)$/);

    const body = `${'{"a":'.repeat(10_000)}"password"${'}'.repeat(10_000)}`;
    const inBody = write('deep-body.har', JSON.stringify(har([entry({ request: { method: 'POST', postData: { mimeType: 'application/json', text: body } } })])));
    const out = path.join(tempDir(), 'out.har');
    const { report } = await sanitizeHarFile(inBody, out);
    expect(report.byRule['body-uninspectable']).toBe(1);
    const clean = JSON.parse(fs.readFileSync(out, 'utf8')) as { log: { entries: { request: { postData: { text: string } } }[] } };
    expect(clean.log.entries[0]!.request.postData.text).toMatch(/^\[REDACTED:body-uninspectable:[0-9a-f]{6}\]$/);
  });

  it('a 300 MB single string streams through: never held whole, replaced by a placeholder, output valid', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = path.join(dir, 'huge.har');
    const big = entry({ response: { content: { size: 300 * 2 ** 20, mimeType: 'application/octet-stream', text: '@@BIG@@', encoding: 'base64' } } });
    const [head, tail] = JSON.stringify(har([entry(), big, entry()])).split('@@BIG@@') as [string, string];
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, head);
    const block = Buffer.alloc(4 * 2 ** 20, 'QUJD');
    for (let i = 0; i < 75; i++) fs.writeSync(fd, block);
    fs.writeSync(fd, tail);
    fs.closeSync(fd);
    const out = path.join(dir, 'out.har');
    const { report, summary } = await sanitizeHarFile(file, out);
    expect(summary.entries).toBe(3);
    expect(report.byRule.oversize).toBe(1);
    expect(fs.statSync(out).size).toBeLessThan(10_000);
    const clean = JSON.parse(fs.readFileSync(out, 'utf8')) as { log: { entries: { response: { content: { text?: string; comment?: string } } }[] } };
    expect(clean.log.entries[1]!.response.content.text).toBeUndefined();
    expect(clean.log.entries[1]!.response.content.comment).toMatch(/314572800 bytes, too large to inspect/);
    expect(harSchemaErrors(clean)).toEqual([]);
  });
});
