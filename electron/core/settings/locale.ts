import type { Settings } from '../../contract/commands.js';

/**
 * `de` for a German OS locale (`de`, `de-AT`, `de_CH.UTF-8`), English otherwise. Apart from the
 * settings service so `xet --help` can choose its language without loading the store or the schemas.
 */
export function languageFromLocale(locale: string | undefined): Settings['language'] {
  return locale && /^de([-_]|$)/i.test(locale) ? 'de' : 'en';
}
