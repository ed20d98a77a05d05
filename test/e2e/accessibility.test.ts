import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { lookup, type Dictionary } from '../../electron/contract/i18n.js';
import { appRoutes, navRoutes, openRoute } from '../support/app-routes.js';
import { archiveWizard, completedRun, SHOTS, simProfile, useAppSession } from '../support/e2e-session.js';
import { recordReliability } from '../support/reliability.js';
import { makeSelfSigned, tlsServer } from '../support/tls.js';
import { ROOT } from '../support/web-host-process.js';

const VAULT = 'e2e accessibility vault passphrase';
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const LANGUAGES = ['en', 'de'] as const;
const THEMES = ['light', 'dark'] as const;
type Language = (typeof LANGUAGES)[number];
type Theme = (typeof THEMES)[number];

const dictionaries = Object.fromEntries(LANGUAGES.map((l) => [l, JSON.parse(fs.readFileSync(path.join(ROOT, 'resources', 'i18n', `${l}.json`), 'utf8')) as Dictionary])) as Record<Language, Dictionary>;
/** `archive.steps.case`-shaped text: a message key shown instead of its message (known or not). */
const RAW_KEY = new RegExp(`\\b(?:${Object.keys(dictionaries.en).join('|')})\\.[a-z][A-Za-z0-9]*(?:\\.[A-Za-z0-9-]+)*\\b`, 'g');
/** `{name}` or `{count, plural, …}` left unfilled. */
const RAW_PLACEHOLDER = /\{\s*\w+\s*(?:,\s*plural\s*,[^}]*)?\}/g;

interface Finding {
  where: string;
  rule: string;
  impact: string;
  help: string;
  /** Each offending node: its selector, and axe's reason (contrast ratio and colours, for instance). */
  targets: string[];
}

/**
 * axe-core in Chromium on every route of the router and the states that matter (a dialog open, a
 * form with errors, check results, each archive wizard step and the result, a HAR report, History's
 * detail and diff), in English and German, light and dark: no serious or critical violation. The
 * same walk checks that no message key or unfilled `{placeholder}` reaches the screen.
 */
describe('accessibility and visible text in Chromium', () => {
  /** A self-signed TLS server whose certificate the profile form fetches and pins. */
  let certServer: Awaited<ReturnType<typeof tlsServer>>;
  let profileId = '';
  const runIds: string[] = [];
  const app = useAppSession({
    dataDir: 'xet-e2e-a11y-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: { mode: 'api-off' },
    async prepare({ call, sim }) {
      certServer = await tlsServer(makeSelfSigned('esa1.example.com'));
      const created = await call<{ id: string }>('profiles.create', simProfile(sim, 'esa-frankfurt'));
      expect(created.ok, JSON.stringify(created)).toBe(true);
      profileId = created.value!.id;
      runIds.push(await completedRun(call, profileId), await completedRun(call, profileId));
    },
    viewport: { width: 1024, height: 768 },
    defaultTimeout: 15_000,
    watch: 'none',
    waitFor: 'main h1',
    timeout: 60_000,
  });
  const { call } = app;
  const routes = appRoutes();
  const violations: Finding[] = [];
  const rawTexts: string[] = [];
  const scanned = new Set<string>();
  let language: Language = 'en';
  let theme: Theme = 'light';
  const tx = (key: string) => lookup(dictionaries[language], key) ?? key;

  /** Scans what is on screen now: axe (serious and critical), raw keys and unfilled placeholders. */
  async function scan(state: string): Promise<void> {
    const where = `${state} [${language}, ${theme}]`;
    scanned.add(where);
    // A transition in flight would let axe measure a colour half-way; the scan waits for it to end.
    await app.page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5000 }).catch(() => undefined);
    // The app's CSP (script-src 'self') refuses an inline <script>, rightly; DevTools evaluation is
    // not subject to it, so axe goes in that way and the page keeps its real policy.
    if (!(await app.page.evaluate(() => 'axe' in window))) await app.page.evaluate(AXE_SOURCE);
    const results = await app.page.evaluate(async () => {
      type Node = { target: unknown[]; failureSummary?: string };
      const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: Node[] }[] }> } }).axe;
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ rule: v.id, impact: v.impact ?? '', help: v.help, targets: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`) }));
    });
    for (const v of results) if (v.impact === 'serious' || v.impact === 'critical') violations.push({ where, ...v });
    const texts = await app.page.evaluate(() => [
      document.body.innerText,
      ...[...document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-valuetext]')].flatMap((el) =>
        ['aria-label', 'title', 'placeholder', 'alt', 'aria-valuetext'].map((a) => el.getAttribute(a) ?? ''),
      ),
      document.title,
    ]);
    for (const text of texts) {
      for (const m of text.matchAll(RAW_KEY)) rawTexts.push(`${where}: key "${m[0]}"`);
      for (const m of text.matchAll(RAW_PLACEHOLDER)) rawTexts.push(`${where}: placeholder "${m[0]}"`);
    }
  }

  async function use(l: Language, th: Theme): Promise<void> {
    language = l;
    theme = th;
    expect((await call('settings.set', { language, theme })).ok).toBe(true);
    await expect.poll(() => app.page.evaluate(() => [document.documentElement.lang, document.documentElement.dataset.theme])).toEqual([language, theme]);
  }

  const { heading } = archiveWizard(app);
  const shot = (name: string) => app.shot(`a11y-${name}-${language}-${theme}.png`);

  /** Every route, then each state worth scanning, in the language and theme in force. */
  async function walk(): Promise<void> {
    for (const route of routes) {
      await openRoute(app.page, app.host.url, route);
      await app.page.waitForLoadState('networkidle');
      await scan(route);
    }

    // Overview: Run all and its summary, a profile ticked.
    await openRoute(app.page, app.host.url, 'overview');
    await app.page.click('button.run-all');
    await app.page.waitForSelector('[data-testid="batch-summary"]', { timeout: 30_000 });
    await app.page.locator('tbody input[type=checkbox]').first().check();
    await scan('overview: after Run all, one appliance ticked');

    // Profiles: the form with validation errors, then the delete dialog.
    await openRoute(app.page, app.host.url, 'profiles');
    await app.page.click(`button:text-is("${tx('profiles.add')}")`);
    await app.page.fill('#pf-name', 'lab');
    await app.page.fill('#pf-host', 'bad host');
    await app.page.fill('#pf-https-port', '99999');
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('#pf-host-err');
    await app.page.waitForSelector('#pf-region-err:not(:empty)');
    await scan('profiles: form with validation errors');
    // A certificate fetched and pinned: its summary stays under the fingerprint.
    await app.page.fill('#pf-host', '127.0.0.1');
    await app.page.fill('#pf-https-port', String(certServer.port));
    await app.page.click(`button:text-is("${tx('profiles.fetchCert')}")`);
    await app.page.click(`button:text-is("${tx('profiles.certPin')}")`);
    await app.page.waitForSelector('[data-testid=pin-summary]');
    await scan('profiles: pinned certificate summary');
    await app.page.click(`.profile-form button:text-is("${tx('profiles.cancel')}")`);
    await app.page.click('.profile-item');
    await app.page.click(`button.danger:text-is("${tx('profiles.delete')}")`);
    await app.page.waitForSelector('[role=dialog]');
    await scan('profiles: delete dialog open');
    await app.page.keyboard.press('Escape');
    await app.page.waitForSelector('[role=dialog]', { state: 'detached' });
    // A profile just created: its next step, "Run checks on <name>" (removed again for the next walk).
    await app.page.click(`button:text-is("${tx('profiles.add')}")`);
    await app.page.fill('#pf-name', `a11y-new-${language}-${theme}`);
    await app.page.fill('#pf-host', '127.0.0.1');
    await app.page.selectOption('#pf-region', 'eu');
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('[data-testid="created-next"]');
    await scan('profiles: created, with its next step');
    const fresh = (await call<{ profiles: { id: string; name: string }[] }>('profiles.list', {})).value!.profiles.find((p) => p.name === `a11y-new-${language}-${theme}`)!;
    expect((await call('profiles.delete', { id: fresh.id })).ok).toBe(true);

    // Settings: "Saved." beside the theme, then the vault dialog naming its problems.
    await openRoute(app.page, app.host.url, 'settings');
    await app.page.click(`.segment:has-text("${tx(theme === 'light' ? 'settings.themeDark' : 'settings.themeLight')}")`);
    await app.page.click(`.segment:has-text("${tx(theme === 'light' ? 'settings.themeLight' : 'settings.themeDark')}")`);
    await expect.poll(() => app.page.textContent('#theme-note')).toBe(tx('settings.saved'));
    await expect.poll(() => app.page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
    await scan('settings: saved beside the theme');
    await app.page.click(`button:text-is("${tx('settings.vaultSetPassphrase')}")`);
    await app.page.fill('#vault-passphrase', 'short');
    await app.page.click('[role=dialog] button[type=submit]');
    await app.page.waitForSelector('[data-testid=vault-problems] li');
    await scan('settings: vault dialog naming every problem');
    await app.page.keyboard.press('Escape');
    await app.page.waitForSelector('[role=dialog]', { state: 'detached' });

    // Checks: a finished run with its findings, the token fields and a recognised pasted error.
    await openRoute(app.page, app.host.url, `checks/${profileId}`);
    // The page keeps the last session's results: wait for this run's start and end, not any results.
    await Promise.all([app.page.waitForResponse((r) => r.url().endsWith('/api/checks.start')), app.page.click('.run-button')]);
    await app.page.waitForSelector(`.run-button:has-text("${tx('checks.rerun')}")`, { timeout: 20_000 });
    await app.page.waitForSelector('.finding.headline');
    // A finished run folds the token fields and the triage box away: open both for the scan.
    const folded = app.page.locator('.run-setup details.disclosure:not([open]) > summary');
    while ((await folded.count()) > 0) await folded.first().click();
    await app.page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await app.page.waitForSelector('.triage-match');
    await scan('checks: results, findings and triage shown');
    await app.page.locator('.check-row .status-pass').first().scrollIntoViewIfNeeded();
    await shot('checks-results');
    // The integration path with one link chosen: the page filtered to its checks and findings.
    await app.page.click('[data-testid=integration-map] g[data-link=appliance]');
    await app.page.waitForSelector('[data-testid=map-filter]');
    expect(await app.page.getAttribute('[data-testid=integration-map] g[data-link=appliance]', 'aria-pressed')).toBe('true');
    await scan('checks: integration path, one link chosen');
    await app.page.locator('[data-testid=integration-map]').scrollIntoViewIfNeeded();
    await shot('checks-map');
    await app.page.click('[data-testid=map-filter] button');
    await app.page.waitForSelector('[data-testid=map-filter]', { state: 'detached' });
    // The top finding's "Edit profile": the form, the named field focused and marked.
    await app.page.click('.finding.headline a.fix-profile');
    await app.page.waitForSelector('.fix-target');
    await scan('profiles: opened on the field a finding names');

    // History: one run's detail, then the difference between two.
    await openRoute(app.page, app.host.url, `history/${runIds[0]}`);
    await app.page.waitForSelector('.run-detail');
    await scan('history: run detail');
    await openRoute(app.page, app.host.url, 'history');
    await app.page.waitForSelector('.run-item');
    const boxes = app.page.locator('.run-select');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await scan('history: two runs picked, the compare hint and the boxes that cannot be ticked');
    await app.page.click(`button:text-is("${tx('history.compare')}")`);
    await app.page.waitForSelector('.run-diff');
    await scan('history: two runs compared');

    // HAR: an imported file's redaction report.
    await openRoute(app.page, app.host.url, 'har');
    await app.page.setInputFiles('[data-testid="har-file-input"]', path.join(ROOT, 'test', 'fixtures', 'har', 'chrome-export.har'));
    await app.page.waitForSelector('.har-report');
    await scan('har: redaction report');
    // The inspector's timeline box is reached by the keyboard, with a visible ring.
    await app.page.waitForSelector('.har-inspector button.hi-row');
    await scan('har: inspector');
    await app.page.focus('.hi-box');
    await app.page.keyboard.press('Shift+Tab');
    await app.page.keyboard.press('Tab');
    expect(await app.page.evaluate(() => document.activeElement?.matches('.hi-box:focus-visible') && getComputedStyle(document.activeElement).outlineStyle)).toBe('solid');
    await shot('har-timeline-focused');
    // One request's cleaned detail, then its before/after.
    await app.page.locator('.har-inspector button.hi-row').first().click();
    await app.page.waitForSelector('[data-testid="har-entry-detail"]');
    await scan('har: inspector request detail');
    await app.page.click('.hi-detail-actions button[aria-pressed]');
    await app.page.waitForSelector('.hi-compare-note');
    await scan('har: inspector before/after');
    // A finding the capture raised, explained on the Checks page.
    await app.page.click('.har-findings li a');
    await app.page.waitForSelector('[data-testid="finding-explained"] .finding-title');
    await scan('checks: a HAR file’s finding explained');

    // Archive: each wizard step, a weak password's advice, the build and its result.
    await openRoute(app.page, app.host.url, `archive/${profileId}`);
    await expect.poll(heading).toBe(tx('archive.steps.source'));
    await scan('archive: step 1, profile and runs');
    for (const [step, n] of [['har', 2], ['logs', 3], ['case', 4]] as const) {
      await app.page.click(`.archive-nav button:text-is("${tx('archive.next')}")`);
      await expect.poll(heading).toBe(tx(`archive.steps.${step}`));
      if (step === 'case') {
        await app.page.fill('#archive-case', '6987x');
        await app.page.waitForSelector('#archive-case-err:not(:empty)');
        await app.page.fill('#archive-notes', 'Tile empty since Monday. password: Summer2024!');
        await app.page.waitForSelector('[data-testid=notes-password-warning]:not(:empty)');
      }
      await scan(`archive: step ${n}, ${step}${step === 'case' ? ' with an invalid case number and a password in the notes' : ''}`);
    }
    await app.page.fill('#archive-case', '698765432');
    await app.page.click(`.archive-nav button:text-is("${tx('archive.next')}")`);
    await expect.poll(heading).toBe(tx('archive.steps.encryption'));
    await app.page.waitForSelector('[data-testid=archive-summary] .archive-summary-warn');
    await app.page.fill('#archive-password', 'Summer2024!');
    await app.page.waitForSelector('.strength-problems li');
    await scan('archive: step 5, encryption with a weak password');
    await app.page.click(`button:text-is("${tx('archive.generate')}")`);
    await app.page.waitForSelector('[data-testid="generated-passphrase"]');
    await scan('archive: step 5, generated passphrase');
    await app.page.click(`button:text-is("${tx('archive.build')}")`);
    await app.page.waitForSelector('[data-testid="archive-sha256"]', { timeout: 30_000 });
    await scan('archive: result');
  }

  afterAll(async () => {
    // Kept for whoever fixes a failure: every serious or critical violation with its nodes.
    fs.writeFileSync(path.join(SHOTS, 'axe-violations.json'), JSON.stringify(violations, null, 2));
    await certServer?.close();
  });

  it('the axe scan and the raw-text rules find what they look for', async () => {
    expect(await navRoutes(app.page)).toEqual(routes);
    // A page with a known serious violation and a leaked key: both must be reported.
    await app.page.evaluate(() => {
      const probe = document.createElement('div');
      probe.id = 'a11y-probe';
      // Built through the DOM: the app's CSP refuses inline style attributes.
      const img = document.createElement('img');
      img.src = '/';
      const text = document.createElement('p');
      text.textContent = 'archive.steps.case {count}';
      Object.assign(text.style, { color: '#bbbbbb', background: '#ffffff' });
      probe.append(img, text);
      document.body.append(probe);
    });
    const before = { v: violations.length, r: rawTexts.length };
    await scan('probe');
    expect(violations.slice(before.v).map((v) => v.rule)).toEqual(expect.arrayContaining(['image-alt', 'color-contrast']));
    expect(rawTexts.slice(before.r).join('\n')).toMatch(/key "archive\.steps\.case"[\s\S]*placeholder "\{count\}"/);
    violations.splice(before.v);
    rawTexts.splice(before.r);
    scanned.clear();
    await app.page.evaluate(() => document.getElementById('a11y-probe')?.remove());
  });

  for (const l of LANGUAGES) {
    for (const th of THEMES) {
      it(`every route and state in ${l}, ${th} theme: no serious or critical violation, no raw key or placeholder`, async () => {
        await use(l, th);
        await walk();
        const here = violations.filter((v) => v.where.endsWith(`[${l}, ${th}]`));
        expect(here, JSON.stringify(here, null, 2)).toEqual([]);
        const raw = rawTexts.filter((r) => r.includes(`[${l}, ${th}]`));
        expect(raw).toEqual([]);
      }, 120_000);
    }
  }

  it('scanned every route in both languages and both themes', () => {
    for (const l of LANGUAGES) for (const th of THEMES) for (const route of routes) expect(scanned.has(`${route} [${l}, ${th}]`), `${route} ${l} ${th}`).toBe(true);
    recordReliability('accessibility', {
      area: 'Accessibility',
      measure: 'page × language × theme combinations scanned by axe-core in Chromium (plus dialog, form errors, check results, the integration path with a link chosen, HAR report, history diff and each archive wizard step in each)',
      value: routes.length * LANGUAGES.length * THEMES.length,
      outcome: '0 serious or critical axe violations, 0 raw keys or {placeholders} on screen',
    });
  });
});
