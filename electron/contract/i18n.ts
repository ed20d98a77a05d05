/**
 * Message lookup shared by the renderer and the native menu: dotted keys into the
 * `resources/i18n/<lang>.json` dictionaries, `{name}` placeholders filled from params.
 */
export type Dictionary = { readonly [key: string]: string | Dictionary };

/**
 * The languages of the catalogues and of the settings (`Language` in commands.ts is their schema);
 * here, apart from the schemas, so a host can check a stored language without loading zod.
 */
export const languages = ['en', 'de'] as const;

/** Every dotted path to a string leaf of a dictionary type, e.g. `nav.profiles`. */
export type MessageKey<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${MessageKey<T[K]>}`;
}[keyof T & string];

export function lookup(dict: Dictionary, key: string): string | undefined {
  let node: string | Dictionary | undefined = dict;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, part)) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralCategory(language: string, n: number): string {
  let rules = pluralRules.get(language);
  if (!rules) pluralRules.set(language, (rules = new Intl.PluralRules(language)));
  return rules.select(n);
}

const countFormats = new Map<string, Intl.NumberFormat>();

/** A plural's `#` as the language writes a count: `1,234` / `1.234`. */
function countText(n: number, language: string): string {
  // Below 1000 a count is its digits in English and German alike: no NumberFormat, whose first
  // construction (ICU's start) costs about as much as a short CLI command's own work.
  if (Number.isInteger(n) && n >= 0 && n < 1000 && !Object.is(n, -0) && (languages as readonly string[]).includes(language)) return String(n);
  let f = countFormats.get(language);
  if (!f) countFormats.set(language, (f = new Intl.NumberFormat(language, { maximumFractionDigits: 20 })));
  return f.format(n);
}

/** Index of the `}` that closes the `{` at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The branch of `{count, plural, =0 {…} one {…} other {…}}` (ICU MessageFormat's plural, the part
 * translators know) for n: an exact `=n` first, then the language's plural category, then `other`.
 */
function plural(body: string, n: number, language: string): string | undefined {
  const branches = new Map<string, string>();
  const re = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
  let i = 0;
  while (i < body.length) {
    re.lastIndex = i;
    const m = re.exec(body);
    if (!m) return undefined;
    const end = closing(body, re.lastIndex - 1);
    if (end < 0) return undefined;
    branches.set(m[1]!, body.slice(re.lastIndex, end));
    i = end + 1;
    while (i < body.length && /\s/.test(body[i]!)) i++;
  }
  return branches.get(`=${n}`) ?? branches.get(pluralCategory(language, n)) ?? branches.get('other');
}

/** A placeholder's value: text, a number, or one text per language (`{ en, de }` from the knowledge data). */
export type FormatValue = string | number | Readonly<Record<string, string>>;

/**
 * Fills `{name}` placeholders from params, and `{name, plural, one {# file} other {# files}}` with
 * the branch for the language (`#` is the number). A `{ en, de }` value gives the language's text.
 * Unknown names stay visible, so a gap in the data is noticed. The one fill function of the house:
 * the renderer, the menu, the CLI, core error messages and the knowledge data all use it.
 */
export function format(template: string, params?: Readonly<Record<string, FormatValue>>, language = 'en'): string {
  if (!params) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) break;
    const end = closing(template, open);
    if (end < 0) break;
    out += template.slice(i, open);
    const whole = template.slice(open, end + 1);
    const m = /^\{(\w+)(?:\s*,\s*plural\s*,([\s\S]*))?\}$/.exec(whole);
    const name = m?.[1];
    if (!m || name === undefined || !Object.prototype.hasOwnProperty.call(params, name)) out += whole;
    else if (m[2] === undefined) out += text(params[name]!, language);
    else {
      const n = Number(params[name]);
      const branch = Number.isFinite(n) ? plural(m[2], n, language) : undefined;
      out += branch === undefined ? whole : format(branch.replace(/#/g, countText(n, language)), params, language);
    }
    i = end + 1;
  }
  return out + template.slice(i);
}

function text(value: FormatValue, language: string): string {
  return typeof value === 'object' ? (value[language] ?? value.en ?? '') : String(value);
}

/** The plural arguments of a message (`count` in `{count, plural, …}`), for checking translations. */
export function pluralNames(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\s*,\s*plural\s*,/g)].map((m) => m[1]!);
}

/** All dotted leaf keys of a dictionary, sorted; used to prove EN and DE are complete. */
export function leafKeys(dict: Dictionary, prefix = ''): string[] {
  return Object.entries(dict)
    .flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : leafKeys(v, `${prefix}${k}.`)))
    .sort();
}
