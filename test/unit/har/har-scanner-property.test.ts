import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HarError } from '../../../electron/core/har/har-errors.js';
import { HarScanner } from '../../../electron/core/har/har-scanner.js';

// The streaming scanner is hand-written for speed: this compares it with JSON.parse on random
// HAR-shaped JSON, written with random white space and fed in random chunk sizes.

interface Seen {
  root: Record<string, unknown>;
  log: Record<string, unknown>;
  entries: unknown[];
  raws: string[];
  order: string[];
}

/** Runs the scanner over `bytes` cut at `cuts` (sorted offsets); what it saw, or the HarError it threw. */
function scan(bytes: Buffer, cuts: number[]): Seen | HarError {
  const seen: Seen = { root: {}, log: {}, entries: [], raws: [], order: [] };
  const scanner = new HarScanner('t.har', {
    rootField: (key, value) => {
      seen.root[key] = value;
      seen.order.push(`root.${key}`);
    },
    logStart: () => seen.order.push('log{'),
    logField: (key, value) => {
      seen.log[key] = value;
      seen.order.push(`log.${key}`);
    },
    entriesStart: () => seen.order.push('entries['),
    entry: (value, index, _offset, raw) => {
      expect(index).toBe(seen.entries.length);
      seen.entries.push(value);
      seen.raws.push(raw);
    },
    entriesEnd: () => seen.order.push(']'),
    logEnd: () => seen.order.push('}'),
  });
  try {
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (cut > from) scanner.feed(bytes.subarray(from, cut));
      from = Math.max(from, cut);
    }
    scanner.end();
  } catch (error) {
    if (error instanceof HarError) return error;
    throw error;
  }
  return seen;
}

const key = fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', 'é', '"', '\\', '\u2028', '😀', ' ', '_') }).filter((k) => k !== 'log' && k !== 'entries' && k !== '__proto__');
const value = fc.jsonValue({ maxDepth: 4 });
const fields = fc.uniqueArray(fc.tuple(key, value), { maxLength: 4, selector: ([k]) => k });
const harDoc = fc.record({
  rootBefore: fields,
  rootAfter: fields,
  logBefore: fields,
  logAfter: fields,
  entries: fc.array(value, { maxLength: 6 }),
});
const indent = fc.constantFrom(undefined, 0, 1, 2, '\t', ' \r\n ');

type Doc = typeof harDoc extends fc.Arbitrary<infer T> ? T : never;

function build(d: Doc): Record<string, unknown> {
  const log: Record<string, unknown> = {};
  for (const [k, v] of d.logBefore) log[k] = v;
  log.entries = d.entries;
  for (const [k, v] of d.logAfter) if (!(k in log)) log[k] = v;
  const root: Record<string, unknown> = {};
  for (const [k, v] of d.rootBefore) root[k] = v;
  root.log = log;
  for (const [k, v] of d.rootAfter) if (!(k in root)) root[k] = v;
  return root;
}

const cutsFor = (n: number) => fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, n) }), { maxLength: 12 }).map((c) => c.sort((a, b) => a - b));

describe('HarScanner against JSON.parse (fast-check)', () => {
  it('random HAR-shaped JSON, random white space, random chunk sizes: the same fields and entries, and each raw entry parses to its entry', () => {
    fc.assert(
      fc.property(
        harDoc,
        indent,
        fc.nat(),
        (d, space, seed) => {
          const doc = build(d);
          const bytes = Buffer.from(JSON.stringify(doc, null, space as string | number | undefined), 'utf8');
          const parsed = JSON.parse(bytes.toString('utf8')) as { log: Record<string, unknown> & { entries: unknown[] } } & Record<string, unknown>;
          const cuts = fc.sample(cutsFor(bytes.length), { numRuns: 1, seed })[0]!;
          const seen = scan(bytes, cuts);
          expect(seen).not.toBeInstanceOf(HarError);
          const s = seen as Seen;
          const { log, ...root } = parsed;
          const { entries, ...logFields } = log;
          expect(s.root).toEqual(root);
          expect(s.log).toEqual(logFields);
          expect(s.entries).toEqual(entries);
          for (let k = 0; k < s.raws.length; k++) expect(JSON.parse(s.raws[k]!)).toEqual(entries[k]);
          // Fields arrive in file order, log's start and end around them.
          expect(s.order.filter((o) => o.startsWith('root.'))).toEqual(Object.keys(root).map((k) => `root.${k}`));
        },
      ),
      { numRuns: 400, seed: 20261202 },
    );
  });

  it('one byte changed or the text cut anywhere: the scanner refuses exactly when JSON.parse does, else it agrees', () => {
    fc.assert(
      fc.property(harDoc, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.nat(), (d, at, byte, cut, seed) => {
        const original = Buffer.from(JSON.stringify(build(d)), 'utf8');
        const pos = at % original.length;
        const bytes = cut ? original.subarray(0, pos) : Buffer.concat([original.subarray(0, pos), Buffer.from([byte]), original.subarray(pos + 1)]);
        let parsed: unknown;
        let parses = true;
        try {
          parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
        } catch {
          parses = false;
        }
        const cuts = fc.sample(cutsFor(bytes.length), { numRuns: 1, seed })[0]!;
        const seen = scan(bytes, cuts);
        const harShaped =
          parses &&
          parsed !== null &&
          typeof parsed === 'object' &&
          !Array.isArray(parsed) &&
          typeof (parsed as { log?: unknown }).log === 'object' &&
          (parsed as { log: unknown }).log !== null &&
          !Array.isArray((parsed as { log: unknown }).log) &&
          Array.isArray((parsed as { log: { entries?: unknown } }).log.entries);
        if (!parses) {
          expect(seen, `accepted invalid JSON: ${bytes.toString('utf8')}`).toBeInstanceOf(HarError);
          return;
        }
        if (!harShaped) return;
        // Valid and still a HAR (a changed byte inside a string or number): the same entries. A
        // changed key may repeat one; JSON.parse keeps the last, so compare only unique-key files.
        if (seen instanceof HarError) throw new Error(`refused valid JSON (${seen.message}): ${bytes.toString('utf8')}`);
        const log = (parsed as { log: { entries: unknown[] } }).log;
        expect(seen.entries).toEqual(log.entries);
      }),
      { numRuns: 1500, seed: 20261203 },
    );
  });
});
