import type { Language } from '../../../electron/contract/commands.js';

/**
 * Numbers, sizes, durations and dates as people read them in the UI's language, all through
 * `Intl`: `1,4 s` and `12,3 MiB` in German, `1.4 s` and `12.3 MiB` in English. The one place
 * the renderer formats a number or a date; the i18n test refuses `toFixed`, `toLocale…String`
 * and hand-built units anywhere else. Pure (the language is a parameter), so plain Node tests it.
 */

/** The locale behind each UI language: British English writes `12 May 2025`, a date most readers take the same way. */
const LOCALES: Record<Language, string> = { en: 'en-GB', de: 'de-DE' };

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function numberFormat(language: Language, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${language}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.NumberFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.NumberFormat(LOCALES[language], options)));
  return f;
}

function dateFormat(language: Language, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${language}|${JSON.stringify(options)}`;
  let f = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(LOCALES[language], options)));
  return f;
}

/** `1.234,5` / `1,234.5`; at most `fractionDigits` decimals (none by default). */
export function formatNumber(n: number, language: Language, fractionDigits = 0): string {
  return numberFormat(language, { maximumFractionDigits: fractionDigits }).format(n);
}

/** `12,3 MiB`, `850 KiB`, `512 B` (binary units, like the e-mail and part-size limits). */
export function formatBytes(n: number, language: Language): string {
  if (n >= 2 ** 30) return `${formatNumber(n / 2 ** 30, language, 1)} GiB`;
  if (n >= 2 ** 20) return `${formatNumber(n / 2 ** 20, language, 1)} MiB`;
  if (n >= 1024) return `${formatNumber(Math.round(n / 1024), language)} KiB`;
  return `${formatNumber(n, language)} B`;
}

/** Milliseconds to read at a glance: `850 ms`, `1,4 s`, `12 s`, `2 min 5 s`; `–` when there is none. */
export function formatDuration(ms: number | null, language: Language): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${formatNumber(ms, language, ms < 10 ? 1 : 0)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${formatNumber(s, language, s < 10 ? 1 : 0)} s`;
  const min = Math.floor(s / 60);
  const rest = Math.round(s % 60);
  return rest === 0 ? `${formatNumber(min, language)} min` : `${formatNumber(min, language)} min ${formatNumber(rest, language)} s`;
}

/** A timeline's milliseconds, one decimal below 10 s and never in minutes (the HAR inspector's scale): `850 ms`, `1,4 s`, `75 s`. */
export function formatMilliseconds(ms: number, language: Language): string {
  if (ms < 0 || !Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${formatNumber(ms, language, ms < 10 ? 1 : 0)} ms`;
  return `${formatNumber(ms / 1000, language, ms < 10_000 ? 1 : 0)} s`;
}

/** A duration in whole seconds as a number to put before the message's own `s`. */
export function formatSeconds(seconds: number, language: Language): string {
  return formatNumber(Math.round(seconds), language);
}

/** `12.05.2025, 14:03:09` / `12 May 2025, 14:03:09` in this computer's time zone; an unreadable text stays as it is. */
export function formatDateTime(iso: string, language: Language, options: { timeZone?: 'UTC'; seconds?: boolean } = {}): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(language, { dateStyle: 'medium', timeStyle: options.seconds === false ? 'short' : 'medium', ...(options.timeZone ? { timeZone: options.timeZone } : {}) }).format(d);
}

/** `12.05.2025` / `12 May 2025`. */
export function formatDate(iso: string, language: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(language, { dateStyle: 'medium' }).format(d);
}
