import type { Language } from '../contract/commands.js';
import type { ContractError, MessageParams } from '../contract/result.js';
import { requestIssueKey } from '../contract/profile-issues.js';
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
export function translate(error: Pick<ContractError, 'key' | 'params' | 'field'>, lang: Language, fallback: string, flagShown = false): string {
  if (!error.key) return fallback;
  if (flagShown && error.key === 'errors.request.field' && error.params?.detail !== undefined) {
    const detail = String(error.params.detail);
    // The profile form's words for the same refusal, in the CLI's language; else the schema's English.
    const known = requestIssueKey(error.field, detail);
    return (known && catalogueText(known.key, known.params, lang)) ?? detail;
  }
  return catalogueText(error.key, error.params, lang) ?? fallback;
}

/** Label–value lines, the values in one column `gap` spaces after the longest label's colon. */
export function labelled(rows: readonly (readonly [string, string])[], gap = 1): string {
  const width = Math.max(...rows.map(([k]) => [...k].length)) + 1 + gap;
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width)}${v}`).join('\n');
}

/** Rows of cells as columns two spaces apart (the header row first). */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd()).join('\n');
}

/** A number with `digits` decimals in the CLI's language (1.5 / 1,5), without grouping, as `toFixed` writes it. */
export function decimal(lang: Language, n: number, digits: number): string {
  return new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(n);
}

/** A size as the CLI shows it: MiB with one decimal from 1 MiB on, else bytes. */
export function sizeText(bytes: number, lang: Language): string {
  return bytes >= 1024 * 1024 ? cliText(lang, 'cli.units.mib', { value: decimal(lang, bytes / 1024 / 1024, 1) }) : cliText(lang, 'cli.units.bytes', { count: bytes });
}
