import { VAULT_PASSPHRASE_MAX, VAULT_PASSPHRASE_MIN } from '../../../electron/contract/profiles.js';
import type { Key } from './i18n.svelte.js';

export type VaultProblemCode = 'empty' | 'too-short' | 'too-long' | 'repeat-empty' | 'mismatch';

export interface VaultProblem {
  code: VaultProblemCode;
  /** The field to mark and focus. */
  field: 'passphrase' | 'repeat';
  text: string;
}

/**
 * Everything wrong with a new vault passphrase and its repetition, all at once (too short and
 * not repeated, say), so the user fixes both in one go instead of learning of the second only
 * after the first. The length rules are the contract's, which the core checks again.
 */
export function vaultPassphraseProblems(passphrase: string, repeat: string, translate: (key: Key, params?: Record<string, string | number>) => string): VaultProblem[] {
  const out: VaultProblem[] = [];
  const length = passphrase.length;
  if (passphrase === '') out.push({ code: 'empty', field: 'passphrase', text: translate('profiles.vaultProblem.empty', { min: VAULT_PASSPHRASE_MIN }) });
  else if (passphrase.length < VAULT_PASSPHRASE_MIN) out.push({ code: 'too-short', field: 'passphrase', text: translate('profiles.vaultProblem.tooShort', { length, min: VAULT_PASSPHRASE_MIN }) });
  else if (passphrase.length > VAULT_PASSPHRASE_MAX) out.push({ code: 'too-long', field: 'passphrase', text: translate('profiles.vaultProblem.tooLong', { max: VAULT_PASSPHRASE_MAX }) });
  if (repeat === '') out.push({ code: 'repeat-empty', field: 'repeat', text: translate('profiles.vaultProblem.repeatEmpty') });
  else if (repeat !== passphrase) out.push({ code: 'mismatch', field: 'repeat', text: translate('profiles.vaultMismatch') });
  return out;
}
