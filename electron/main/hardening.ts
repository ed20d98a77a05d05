import { app, session, type Session, type WebContents } from 'electron';
import type { Logger } from '../core/logging/logger.js';
import { APP_HOST, APP_SCHEME } from './app-protocol.js';
import { openExternalLink } from './external-links.js';

export const PRELOAD_ID = 'xet-contract-bridge';

function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

function openOrRefuse(url: string, log: Logger): void {
  if (!openExternalLink(url)) log.warn('external link refused', { url: url.slice(0, 200) });
}

/** Per-WebContents locks: no navigation away, no new windows, no webviews. */
export function lockWebContents(contents: WebContents, log: Logger): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      openOrRefuse(url, log);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openOrRefuse(url, log);
    return { action: 'deny' };
  });
}

/**
 * Session-wide locks: the contract bridge is injected only into documents of our own origin,
 * every permission is denied, app:// responses carry the CSP, and the renderer can reach no
 * network at all (it talks to main over IPC only).
 */
export function lockSession(ses: Session, preloadPath: string): void {
  ses.registerPreloadScript({ type: 'frame', id: PRELOAD_ID, filePath: preloadPath, matches: [`${APP_SCHEME}://${APP_HOST}/*`] });
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [
          "default-src 'none'; script-src app://xet; style-src app://xet; img-src app://xet data:; font-src app://xet; connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'",
        ],
      },
    });
  });
  ses.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*', 'file://*/*'] }, (_details, callback) =>
    callback({ cancel: true }),
  );
}

export function installHardening(preloadPath: string, log: Logger): void {
  lockSession(session.defaultSession, preloadPath);
  app.on('web-contents-created', (_event, contents) => lockWebContents(contents, log));
}
