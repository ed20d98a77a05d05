import { describe, expect, it } from 'vitest';
import { passwordStrength } from '../../../electron/contract/passphrase-strength.js';
import { generatePassphrase } from '../../../electron/core/archive/passphrase.js';

describe('archive passwords', () => {
  it('rates guessable passwords weak and says why', () => {
    for (const weak of ['Password123!', 'cisco12345678', 'aaaaaaaaaaaaaaaa', 'Sommer2026!!', 'qwertz123456', 'short1!A']) {
      const s = passwordStrength(weak);
      expect(s.acceptable, weak).toBe(false);
      expect(s.level).toBe('weak');
      expect(s.problems.length, weak).toBeGreaterThan(0);
    }
    expect(passwordStrength('short1!A').problems).toContain('too-short');
    expect(passwordStrength('Password123!').problems).toEqual(expect.arrayContaining(['common-word', 'sequence']));
  });

  it('accepts long random or multi-word passwords', () => {
    expect(passwordStrength('tac-case-Ruby-Falcon-2931')).toMatchObject({ acceptable: true });
    expect(passwordStrength('Grüße aus Köln, Gleis 7 Nord')).toMatchObject({ acceptable: true, level: 'strong' });
    expect(passwordStrength('k7Vq-9xPz-3mRt').acceptable).toBe(true);
  });

  it('generates strong, distinct passphrases in an unambiguous alphabet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { passphrase, bits } = generatePassphrase();
      expect(passphrase).toMatch(/^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){5}$/);
      expect(bits).toBeGreaterThanOrEqual(148);
      expect(passwordStrength(passphrase)).toMatchObject({ acceptable: true, level: 'strong' });
      seen.add(passphrase);
    }
    expect(seen.size).toBe(200);
  });
});
