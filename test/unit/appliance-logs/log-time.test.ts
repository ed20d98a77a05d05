import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHeaderLine, localStamp, STAMP } from '../../../electron/core/appliance-logs/log-time.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The stamp as the pattern reads it: the reference for the hand-written reader. */
function byPattern(line: string): number | null {
  const m = STAMP.exec(line);
  if (!m) return null;
  return Date.UTC(Number(m[6]), MONTHS.indexOf(m[1]!), Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
}

// Lines near the format: real stamps, then each character possibly swapped for a look-alike.
const nearStamp = fc
  .tuple(
    fc.constantFrom('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Thx', 'mon', 'WED'),
    fc.constantFrom(...MONTHS, 'Jun', 'Foo', 'jan', 'Déc'),
    fc.oneof(fc.integer({ min: 0, max: 39 }).map((d) => String(d).padStart(2, ' ')), fc.integer({ min: 0, max: 39 }).map((d) => String(d).padStart(2, '0')), fc.constantFrom(' x', '1 ', '٣1')),
    fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
    fc.constantFrom(':', ' ', '.'),
    fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
    fc.integer({ min: 0, max: 99999 }).map((n) => String(n).padStart(4, '0')),
    fc.constantFrom(' Info: x', ' ', '', 'Info', ' Critical: sse_connectord'),
  )
  .map(([w, m, d, h, sep, mm, y, rest]) => `${w} ${m} ${d} ${h}${sep}${mm}:${h} ${y}${rest}`);

describe('log line times', () => {
  it('reads a stamp exactly as the pattern does, and refuses what it refuses', () => {
    fc.assert(
      fc.property(fc.oneof(nearStamp, fc.string({ maxLength: 40 })), (line) => {
        expect(localStamp(line)).toBe(byPattern(line));
      }),
      { numRuns: 5000 },
    );
    expect(localStamp('Wed Sep  8 18:03:06 2004 Info: Begin Logfile')).toBe(Date.UTC(2004, 8, 8, 18, 3, 6));
  });

  it('takes a header line by its message, not by words quoted in a later message', () => {
    expect(isHeaderLine('Wed Sep  8 18:03:06 2004 Info: Begin Logfile')).toBe(true);
    expect(isHeaderLine('Wed Sep  8 18:03:06 2004 Info: Version: 15.5.1-055 SN: 4C4C4544-0042-SIM')).toBe(true);
    expect(isHeaderLine('Wed Sep  8 18:03:06 2004 Info: Time offset from UTC: 3600 seconds')).toBe(true);
    expect(isHeaderLine('Wed Sep  8 18:03:06 2004 Info: API: GET /logs?q=Time offset from UTC: 60 seconds')).toBe(false);
    expect(isHeaderLine('Wed Sep  8 18:03:06 2004 Info: MID 5 Subject: Begin Logfile')).toBe(false);
    // A header line without a stamp still counts, as before.
    expect(isHeaderLine('Time offset from UTC: 3600 seconds')).toBe(true);
    expect(isHeaderLine('Wed Sep  8 18:03:06 2004 Info: user logged in')).toBe(false);
  });
});
