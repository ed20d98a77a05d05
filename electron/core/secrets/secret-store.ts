import type { Database, Statement } from 'better-sqlite3';
import { secretKinds, type SecretKind } from '../../contract/profiles.js';
import type { Logger } from '../logging/logger.js';
import type { Sealed, Vault } from './vault.js';

export interface SecretState {
  kind: SecretKind;
  stored: boolean;
  updatedAt: string | null;
}

/** The associated data binds each ciphertext to its profile and kind: rows cannot be swapped. */
const aad = (profileId: string, kind: SecretKind) => `xet:secret:v1:${profileId}:${kind}`;

/**
 * Encrypted secrets per profile. Values go in through `set`, come out only through `reveal` to
 * other core services (never to a transport), and are registered with the log redactor either way.
 */
export class SecretStore {
  private readonly select: Statement<[string, string], Sealed & { updated_at: string }>;
  private readonly listStmt: Statement<[string], { kind: SecretKind; updated_at: string }>;
  private readonly upsert: Statement<[string, string, number, Buffer, Buffer, Buffer, string]>;
  private readonly remove: Statement<[string, string]>;

  constructor(
    db: Database,
    private readonly vault: Vault,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.select = db.prepare('SELECT format, iv, tag, ciphertext, updated_at FROM secrets WHERE profile_id = ? AND kind = ?');
    this.listStmt = db.prepare('SELECT kind, updated_at FROM secrets WHERE profile_id = ?');
    this.upsert = db.prepare(
      `INSERT INTO secrets (profile_id, kind, format, iv, tag, ciphertext, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(profile_id, kind) DO UPDATE SET format = excluded.format, iv = excluded.iv, tag = excluded.tag,
         ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM secrets WHERE profile_id = ? AND kind = ?');
  }

  status(profileId: string): SecretState[] {
    const rows = new Map(this.listStmt.all(profileId).map((r) => [r.kind, r.updated_at]));
    return secretKinds.map((kind) => ({ kind, stored: rows.has(kind), updatedAt: rows.get(kind) ?? null }));
  }

  has(profileId: string, kind: SecretKind): boolean {
    return this.select.get(profileId, kind) !== undefined;
  }

  /** Whether stored secrets can be opened now (the vault is unlocked). */
  isOpen(): boolean {
    return this.vault.status().state === 'unlocked';
  }

  /** The vault open (or created) before a caller's transaction stores secrets; see `Vault.ready`. */
  ready(): void {
    this.vault.ready();
  }

  set(profileId: string, kind: SecretKind, value: string): SecretState {
    this.log.redactor.addSecret(value);
    const sealed = this.vault.seal(value, aad(profileId, kind));
    const now = this.clock().toISOString();
    this.upsert.run(profileId, kind, sealed.format, sealed.iv, sealed.tag, sealed.ciphertext, now);
    this.log.info('secret stored', { profileId, kind });
    return { kind, stored: true, updatedAt: now };
  }

  clear(profileId: string, kind: SecretKind): SecretState {
    const changes = this.remove.run(profileId, kind).changes;
    if (changes > 0) this.log.info('secret cleared', { profileId, kind });
    return { kind, stored: false, updatedAt: null };
  }

  /** For core services only (e.g. to build an auth header); never hand the result to a transport. */
  reveal(profileId: string, kind: SecretKind): string | null {
    const row = this.select.get(profileId, kind);
    if (!row) return null;
    const value = this.vault.open(row, aad(profileId, kind));
    this.log.redactor.addSecret(value);
    return value;
  }

  /**
   * Every stored secret of a profile, for scrubbing them out of text (HAR sanitiser, support
   * archive, analysis quotes); core services only, like `reveal`.
   */
  revealAll(profileId: string): string[] {
    return this.status(profileId).flatMap(({ kind, stored }) => {
      const value = stored ? this.reveal(profileId, kind) : null;
      return value ? [value] : [];
    });
  }

  /** Re-encrypts every secret of one profile for another (profile duplication). */
  copyAll(fromId: string, toId: string): number {
    let copied = 0;
    for (const { kind, stored } of this.status(fromId)) {
      if (!stored) continue;
      const value = this.reveal(fromId, kind);
      if (value !== null) {
        this.set(toId, kind, value);
        copied++;
      }
    }
    return copied;
  }
}
