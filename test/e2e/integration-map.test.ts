import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator, type SimulatorOptions } from '../fixtures/simulator/simulator.js';
import { launchChromium } from '../support/chromium.js';
import { watchPage } from '../support/page-watch.js';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const VAULT = 'e2e integration map vault passphrase';
const APPLIANCE_CHECKS = ['appliance-dns', 'api-https-port', 'api-http-port', 'api-tls', 'api-version', 'api-auth', 'api-session', 'api-health', 'api-clock'];

/** What the page draws for each link: its tone, the word on it, its text alternative and its line's colour. */
interface LinkView {
  link: string;
  tone: string;
  state: string;
  label: string;
  stroke: string;
  pressed: string | null;
}

/** One web host against one set of simulators (the cloud endpoints are the host's, so each fault of the cloud side needs its own). */
class Lab {
  host!: RunningHost;
  sims: Simulator[] = [];

  async start(name: string, cloud: SimulatorOptions): Promise<Simulator> {
    const sim = await startSimulator(cloud);
    this.sims.push(sim);
    this.host = await startWebHostProcess(tempDir(`xet-e2e-map-${name}-`), { LANG: 'en_US.UTF-8', XET_VAULT_PASSPHRASE: VAULT }, ['--endpoints', sim.endpointsFile]);
    expect((await this.call('settings.set', { theme: 'light', language: 'en' })).ok).toBe(true);
    return sim;
  }

  async call<T = unknown>(command: string, body: unknown): Promise<{ ok: boolean; value?: T }> {
    const res = await fetch(new URL(`/api/${command}`, this.host.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.host.token}` }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; value?: T };
  }

  /** A profile against `sim`'s appliance; with `xdr`, its XDR API client too (secret in the vault). */
  async profile(name: string, sim: Simulator, xdr = false): Promise<string> {
    const r = await this.call<{ id: string }>('profiles.create', {
      profile: { name, kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpPort: sim.httpPort, username: sim.username, trust: { mode: 'pin', sha256: sim.pinnedSha256 }, ...(xdr ? { xdrClientId: sim.xdr!.clientId } : {}) },
      password: sim.password,
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (xdr) expect((await this.call('secrets.set', { profileId: r.value!.id, kind: 'xdr-client-secret', value: sim.xdr!.clientSecret })).ok).toBe(true);
    return r.value!.id;
  }

  async stop(): Promise<void> {
    await this.host?.stop();
    await Promise.all(this.sims.map((s) => s.close()));
  }
}

/**
 * The integration path on the Checks page in Chromium: colours for a healthy appliance and for
 * faulty ones (API port closed, Cisco cloud TLS intercepted, appliance offline in SSE), links
 * answered by the manual questions or not checked at all saying so in words, a click (or Enter)
 * filtering the page to the link's checks and findings, German, dark, and 1024×700.
 */
describe('integration path on the Checks page in Chromium', () => {
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const problems: string[] = [];

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, name) });
  const map = '[data-testid=integration-map]';

  async function links(): Promise<LinkView[]> {
    return page.$$eval(`${map} g[data-link]`, (gs) =>
      gs.map((g) => ({
        link: g.getAttribute('data-link')!,
        tone: g.getAttribute('data-tone')!,
        state: [...g.querySelectorAll('.map-state')].map((t) => t.textContent!.trim()).join(' '),
        label: g.getAttribute('aria-label')!,
        stroke: getComputedStyle(g.querySelector('line')!).stroke,
        pressed: g.getAttribute('aria-pressed'),
      })),
    );
  }

  const byLink = async () => Object.fromEntries((await links()).map((l) => [l.link, l]));

  /** A theme colour as the browser resolves it (`--danger` → `rgb(179, 38, 30)`). */
  async function themeColour(variable: string): Promise<string> {
    return page.evaluate((v) => {
      const probe = document.createElement('span');
      probe.style.color = `var(${v})`;
      document.body.append(probe);
      const colour = getComputedStyle(probe).color;
      probe.remove();
      return colour;
    }, variable);
  }

  /** Every text of the picture inside the drawing, and no two overlapping: what "readable" can be measured by. */
  async function layoutProblems(): Promise<string[]> {
    return page.$eval(`${map} svg`, (svg) => {
      const box = (svg as SVGSVGElement).getBoundingClientRect();
      const texts = [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent ?? '', r: t.getBoundingClientRect() }));
      const out: string[] = [];
      for (const t of texts) if (t.r.left < box.left - 1 || t.r.right > box.right + 1 || t.r.top < box.top - 1 || t.r.bottom > box.bottom + 1) out.push(`outside: ${t.text}`);
      for (let i = 0; i < texts.length; i++)
        for (let j = i + 1; j < texts.length; j++) {
          const [a, b] = [texts[i]!.r, texts[j]!.r];
          const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
          if (overlap) out.push(`overlap: "${texts[i]!.text}" / "${texts[j]!.text}"`);
        }
      return out;
    });
  }

  async function openChecks(lab: Lab, id: string): Promise<void> {
    await page.goto(new URL(`/#/checks/${id}`, lab.host.url).href);
    await page.waitForSelector(`${map} g[data-link]`);
  }

  async function runChecks(): Promise<void> {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/checks.start')), page.click('.run-button')]);
    await page.waitForSelector('.progress-text:has-text("checks done in")', { timeout: 30_000 });
    await page.waitForSelector(`${map} g[data-link]:not([data-tone=running])`);
  }

  /** Shows only the checks (rows and manual cards) the page lists now. */
  const listed = () => page.$$eval('.check-groups [data-check]', (els) => els.map((e) => e.getAttribute('data-check')!));
  const findingCodes = () => page.$$eval('.findings [data-code]', (els) => [...new Set(els.map((e) => e.getAttribute('data-code')!))]);

  /**
   * The page leaves a host before it stops: otherwise its event stream retries against the closed
   * port, and Chromium logs ERR_CONNECTION_REFUSED when the retry comes before the next page.
   */
  async function leave(lab: Lab): Promise<void> {
    await page.goto('about:blank');
    await lab.stop();
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ({ browser, close: closeBrowser } = await launchChromium());
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.setDefaultTimeout(15_000);
    watchPage(page, problems);
  });

  afterAll(async () => {
    await closeBrowser?.();
  });

  describe('a healthy appliance, and one whose API port is closed', () => {
    const lab = new Lab();
    const ids = { healthy: '', closed: '' };

    beforeAll(async () => {
      const healthy = await lab.start('healthy', { mode: 'healthy', xdrMode: 'xdr-healthy' });
      const apiOff = await startSimulator({ mode: 'api-off' });
      lab.sims.push(apiOff);
      ids.healthy = await lab.profile('healthy-esa', healthy, true);
      ids.closed = await lab.profile('closed-esa', apiOff);
      await page.goto(lab.host.launchUrl);
      await page.waitForSelector('h1:text-is("Overview")');
    });

    afterAll(() => leave(lab));

    it('says "Not checked" on every link before a run, in words, not only in grey', async () => {
      await openChecks(lab, ids.healthy);
      const before = await links();
      expect(before.map((l) => [l.link, l.tone, l.state])).toEqual([
        ['appliance', 'not-checked', 'Not checked'],
        ['threat-response', 'not-checked', 'Not checked'],
        ['sse', 'not-checked', 'Not checked'],
        ['xdr', 'not-checked', 'Not checked'],
      ]);
      expect(before[0]!.label).toBe('Not checked – DNS, TCP, TLS, AsyncOS API, sign-in, clock. This computer to Appliance, no findings.');
      // The path's parts, with the hosts this profile's region uses.
      expect(await page.textContent(`${map} [data-node=appliance]`)).toContain('127.0.0.1');
      expect(await page.textContent(`${map} [data-node=threat-response]`)).toContain('api.eu.sse.itd.cisco.com');
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-before-en.png');
    });

    it('draws every link green for the healthy appliance with an XDR API client', async () => {
      await runChecks();
      const after = await links();
      expect(after.map((l) => [l.link, l.tone, l.state])).toEqual([
        ['appliance', 'pass', 'OK'],
        ['threat-response', 'pass', 'OK'],
        ['sse', 'pass', 'OK'],
        ['xdr', 'pass', 'OK'],
      ]);
      const ok = await themeColour('--ok');
      expect(after.map((l) => l.stroke)).toEqual([ok, ok, ok, ok]);
      // Not colour alone: each passed link also has the tick in its badge.
      expect(await page.locator(`${map} g[data-tone=pass] .map-badge-icon`).count()).toBe(4);
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-healthy-en.png');
    });

    it('colours the appliance link red when the API port is closed, and the unchecked cloud side says so', async () => {
      await page.selectOption('#check-profile', ids.closed);
      await page.waitForSelector(`${map} g[data-link=appliance][data-tone=not-checked]`);
      await runChecks();
      const l = await byLink();
      expect([l.appliance!.tone, l.appliance!.state, l.appliance!.stroke]).toEqual(['fail', 'Failed', await themeColour('--danger')]);
      expect(l['threat-response']!.tone).toBe('pass');
      // Without an XDR API client nothing looks at SSE or XDR until the questions are answered.
      expect([l.sse!.tone, l.sse!.state]).toEqual(['not-checked', 'Not checked']);
      expect([l.xdr!.tone, l.xdr!.state]).toEqual(['not-checked', 'Not checked']);
      expect(l.sse!.stroke).toBe(await themeColour('--muted'));
      expect(l.appliance!.label).toMatch(/^Failed – DNS, .*\. This computer to Appliance, 1 finding\.$/);
    });

    it('says "Answered by you" where only your answers speak for a link, without a status colour', async () => {
      await page.click('.manual-card[data-check="device-listed"] button[data-value="yes"]');
      await page.click('.manual-card[data-check="sse-services"] button[data-value="yes"]');
      await page.waitForSelector(`${map} g[data-link=sse][data-tone=answered]`);
      await page.click('.manual-card[data-check="rest-api-source"] button[data-value="no"]');
      await page.waitForSelector(`${map} g[data-link=xdr][data-tone=answered]`);
      const l = await byLink();
      const muted = await themeColour('--muted');
      expect([l.sse!.state, l.sse!.stroke]).toEqual(['Answered by you: yes', muted]);
      expect([l.xdr!.state, l.xdr!.stroke]).toEqual(['Answered by you: no', muted]);
      // A person, not a tick or a cross: the badge does not look like a result of the app's own checks.
      expect(await page.locator(`${map} g[data-link=xdr] .map-badge-icon.filled`).count()).toBe(0);
      expect(await layoutProblems()).toEqual([]);
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-faulty-en.png');
    });

    it('a click on a link shows only its checks and findings; Show all brings everything back', async () => {
      const all = await listed();
      await page.click(`${map} g[data-link=appliance] .map-state`);
      await page.waitForSelector('[data-testid=map-filter]');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('map-filter');
      expect(await page.textContent('[data-testid=map-filter] p')).toBe('Showing only This computer → Appliance: 9 checks, 1 finding.');
      expect(await listed()).toEqual(APPLIANCE_CHECKS);
      expect(await findingCodes()).toEqual(['API_PORT_CLOSED']);
      expect((await byLink()).appliance!.pressed).toBe('true');
      await shot('map-filtered-en.png');
      // The XDR link: your "no" about the REST API source and its finding, nothing of the appliance.
      await page.click(`${map} g[data-link=xdr] .map-hit`);
      await expect.poll(listed).toEqual(['dashboard-range', 'rest-api-source']);
      expect(await findingCodes()).toEqual(['REST_API_SOURCE_NOT_GREEN']);
      // A second click on the chosen link, or Show all, shows everything again; focus goes back to the link.
      await page.click('[data-testid=map-filter] button');
      await page.waitForSelector('[data-testid=map-filter]', { state: 'detached' });
      expect(await listed()).toEqual(all);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-link'))).toBe('xdr');
      expect(await findingCodes()).toEqual(expect.arrayContaining(['API_PORT_CLOSED', 'REST_API_SOURCE_NOT_GREEN']));
    });

    it('is reached with the keyboard: Tab to a link, Enter filters, with a visible focus ring', async () => {
      await page.focus(`${map} g[data-link=appliance]`);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-link'))).toBe('threat-response');
      const ring = await page.$eval(`${map} g[data-link=threat-response] .map-caption`, (r) => [getComputedStyle(r).stroke, getComputedStyle(r).strokeWidth]);
      expect(ring).toEqual([await themeColour('--focus'), '3px']);
      await page.keyboard.press('Enter');
      await expect.poll(listed).toEqual(['cloud-dns', 'cloud-tls', 'cloud-https', 'region-server', 'changes-committed']);
      expect(await findingCodes()).toEqual([]);
      expect(await page.textContent('[data-testid=no-problems]')).toContain('No findings on this link');
      // Focus is on the notice of what is shown: Tab reaches Show all, which returns to the link.
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('map-filter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=map-filter]', { state: 'detached' });
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-link'))).toBe('threat-response');
      await page.keyboard.press('Space');
      await page.waitForSelector('[data-testid=map-filter]');
      await page.click('[data-testid=map-filter] button');
      await page.waitForSelector('[data-testid=map-filter]', { state: 'detached' });
    });

    it('stays readable at 1024×700, in German, and in the dark theme', async () => {
      await page.setViewportSize({ width: 1024, height: 700 });
      await expect.poll(layoutProblems).toEqual([]);
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-faulty-1024-en.png');
      expect((await lab.call('settings.set', { language: 'de' })).ok).toBe(true);
      await page.waitForSelector(`${map} h2:text-is("Integrationspfad")`);
      const l = await byLink();
      expect([l.appliance!.state, l['threat-response']!.state, l.sse!.state, l.xdr!.state]).toEqual(['Fehlgeschlagen', 'In Ordnung', 'Von Ihnen beantwortet: ja', 'Von Ihnen beantwortet: nein']);
      expect(l.appliance!.label).toBe('Fehlgeschlagen – DNS, TCP, TLS, AsyncOS API, Anmeldung, Uhrzeit. Verbindung „Dieser Computer“ – „Appliance“, 1 Befund.');
      await expect.poll(layoutProblems).toEqual([]);
      await page.click(`${map} g[data-link=appliance]`);
      expect(await page.textContent('[data-testid=map-filter] p')).toBe('Angezeigt wird nur Dieser Computer → Appliance: 9 Prüfungen, 1 Befund.');
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-faulty-1024-de.png');
      await page.click('[data-testid=map-filter] button');
      expect((await lab.call('settings.set', { theme: 'dark' })).ok).toBe(true);
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      const dark = await byLink();
      expect(dark.appliance!.stroke).toBe(await themeColour('--danger'));
      expect(dark.appliance!.stroke).toBe('rgb(255, 138, 128)');
      expect(dark['threat-response']!.stroke).toBe('rgb(111, 208, 140)');
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-faulty-de-dark.png');
      expect((await lab.call('settings.set', { theme: 'light', language: 'en' })).ok).toBe(true);
    });
  });

  describe('the Cisco cloud TLS intercepted', () => {
    const lab = new Lab();
    let id = '';

    beforeAll(async () => {
      const sim = await lab.start('intercepted', { mode: 'cloud-foreign-ca' });
      id = await lab.profile('proxied-esa', sim);
      await page.goto(lab.host.launchUrl);
      await page.waitForSelector('h1:text-is("Overview")');
    });

    afterAll(() => leave(lab));

    it('colours the link to the Threat Response server red and lands on the interception finding', async () => {
      await openChecks(lab, id);
      await runChecks();
      const l = await byLink();
      expect([l.appliance!.tone, l['threat-response']!.tone, l['threat-response']!.state]).toEqual(['pass', 'fail', 'Failed']);
      await page.click(`${map} g[data-link=threat-response]`);
      await expect.poll(findingCodes).toEqual(['CLOUD_TLS_INTERCEPTED']);
      expect(await page.getAttribute('.check-row[data-check="cloud-tls"]', 'data-state')).toBe('fail');
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-intercepted-en.png');
    });
  });

  describe('the appliance offline in SSE', () => {
    const lab = new Lab();
    let id = '';

    beforeAll(async () => {
      const sim = await lab.start('offline', { mode: 'healthy', xdrMode: 'xdr-device-offline' });
      id = await lab.profile('offline-esa', sim, true);
      await page.goto(lab.host.launchUrl);
      await page.waitForSelector('h1:text-is("Overview")');
    });

    afterAll(() => leave(lab));

    it('colours the link to SSE red, and its findings name the offline device', async () => {
      await openChecks(lab, id);
      await runChecks();
      const l = await byLink();
      expect([l.appliance!.tone, l['threat-response']!.tone, l.sse!.tone, l.sse!.state]).toEqual(['pass', 'pass', 'fail', 'Failed']);
      await page.click(`${map} g[data-link=sse]`);
      await expect.poll(findingCodes).toContain('DEVICE_OFFLINE_IN_SSE');
      expect(await listed()).toContain('xdr-sse-device');
      expect(await listed()).not.toContain('api-tls');
      await page.locator(map).scrollIntoViewIfNeeded();
      await shot('map-device-offline-en.png');
    });
  });

  it('logged no console problems', () => {
    expect(problems).toEqual([]);
  });
});
