import type { SafeStorage } from 'electron';
import { WrongKeyError, type KeyWrapper } from '../core/secrets/key-wrapper.js';

/**
 * Wraps the vault's data key with the OS keychain (Keychain, DPAPI, libsecret/KWallet). Only built
 * when `describeSafeStorage` found a real keychain: Linux's basic_text backend is refused.
 */
export function safeStorageWrapper(storage: Pick<SafeStorage, 'encryptString' | 'decryptString'>): KeyWrapper {
  return {
    method: 'safe-storage',
    wrap(dataKey) {
      return { params: { format: 'safeStorage:v1' }, wrapped: storage.encryptString(dataKey.toString('base64')) };
    },
    unwrap(params, wrapped) {
      if (params.format !== 'safeStorage:v1') throw new Error(`Unknown keychain wrap format ${String(params.format)}`);
      let text: string;
      try {
        text = storage.decryptString(wrapped);
      } catch (error) {
        throw new WrongKeyError(`The OS keychain could not open the vault key: ${(error as Error).message}`);
      }
      const key = Buffer.from(text, 'base64');
      if (key.length !== 32) throw new WrongKeyError('The OS keychain returned a malformed vault key');
      return key;
    },
  };
}
