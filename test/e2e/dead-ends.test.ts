import path from 'node:path';
import { externalHostAllowList, loadRegions } from '../../electron/core/knowledge/regions.js';
import { defaultResourcesDir } from '../../electron/core/paths.js';
import { simProfile, useAppSession } from '../support/e2e-session.js';
import { ROOT } from '../support/web-host-process.js';

const VAULT = 'e2e dead ends vault passphrase';
const CHROME_HAR = path.join(ROOT, 'test', 'fixtures', 'har', 'chrome-export.har');
const SSE_EU = 'https://admin.eu.sse.itd.cisco.com/';

/**
 * Issue 18, "no dead ends", in Chromium through the web host: every finding links to what fixes it
 * (the profile field, the manual step, the portal), a HAR file's finding opens explained on the
 * Checks page, a new profile's next step runs its checks, History says how to compare, and one
 * cause shows one severity.
 */
describe('no dead ends in Chromium', () => {
  let profileId = '';
  const app = useAppSession({
    dataDir: 'xet-e2e-deadends-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: { mode: 'api-off' },
    settings: { theme: 'light', language: 'en' },
    async prepare({ call, sim }) {
      const created = await call<{ id: string }>('profiles.create', simProfile(sim, 'lab-esa'));
      expect(created.ok, JSON.stringify(created)).toBe(true);
      profileId = created.value!.id;
    },
    viewport: { width: 1280, height: 800 },
    defaultTimeout: 15_000,
    waitFor: 'h1:text-is("Overview")',
  });
  const { call, shot, problems } = app;
  const active = () => app.page.evaluate(() => ({ id: document.activeElement?.id ?? '', text: document.activeElement?.textContent?.trim() ?? '', card: document.activeElement?.closest('.manual-card')?.getAttribute('data-check') ?? null }));
  const go = async (hash: string) => {
    await app.page.goto(new URL(`/${hash}`, app.host.url).href);
  };

  it('a finding raised from a HAR file opens the Checks page with that finding explained, not a page of "Not run"', async () => {
    await go('#/har');
    await app.page.waitForSelector('h1:text-is("HAR files")');
    await app.page.setInputFiles('[data-testid="har-file-input"]', CHROME_HAR);
    await app.page.waitForSelector('.har-findings li[data-code="DEVICE_OFFLINE_IN_SSE"] a');
    expect(await app.page.textContent('.har-analysis')).toContain('Each finding opens on the Checks page, explained, with what fixes it.');
    await app.page.click('.har-findings li[data-code="DEVICE_OFFLINE_IN_SSE"] a');
    await app.page.waitForSelector('h1:text-is("Guided checks")');
    const card = app.page.locator('[data-testid="finding-explained"][data-code="DEVICE_OFFLINE_IN_SSE"]');
    await card.locator('.finding-title').waitFor();
    expect(new URL(app.page.url()).hash).toMatch(new RegExp(`^#/checks/${profileId}\\?finding=DEVICE_OFFLINE_IN_SSE&har=[0-9a-f]{16}$`));
    expect(await card.locator('.eyebrow').textContent()).toBe('Found in a HAR file');
    expect(await card.locator('.finding-title').textContent()).toBe('The appliance is no longer registered in SSE');
    expect(await card.locator('.finding-cause').textContent()).toContain('E4017');
    expect(await card.locator('.chips li').allTextContents()).toEqual(['Appliance listed in SSE', 'Threat Response server answers HTTPS']);
    // It is the first thing on the page, above the checks that have not run yet.
    const box = await card.boundingBox();
    expect(box!.y).toBeLessThan(260);
    expect(await app.page.locator('.check-row[data-state="pending"]').count()).toBeGreaterThan(0);
    await shot('deadends-har-explained-en-light-1280.png');

    // The step it depends on, one press away; then its checks, one more.
    await card.locator('button.fix-question').click();
    expect(await active()).toMatchObject({ card: 'device-listed', text: 'Yes' });
    expect(await card.locator('a.fix-portal').getAttribute('href')).toBe(SSE_EU);
    await card.locator('button.explained-run-button').click();
    await app.page.waitForSelector('.finding.headline[data-code="API_PORT_CLOSED"]', { timeout: 20_000 });
    // Back to the capture it came from.
    await card.locator('a:text-is("Back to the HAR files")').click();
    await app.page.waitForSelector('h1:text-is("HAR files")');
  });

  it('a finding about the profile opens "Edit profile" with the named field focused; the port comes first', async () => {
    await go(`#/checks/${profileId}`);
    const headline = app.page.locator('.finding.headline[data-code="API_PORT_CLOSED"]');
    await headline.waitFor();
    const steps = await headline.locator('.finding-steps li').allTextContents();
    expect(steps[0]).toBe(`First check the port in the profile: it names ${app.sim.httpsPort} as the AsyncOS API HTTPS port. The appliance shows its own under Network → IP Interfaces → Management → AsyncOS API; if it is another one, correct the profile and run the checks again.`);
    expect(steps[1]).toMatch(/^If the port is right, the API is not enabled: in the appliance GUI go to Network → IP Interfaces/);
    const edit = headline.locator('a.fix-profile');
    expect(await edit.textContent()).toBe('Edit profile: HTTPS port');
    expect(await edit.getAttribute('href')).toBe(`#/profiles/${profileId}/edit/httpsPort`);
    await app.page.locator('.findings').scrollIntoViewIfNeeded();
    await shot('deadends-finding-links-en-light-1280.png');
    await edit.click();
    await app.page.waitForSelector('h2:text-is("Edit “lab-esa”")');
    await expect.poll(active).toMatchObject({ id: 'pf-https-port' });
    expect(await app.page.inputValue('#pf-https-port')).toBe(String(app.sim.httpsPort));
    expect(await app.page.textContent('.status-line')).toBe('A finding points at the HTTPS port: compare it with the appliance, correct it if needed, and save.');
    await shot('deadends-edit-field-en-light-1280.png');
  });

  it('a finding that depends on a manual step jumps to it; its portal link is an allow-listed https page opened outside the app', async () => {
    await go(`#/checks/${profileId}`);
    await app.page.waitForSelector('.finding.headline');
    await app.page.click('.manual-card[data-check="sse-services"] button[data-value="no"]');
    const more = app.page.locator('.finding-more[data-code="SSE_SERVICES_DISABLED"]');
    await more.waitFor();
    await more.locator('summary').click();
    const jump = more.locator('button.fix-question');
    expect(await jump.textContent()).toContain('Answer: SSE cloud services enabled');
    await jump.click();
    expect(await active()).toMatchObject({ card: 'sse-services', text: 'No' });

    const portal = more.locator('a.fix-portal');
    const href = (await portal.getAttribute('href'))!;
    expect(href).toBe(SSE_EU);
    expect(externalHostAllowList(loadRegions(defaultResourcesDir())).has(new URL(href).hostname)).toBe(true);
    expect(await portal.getAttribute('target')).toBe('_blank');
    expect(await portal.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await portal.textContent()).toContain('Open the SSE portal (admin.eu.sse.itd.cisco.com)');
    expect(await portal.textContent()).toContain('(opens in your web browser)');
    // Nothing leaves this test: the portal is answered here; it opens in a new context without an opener.
    await app.context.route(`${SSE_EU}**`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>portal</title>' }));
    const [popup] = await Promise.all([app.context.waitForEvent('page'), portal.click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toBe(SSE_EU);
    expect(await popup.evaluate(() => window.opener)).toBeNull();
    await popup.close();
    await more.scrollIntoViewIfNeeded();
    await shot('deadends-question-portal-en-light-1280.png');
  });

  it('one cause shows one severity: the pasted message goes with the cause the run finds', async () => {
    await go(`#/checks/${profileId}`);
    await app.page.waitForSelector('.finding.headline');
    await app.page.click('summary:has-text("Paste the error you see")');
    await app.page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await app.page.waitForSelector('.triage-match');
    await app.page.click('.run-button');
    await app.page.waitForSelector('.check-row[data-check="error-text"][data-state="fail"]', { timeout: 20_000 });
    const headline = app.page.locator('.finding.headline');
    expect(await headline.getAttribute('data-code')).toBe('API_PORT_CLOSED');
    expect(await headline.locator('.severity').first().textContent()).toContain('Critical');
    expect(await headline.locator('[data-testid="finding-explains"]').textContent()).toBe('This is also why you see: XDR tile: unexpected error on the Secure Email module');
    expect(await app.page.locator('.findings .finding-more[data-code="MODULE_UNEXPECTED_ERROR"]').count()).toBe(0);
    expect(await app.page.textContent('.check-row[data-check="error-text"] .status')).toContain('Failed');
    await app.page.locator('.check-row[data-check="error-text"]').scrollIntoViewIfNeeded();
    await shot('deadends-one-severity-en-light-1280.png');
  });

  it('after creating a profile, the primary action "Run checks on <name>" runs them', async () => {
    await go('#/profiles');
    await app.page.waitForSelector('h1:text-is("Appliance profiles")');
    await app.page.click('button:text-is("Add appliance")');
    await app.page.fill('#pf-name', 'esa-new');
    await app.page.fill('#pf-host', '127.0.0.1');
    await app.page.selectOption('#pf-region', 'eu');
    await app.page.fill('#pf-https-port', String(app.sim.httpsPort));
    await app.page.fill('#pf-http-port', String(app.sim.httpPort));
    await app.page.fill('#pf-username', app.sim.username);
    await app.page.fill('#pf-password', app.sim.password);
    await app.page.click('button[type=submit]');
    const next = app.page.locator('[data-testid="created-next"]');
    await next.waitFor();
    expect(await next.locator('p').textContent()).toBe('“esa-new” is saved. Next: run the checks against it.');
    const run = next.locator('button');
    expect(await run.textContent()).toBe('Run checks on esa-new');
    expect(await run.getAttribute('class')).toBe('button');
    await expect.poll(active).toMatchObject({ text: 'Run checks on esa-new' });
    await shot('deadends-created-en-light-1280.png');
    const id = ((await call<{ profiles: { id: string; name: string }[] }>('profiles.list', {})).value!.profiles.find((p) => p.name === 'esa-new'))!.id;
    expect((await call<{ runs: unknown[] }>('runs.list', { profileId: id })).value!.runs).toHaveLength(0);
    await app.page.keyboard.press('Enter');
    await app.page.waitForSelector('h1:text-is("Guided checks")');
    expect(await app.page.inputValue('#check-profile')).toBe(id);
    await app.page.waitForSelector('.finding.headline[data-code="API_PORT_CLOSED"]', { timeout: 20_000 });
    expect((await call<{ runs: unknown[] }>('runs.list', { profileId: id })).value!.runs).toHaveLength(1);
  });

  it('History shows finding titles, says in words how to compare, and explains a box that cannot be ticked', async () => {
    await go('#/history');
    await app.page.waitForSelector('.run-item');
    expect(await app.page.locator('.run-item').count()).toBeGreaterThanOrEqual(3);
    const first = app.page.locator('.run-item').first();
    expect(await first.locator('.run-finding').first().textContent()).toBe('AsyncOS API is not enabled on the management interface API_PORT_CLOSED');
    expect(await app.page.textContent('.compare-hint')).toBe('Pick two runs to compare: tick the box in front of each.');
    const boxes = app.page.locator('.run-select');
    await boxes.nth(0).check();
    expect(await app.page.textContent('.compare-hint')).toBe('Pick one more run to compare with the ticked one.');
    await boxes.nth(1).check();
    expect(await app.page.textContent('.compare-hint')).toBe('Two runs picked: Compare shows what changed between them. To pick another, untick one first.');
    const third = boxes.nth(2);
    expect(await third.isDisabled()).toBe(true);
    expect(await third.getAttribute('title')).toBe('Two runs are already picked: untick one to pick this one instead.');
    const described = await third.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent);
    expect(described).toContain('To pick another, untick one first.');
    await shot('deadends-history-en-light-1280.png');
    await app.page.click('button:text-is("Compare")');
    await app.page.waitForSelector('.run-diff');
  });

  it('reads the same in German, light and dark, at 1280×800 and 1024×700', async () => {
    await call('settings.set', { language: 'de', theme: 'dark' });
    await go(`#/checks/${profileId}?finding=DEVICE_OFFLINE_IN_SSE`);
    const card = app.page.locator('[data-testid="finding-explained"]');
    await card.locator('.finding-title').waitFor();
    expect(await card.locator('.eyebrow').textContent()).toBe('Befund erklärt');
    expect(await card.locator('.finding-title').textContent()).toBe('Die Appliance ist in SSE nicht mehr registriert');
    expect(await card.locator('button.fix-question').textContent()).toContain('Beantworten: Appliance in SSE aufgeführt');
    expect(await card.locator('a.fix-portal').textContent()).toContain('SSE-Portal öffnen (admin.eu.sse.itd.cisco.com)');
    expect(await card.locator('button.explained-run-button').textContent()).toContain('Prüfungen für lab-esa starten');
    await shot('deadends-explained-de-dark-1280.png');
    const headline = app.page.locator('.finding.headline');
    await headline.waitFor();
    expect(await headline.locator('a.fix-profile').textContent()).toBe('Profil bearbeiten: HTTPS-Port');
    expect(await headline.locator('.finding-steps li').first().textContent()).toMatch(/^Prüfen Sie zuerst den Port im Profil: Dort ist \d+ als HTTPS-Port der AsyncOS-API eingetragen/);
    expect(await headline.locator('[data-testid="finding-explains"]').textContent()).toBe('Das erklärt auch: XDR-Kachel: unerwarteter Fehler im Secure-Email-Modul');
    await headline.scrollIntoViewIfNeeded();
    await shot('deadends-finding-links-de-dark-1280.png');
    await headline.locator('a.fix-profile').click();
    await expect.poll(active).toMatchObject({ id: 'pf-https-port' });
    expect(await app.page.textContent('.status-line')).toBe('Ein Befund verweist auf dieses Feld (HTTPS-Port): Gleichen Sie es mit der Appliance ab, korrigieren Sie es bei Bedarf und speichern Sie.');
    await shot('deadends-edit-field-de-dark-1280.png');

    await app.page.setViewportSize({ width: 1024, height: 700 });
    await call('settings.set', { theme: 'light' });
    await go('#/history');
    await app.page.waitForSelector('.run-item');
    expect(await app.page.textContent('.compare-hint')).toBe('Wählen Sie zwei Läufe zum Vergleichen aus: Setzen Sie jeweils das Häkchen davor.');
    await app.page.locator('.run-select').nth(0).check();
    await app.page.locator('.run-select').nth(1).check();
    expect(await app.page.locator('.run-select').nth(2).getAttribute('title')).toBe('Es sind bereits zwei Läufe ausgewählt: Entfernen Sie ein Häkchen, um stattdessen diesen zu wählen.');
    expect(await app.page.locator('.run-item').first().locator('.run-finding').first().textContent()).toContain('Die AsyncOS-API ist auf der Management-Schnittstelle nicht aktiviert');
    await shot('deadends-history-de-light-1024.png');
    await go(`#/checks/${profileId}?finding=DEVICE_OFFLINE_IN_SSE`);
    await app.page.locator('[data-testid="finding-explained"] .finding-title').waitFor();
    await shot('deadends-explained-de-light-1024.png');
    const overflow = await app.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await call('settings.set', { language: 'en', theme: 'dark' });
    await app.page.waitForSelector('[data-testid="finding-explained"] .eyebrow:text-is("Finding explained")');
    await shot('deadends-explained-en-dark-1024.png');
    await go(`#/profiles/${profileId}/edit/trust`);
    await expect.poll(() => app.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('pf-trust');
    await shot('deadends-edit-trust-en-dark-1024.png');
  });

  it('logged no errors', () => {
    expect(problems).toEqual([]);
  });
});
