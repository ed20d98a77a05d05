import fs from 'node:fs';
import path from 'node:path';
import { app, BrowserWindow, safeStorage } from 'electron';
import { languages, type Language } from '../contract/commands.js';
import type { Dictionary } from '../contract/i18n.js';
import { readPackageInfo } from '../core/app-info.js';
import { createCore, type Core } from '../core/core.js';
import { resolveDataDir } from '../core/paths.js';
import { defaultSettingsFor } from '../core/host-defaults.js';
import { handleAppProtocol, registerAppScheme } from './app-protocol.js';
import { openExternalLink } from './external-links.js';
import { installHardening } from './hardening.js';
import { registerIpc } from './ipc.js';
import { applyMenu } from './menu.js';
import { electronNativeBinding } from './native-binding.js';
import { nativeDialogs } from './dialogs.js';
import { safeStorageWrapper } from './safe-storage-wrapper.js';
import { describeSafeStorage } from './secret-backend.js';
import { createMainWindow } from './window-factory.js';

/**
 * Composition root of the desktop app: wires Electron to the same core the CLI and web host use.
 * Returns false when another instance already runs (that one is focused instead).
 */
export function startDesktopApp(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  registerAppScheme();
  const pkg = readPackageInfo();
  const resourcesDir = app.isPackaged ? path.join(process.resourcesPath, 'resources') : path.join(pkg.root, 'resources');
  const rendererDir = path.join(pkg.root, 'dist', 'renderer');
  const preloadPath = path.join(pkg.root, 'dist', 'preload', 'preload.cjs');
  // The app and `xet` share one data folder: XET_DATA_DIR wins, else Electron's userData.
  const dataDir = resolveDataDir(process.env.XET_DATA_DIR);
  app.setPath('userData', dataDir);

  let core: Core | undefined;
  let mainWindow: BrowserWindow | undefined;

  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core?.close());

  void app.whenReady().then(() => {
    const secretBackend = describeSafeStorage(safeStorage, process.platform);
    core = createCore({
      dataDir,
      transport: 'electron',
      secretBackend,
      // Without a real OS keychain the vault falls back to a passphrase the user types.
      keyWrappers: secretBackend.available ? [safeStorageWrapper(safeStorage)] : [],
      dialogs: nativeDialogs(),
      resourcesDir,
      defaultSettings: defaultSettingsFor(app.getLocale()),
      nativeBinding: electronNativeBinding({ packaged: app.isPackaged, resourcesPath: process.resourcesPath, appRoot: pkg.root }),
    });
    const log = core.log;
    const regions = core.checks.knowledge.regions;
    const dictionaries = Object.fromEntries(
      languages.map((l) => [l, JSON.parse(fs.readFileSync(path.join(resourcesDir, 'i18n', `${l}.json`), 'utf8')) as Dictionary]),
    ) as Record<Language, Dictionary>;

    installHardening(preloadPath, log);
    handleAppProtocol(rendererDir);
    registerIpc(core.dispatcher, core.bus, () => BrowserWindow.getAllWindows().map((w) => w.webContents), log);

    const menuDeps = { dictionaries, regions, platform: process.platform, openPortal: (url: string) => void openExternalLink(url) };
    applyMenu(core.settings.get().language, menuDeps);
    core.bus.subscribe((name, payload) => {
      if (name === 'settings.changed') applyMenu(payload.language, menuDeps);
    });

    mainWindow = createMainWindow({ title: pkg.productName });
    log.info('desktop app started', { version: pkg.version });
  });
  return true;
}
