import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { VaultStatus } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import { WrongKeyError, type KeyWrapper } from './key-wrapper.js';
import { PassphraseWrapper, SCRYPT_DEFAULTS } from './passphrase-wrapper.js';

export const CIPHER_FORMAT = 1;

export interface Sealed {
  format: number;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

interface KeyRow {
  method: KeyWrapper['method'];
  format: number;
  params: string;
  wrapped: Buffer;
}

export interface VaultOptions {
  /** Wrappers this process can use without asking: the OS keychain, or XET_VAULT_PASSPHRASE. */
  automatic?: KeyWrapper[];
  /** scrypt cost for passphrases set through this vault (tests lower it). */
  scryptCost?: { N: number; r: number; p: number };
  bus?: EventBus;
}

/**
 * The credential vault: one random 256-bit data key encrypts every secret (AES-256-GCM); the data
 * key itself is stored only wrapped, once per unlock method, so the OS keychain and a passphrase
 * open the same vault. The data key lives in memory only while unlocked.
 */
export class Vault {
  private dataKey: Buffer | null = null;
  private readonly automatic: KeyWrapper[];
  private readonly cost: { N: number; r: number; p: number };
  private readonly rows: Statement<[], KeyRow>;
  private readonly upsert: Statement<[string, number, string, Buffer, string]>;

  constructor(
    private readonly db: Database,
    private readonly log: Logger,
    private readonly options: VaultOptions = {},
  ) {
    this.automatic = options.automatic ?? [];
    this.cost = options.scryptCost ?? SCRYPT_DEFAULTS;
    this.rows = db.prepare('SELECT method, format, params, wrapped FROM vault_keys ORDER BY method');
    this.upsert = db.prepare(
      `INSERT INTO vault_keys (method, format, params, wrapped, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(method) DO UPDATE SET format = excluded.format, params = excluded.params, wrapped = excluded.wrapped, created_at = excluded.created_at`,
    );
  }

  status(): VaultStatus {
    const methods = this.rows.all().map((r) => r.method);
    return {
      state: methods.length === 0 ? 'uninitialized' : this.dataKey ? 'unlocked' : 'locked',
      methods,
      automatic: this.automatic.length > 0,
    };
  }

  /** The data key, unlocking (or creating) the vault with the automatic wrappers if needed. */
  private key(): Buffer {
    if (this.dataKey) return this.dataKey;
    const rows = this.rows.all();
    if (rows.length === 0) {
      if (this.automatic.length === 0) {
        throw AppError.of('LOCKED', 'errors.vault.notSetUp');
      }
      // Another process on the same data folder (two `xet` commands at once) may create it first;
      // then this one opens that vault like any other.
      const created = this.create(this.automatic, { ifAbsent: true });
      if (created) return created;
      return this.key();
    }
    for (const wrapper of this.automatic) {
      const row = rows.find((r) => r.method === wrapper.method);
      if (!row) continue;
      try {
        this.adopt(wrapper.unwrap(JSON.parse(row.params) as Record<string, unknown>, row.wrapped));
        return this.dataKey!;
      } catch (error) {
        if (error instanceof WrongKeyError && wrapper.method === 'passphrase') {
          throw AppError.of('BAD_PASSPHRASE', 'errors.vault.envPassphraseWrong');
        }
        this.log.warn('automatic vault unlock failed', { method: wrapper.method, error: (error as Error).message });
      }
    }
    throw AppError.of('LOCKED', 'errors.vault.locked');
  }

  /** Unlocks now if this process can do so without asking; never throws. */
  tryAutomaticUnlock(): boolean {
    if (this.dataKey) return true;
    if (this.rows.all().length === 0) return false;
    try {
      this.key();
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Opens (or first creates) the vault with the automatic wrappers now, throwing LOCKED as `seal`
   * would; callers do this before taking the database's write lock, as scrypt takes a while.
   */
  ready(): void {
    this.key();
  }

  unlock(passphrase: string): VaultStatus {
    const row = this.rows.all().find((r) => r.method === 'passphrase');
    if (!row) {
      throw this.rows.all().length === 0 ? AppError.of('LOCKED', 'errors.vault.notSetUpChoose') : AppError.of('LOCKED', 'errors.vault.keychainOnly');
    }
    this.log.redactor.addSecret(passphrase);
    try {
      this.adopt(new PassphraseWrapper(passphrase, this.cost).unwrap(JSON.parse(row.params) as Record<string, unknown>, row.wrapped));
    } catch (error) {
      if (error instanceof WrongKeyError) throw AppError.of('BAD_PASSPHRASE', 'errors.vault.wrongPassphrase', {}, 'passphrase');
      throw error;
    }
    return this.changed();
  }

  /** Creates the vault with this passphrase, or adds/replaces the passphrase of an unlocked vault. */
  setPassphrase(passphrase: string): VaultStatus {
    this.log.redactor.addSecret(passphrase);
    const wrapper = new PassphraseWrapper(passphrase, this.cost);
    if (this.rows.all().length === 0) {
      this.create([wrapper, ...this.automatic.filter((w) => w.method !== 'passphrase')]);
    } else {
      const key = this.key();
      this.store(wrapper, key);
    }
    return this.changed();
  }

  lock(): VaultStatus {
    this.dataKey?.fill(0);
    this.dataKey = null;
    return this.changed();
  }

  seal(plaintext: string, aad: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(), iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { format: CIPHER_FORMAT, iv, tag: cipher.getAuthTag(), ciphertext };
  }

  open(sealed: Sealed, aad: string): string {
    if (sealed.format !== CIPHER_FORMAT) throw AppError.of('INTERNAL', 'errors.vault.unknownFormat', { format: sealed.format });
    const decipher = createDecipheriv('aes-256-gcm', this.key(), sealed.iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.tag);
    try {
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw AppError.of('INTERNAL', 'errors.vault.secretTampered');
    }
  }

  /** A new vault's data key; with `ifAbsent`, null when another process created the vault first. */
  private create(wrappers: KeyWrapper[], options: { ifAbsent?: boolean } = {}): Buffer | null {
    const key = randomBytes(32);
    // Wrapped before the write lock is taken: scrypt takes half a second others need not wait for.
    const wrapped = wrappers.map((w) => ({ method: w.method, ...w.wrap(key) }));
    const created = this.db.transaction(() => {
      if (this.rows.all().length > 0) {
        if (options.ifAbsent) return false;
        throw AppError.of('CONFLICT', 'errors.vault.createdConcurrently');
      }
      for (const w of wrapped) this.upsert.run(w.method, 1, JSON.stringify(w.params), w.wrapped, new Date().toISOString());
      return true;
    }).immediate();
    if (!created) return null;
    this.adopt(key);
    this.log.info('credential vault created', { methods: wrappers.map((w) => w.method) });
    return key;
  }

  private store(wrapper: KeyWrapper, key: Buffer): void {
    const { params, wrapped } = wrapper.wrap(key);
    this.upsert.run(wrapper.method, 1, JSON.stringify(params), wrapped, new Date().toISOString());
  }

  /** Takes the key and lets every automatic method open the vault from now on (e.g. keychain after a passphrase unlock). */
  private adopt(key: Buffer): void {
    this.dataKey = key;
    const present = new Set(this.rows.all().map((r) => r.method));
    for (const w of this.automatic) if (!present.has(w.method)) this.store(w, key);
  }

  private changed(): VaultStatus {
    const status = this.status();
    this.options.bus?.emit('vault.changed', status);
    return status;
  }
}
