import { languageFromLocale } from '../../../electron/core/settings/settings-service.js';
import { createCore } from '../../../electron/core/core.js';
import { MemoryLogger } from '../../../electron/core/logging/logger.js';
import { testCore } from '../../support/core.js';

describe('settings', () => {
  it('starts from the host defaults', async () => {
    const core = testCore({ defaultSettings: { language: 'de', theme: 'dark', proxy: null } });
    expect(await core.dispatcher.dispatch('settings.get', {})).toEqual({ ok: true, value: { language: 'de', theme: 'dark', proxy: null } });
    core.close();
  });

  it('persists a change across a restart and announces it', async () => {
    const core = testCore();
    const seen: unknown[] = [];
    core.bus.subscribe((name, payload) => seen.push([name, payload]));
    const r = await core.dispatcher.dispatch('settings.set', { theme: 'light', proxy: null });
    expect(r).toEqual({ ok: true, value: { language: 'en', theme: 'light', proxy: null } });
    expect(seen).toEqual([['settings.changed', { language: 'en', theme: 'light', proxy: null }]]);
    const dataDir = core.paths.root;
    core.close();
    const again = createCore({
      dataDir,
      transport: 'cli',
      secretBackend: { kind: 'passphrase', detail: 'x', available: false },
      defaultSettings: { language: 'de', theme: 'system', proxy: null },
      logger: new MemoryLogger(),
    });
    expect(again.settings.get()).toEqual({ language: 'de', theme: 'light', proxy: null });
    again.close();
  });

  it('falls back to the default when a stored value no longer fits the schema', () => {
    const core = testCore();
    core.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('language', '\"klingon\"', 'x')").run();
    expect(core.settings.get().language).toBe('en');
    core.close();
  });

  it('does not write anything for an invalid request', async () => {
    const core = testCore();
    await core.dispatcher.dispatch('settings.set', { language: 'fr' });
    expect(core.db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(0);
    core.close();
  });

  it.each([
    ['de_DE.UTF-8', 'de'],
    ['de-AT', 'de'],
    ['de', 'de'],
    ['en_US.UTF-8', 'en'],
    ['dek', 'en'],
    [undefined, 'en'],
  ])('maps locale %s to %s', (locale, language) => {
    expect(languageFromLocale(locale)).toBe(language);
  });
});
