import type { Language } from '../contract/commands.js';
import { withHarLocation } from '../contract/har-location.js';
import type { ContractError, MessageParams } from '../contract/result.js';
import { catalogueText } from '../core/errors.js';

/**
 * The CLI's own texts, from the one catalogue (resources/i18n/<lang>.json, `cli.…`), in the
 * language of `--lang` or the settings. A missing key shows itself, which the i18n completeness
 * test rules out.
 */
export function cliText(lang: Language, key: `cli.${string}`, params?: MessageParams): string {
  return catalogueText(key, params, lang) ?? key;
}

/**
 * An error in the CLI's language: the catalogue text for its key, else `fallback` (its English
 * message). A schema refusal (`errors.request.field`) shown next to its flag is just zod's detail.
 */
export function translate(error: Pick<ContractError, 'key' | 'params'>, lang: Language, fallback: string, flagShown = false): string {
  if (!error.key) return fallback;
  if (flagShown && error.key === 'errors.request.field' && error.params?.detail !== undefined) return String(error.params.detail);
  const params = withHarLocation(error.key, error.params, (key, p) => catalogueText(key, p, lang) ?? key);
  return catalogueText(error.key, params, lang) ?? fallback;
}
