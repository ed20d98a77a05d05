import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeHarFile, displayUrl } from '../../../electron/core/har/har-analyze.js';
import { waterfallSvg } from '../../../electron/core/har/har-waterfall.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';

const knowledge = loadKnowledge(defaultResourcesDir());
const CHROME = path.resolve(import.meta.dirname, '../../fixtures/har/chrome-export.har');
const FIREFOX = path.resolve(import.meta.dirname, '../../fixtures/har/firefox-style.har');

describe('HAR analysis', () => {
  it('finds failed requests (status ≥ 400, 0 and net:: errors) and the slowest first', async () => {
    const { analysis } = await analyzeHarFile(CHROME, { knowledge, region: 'eu' });
    expect(analysis.entries).toBe(5);
    expect(analysis.failed.map((f) => [f.index, f.status, f.error])).toEqual([
      [1, 409, null],
      [4, 0, 'net::ERR_BLOCKED_BY_CLIENT'],
    ]);
    expect(analysis.slowest[0]).toMatchObject({ index: 1, timeMs: 210 });
    expect(analysis.durationMs).toBe(1202);
  });

  it('links XDR module errors and E-codes with their [NNN] status to catalog findings', async () => {
    const { analysis } = await analyzeHarFile(CHROME, { knowledge, region: 'eu' });
    expect(analysis.moduleErrors).toEqual([expect.objectContaining({ index: 1, code: 'E4017', httpStatus: 409, pattern: 'device-offline', raises: ['DEVICE_OFFLINE_IN_SSE'] })]);
    expect(analysis.findingCodes).toEqual(['DEVICE_OFFLINE_IN_SSE']);
  });

  it('flags calls to Cisco hosts of another region than the profile’s', async () => {
    const eu = await analyzeHarFile(CHROME, { knowledge, region: 'eu' });
    expect(eu.analysis.regions.otherRegion).toEqual([]);
    expect(eu.analysis.regions.seen).toEqual(['eu']);
    const nam = await analyzeHarFile(CHROME, { knowledge, region: 'nam' });
    expect(nam.analysis.regions.otherRegion.map((h) => [h.host, h.region, h.role])).toEqual([
      ['xdr.eu.security.cisco.com', 'eu', 'xdrPortal'],
      ['visibility.eu.amp.cisco.com', 'eu', 'xdrApi'],
    ]);
    expect(nam.analysis.findingCodes).toContain('REGION_MISMATCH');
  });

  it('quotes no query values, userinfo or fragments, and applies the given scrubber', async () => {
    expect(displayUrl('https://u:p@h.example/a/b?code=123&state=4#access_token=x')).toBe('https://h.example/a/b?code&state');
    // A password with an @ of its own: the host is what follows the last one.
    expect(displayUrl('https://admin:p@ssW0rdTail@h.example/a')).toBe('https://h.example/a');
    const { analysis, svg } = await analyzeHarFile(FIREFOX, { knowledge, region: 'eu', scrub: (t) => t.replaceAll('esa01.corp.example', '[host]') });
    const text = JSON.stringify(analysis) + svg;
    expect(text).not.toMatch(/esa01\.corp\.example|F1refox|eyJ/);
    expect(analysis.failed).toEqual([expect.objectContaining({ index: 1, status: 401, url: 'https://[host]:6443/esa/api/v2.0/health' })]);
  });

  it('draws a self-contained SVG with failures highlighted and labels escaped', async () => {
    const { svg } = await analyzeHarFile(CHROME, { knowledge });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/<script|href=|url\(|ChromeOauthCode/);
    expect(svg.match(/<g>/g)).toHaveLength(5);
    expect(svg.match(/fill="#d93025"/g)!.length).toBe(2 + 1);
    expect(svg).toContain('5 requests · 2 failed');
    const escaped = waterfallSvg([{ index: 0, startMs: 0, timeMs: 5, status: 500, failed: true, label: '500 GET <a&b>', detail: 'x"y' }]);
    expect(escaped).toContain('500 GET &lt;a&amp;b&gt;');
    expect(escaped).toContain('x&quot;y');
  });

  it('draws at most maxRows rows: every failure, then the slowest', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ index: i, startMs: i, timeMs: i % 97, status: i % 250 === 0 ? 503 : 200, failed: i % 250 === 0, label: `r${i}`, detail: '' }));
    const svg = waterfallSvg(rows, { maxRows: 20 });
    expect(svg.match(/<g>/g)).toHaveLength(20);
    for (const i of [0, 250, 500, 750]) expect(svg).toContain(`>r${i}<`);
    expect(svg).toContain('showing 20 of 1000');
  });
});
