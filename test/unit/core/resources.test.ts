import fs from 'node:fs';
import path from 'node:path';
import { leafKeys, lookup, format, pluralNames, type Dictionary } from '../../../electron/contract/i18n.js';
import { loadRegions } from '../../../electron/core/knowledge/regions.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { tempDir } from '../../support/temp.js';

const resources = defaultResourcesDir();
const load = (lang: string) => JSON.parse(fs.readFileSync(path.join(resources, 'i18n', `${lang}.json`), 'utf8')) as Dictionary;

describe('translations', () => {
  const en = load('en');
  const de = load('de');

  it('has the same keys in English and German', () => {
    expect(leafKeys(de)).toEqual(leafKeys(en));
  });

  it('has no empty string and the same placeholders in both languages', () => {
    for (const key of leafKeys(en)) {
      const e = lookup(en, key)!;
      const d = lookup(de, key)!;
      expect(e.trim(), key).not.toBe('');
      expect(d.trim(), key).not.toBe('');
      const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(d), key).toEqual(names(e));
      expect(pluralNames(d).sort(), key).toEqual(pluralNames(e).sort());
    }
  });

  it('counts are worded with plural forms, never "(s)" or "(en)"', () => {
    for (const dict of [en, de]) for (const key of leafKeys(dict)) expect(lookup(dict, key), key).not.toMatch(/\w\((s|e|en|n)\)/);
    // Every message that shows a count of things chooses its form by that count.
    for (const key of ['har.imported', 'har.fileMeta', 'har.reportSummary', 'har.pathsCount', 'har.analysisSummary', 'profiles.imported', 'checks.progressIdle']) {
      expect(pluralNames(lookup(en, key)!).length, key).toBeGreaterThan(0);
    }
  });

  it('formats plural forms by the language’s rules: exact =n first, then one/other; # is the number', () => {
    const files = { en: '{count, plural, one {# file imported.} other {# files imported.}}', de: '{count, plural, one {# Datei importiert.} other {# Dateien importiert.}}' };
    expect([0, 1, 2].map((count) => format(files.en, { count }, 'en'))).toEqual(['0 files imported.', '1 file imported.', '2 files imported.']);
    expect([0, 1, 2].map((count) => format(files.de, { count }, 'de'))).toEqual(['0 Dateien importiert.', '1 Datei importiert.', '2 Dateien importiert.']);
    expect(format('{n, plural, =0 {none} one {# thing} other {# things}} at {place}', { n: 0, place: 'home' })).toBe('none at home');
    expect(format('{n, plural, one {a} other {b}} {m, plural, one {c} other {d}}', { n: 1 })).toBe('a {m, plural, one {c} other {d}}');
    expect(format('{n, plural, one {# a}', { n: 1 })).toBe('{n, plural, one {# a}');
  });

  it('writes a plural’s # as Intl.NumberFormat does, in English and German, below 1000 (its digits) and above (grouped)', () => {
    for (const language of ['en', 'de']) {
      const nf = new Intl.NumberFormat(language, { maximumFractionDigits: 20 });
      for (const n of [...Array.from({ length: 1001 }, (_, i) => i), -0, -1, 1.5, 1234, 1234567.25]) expect(format('{n, plural, other {#}}', { n }, language), `${language} ${n}`).toBe(nf.format(n));
    }
    expect(format('{n, plural, other {# items}}', { n: 1234 }, 'de')).toBe('1.234 items');
  });

  it('formats placeholders and leaves unknown ones visible', () => {
    expect(format('Open {region} portal', { region: 'EU' })).toBe('Open EU portal');
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(lookup(en, 'nav.__proto__')).toBeUndefined();
    expect(lookup(en, 'nav')).toBeUndefined();
  });
});

describe('regions data', () => {
  it('loads the three regions with their portal and API hosts', () => {
    const r = loadRegions(resources);
    expect(r.regions.map((x) => x.id)).toEqual(['nam', 'eu', 'apjc']);
    expect(r.regions.find((x) => x.id === 'eu')!.threatResponseServer.host).toBe('api.eu.sse.itd.cisco.com');
    expect(r.regions.find((x) => x.id === 'apjc')!.sseAdminPortal.confirmed).toBe(false);
  });

  it('names the broken path of an invalid regions file', () => {
    const dir = tempDir();
    const good = JSON.parse(fs.readFileSync(path.join(resources, 'regions.json'), 'utf8')) as { regions: { xdrPortal: { host: string } }[] };
    good.regions[1]!.xdrPortal.host = 'not a host';
    fs.writeFileSync(path.join(dir, 'regions.json'), JSON.stringify(good));
    expect(() => loadRegions(dir)).toThrow(/regions\.json: regions\.1\.xdrPortal\.host/);
  });
});
