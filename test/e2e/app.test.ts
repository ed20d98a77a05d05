import { useAppSession } from '../support/e2e-session.js';

const PAGES = [
  ['profiles', 'Appliance profiles', 'Appliance-Profile'],
  ['checks', 'Guided checks', 'Geführte Prüfungen'],
  ['har', 'HAR files', 'HAR-Dateien'],
  ['archive', 'Support archive', 'Support-Archiv'],
  ['history', 'History', 'Verlauf'],
  ['settings', 'Settings', 'Einstellungen'],
] as const;

describe('UI in Chromium through the web host', () => {
  const requests: string[] = [];
  const app = useAppSession({
    dataDir: 'xet-e2e-',
    viewport: { width: 1024, height: 700 },
    onPage(page) {
      page.on('request', (r) => requests.push(r.url()));
    },
  });
  const { problems } = app;

  async function visitAll(lang: 'en' | 'de'): Promise<void> {
    for (const [id, en, de] of PAGES) {
      await app.page.click(`a[data-page="${id}"]`);
      await app.page.waitForSelector(`h1:text-is("${lang === 'en' ? en : de}")`);
      expect(await app.page.getAttribute(`a[data-page="${id}"]`, 'aria-current')).toBe('page');
      await app.shot(`${lang}-${id}.png`);
    }
  }

  it('loads after the launch URL and lands on the app without the token in the address', async () => {
    await app.page.waitForSelector('h1:text-is("Appliance profiles")');
    expect(new URL(app.page.url()).search).toBe('');
    expect(app.page.url()).not.toContain(app.host.launchUrl.split('token=')[1]);
  });

  it('renders every page in English', async () => {
    await visitAll('en');
  });

  it('switches to German, keeps it across a reload, renders every page, and switches back', async () => {
    await app.page.click('a[data-page="settings"]');
    await app.page.selectOption('#language', 'de');
    await app.page.waitForSelector('a[data-page="settings"]:has-text("Einstellungen")');
    await app.page.reload();
    await app.page.waitForSelector('h1:text-is("Einstellungen")');
    expect(await app.page.getAttribute('html', 'lang')).toBe('de');
    await visitAll('de');
    await app.page.click('a[data-page="settings"]');
    await app.page.selectOption('#language', 'en');
    await app.page.waitForSelector('h1:text-is("Settings")');
  });

  it('is keyboard navigable with a visible focus ring', async () => {
    await app.page.goto(`${app.host.url}#/profiles`);
    await app.page.reload();
    await app.page.waitForSelector('h1');
    await app.page.keyboard.press('Tab');
    expect(await app.page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await app.page.keyboard.press('Tab');
    const focused = await app.page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { page: el.dataset.page, outline: getComputedStyle(el).outlineStyle, width: getComputedStyle(el).outlineWidth };
    });
    // The Overview leads the navigation, then Profiles and Checks.
    expect(focused.page).toBe('overview');
    expect(focused.outline).toBe('solid');
    expect(parseFloat(focused.width)).toBeGreaterThanOrEqual(2);
    await app.page.keyboard.press('Tab');
    await app.page.keyboard.press('Tab');
    await app.page.keyboard.press('Enter');
    await app.page.waitForSelector('h1:text-is("Guided checks")');
  });

  it('fits 1024×700 without horizontal scrolling', async () => {
    for (const [id] of PAGES) {
      await app.page.click(`a[data-page="${id}"]`);
      const overflow = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, id).toBeLessThanOrEqual(0);
    }
  });

  it('a first start sends the Overview on to Profiles, but never pulls away a user who already went elsewhere', async () => {
    // The Overview's list answers late; meanwhile the user opens the HAR page.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await app.page.route('**/api/overview.list', async (route) => {
      await held;
      await route.continue();
    });
    try {
      await app.page.goto(`${app.host.url}#/overview`);
      await app.page.reload();
      await app.page.click('a[data-page="har"]');
      await app.page.waitForSelector('h1:text-is("HAR files")');
      const answered = app.page.waitForResponse('**/api/overview.list');
      release();
      await answered;
      await app.page.waitForTimeout(200);
      expect(await app.page.textContent('main h1')).toBe('HAR files');
      expect(new URL(app.page.url()).hash).toBe('#/har');
      // Left alone, the empty Overview still goes on to Profiles.
      await app.page.click('a[data-page="overview"]');
      await app.page.waitForSelector('h1:text-is("Appliance profiles")');
    } finally {
      await app.page.unroute('**/api/overview.list');
    }
  });

  it('talked to nothing but its own loopback host, with no CSP or script errors', () => {
    expect(requests.length).toBeGreaterThan(5);
    for (const url of requests) expect(url.startsWith(`http://127.0.0.1:${app.host.port}/`), url).toBe(true);
    expect(problems).toEqual([]);
  });
});
