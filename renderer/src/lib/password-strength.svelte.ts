import { estimatorOptions, passwordStrength, type PasswordEstimator, type PasswordStrength } from '../../../electron/contract/passphrase-strength.js';

/**
 * zxcvbn-ts in the renderer: its dictionaries are ~1 MB gzip, so they come in a chunk of their own,
 * loaded when the archive wizard opens instead of with the app (the initial JS budget is 150 KB).
 * Until it has loaded, or if it cannot load, there is no verdict here: the core judges the password
 * with the same options when the archive is built, and its refusal is shown on the field.
 */
let estimator = $state<PasswordEstimator | null>(null);
let loading: Promise<void> | undefined;

export function loadPasswordEstimator(): Promise<void> {
  return (loading ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
    import('@zxcvbn-ts/language-de'),
  ]).then(
    ([{ ZxcvbnFactory }, common, en, de]) => {
      const zxcvbn = new ZxcvbnFactory(estimatorOptions({ common, en, de }));
      estimator = (password, inputs) => zxcvbn.check(password, inputs);
    },
    () => {
      // A chunk that failed to load may load on the next visit.
      loading = undefined;
    },
  ));
}

/** The contract's verdict, or null while the estimator is loading. Reactive: re-runs once it has loaded. */
export function strengthOf(password: string, context: string[]): PasswordStrength | null {
  return estimator ? passwordStrength(password, estimator, context) : null;
}
