import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { passwordStrength, estimatorOptions, type PasswordStrength } from '../../contract/passphrase-strength.js';

/**
 * The core's zxcvbn-ts, built with the contract's options (the renderer builds the same one in its
 * lazy chunk). Loaded on first use: the dictionaries cost ~0.2 s, which a CLI command that never
 * sees a password should not pay at start-up.
 */
let loading: Promise<ZxcvbnFactory> | undefined;

async function load(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, en, de] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
    import('@zxcvbn-ts/language-de'),
  ]);
  return new ZxcvbnFactory(estimatorOptions({ common, en, de }));
}

/** The contract's verdict on an archive password; `context` are the appliance's names (passwordContext). */
export async function archivePasswordStrength(password: string, context: string[] = []): Promise<PasswordStrength> {
  const zxcvbn = await (loading ??= load());
  return passwordStrength(password, (p, inputs) => zxcvbn.check(p, inputs), context);
}
