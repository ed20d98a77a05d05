import fs from 'node:fs';
import path from 'node:path';
import { vi } from 'vitest';
import type { ElectronMock } from '../../support/electron-mock.js';
import { leafKeys, type Dictionary } from '../../../electron/contract/i18n.js';
import { loadRegions } from '../../../electron/core/knowledge/regions.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { APP_CONTENT_SECURITY_POLICY } from '../../../electron/core/security/csp.js';
import { tempDir } from '../../support/temp.js';

vi.mock('electron', async () => (await import('../../support/electron-mock.js')).createElectronMock());
const electron = (await import('electron')) as unknown as ElectronMock;
const { serveRenderer, registerAppScheme } = await import('../../../electron/main/app-protocol.js');
const { buildMenuTemplate } = await import('../../../electron/main/menu.js');
const { describeSafeStorage } = await import('../../../electron/main/secret-backend.js');
const { electronNativeBinding } = await import('../../../electron/main/native-binding.js');

const resources = defaultResourcesDir();
const dict = (l: string) => JSON.parse(fs.readFileSync(path.join(resources, 'i18n', `${l}.json`), 'utf8')) as Dictionary;

describe('app:// protocol', () => {
  let dir = '';
  beforeEach(() => {
    dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
  });

  it('registers app:// as a secure standard scheme without fetch or CORS', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
    ]);
  });

  it('serves the renderer with the strict app CSP', async () => {
    const res = await serveRenderer(new Request('app://xet/index.html'), dir);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(APP_CONTENT_SECURITY_POLICY);
    expect(APP_CONTENT_SECURITY_POLICY).toContain("connect-src 'none'");
    expect(APP_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('answers 404 for other hosts, methods and paths outside the renderer', async () => {
    for (const req of [new Request('app://other/index.html'), new Request('app://xet/index.html', { method: 'POST' }), new Request('app://xet/%2e%2e/%2e%2e/etc/passwd')]) {
      expect((await serveRenderer(req, dir)).status).toBe(404);
    }
  });
});

describe('native menu', () => {
  const deps = { dictionaries: { en: dict('en'), de: dict('de') }, regions: loadRegions(resources), openPortal: vi.fn(), platform: 'linux' as const };

  it('is labelled in German when the UI is German, and in English otherwise', () => {
    const labels = (lang: 'en' | 'de') => buildMenuTemplate(lang, deps).map((m) => m.label);
    expect(labels('en')).toEqual(['File', 'Edit', 'View', 'Help']);
    expect(labels('de')).toEqual(['Datei', 'Bearbeiten', 'Ansicht', 'Hilfe']);
  });

  it('puts the application menu first on macOS', () => {
    const mac = buildMenuTemplate('de', { ...deps, platform: 'darwin' });
    expect(mac[0]).toEqual({ role: 'appMenu' });
    expect(mac.map((m) => m.label ?? m.role)).toEqual(['appMenu', 'Bearbeiten', 'Ansicht', 'Hilfe']);
  });

  it('offers each region portal and opens it through the allow-listed opener', () => {
    const help = buildMenuTemplate('de', deps).at(-1)!.submenu as { label: string; click: () => void }[];
    expect(help.map((i) => i.label)).toContain('SSE-Portal öffnen (EU)');
    help.find((i) => i.label === 'XDR-Portal öffnen (APJC)')!.click();
    expect(deps.openPortal).toHaveBeenCalledWith('https://xdr.apjc.security.cisco.com/');
  });

  it('has every menu label in both languages', () => {
    expect(leafKeys(dict('de')).filter((k) => k.startsWith('menu.'))).toEqual(leafKeys(dict('en')).filter((k) => k.startsWith('menu.')));
  });
});

describe('secret backend', () => {
  it('refuses Linux basic_text instead of storing weakly', () => {
    const info = describeSafeStorage({ isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'basic_text' }, 'linux');
    expect(info).toMatchObject({ kind: 'safe-storage', available: false });
    expect(info.detail).toContain('refused');
  });

  it('reports a real keychain as available', () => {
    expect(describeSafeStorage({ isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'kwallet6' }, 'linux')).toEqual({
      kind: 'safe-storage',
      detail: 'kwallet6',
      available: true,
    });
    expect(describeSafeStorage({ isEncryptionAvailable: () => true, getSelectedStorageBackend: () => 'unknown' }, 'darwin').detail).toBe('macOS Keychain');
  });
});

describe('native binding', () => {
  it('loads the Electron-ABI build, never the Node one from node_modules', () => {
    expect(electronNativeBinding({ packaged: true, resourcesPath: '/opt/x/resources', appRoot: '/ignored' })).toBe('/opt/x/resources/native/better_sqlite3.node');
    expect(electronNativeBinding({ packaged: false, resourcesPath: '', appRoot: '/repo' })).toBe('/repo/native/electron/better_sqlite3.node');
  });
});
