import { vi } from 'vitest';
import type { ElectronMock } from '../../support/electron-mock.js';

vi.mock('electron', async () => (await import('../../support/electron-mock.js')).createElectronMock());
const electron = (await import('electron')) as unknown as ElectronMock;
const { startDesktopApp } = await import('../../../electron/main/lifecycle.js');

describe('desktop app lifecycle', () => {
  beforeEach(() => {
    electron.app.quit.mockClear();
    electron.protocol.registerSchemesAsPrivileged.mockClear();
  });

  it('quits at once when another instance holds the single-instance lock', () => {
    electron.app.requestSingleInstanceLock.mockReturnValueOnce(false);
    expect(startDesktopApp()).toBe(false);
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });

  it('registers the app scheme before ready and shares the CLI data folder', () => {
    process.env.XET_DATA_DIR = '/tmp/xet-lifecycle-test';
    expect(startDesktopApp()).toBe(true);
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', '/tmp/xet-lifecycle-test');
    delete process.env.XET_DATA_DIR;
  });
});
