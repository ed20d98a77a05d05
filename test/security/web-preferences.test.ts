import { vi } from 'vitest';
import type { FakeBrowserWindow } from '../support/electron-mock.js';

vi.mock('electron', async () => (await import('../support/electron-mock.js')).createElectronMock());

const { createMainWindow, APP_ENTRY } = await import('../../electron/main/window-factory.js');

describe('main window security settings', () => {
  const win = createMainWindow({ title: 'T' }) as unknown as FakeBrowserWindow;
  const prefs = win.options.webPreferences as Record<string, unknown>;

  // Each line would fail if the setting were flipped or dropped.
  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['webviewTag', false],
    ['experimentalFeatures', false],
    ['navigateOnDragDrop', false],
    ['disableBlinkFeatures', 'Auxclick'],
  ])('%s is %s', (key, value) => {
    expect(prefs[key]).toBe(value);
  });

  it('enables no Blink feature and no preload through webPreferences', () => {
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(prefs).not.toHaveProperty('preload');
    expect(prefs).not.toHaveProperty('additionalArguments');
  });

  it('loads only the app:// entry point and works at 1024×700', () => {
    expect(win.loadedUrl).toBe(APP_ENTRY);
    expect(APP_ENTRY).toBe('app://xet/index.html');
    expect(win.options.minWidth).toBeLessThanOrEqual(1024);
    expect(win.options.minHeight).toBeLessThanOrEqual(700);
  });
});
