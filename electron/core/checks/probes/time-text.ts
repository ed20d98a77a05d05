/**
 * Points in time for check summaries and finding texts, written the way each UI language reads
 * them (`12.05.2025, 14:03:09 MESZ` / `12 May 2025, 14:03:09 CEST`) instead of a raw ISO 8601
 * string. The zone is named because a stored run is read later, maybe elsewhere; the evidence
 * keeps the ISO value for whoever needs it exact.
 */
const LOCALES = { en: 'en-GB', de: 'de-DE' } as const;

type Kind = 'dateTime' | 'date';
const OPTIONS: Record<Kind, Intl.DateTimeFormatOptions> = {
  dateTime: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' },
  date: { timeZone: 'UTC' },
};

/**
 * One formatter per language and kind, made on first use: building an Intl.DateTimeFormat costs far
 * more than formatting with it, and a batch of runs writes thousands of these texts. The local
 * zone is read when the formatter is made, as a long-running process reads it anyway.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(l: keyof typeof LOCALES, kind: Kind): Intl.DateTimeFormat {
  const key = `${l} ${kind}`;
  let f = formatters.get(key);
  if (!f) {
    // As dateStyle `medium` writes the date (`12 May 2025`, `12.05.2025`); dateStyle itself cannot be combined with a zone name.
    f = new Intl.DateTimeFormat(LOCALES[l], { year: 'numeric', month: l === 'en' ? 'short' : '2-digit', day: l === 'en' ? 'numeric' : '2-digit', ...OPTIONS[kind] });
    formatters.set(key, f);
  }
  return f;
}

function both(ms: number, kind: Kind): { en: string; de: string } {
  return { en: formatter('en', kind).format(ms), de: formatter('de', kind).format(ms) };
}

/** A date and time in both languages; a value that is not a date stays as it came. */
export function dateTimeText(value: string | number): { en: string; de: string } | string {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  return both(ms, 'dateTime');
}

/** A calendar date (a certificate's last day) in both languages, in UTC like the certificate itself. */
export function dateText(value: string | number): { en: string; de: string } | string {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  return both(ms, 'date');
}
