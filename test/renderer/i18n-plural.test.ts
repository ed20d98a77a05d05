import { render } from '@testing-library/svelte';
import HarReportView from '../../renderer/src/components/har/HarReportView.svelte';
import type { HarRedactionReport } from '../../electron/contract/har.js';
import { formatDuration } from '../../renderer/src/lib/format.js';
import { i18n, t } from '../../renderer/src/lib/i18n.svelte.js';

const cases: [Parameters<typeof t>[0], (n: number, language: 'en' | 'de') => Record<string, string | number>, { en: string[]; de: string[] }][] = [
  ['har.imported', (n) => ({ count: n }), { en: ['0 files imported.', '1 file imported.', '2 files imported.'], de: ['0 Dateien importiert.', '1 Datei importiert.', '2 Dateien importiert.'] }],
  ['har.fileMeta', (n) => ({ entries: n, size: '3 KiB' }), { en: ['0 requests · 3 KiB', '1 request · 3 KiB', '2 requests · 3 KiB'], de: ['0 Anfragen · 3 KiB', '1 Anfrage · 3 KiB', '2 Anfragen · 3 KiB'] }],
  ['har.pathsCount', (n) => ({ count: n }), { en: ['0 paths', '1 path', '2 paths'], de: ['0 Pfade', '1 Pfad', '2 Pfade'] }],
  [
    'har.reportSummary',
    (n) => ({ redactions: n, touched: n, entries: n, dropped: n }),
    {
      en: ['0 values removed in 0 of 0 requests; 0 bodies dropped.', '1 value removed in 1 of 1 request; 1 body dropped.', '2 values removed in 2 of 2 requests; 2 bodies dropped.'],
      de: ['0 Werte in 0 von 0 Anfragen entfernt; 0 Bodys verworfen.', '1 Wert in 1 von 1 Anfrage entfernt; 1 Body verworfen.', '2 Werte in 2 von 2 Anfragen entfernt; 2 Bodys verworfen.'],
    },
  ],
  ['har.analysisSummary', (n, l) => ({ entries: n, duration: formatDuration(1400, l), failed: 0 }), { en: ['0 requests over 1.4 s; 0 failed.', '1 request over 1.4 s; 0 failed.', '2 requests over 1.4 s; 0 failed.'], de: ['0 Anfragen in 1,4 s; 0 fehlgeschlagen.', '1 Anfrage in 1,4 s; 0 fehlgeschlagen.', '2 Anfragen in 1,4 s; 0 fehlgeschlagen.'] }],
  ['profiles.imported', (n) => ({ count: n }), { en: ['Imported 0 profiles.', 'Imported 1 profile.', 'Imported 2 profiles.'], de: ['0 Profile importiert.', '1 Profil importiert.', '2 Profile importiert.'] }],
  ['checks.progress', (n) => ({ done: 0, total: n }), { en: ['0 of 0 checks done', '0 of 1 check done', '0 of 2 checks done'], de: ['0 von 0 Prüfungen erledigt', '0 von 1 Prüfung erledigt', '0 von 2 Prüfungen erledigt'] }],
];

describe('counts in English and German (n = 0, 1, 2)', () => {
  afterEach(() => {
    i18n.language = 'en';
  });

  for (const [key, params, expected] of cases) {
    it(key, () => {
      for (const language of ['en', 'de'] as const) {
        i18n.language = language;
        expect([0, 1, 2].map((n) => t(key, params(n, language))), language).toEqual(expected[language]);
      }
    });
  }

  it('the redaction report shows "1 path" and its summary in the singular', () => {
    i18n.language = 'de';
    const report = {
      format: 'xet-har-redaction-report',
      version: 1,
      input: { name: 'x.har', bytes: 1, entries: 1, pages: 0, creator: null },
      output: null,
      options: { keepBodies: false, knownSecrets: 0, keywords: 0 },
      totals: { redactions: 1, entriesTouched: 1, bodiesDropped: 1, repairs: 0 },
      byRule: { cookie: 1 },
      byLocation: { cookie: 1 },
      paths: [{ path: 'log.entries[*].request.cookies[sid].value', rule: 'cookie', location: 'cookie', count: 1, entries: [0], fingerprints: ['abcdef'] }],
      examples: [],
      repairs: [],
      notes: [],
    } satisfies HarRedactionReport;
    const { container } = render(HarReportView, { props: { report } });
    expect(container.textContent).toContain('1 Wert in 1 von 1 Anfrage entfernt; 1 Body verworfen.');
    expect(container.querySelector('.har-rule')!.textContent).toContain('1 Pfad');
  });
});
