import fs from 'node:fs';
import path from 'node:path';
import { entry, har, secretForms } from '../support/har.js';
import { tempDir } from '../support/temp.js';
import { useAppSession } from '../support/e2e-session.js';

const BEARER = 'bearer-e2e-1b2c3d4e5f6a7b8c9d0e';
const COOKIE = 'sessid-e2e-0f1e2d3c4b5a69788796';
const ACCESS = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJlMmUifQ.ZTJlLXNpZ25hdHVyZQ';

/** A 1.4 s capture of the XDR console: pages and assets, the IROH token call, and a 409 at the very end. */
function capture(dir: string): string {
  const at = (ms: number) => new Date(Date.parse('2026-12-01T09:00:00.000Z') + ms).toISOString();
  const assets = Array.from({ length: 30 }, (_, i) => entry({ startedDateTime: at(20 + i * 30), time: 40 + (i % 5) * 20, request: { url: `https://xdr.eu.security.cisco.com/assets/chunk-${i}.js` }, response: { content: { size: 10, mimeType: 'application/javascript', text: 'var a=1;' } } }));
  const doc = har([
    entry({ startedDateTime: at(0), time: 120, request: { url: 'https://xdr.eu.security.cisco.com/dashboard', cookies: [{ name: 'sid', value: COOKIE }] } }),
    ...assets,
    entry({
      startedDateTime: at(300),
      time: 250,
      request: { method: 'POST', url: 'https://visibility.eu.amp.cisco.com/iroh/oauth2/token', headers: [{ name: 'Authorization', value: `Bearer ${BEARER}` }, { name: 'Accept', value: 'application/json' }] },
      response: { content: { size: 120, mimeType: 'application/json', text: JSON.stringify({ access_token: ACCESS, token_type: 'bearer', expires_in: 600 }) } },
      timings: { blocked: 2, dns: 5, connect: 10, ssl: 20, send: 1, wait: 200, receive: 12 },
    }),
    entry({
      startedDateTime: at(1000),
      time: 400,
      request: { method: 'POST', url: 'https://visibility.eu.amp.cisco.com/iroh/iroh-enrich/health/abc' },
      response: { status: 409, statusText: 'Conflict', content: { size: 110, mimeType: 'application/json', text: '{"errors":[{"code":"E4017","message":"There was a client error in the Secure Email module: E4017: Device is offline [409]"}]}' } },
    }),
  ]);
  const file = path.join(dir, 'xdr-console.har');
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

/**
 * The HAR inspector in Chromium through the web host: the whole 1.4 s capture on the scale, the
 * failing last request drawn, filters, a row opening the cleaned request with its placeholders and
 * rules, the before/after of hints, keyboard use; English and German, light and dark.
 */
describe('HAR inspector in Chromium', () => {
  const dir = tempDir('xet-e2e-har-inspector-');
  const app = useAppSession({
    dataDir: () => dir,
    env: { XET_VAULT_PASSPHRASE: 'e2e har inspector vault' },
    settings: { theme: 'light', language: 'en' },
    viewport: { width: 1280, height: 800 },
    defaultTimeout: 15_000,
    watch: 'bodies',
    waitFor: 'main h1',
    timeout: 60_000,
  });
  const { call, shot, problems, bodies } = app;
  const rows = () => app.page.locator('.har-inspector button.hi-row');

  it('draws every request on the whole capture’s scale, the last one included, and filters them', async () => {
    await app.page.goto(new URL('/#/har', app.host.url).href);
    await app.page.setInputFiles('[data-testid="har-file-input"]', capture(dir));
    await app.page.waitForSelector('.har-inspector button.hi-row');
    expect(await rows().count()).toBe(33);
    expect(await app.page.textContent('.hi-filters')).toMatch(/33 of 33 requests · 1.4 s/);
    // The last request (1000 → 1400 ms of 1400) ends at the right edge: nothing is cut off.
    const last = await app.page.locator('tr[data-index="32"] .hi-bar').evaluate((bar) => {
      const track = bar.parentElement!.getBoundingClientRect();
      const b = bar.getBoundingClientRect();
      return { left: (b.left - track.left) / track.width, right: (b.right - track.left) / track.width };
    });
    expect(last.left).toBeCloseTo(1000 / 1400, 2);
    expect(last.right).toBeCloseTo(1, 2);
    // The box fills the card's width.
    const widths = await app.page.evaluate(() => [document.querySelector('.hi-box')!.clientWidth, document.querySelector('.har-inspector')!.clientWidth]);
    expect(widths[0]).toBeGreaterThan(widths[1]! * 0.9);
    await app.page.check('label.check:has-text("Failed only") input');
    expect(await rows().count()).toBe(1);
    await app.page.uncheck('label.check:has-text("Failed only") input');
    await app.page.check('label.check:has-text("XDR API only") input');
    expect(await rows().count()).toBe(2);
    await app.page.uncheck('label.check:has-text("XDR API only") input');
    await app.page.selectOption('#hi-status', '4xx');
    expect(await rows().count()).toBe(1);
    await app.page.selectOption('#hi-status', '');
    await rows().nth(31).hover();
    expect(await app.page.textContent('[data-testid="hi-hint"]')).toMatch(/#31 200 POST .*oauth2\/token · Starts at 300 ms · 250 ms in all · DNS 5 ms · connect 10 ms · TLS 20 ms · send 1 ms · wait 200 ms · receive 12 ms/);
    await app.page.locator('.hi-box').evaluate((box) => (box.scrollLeft = 400));
    await shot('har-inspector-en-light-1280.png');
  });

  it('opens the cleaned request: placeholders with their rules, token_type kept; before/after shows hints only', async () => {
    await rows().nth(31).focus();
    await app.page.keyboard.press('Enter');
    await app.page.waitForSelector('[data-testid="har-entry-detail"][data-index="31"]');
    const detail = app.page.locator('[data-testid="har-entry-detail"]');
    expect(await detail.textContent()).toMatch(/Authorization.*Bearer \[REDACTED:authorization:[0-9a-f]{6}\]Authorization headers/);
    expect(await detail.locator('.hi-replacements').textContent()).toMatch(/Request header\s*Authorization\s*\[REDACTED:authorization:[0-9a-f]{6}\]\s*Authorization headers/);
    expect(await detail.locator('.hi-body').last().textContent()).toMatch(/"token_type":"bearer"/);
    await app.page.click('button:text-is("Show before/after")');
    await app.page.waitForSelector('[data-testid="before"]');
    // The column shows at once; the hints arrive with the answer.
    await expect.poll(() => detail.locator('[data-testid="before"]').first().textContent()).toBe(`Be… (${`Bearer ${BEARER}`.length})`);
    await app.page.setViewportSize({ width: 1280, height: 1400 });
    await app.page.locator('[data-testid="har-entry-detail"] h3').scrollIntoViewIfNeeded();
    await shot('har-inspector-detail-en-light-1280.png');
    await app.page.setViewportSize({ width: 1024, height: 700 });
    await shot('har-inspector-detail-en-light-1024.png');
    // Keyboard: Close returns focus to the row; arrows move between rows.
    await app.page.click('button:text-is("Close")');
    expect(await app.page.evaluate(() => (document.activeElement as HTMLElement).dataset.index)).toBe('31');
    await app.page.keyboard.press('ArrowDown');
    expect(await app.page.evaluate(() => (document.activeElement as HTMLElement).dataset.index)).toBe('32');
    await app.page.keyboard.press('Enter');
    await app.page.waitForSelector('[data-testid="har-entry-detail"][data-index="32"]');
    expect(await app.page.textContent('[data-testid="har-entry-detail"]')).toMatch(/409 Conflict/);
  });

  it('speaks German and is readable in dark', async () => {
    await call('settings.set', { language: 'de', theme: 'dark' });
    await app.page.waitForSelector('h2:text-is("Anfragen, wie das TAC sie sieht")');
    expect(await app.page.textContent('.hi-filters')).toMatch(/33 von 33 Anfragen · 1,4 s/);
    expect(await app.page.textContent('.hi-legend')).toMatch(/Beantwortet.*Weiterleitung.*Fehlgeschlagen/);
    await rows().nth(31).click();
    await app.page.waitForSelector('[data-testid="har-entry-detail"][data-index="31"]');
    expect(await app.page.textContent('[data-testid="har-entry-detail"]')).toMatch(/Anfrage-Header.*Authorization-Header/);
    for (const [w, h] of [[1280, 800], [1024, 700]] as const) {
      await app.page.setViewportSize({ width: w, height: h });
      await app.page.locator('.har-inspector h2').scrollIntoViewIfNeeded();
      await shot(`har-inspector-de-dark-${w}.png`);
    }
    await app.page.locator('[data-testid="har-entry-detail"] h3').scrollIntoViewIfNeeded();
    await shot('har-inspector-detail-de-dark-1024.png');
    await call('settings.set', { language: 'de', theme: 'light' });
    await app.page.waitForFunction(() => document.documentElement.dataset.theme !== 'dark');
    await shot('har-inspector-detail-de-light-1024.png');
    await call('settings.set', { language: 'en', theme: 'dark' });
    await app.page.waitForSelector('h2:text-is("Requests as TAC will see them")');
    await app.page.setViewportSize({ width: 1280, height: 800 });
    await app.page.locator('.har-inspector h2').scrollIntoViewIfNeeded();
    await shot('har-inspector-en-dark-1280.png');
  });

  it('never sends a planted secret to the page, and logs no errors', () => {
    const answers = bodies.join('\n');
    for (const s of [BEARER, COOKIE, ACCESS]) for (const form of secretForms(s)) expect(answers.includes(form), `${form} in an answer`).toBe(false);
    expect(problems).toEqual([]);
  });
});
