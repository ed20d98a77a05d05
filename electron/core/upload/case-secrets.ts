import type { Database, Statement } from 'better-sqlite3';
import type { CaseTokenStatus } from '../../contract/upload.js';
import type { Logger } from '../logging/logger.js';
import type { Sealed, Vault } from '../secrets/vault.js';

/** The associated data binds each ciphertext to its case: a row copied to another case does not open. */
const aad = (caseNumber: string) => `xet:case-secret:v1:${caseNumber}:cxd-token`;

/**
 * Upload tokens remembered per TAC case (a token belongs to the case, not to an appliance profile),
 * sealed by the same vault as the profiles' secrets. Write-only to transports: `status` and `clear`
 * go out, the value only to the upload service.
 */
export class CaseTokenStore {
  private readonly select: Statement<[string], Sealed & { updated_at: string }>;
  private readonly upsert: Statement<[string, number, Buffer, Buffer, Buffer, string]>;
  private readonly remove: Statement<[string]>;

  constructor(
    db: Database,
    private readonly vault: Vault,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.select = db.prepare("SELECT format, iv, tag, ciphertext, updated_at FROM case_secrets WHERE case_number = ? AND kind = 'cxd-token'");
    this.upsert = db.prepare(
      `INSERT INTO case_secrets (case_number, kind, format, iv, tag, ciphertext, updated_at) VALUES (?, 'cxd-token', ?, ?, ?, ?, ?)
       ON CONFLICT(case_number, kind) DO UPDATE SET format = excluded.format, iv = excluded.iv, tag = excluded.tag,
         ciphertext = excluded.ciphertext, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare("DELETE FROM case_secrets WHERE case_number = ? AND kind = 'cxd-token'");
  }

  status(caseNumber: string): CaseTokenStatus {
    const row = this.select.get(caseNumber);
    return { caseNumber, stored: row !== undefined, updatedAt: row?.updated_at ?? null };
  }

  /** Opens (or creates) the vault now, so "remember" fails before an upload rather than after it. */
  ready(): void {
    this.vault.ready();
  }

  set(caseNumber: string, token: string): CaseTokenStatus {
    this.log.redactor.addSecret(token);
    const sealed = this.vault.seal(token, aad(caseNumber));
    const now = this.clock().toISOString();
    this.upsert.run(caseNumber, sealed.format, sealed.iv, sealed.tag, sealed.ciphertext, now);
    this.log.info('upload token remembered', { caseNumber });
    return { caseNumber, stored: true, updatedAt: now };
  }

  clear(caseNumber: string): CaseTokenStatus {
    if (this.remove.run(caseNumber).changes > 0) this.log.info('upload token forgotten', { caseNumber });
    return { caseNumber, stored: false, updatedAt: null };
  }

  /** For the upload service only; never hand the result to a transport. */
  reveal(caseNumber: string): string | null {
    const row = this.select.get(caseNumber);
    if (!row) return null;
    const value = this.vault.open(row, aad(caseNumber));
    this.log.redactor.addSecret(value);
    return value;
  }
}
