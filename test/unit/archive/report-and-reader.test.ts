import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../../electron/core/archive/archive-reader.js';
import { ArchiveOutput } from '../../../electron/core/archive/archive-output.js';
import { renderReport } from '../../../electron/core/archive/report-html.js';
import { ZipStream } from '../../../electron/core/archive/zip-stream.js';
import { tempDir } from '../../support/temp.js';
import { makeSelfSigned } from '../../support/tls.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

describe('report.html', () => {
  it('renders every user- or capture-supplied value as text, never as markup', () => {
    const html = renderReport({
      head: {
        tool: { name: 'xet', version: '1' },
        createdAt: '2026-11-28T00:00:00Z',
        caseNumber: '698765432',
        notes: HOSTILE,
        profile: { label: HOSTILE, kind: 'esa', region: 'eu', host: HOSTILE, httpsPort: 443, httpPort: 80, hostnamesIncluded: true },
      },
      runs: [
        {
          id: 'r1', profileId: 'p', profileName: HOSTILE, profileKind: 'esa', region: 'eu', state: 'completed', startedAt: HOSTILE, finishedAt: null, durationMs: 1,
          worstSeverity: 'error', counts: {} as never, findingCodes: ['X'], findingTitles: [],
          checks: [{ id: HOSTILE, status: 'fail', outcome: HOSTILE, durationMs: 1, summary: { en: HOSTILE, de: '' }, evidence: { [HOSTILE]: HOSTILE, list: [HOSTILE] } }],
          findings: [{ code: HOSTILE, severity: 'error', seedStep: 'S1', title: { en: HOSTILE, de: '' }, cause: { en: HOSTILE, de: '' }, remediation: { en: [HOSTILE], de: [] }, checks: [] }],
          answers: {}, endpoints: { source: HOSTILE, threatResponse: HOSTILE, ssePortal: '', xdrPortal: '' }, proxy: HOSTILE,
        },
      ],
      hars: [
        {
          path: 'har/capture-01.har',
          analysis: {
            entries: 1, startedAt: null, durationMs: 1, hosts: [], failedCount: 1,
            failed: [{ index: 0, startedDateTime: '', method: HOSTILE, url: HOSTILE, host: '', status: 0, statusText: HOSTILE, timeMs: 1, error: HOSTILE }],
            moduleErrors: [{ index: 0, url: HOSTILE, status: 409, excerpt: HOSTILE, code: 'E4017', httpStatus: 409, pattern: null, detail: null, raises: [HOSTILE], candidates: [] }],
            regions: { expected: 'eu', seen: [], hosts: [], otherRegion: [{ host: HOSTILE, region: 'nam', role: 'xdrPortal', count: 1, firstIndex: 0 }] },
            slowest: [], findingCodes: [],
          },
          redaction: { totals: { redactions: 1, entriesTouched: 1, bodiesDropped: 0, repairs: 0 }, byRule: { [HOSTILE]: 1 } } as never,
          svg: '<svg><script>alert(3)</script></svg>',
          findings: [],
        },
      ],
      files: [{ path: HOSTILE, bytes: 1 }],
    });
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;');
    expect(html).toContain('(timeline omitted)');
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  });

  it('says per run whether SSE and XDR were checked through an XDR API client or only asked about', () => {
    const run = (id: string, xdrAuth: { status: 'pass' | 'skip'; outcome: string | null } | null) => ({
      id, profileId: 'p', profileName: 'esa', profileKind: 'esa' as const, region: 'eu' as const, state: 'completed' as const, startedAt: '2026-12-02T10:00:00Z', finishedAt: null, durationMs: 1,
      worstSeverity: null, counts: {} as never, findingCodes: [], findingTitles: [],
      checks: xdrAuth ? [{ id: 'xdr-auth', ...xdrAuth, durationMs: 1, summary: { en: 'x', de: 'x' }, evidence: {} }] : [],
      findings: [], answers: {}, endpoints: { source: 'regions.json', threatResponse: 'https://api.eu.sse.itd.cisco.com/', ssePortal: '', xdrPortal: '' }, proxy: null,
    });
    const html = renderReport({
      head: { tool: { name: 'xet', version: '1' }, createdAt: '2026-12-02T10:00:00Z', caseNumber: null, notes: '', profile: { label: 'esa', kind: 'esa', region: 'eu', host: null, httpsPort: null, httpPort: null, hostnamesIncluded: false } },
      runs: [run('with-client', { status: 'pass', outcome: null }), run('no-secret', { status: 'skip', outcome: 'no-client' }), run('no-client', null)],
      hars: [],
      files: [],
    } as never);
    const sections = html.split('<section class="run">').slice(1);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toContain('SSE and XDR: checked through the profile’s XDR API client');
    for (const s of sections.slice(1)) expect(s).toContain('SSE and XDR: not checked automatically (no XDR API client)');
  });
});

describe('reading archives made by other tools', () => {
  it('verify opens a CMS archive that stock `openssl cms -encrypt` made (PKCS#1 v1.5 key transport, definite lengths)', async () => {
    const dir = tempDir();
    const tac = makeSelfSigned('TAC Recipient');
    fs.writeFileSync(path.join(dir, 'cert.pem'), tac.cert);
    // A plain zip with a manifest, as the inner zip of our own certificate archives.
    const zipFile = path.join(dir, 'inner.zip');
    const out = await ArchiveOutput.open(zipFile, {});
    const zip = new ZipStream(out, { password: null, modified: new Date() });
    const readme = await zip.addBuffer('README.txt', 'hello TAC\n');
    const manifest = {
      format: 'xet-support-archive', schemaVersion: 1, tool: { name: 'xet', version: '1' }, createdAt: '2026-11-28T00:00:00Z', caseNumber: null, notes: null,
      profile: { label: 'p', kind: 'esa', region: 'eu', host: null, httpsPort: null, httpPort: null, hostnamesIncluded: false },
      encryption: { mode: 'certificate', recipients: [] }, runs: [], hars: [], redaction: { files: 0, redactions: 0, bodiesDropped: 0, byRule: {} },
      files: [{ path: 'README.txt', kind: 'readme', bytes: readme.bytes, sha256: readme.sha256 }],
    };
    await zip.addBuffer('manifest.json', JSON.stringify(manifest));
    await zip.close();
    await out.commit();
    const p7m = path.join(dir, 'openssl.p7m');
    execFileSync('openssl', ['cms', '-encrypt', '-aes256', '-binary', '-outform', 'DER', '-in', zipFile, '-out', p7m, path.join(dir, 'cert.pem')]);
    const result = await verifyArchive(p7m, { certPem: tac.cert, certLabel: 'cert.pem', keyPem: tac.key });
    expect(result).toMatchObject({ ok: true, mode: 'certificate', files: [{ path: 'README.txt', status: 'ok' }] });
    // Cut inside the encrypted content: a clear error, not a crash.
    const cut = path.join(dir, 'cut.p7m');
    fs.writeFileSync(cut, fs.readFileSync(p7m).subarray(0, fs.statSync(p7m).size - 40));
    await expect(verifyArchive(cut, { certPem: tac.cert, certLabel: 'cert.pem', keyPem: tac.key })).rejects.toThrow(/truncated|AES blocks|padding/);
  });
});
