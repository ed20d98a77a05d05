import { replacementPlaces } from '../../../electron/contract/har-inspector.js';
import { overviewResults } from '../../../electron/contract/overview.js';
import fs from 'node:fs';
import path from 'node:path';
import { archiveStages } from '../../../electron/contract/archive.js';
import { checkStatuses, portalKinds, profileFormFields, runStates, seedSteps, severities } from '../../../electron/contract/checks.js';
import { HarProgress } from '../../../electron/contract/har.js';
import { leafKeys, lookup, pluralNames, type Dictionary } from '../../../electron/contract/i18n.js';
import { commandNames, eventNames } from '../../../electron/contract/names.js';
import { PASSWORD_PROBLEMS } from '../../../electron/contract/passphrase-strength.js';
import { logRedactionRules } from '../../../electron/core/appliance-logs/log-scrubber.js';
import { redactionLocations, redactionRules } from '../../../electron/core/har/har-report.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { buildStages, stageStates } from '../../../renderer/src/lib/archive-wizard.js';
import { appRoutes } from '../../support/app-routes.js';
import { recordReliability } from '../../support/reliability.js';
import { ROOT } from '../../support/web-host-process.js';

const RESOURCES = defaultResourcesDir();
const LANGUAGES = ['en', 'de'] as const;
const dict = Object.fromEntries(LANGUAGES.map((l) => [l, JSON.parse(fs.readFileSync(path.join(RESOURCES, 'i18n', `${l}.json`), 'utf8')) as Dictionary])) as Record<(typeof LANGUAGES)[number], Dictionary>;
const NAMESPACES = Object.keys(dict.en);

function filesBelow(dir: string, pattern: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    return d.isDirectory() ? filesBelow(full, pattern) : pattern.test(d.name) ? [full] : [];
  });
}

/**
 * The renderer's sources, the core and CLI (error messages: `AppError.of(code, 'errors.…')`, shown
 * at each edge in its language), and the native menu, which reads `menu.<name>` for `t('<name>')`.
 */
const RENDERER = [
  ...filesBelow(path.join(ROOT, 'renderer', 'src'), /\.(svelte|ts)$/),
  // The integration path's texts are named once, in the contract, for the Checks page and report.html alike.
  path.join(ROOT, 'electron', 'contract', 'integration-map.ts'),
  path.join(ROOT, 'electron', 'contract', 'profile-issues.ts'),
];
const CORE = [...filesBelow(path.join(ROOT, 'electron', 'core'), /\.ts$/), ...filesBelow(path.join(ROOT, 'electron', 'cli'), /\.ts$/), path.join(ROOT, 'electron', 'contract', 'har-location.ts')];
const MENU = path.join(ROOT, 'electron', 'main', 'menu.ts');

/** Contract names that look like message keys (`settings.changed`): events and commands, not messages, unless a key has the same name. */
const CONTRACT_NAMES = new Set<string>([...eventNames, ...commandNames]);

/**
 * Keys built at run time (`checks.status.${s}`) and what fills them: from the contract and the core
 * where they are exported, else the renderer's own list (tsc checks those against English already;
 * here German and the unused-key report need them). A new dynamic key fails until it is listed.
 */
const DYNAMIC: Record<string, readonly string[]> = {
  'nav.': appRoutes(),
  'checks.status.': ['pending', 'running', ...checkStatuses],
  'checks.severity.': severities,
  'checks.seed.': seedSteps,
  'history.state.': runStates,
  'history.diff.': ['resolved', 'new', 'unchanged'],
  'archive.stage.': archiveStages,
  'archive.stageState.': [...new Set([null, ...buildStages].flatMap((s) => stageStates(s).map((x) => x.state)))],
  'archive.steps.': ['source', 'har', 'logs', 'case', 'encryption'],
  'archive.level.': ['weak', 'fair', 'strong'],
  'archive.problem.': PASSWORD_PROBLEMS,
  // The browser's upload comes before the core's stages.
  'har.stage.': ['upload', ...HarProgress.shape.stage.options],
  // Cast to Key in the components: nothing but this test proves they exist.
  'har.rules.': redactionRules,
  'applianceLogs.rules.': logRedactionRules,
  'har.location.': redactionLocations,
  'harInspector.place.': replacementPlaces,
  'overview.result.': overviewResults,
  // What fixes a finding: the profile field it names, the kind of portal it opens.
  'fix.field.': profileFormFields,
  'fix.portal.': portalKinds,
};

function collect(): { literal: Map<string, string>; dynamic: Map<string, string> } {
  const ns = NAMESPACES.join('|');
  const literal = new Map<string, string>();
  const dynamic = new Map<string, string>();
  for (const file of RENDERER) {
    const source = fs.readFileSync(file, 'utf8');
    const rel = path.relative(ROOT, file);
    for (const m of source.matchAll(new RegExp(`(['"\`])((?:${ns})\\.[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*)\\1`, 'g'))) if (!CONTRACT_NAMES.has(m[2]!) || lookup(dict.en, m[2]!) !== undefined) literal.set(m[2]!, rel);
    for (const m of source.matchAll(new RegExp(`\`((?:${ns})\\.(?:[A-Za-z0-9_-]+\\.)*)\\$\\{`, 'g'))) dynamic.set(m[1]!, rel);
  }
  // The core and the CLI name catalogue messages only as literal `errors.…` and (the CLI's own texts) `cli.…` keys.
  for (const file of CORE) {
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(['"`])((?:errors|cli)\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\1/g)) literal.set(m[2]!, path.relative(ROOT, file));
  }
  const menu = fs.readFileSync(MENU, 'utf8');
  for (const m of menu.matchAll(/\bt\('([A-Za-z0-9_]+)'/g)) literal.set(`menu.${m[1]}`, path.relative(ROOT, MENU));
  return { literal, dynamic };
}

/** `{name}` placeholders anywhere in a message, plural branches included, `#` excepted. */
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]!))].sort();
/** The branch selectors of each plural argument, e.g. `count: one,other`. */
const pluralForms = (s: string) =>
  pluralNames(s)
    .map((name) => {
      const at = s.search(new RegExp(`\\{\\s*${name}\\s*,\\s*plural\\s*,`));
      const body = s.slice(at);
      return `${name}: ${[...body.matchAll(/(=\d+|zero|one|two|few|many|other)\s*\{/g)].map((m) => m[1]).join(',')}`;
    })
    .sort();

describe('i18n completeness: every key the UI uses, in English and German', () => {
  const { literal, dynamic } = collect();
  const used = new Set<string>([...literal.keys(), ...Object.entries(DYNAMIC).flatMap(([prefix, values]) => values.map((v) => `${prefix}${v}`))]);

  it('finds the keys in the sources (a broken scan would make every other check vacuous)', () => {
    expect(RENDERER.length).toBeGreaterThan(20);
    expect(literal.size).toBeGreaterThan(300);
    expect(literal.get('archive.generate')).toBe(path.join('renderer', 'src', 'components', 'archive', 'StepEncryption.svelte'));
    expect(literal.has('menu.zoomIn')).toBe(true);
    expect(literal.has('settings.changed')).toBe(false);
  });

  it('every key built at run time has its values listed, and every listed prefix is still used', () => {
    expect([...dynamic.keys()].filter((p) => !(p in DYNAMIC)), 'add these prefixes and their values to DYNAMIC').toEqual([]);
    expect(Object.keys(DYNAMIC).filter((p) => !dynamic.has(p)), 'no source builds these any more').toEqual([]);
  });

  it('every key used exists in English and German with non-empty text', () => {
    const missing = LANGUAGES.flatMap((l) => [...used].filter((k) => (lookup(dict[l], k) ?? '').trim() === '').map((k) => `${l}: ${k}${literal.has(k) ? ` (${literal.get(k)})` : ''}`));
    expect(missing).toEqual([]);
  });

  it('no key is only in one language, and none is in neither the sources nor a dynamic list', () => {
    const en = new Set(leafKeys(dict.en));
    const de = new Set(leafKeys(dict.de));
    expect({ onlyEnglish: [...en].filter((k) => !de.has(k)), onlyGerman: [...de].filter((k) => !en.has(k)) }).toEqual({ onlyEnglish: [], onlyGerman: [] });
    expect([...en].filter((k) => !used.has(k)), 'keys nothing shows').toEqual([]);
  });

  it('English and German have the same placeholders and plural arguments with the same forms', () => {
    const differ: string[] = [];
    for (const key of leafKeys(dict.en)) {
      const [e, d] = [lookup(dict.en, key) ?? '', lookup(dict.de, key) ?? ''];
      if (placeholders(e).join() !== placeholders(d).join()) differ.push(`${key}: {${placeholders(e).join('} {')}} vs {${placeholders(d).join('} {')}}`);
      if (pluralForms(e).join(';') !== pluralForms(d).join(';')) differ.push(`${key}: plural ${pluralForms(e).join(';')} vs ${pluralForms(d).join(';')}`);
      for (const form of pluralForms(e)) if (!form.includes('other')) differ.push(`${key}: ${form} has no "other" form`);
    }
    expect(differ).toEqual([]);
    // The comparison sees a difference when there is one.
    expect(placeholders('{count, plural, one {# of {total}} other {# of {total}}}')).toEqual(['count', 'total']);
    expect(pluralForms('{n, plural, =0 {none} one {#} other {#}}')).toEqual(['n: =0,one,other']);
  });

  it('runbook and finding texts are keyed by language: English and German each present, non-empty, same placeholders', () => {
    const problems: string[] = [];
    let pairs = 0;
    function visit(node: unknown, where: string): void {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if ('en' in o || 'de' in o) {
        pairs++;
        const texts = (v: unknown) => (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : ''));
        const [e, d] = [texts(o.en), texts(o.de)];
        if (e.length !== d.length) problems.push(`${where}: ${e.length} English vs ${d.length} German entries`);
        e.forEach((x, i) => {
          if (x.trim() === '' || (d[i] ?? '').trim() === '') problems.push(`${where}[${i}]: empty or missing text`);
          const german = placeholders(d[i] ?? '').sort();
          if (placeholders(x).join() !== german.join()) problems.push(`${where}[${i}]: placeholders {${placeholders(x).join('} {')}} vs {${placeholders(d[i] ?? '').join('} {')}}`);
        });
        return;
      }
      for (const [k, v] of Object.entries(o)) visit(v, `${where}.${k}`);
    }
    for (const file of ['runbook.json', 'findings.json']) visit(JSON.parse(fs.readFileSync(path.join(RESOURCES, file), 'utf8')), file);
    expect(problems).toEqual([]);
    expect(pairs).toBeGreaterThan(100);
    recordReliability('i18n-keys', {
      area: 'Translations',
      measure: 'UI message keys checked in English and German (used in the sources or built from contract values)',
      value: leafKeys(dict.en).length,
      outcome: '0 missing, 0 in one language only, 0 unused, 0 placeholder mismatches',
    });
  });
});
