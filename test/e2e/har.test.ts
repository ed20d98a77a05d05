import fs from 'node:fs';
import path from 'node:path';
import { entry, har, leaks, secretForms } from '../support/har.js';
import { tempDir } from '../support/temp.js';
import { useAppSession } from '../support/e2e-session.js';

const VAULT = 'e2e har vault passphrase';
const PASSWORD = 'Appliance-Pa55word!e2e';
const BEARER = 'bearer-e2e-9f8e7d6c5b4a39281706';
const COOKIE = 'sessid-e2e-0a1b2c3d4e5f60718293';
const KEYWORD = 'esa-internal.corp.example';

/** A capture of realistic size with planted secrets and one XDR module error. */
function plantedHar(dir: string): string {
  const file = path.join(dir, 'xdr-capture.har');
  const entries: unknown[] = [];
  for (let i = 0; i < 400; i++) {
    entries.push(
      entry({
        startedDateTime: new Date(Date.UTC(2024, 4, 1, 10, 0, 0, i * 25)).toISOString(),
        time: 20 + (i % 37),
        request: {
          method: i % 5 === 0 ? 'POST' : 'GET',
          url: `https://${i % 3 === 0 ? KEYWORD : 'xdr.eu.security.cisco.com'}/iroh/api/item/${i}?access_token=${BEARER}`,
          headers: [{ name: 'Authorization', value: `Bearer ${BEARER}` }],
          cookies: [{ name: 'sid', value: COOKIE }],
          ...(i % 5 === 0 ? { postData: { mimeType: 'application/json', text: JSON.stringify({ note: `login ${PASSWORD}`, pad: 'x'.repeat(4000) }) } } : {}),
        },
        response:
          i === 7
            ? { status: 409, statusText: 'Conflict', content: { size: 110, mimeType: 'application/json', text: '{"errors":[{"code":"E4017","message":"There was a client error in the Secure Email module: E4017: Device is offline [409]"}]}' } }
            : { content: { size: 3000, mimeType: 'application/json', text: JSON.stringify({ ok: true, data: 'y'.repeat(3000) }) } },
      }),
    );
  }
  fs.writeFileSync(file, JSON.stringify(har(entries)));
  return file;
}

describe('HAR page in Chromium (web host)', () => {
  let dir: string;
  let dataDir: string;
  const secrets = [PASSWORD, BEARER, COOKIE, KEYWORD];
  const app = useAppSession({
    dataDir: () => {
      dir = tempDir('xet-e2e-har-files-');
      return (dataDir = tempDir('xet-e2e-har-'));
    },
    env: { XET_VAULT_PASSPHRASE: VAULT },
    async prepare({ call }) {
      const created = await call('profiles.create', { profile: { name: 'lab-esa', kind: 'esa', host: 'esa1.example.com', region: 'eu', username: 'admin' }, password: PASSWORD });
      expect(created.ok).toBe(true);
    },
    viewport: { width: 1200, height: 900 },
    contextOptions: { acceptDownloads: true },
    defaultTimeout: 15_000,
    onPage(page, _context, { bodies }) {
      page.on('response', async (r) => {
        if ((r.url().includes('/api/') || r.url().endsWith('/files/har') || r.url().includes('/files/har?')) && !r.url().endsWith('/api/events')) bodies.push(await r.text().catch(() => ''));
      });
    },
    waitFor: 'h1:text-is("Overview")',
  });
  const { call, problems, bodies } = app;
  const shot = (name: string) => app.shot(name, { fullPage: true });

  it('uploads a capture, shows the report, findings and waterfall, and downloads a copy without any planted secret', async () => {
    const file = plantedHar(dir);
    await app.page.goto(new URL('/#/har', app.host.url).href);
    await app.page.waitForSelector('h1:text-is("HAR files")');
    await app.page.waitForSelector('text=No HAR file imported');
    await shot('har-empty-en.png');
    await app.page.setInputFiles('[data-testid="har-file-input"]', file);
    await app.page.waitForSelector('.har-report');
    expect(await app.page.textContent('.har-review-title')).toBe('Review before saving: xdr-capture.har');
    expect(await app.page.locator('.har-rule[data-rule="authorization"]').count()).toBe(1);
    expect(await app.page.textContent('.har-rule[data-rule="authorization"] .har-examples li')).toMatch(/→ \[REDACTED:authorization:[0-9a-f]{6}\]/i);
    expect(await app.page.textContent('.har-findings li[data-code="DEVICE_OFFLINE_IN_SSE"]')).toContain('DEVICE_OFFLINE_IN_SSE');
    // The app shows the interactive inspector in place of the static picture (report.html keeps that).
    await app.page.waitForSelector('.har-inspector button.hi-row');
    expect(await app.page.locator('.har-inspector button.hi-row').count()).toBeGreaterThan(0);

    // Add the profile's stored password and an internal host name, clean again, download.
    await app.page.check('label.check:has-text("lab-esa") input');
    await app.page.fill('#har-keywords', KEYWORD);
    await app.page.click('button:text-is("Clean again with these options")');
    await app.page.waitForSelector('.har-rule[data-rule="secret"]');
    await app.page.waitForSelector('.har-rule[data-rule="keyword"]');
    // The app scrolls inside its main column: a tall viewport shows the whole review.
    await app.page.setViewportSize({ width: 1200, height: 2000 });
    await app.page.evaluate(() => document.querySelectorAll('*').forEach((el) => (el.scrollTop = 0)));
    await shot('har-review-en.png');
    await app.page.setViewportSize({ width: 1200, height: 900 });
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('a:text-is("Download sanitised copy")')]);
    expect(download.suggestedFilename()).toBe('xdr-capture.sanitised.har');
    const saved = path.join(dir, 'downloaded.har');
    await download.saveAs(saved);
    expect(fs.statSync(saved).size).toBeGreaterThan(100_000);
    expect(leaks(saved, secrets)).toEqual([]);
    expect((JSON.parse(fs.readFileSync(saved, 'utf8')) as { log: { entries: unknown[] } }).log.entries).toHaveLength(400);

    // The keyword is the user's own word and shows in the options they chose (so a reload keeps it); nowhere else.
    expect(await app.page.textContent('.har-keyword-chips')).toContain(KEYWORD);
    const html = await app.page.evaluate(() => {
      const copy = document.documentElement.cloneNode(true) as HTMLElement;
      copy.querySelector('.har-options')?.remove();
      return copy.outerHTML;
    });
    for (const s of secrets) for (const form of secretForms(s)) expect(html.includes(form), `${form} in the page`).toBe(false);
    const answers = bodies.join('\n');
    for (const s of [PASSWORD, BEARER, COOKIE]) for (const form of secretForms(s)) expect(answers.includes(form), `${form} in an answer`).toBe(false);
  });

  it('after a reload the file keeps its cleaning options: the keyword and the stored password still go', async () => {
    await app.page.reload();
    await app.page.waitForSelector('h1:text-is("HAR files")');
    await app.page.click('.har-file button:text-is("Review")');
    await app.page.waitForSelector('.har-rule[data-rule="keyword"]');
    await app.page.waitForSelector('.har-rule[data-rule="secret"]');
    expect(await app.page.textContent('.har-keyword-chips')).toContain(KEYWORD);
    expect(await app.page.isChecked('label.check:has-text("lab-esa") input')).toBe(true);
    expect(await app.page.inputValue('#har-keywords')).toBe('');
    await app.page.evaluate(() => document.querySelectorAll('*').forEach((el) => (el.scrollTop = 0)));
    await shot('har-options-after-reload-en.png');
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('a:text-is("Download sanitised copy")')]);
    const saved = path.join(dir, 'after-reload.har');
    await download.saveAs(saved);
    expect(leaks(saved, secrets)).toEqual([]);

    // Another window adds a word: this page shows it and offers no copy until it cleans again.
    const id = await app.page.getAttribute('.har-file', 'data-har');
    expect((await call('har.review', { id, keywords: ['another-window-word'] })).ok).toBe(true);
    await app.page.waitForSelector('.har-stale');
    expect(await app.page.textContent('.har-keyword-chips')).toContain('another-window-word');
    expect(await app.page.locator('a:text-is("Download sanitised copy")').count()).toBe(0);
    await app.page.locator('.har-stale').scrollIntoViewIfNeeded();
    await shot('har-stale-copy-en.png');
    await app.page.click('button:text-is("Clean again with these options")');
    await app.page.waitForSelector('a:text-is("Download sanitised copy")');
    expect(await app.page.locator('.har-stale').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('a dropped broken file gives the located error and nothing is kept of it', async () => {
    const before = fs.readdirSync(path.join(dataDir, 'tmp', 'har')).length;
    await app.page.evaluate(() => {
      const text = JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries: [{ startedDateTime: 'x', request: { method: 'GET' } }] } });
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'broken.har', { type: 'application/json' }));
      const zone = document.querySelector('.har-drop')!;
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await app.page.waitForSelector('.har-problem');
    expect(await app.page.textContent('.har-problem')).toMatch(/^broken\.har: .*log\.entries\[0\].*entry 0.*byte \d+/);
    expect(fs.readdirSync(path.join(dataDir, 'tmp', 'har'))).toHaveLength(before);
    await app.page.evaluate(() => document.querySelectorAll('*').forEach((el) => (el.scrollTop = 0)));
    await shot('har-error-en.png');
    expect(problems).toEqual([]);
  });

  it('reads in German, finding titles included', async () => {
    expect((await call('settings.set', { language: 'de' })).ok).toBe(true);
    await app.page.reload();
    await app.page.waitForSelector('h1:text-is("HAR-Dateien")');
    await app.page.click('button:text-is("Bereinigung ansehen")');
    await app.page.waitForSelector('h2:text-is("Bereinigungsbericht")');
    expect(await app.page.textContent('.har-findings li[data-code="DEVICE_OFFLINE_IN_SSE"]')).not.toContain('no longer registered');
    await app.page.setViewportSize({ width: 1200, height: 1400 });
    await app.page.evaluate(() => document.querySelectorAll('*').forEach((el) => (el.scrollTop = 0)));
    await shot('har-review-de.png');
    expect(problems).toEqual([]);
  });
});
