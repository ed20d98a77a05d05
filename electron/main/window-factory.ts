import { BrowserWindow } from 'electron';

export const APP_ORIGIN = 'app://xet';
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export interface WindowOptions {
  title: string;
}

/**
 * The only place a window is made. The security settings are written out literally (not spread
 * from a variable) so reviewers and Electronegativity see exactly what ships. The contract bridge
 * (preload) is registered on the session for app://xet documents only; see hardening.ts.
 */
export function createMainWindow(options: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    title: options.title,
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    backgroundColor: '#0f1b2d',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return win;
}
