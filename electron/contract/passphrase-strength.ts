/**
 * The product's policy for archive passwords, shared by the UI (as the user types) and the core
 * (which refuses a weak one). The guessing itself is zxcvbn-ts's (dictionaries in English and
 * German, leetspeak, keyboard walks, repeats, dates); the contract holds no runtime dependency, so it
 * takes the estimator as a port: the core passes one built eagerly from the packages, the renderer one
 * it loads lazily. Both build it with `estimatorOptions`, so what passes in the UI passes in the core.
 *
 * Offsets: zxcvbn reports matches as UTF-16 indexes (`i`..`j`), and this file only ever slices the
 * password with them; the length rule counts code points (what the user sees as characters).
 */

export const MIN_PASSWORD_LENGTH = 12;
/** 10^12 guesses: what a random 12-character password costs the estimator. */
export const MIN_PASSWORD_BITS = 40;
/** 10^18 guesses. */
export const STRONG_PASSWORD_BITS = 60;

export const PASSWORD_PROBLEMS = ['too-short', 'common-word', 'leetspeak', 'product-word', 'repeats', 'sequence', 'keyboard', 'date'] as const;
export type PasswordProblem = (typeof PASSWORD_PROBLEMS)[number];

export interface PasswordStrength {
  bits: number;
  level: 'weak' | 'fair' | 'strong';
  acceptable: boolean;
  problems: PasswordProblem[];
}

/** The part of a zxcvbn-ts match the policy reads (ZxcvbnResult['sequence'][number] is assignable). */
export interface EstimateMatch {
  pattern: string;
  i: number;
  j: number;
  dictionaryName?: string;
  l33t?: boolean;
  regexName?: string;
  baseMatches?: readonly EstimateMatch[];
}

/** The part of a zxcvbn-ts result the policy reads. */
export interface PasswordEstimate {
  guessesLog10: number;
  sequence: readonly EstimateMatch[];
}

export type PasswordEstimator = (password: string, userInputs: string[]) => PasswordEstimate;

/**
 * The vendor's and the product's own words: the first an attacker who knows where the archive comes
 * from tries. Lower case; zxcvbn also finds them capitalised, reversed and in leetspeak (C1sco).
 */
export const PRODUCT_WORDS = ['cisco', 'ironport', 'asyncos', 'xdr', 'securex', 'secureemail', 'talos'];
const PRODUCT_DICTIONARY = 'product';
/** Matches that say "this came from the context", not from a general word list. */
const CONTEXT_DICTIONARIES = new Set([PRODUCT_DICTIONARY, 'userInputs']);

type WordLists = Record<string, string[]>;

/** The language packages the estimator is built from (module namespaces of @zxcvbn-ts/language-*). */
export interface EstimatorPackages {
  common: { dictionary: WordLists; adjacencyGraphs: unknown };
  en: { dictionary: WordLists };
  de: { dictionary: WordLists };
}

/** zxcvbn-ts options, the same in the core and the renderer: common + English + German + product words. */
export function estimatorOptions(packages: EstimatorPackages): { dictionary: WordLists; graphs: never; useLevenshteinDistance: boolean; l33tMaxSubstitutions: number } {
  return {
    dictionary: { ...packages.common.dictionary, ...packages.en.dictionary, ...packages.de.dictionary, [PRODUCT_DICTIONARY]: PRODUCT_WORDS },
    // The graphs are opaque to the policy: handed through as the package shaped them.
    graphs: packages.common.adjacencyGraphs as never,
    // Off: it multiplies the time per keystroke by ten and the dictionaries already catch the variants that matter.
    useLevenshteinDistance: false,
    // The default (512) spends ~0.8 s on a generated 35-character passphrase (its digits all read as
    // leetspeak); 8 finds the same words in the table's leetspeak passwords at a fifteenth of the cost.
    l33tMaxSubstitutions: 8,
  };
}

/**
 * The appliance's own names as zxcvbn "user inputs": the profile name, the management host (whole
 * and by label, without the top-level domain) and the user name. Short pieces would match by chance.
 */
export function passwordContext(profile: { name?: string; host?: string; username?: string } | null | undefined): string[] {
  if (!profile) return [];
  const words = new Set<string>();
  const add = (s: string | undefined): void => {
    const w = s?.trim().toLowerCase();
    if (w && [...w].length >= 3) words.add(w);
  };
  add(profile.name);
  add(profile.username);
  add(profile.host);
  const labels = (profile.host ?? '').split('.');
  if (!/^[\d.]+$/.test(profile.host ?? '')) labels.slice(0, labels.length > 1 ? -1 : undefined).forEach(add);
  return [...words];
}

function flatten(matches: readonly EstimateMatch[]): EstimateMatch[] {
  return matches.flatMap((m) => [m, ...flatten(m.baseMatches ?? [])]);
}

function problemsOf(match: EstimateMatch): PasswordProblem[] {
  switch (match.pattern) {
    case 'dictionary':
      if (CONTEXT_DICTIONARIES.has(match.dictionaryName ?? '')) return match.l33t ? ['product-word', 'leetspeak'] : ['product-word'];
      return match.l33t ? ['common-word', 'leetspeak'] : ['common-word'];
    case 'repeat':
      return ['repeats'];
    case 'sequence':
      return ['sequence'];
    case 'spatial':
      return ['keyboard'];
    case 'date':
      return ['date'];
    case 'regex':
      return match.regexName === 'recentYear' ? ['date'] : [];
    default:
      return [];
  }
}

const bitsOf = (estimate: PasswordEstimate): number => Math.round(estimate.guessesLog10 * Math.log2(10));

/**
 * The verdict on one password. A vendor word or one of the appliance's names adds no strength: when
 * the estimate used one, the rest of the password (those spans cut out) must carry the minimum alone.
 */
export function passwordStrength(password: string, estimate: PasswordEstimator, context: string[] = []): PasswordStrength {
  if (password === '') return { bits: 0, level: 'weak', acceptable: false, problems: [] };
  const result = estimate(password, context);
  const problems = new Set<PasswordProblem>();
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.add('too-short');
  for (const m of flatten(result.sequence)) problemsOf(m).forEach((p) => problems.add(p));
  let bits = bitsOf(result);
  const contextual = result.sequence.filter((m) => flatten([m]).some((x) => x.pattern === 'dictionary' && CONTEXT_DICTIONARIES.has(x.dictionaryName ?? '')));
  if (contextual.length > 0) {
    let rest = '';
    let from = 0;
    for (const m of contextual) {
      rest += password.slice(from, m.i);
      from = m.j + 1;
    }
    rest += password.slice(from);
    bits = Math.min(bits, rest === '' ? 0 : bitsOf(estimate(rest, context)));
  }
  const acceptable = !problems.has('too-short') && bits >= MIN_PASSWORD_BITS;
  const level = !acceptable ? 'weak' : bits >= STRONG_PASSWORD_BITS ? 'strong' : 'fair';
  return { bits, level, acceptable, problems: PASSWORD_PROBLEMS.filter((p) => problems.has(p)) };
}
