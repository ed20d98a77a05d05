import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarError } from '../../../electron/core/har/har-errors.js';
import { validateHar } from '../../../electron/core/har/har-import.js';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { isoDateTime } from '../../../electron/core/har/har-validate.js';
import { devtoolsImportErrors } from '../../support/devtools-har.js';
import { entry, har, harSchemaErrors, leaks } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

async function cleaned(doc: unknown): Promise<{ out: unknown; file: string; repairs: string[] }> {
  const dir = tempDir();
  const input = path.join(dir, 'in.har');
  fs.writeFileSync(input, JSON.stringify(doc));
  const file = path.join(dir, 'out.har');
  const { report } = await sanitizeHarFile(input, file);
  return { out: JSON.parse(fs.readFileSync(file, 'utf8')), file, repairs: report.repairs };
}

describe('the Chrome DevTools import checker', () => {
  it('passes a plain HAR and names what DevTools’ importer would throw on', () => {
    expect(devtoolsImportErrors(har([entry()]))).toEqual([]);
    const bad = har(
      [
        entry({ startedDateTime: '20240501T100000Z', _initiator: null, _webSocketMessages: [null] }),
        entry({ request: { headersSize: undefined, cookies: [{ name: 'a', value: 'b', expires: 'Session' }] }, response: { content: { mimeType: 'x' }, _transferSize: 'big' }, timings: { send: 1, wait: 'soon', receive: 1 } }),
      ],
      { creator: 'me', pages: [{ startedDateTime: '2024-05-01T10:00:00Z', id: 'p', title: 't', pageTimings: { onLoad: 'n/a' } }] },
    );
    expect(devtoolsImportErrors(bad)).toEqual([
      'log.creator: not an object',
      'log.pages[0].pageTimings.onLoad: Number() gives NaN ("n/a")',
      'log.entries[0].startedDateTime: not a date for new Date() ("20240501T100000Z")',
      'log.entries[0]._initiator: not an object',
      'log.entries[0]._webSocketMessages[0]: not an object',
      'log.entries[1].request.cookies[0].expires: not a date for new Date() ("Session")',
      'log.entries[1].request.headersSize: Number() gives NaN (undefined)',
      'log.entries[1].response.content.size: Number() gives NaN (undefined)',
      'log.entries[1].response._transferSize: Number() gives NaN ("big")',
      'log.entries[1].timings.wait: Number() gives NaN ("soon")',
    ]);
    expect(devtoolsImportErrors({ log: { creator: {}, entries: {} } })).toEqual(['log.entries: not an array']);
  });
});

describe('inputs the reader accepts come out as copies DevTools imports (and HAR 1.2 validates)', () => {
  const cases: [string, unknown][] = [
    ['a basic-form date', har([entry({ startedDateTime: '20240501T100000Z' })], { pages: [{ startedDateTime: '20240501T100000.5+0200', id: 'p', title: 't', pageTimings: {} }] })],
    ['a zone without minutes, a space for T', har([entry({ startedDateTime: '2024-05-01 10:00:00+02' })])],
    ['page timings that are no numbers', har([entry()], { pages: [{ startedDateTime: '2024-05-01T10:00:00Z', id: 'p', title: 't', pageTimings: { onLoad: null, onContentLoad: 'n/a' } }] })],
    ['cookie dates DevTools or the schema cannot read', har([entry({ request: { cookies: [{ name: 'a', value: 'b', expires: 'Session' }] }, response: { cookies: [{ name: 'c', value: 'd', expires: 'Thu, 01 Jan 2026 00:00:00 GMT' }, { name: 'e', value: 'f', expires: 1767225600 }] } })])],
    ['a null initiator, null and odd WebSocket messages', har([entry({ _initiator: null, _webSocketMessages: [null, { time: 'x', opcode: 1, data: 'a', type: 'send' }, 'loose'] })])],
    ['Chrome numbers that are no numbers', har([entry({ response: { _transferSize: 'big', content: { size: 1, mimeType: 'x', compression: 'gzip' } }, timings: { send: 1, wait: 1, receive: 1, _blocked_queueing: 'q' } })])],
  ];
  for (const [name, doc] of cases) {
    it(name, async () => {
      expect(devtoolsImportErrors(doc).length + harSchemaErrors(doc).length, 'the input itself is broken').toBeGreaterThan(0);
      const { out, repairs } = await cleaned(doc);
      expect(devtoolsImportErrors(out)).toEqual([]);
      expect(harSchemaErrors(out)).toEqual([]);
      expect(repairs.length).toBeGreaterThan(0);
    });
  }

  it('dates keep their instant when rewritten; a cookie date in HTTP form becomes ISO', async () => {
    expect(isoDateTime('20240501T100000.5+0200')).toBe('2024-05-01T10:00:00.5+02:00');
    expect(isoDateTime('2024-05-01T10:00:00.000Z')).toBe('2024-05-01T10:00:00.000Z');
    expect(Date.parse(isoDateTime('20240501T100000Z')!)).toBe(Date.parse('2024-05-01T10:00:00Z'));
    const { out } = await cleaned(har([entry({ response: { cookies: [{ name: 'c', value: 'd', expires: 'Thu, 01 Jan 2026 00:00:00 GMT' }] } })]));
    expect((out as { log: { entries: { response: { cookies: { expires: string }[] } }[] } }).log.entries[0]!.response.cookies[0]!.expires).toBe('2026-01-01T00:00:00.000Z');
  });

  it('a date that is none (junk after it, 30 February, hour 24) is a located error', async () => {
    for (const bad of ['2024-05-01T10:00:00.000Zjunk', '2024-02-30T10:00:00Z', '2024-05-01T24:00:00Z', 'yesterday']) {
      const file = path.join(tempDir(), 'date.har');
      fs.writeFileSync(file, JSON.stringify(har([entry(), entry({ startedDateTime: bad })])));
      const error = await validateHar(file).catch((e: unknown) => e);
      expect(error, bad).toBeInstanceOf(HarError);
      expect((error as HarError).detail).toMatchObject({ entry: 1, path: 'log.entries[1].startedDateTime' });
    }
  });

  it('a WebSocket message that is no object is scrubbed, not a crash', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3cyJ9.d3MtbWVzc2FnZS1zaWduYXR1cmU';
    const { file, out } = await cleaned(har([entry({ _webSocketMessages: [`token ${jwt}`, 7] })]));
    expect(leaks(file, [jwt])).toEqual([]);
    expect(devtoolsImportErrors(out)).toEqual([]);
  });
});
