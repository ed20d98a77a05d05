/**
 * Points in time for check summaries and finding texts, written the way each UI language reads
 * them (`12.05.2025, 14:03:09 MESZ` / `12 May 2025, 14:03:09 CEST`) instead of a raw ISO 8601
 * string. The zone is named because a stored run is read later, maybe elsewhere; the evidence
 * keeps the ISO value for whoever needs it exact.
 */
const LOCALES = { en: 'en-GB', de: 'de-DE' } as const;

function both(ms: number, options: Intl.DateTimeFormatOptions): { en: string; de: string } {
  // As dateStyle `medium` writes the date (`12 May 2025`, `12.05.2025`); dateStyle itself cannot be combined with a zone name.
  const month = (l: keyof typeof LOCALES) => (l === 'en' ? 'short' : '2-digit');
  const day = (l: keyof typeof LOCALES) => (l === 'en' ? 'numeric' : '2-digit');
  const f = (l: keyof typeof LOCALES) => new Intl.DateTimeFormat(LOCALES[l], { year: 'numeric', month: month(l), day: day(l), ...options }).format(ms);
  return { en: f('en'), de: f('de') };
}

/** A date and time in both languages; a value that is not a date stays as it came. */
export function dateTimeText(value: string | number): { en: string; de: string } | string {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  return both(ms, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
}

/** A calendar date (a certificate's last day) in both languages, in UTC like the certificate itself. */
export function dateText(value: string | number): { en: string; de: string } | string {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  return both(ms, { timeZone: 'UTC' });
}
