import { vi } from 'vitest';
import type { ElectronMock } from '../../support/electron-mock.js';
import { MemoryLogger } from '../../../electron/core/logging/logger.js';
import { APP_CONTENT_SECURITY_POLICY } from '../../../electron/core/security/csp.js';

vi.mock('electron', async () => (await import('../../support/electron-mock.js')).createElectronMock());

const electron = (await import('electron')) as unknown as ElectronMock;
const { lockSession, lockWebContents, PRELOAD_ID } = await import('../../../electron/main/hardening.js');
const { FakeWebContents } = await import('../../support/electron-mock.js');

function navigate(contents: InstanceType<typeof FakeWebContents>, event: string, url: string): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, url);
  return prevented;
}

describe('session locks', () => {
  const ses = electron.session.defaultSession;
  lockSession(ses as never, '/app/dist/preload/preload.cjs');

  it('injects the contract bridge only into app://xet documents', () => {
    expect(ses.registerPreloadScript).toHaveBeenCalledWith({
      type: 'frame',
      id: PRELOAD_ID,
      filePath: '/app/dist/preload/preload.cjs',
      matches: ['app://xet/*'],
    });
  });

  it('denies every permission request and check', () => {
    const request = ses.setPermissionRequestHandler.mock.calls[0]![0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      request({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    const check = ses.setPermissionCheckHandler.mock.calls[0]![0] as () => boolean;
    expect(check()).toBe(false);
    const device = ses.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean;
    expect(device()).toBe(false);
  });

  it('cancels every network request the renderer might make', () => {
    const [filter, listener] = ses.webRequest.onBeforeRequest.mock.calls[0]! as [{ urls: string[] }, (d: unknown, cb: (r: unknown) => void) => void];
    expect(filter.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*']));
    const cb = vi.fn();
    listener({ url: 'https://telemetry.example/' }, cb);
    expect(cb).toHaveBeenCalledWith({ cancel: true });
  });

  it('adds the app CSP to responses, identical to the one app:// serves', () => {
    const listener = ses.webRequest.onHeadersReceived.mock.calls[0]![0] as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void;
    const cb = vi.fn();
    listener({ responseHeaders: { 'X-Other': ['1'] } }, cb);
    const headers = cb.mock.calls[0]![0].responseHeaders as Record<string, string[]>;
    expect(headers['Content-Security-Policy']).toEqual([APP_CONTENT_SECURITY_POLICY]);
    expect(headers['X-Other']).toEqual(['1']);
  });
});

describe('web contents locks', () => {
  const log = new MemoryLogger();
  const contents = new FakeWebContents();
  lockWebContents(contents as never, log);

  beforeEach(() => electron.shell.openExternal.mockClear());

  it('keeps in-app navigation and blocks navigation anywhere else', () => {
    expect(navigate(contents, 'will-navigate', 'app://xet/index.html#/settings')).toBe(false);
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1:1/', 'app://other/index.html', 'javascript:alert(1)']) {
      expect(navigate(contents, 'will-navigate', url), url).toBe(true);
      expect(navigate(contents, 'will-redirect', url), url).toBe(true);
    }
  });

  it('refuses to attach webviews', () => {
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });

  it('denies every new window and opens only allow-listed portals in the system browser', () => {
    expect(contents.windowOpenHandler!({ url: 'https://admin.eu.sse.itd.cisco.com/app/devices?x=1' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://admin.eu.sse.itd.cisco.com/');
    electron.shell.openExternal.mockClear();
    const refusedBefore = log.lines.filter((l) => l.includes('external link refused')).length;
    for (const url of [
      'https://evil.example/',
      'http://admin.sse.itd.cisco.com/',
      'https://admin.sse.itd.cisco.com.evil.example/',
      'https://user:pw@admin.sse.itd.cisco.com/',
      'https://admin.sse.itd.cisco.com:8443/',
      'file:///etc/passwd',
      'smb://share/x',
    ]) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(log.lines.filter((l) => l.includes('external link refused')).length - refusedBefore).toBe(7);
  });

  it('opens an allow-listed portal when the page navigates to it, but never in-app', () => {
    expect(navigate(contents, 'will-navigate', 'https://xdr.us.security.cisco.com/')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://xdr.us.security.cisco.com/');
  });
});
