import { describe, expect, it } from 'vitest';
import { count } from '../../../electron/core/english.js';

describe('English counts', () => {
  it('uses the singular for one and the plural otherwise', () => {
    expect([0, 1, 2].map((n) => count(n, 'entry', 'entries'))).toEqual(['0 entries', '1 entry', '2 entries']);
    expect(count(1, 'part')).toBe('1 part');
    expect(count(3, 'part')).toBe('3 parts');
  });
});
