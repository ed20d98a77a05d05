import { vi } from 'vitest';
import { WrongKeyError } from '../../../electron/core/secrets/key-wrapper.js';

vi.mock('electron', async () => (await import('../../support/electron-mock.js')).createElectronMock());
const { safeStorageWrapper } = await import('../../../electron/main/safe-storage-wrapper.js');

/** An OS keychain stand-in: reversible only with its own key, like safeStorage. */
function keychain(k: number) {
  return {
    encryptString: (s: string) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ k)),
    decryptString: (b: Buffer) => {
      const text = Buffer.from(b.map((x) => x ^ k)).toString('utf8');
      if (!/^[A-Za-z0-9+/=]+$/.test(text)) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return text;
    },
  };
}

describe('safeStorage key wrapper', () => {
  it('wraps the vault key with the OS keychain and never stores it in clear', () => {
    const key = Buffer.alloc(32, 0x5a);
    const w = safeStorageWrapper(keychain(0x33));
    const { params, wrapped } = w.wrap(key);
    expect(params).toEqual({ format: 'safeStorage:v1' });
    expect(wrapped.includes(key.toString('base64'))).toBe(false);
    expect(w.unwrap(params, wrapped).equals(key)).toBe(true);
  });

  it('reports another user’s keychain as the wrong key, not as garbage', () => {
    const { params, wrapped } = safeStorageWrapper(keychain(0x33)).wrap(Buffer.alloc(32, 1));
    expect(() => safeStorageWrapper(keychain(0x44)).unwrap(params, wrapped)).toThrow(WrongKeyError);
    expect(() => safeStorageWrapper(keychain(0x33)).unwrap({ format: 'v0' }, wrapped)).toThrow(/Unknown keychain wrap format/);
  });
});
