import type { Language } from '../../contract/commands.js';
import { languages } from '../../contract/i18n.js';
import { readStoredSetting } from '../store/stored-setting.js';

/**
 * The settings language as the settings service answers it, read without the service (nor its
 * schemas) and without opening the store: `fallback` (the host's default) when there is no
 * database yet, no language stored, or one this build does not know. Nothing is created or
 * migrated to learn it, and a database that cannot be read is no reason to fail a command: its
 * texts are then in the default language.
 */
export function storedLanguage(databaseFile: string, fallback: Language, nativeBinding?: string): Language {
  try {
    const raw = readStoredSetting(databaseFile, 'language', nativeBinding ? { nativeBinding } : {});
    const value: unknown = raw === undefined ? undefined : JSON.parse(raw);
    return (languages as readonly unknown[]).includes(value) ? (value as Language) : fallback;
  } catch {
    return fallback;
  }
}
