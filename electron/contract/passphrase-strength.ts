/**
 * A conservative estimate of how hard an archive password is to guess, shared by the UI (as the
 * user types) and the core (which refuses a weak one). It charges for what attackers try first:
 * common words, repeated characters, keyboard and alphabet runs, years. Pure, no dependencies.
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MIN_PASSWORD_BITS = 60;
export const STRONG_PASSWORD_BITS = 80;

export type PasswordProblem = 'too-short' | 'common-word' | 'repeats' | 'sequence' | 'one-class';

export interface PasswordStrength {
  bits: number;
  level: 'weak' | 'fair' | 'strong';
  acceptable: boolean;
  problems: PasswordProblem[];
}

// Lower-case words and fragments guessed first (English, German, the product's own vocabulary).
const COMMON = [
  'password', 'passwort', 'kennwort', 'qwertz', 'qwerty', 'asdf', 'letmein', 'welcome', 'willkommen', 'admin',
  'administrator', 'root', 'secret', 'geheim', 'changeme', 'default', 'cisco', 'ironport', 'secure', 'email',
  'xdr', 'tac', 'support', 'archive', 'archiv', 'sommer', 'summer', 'winter', 'fruehling', 'spring', 'herbst',
  'autumn', 'monkey', 'dragon', 'master', 'login', 'test', 'hallo', 'hello', 'iloveyou', 'football', 'fussball',
];

const SEQUENCES = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiop', 'qwertzuiop', 'asdfghjkl', 'yxcvbnm', 'zxcvbnm'];

function poolSize(s: string): number {
  let pool = 0;
  if (/[a-z]/.test(s)) pool += 26;
  if (/[A-Z]/.test(s)) pool += 26;
  if (/[0-9]/.test(s)) pool += 10;
  if (/[ ]/.test(s)) pool += 1;
  if (/[!-/:-@[-`{-~]/.test(s)) pool += 33;
  // eslint-disable-next-line no-control-regex
  if (/[^\u0000-\u007f]/.test(s)) pool += 64;
  return Math.max(pool, 1);
}

function classes(s: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(s)).length;
}

export function passwordStrength(password: string): PasswordStrength {
  const problems = new Set<PasswordProblem>();
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) problems.add('too-short');
  const lower = password.toLowerCase();
  // Each character's contribution; guessable parts are charged as a few bits each instead.
  const charged = new Array<number>(chars.length).fill(1);
  let extraBits = 0;
  const lowerChars = [...lower];
  const text = lowerChars.join('');
  for (const word of COMMON) {
    for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
      for (let i = at; i < at + word.length; i++) charged[i] = 0;
      extraBits += 8;
      problems.add('common-word');
    }
  }
  for (let i = 1; i < lowerChars.length; i++) {
    if (lowerChars[i] === lowerChars[i - 1] && charged[i] !== 0) {
      charged[i] = 0.1;
      problems.add('repeats');
    }
  }
  for (let i = 2; i < lowerChars.length; i++) {
    const run = lowerChars[i - 2]! + lowerChars[i - 1]! + lowerChars[i]!;
    const reversed = [...run].reverse().join('');
    if (SEQUENCES.some((seq) => seq.includes(run) || seq.includes(reversed))) {
      charged[i] = Math.min(charged[i]!, 0.1);
      charged[i - 1] = Math.min(charged[i - 1]!, 0.5);
      problems.add('sequence');
    }
  }
  for (const m of lower.matchAll(/(19|20)\d\d/g)) {
    for (let i = m.index; i < m.index + 4; i++) charged[i] = Math.min(charged[i] ?? 0, 0.2);
  }
  if (chars.length > 0 && classes(password) === 1 && !/\s/.test(password)) problems.add('one-class');
  const perChar = Math.log2(poolSize(password));
  const bits = Math.round(charged.reduce((sum, c) => sum + c, 0) * perChar + extraBits);
  const acceptable = chars.length >= MIN_PASSWORD_LENGTH && bits >= MIN_PASSWORD_BITS;
  const level = !acceptable ? 'weak' : bits >= STRONG_PASSWORD_BITS ? 'strong' : 'fair';
  return { bits, level, acceptable, problems: [...problems] };
}

/** The English explanation of each problem (the UI translates the codes itself). */
export const passwordProblemText: Record<PasswordProblem, string> = {
  'too-short': `use at least ${MIN_PASSWORD_LENGTH} characters`,
  'common-word': 'avoid common words such as "password", "cisco" or seasons',
  repeats: 'avoid repeated characters',
  sequence: 'avoid runs such as "abc", "123" or "qwert"',
  'one-class': 'mix letters, digits and symbols, or use several words',
};
