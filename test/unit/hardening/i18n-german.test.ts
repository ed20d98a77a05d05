import fs from 'node:fs';
import path from 'node:path';
import { format, leafKeys, lookup, type Dictionary } from '../../../electron/contract/i18n.js';
import { dateText, dateTimeText } from '../../../electron/core/checks/probes/time-text.js';
import { triage } from '../../../electron/core/checks/triage.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { formatBytes, formatDate, formatDateTime, formatDuration, formatNumber } from '../../../renderer/src/lib/format.js';
import { ROOT } from '../../support/web-host-process.js';

const RESOURCES = defaultResourcesDir();
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(RESOURCES, file), 'utf8')) as unknown;
const en = read('i18n/en.json') as Dictionary;
const de = read('i18n/de.json') as Dictionary;

/** One text of the product in both languages, with where it lives. */
interface Pair {
  where: string;
  en: string;
  de: string;
}

/** Every English/German pair: the UI catalogue, then each `{ en, de }` of the data files (lists entry by entry). */
function pairs(): Pair[] {
  const out: Pair[] = leafKeys(en).map((k) => ({ where: `i18n ${k}`, en: lookup(en, k) ?? '', de: lookup(de, k) ?? '' }));
  function visit(node: unknown, where: string): void {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if ('en' in o && 'de' in o) {
      const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map(String);
      const [e, d] = [list(o.en), list(o.de)];
      e.forEach((x, i) => out.push({ where: `${where}[${i}]`, en: x, de: d[i] ?? '' }));
      return;
    }
    for (const [k, v] of Object.entries(o)) visit(v, `${where}.${k}`);
  }
  for (const file of fs.readdirSync(RESOURCES).filter((f) => f.endsWith('.json'))) visit(read(file), file);
  return out;
}

/**
 * Words that are the same in a German admin's text as in English, and why. A German text equal to
 * its English one is fine only when it is made of these (and of placeholders, codes, numbers and
 * punctuation): "Appliance", "Status" or "Proxy" are what a German admin writes too.
 */
const SHARED_WORDS = new Set(
  [
    // Cisco's product and portal names, as Cisco writes them (never translated).
    ...['Secure', 'Email', 'XDR', 'AsyncOS', 'API', 'SSE', 'Customer', 'eXperience', 'Drive', 'CXD', 'Cisco', 'TAC'],
    // The app's own name.
    'Troubleshooter',
    // Loanwords of German IT usage (in the Duden): what the German UI says for these.
    ...['Appliance', 'Cluster', 'Details', 'optional', 'Token', 'Tokens', 'Cookies', 'Proxy', 'Version', 'Region', 'Status', 'Name', 'JSON', 'Web', 'URL', 'URLs', 'UTC'],
    // Language names are written in their own language in a language picker.
    ...['English', 'Deutsch'],
    // File and field names that are literal (manifest.json, trustedCaFile).
    ...['manifest', 'json', 'trustedCaFile'],
    // JSON's own literal and a binary unit, written the same in German.
    ...['null', 'MiB'],
  ].map((w) => w.toLowerCase()),
);

/** A text without its placeholders (plural ones nest braces), URLs and `code`. */
function plain(text: string): string {
  let s = text;
  // Cisco product names and GUI labels that stay English (listed with the function-word rule below).
  for (const name of ENGLISH_NAMES) s = s.split(name).join(' ');
  for (let before = ''; before !== s; ) [before, s] = [s, s.replace(/\{[^{}]*\}/g, ' ')];
  return s.replace(/https?:\/\/\S+/g, ' ').replace(/`[^`]*`/g, ' ');
}

/**
 * The words a reader reads as language: letters only, two or more, once placeholders, URLs,
 * code, host and file names, versions, units and flags (anything with a digit, dot, colon,
 * slash, plus or a leading dash) are out; acronyms (NAM, HTTPS) and the shared words above are
 * not language either.
 */
function languageWords(text: string): string[] {
  return plain(text)
    .split(/[\s,;()[\]„“”"’'→·…]+/)
    .map((w) => w.replace(/[.,;:!?]+$/, ''))
    .filter((w) => /^\p{L}{2,}(?:-\p{L}+)*$/u.test(w) && !/^\p{Lu}{2,}$/u.test(w) && !SHARED_WORDS.has(w.toLowerCase()));
}

/** Index of the `}` closing the `{` at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return text.length - 1;
}

/**
 * The readable runs of a message: its top level with each placeholder as `{}`, and each branch of
 * a plural (`one {# question waits}`) on its own, its `#` as `{}` too.
 */
function runs(text: string): string[] {
  const out: string[] = [];
  let top = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '{') {
      top += text[i];
      continue;
    }
    const end = closing(text, i);
    const inner = text.slice(i + 1, end);
    const plural = /^\s*\w+\s*,\s*plural\s*,/.exec(inner);
    if (plural) {
      const body = inner.slice(plural[0].length);
      for (let j = body.indexOf('{'); j >= 0; j = body.indexOf('{', closing(body, j) + 1)) out.push(...runs(body.slice(j + 1, closing(body, j)).replace(/#/g, '{}')));
    }
    top += '{}';
    i = end;
  }
  return [top.replace(/\{\}\{\}/g, '{}'), ...out];
}

/** English clauses worth comparing: sentences, not lists of names or commands (no flag, two or more ordinary lower-case words). */
function englishClauses(text: string): string[] {
  return runs(text)
    .flatMap((r) => r.split(/(?<=[.!?;:])\s+|\n|\s[–—]\s|\s\(|\)\s/))
    .map((c) => c.replace(/^[\s"“„(]+|[\s"”“).,;:!?]+$/g, ''))
    .filter((c) => !/(^|\s)--?[a-z]/.test(c) && languageWords(c).filter((w) => /^\p{Ll}/u.test(w)).length >= 2 && languageWords(c).length >= 3);
}

/** German texts that copy English: equal to their English text, or holding one of its clauses. */
function copiedEnglish(list: Pair[]): string[] {
  const problems: string[] = [];
  for (const p of list) {
    if (p.de === p.en) {
      if (languageWords(p.en).length > 0) problems.push(`${p.where}: German equals English: "${p.en}"`);
      continue;
    }
    for (const clause of englishClauses(p.en)) {
      // Where the English has a placeholder, the German may have any (or a plural's number).
      const pattern = new RegExp(clause.split('{}').map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]{0,80}?'));
      if (pattern.test(p.de)) problems.push(`${p.where}: English clause left in German: "${clause}"`);
    }
  }
  return problems;
}

/**
 * English function words in a German text, outside what is English on purpose: placeholders,
 * code, URLs, quoted GUI labels („…“ and "…"), labels of Cisco's English-only portals in
 * parentheses, and the few names below.
 */
// Only words that are not German words as well ("was", "in", "so" are).
const ENGLISH_WORDS = /\b(the|and|with|this|that|from|is|are|were|your|you|will|should|cannot|not|of|to|for|on|by|or|at|it|be|has|have|yes|only|all|any|been|which|there|when|please|click)\b/gi;
const ENGLISH_NAMES = [
  // Cisco product names that contain an English function word.
  'Secure Email and Web Manager',
  // An AsyncOS role, as the appliance names it.
  'Read-Only Operator',
  // An HTTP status line, quoted as the server sends it.
  '429 Too Many Requests',
  // The AsyncOS GUI path in the English GUI, given beside the German one.
  'System Administration → Log Subscriptions',
];
function englishWordsIn(text: string): string[] {
  let s = text;
  for (const name of ENGLISH_NAMES) s = s.split(name).join(' ');
  s = s
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/„[^“]*“/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/--[a-z-]+/g, ' ');
  return [...s.matchAll(ENGLISH_WORDS)].map((m) => m[0]!);
}

describe('i18n: German of release quality', () => {
  const all = pairs();

  it('reads every English/German pair of the catalogue and the data files', () => {
    expect(all.length).toBeGreaterThan(1200);
    expect(all.some((p) => p.where.startsWith('findings.json'))).toBe(true);
    expect(all.some((p) => p.where.startsWith('runbook.json'))).toBe(true);
    expect(all.some((p) => p.where.startsWith('error-patterns.json'))).toBe(true);
  });

  it('no German text is an untranslated copy of its English text, or holds one of its sentences', () => {
    expect(copiedEnglish(all)).toEqual([]);
    // Most English texts are sentences the comparison looks for (a too-strict sentence filter would compare nothing).
    expect(all.flatMap((p) => englishClauses(p.en)).length).toBeGreaterThan(1000);
  });

  it('the copy detector finds what it looks for (a missed translation would otherwise pass unseen)', () => {
    const planted: Pair[] = [
      { where: 'whole', en: 'Drop HAR files here', de: 'Drop HAR files here' },
      { where: 'sentence', en: 'Saved. The password is never shown again.', de: 'Gespeichert. The password is never shown again.' },
      { where: 'with a placeholder', en: 'Cannot reach {host} from this computer.', de: 'Fehler: Cannot reach {host} from this computer' },
      { where: 'in a plural branch', en: '{n, plural, one {# check still waits for you.} other {# checks wait.}}', de: '{n, plural, one {# check still waits for you.} other {# Prüfungen warten.}}' },
      { where: 'shared words only', en: 'Appliance', de: 'Appliance' },
      { where: 'names and codes', en: 'PEM or DER files (.pem, .crt, .cer, .der)', de: 'PEM- oder DER-Dateien (.pem, .crt, .cer, .der)' },
      { where: 'translated', en: 'Check the highlighted fields.', de: 'Bitte prüfen Sie die markierten Felder.' },
    ];
    expect(copiedEnglish(planted).map((p) => p.split(':')[0])).toEqual(['whole', 'sentence', 'with a placeholder', 'in a plural branch']);
  });

  it('German texts use no English words outside product names, quoted GUI labels, code and placeholders', () => {
    const found = all.map((p) => ({ where: p.where, hits: englishWordsIn(p.de) })).filter((x) => x.hits.length > 0);
    expect(found).toEqual([]);
    // The rule sees English when it is there, and lets quoted labels be.
    expect(englishWordsIn('Klicken Sie auf Save the file')).toEqual(['the']);
    expect(englishWordsIn('Klicken Sie auf „Sync Now“ und dann auf "Save all"')).toEqual([]);
  });

  it('Cisco product names stay as Cisco writes them: never "sichere E-Mail" where the product is meant', () => {
    const problems = all
      .filter((p) => !p.where.startsWith('error-patterns.json') || !p.where.includes('phrases'))
      .filter((p) => /sicher(e|en|er)? E-Mail(?!s? verschlüssel)/i.test(p.de) || /Secure E-Mail/.test(p.de) || /Security-Services-Exchange-|Austausch von Security Services/.test(p.de))
      .map((p) => `${p.where}: ${p.de}`);
    expect(problems).toEqual([]);
  });

  it('the example in the German error field is a message the troubleshooter recognises', () => {
    const example = (lookup(de, 'checks.errorPlaceholder') ?? '').replace(/^z\.\s?B\.\s*/, '');
    expect(triage(loadKnowledge(RESOURCES), example).map((m) => m.pattern.id)).toContain('module-unexpected-error');
  });

  it('one word per concept: the German UI uses the terms it chose, not their near-synonyms', () => {
    // Each pair: a word the German texts do not use, and the one they use for the same thing.
    const avoided: [RegExp, string][] = [
      [/Anmeldedaten/, 'Zugangsdaten'],
      [/Aufzeichnung/, 'Mitschnitt'],
      [/\bTenant/, 'Mandant'],
      [/\b(?:der|den) TAC\b(?!-)/, 'das TAC'],
      [/Supportarchiv/, 'Support-Archiv'],
      [/\bCase\b(?! Manager)/, 'Fall'],
      [/Angeheftet|angeheftet|hinterlegt/, 'festgelegt'],
      [/kodiert/, 'codiert'],
      [/Task-ID/, 'Aufgaben-ID'],
    ];
    const problems = all.flatMap((p) => avoided.filter(([re]) => re.test(p.de)).map(([re, use]) => `${p.where}: ${re} → ${use}: ${p.de}`));
    expect(problems).toEqual([]);
  });

  it('no two controls of a page have near-identical German labels (the Checks page’s run button is not "… prüfen" beside "Prüfungen")', () => {
    const t = (k: string) => lookup(de, k) ?? '';
    expect(t('checks.rerun')).not.toMatch(/prüfen/i);
    expect(t('har.review')).not.toMatch(/^Prüfen$/);
    // The note that names the button names it as it is.
    expect(t('checks.manualNoteAfter')).toContain(`„${t('checks.rerun')}“`);
  });
});

describe('i18n: numbers and dates through Intl', () => {
  it('formats durations, numbers and sizes in the UI language', () => {
    expect(formatDuration(1400, 'de')).toBe('1,4 s');
    expect(formatDuration(1400, 'en')).toBe('1.4 s');
    expect(formatDuration(850, 'de')).toBe('850 ms');
    expect(formatDuration(125_000, 'de')).toBe('2 min 5 s');
    expect(formatDuration(null, 'de')).toBe('–');
    expect(formatNumber(1234.5, 'de', 1)).toBe('1.234,5');
    expect(formatNumber(1234.5, 'en', 1)).toBe('1,234.5');
    expect(formatBytes(12.3 * 2 ** 20, 'de')).toBe('12,3 MiB');
    expect(formatBytes(12.3 * 2 ** 20, 'en')).toBe('12.3 MiB');
    expect(formatBytes(512, 'de')).toBe('512 B');
  });

  it('formats dates and times in the UI language; an unreadable value stays as it came', () => {
    const iso = '2025-05-12T14:03:09Z';
    expect(formatDateTime(iso, 'de', { timeZone: 'UTC' })).toBe('12.05.2025, 14:03:09');
    expect(formatDateTime(iso, 'en', { timeZone: 'UTC' })).toBe('12 May 2025, 14:03:09');
    expect(formatDateTime(iso, 'de', { timeZone: 'UTC', seconds: false })).toBe('12.05.2025, 14:03');
    expect(formatDate('2026-01-02T00:00:00Z', 'de')).toMatch(/^0[12]\.01\.2026$/);
    expect(formatDateTime('yesterday', 'de')).toBe('yesterday');
    // The core's texts for summaries and causes: both languages, the zone named.
    expect(dateText('2026-01-02T23:30:00Z')).toEqual({ en: '2 Jan 2026', de: '02.01.2026' });
    const both = dateTimeText(iso);
    expect(typeof both === 'object' && both.de).toMatch(/^12\.05\.2025, \d\d:03:09 \S+/);
    expect(typeof both === 'object' && both.en).toMatch(/^12 May 2025, \d\d:03:09 \S+/);
  });

  it('plural counts (#) are grouped as the language writes numbers', () => {
    expect(format('{n, plural, one {# Anfrage} other {# Anfragen}}', { n: 1234 }, 'de')).toBe('1.234 Anfragen');
    expect(format('{n, plural, one {# request} other {# requests}}', { n: 1234 }, 'en')).toBe('1,234 requests');
    expect(format('{n, plural, one {# request} other {# requests}}', { n: 1 }, 'en')).toBe('1 request');
  });

  /**
   * Hand-made formatting in the renderer: `toFixed`, `toLocale…String`, an own `Intl` formatter,
   * a raw ISO date cut with `slice`, or a number glued to a unit in a template. Only lib/format.ts
   * formats; the one `toISOString` allowed stores a time (formatted where it is shown).
   */
  const HAND_FORMAT: [string, RegExp][] = [
    ['toFixed', /\.toFixed\(/],
    ['toLocale…String', /\.toLocale(?:Date|Time)?String\(/],
    ['own Intl formatter', /new Intl\.(?:NumberFormat|DateTimeFormat|RelativeTimeFormat)\(/],
    ['ISO date cut by hand', /(?:At|From|To|Time|Date|from|to)\.slice\(0,\s*1[06]\)/],
    ['number glued to a unit', /\$\{[^}]*\}\s?(?:ms|s|min|h|B|KiB|MiB|GiB|KB|MB|GB)(?![\w-])/],
  ];
  const ALLOWED: Record<string, RegExp> = {
    // The moment an upload ended, kept in state and shown through formatTime.
    'renderer/src/components/archive/CxdUpload.svelte': /const at = new Date\(\)\.toISOString\(\);/,
  };
  function handFormatting(file: string, source: string): string[] {
    const out: string[] = [];
    source.split('\n').forEach((line, i) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
      for (const [name, re] of HAND_FORMAT) if (re.test(line)) out.push(`${file}:${i + 1}: ${name}: ${line.trim()}`);
      if (/\.toISOString\(/.test(line) && !ALLOWED[file]?.test(line)) out.push(`${file}:${i + 1}: toISOString: ${line.trim()}`);
    });
    return out;
  }

  it('the renderer formats numbers and dates only through lib/format.ts', () => {
    const dir = path.join(ROOT, 'renderer', 'src');
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(svelte|ts)$/.test(f)).map((f) => path.join('renderer', 'src', f).split(path.sep).join('/'));
    expect(files.length).toBeGreaterThan(40);
    const problems = files.filter((f) => f !== 'renderer/src/lib/format.ts').flatMap((f) => handFormatting(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
    expect(problems).toEqual([]);
    // The scan sees each kind of hand formatting it is meant to refuse.
    const planted = ['{(ms / 1000).toFixed(1)}', 'n.toLocaleString()', 'new Intl.NumberFormat(lang)', 'run.startedAt.slice(0, 10)', '`${Math.round(ms)} ms`', 'date.toISOString()'].join('\n');
    expect(handFormatting('planted.svelte', planted)).toHaveLength(6);
  });
});
