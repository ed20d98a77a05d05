import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KnownForms } from '../../../electron/core/har/known-forms.js';
import { TextScrubber } from '../../../electron/core/har/text-scrubber.js';
import { ReportBuilder } from '../../../electron/core/har/har-report.js';
import { Pseudonyms } from '../../../electron/core/har/pseudonym.js';

// The known-value search finds forms with one indexOf each instead of the alternation regex
// `placeholder|form…`: this compares the two on random texts built from the forms, pieces of
// them, placeholders (whole, cut, percent-encoded), and other characters, in both cases.

const VALUES = ['esa1.example.com', 'esa1', 'admin', 'Sim-Passw0rd!', 'ad', 'mina', 'Example', '[REDACTED:keyword'];

function formsOf(values: string[], caseless: boolean): Map<string, string> {
  const byForm = new Map<string, string>();
  for (const v of values) {
    const forms = [v, Buffer.from(v).toString('base64'), encodeURIComponent(v), `${v}x`];
    for (const f of forms) {
      const key = caseless ? f.toLowerCase() : f;
      if (f.length >= 4 && !byForm.has(key)) byForm.set(key, caseless ? v.toLowerCase() : v);
    }
  }
  return byForm;
}

const piece = (values: string[]) =>
  fc.oneof(
    fc.constantFrom(...values),
    fc.constantFrom(...values).map((v) => v.toUpperCase()),
    fc.constantFrom(...values).chain((v) => fc.integer({ min: 0, max: v.length }).map((n) => v.slice(0, n))),
    fc.constantFrom('[REDACTED:keyword:0a1b2c]', '[REDACTED:secret:ffffff]', '%5BREDACTED%3Akeyword%3A0a1b2c%5D', '[redacted:keyword:0a1b2c]', '[REDACTED:esa1', '[REDACTED:x:12345]', '%5bredacted%3asecret%3aabcdef%5d'),
    fc.constantFrom(' ', '.', '@', 'x', '[', '%', 'ü', '\u0130', 'ß', '\n'),
    fc.string({ maxLength: 6 }),
  );

const text = (values: string[]) => fc.array(piece(values), { maxLength: 14 }).map((parts) => parts.join(''));

describe('KnownForms', () => {
  for (const caseless of [true, false]) {
    it(`replaces exactly what the alternation regex replaces (${caseless ? 'caseless' : 'case-sensitive'})`, () => {
      fc.assert(
        fc.property(fc.subarray(VALUES, { minLength: 1 }), fc.context(), (values, ctx) => {
          const forms = new KnownForms(formsOf(values, caseless), caseless);
          fc.assert(
            fc.property(text(values), (t) => {
              ctx.log(JSON.stringify(t));
              const seen: string[] = [];
              const viaSearch = forms.replace(t, (v) => {
                seen.push(v);
                return `<${v}>`;
              });
              const expected: string[] = [];
              const viaRegex = forms.viaRegex(t, (v) => {
                expected.push(v);
                return `<${v}>`;
              });
              expect(viaSearch).toBe(viaRegex);
              expect(seen).toEqual(expected);
              // The quick test may say yes for a form inside a placeholder, never no for one that is replaced.
              if (expected.length > 0) expect(forms.holds(t)).toBe(true);
            }),
            { numRuns: 60 },
          );
        }),
        { numRuns: 40 },
      );
    });
  }

  it('keeps a placeholder whole when a keyword stands inside it, and replaces the same keyword next to it', () => {
    const forms = new KnownForms(new Map([['acted', 'acted']]), true);
    expect(forms.replace('[REDACTED:keyword:0a1b2c] ACTED', () => 'X')).toBe('[REDACTED:keyword:0a1b2c] X');
    expect(forms.replace('[REDACTED:keyword:0a1b2 acted', () => 'X')).toBe('[REDX:keyword:0a1b2 X');
  });

  it('answers a call that comes back into it from put (the report masking its paths) without losing its place', () => {
    const forms = new KnownForms(new Map([['admin', 'admin'], ['esa1.example.com', 'esa1.example.com']]), true);
    const out = forms.replace('user admin on esa1.example.com and admin', (v) => `<${forms.replace(`path of ${v} admin`, () => 'k')}>`);
    expect(out).toBe('user <path of k k> on <path of k k> and <path of k k>');
  });

  it('is what the text scrubber uses: a keyword in a report path and in the text both become placeholders', () => {
    const report = new ReportBuilder();
    const scrubber = new TextScrubber(new Pseudonyms(Buffer.alloc(32, 7)), report, ['Sim-Passw0rd!'], ['esa1.example.com', 'admin']);
    const out = scrubber.scrub('ADMIN logged in to Esa1.Example.Com with Sim-Passw0rd! (U2ltLVBhc3N3MHJkIQ==)', { entry: 0, path: 'request.esa1.example.com', location: 'other' });
    expect(out).not.toMatch(/admin|esa1|Sim-Passw0rd|U2ltLVBhc3N3MHJkIQ/i);
    expect(out.match(/\[REDACTED:(secret|keyword):[0-9a-f]{6}\]/g)).toHaveLength(4);
    expect(report.byRule.keyword).toBe(2);
    expect(report.byRule.secret).toBe(2);
  });
});
