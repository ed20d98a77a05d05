import type { Api } from '../../../electron/contract/api.js';
import type { Result } from '../../../electron/contract/result.js';

/**
 * "Open the vault when needed", shared by the Checks, Archive and Profiles pages: it asks for the
 * passphrase in the page's VaultDialog (`mode` shows it, `done` closes it) and tells the page
 * whether the vault opened. The core refuses with LOCKED before it starts anything that needs a
 * stored secret (checks.start, profiles.duplicate …), so `run` retries such a refusal once;
 * `ensureOpen` asks up front where a refusal would come only after the user typed more (the
 * archive's password).
 */
export class VaultGate {
  mode = $state<'create' | 'unlock' | null>(null);
  private resolve: ((opened: boolean) => void) | null = null;

  constructor(private readonly api: Pick<Api, 'vault'>) {}

  /** Asks for the passphrase (a new one when there is no vault yet); true once the vault is open. */
  async ask(): Promise<boolean> {
    const status = await this.api.vault.status();
    if (!status.ok) return false;
    if (status.value.state === 'unlocked') return true;
    // A vault that opens only with the desktop app's OS keychain has no passphrase to ask for.
    if (status.value.state === 'locked' && !status.value.methods.includes('passphrase')) return false;
    this.mode = status.value.state === 'uninitialized' ? 'create' : 'unlock';
    return new Promise<boolean>((resolve) => (this.resolve = resolve));
  }

  /** For the page's VaultDialog `ondone`. */
  readonly done = (opened: boolean): void => {
    this.mode = null;
    this.resolve?.(opened);
    this.resolve = null;
  };

  /** Runs an action; when the core answers LOCKED, opens the vault and runs it once more. */
  async run<T>(action: () => Promise<Result<T>>): Promise<Result<T>> {
    const first = await action();
    if (first.ok || first.error.code !== 'LOCKED') return first;
    return (await this.ask()) ? action() : first;
  }

  /** Opens a locked passphrase vault before an action that will need a stored secret; false when the user dismissed it. */
  async ensureOpen(needed: boolean): Promise<boolean> {
    if (!needed) return true;
    const v = await this.api.vault.status();
    if (!v.ok || v.value.state !== 'locked' || !v.value.methods.includes('passphrase')) return true;
    return this.ask();
  }
}
