import fs from 'node:fs';
import path from 'node:path';
import { leafKeys, lookup, format, type Dictionary } from '../../../electron/contract/i18n.js';
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
    }
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
