import { describe, expect, it } from 'vitest';
import { EMAIL, inRunsWith } from '../../../electron/core/appliance-logs/log-scrubber.js';

/** A tiny seeded generator: the same lines on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const PIECES = ['alice.jones', '@', '%40', 'example.com', 'mail-01.example.org', ' ', '\t', '  ', '.', '-', '+', '%', '=', '"', "'", ':', '(', ')', 'x', '1', 'Info:', 'to=<', '>', '[REDACTED:email-local:abc123]', 'ü', '_'];

/** Scoping EMAIL to the runs that hold an `@` must change nothing but the time it takes. */
describe('inRunsWith: EMAIL over the runs with an @ equals EMAIL over the whole line', () => {
  it('on 20 000 random lines of address-like pieces', () => {
    const next = rng(20261202);
    const tag = (m: string) => `<${m.length}>`;
    for (let n = 0; n < 20_000; n++) {
      const count = 1 + Math.floor(next() * 14);
      let line = '';
      for (let i = 0; i < count; i++) line += PIECES[Math.floor(next() * PIECES.length)];
      const whole = line.replace(EMAIL, tag);
      const scoped = inRunsWith(line, (run) => run.replace(EMAIL, tag));
      if (scoped !== whole) expect({ line, scoped }).toEqual({ line, scoped: whole });
    }
  });

  it('leaves a line without @ or %40 as the very same string, and edits only the runs that hold one', () => {
    const line = 'Thu Nov 12 06:12:33 2026 Info: no address here';
    expect(inRunsWith(line, () => 'X')).toBe(line);
    expect(inRunsWith('a b@c d e%40f g', (run) => `[${run}]`)).toBe('a [b@c] d [e%40f] g');
  });
});
