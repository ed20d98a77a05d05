import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../fixtures/simulator/simulator.js';
import { launchChromium } from '../support/chromium.js';
import { watchPage } from '../support/page-watch.js';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const VAULT = 'e2e xdr vault passphrase';

/**
 * The far side in Chromium: an XDR API client added to a profile in the form, a run against the
 * IROH simulator (device offline in SSE), the "XDR and SSE" group, the finding with its steps, German too.
 */
describe('XDR and SSE checks in Chromium', () => {
  let sim: Simulator;
  let host: RunningHost;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  let id = '';
  const problems: string[] = [];
  const bodies: string[] = [];

  async function call(command: string, body: unknown): Promise<{ ok: boolean; value?: unknown }> {
    const res = await fetch(new URL(`/api/${command}`, host.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; value?: unknown };
  }
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: false });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    sim = await startSimulator({ mode: 'healthy', xdrMode: 'xdr-device-offline' });
    host = await startWebHostProcess(tempDir('xet-e2e-xdr-'), { LANG: 'en_US.UTF-8', XET_VAULT_PASSPHRASE: VAULT }, ['--endpoints', sim.endpointsFile]);
    await call('settings.set', { theme: 'light', language: 'en' });
    const r = await call('profiles.create', {
      profile: { name: 'lab-esa', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpPort: sim.httpPort, username: sim.username, trust: { mode: 'pin', sha256: sim.pinnedSha256 } },
      password: sim.password,
    });
    id = (r.value as { id: string }).id;
    ({ browser, close: closeBrowser } = await launchChromium());
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    watchPage(page, problems, bodies);
    await page.goto(host.launchUrl);
    await page.waitForSelector('h1:text-is("Overview")');
  });

  afterAll(async () => {
    await closeBrowser?.();
    await host?.stop();
    await sim?.close();
  });

  it('says on the Checks page that no client is set, and the manual SSE questions stay', async () => {
    await page.goto(new URL(`/#/checks/${id}`, host.url).href);
    await page.waitForSelector('[data-testid=xdr-client-status]');
    expect(await page.textContent('[data-testid=xdr-client-status]')).toContain('XDR API client: none — add one to check SSE and XDR automatically');
    expect(await page.locator('.manual-card').count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('[data-group=xdr]').count()).toBe(0);
  });

  it('adds the API client in the profile form: explanation, scopes, portal link, write-only secret', async () => {
    await page.click('[data-testid=xdr-client-status] a');
    await page.waitForSelector('#pf-xdr-client-id');
    const fieldset = await page.textContent('[data-testid=xdr-client]');
    expect(fieldset).toContain('Integration (read), SSE (read) and Enrich:Read');
    expect(await page.getAttribute('[data-testid=xdr-client] a', 'href')).toBe('https://xdr.eu.security.cisco.com/');
    await page.fill('#pf-xdr-client-id', 'client 1');
    await page.locator('#pf-xdr-client-id').blur();
    await page.waitForSelector('#pf-xdr-client-id-err:has-text("printable ASCII")');
    await page.fill('#pf-xdr-client-id', sim.xdr!.clientId);
    await page.fill('#pf-xdr-secret', sim.xdr!.clientSecret);
    await page.locator('[data-testid=xdr-client]').scrollIntoViewIfNeeded();
    await shot('xdr-profile-form-en.png');
    // Save stores the client ID with the profile and the secret in the vault.
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=xdr-secret-stored]');
    expect(await page.inputValue('#pf-xdr-client-id')).toBe(sim.xdr!.clientId);
    await page.locator('[data-testid=xdr-client]').scrollIntoViewIfNeeded();
    await shot('xdr-profile-stored-en.png');
  });

  it('runs the XDR and SSE group with the other checks and shows the finding with its steps', async () => {
    await page.goto(new URL(`/#/checks/${id}`, host.url).href);
    await page.waitForSelector('[data-group=xdr]');
    expect(await page.textContent('[data-testid=xdr-client-status]')).toContain('stored');
    expect(await page.textContent('#group-xdr')).toBe('XDR and SSE (through the XDR API client)');
    expect(await page.locator('.manual-card[data-check=device-listed], [data-check=device-listed]').count()).toBe(0);
    await page.click('.run-button');
    await page.waitForSelector('.check-row[data-check="xdr-sse-device"][data-state="fail"]', { timeout: 30_000 });
    await page.waitForSelector('.finding[data-code="DEVICE_OFFLINE_IN_SSE"]', { timeout: 30_000 });
    // Once done the bar is full: the plan's checks count (the manual steps the client replaces are not in it), not the runbook's.
    await page.waitForSelector('.progress-text:has-text("checks done in")', { timeout: 30_000 });
    const bar = page.locator('.run-progress [role=progressbar]');
    expect(await bar.getAttribute('aria-valuenow')).toBe(await bar.getAttribute('aria-valuemax'));
    const finding = await page.textContent('.finding[data-code="DEVICE_OFFLINE_IN_SSE"]');
    expect(finding).toContain('Devices');
    expect(await page.locator('.finding[data-code="DEVICE_OFFLINE_IN_SSE"] .finding-steps li').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getAttribute('.check-row[data-check="xdr-auth"]', 'data-state')).toBe('pass');
    await shot('xdr-findings-en.png');
    await page.locator('[data-group=xdr]').scrollIntoViewIfNeeded();
    await shot('xdr-group-en.png');
  });

  it('reads in German', async () => {
    await call('settings.set', { language: 'de' });
    await page.waitForSelector('#group-xdr:text-is("XDR und SSE (über den XDR-API-Client)")');
    await page.waitForSelector('.finding[data-code="DEVICE_OFFLINE_IN_SSE"] h3:text-is("Die Appliance ist in SSE nicht mehr registriert")');
    await page.locator('.finding[data-code="DEVICE_OFFLINE_IN_SSE"]').scrollIntoViewIfNeeded();
    await shot('xdr-findings-de.png');
    await page.locator('[data-group=xdr]').scrollIntoViewIfNeeded();
    await shot('xdr-group-de.png');
    await page.goto(new URL(`/#/profiles/${id}`, host.url).href);
    await page.waitForSelector('[data-testid=xdr-client]');
    await page.locator('[data-testid=xdr-client]').scrollIntoViewIfNeeded();
    await shot('xdr-profile-form-de.png');
    await call('settings.set', { language: 'en' });
  });

  it('never hands the client secret or an access token to the page, and logs no console problems', () => {
    const tokens = sim.xdr!.requests.filter((r) => r.auth === 'bearer').map((r) => r.credential);
    for (const secret of [sim.xdr!.clientSecret, ...tokens]) expect(bodies.join('\n')).not.toContain(secret);
    expect(problems).toEqual([]);
  });
});
