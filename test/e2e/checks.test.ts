import type { Simulator } from '../fixtures/simulator/simulator.js';
import { simProfile, useAppSession } from '../support/e2e-session.js';

const VAULT = 'e2e checks vault passphrase';
const TOKEN = '0123456789abcdef0123456789abcdef';

/**
 * Journey 1 in Chromium: a profile against the appliance simulator, live progress, the headline
 * finding with its steps, a manual step answered, a second run, and History's diff.
 */
describe('checks and history in Chromium', () => {
  const ids = { lab: '', slow: '' };

  const app = useAppSession({
    dataDir: 'xet-e2e-checks-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: [{ mode: 'api-off' }, { mode: 'slow', slowMs: 800 }],
    args: ([, slow]) => ['--endpoints', slow!.endpointsFile],
    settings: { theme: 'light' },
    async prepare({ sims: [apiOff, slow] }) {
      ids.lab = await createProfile('lab-esa', apiOff!);
      ids.slow = await createProfile('slow-esa', slow!);
    },
    viewport: { width: 1024, height: 700 },
    clipboard: true,
    defaultTimeout: 10_000,
    watch: 'bodies',
    waitFor: 'h1:text-is("Overview")',
  });
  const { call, shot, problems, bodies } = app;
  async function createProfile(name: string, sim: Simulator): Promise<string> {
    const r = await call('profiles.create', simProfile(sim, name));
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return (r.value as { id: string }).id;
  }
  const progressNow = async () => Number(await app.page.getAttribute('[role=progressbar]', 'aria-valuenow'));

  it('shows the runbook rows before a run, for the profile named in the address', async () => {
    await app.page.goto(new URL(`/#/checks/${ids.lab}`, app.host.url).href);
    await app.page.waitForSelector('h1:text-is("Guided checks")');
    await app.page.waitForSelector('.check-row[data-check="api-https-port"]');
    expect(await app.page.inputValue('#check-profile')).toBe(ids.lab);
    expect(await app.page.getAttribute('.check-row[data-check="api-https-port"]', 'data-state')).toBe('pending');
    expect(await app.page.textContent('.progress-text')).toContain('checks ready');
    expect(await app.page.locator('.manual-card').count()).toBeGreaterThanOrEqual(6);
    await shot('checks-before-en.png');
    // Keyboard: from the profile picker, Tab reaches Run checks with a visible focus ring.
    await app.page.focus('#check-profile');
    await app.page.keyboard.press('Tab');
    const focused = await app.page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent?.trim(), outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toEqual({ text: 'Run checks', outline: 'solid' });
  });

  it('recognises a pasted error message and names the findings and checks', async () => {
    await app.page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await app.page.waitForSelector('.triage-match[data-pattern="module-unexpected-error"]');
    const triage = await app.page.textContent('[data-testid=triage]');
    expect(triage).toContain('AsyncOS API is not enabled on the management interface');
    expect(triage).toContain('AsyncOS API HTTPS port open');
    await shot('checks-triage-en.png');
    await app.page.fill('#error-text', 'Something nobody has ever seen');
    await app.page.waitForSelector('.triage-unknown');
    await app.page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await app.page.waitForSelector('.triage-match');
  });

  it('shows live progress while a slow appliance answers', async () => {
    // This appliance is healthy; without the pasted symptom nothing should be found.
    await app.page.fill('#error-text', '');
    await app.page.selectOption('#check-profile', ids.slow);
    await expect.poll(() => new URL(app.page.url()).hash).toBe(`#/checks/${ids.slow}`);
    await app.page.click('.run-button');
    await app.page.waitForSelector('.check-row[data-state="running"]');
    const seen = new Set<number>([await progressNow()]);
    await app.page.waitForSelector('.check-row[data-check="api-version"][data-state="running"]', { timeout: 15_000 });
    seen.add(await progressNow());
    await shot('checks-running-en.png');
    await app.page.waitForSelector('.check-row[data-check="api-auth"][data-state="running"]', { timeout: 15_000 });
    seen.add(await progressNow());
    expect(await app.page.isVisible('button:has-text("Cancel run")')).toBe(true);
    await app.page.waitForSelector('[data-testid=no-problems]', { timeout: 20_000 });
    seen.add(await progressNow());
    // The bar moved through several values on the way to the total.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(await progressNow()).toBe(Number(await app.page.getAttribute('[role=progressbar]', 'aria-valuemax')));
    expect(await app.page.getAttribute('.check-row[data-check="api-clock"]', 'data-state')).toBe('pass');
    await app.page.waitForTimeout(400); // let the bar's width transition end before the picture
    await shot('checks-clean-en.png');
    // Without an XDR API client the all-clear covers the path up to Threat Response, and leads to adding one.
    expect(await app.page.textContent('[data-testid=no-problems] h3')).toBe('No problems found up to the Threat Response server');
    await app.page.click('[data-testid=add-xdr-client]');
    await app.page.waitForSelector('h2:text-is("Edit “slow-esa”")');
    await expect.poll(() => app.page.evaluate(() => document.activeElement?.id)).toBe('pf-xdr-client-id');
    await app.page.goto(new URL(`/#/checks/${ids.slow}`, app.host.url).href);
    await app.page.waitForSelector('[data-testid=no-problems]');
  });

  it('cancels a run, keeping what finished', async () => {
    await app.page.click('.run-button');
    await app.page.waitForSelector('.check-row[data-check="api-version"][data-state="running"]', { timeout: 15_000 });
    await app.page.click('button:has-text("Cancel run")');
    await app.page.waitForSelector('.progress-text:has-text("Cancelled after")', { timeout: 15_000 });
    expect(await app.page.textContent('.findings')).toContain('This run was cancelled');
    expect(await app.page.getAttribute('.check-row[data-check="api-https-port"]', 'data-state')).toBe('pass');
    expect(await app.page.getAttribute('.check-row[data-check="api-clock"]', 'data-state')).toBe('skip');
    await app.page.locator('.findings').scrollIntoViewIfNeeded();
    await shot('checks-cancelled-en.png');
  });

  it('runs against an appliance without the API and puts the root cause on top, with steps to copy', async () => {
    await app.page.selectOption('#check-profile', ids.lab);
    await app.page.click('summary:has-text("Paste the error you see")');
    await app.page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await app.page.click('summary:has-text("Registration token")');
    await app.page.fill('#token-value', TOKEN);
    await app.page.fill('#token-lifetime', 'soon');
    await app.page.click('.run-button');
    expect(await app.page.textContent('#token-lifetime-err')).toContain('Lifetime must be a duration');
    await app.page.fill('#token-lifetime', '7d');
    await app.page.fill('#token-created', '2020-01-01T09:30');
    await app.page.selectOption('#token-region', 'eu');
    await app.page.click('.run-button');
    await app.page.waitForSelector('.finding.headline', { timeout: 20_000 });
    expect(await app.page.getAttribute('.finding.headline', 'data-code')).toBe('API_PORT_CLOSED');
    expect(await app.page.textContent('.finding.headline h3')).toBe('AsyncOS API is not enabled on the management interface');
    expect(await app.page.textContent('.finding.headline')).toContain('Step S6 · AsyncOS API');
    expect(await app.page.locator('.finding.headline .finding-steps li').count()).toBeGreaterThanOrEqual(3);
    expect(await app.page.getAttribute('.check-row[data-check="api-https-port"]', 'data-state')).toBe('fail');
    expect(await app.page.getAttribute('.check-row[data-check="token-lifetime"]', 'data-state')).toBe('fail');
    // The pasted message went into the run as well, shown with the cause it comes from (one severity).
    expect(await app.page.getAttribute('.check-row[data-check="error-text"]', 'data-state')).toBe('fail');
    expect(await app.page.textContent('.finding.headline [data-testid="finding-explains"]')).toContain('XDR tile: unexpected error on the Secure Email module');
    expect(await app.page.locator('.findings .finding-more[data-code="MODULE_UNEXPECTED_ERROR"]').count()).toBe(0);
    await app.page.click('.finding.headline button:has-text("Copy steps")');
    await app.page.waitForSelector('.finding.headline .copied:has-text("Copied to the clipboard.")');
    const copied = (await app.page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toContain('AsyncOS API is not enabled on the management interface');
    expect(copied).toMatch(/\n1\. First check the port in the profile/);
    expect(copied).toMatch(/\n2\. If the port is right, the API is not enabled: in the appliance GUI go to Network → IP Interfaces/);
    await app.page.click('.check-row[data-check="api-https-port"] .icon-button');
    await app.page.waitForSelector('.check-row[data-check="api-https-port"] .evidence');
    expect(await app.page.textContent('.check-row[data-check="api-https-port"] .evidence')).toContain('connection refused');
    await app.page.evaluate('document.querySelector("main").scrollTo(0, 0)');
    await shot('checks-findings-en.png');
  });

  it('re-evaluates the findings when a manual step is answered after the run', async () => {
    expect(await app.page.locator('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]').count()).toBe(0);
    await app.page.click('.manual-card[data-check="sse-services"] button[data-value="no"]');
    await app.page.waitForSelector('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]');
    expect(await app.page.getAttribute('.manual-card[data-check="sse-services"]', 'data-state')).toBe('fail');
    expect(await app.page.getAttribute('.manual-card[data-check="sse-services"] button[data-value="no"]', 'aria-pressed')).toBe('true');
    // The headline stays the most likely root cause as the core orders it.
    expect(await app.page.getAttribute('.finding.headline', 'data-code')).toBe('API_PORT_CLOSED');
    await app.page.locator('.manual-card[data-check="sse-services"]').scrollIntoViewIfNeeded();
    await shot('checks-answered-en.png');
  });

  it('runs again with the answers given, fixes one in the portal, and History shows what changed', async () => {
    await app.page.click('.run-button:has-text("Run again")');
    await app.page.waitForSelector('.run-button:has-text("Run again")', { timeout: 20_000 });
    await app.page.waitForSelector('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]');
    await app.page.click('.manual-card[data-check="sse-services"] button[data-value="yes"]');
    await app.page.waitForSelector('.manual-card[data-check="sse-services"][data-state="pass"]');
    expect(await app.page.locator('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]').count()).toBe(0);

    await app.page.click('a:has-text("View in History")');
    await app.page.waitForSelector('h1:text-is("History")');
    await app.page.waitForSelector('.run-detail .finding.headline');
    expect(app.page.url()).toMatch(/#\/history\/[0-9a-f-]{36}$/);
    await shot('history-run-en.png');
    expect(await app.page.getAttribute('a:has-text("Check this appliance")', 'href')).toBe(`#/checks/${ids.lab}`);

    await app.page.click('a.back-link');
    await app.page.waitForSelector('.run-item');
    expect(await app.page.locator('.run-item').count()).toBe(4);
    await app.page.selectOption('#history-profile', ids.lab);
    await expect.poll(() => app.page.locator('.run-item').count()).toBe(2);
    expect(await app.page.isDisabled('button:has-text("Compare")')).toBe(true);
    const boxes = app.page.locator('.run-item input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await shot('history-list-en.png');
    await app.page.click('button:has-text("Compare")');
    await app.page.waitForSelector('.run-diff');
    expect(await app.page.textContent('.diff-resolved')).toContain('SSE cloud services for XDR are not enabled');
    // Unchanged findings are named from the later run, fetched after the diff itself is shown.
    await expect.poll(() => app.page.textContent('.diff-unchanged')).toContain('AsyncOS API is not enabled on the management interface');
    const row = app.page.locator('.diff-table tr[data-check="sse-services"]');
    expect(await row.locator('.status').first().getAttribute('data-state')).toBe('fail');
    expect(await row.locator('.status').last().getAttribute('data-state')).toBe('pass');
    await shot('history-diff-en.png');
  });

  it('reads the same in German and in the dark theme', async () => {
    await call('settings.set', { language: 'de', theme: 'dark' });
    await app.page.waitForSelector('h1:text-is("Verlauf")');
    await app.page.waitForSelector('.diff-resolved:has-text("Behoben")');
    await shot('history-diff-de-dark.png');
    await app.page.click('a.back-link');
    await app.page.waitForSelector('.run-item');
    await shot('history-list-de-dark.png');
    await app.page.click('a[data-page="checks"]');
    await app.page.waitForSelector('h1:text-is("Geführte Prüfungen")');
    await app.page.waitForSelector('.finding.headline');
    expect(await app.page.textContent('.finding.headline h3')).toBe('Die AsyncOS-API ist auf der Management-Schnittstelle nicht aktiviert');
    expect(await app.page.textContent('.finding.headline')).toContain('Schritt S6');
    await shot('checks-findings-de-dark.png');
    await call('settings.set', { theme: 'light' });
    await app.page.click('summary:has-text("Angezeigte Fehlermeldung einfügen")');
    await app.page.fill('#error-text', 'Die Registrierung ist aufgrund eines ungültigen oder abgelaufenen Tokens fehlgeschlagen');
    await app.page.waitForSelector('.triage-match[data-pattern="registration-token-invalid"]');
    await app.page.locator('.run-setup').scrollIntoViewIfNeeded();
    await shot('checks-triage-de.png');
    await call('settings.set', { language: 'en' });
    await app.page.waitForSelector('h1:text-is("Guided checks")');
  });

  it('deletes a run after confirmation', async () => {
    await app.page.click('a[data-page="history"]');
    await app.page.waitForSelector('.run-item');
    const before = await app.page.locator('.run-item').count();
    await app.page.locator('.run-item').first().locator('button.icon-button').click();
    await app.page.waitForSelector('[role=dialog]:has-text("Delete this run?")');
    await shot('history-delete-en.png');
    await app.page.click('[role=dialog] button:has-text("Delete")');
    await app.page.waitForSelector('text=Deleted the run of');
    expect(await app.page.locator('.run-item').count()).toBe(before - 1);
  });

  it('fits 1024×700 without horizontal scrolling, never echoed the token, and logged no errors', async () => {
    const runs = ((await call('runs.list', { profileId: ids.slow })).value as { runs: { id: string }[] }).runs.map((r) => r.id);
    const views: [string, string][] = [
      [`#/checks/${ids.lab}`, '.check-row'],
      ['#/history', '.run-item'],
      [`#/history/${runs[0]}`, '.run-detail .check-row'],
      [`#/history/compare/${runs[1]}/${runs[0]}`, '.diff-table'],
      ['#/settings', '#proxy'],
    ];
    for (const [hash, ready] of views) {
      await app.page.goto(new URL(`/${hash}`, app.host.url).href);
      await app.page.waitForSelector(ready);
      const overflow = await app.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, hash).toBeLessThanOrEqual(0);
    }
    for (const b of bodies) expect(b).not.toContain(TOKEN);
    expect(await app.page.content()).not.toContain(TOKEN);
    expect(problems).toEqual([]);
  });
});
