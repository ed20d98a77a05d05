/**
 * AsyncOS log line times (shared/docs/domain.md §9): `Wed Sep  8 18:03:06 2004 Info: …`, in the
 * appliance's local time; the file's `Time offset from UTC: <n> seconds` header says how far that
 * is from UTC.
 */
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
/** The stamp as a pattern: what `localStamp` reads by hand (a regex per line was a twelfth of the cleaning time). */
export const STAMP = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\d{4}) /;
/** `Www Mmm dd hh:mm:ss yyyy ` */
const STAMP_LENGTH = 25;
const OFFSET = /Time offset from UTC: (-?\d+) seconds/;
const HEADER = /(?:Begin Logfile|Version: \S+ SN: |Time offset from UTC: )/;

/** Three ASCII letters as one number, or -1. */
function word3(s: string, at: number): number {
  const a = s.charCodeAt(at);
  const b = s.charCodeAt(at + 1);
  const c = s.charCodeAt(at + 2);
  return a < 128 && b < 128 && c < 128 ? (a << 16) | (b << 8) | c : -1;
}

const WEEKDAY_CODES = new Set(WEEKDAYS.map((w) => word3(w, 0)));
const MONTH_CODES = new Map(Object.entries(MONTHS).map(([m, i]) => [word3(m, 0), i]));

function digit(s: string, at: number): number {
  const d = s.charCodeAt(at) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The two digits at `at` as a number, or -1. */
function two(s: string, at: number): number {
  const a = digit(s, at);
  const b = digit(s, at + 1);
  return a >= 0 && b >= 0 ? a * 10 + b : -1;
}

/** The line's time as the appliance wrote it, read as if UTC (ms), or null for a line without one. */
export function localStamp(line: string): number | null {
  if (line.length < STAMP_LENGTH || line.charCodeAt(3) !== 32 || line.charCodeAt(7) !== 32 || line.charCodeAt(10) !== 32 || line.charCodeAt(19) !== 32 || line.charCodeAt(24) !== 32) return null;
  if (line.charCodeAt(13) !== 58 || line.charCodeAt(16) !== 58 || !WEEKDAY_CODES.has(word3(line, 0))) return null;
  const month = MONTH_CODES.get(word3(line, 4));
  if (month === undefined) return null;
  // The day is space-padded: ` 8`.
  const day = line.charCodeAt(8) === 32 ? digit(line, 9) : two(line, 8);
  const hours = two(line, 11);
  const minutes = two(line, 14);
  const seconds = two(line, 17);
  const century = two(line, 20);
  const year = two(line, 22);
  if (day < 0 || hours < 0 || minutes < 0 || seconds < 0 || century < 0 || year < 0) return null;
  return Date.UTC(century * 100 + year, month, day, hours, minutes, seconds);
}

/** Seconds east of UTC from a `Time offset from UTC` line, or null. */
export function offsetSeconds(line: string): number | null {
  const m = OFFSET.exec(line);
  return m ? Number(m[1]) : null;
}

/**
 * A header line every file starts with: kept whatever the window. On a time-stamped line the
 * message itself must begin like one (after the level: `Info: Begin Logfile`), so a logged text
 * that merely quotes "Time offset from UTC: " neither counts as a header nor moves the offset.
 */
export function isHeaderLine(line: string, stamped = localStamp(line) !== null): boolean {
  if (!stamped) return (line.includes('Logfile') || line.includes(' SN: ') || line.includes('Time offset')) && HEADER.test(line);
  const colon = line.indexOf(': ', STAMP_LENGTH);
  // The level is one short word: `Info`, `Warning`, `Critical`, `Debug`, `Trace`.
  if (colon < 0 || colon - STAMP_LENGTH > 10) return false;
  const at = colon + 2;
  const c = line.charCodeAt(at);
  if (c === 66) return line.startsWith('Begin Logfile', at);
  if (c === 86) return line.startsWith('Version: ', at) && line.includes(' SN: ', at);
  if (c === 84) return line.startsWith('Time offset from UTC: ', at);
  return false;
}

/** The UTC time of a line whose local stamp is `local`, given the header's offset. */
export function utcOf(local: number, offset: number): number {
  return local - offset * 1000;
}
