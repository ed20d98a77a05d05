import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../fixtures/simulator/simulator.js';
import { launchChromium } from '../support/chromium.js';
import { watchPage } from '../support/page-watch.js';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const VAULT = 'e2e checks vault passphrase';
const TOKEN = '0123456789abcdef0123456789abcdef';

/**
 * Journey 1 in Chromium: a profile against the appliance simulator, live progress, the headline
 * finding with its steps, a manual step answered, a second run, and History's diff.
 */
describe('checks and history in Chromium', () => {
  let apiOff: Simulator;
  let slow: Simulator;
  let host: RunningHost;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const bodies: string[] = [];
  const ids = { lab: '', slow: '' };

  async function call(command: string, body: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> {
    const res = await fetch(new URL(`/api/${command}`, host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { ok: boolean; value?: unknown; error?: unknown };
  }

  async function createProfile(name: string, sim: Simulator): Promise<string> {
    const r = await call('profiles.create', {
      profile: {
        name,
        kind: 'esa',
        host: '127.0.0.1',
        region: 'eu',
        httpsPort: sim.httpsPort,
        httpsEnabled: true,
        httpPort: sim.httpPort,
        httpEnabled: true,
        username: sim.username,
        cluster: '',
        notes: '',
        trust: { mode: 'pin', sha256: sim.pinnedSha256 },
      },
      password: sim.password,
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    return (r.value as { id: string }).id;
  }

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: false });
  const progressNow = async () => Number(await page.getAttribute('[role=progressbar]', 'aria-valuenow'));

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    [apiOff, slow] = await Promise.all([startSimulator({ mode: 'api-off' }), startSimulator({ mode: 'slow', slowMs: 800 })]);
    host = await startWebHostProcess(tempDir('xet-e2e-checks-'), { LANG: 'en_US.UTF-8', XET_VAULT_PASSPHRASE: VAULT }, ['--endpoints', slow.endpointsFile]);
    await call('settings.set', { theme: 'light' });
    ids.lab = await createProfile('lab-esa', apiOff);
    ids.slow = await createProfile('slow-esa', slow);
    ({ browser, close: closeBrowser } = await launchChromium());
    context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.url });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    watchPage(page, problems, bodies);
    await page.goto(host.launchUrl);
    await page.waitForSelector('h1:text-is("Overview")');
  });

  afterAll(async () => {
    if (host?.child.exitCode !== null) console.error('web host exited', host?.child.exitCode, host?.stderr());
    await closeBrowser?.();
    await host?.stop();
    await Promise.all([apiOff?.close(), slow?.close()]);
  });

  it('shows the runbook rows before a run, for the profile named in the address', async () => {
    await page.goto(new URL(`/#/checks/${ids.lab}`, host.url).href);
    await page.waitForSelector('h1:text-is("Guided checks")');
    await page.waitForSelector('.check-row[data-check="api-https-port"]');
    expect(await page.inputValue('#check-profile')).toBe(ids.lab);
    expect(await page.getAttribute('.check-row[data-check="api-https-port"]', 'data-state')).toBe('pending');
    expect(await page.textContent('.progress-text')).toContain('checks ready');
    expect(await page.locator('.manual-card').count()).toBeGreaterThanOrEqual(6);
    await shot('checks-before-en.png');
    // Keyboard: from the profile picker, Tab reaches Run checks with a visible focus ring.
    await page.focus('#check-profile');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent?.trim(), outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toEqual({ text: 'Run checks', outline: 'solid' });
  });

  it('recognises a pasted error message and names the findings and checks', async () => {
    await page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await page.waitForSelector('.triage-match[data-pattern="module-unexpected-error"]');
    const triage = await page.textContent('[data-testid=triage]');
    expect(triage).toContain('AsyncOS API is not enabled on the management interface');
    expect(triage).toContain('AsyncOS API HTTPS port open');
    await shot('checks-triage-en.png');
    await page.fill('#error-text', 'Something nobody has ever seen');
    await page.waitForSelector('.triage-unknown');
    await page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await page.waitForSelector('.triage-match');
  });

  it('shows live progress while a slow appliance answers', async () => {
    // This appliance is healthy; without the pasted symptom nothing should be found.
    await page.fill('#error-text', '');
    await page.selectOption('#check-profile', ids.slow);
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/checks/${ids.slow}`);
    await page.click('.run-button');
    await page.waitForSelector('.check-row[data-state="running"]');
    const seen = new Set<number>([await progressNow()]);
    await page.waitForSelector('.check-row[data-check="api-version"][data-state="running"]', { timeout: 15_000 });
    seen.add(await progressNow());
    await shot('checks-running-en.png');
    await page.waitForSelector('.check-row[data-check="api-auth"][data-state="running"]', { timeout: 15_000 });
    seen.add(await progressNow());
    expect(await page.isVisible('button:has-text("Cancel run")')).toBe(true);
    await page.waitForSelector('[data-testid=no-problems]', { timeout: 20_000 });
    seen.add(await progressNow());
    // The bar moved through several values on the way to the total.
    expect(seen.size).toBeGreaterThanOrEqual(3);
    expect(await progressNow()).toBe(Number(await page.getAttribute('[role=progressbar]', 'aria-valuemax')));
    expect(await page.getAttribute('.check-row[data-check="api-clock"]', 'data-state')).toBe('pass');
    await page.waitForTimeout(400); // let the bar's width transition end before the picture
    await shot('checks-clean-en.png');
  });

  it('cancels a run, keeping what finished', async () => {
    await page.click('.run-button');
    await page.waitForSelector('.check-row[data-check="api-version"][data-state="running"]', { timeout: 15_000 });
    await page.click('button:has-text("Cancel run")');
    await page.waitForSelector('.progress-text:has-text("Cancelled after")', { timeout: 15_000 });
    expect(await page.textContent('.findings')).toContain('This run was cancelled');
    expect(await page.getAttribute('.check-row[data-check="api-https-port"]', 'data-state')).toBe('pass');
    expect(await page.getAttribute('.check-row[data-check="api-clock"]', 'data-state')).toBe('skip');
    await page.locator('.findings').scrollIntoViewIfNeeded();
    await shot('checks-cancelled-en.png');
  });

  it('runs against an appliance without the API and puts the root cause on top, with steps to copy', async () => {
    await page.selectOption('#check-profile', ids.lab);
    await page.click('summary:has-text("Paste the error you see")');
    await page.fill('#error-text', 'There was an unexpected error on the Secure Email module');
    await page.click('summary:has-text("Registration token")');
    await page.fill('#token-value', TOKEN);
    await page.fill('#token-lifetime', 'soon');
    await page.click('.run-button');
    expect(await page.textContent('#token-lifetime-err')).toContain('Lifetime must be a duration');
    await page.fill('#token-lifetime', '7d');
    await page.fill('#token-created', '2020-01-01T09:30');
    await page.selectOption('#token-region', 'eu');
    await page.click('.run-button');
    await page.waitForSelector('.finding.headline', { timeout: 20_000 });
    expect(await page.getAttribute('.finding.headline', 'data-code')).toBe('API_PORT_CLOSED');
    expect(await page.textContent('.finding.headline h3')).toBe('AsyncOS API is not enabled on the management interface');
    expect(await page.textContent('.finding.headline')).toContain('Step S6 · AsyncOS API');
    expect(await page.locator('.finding.headline .finding-steps li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getAttribute('.check-row[data-check="api-https-port"]', 'data-state')).toBe('fail');
    expect(await page.getAttribute('.check-row[data-check="token-lifetime"]', 'data-state')).toBe('fail');
    // The pasted message went into the run as well, shown with the cause it comes from (one severity).
    expect(await page.getAttribute('.check-row[data-check="error-text"]', 'data-state')).toBe('fail');
    expect(await page.textContent('.finding.headline [data-testid="finding-explains"]')).toContain('XDR tile: unexpected error on the Secure Email module');
    expect(await page.locator('.findings .finding-more[data-code="MODULE_UNEXPECTED_ERROR"]').count()).toBe(0);
    await page.click('.finding.headline button:has-text("Copy steps")');
    await page.waitForSelector('.finding.headline .copied:has-text("Copied to the clipboard.")');
    const copied = (await page.evaluate('navigator.clipboard.readText()')) as string;
    expect(copied).toContain('AsyncOS API is not enabled on the management interface');
    expect(copied).toMatch(/\n1\. First check the port in the profile/);
    expect(copied).toMatch(/\n2\. If the port is right, the API is not enabled: in the appliance GUI go to Network → IP Interfaces/);
    await page.click('.check-row[data-check="api-https-port"] .icon-button');
    await page.waitForSelector('.check-row[data-check="api-https-port"] .evidence');
    expect(await page.textContent('.check-row[data-check="api-https-port"] .evidence')).toContain('connection refused');
    await page.evaluate('document.querySelector("main").scrollTo(0, 0)');
    await shot('checks-findings-en.png');
  });

  it('re-evaluates the findings when a manual step is answered after the run', async () => {
    expect(await page.locator('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]').count()).toBe(0);
    await page.click('.manual-card[data-check="sse-services"] button[data-value="no"]');
    await page.waitForSelector('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]');
    expect(await page.getAttribute('.manual-card[data-check="sse-services"]', 'data-state')).toBe('fail');
    expect(await page.getAttribute('.manual-card[data-check="sse-services"] button[data-value="no"]', 'aria-pressed')).toBe('true');
    // The headline stays the most likely root cause as the core orders it.
    expect(await page.getAttribute('.finding.headline', 'data-code')).toBe('API_PORT_CLOSED');
    await page.locator('.manual-card[data-check="sse-services"]').scrollIntoViewIfNeeded();
    await shot('checks-answered-en.png');
  });

  it('runs again with the answers given, fixes one in the portal, and History shows what changed', async () => {
    await page.click('.run-button:has-text("Run again")');
    await page.waitForSelector('.run-button:has-text("Run again")', { timeout: 20_000 });
    await page.waitForSelector('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]');
    await page.click('.manual-card[data-check="sse-services"] button[data-value="yes"]');
    await page.waitForSelector('.manual-card[data-check="sse-services"][data-state="pass"]');
    expect(await page.locator('.findings .finding-more[data-code="SSE_SERVICES_DISABLED"]').count()).toBe(0);

    await page.click('a:has-text("View in History")');
    await page.waitForSelector('h1:text-is("History")');
    await page.waitForSelector('.run-detail .finding.headline');
    expect(page.url()).toMatch(/#\/history\/[0-9a-f-]{36}$/);
    await shot('history-run-en.png');
    expect(await page.getAttribute('a:has-text("Check this appliance")', 'href')).toBe(`#/checks/${ids.lab}`);

    await page.click('a.back-link');
    await page.waitForSelector('.run-item');
    expect(await page.locator('.run-item').count()).toBe(4);
    await page.selectOption('#history-profile', ids.lab);
    await expect.poll(() => page.locator('.run-item').count()).toBe(2);
    expect(await page.isDisabled('button:has-text("Compare")')).toBe(true);
    const boxes = page.locator('.run-item input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await shot('history-list-en.png');
    await page.click('button:has-text("Compare")');
    await page.waitForSelector('.run-diff');
    expect(await page.textContent('.diff-resolved')).toContain('SSE cloud services for XDR are not enabled');
    expect(await page.textContent('.diff-unchanged')).toContain('AsyncOS API is not enabled on the management interface');
    const row = page.locator('.diff-table tr[data-check="sse-services"]');
    expect(await row.locator('.status').first().getAttribute('data-state')).toBe('fail');
    expect(await row.locator('.status').last().getAttribute('data-state')).toBe('pass');
    await shot('history-diff-en.png');
  });

  it('reads the same in German and in the dark theme', async () => {
    await call('settings.set', { language: 'de', theme: 'dark' });
    await page.waitForSelector('h1:text-is("Verlauf")');
    await page.waitForSelector('.diff-resolved:has-text("Behoben")');
    await shot('history-diff-de-dark.png');
    await page.click('a.back-link');
    await page.waitForSelector('.run-item');
    await shot('history-list-de-dark.png');
    await page.click('a[data-page="checks"]');
    await page.waitForSelector('h1:text-is("Geführte Prüfungen")');
    await page.waitForSelector('.finding.headline');
    expect(await page.textContent('.finding.headline h3')).toBe('Die AsyncOS-API ist auf der Management-Schnittstelle nicht aktiviert');
    expect(await page.textContent('.finding.headline')).toContain('Schritt S6');
    await shot('checks-findings-de-dark.png');
    await call('settings.set', { theme: 'light' });
    await page.click('summary:has-text("Angezeigte Fehlermeldung einfügen")');
    await page.fill('#error-text', 'Die Registrierung ist aufgrund eines ungültigen oder abgelaufenen Tokens fehlgeschlagen');
    await page.waitForSelector('.triage-match[data-pattern="registration-token-invalid"]');
    await page.locator('.run-setup').scrollIntoViewIfNeeded();
    await shot('checks-triage-de.png');
    await call('settings.set', { language: 'en' });
    await page.waitForSelector('h1:text-is("Guided checks")');
  });

  it('deletes a run after confirmation', async () => {
    await page.click('a[data-page="history"]');
    await page.waitForSelector('.run-item');
    const before = await page.locator('.run-item').count();
    await page.locator('.run-item').first().locator('button.icon-button').click();
    await page.waitForSelector('[role=dialog]:has-text("Delete this run?")');
    await shot('history-delete-en.png');
    await page.click('[role=dialog] button:has-text("Delete")');
    await page.waitForSelector('text=Deleted the run of');
    expect(await page.locator('.run-item').count()).toBe(before - 1);
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
      await page.goto(new URL(`/${hash}`, host.url).href);
      await page.waitForSelector(ready);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, hash).toBeLessThanOrEqual(0);
    }
    for (const b of bodies) expect(b).not.toContain(TOKEN);
    expect(await page.content()).not.toContain(TOKEN);
    expect(problems).toEqual([]);
  });
});
