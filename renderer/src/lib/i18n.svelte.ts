import de from '../../../resources/i18n/de.json';
import en from '../../../resources/i18n/en.json';
import type { Language } from '../../../electron/contract/commands.js';
import { format, lookup, type Dictionary, type MessageKey } from '../../../electron/contract/i18n.js';

export type Key = MessageKey<typeof en>;

const dictionaries: Record<Language, Dictionary> = { en, de };

let current = $state<Language>('en');

export const i18n = {
  get language(): Language {
    return current;
  },
  set language(value: Language) {
    current = value;
    if (typeof document !== 'undefined') document.documentElement.lang = value;
  },
};

/** Translates a key in the current language; falls back to English, then to the key itself. */
export function t(key: Key, params?: Record<string, string | number>): string {
  const own = lookup(dictionaries[current], key);
  // A message missing in this language falls back to English, and so do its plural forms.
  return format(own ?? lookup(dictionaries.en, key) ?? key, params, own === undefined ? 'en' : current);
}
