import type { SafeStorage } from 'electron';
import type { SecretBackendInfo } from '../contract/commands.js';

/**
 * Describes the OS keychain behind `safeStorage`. On Linux the `basic_text` backend encrypts with
 * a hard-coded key, so it is reported as unavailable: credentials are refused rather than stored weakly.
 */
export function describeSafeStorage(storage: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>, platform: NodeJS.Platform): SecretBackendInfo {
  const available = storage.isEncryptionAvailable();
  if (platform === 'darwin') return { kind: 'safe-storage', detail: 'macOS Keychain', available };
  if (platform === 'win32') return { kind: 'safe-storage', detail: 'Windows DPAPI', available };
  const backend = storage.getSelectedStorageBackend();
  if (backend === 'basic_text' || backend === 'unknown') {
    return { kind: 'safe-storage', detail: `${backend} (refused: no OS keychain such as GNOME Keyring or KWallet was found)`, available: false };
  }
  return { kind: 'safe-storage', detail: backend, available };
}
