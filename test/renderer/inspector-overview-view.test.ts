import { describe, expect, it } from 'vitest';
import type { HarInspectorRow } from '../../electron/contract/har-inspector.js';
import type { BatchState, OverviewRow } from '../../electron/contract/overview.js';
import { barOf, formatMs, matchesRow, splitPlaceholders, statusClassOf, ticks } from '../../renderer/src/lib/har-inspector-view.js';
import { batchCounts, clustersOf, matches, noFilters } from '../../renderer/src/lib/overview-view.js';

const row = (over: Partial<HarInspectorRow>): HarInspectorRow => ({
  index: 0,
  startMs: 0,
  timeMs: 100,
  method: 'GET',
  url: 'https://x/',
  host: 'x',
  status: 200,
  failed: false,
  xdrApi: false,
  mimeType: 'text/html',
  timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 10, wait: 60, receive: 30 },
  ...over,
});

describe('HAR inspector view helpers', () => {
  it('formats durations in the UI language and puts round gridlines across the whole capture', () => {
    expect(formatMs(1400, 'en')).toBe('1.4 s');
    expect(formatMs(1400, 'de')).toBe('1,4 s');
    expect(formatMs(850, 'de')).toBe('850 ms');
    expect(formatMs(-1, 'en')).toBe('–');
    const t = ticks(1400);
    expect(t.map((x) => x.ms)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400]);
    expect(t.at(-1)!.at).toBe(1);
  });

  it('places the last request of a capture at its right edge, with its waiting part inside the bar', () => {
    const bar = barOf(row({ startMs: 1000, timeMs: 400, timings: { blocked: 0, dns: 0, connect: 0, ssl: 0, send: 100, wait: 200, receive: 100 } }), 1400);
    expect(bar.left).toBeCloseTo(71.43, 1);
    expect(bar.left + bar.width).toBeCloseTo(100, 5);
    expect(bar).toMatchObject({ waitLeft: 25, waitWidth: 50 });
  });

  it('filters by failed, XDR API and status class', () => {
    const rows = [row({ index: 0 }), row({ index: 1, status: 409, failed: true, xdrApi: true }), row({ index: 2, status: 0, failed: true }), row({ index: 3, status: 302 })];
    const pick = (f: Parameters<typeof matchesRow>[1]) => rows.filter((r) => matchesRow(r, f)).map((r) => r.index);
    expect(pick({ failed: true, xdr: false, status: '' })).toEqual([1, 2]);
    expect(pick({ failed: false, xdr: true, status: '' })).toEqual([1]);
    expect(pick({ failed: false, xdr: false, status: 'none' })).toEqual([2]);
    expect(pick({ failed: false, xdr: false, status: '3xx' })).toEqual([3]);
    expect(statusClassOf(503)).toBe('5xx');
  });

  it('cuts a value into text and placeholders, written or URL-encoded, each with its rule', () => {
    expect(splitPlaceholders('Bearer [REDACTED:authorization:0a1b2c]')).toEqual([
      { text: 'Bearer ', rule: null },
      { text: '[REDACTED:authorization:0a1b2c]', rule: 'authorization' },
    ]);
    expect(splitPlaceholders('a=%5BREDACTED%3Aform%3A65ba6f%5D&b=1')).toEqual([
      { text: 'a=', rule: null },
      { text: '%5BREDACTED%3Aform%3A65ba6f%5D', rule: 'form' },
      { text: '&b=1', rule: null },
    ]);
    expect(splitPlaceholders('[REDACTED] is not ours')).toEqual([{ text: '[REDACTED] is not ours', rule: null }]);
  });
});

const orow = (name: string, over: Partial<OverviewRow['profile']>, result: OverviewRow['result']): OverviewRow =>
  ({ profile: { id: name, name, kind: 'esa', host: 'h', region: 'eu', cluster: null, ...over }, lastRun: null, result, topFinding: null, stale: false, secrets: { apiPassword: true, xdrClientSecret: false } }) as OverviewRow;

describe('overview view helpers', () => {
  it('filters by kind, region, cluster (or none) and result, and lists the clusters', () => {
    const rows = [orow('a', { cluster: 'Frankfurt' }, 'ok'), orow('b', { kind: 'sma', region: 'nam' }, 'error'), orow('c', { cluster: 'Berlin' }, 'none')];
    const names = (f: Partial<ReturnType<typeof noFilters>>) => rows.filter((r) => matches(r, { ...noFilters(), ...f })).map((r) => r.profile.name);
    expect(names({})).toEqual(['a', 'b', 'c']);
    expect(names({ kind: 'sma' })).toEqual(['b']);
    expect(names({ region: 'eu', result: 'none' })).toEqual(['c']);
    expect(names({ cluster: '-' })).toEqual(['b']);
    expect(names({ cluster: 'Frankfurt' })).toEqual(['a']);
    expect(clustersOf(rows)).toEqual(['Berlin', 'Frankfurt']);
  });

  it('counts a finished batch by outcome', () => {
    const item = (state: string, worst: string | null) => ({ profileId: state, profileName: state, state, runId: null, done: 0, total: 0, summary: state === 'done' ? { worstSeverity: worst } : null, error: null });
    const batch = { batchId: 'b', state: 'finished', concurrency: 4, startedAt: '', finishedAt: '', items: [item('done', null), item('done', 'critical'), item('done', 'warning'), item('failed', null), item('cancelled', null)] } as unknown as BatchState;
    expect(batchCounts(batch)).toEqual({ total: 5, ok: 1, warnings: 1, errors: 1, failed: 1, cancelled: 1 });
  });
});
