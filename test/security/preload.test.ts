import { vi } from 'vitest';
import type { ElectronMock } from '../support/electron-mock.js';
import { COMMAND_CHANNEL_PREFIX, EVENT_CHANNEL } from '../../electron/contract/ipc-channels.js';
import { commandNames } from '../../electron/contract/names.js';

vi.mock('electron', async () => (await import('../support/electron-mock.js')).createElectronMock());
const electron = (await import('electron')) as unknown as ElectronMock;
await import('../../electron/preload/preload.js');

type Exposed = Record<string, Record<string, (...args: unknown[]) => unknown>>;

describe('preload bridge', () => {
  const [[key, api]] = electron.contextBridge.exposeInMainWorld.mock.calls as unknown as [[string, Exposed]];

  it('exposes one object, window.xet, once', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(key).toBe('xet');
  });

  it('exposes exactly the contract commands grouped by domain, plus event subscription', () => {
    const exposed = Object.entries(api).flatMap(([domain, fns]) => Object.keys(fns).map((m) => `${domain}.${m}`));
    expect(exposed.sort()).toEqual([...commandNames, 'events.on'].sort());
    for (const fns of Object.values(api)) for (const fn of Object.values(fns)) expect(typeof fn).toBe('function');
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send|require|process/i);
  });

  it('sends each command on its own channel', async () => {
    const r = await api.settings!.set!({ language: 'de' });
    expect(electron.ipcRenderer.invoke).toHaveBeenLastCalledWith(`${COMMAND_CHANNEL_PREFIX}settings.set`, { language: 'de' });
    expect(r).toEqual({ ok: true, value: 'from-main' });
  });

  it('delivers contract events to subscribers and ignores unknown ones', () => {
    const seen: unknown[] = [];
    const off = api.events!.on!('settings.changed', (p: unknown) => seen.push(p)) as () => void;
    electron.ipcRenderer.emit(EVENT_CHANNEL, {}, 'settings.changed', { language: 'de', theme: 'dark', proxy: null });
    electron.ipcRenderer.emit(EVENT_CHANNEL, {}, 'shell.exec', { cmd: 'rm' });
    off();
    electron.ipcRenderer.emit(EVENT_CHANNEL, {}, 'settings.changed', { language: 'en', theme: 'dark', proxy: null });
    expect(seen).toEqual([{ language: 'de', theme: 'dark', proxy: null }]);
    expect(() => api.events!.on!('anything', () => undefined)).toThrow(/Unknown event/);
  });
});

describe('preload bundle', () => {
  it('is one CommonJS file that requires nothing but electron (sandboxed preloads can load nothing else)', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const file = path.join(import.meta.dirname, '..', '..', 'dist', 'preload', 'preload.cjs');
    const code = fs.readFileSync(file, 'utf8');
    const required = [...code.matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toContain('zod');
  });
});
