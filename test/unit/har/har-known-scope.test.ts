import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportBuilder, RuleCounts } from '../../../electron/core/har/har-report.js';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { Pseudonyms } from '../../../electron/core/har/pseudonym.js';
import { TextScrubber } from '../../../electron/core/har/text-scrubber.js';
import { entry, har, leaks } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

// The whole-entry check narrows the known-secret search to the secrets found in the entry's raw
// text; these entries hold a secret only in forms that differ between the raw text and the parsed
// strings, or one learned halfway through the entry.

async function run(doc: unknown, knownSecrets: string[]) {
  const dir = tempDir();
  const input = path.join(dir, 'in.har');
  fs.writeFileSync(input, JSON.stringify(doc));
  const output = path.join(dir, 'out.har');
  const { report } = await sanitizeHarFile(input, output, { knownSecrets });
  return { input, output, report };
}

describe('the known-secret search narrowed per entry', () => {
  it('a secret with a quote and a backslash (escaped in the raw text) goes from every string of its entry; another secret of the list does not get in its way', async () => {
    const a = 'Quote"Back\\slash-771';
    const b = 'OtherStored-Secret-2290';
    const doc = har([
      entry({
        request: { headers: [{ name: 'X-Note', value: `see ${a}` }], url: `https://h.example/p?n=${encodeURIComponent(a)}` },
        response: { content: { size: 1, mimeType: 'application/json', text: JSON.stringify({ note: `said ${a}`, inner: JSON.stringify({ again: a }) }) } },
      }),
      entry({ response: { content: { size: 1, mimeType: 'text/plain', text: `b is ${b}` } } }),
    ]);
    const { input, output, report } = await run(doc, [b, a]);
    expect(leaks(input, [a, b])).not.toEqual([]);
    expect(leaks(output, [a, b])).toEqual([]);
    expect(report.byRule.secret).toBeGreaterThanOrEqual(5);
  });

  it('a password learned inside a decoded body is searched for in the rest of the entry and in later entries', async () => {
    const pw = 'LearnedInsideBase64-5521';
    const doc = har([
      entry({
        request: { method: 'POST', url: 'https://esa.example/login', postData: { mimeType: 'text/plain', text: Buffer.from(JSON.stringify({ user: 'admin', password: pw })).toString('base64') } },
        response: { content: { size: 1, mimeType: 'text/plain', text: `welcome back, your password ${pw} expires soon` } },
      }),
      entry({ response: { content: { size: 1, mimeType: 'text/plain', text: `echo ${pw}` } } }),
    ]);
    const { input, output } = await run(doc, []);
    expect(leaks(input, [pw])).not.toEqual([]);
    expect(leaks(output, [pw])).toEqual([]);
  });
});

describe('the known values in any text', () => {
  const text = 'ADMIN logged in to Esa1.Example.Com with Sim-Passw0rd! (U2ltLVBhc3N3MHJkIQ==)';
  const site = { entry: 0, path: 'request.esa1.example.com', location: 'other' as const };

  it('replaces keywords in any case and secrets in their encodings, the same whether the report keeps paths or only counts', () => {
    const report = new ReportBuilder();
    const counts = new RuleCounts();
    const key = Buffer.alloc(32, 7);
    const out = new TextScrubber(new Pseudonyms(key), report, ['Sim-Passw0rd!'], ['esa1.example.com', 'admin']).scrub(text, site);
    expect(out).not.toMatch(/admin|esa1|Sim-Passw0rd|U2ltLVBhc3N3MHJkIQ/i);
    expect(out.match(/\[REDACTED:(secret|keyword):[0-9a-f]{6}\]/g)).toHaveLength(4);
    expect(report.byRule.keyword).toBe(2);
    expect(report.byRule.secret).toBe(2);
    expect(new TextScrubber(new Pseudonyms(key), counts, ['Sim-Passw0rd!'], ['esa1.example.com', 'admin']).scrub(text, site)).toBe(out);
    expect(counts.byRule).toEqual({ keyword: 2, secret: 2 });
    // The report shows the path with the keyword masked; the counting sink is never given it.
    expect(JSON.stringify(report.build({ input: {} as never, output: {} as never, options: {} as never, repairs: [], repairCount: 0 }))).not.toContain('esa1.example.com');
  });
});
