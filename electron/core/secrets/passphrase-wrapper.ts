import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { WrongKeyError, type KeyWrapper } from './key-wrapper.js';

/** scrypt work factor: 2^17 × 8 × 128 B = 128 MiB and roughly half a second per unlock. */
export const SCRYPT_DEFAULTS = { N: 2 ** 17, r: 8, p: 1 } as const;
const AAD = Buffer.from('xet:vault:v1:passphrase');

interface Params {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
}

function deriveKey(passphrase: string, salt: Buffer, cost: { N: number; r: number; p: number }): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { ...cost, maxmem: 256 * cost.N * cost.r + 1024 * 1024 });
}

/** Wraps the data key with a key derived from a passphrase (scrypt → AES-256-GCM). */
export class PassphraseWrapper implements KeyWrapper {
  readonly method = 'passphrase' as const;

  constructor(
    private readonly passphrase: string,
    private readonly cost: { N: number; r: number; p: number } = SCRYPT_DEFAULTS,
  ) {}

  wrap(dataKey: Buffer): { params: Record<string, unknown>; wrapped: Buffer } {
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const kek = deriveKey(this.passphrase, salt, this.cost);
    const cipher = createCipheriv('aes-256-gcm', kek, iv);
    cipher.setAAD(AAD);
    const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    kek.fill(0);
    const params: Params = { kdf: 'scrypt', ...this.cost, salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
    return { params: { ...params }, wrapped };
  }

  unwrap(raw: Record<string, unknown>, wrapped: Buffer): Buffer {
    const params = raw as unknown as Params;
    if (params.kdf !== 'scrypt') throw new Error(`Unsupported key derivation "${String(params.kdf)}"`);
    const kek = deriveKey(this.passphrase, Buffer.from(params.salt, 'base64'), { N: params.N, r: params.r, p: params.p });
    try {
      const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(params.iv, 'base64'));
      decipher.setAAD(AAD);
      decipher.setAuthTag(Buffer.from(params.tag, 'base64'));
      return Buffer.concat([decipher.update(wrapped), decipher.final()]);
    } catch {
      throw new WrongKeyError('Wrong vault passphrase');
    } finally {
      kek.fill(0);
    }
  }
}
