import { vi } from 'vitest';
import type { ElectronMock } from '../../support/electron-mock.js';
import { COMMAND_CHANNEL_PREFIX, EVENT_CHANNEL } from '../../../electron/contract/ipc-channels.js';
import { commandNames } from '../../../electron/contract/names.js';
import { testCore } from '../../support/core.js';

vi.mock('electron', async () => (await import('../../support/electron-mock.js')).createElectronMock());
const electron = (await import('electron')) as unknown as ElectronMock;
const { registerIpc } = await import('../../../electron/main/ipc.js');
const { FakeWebContents } = await import('../../support/electron-mock.js');

function frame(url: string, parent: unknown = null) {
  return { url, parent };
}

describe('IPC registration', () => {
  const core = testCore();
  const ours = new FakeWebContents();
  const stranger = new FakeWebContents();
  const dispose = registerIpc(core.dispatcher, core.bus, () => [ours as never], core.log);
  const call = (sender: unknown, senderFrame: unknown, command: string, payload: unknown) =>
    electron.ipcMain.handlers.get(`${COMMAND_CHANNEL_PREFIX}${command}`)!({ sender, senderFrame }, payload) as Promise<unknown>;

  afterAll(() => {
    dispose();
    core.close();
  });

  it('registers one channel per contract command and nothing generic', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(commandNames.map((n) => `${COMMAND_CHANNEL_PREFIX}${n}`).sort());
  });

  it('serves the top frame of our own window showing app://xet', async () => {
    const r = await call(ours, frame('app://xet/index.html#/settings'), 'settings.set', { language: 'de' });
    expect(r).toEqual({ ok: true, value: { language: 'de', theme: 'system', proxy: null } });
  });

  it.each([
    ['a sub-frame', () => [ours, frame('app://xet/index.html', frame('app://xet/index.html'))]],
    ['a foreign origin', () => [ours, frame('https://evil.example/')]],
    ['another app:// host', () => [ours, frame('app://evil/index.html')]],
    ['a file:// page', () => [ours, frame('file:///tmp/x.html')]],
    ['a window that is not ours', () => [stranger, frame('app://xet/index.html')]],
    ['a destroyed frame', () => [ours, null]],
    ['an unparsable URL', () => [ours, frame('::::')]],
  ])('refuses a call from %s', async (_label, make) => {
    const [sender, senderFrame] = make();
    const before = core.settings.get();
    const r = await call(sender, senderFrame, 'settings.set', { language: 'en', theme: 'dark', proxy: null });
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(core.settings.get()).toEqual(before);
  });

  it('validates the payload after the sender check', async () => {
    const r = await call(ours, frame('app://xet/index.html'), 'settings.set', { theme: 'plaid' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'theme' } });
  });

  it('sends contract events to our windows only', async () => {
    await core.dispatcher.dispatch('settings.set', { theme: 'light', proxy: null });
    expect(ours.sent.at(-1)).toEqual([EVENT_CHANNEL, 'settings.changed', { language: 'de', theme: 'light', proxy: null }]);
    expect(stranger.sent).toEqual([]);
  });
});
