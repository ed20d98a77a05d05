import fs from 'node:fs';
import path from 'node:path';
import { leafKeys, lookup, type Dictionary } from '../../electron/contract/i18n.js';
import { appRoutes, openRoute } from '../support/app-routes.js';
import { useAppSession } from '../support/e2e-session.js';
import { ROOT } from '../support/web-host-process.js';

const VAULT = 'e2e german vault passphrase';
const dict = (l: 'en' | 'de') => JSON.parse(fs.readFileSync(path.join(ROOT, 'resources', 'i18n', `${l}.json`), 'utf8')) as Dictionary;
const EN = dict('en');
const DE = dict('de');
const de = (key: string) => lookup(DE, key) ?? key;

/**
 * English sentences of the catalogue that would show an untranslated German page: texts without
 * placeholders, three words or more, different in German.
 */
const ENGLISH_SENTENCES = leafKeys(EN)
  .map((k) => [k, lookup(EN, k) ?? ''] as const)
  .filter(([k, text]) => !text.includes('{') && text.split(/\s+/).length >= 3 && lookup(DE, k) !== text)
  .map(([, text]) => text);

/**
 * The details of issue 18 in Chromium through the web host, in German: a new profile picks its
 * region (none is assumed), a pinned certificate keeps its summary, Settings says "Gespeichert."
 * beside what it saved, the vault dialog names every problem at once, the archive wizard sums up
 * before Build, warns about a password in the notes and marks a healthy run; and every page reads
 * German, numbers and dates the German way.
 */
describe('German pages and the details of issue 18 in Chromium', () => {
  let profileId = '';
  const commands: string[] = [];
  const app = useAppSession({
    dataDir: 'xet-e2e-german-',
    sim: { mode: 'healthy', xdrMode: 'xdr-healthy' },
    // No vault passphrase in the environment: the dialog is the way to one.
    settings: { language: 'de', theme: 'light' },
    viewport: { width: 1280, height: 800 },
    defaultTimeout: 15_000,
    watch: 'bodies',
    onPage(page) {
      page.on('request', (r) => {
        const m = /\/api\/([\w.]+)$/.exec(r.url());
        if (m) commands.push(m[1]!);
      });
    },
    waitFor: 'main h1',
  });
  const { call, shot, problems } = app;
  const text = async (selector: string) => ((await app.page.textContent(selector)) ?? '').trim();

  it('Settings has its subtitle and says "Gespeichert." beside the control it saved', async () => {
    await openRoute(app.page, app.host.url, 'settings');
    expect(await text('h1')).toBe('Einstellungen');
    expect(await text('.page-header .lead')).toBe(de('settings.intro'));
    await app.page.click('.segment:has-text("Dunkel")');
    await expect.poll(() => text('#theme-note')).toBe('Gespeichert.');
    // Beside the theme's choices, not under the page or beside the language.
    expect(await app.page.evaluate(() => !!document.querySelector('#theme-note')!.closest('.setting-control')!.querySelector('[role=radiogroup]'))).toBe(true);
    expect(await text('#language-note')).toBe('');
    await shot('details-settings-saved-de-dark.png');
    await app.page.click('.segment:has-text("Hell")');
    // A language change says so beside the language, in the new language.
    await app.page.selectOption('#language', 'en');
    await expect.poll(() => text('#language-note')).toBe('Saved.');
    expect(await text('#theme-note')).toBe('');
    expect(await text('.page-header .lead')).toBe(lookup(EN, 'settings.intro'));
    await app.page.selectOption('#language', 'de');
    await expect.poll(() => text('#language-note')).toBe('Gespeichert.');
  });

  it('the vault dialog names every problem of a new passphrase at once, and sends nothing until they are fixed', async () => {
    await app.page.click(`button:text-is("${de('settings.vaultSetPassphrase')}")`);
    await app.page.waitForSelector('[role=dialog]');
    await app.page.fill('#vault-passphrase', 'kurz');
    const sent = commands.length;
    await app.page.click('[role=dialog] button[type=submit]');
    await app.page.waitForSelector('[data-testid=vault-problems] li');
    expect(await app.page.locator('[data-testid=vault-problems] li').allTextContents()).toEqual(['Die Passphrase hat 4 Zeichen; nötig sind mindestens 12.', 'Wiederholen Sie die Passphrase im zweiten Feld.']);
    expect(await text('[data-testid=vault-problems] p')).toBe('Bitte korrigieren Sie zuerst diese 2 Punkte:');
    expect(await app.page.getAttribute('#vault-passphrase', 'aria-invalid')).toBe('true');
    expect(await app.page.getAttribute('#vault-repeat', 'aria-invalid')).toBe('true');
    expect(await app.page.evaluate(() => document.activeElement?.id)).toBe('vault-passphrase');
    // Typing updates the list: a different repetition is the second problem now.
    await app.page.fill('#vault-repeat', 'anders');
    await expect.poll(() => app.page.locator('[data-testid=vault-problems] li').allTextContents()).toEqual(['Die Passphrase hat 4 Zeichen; nötig sind mindestens 12.', 'Die beiden Passphrasen unterscheiden sich.']);
    await shot('details-vault-problems-de.png');
    expect(commands.slice(sent).filter((c) => c.startsWith('vault.set'))).toEqual([]);
    // Fixing one leaves the other.
    await app.page.fill('#vault-passphrase', VAULT);
    await expect.poll(() => app.page.locator('[data-testid=vault-problems] li').allTextContents()).toEqual(['Die beiden Passphrasen unterscheiden sich.']);
    expect(await app.page.getAttribute('#vault-passphrase', 'aria-invalid')).toBeNull();
    await app.page.fill('#vault-repeat', VAULT);
    await app.page.click('[role=dialog] button[type=submit]');
    await app.page.waitForSelector('[role=dialog]', { state: 'detached' });
    await expect.poll(() => text('[data-testid=vault-note]')).toBe('Tresor-Passphrase festgelegt.');
    expect(await text('[data-testid=vault-state]')).toBe('entsperrt');
  });

  it('a new profile has no region until the user picks one, and saving without one names the field', async () => {
    await openRoute(app.page, app.host.url, 'profiles');
    await app.page.click(`button:text-is("${de('profiles.add')}")`);
    await app.page.waitForSelector('#pf-region');
    expect(await app.page.inputValue('#pf-region')).toBe('');
    expect(await text('#pf-region option:checked')).toBe('Region auswählen…');
    await app.page.fill('#pf-name', 'esa-frankfurt');
    await app.page.fill('#pf-host', '127.0.0.1');
    await app.page.fill('#pf-https-port', String(app.sim.httpsPort));
    await app.page.fill('#pf-http-port', String(app.sim.httpPort));
    await app.page.fill('#pf-username', app.sim.username);
    await app.page.fill('#pf-password', app.sim.password);
    const sent = commands.length;
    await app.page.click('button[type=submit]');
    await expect.poll(() => text('#pf-region-err')).toBe('Wählen Sie die Cisco-Cloud-Region der Appliance (NAM, EU oder APJC)');
    expect(await app.page.getAttribute('#pf-region', 'aria-invalid')).toBe('true');
    expect(await text('.profile-form [role=status]')).toBe('Bitte prüfen Sie die markierten Felder.');
    expect(commands.slice(sent)).not.toContain('profiles.create');
    await app.page.locator('#pf-region').scrollIntoViewIfNeeded();
    await shot('details-profile-region-de.png');
    await app.page.selectOption('#pf-region', 'eu');
    await expect.poll(() => text('#pf-region-err')).toBe('');
    expect(await app.page.getAttribute('#pf-region', 'aria-invalid')).toBeNull();
  });

  it('pins the fetched certificate in the form the card showed, and a summary of it stays', async () => {
    await app.page.click(`button:text-is("${de('profiles.fetchCert')}")`);
    await app.page.waitForSelector('[data-testid=fetched-fingerprint]');
    const shown = await text('[data-testid=fetched-fingerprint]');
    // Grouped as the appliance GUI shows a fingerprint: upper-case byte pairs with colons.
    expect(shown).toMatch(/^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/);
    expect(shown.replaceAll(':', '').toLowerCase()).toBe(app.sim.pinnedSha256);
    await app.page.click(`button:text-is("${de('profiles.certPin')}")`);
    await app.page.waitForSelector('[data-testid=pin-summary]');
    expect(await app.page.inputValue('#pf-pin')).toBe(shown);
    const summary = await text('[data-testid=pin-summary]');
    expect(summary).toMatch(/^Festgelegt ✓ CN=esa1\.example\.com, gültig bis \d{2}\.\d{2}\.\d{4}$/);
    await app.page.locator('[data-testid=pin-summary]').scrollIntoViewIfNeeded();
    await shot('details-pin-summary-de.png');
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('[data-testid=password-stored]');
    // Saved: stored as plain hex, shown again grouped, the summary still there.
    const list = await call<{ profiles: { id: string; name: string; region: string; trust: { mode: string; sha256?: string } }[] }>('profiles.list', {});
    const saved = list.value!.profiles.find((p) => p.name === 'esa-frankfurt')!;
    profileId = saved.id;
    expect(saved.region).toBe('eu');
    expect(saved.trust).toEqual({ mode: 'pin', sha256: app.sim.pinnedSha256 });
    expect(await app.page.inputValue('#pf-pin')).toBe(shown);
    expect(await text('[data-testid=pin-summary]')).toBe(summary);
    // Typing another fingerprint takes the summary away: it no longer describes the field.
    await app.page.fill('#pf-pin', 'ab'.repeat(32));
    await app.page.waitForSelector('[data-testid=pin-summary]', { state: 'detached' });
    await app.page.fill('#pf-pin', shown);
    await app.page.waitForSelector('[data-testid=pin-summary]');
  });

  it('the archive wizard marks a healthy run, warns about a password in the notes and sums up before Build', async () => {
    const xdr = app.sim.xdr!;
    expect((await call('profiles.update', { id: profileId, profile: { name: 'esa-frankfurt', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: app.sim.httpsPort, httpPort: app.sim.httpPort, username: app.sim.username, trust: { mode: 'pin', sha256: app.sim.pinnedSha256 }, xdrClientId: xdr.clientId } })).ok).toBe(true);
    expect((await call('secrets.set', { profileId, kind: 'xdr-client-secret', value: xdr.clientSecret })).ok).toBe(true);
    const started = await call<{ runId: string }>('checks.start', { profileId });
    expect(started.ok).toBe(true);
    await expect.poll(async () => (await call<{ runs: { id: string; state: string }[] }>('runs.list', { profileId })).value!.runs.find((r) => r.id === started.value!.runId)?.state, { timeout: 30_000 }).toBe('completed');

    await openRoute(app.page, app.host.url, `archive/${profileId}`);
    await app.page.waitForSelector(`[data-run="${started.value!.runId}"] [data-testid=run-clean]`);
    expect(await text(`[data-run="${started.value!.runId}"] [data-testid=run-clean]`)).toBe('Keine Probleme');
    await shot('details-archive-healthy-run-de.png');
    const next = async (title: string) => {
      await app.page.click(`.archive-nav button:text-is("${de('archive.next')}")`);
      await expect.poll(() => text('#archive-step-title')).toBe(title);
    };
    await next(de('archive.steps.har'));
    await next(de('archive.steps.logs'));
    await next(de('archive.steps.case'));
    expect(await text('[data-testid=notes-password-warning]')).toBe('');
    await app.page.fill('#archive-notes', 'Die Kachel ist seit Montag leer.\nAPI-Benutzer admin, Passwort: Sommer2024!');
    await expect.poll(() => text('[data-testid=notes-password-warning]')).toContain('„Passwort“');
    expect(await app.page.evaluate(() => document.getElementById('archive-notes')!.getAttribute('aria-describedby'))).toContain('archive-notes-warning');
    await shot('details-archive-notes-warning-de.png');
    await next(de('archive.steps.encryption'));
    await app.page.waitForSelector('[data-testid=archive-summary]');
    // Before Build: the summary comes first, the Build button after it.
    expect(await app.page.evaluate(() => !!(document.querySelector('[data-testid=archive-summary]')!.compareDocumentPosition(document.querySelector('.archive-nav')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
    expect(await text('[data-testid=summary-profile] span')).toBe('esa-frankfurt (ESA · EU)');
    expect(await text('[data-testid=summary-runs] span')).toBe('1 Lauf gewählt');
    expect(await text('[data-testid=summary-har] span')).toBe('keine');
    expect(await text('[data-testid=summary-case] span')).toBe('keine');
    expect(await text('[data-testid=summary-hostnames] span')).toBe('durch Platzhalter ersetzt (empfohlen)');
    expect(await text('[data-testid=summary-encryption] span')).toBe('Passwort (AES-256-Zip)');
    expect(await text('[data-testid=summary-notes] span')).toMatch(/^\d+ Zeichen, enthält womöglich ein Geheimnis \(„Passwort“ mit einem Wert\)$/);
    // A split archive names its part size the German way.
    await app.page.check('.archive-split input[type=checkbox]');
    expect(await text('[data-testid=summary-parts] span')).toBe('in Teile zu je 19 MiB aufgeteilt');
    await app.page.uncheck('.archive-split input[type=checkbox]');
    await app.page.locator('[data-testid=archive-summary]').scrollIntoViewIfNeeded();
    await shot('details-archive-summary-de.png');
    // "Ändern" goes back to the step; without the password the warning is gone, in the summary too.
    await app.page.click(`[data-testid=summary-notes] button`);
    await expect.poll(() => text('#archive-step-title')).toBe(de('archive.steps.case'));
    await app.page.fill('#archive-notes', 'Die Kachel ist seit Montag leer.');
    await expect.poll(() => text('[data-testid=notes-password-warning]')).toBe('');
    await next(de('archive.steps.encryption'));
    expect(await text('[data-testid=summary-notes] span')).toBe('32 Zeichen');
    expect(commands).not.toContain('archive.create');
  });

  it('every page reads German: no English sentence of the catalogue, no raw ISO time, no English decimal', async () => {
    const seen: string[] = [];
    const visit = async (where: string) => {
      await app.page.waitForLoadState('networkidle');
      const body = await app.page.evaluate(() => document.body.innerText);
      for (const sentence of ENGLISH_SENTENCES) if (body.includes(sentence)) seen.push(`${where}: English "${sentence}"`);
      for (const m of body.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/g)) seen.push(`${where}: raw time ${m[0]}`);
      for (const m of body.matchAll(/\b\d+\.\d+ ?(?:ms|s|KiB|MiB|GiB|MB|%)(?!\w)/g)) seen.push(`${where}: English decimal ${m[0]}`);
    };
    expect(ENGLISH_SENTENCES.length).toBeGreaterThan(300);
    for (const route of appRoutes()) {
      await openRoute(app.page, app.host.url, route);
      await visit(route);
    }
    await openRoute(app.page, app.host.url, `checks/${profileId}`);
    await app.page.waitForSelector('.check-row[data-check="xdr-sse-device"] .check-summary');
    const device = await text('.check-row[data-check="xdr-sse-device"] .check-summary');
    // SSE's "last seen" as a German date and time, not the ISO string the API sent.
    expect(device).toMatch(/zuletzt gesehen \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2} \S+/);
    expect(await text('.check-row[data-check="api-tls"] .check-summary')).toMatch(/gültig bis \d{2}\.\d{2}\.\d{4}/);
    await visit('checks with a run');
    await app.page.locator('.check-row[data-check="xdr-sse-device"]').scrollIntoViewIfNeeded();
    await shot('details-checks-last-seen-de.png');
    await openRoute(app.page, app.host.url, 'history');
    await app.page.waitForSelector('.run-item');
    await visit('history with a run');
    expect(seen).toEqual([]);
    // The page check sees English when it is there.
    await app.page.evaluate((s) => document.querySelector('main')!.append(Object.assign(document.createElement('p'), { textContent: `${s} 2025-05-12T14:03:09Z 1.4 s` })), ENGLISH_SENTENCES[0]!);
    await visit('probe');
    expect(seen).toHaveLength(3);
    expect(problems).toEqual([]);
  });
});
