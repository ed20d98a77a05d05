import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHarFile } from '../../../electron/core/har/har-analyze.js';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { devtoolsImportErrors } from '../../support/devtools-har.js';
import { entry, har, harSchemaErrors, leaks, secretForms } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

// Each test plants values where an earlier version let them through, and runs the file pipeline
// (whose whole-entry pre-check decides whether the known-secret rules run at all).

type Clean = { log: { entries: { request: { url: string; headers: { name: string; value: string }[] }; response: { headers: { name: string; value: string }[]; content: { text?: string } } }[] } };

async function sanitize(doc: unknown, options: Parameters<typeof sanitizeHarFile>[2] = {}, name = 'capture.har') {
  const dir = tempDir();
  const input = path.join(dir, name);
  fs.writeFileSync(input, JSON.stringify(doc));
  const output = path.join(dir, 'clean.har');
  const { report } = await sanitizeHarFile(input, output, options);
  const text = fs.readFileSync(output, 'utf8');
  return { input, output, report, text, clean: JSON.parse(text) as Clean };
}

function expectNowhere(values: string[], ...texts: string[]): void {
  for (const v of values) for (const form of secretForms(v)) for (const t of texts) expect(t.includes(form), `${form}`).toBe(false);
}

describe('names carry known secrets and keywords too', () => {
  it('JSON keys, header, cookie, query and form names, unknown fields and the file name: gone from the copy and the report', async () => {
    const KEYWORD = 'alice.corp.example';
    const SECRET = 'Qx7StoredValue-9931';
    const doc = har([
      entry({
        request: {
          method: 'POST',
          headers: [{ name: `X-Host-${KEYWORD}`, value: 'v' }, { name: 'Cookie', value: `pref_${KEYWORD}=1; ${SECRET}=yes` }],
          cookies: [{ name: `pref_${KEYWORD}`, value: '1' }],
          queryString: [{ name: KEYWORD, value: 'x' }],
          postData: { mimeType: 'application/x-www-form-urlencoded', text: 'a=b', params: [{ name: `${SECRET}_field`, value: 'c' }] },
        },
        response: { content: { size: 1, mimeType: 'application/json', text: JSON.stringify({ users: { [KEYWORD]: { role: 'admin' }, [SECRET]: [1] } }) } },
        _custom: { [`seen-${KEYWORD}`]: true },
      }),
    ]);
    const { report, text, clean, input, output } = await sanitize(doc, { keywords: [KEYWORD], knownSecrets: [SECRET] }, `${KEYWORD}.har`);
    expect(leaks(input, [KEYWORD, SECRET])).not.toEqual([]);
    expect(leaks(output, [KEYWORD, SECRET])).toEqual([]);
    expectNowhere([KEYWORD, SECRET], JSON.stringify(report));
    expect(report.byRule.keyword).toBeGreaterThanOrEqual(5);
    expect(report.byRule.secret).toBeGreaterThanOrEqual(2);
    // The body is still the same JSON, under placeholder keys.
    const body = JSON.parse(clean.log.entries[0]!.response.content.text!) as { users: Record<string, unknown> };
    expect(Object.values(body.users)).toEqual([{ role: 'admin' }, [1]]);
    expect(Object.keys(body.users)[0]).toMatch(/^\[REDACTED:keyword:[0-9a-f]{6}\]$/);
    expect(clean.log.entries[0]!.request.headers[0]!.name).toMatch(/^X-Host-\[REDACTED:keyword:[0-9a-f]{6}\]$/);
    expect(harSchemaErrors(JSON.parse(text))).toEqual([]);
  });

  it('two keys that become the same placeholder both stay', async () => {
    const { clean } = await sanitize(har([entry({ response: { content: { size: 1, mimeType: 'application/json', text: '{"ALICE":1,"alice":2}' } } })]), { keywords: ['alice'] });
    expect(Object.values(JSON.parse(clean.log.entries[0]!.response.content.text!) as object)).toEqual([1, 2]);
  });
});

describe('values that slipped past a rule', () => {
  it('a cookie without a name, in Cookie and Set-Cookie headers', async () => {
    const doc = har([entry({ request: { headers: [{ name: 'Cookie', value: 'NamelessCookieValue123; a=b' }] }, response: { headers: [{ name: 'Set-Cookie', value: 'OtherNamelessValue456; Path=/; HttpOnly' }] } })]);
    const { output, clean } = await sanitize(doc);
    expect(leaks(output, ['NamelessCookieValue123', 'OtherNamelessValue456'])).toEqual([]);
    expect(clean.log.entries[0]!.response.headers[0]!.value).toMatch(/^\[REDACTED:cookie:[0-9a-f]{6}\]; Path=\/; HttpOnly$/);
  });

  it('a password holding an @ in the URL’s userinfo', async () => {
    const { output, clean } = await sanitize(har([entry({ request: { url: 'https://admin:p@ssUserinfoSecret@esa.example.com/x?y=1' } })]));
    expect(leaks(output, ['ssUserinfoSecret', 'p@ssUserinfoSecret'])).toEqual([]);
    expect(new URL(clean.log.entries[0]!.request.url).host).toBe('esa.example.com');
  });

  it('a typed password echoed later in the same entry (it was learned after the entry’s pre-check)', async () => {
    const PW = 'TypedPassw0rdEcho';
    const doc = har([
      entry({
        request: { method: 'POST', postData: { mimeType: 'application/x-www-form-urlencoded', text: `user=a&password=${PW}`, params: [{ name: 'user', value: 'a' }, { name: 'password', value: PW }] } },
        response: { content: { size: 1, mimeType: 'application/json', text: JSON.stringify({ msg: `wrong password ${PW}` }) } },
      }),
    ]);
    const { output, report } = await sanitize(doc);
    expect(leaks(output, [PW])).toEqual([]);
    expect(report.byRule.secret).toBe(1);
  });

  it('the report names the path of a parameter found in a URL or a form body', async () => {
    const doc = har([entry({ request: { url: 'https://h.example/cb?access_token=abcdef123456', method: 'POST', postData: { mimeType: 'text/plain', text: 'x=1&client_secret=zyx987654' } } })]);
    const { report } = await sanitize(doc);
    expect(report.paths.map((p) => p.path).sort()).toEqual(['log.entries[*].request.postData.text', 'log.entries[*].request.url']);
  });
});

describe('what the analysis of a raw capture quotes (xet har analyze reads the original)', () => {
  it('a password holding an @ in the userinfo shows in no URL, host or picture', async () => {
    const file = path.join(tempDir(), 'raw.har');
    fs.writeFileSync(file, JSON.stringify(har([entry({ request: { url: 'https://admin:p@ssAnalyzeTail@esa.example.com/x' }, response: { status: 500, statusText: 'Server Error' } })])));
    const { analysis, svg } = await analyzeHarFile(file, { knowledge: loadKnowledge(defaultResourcesDir()) });
    expect(JSON.stringify(analysis) + svg).not.toContain('ssAnalyzeTail');
    expect(analysis.hosts).toEqual([{ host: 'esa.example.com', count: 1 }]);
  });
});

describe('short texts', () => {
  it('a secret parameter in a text shorter than 8 characters (a header, a tiny body)', async () => {
    const doc = har([entry({ request: { headers: [{ name: 'X-Note', value: 'pw=h7k2' }] }, response: { content: { size: 7, mimeType: 'text/plain', text: 'pw=Zq81' } } })]);
    const { output } = await sanitize(doc);
    expect(leaks(output, ['h7k2', 'Zq81'])).toEqual([]);
  });
});

describe('keywords that are also HAR field names', () => {
  it('rename data, never the format: the copy stays HAR 1.2 and DevTools-importable', async () => {
    const doc = har([
      entry({
        response: { content: { size: 1, mimeType: 'application/json', text: '{"timings":{"connection":1}}' } },
        _initiator: { type: 'script', stack: { callFrames: [{ functionName: 'f', url: 'https://h.example/a.js', lineNumber: 1, columnNumber: 2 }] } },
        connection: '443',
      }),
    ]);
    const { text, clean } = await sanitize(doc, { keywords: ['timings', 'connection', 'stack', 'callFrames', 'functionName'] });
    expect(harSchemaErrors(JSON.parse(text))).toEqual([]);
    expect(devtoolsImportErrors(JSON.parse(text))).toEqual([]);
    expect(Object.keys(clean.log.entries[0]!)).toEqual(expect.arrayContaining(['timings', 'connection', '_initiator']));
    // Inside a body the same words are data, and go.
    expect(clean.log.entries[0]!.response.content.text).not.toMatch(/timings|connection/);
  });
});
