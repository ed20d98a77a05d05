import type { SecretBackendInfo, Settings } from '../contract/commands.js';
import { languageFromLocale } from './settings/locale.js';

/** Settings a fresh data folder starts with, in every host: the locale's language, the system theme, no proxy. */
export function defaultSettingsFor(locale: string): Settings {
  return { language: languageFromLocale(locale), theme: 'system', proxy: null };
}

/** Outside Electron the locale comes from the environment (Electron passes `app.getLocale()`). */
export function hostDefaultSettings(env: Record<string, string | undefined> = process.env): Settings {
  return defaultSettingsFor(env.LC_ALL || env.LC_MESSAGES || env.LANG || Intl.DateTimeFormat().resolvedOptions().locale);
}

/** The CLI and the web host unlock secrets with a passphrase; Electron uses the OS keychain. */
export const PASSPHRASE_BACKEND: SecretBackendInfo = {
  kind: 'passphrase',
  detail: 'passphrase vault (scrypt → AES-256-GCM)',
  available: true,
};

// Kept importable from here; it lives apart so the CLI can take it without loading the settings service.
export { takeVaultPassphrase } from './vault-passphrase.js';
