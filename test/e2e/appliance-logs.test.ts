import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../fixtures/simulator/simulator.js';
import { fileText } from '../fixtures/simulator/appliance-logs.js';
import { launchChromium } from '../support/chromium.js';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const VAULT = 'e2e logs vault passphrase';

/** The wizard's appliance-logs step in Chromium through the web host, against the simulator's log API. */
describe('archive wizard: appliance logs step in Chromium', () => {
  let sim: Simulator;
  let host: RunningHost;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const problems: string[] = [];

  async function call(command: string, body: unknown): Promise<{ ok: boolean; value?: { id: string } }> {
    const res = await fetch(new URL(`/api/${command}`, host.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; value?: { id: string } };
  }
  const heading = () => page.textContent('#archive-step-title');
  async function next(title: string): Promise<void> {
    await page.click('.archive-nav button:text-is("Next"), .archive-nav button:text-is("Weiter")');
    await expect.poll(heading).toBe(title);
  }
  async function shot(name: string): Promise<void> {
    const height = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      return main.scrollHeight + main.getBoundingClientRect().top;
    });
    await page.setViewportSize({ width: 1024, height: Math.max(700, Math.ceil(height)) });
    await page.screenshot({ path: path.join(SHOTS, name) });
    await page.setViewportSize({ width: 1024, height: 768 });
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    sim = await startSimulator({});
    host = await startWebHostProcess(tempDir('xet-e2e-logs-'), { LANG: 'en_US.UTF-8', XET_VAULT_PASSPHRASE: VAULT }, ['--endpoints', sim.endpointsFile]);
    await call('settings.set', { theme: 'light', language: 'en' });
    const created = await call('profiles.create', {
      profile: { name: 'esa-frankfurt', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: sim.username, cluster: '', notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 } },
      password: sim.password,
    });
    expect(created.ok).toBe(true);
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(host.launchUrl);
    await page.waitForSelector('h1:text-is("Overview")');
  }, 90_000);

  afterAll(async () => {
    await closeBrowser?.();
    await host?.stop();
    await sim?.close();
  });

  it('lists the subscriptions with types and file counts, defaults ticked, takes a dropped gzip and shows per-file redactions after the build', async () => {
    await page.click('.nav-link[data-page="archive"]');
    await expect.poll(heading).toBe('Profile and runs');
    await next('HAR files');
    await next('Appliance logs');
    // Nothing is asked of the appliance until the user lists its logs.
    expect(await page.locator('.logs-table').count()).toBe(0);
    await page.click('.logs-list-button');
    await page.waitForSelector('.logs-table tr[data-subscription="xdr_errors"]');
    expect(await page.isChecked('tr[data-subscription="xdr_errors"] input')).toBe(true);
    expect(await page.isChecked('tr[data-subscription="mail_logs"] input')).toBe(false);
    expect(await page.textContent('tr[data-subscription="xdr_errors"]')).toMatch(/Error Logs\s*2 files/);
    const gz = path.join(tempDir(), 'mail.@20261201T000000.s.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fileText('mail_logs', { from: Date.now() - 5 * 3600_000, to: Date.now() }, { mode: 'healthy', kind: 'esa', username: sim.username, password: sim.password, hostname: sim.hostname, offsetSeconds: 3600, hugeBytes: 0, slowChunkMs: 0 })));
    await page.setInputFiles('.logs-drop + input[type=file]', gz);
    await page.waitForSelector('.logs-imports li >> text=mail.@20261201T000000.s.gz');
    await shot('archive-logs-step-en-light.png');

    await next('Case and notes');
    await next('Encryption');
    await page.click('button:text-is("Generate a strong passphrase")');
    await page.click('button:text-is("Build archive")');
    await page.waitForSelector('.logs-result tr[data-log]', { timeout: 60_000 });
    expect(await page.locator('.logs-result tr[data-log]').count()).toBe(15);
    expect(await page.textContent('.logs-result tr[data-log="appliance-logs/api_logs/api.current"]')).toMatch(/jwt \d+/);
    const text = await page.textContent('body');
    for (const planted of [sim.password, 'alice.jones@customer-corp.example', sim.hostname]) expect(text).not.toContain(planted);
    await shot('archive-logs-result-en-light.png');
  }, 120_000);

  it('in German', async () => {
    await call('settings.set', { language: 'de' });
    await page.reload();
    await expect.poll(heading).toBe('Profil und Läufe');
    await next('HAR-Dateien');
    await next('Appliance-Logs');
    await page.click('.logs-list-button');
    await page.waitForSelector('.logs-table tr[data-subscription="ctr_logs"]');
    expect(await page.textContent('.archive-logs-subscriptions legend')).toBe('Protokollabonnements der Appliance');
    await shot('archive-logs-step-de-light.png');
    expect(problems).toEqual([]);
  }, 60_000);
});
