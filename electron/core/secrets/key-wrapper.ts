/**
 * One way to protect the vault's data key. The passphrase wrapper lives in core; the OS-keychain
 * wrapper (Electron safeStorage) is provided by the desktop app's composition root.
 */
export interface KeyWrapper {
  readonly method: 'passphrase' | 'safe-storage';
  /** Encrypts the 32-byte data key; answers the stored parameters and the wrapped bytes. */
  wrap(dataKey: Buffer): { params: Record<string, unknown>; wrapped: Buffer };
  /** Recovers the data key; throws WrongKeyError when this wrapper's secret does not fit. */
  unwrap(params: Record<string, unknown>, wrapped: Buffer): Buffer;
}

export class WrongKeyError extends Error {
  constructor(message = 'The key does not open this vault') {
    super(message);
    this.name = 'WrongKeyError';
  }
}
