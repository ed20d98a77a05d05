/**
 * AsyncOS log line times (shared/docs/domain.md §9): `Wed Sep  8 18:03:06 2004 Info: …`, in the
 * appliance's local time; the file's `Time offset from UTC: <n> seconds` header says how far that
 * is from UTC.
 */
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const STAMP = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\d{4}) /;
const OFFSET = /Time offset from UTC: (-?\d+) seconds/;
const HEADER = /(?:Begin Logfile|Version: \S+ SN: |Time offset from UTC: )/;

/** The line's time as the appliance wrote it, read as if UTC (ms), or null for a line without one. */
export function localStamp(line: string): number | null {
  const m = STAMP.exec(line);
  if (!m) return null;
  return Date.UTC(Number(m[6]), MONTHS[m[1]!]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
}

/** Seconds east of UTC from a `Time offset from UTC` line, or null. */
export function offsetSeconds(line: string): number | null {
  const m = OFFSET.exec(line);
  return m ? Number(m[1]) : null;
}

/** A header line every file starts with: kept whatever the window. */
export function isHeaderLine(line: string): boolean {
  // Every header line holds one of these words: the plain searches spare most lines the regex.
  return (line.includes('Logfile') || line.includes(' SN: ') || line.includes('Time offset')) && HEADER.test(line);
}

/** The UTC time of a line whose local stamp is `local`, given the header's offset. */
export function utcOf(local: number, offset: number): number {
  return local - offset * 1000;
}
