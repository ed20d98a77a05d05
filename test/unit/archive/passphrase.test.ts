import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_BITS, passwordContext, type PasswordProblem } from '../../../electron/contract/passphrase-strength.js';
import { generatePassphrase } from '../../../electron/core/archive/passphrase.js';
import { requireStrongPassword } from '../../../electron/core/archive/archive-service.js';
import { archivePasswordStrength } from '../../../electron/core/archive/password-estimator.js';
import { AppError } from '../../../electron/core/errors.js';

// The appliance of a typical profile: its names must not make a password.
const APPLIANCE = passwordContext({ name: 'Frankfurt ESA', host: 'esa01.mailgw.example.de', username: 'xdrsvc' });

// Weak, with the problem the user is told about first. English and German words, leetspeak, keyboard rows.
const WEAK: [string, PasswordProblem][] = [
  // The three the old estimator called strong.
  ['Adm1nistrat0r!', 'leetspeak'],
  ['C1sco!C1sco!24', 'repeats'],
  ['Ir0nP0rt!2024', 'product-word'],
  // Vendor and product words, however decorated.
  ['AsyncOS-Rocks-2024!', 'product-word'],
  ['SecureX!SecureX!', 'repeats'],
  ['C1$c0-R0ck$-2024', 'leetspeak'],
  ['Cisco-XDR-2026-TAC', 'product-word'],
  ['ESA01-mailgw-Frankfurt', 'product-word'],
  // English.
  ['Password123!', 'common-word'],
  ['Summer2026!!', 'common-word'],
  ['iloveyou2024!', 'common-word'],
  ['qwertyuiop123', 'common-word'],
  ['zxcvbnm,.-asdf', 'keyboard'],
  ['abcdefghijklmn', 'sequence'],
  ['aaaaaaaaaaaaaaaa', 'repeats'],
  ['Football1990!', 'common-word'],
  ['short1!A', 'too-short'],
  // German.
  ['Passwort2024!', 'common-word'],
  ['Sommer2026!!', 'date'],
  ['Schmetterling1!', 'common-word'],
  ['Gehe1mn1s2024!', 'leetspeak'],
  ['qwertz123456', 'keyboard'],
  ['Fußball-München', 'common-word'],
  ['Hallo123Welt!', 'common-word'],
];

// Strong enough: long random strings, several unrelated words (English or German), the generator's format.
const STRONG = [
  'k7Vq-9xPz-3mRt',
  'tac-case-Ruby-Falcon-2931',
  'correct horse battery staple',
  'Grüße aus Köln, Gleis 7 Nord',
  'Zwiebel Trompete Gletscher 58',
  'Kaffee!Drache?Sumpf#Birke',
  'mango-lantern-quartz-violet',
  'R9#vLq2!wXe7Tz',
  'abcde-fghjk-mnpqr-stuvw-xyz23-45678',
];

describe('archive passwords', () => {
  it.each(WEAK)('refuses %s and says why (%s)', async (password, problem) => {
    const s = await archivePasswordStrength(password, APPLIANCE);
    expect(s).toMatchObject({ acceptable: false, level: 'weak' });
    expect(s.bits).toBeLessThan(MIN_PASSWORD_BITS);
    expect(s.problems).toContain(problem);
  });

  it.each(STRONG)('accepts %s', async (password) => {
    const s = await archivePasswordStrength(password, APPLIANCE);
    expect(s.acceptable, JSON.stringify(s)).toBe(true);
    expect(s.bits).toBeGreaterThanOrEqual(MIN_PASSWORD_BITS);
  });

  it('counts the length in characters, not UTF-16 units, and cuts vendor words out at the right place', async () => {
    // 11 emoji are 22 UTF-16 units but 11 characters: too short.
    expect((await archivePasswordStrength('🦊'.repeat(11))).problems).toContain('too-short');
    // Astral characters before the vendor word: the rest is cut with zxcvbn's own (UTF-16) offsets.
    const fox = await archivePasswordStrength('🦊🐙 Cisco Gletscher Trompete Zwiebel');
    expect(fox).toMatchObject({ acceptable: true });
    expect(fox.problems).toContain('product-word');
    expect((await archivePasswordStrength('🦊🐙Cisco🦊🐙Cisco')).acceptable).toBe(false);
  });

  it('treats the appliance’s own names as weak only for that appliance', async () => {
    const pw = 'mailgw-frankfurt-xdrsvc';
    const here = await archivePasswordStrength(pw, APPLIANCE);
    expect(here).toMatchObject({ acceptable: false });
    expect(here.problems).toContain('product-word');
    expect((await archivePasswordStrength(pw, [])).bits).toBeGreaterThan(here.bits);
    expect(APPLIANCE).toEqual(expect.arrayContaining(['frankfurt esa', 'xdrsvc', 'esa01.mailgw.example.de', 'esa01', 'mailgw', 'example']));
    expect(passwordContext({ host: '192.0.2.10', username: 'ad' })).toEqual(['192.0.2.10']);
  });

  it('the refusal is translated and never repeats the password or a piece of it', async () => {
    const planted = 'Pl4nted-Ir0nP0rt!';
    const error = await requireStrongPassword(planted, 'encryption.password', { name: 'Frankfurt ESA', host: 'esa01.mailgw.example.de', username: 'xdrsvc' }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect(e).toMatchObject({ code: 'INVALID_REQUEST', field: 'encryption.password', key: 'errors.archive.passwordWeak', params: { min: MIN_PASSWORD_BITS } });
    expect(e.message).toMatch(/^The archive password is too weak \(about \d+ bits, at least 40 needed\)/);
    for (const piece of [planted, 'Pl4nted', 'Ir0nP0rt']) expect(JSON.stringify({ message: e.message, params: e.params, stack: e.stack }), piece).not.toContain(piece);
    await expect(requireStrongPassword('Zwiebel Trompete Gletscher 58')).resolves.toBeUndefined();
  });

  it('an empty password is weak with nothing to explain', async () => {
    expect(await archivePasswordStrength('')).toEqual({ bits: 0, level: 'weak', acceptable: false, problems: [] });
  });

  it('generates strong, distinct passphrases in an unambiguous alphabet', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { passphrase, bits } = generatePassphrase();
      expect(passphrase).toMatch(/^[a-hjkmnp-z2-9]{5}(-[a-hjkmnp-z2-9]{5}){5}$/);
      expect(bits).toBeGreaterThanOrEqual(148);
      // The estimator takes a while on 35 characters; a sample of them is enough to keep the path strong.
      if (i % 10 === 0) expect(await archivePasswordStrength(passphrase, APPLIANCE), passphrase).toMatchObject({ acceptable: true, level: 'strong' });
      seen.add(passphrase);
    }
    expect(seen.size).toBe(200);
  }, 60_000);
});
