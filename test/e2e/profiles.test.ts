import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { tempDir } from '../support/temp.js';
import { makeSelfSigned, tlsServer } from '../support/tls.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const PASSWORD = 'E2E-planted-Pw!';
const VAULT = 'e2e vault passphrase';

describe('profiles in Chromium', () => {
  let host: RunningHost;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const bodies: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    host = await startWebHostProcess(tempDir('xet-e2e-profiles-'), { LANG: 'en_US.UTF-8' });
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    page.setDefaultTimeout(8000);
    page.on('response', async (r) => {
      // The event stream never ends; every other API response is kept to check for leaks.
      if (r.url().includes('/api/') && !r.url().endsWith('/api/events')) bodies.push(await r.text().catch(() => ''));
    });
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    await page.goto(host.launchUrl);
    await page.waitForSelector('h1:text-is("Appliance profiles")');
  });

  afterAll(async () => {
    if (host?.child.exitCode !== null) console.error('web host exited', host?.child.exitCode, host?.child.signalCode, host?.stderr());
    await closeBrowser?.();
    await host?.stop();
  });

  it('explains profiles when there are none', async () => {
    expect(await page.textContent('.empty-state')).toContain('A profile tells the troubleshooter how to reach one appliance');
    await page.screenshot({ path: path.join(SHOTS, 'profiles-empty.png') });
  });

  it('validates inline, naming each field, before anything is sent', async () => {
    await page.click('.empty-actions button');
    await page.fill('#pf-name', 'esa-lab');
    await page.fill('#pf-host', 'bad host');
    await page.fill('#pf-https-port', '99999');
    await page.click('#pf-username');
    expect(await page.textContent('#pf-host-err')).toBe('Not a valid DNS name, IPv4 or IPv6 address');
    expect(await page.textContent('#pf-https-port-err')).toBe('Port must be a whole number from 1 to 65535');
    expect(await page.getAttribute('#pf-host', 'aria-invalid')).toBe('true');
    const sent = bodies.length;
    await page.click('button[type=submit]');
    expect(await page.textContent('.profile-form [role=status]')).toContain('Check the highlighted fields');
    expect(bodies.filter((b) => b.includes('esa-lab'))).toHaveLength(0);
    expect(bodies.length).toBe(sent);
    await page.screenshot({ path: path.join(SHOTS, 'profiles-validation.png') });
  });

  it('creates a profile, asks once for a vault passphrase, and shows the password only as stored', async () => {
    await page.fill('#pf-host', 'esa1.example.com');
    await page.fill('#pf-https-port', '6443');
    await page.fill('#pf-username', 'admin');
    await page.fill('#pf-password', PASSWORD);
    // No region is assumed for a new profile: the user picks it.
    expect(await page.inputValue('#pf-region')).toBe('');
    await page.selectOption('#pf-region', 'eu');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=dialog]:has-text("Choose a vault passphrase")');
    await page.screenshot({ path: path.join(SHOTS, 'profiles-vault.png') });
    await page.fill('#vault-passphrase', VAULT);
    await page.fill('#vault-repeat', VAULT);
    await page.click('[role=dialog] button[type=submit]');
    await page.waitForSelector('[data-testid=password-stored]');
    expect(await page.textContent('.profile-list')).toContain('esa-lab');
    expect(await page.inputValue('#pf-username')).toBe('admin');
    expect(await page.$('#pf-password')).toBeNull();
    expect(await page.content()).not.toContain(PASSWORD);
    await page.screenshot({ path: path.join(SHOTS, 'profiles-saved.png') });
  });

  it('edits a profile and keeps its password', async () => {
    await page.fill('#pf-host', '192.0.2.20');
    await page.click('button[type=submit]');
    await page.waitForSelector('.profile-list :text("192.0.2.20")');
    expect(await page.$('[data-testid=password-stored]')).not.toBeNull();
  });

  it('pins the appliance certificate fetched over TLS', async () => {
    const server = await tlsServer(makeSelfSigned('esa1.example.com'));
    await page.fill('#pf-host', '127.0.0.1');
    await page.fill('#pf-https-port', String(server.port));
    await page.click('button:has-text("Fetch certificate from the appliance")');
    const shown = (await page.textContent('[data-testid=fetched-fingerprint]'))!;
    const fingerprint = shown.replaceAll(':', '').toLowerCase();
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await page.screenshot({ path: path.join(SHOTS, 'profiles-certificate.png') });
    await page.click('button:has-text("Trust this certificate")');
    // The field shows the fingerprint as the card did (grouped, as the appliance GUI shows it).
    expect(await page.inputValue('#pf-pin')).toBe(shown);
    expect(await page.textContent('[data-testid=pin-summary]')).toMatch(/^Pinned ✓ CN=esa1\.example\.com, valid until \d{1,2} \w{3} \d{4}$/);
    await page.click('button[type=submit]');
    await page.waitForSelector('text=Saved.');
    await server.close();
  });

  it('duplicates a profile with its password', async () => {
    await page.click('button:has-text("Duplicate")');
    await page.waitForSelector('h2:has-text("esa-lab (copy)")');
    expect(await page.$('[data-testid=password-stored]')).not.toBeNull();
    expect(await page.locator('.profile-item').count()).toBe(2);
  });

  it('deletes after confirmation', async () => {
    await page.click('button:has-text("Delete…")');
    await page.waitForSelector('[role=dialog]:has-text("Delete “esa-lab (copy)”?")');
    await page.screenshot({ path: path.join(SHOTS, 'profiles-delete.png') });
    await page.click('[role=dialog] button:has-text("Delete")');
    await page.waitForSelector('text=Deleted “esa-lab (copy)”.');
    expect(await page.locator('.profile-item').count()).toBe(1);
  });

  it('searches the list and shows names literally', async () => {
    await page.click('button:has-text("Add appliance")');
    await page.fill('#pf-name', '<b>Robert"); DROP TABLE profiles; --</b> 📧');
    await page.fill('#pf-host', 'ces.example.com');
    await page.click('.segment:has-text("CES")');
    await page.selectOption('#pf-region', 'nam');
    await page.click('button[type=submit]');
    await page.waitForSelector('.profile-item:has-text("DROP TABLE")');
    expect(await page.locator('.profile-item b').count()).toBe(0);
    await page.fill('#profile-search', 'ces.example');
    await page.waitForFunction(() => document.querySelectorAll('.profile-item').length === 1);
    expect(await page.textContent('.profile-item')).toContain('📧');
    await page.fill('#profile-search', '');
    await page.waitForFunction(() => document.querySelectorAll('.profile-item').length === 2);
  });

  it('never received the password back, and logged no errors', () => {
    expect(bodies.length).toBeGreaterThan(5);
    for (const b of bodies) {
      expect(b).not.toContain(PASSWORD);
      expect(b).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    }
    expect(problems).toEqual([]);
  });
});
