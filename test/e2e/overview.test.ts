import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../fixtures/simulator/simulator.js';
import { launchChromium } from '../support/chromium.js';
import { watchPage } from '../support/page-watch.js';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const VAULT = 'e2e overview vault passphrase';
const XDR_SECRET = 'planted-xdr-client-secret-5c1e9a';

/**
 * The Overview in Chromium through the web host: three appliances (healthy, API off, wrong
 * password) of different kinds, regions and clusters; filters; Run all with a summary; the last
 * run restored on the Checks page after a reload; English and German, light and dark.
 */
describe('overview of every appliance in Chromium', () => {
  let sims: Simulator[] = [];
  let host: RunningHost;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const ids: Record<string, string> = {};
  const problems: string[] = [];
  const bodies: string[] = [];

  async function call<T = unknown>(command: string, body: unknown): Promise<{ ok: boolean; value?: T }> {
    const res = await fetch(new URL(`/api/${command}`, host.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { ok: boolean; value?: T };
  }

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
  const row = (name: string) => page.locator(`tr[data-profile="${name}"]`);

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    sims = await Promise.all([startSimulator({ mode: 'healthy' }), startSimulator({ mode: 'api-off' }), startSimulator({ mode: 'bad-credentials' })]);
    host = await startWebHostProcess(tempDir('xet-e2e-overview-'), { LANG: 'en_US.UTF-8', XET_VAULT_PASSPHRASE: VAULT }, ['--endpoints', sims[0]!.endpointsFile]);
    await call('settings.set', { theme: 'light', language: 'en' });
    const specs = [
      { name: 'esa-frankfurt', kind: 'esa', region: 'eu', cluster: 'Frankfurt' },
      { name: 'esa-dallas', kind: 'esa', region: 'nam', cluster: '' },
      { name: 'sma-munich', kind: 'sma', region: 'eu', cluster: 'Frankfurt' },
    ];
    for (const [i, s] of specs.entries()) {
      const sim = sims[i]!;
      const r = await call<{ id: string }>('profiles.create', {
        profile: { name: s.name, kind: s.kind, host: '127.0.0.1', region: s.region, httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: sim.username, cluster: s.cluster, notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 } },
        password: sim.password,
      });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      ids[s.name] = r.value!.id;
    }
    expect((await call('secrets.set', { profileId: ids['esa-frankfurt'], kind: 'xdr-client-secret', value: XDR_SECRET })).ok).toBe(true);
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(15_000);
    watchPage(page, problems, bodies);
    await page.goto(host.launchUrl);
  }, 60_000);

  afterAll(async () => {
    if (host?.child.exitCode !== null) console.error('web host exited', host?.child.exitCode, host?.stderr());
    await closeBrowser?.();
    await host?.stop();
    await Promise.all(sims.map((s) => s.close()));
  });

  it('is the first page once profiles exist: one row each with its credentials, filters by kind, region, cluster', async () => {
    await page.waitForSelector('h1:text-is("Overview")');
    expect(await page.getAttribute('a[data-page="overview"]', 'aria-current')).toBe('page');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    expect(await row('esa-frankfurt').textContent()).toMatch(/API password: stored[\s\S]*XDR client secret: stored[\s\S]*Never checked/);
    expect(await row('esa-dallas').textContent()).toMatch(/XDR client secret: not stored/);
    await page.selectOption('#ov-kind', 'sma');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.selectOption('#ov-kind', '');
    await page.selectOption('#ov-region', 'eu');
    await page.selectOption('#ov-cluster', 'Frankfurt');
    expect(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.profile))).toEqual(['esa-frankfurt', 'sma-munich']);
    await page.click('button:text-is("Clear filters")');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    await shot('overview-en-light-1280-before.png');
  });

  it('Run all checks every appliance with per-row progress, then a summary and each one’s top finding by title', async () => {
    await page.click('button.run-all');
    await page.waitForSelector('[data-testid="batch-summary"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="batch-summary"]')).toMatch(/3 appliances checked: 1 without problems, 0 with warnings, 2 with errors, 0 not checked, 0 cancelled/);
    await expect.poll(() => row('esa-dallas').getAttribute('data-result')).toBe('error');
    expect(await row('esa-dallas').textContent()).toMatch(/Errors[\s\S]*AsyncOS API is not enabled/);
    expect(await row('esa-dallas').textContent()).not.toContain('API_PORT_CLOSED');
    expect(await row('esa-frankfurt').textContent()).toMatch(/No problems/);
    expect(await row('sma-munich').getAttribute('data-result')).toBe('error');
    await page.selectOption('#ov-result', 'error');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await page.selectOption('#ov-result', '');
    for (const [w, h] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await shot(`overview-en-light-${w}.png`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('runs only the ticked appliances, keyboard first', async () => {
    await page.focus(`input[aria-label="Tick esa-dallas"]`);
    await page.keyboard.press('Space');
    await page.waitForSelector('button.run-all:text-is("Run 1 ticked")');
    const before = ((await call<{ runs: unknown[] }>('runs.list', { limit: 50 })).value!.runs).length;
    await page.click('button.run-all');
    await expect.poll(async () => (await page.textContent('[data-testid="batch-summary"]')) ?? '', { timeout: 20_000 }).toMatch(/^Run all finished · 1 appliance checked/);
    expect((await call<{ runs: unknown[] }>('runs.list', { limit: 50 })).value!.runs).toHaveLength(before + 1);
  }, 40_000);

  it('Open leads to the Checks page, which shows the last stored run again after a reload', async () => {
    await row('esa-dallas').locator('a.button:has-text("Open")').click();
    await page.waitForSelector('h1:text-is("Guided checks")');
    await page.waitForSelector('[data-testid="last-run"]');
    expect(await page.textContent('[data-testid="last-run"]')).toMatch(/Last run .+ · 1 error · open/);
    await page.reload();
    await page.waitForSelector('[data-testid="last-run"]');
    expect(await page.textContent('main')).toMatch(/AsyncOS API is not enabled/);
    await shot('checks-last-run-en-light.png');
  });

  it('in German and dark: titles, results and the summary in German', async () => {
    await call('settings.set', { language: 'de', theme: 'dark' });
    await page.goto(new URL('/#/overview', host.url).href);
    await page.waitForSelector('h1:text-is("Übersicht")');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(3);
    expect(await row('esa-dallas').textContent()).toMatch(/API-Passwort: gespeichert[\s\S]*Fehler[\s\S]*Die AsyncOS-API ist auf der Management-Schnittstelle nicht aktiviert/);
    expect(await row('esa-frankfurt').textContent()).toMatch(/Keine Probleme/);
    for (const [w, h] of [[1280, 800], [1024, 700]] as const) {
      await page.setViewportSize({ width: w, height: h });
      await shot(`overview-de-dark-${w}.png`);
    }
    await call('settings.set', { theme: 'light' });
    await page.waitForFunction(() => document.documentElement.dataset.theme !== 'dark');
    await shot('overview-de-light-1024.png');
    await call('settings.set', { language: 'en', theme: 'dark' });
    await page.waitForSelector('h1:text-is("Overview")');
    await page.setViewportSize({ width: 1280, height: 800 });
    await shot('overview-en-dark-1280.png');
    await page.goto(new URL(`/#/checks/${ids['esa-dallas']}`, host.url).href);
    await page.waitForSelector('[data-testid="last-run"]');
    await shot('checks-last-run-en-dark.png');
    await call('settings.set', { language: 'de', theme: 'light' });
    await page.waitForSelector('h1:text-is("Geführte Prüfungen")');
    expect(await page.textContent('[data-testid="last-run"]')).toMatch(/Letzter Lauf .+ · 1 Fehler · öffnen/);
    await shot('checks-last-run-de-light.png');
    await call('settings.set', { language: 'en', theme: 'light' });
  }, 40_000);

  it('Cancel all stops every appliance: queued ones never start, the summary says so', async () => {
    const slow = await startSimulator({ mode: 'slow', slowMs: 1500 });
    sims.push(slow);
    for (const name of ['esa-slow-1', 'esa-slow-2']) {
      const r = await call('profiles.create', {
        profile: { name, kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: slow.httpsPort, httpsEnabled: true, httpPort: slow.httpPort, httpEnabled: true, username: slow.username, cluster: '', notes: '', trust: { mode: 'pin', sha256: slow.pinnedSha256 } },
        password: slow.password,
      });
      expect(r.ok).toBe(true);
    }
    await page.goto(new URL('/#/overview', host.url).href);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(5);
    await page.locator('input[aria-label="Tick esa-slow-1"]').check();
    await page.locator('input[aria-label="Tick esa-slow-2"]').check();
    await page.click('button.run-all:text-is("Run 2 ticked")');
    await page.waitForSelector('tr[data-profile="esa-slow-1"] [data-state="running"]');
    await shot('overview-en-light-running.png');
    await page.click('button:text-is("Cancel all")');
    await page.waitForSelector('[data-testid="batch-summary"]', { timeout: 20_000 });
    expect(await page.textContent('[data-testid="batch-summary"]')).toMatch(/Run all cancelled · 2 appliances checked: 0 without problems, 0 with warnings, 0 with errors, 0 not checked, 2 cancelled/);
    await call('settings.set', { theme: 'light' });
  }, 40_000);

  it('never shows a stored secret, and logs no errors', () => {
    expect(bodies.join('\n')).not.toContain(XDR_SECRET);
    for (const sim of sims) expect(bodies.join('\n')).not.toContain(sim.password);
    expect(problems).toEqual([]);
  });
});
