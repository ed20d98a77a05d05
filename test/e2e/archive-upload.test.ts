import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../fixtures/simulator/simulator.js';
import { plantedArchiveHar } from '../support/archive.js';
import { launchChromium } from '../support/chromium.js';
import { watchPage } from '../support/page-watch.js';
import { tempDir } from '../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../support/web-host-process.js';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const VAULT = 'e2e upload vault passphrase';
const PASSWORD = 'tac-upload-e2e-Lynx-Cobalt-7731';

/**
 * The last step in Chromium through the web host: an archive built in this session is uploaded from
 * its result step to the simulator's CXD stand-in (which reads slowly, so progress shows), first with
 * a token CXD refuses, then with the right one; in English and in German.
 */
describe('upload to the TAC case in Chromium', () => {
  let sim: Simulator;
  let host: RunningHost;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  let page: Page;
  const archives: { id: string; name: string; sha256: string; caseNumber: string }[] = [];
  const problems: string[] = [];

  async function call<T = unknown>(command: string, body: unknown): Promise<{ ok: boolean; value?: T; error?: { message: string } }> {
    const res = await fetch(new URL(`/api/${command}`, host.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` }, body: JSON.stringify(body) });
    return (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  }

  async function shot(name: string): Promise<void> {
    const height = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      return main.scrollHeight + main.getBoundingClientRect().top;
    });
    await page.setViewportSize({ width: 1024, height: Math.max(700, Math.ceil(height)) });
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(SHOTS, name) });
    await page.setViewportSize({ width: 1024, height: 768 });
  }

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    sim = await startSimulator({ mode: 'api-off', cxdMode: 'cxd-slow', cxd: { slowBytesPerSecond: 1024 * 1024 } });
    host = await startWebHostProcess(tempDir('xet-e2e-upload-'), { LANG: 'en_US.UTF-8', XET_VAULT_PASSPHRASE: VAULT }, ['--endpoints', sim.endpointsFile]);
    await call('settings.set', { theme: 'light', language: 'en' });
    const created = await call<{ id: string }>('profiles.create', {
      profile: { name: 'esa-frankfurt', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: sim.username, cluster: '', notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 } },
      password: sim.password,
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    // A HAR with incompressible data makes each archive a few MB: longer than the socket buffers take, and some seconds at 1 MB/s.
    const harFile = plantedArchiveHar(path.join(tempDir(), 'capture.har'), { host: '127.0.0.1', storedPassword: sim.password, padBytes: 8_000_000 });
    const uploaded = await fetch(new URL('/files/har?name=capture.har', host.url), { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' }, body: fs.readFileSync(harFile) });
    const harId = ((await uploaded.json()) as { value: { id: string } }).value.id;
    for (const caseNumber of ['698765432', '698765433']) {
      const a = await call<{ id: string; name: string; sha256: string }>('archive.create', { profileId: created.value!.id, harIds: [harId], caseNumber, encryption: { mode: 'password', password: PASSWORD } });
      expect(a.ok, JSON.stringify(a)).toBe(true);
      archives.push({ ...a.value!, caseNumber });
    }
    ({ browser, close: closeBrowser } = await launchChromium());
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    watchPage(page, problems);
    await page.goto(host.launchUrl);
    await page.waitForSelector('h1:text-is("Overview")');
  }, 120_000);

  afterAll(async () => {
    await closeBrowser?.();
    await host?.stop();
    await sim?.close();
  });

  async function uploadFromResult(archive: (typeof archives)[number], lang: 'en' | 'de'): Promise<void> {
    const text = lang === 'en'
      ? { open: `Open ${archive.name}`, start: 'Upload to TAC case', refused: /refused the case number 698765\d{3} or its upload token \(HTTP 401\)/, of: /[1-9][\d.]* (KiB|MiB) of .*\/s · \d+ s left · attempt 1 of 4/, done: /Uploaded to case 698765\d{3} at .*: 1 file, HTTP 201\./, reminder: 'Send the password to TAC separately' }
      : { open: `${archive.name} öffnen`, start: 'In den TAC-Fall hochladen', refused: /hat die Fallnummer 698765\d{3} oder ihr Upload-Token abgelehnt \(HTTP 401\)/, of: /[1-9][\d.,]* (KiB|MiB) von .*\/s · noch \d+ s · Versuch 1 von 4/, done: /in Fall 698765\d{3} hochgeladen: 1 Datei, HTTP 201\./, reminder: 'Senden Sie das Passwort' };
    await page.click('.nav-link[data-page="profiles"]');
    await page.click('.nav-link[data-page="archive"]');
    await page.waitForSelector('.archive-session-item');
    await page.click(`.archive-session-item[data-archive="${archive.id}"] button`);
    await page.waitForSelector('[data-testid="cxd-upload"]');
    expect(await page.inputValue('#cxd-case')).toBe(archive.caseNumber);

    // A token CXD refuses: answered at once, nothing of the file sent.
    await page.fill('#cxd-token', 'Wrong-Tok3n-e2e');
    await page.click(`[data-testid="cxd-upload"] button[type="submit"]:text-is("${text.start}")`);
    await expect.poll(() => page.textContent('[data-testid="cxd-outcome"]')).toMatch(text.refused);
    expect(await page.inputValue('#cxd-token')).toBe('');
    await shot(`archive-upload-refused-${lang}.png`);

    await page.fill('#cxd-token', sim.cxd!.token);
    await page.click(`[data-testid="cxd-upload"] button[type="submit"]`);
    await page.waitForSelector('[data-testid="cxd-progress"] [role="progressbar"]');
    // Bytes count once the socket takes them: the first few MB fill its buffers at once, then the stand-in's pace.
    await expect.poll(() => page.textContent('[data-testid="cxd-progress"] .progress-text'), { timeout: 15_000, interval: 50 }).toMatch(text.of);
    await shot(`archive-upload-progress-${lang}.png`);
    await expect.poll(() => page.textContent('[data-testid="cxd-outcome"]'), { timeout: 60_000 }).toMatch(text.done);
    expect(await page.textContent('[data-testid="cxd-outcome"]')).toContain(text.reminder);
    expect(await page.inputValue('#cxd-token')).toBe('');
    await shot(`archive-upload-done-${lang}.png`);
    expect(sim.cxd!.stored.get(`${archive.caseNumber}/${archive.name}`)?.sha256).toBe(archive.sha256);
  }

  it('uploads from the result step with progress, after a refused token (English)', async () => {
    await uploadFromResult(archives[0]!, 'en');
    // The list of this session's archives says where each went (the wizard starts afresh when the page is opened again).
    await page.click('.nav-link[data-page="profiles"]');
    await page.click('.nav-link[data-page="archive"]');
    await expect.poll(() => page.textContent(`.archive-session-item[data-archive="${archives[0]!.id}"] [data-testid="archive-uploaded"]`)).toMatch(/^Uploaded to case 698765432 · .* · HTTP 201$/);
    expect(await page.locator(`.archive-session-item[data-archive="${archives[1]!.id}"] [data-testid="archive-uploaded"]`).count()).toBe(0);
    await shot('archive-upload-list-en.png');
    const refused = sim.cxd!.requests.filter((r) => r.status === 401);
    expect(refused).toMatchObject([{ expectContinue: true, bodyBytes: 0 }]);
  }, 120_000);

  it('does the same in German; the token is in no page, answer or storage afterwards', async () => {
    await call('settings.set', { language: 'de' });
    await page.reload();
    await page.waitForSelector('.nav-link[data-page="archive"]');
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('de');
    await uploadFromResult(archives[1]!, 'de');
    await page.click('.nav-link[data-page="profiles"]');
    await page.click('.nav-link[data-page="archive"]');
    await expect.poll(() => page.textContent(`.archive-session-item[data-archive="${archives[1]!.id}"] [data-testid="archive-uploaded"]`)).toMatch(/^In Fall 698765433 hochgeladen · .* · HTTP 201$/);
    await shot('archive-upload-list-de.png');
    const state = await page.evaluate(() => [document.documentElement.outerHTML, ...[...document.querySelectorAll('input')].map((i) => i.value), JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('\n'));
    const answers = JSON.stringify([await call('archive.uploads', {}), await call('archive.list', {}), await call('cases.tokenStatus', { caseNumber: '698765433' })]);
    for (const where of [state, answers]) {
      expect(where).not.toContain(sim.cxd!.token);
      expect(where).not.toContain('Wrong-Tok3n-e2e');
      expect(where).not.toContain(PASSWORD);
    }
    expect(JSON.parse(answers)[0]).toMatchObject({ ok: true, value: { uploads: [{ outcome: 'uploaded', caseNumber: '698765433' }, { outcome: 'refused', httpStatus: 401 }, { outcome: 'uploaded' }, { outcome: 'refused' }] } });
    expect(problems).toEqual([]);
  }, 120_000);
});
