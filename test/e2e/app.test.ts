import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium.js';
import { watchPage } from '../support/page-watch.js';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const PAGES = [
  ['profiles', 'Appliance profiles', 'Appliance-Profile'],
  ['checks', 'Guided checks', 'Geführte Prüfungen'],
  ['har', 'HAR files', 'HAR-Dateien'],
  ['archive', 'Support archive', 'Support-Archiv'],
  ['history', 'History', 'Verlauf'],
  ['settings', 'Settings', 'Einstellungen'],
] as const;

describe('UI in Chromium through the web host', () => {
  let host: RunningHost;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    host = await startWebHostProcess(tempDir('xet-e2e-'), { LANG: 'en_US.UTF-8' });
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    page.on('request', (r) => requests.push(r.url()));
    watchPage(page, problems);
    await page.goto(host.launchUrl);
  });

  afterAll(async () => {
    await closeBrowser?.();
    await host?.stop();
  });

  async function visitAll(lang: 'en' | 'de'): Promise<void> {
    for (const [id, en, de] of PAGES) {
      await page.click(`a[data-page="${id}"]`);
      await page.waitForSelector(`h1:text-is("${lang === 'en' ? en : de}")`);
      expect(await page.getAttribute(`a[data-page="${id}"]`, 'aria-current')).toBe('page');
      await page.screenshot({ path: path.join(SHOTS, `${lang}-${id}.png`) });
    }
  }

  it('loads after the launch URL and lands on the app without the token in the address', async () => {
    await page.waitForSelector('h1:text-is("Appliance profiles")');
    expect(new URL(page.url()).search).toBe('');
    expect(page.url()).not.toContain(host.launchUrl.split('token=')[1]);
  });

  it('renders every page in English', async () => {
    await visitAll('en');
  });

  it('switches to German, keeps it across a reload, renders every page, and switches back', async () => {
    await page.click('a[data-page="settings"]');
    await page.selectOption('#language', 'de');
    await page.waitForSelector('a[data-page="settings"]:has-text("Einstellungen")');
    await page.reload();
    await page.waitForSelector('h1:text-is("Einstellungen")');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await visitAll('de');
    await page.click('a[data-page="settings"]');
    await page.selectOption('#language', 'en');
    await page.waitForSelector('h1:text-is("Settings")');
  });

  it('is keyboard navigable with a visible focus ring', async () => {
    await page.goto(`${host.url}#/profiles`);
    await page.reload();
    await page.waitForSelector('h1');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { page: el.dataset.page, outline: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth };
    });
    // The Overview leads the navigation, then Profiles and Checks.
    expect(focused.page).toBe('overview');
    expect(focused.outline).toBe('solid');
    expect(parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('h1:text-is("Guided checks")');
  });

  it('fits 1024×700 without horizontal scrolling', async () => {
    for (const [id] of PAGES) {
      await page.click(`a[data-page="${id}"]`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, id).toBeLessThanOrEqual(0);
    }
  });

  it('a first start sends the Overview on to Profiles, but never pulls away a user who already went elsewhere', async () => {
    // The Overview's list answers late; meanwhile the user opens the HAR page.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/overview.list', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.goto(`${host.url}#/overview`);
      await page.reload();
      await page.click('a[data-page="har"]');
      await page.waitForSelector('h1:text-is("HAR files")');
      const answered = page.waitForResponse('**/api/overview.list');
      release();
      await answered;
      await page.waitForTimeout(200);
      expect(await page.textContent('main h1')).toBe('HAR files');
      expect(new URL(page.url()).hash).toBe('#/har');
      // Left alone, the empty Overview still goes on to Profiles.
      await page.click('a[data-page="overview"]');
      await page.waitForSelector('h1:text-is("Appliance profiles")');
    } finally {
      await page.unroute('**/api/overview.list');
    }
  });

  it('talked to nothing but its own loopback host, with no CSP or script errors', () => {
    expect(requests.length).toBeGreaterThan(5);
    for (const url of requests) expect(url.startsWith(`http://127.0.0.1:${host.port}/`), url).toBe(true);
    expect(problems).toEqual([]);
  });
});
