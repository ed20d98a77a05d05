import fs from 'node:fs';
import path from 'node:path';
import { plantedArchiveHar } from '../support/archive.js';
import { tempDir } from '../support/temp.js';
import { simProfile, useAppSession } from '../support/e2e-session.js';

const VAULT = 'e2e upload vault passphrase';
const PASSWORD = 'tac-upload-e2e-Lynx-Cobalt-7731';

/**
 * The last step in Chromium through the web host: an archive built in this session is uploaded from
 * its result step to the simulator's CXD stand-in (which reads slowly, so progress shows), first with
 * a token CXD refuses, then with the right one; in English and in German.
 */
describe('upload to the TAC case in Chromium', () => {
  const archives: { id: string; name: string; sha256: string; caseNumber: string }[] = [];
  const app = useAppSession({
    dataDir: 'xet-e2e-upload-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: { mode: 'api-off', cxdMode: 'cxd-slow', cxd: { slowBytesPerSecond: 1024 * 1024 } },
    settings: { theme: 'light', language: 'en' },
    async prepare({ call, sim, host }) {
      const created = await call<{ id: string }>('profiles.create', simProfile(sim, 'esa-frankfurt'));
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
    },
    viewport: { width: 1024, height: 768 },
    defaultTimeout: 20_000,
    waitFor: 'h1:text-is("Overview")',
    timeout: 120_000,
  });
  const { call, problems } = app;
  const shot = (name: string) => app.tallShot(name, { settleMs: 200 });

  async function uploadFromResult(archive: (typeof archives)[number], lang: 'en' | 'de'): Promise<void> {
    const text = lang === 'en'
      ? { open: `Open ${archive.name}`, start: 'Upload to TAC case', refused: /refused the case number 698765\d{3} or its upload token \(HTTP 401\)/, of: /[1-9][\d.]* (KiB|MiB) of .*\/s · \d+ s left · attempt 1 of 4/, done: /Uploaded to case 698765\d{3} at .*: 1 file, HTTP 201\./, reminder: 'Send the password to TAC separately' }
      : { open: `${archive.name} öffnen`, start: 'In den TAC-Fall hochladen', refused: /hat die Fallnummer 698765\d{3} oder ihr Upload-Token abgelehnt \(HTTP 401\)/, of: /[1-9][\d.,]* (KiB|MiB) von .*\/s · noch \d+ s · Versuch 1 von 4/, done: /in Fall 698765\d{3} hochgeladen: 1 Datei, HTTP 201\./, reminder: 'Senden Sie das Passwort' };
    await app.page.click('.nav-link[data-page="profiles"]');
    await app.page.click('.nav-link[data-page="archive"]');
    await app.page.waitForSelector('.archive-session-item');
    await app.page.click(`.archive-session-item[data-archive="${archive.id}"] button`);
    await app.page.waitForSelector('[data-testid="cxd-upload"]');
    expect(await app.page.inputValue('#cxd-case')).toBe(archive.caseNumber);

    // A token CXD refuses: answered at once, nothing of the file sent.
    await app.page.fill('#cxd-token', 'Wrong-Tok3n-e2e');
    await app.page.click(`[data-testid="cxd-upload"] button[type="submit"]:text-is("${text.start}")`);
    await expect.poll(() => app.page.textContent('[data-testid="cxd-outcome"]')).toMatch(text.refused);
    expect(await app.page.inputValue('#cxd-token')).toBe('');
    await shot(`archive-upload-refused-${lang}.png`);

    await app.page.fill('#cxd-token', app.sim.cxd!.token);
    await app.page.click(`[data-testid="cxd-upload"] button[type="submit"]`);
    await app.page.waitForSelector('[data-testid="cxd-progress"] [role="progressbar"]');
    // Bytes count once the socket takes them: the first few MB fill its buffers at once, then the stand-in's pace.
    await expect.poll(() => app.page.textContent('[data-testid="cxd-progress"] .progress-text'), { timeout: 15_000, interval: 50 }).toMatch(text.of);
    await shot(`archive-upload-progress-${lang}.png`);
    await expect.poll(() => app.page.textContent('[data-testid="cxd-outcome"]'), { timeout: 60_000 }).toMatch(text.done);
    expect(await app.page.textContent('[data-testid="cxd-outcome"]')).toContain(text.reminder);
    expect(await app.page.inputValue('#cxd-token')).toBe('');
    await shot(`archive-upload-done-${lang}.png`);
    expect(app.sim.cxd!.stored.get(`${archive.caseNumber}/${archive.name}`)?.sha256).toBe(archive.sha256);
  }

  it('uploads from the result step with progress, after a refused token (English)', async () => {
    await uploadFromResult(archives[0]!, 'en');
    // The list of this session's archives says where each went (the wizard starts afresh when the page is opened again).
    await app.page.click('.nav-link[data-page="profiles"]');
    await app.page.click('.nav-link[data-page="archive"]');
    await expect.poll(() => app.page.textContent(`.archive-session-item[data-archive="${archives[0]!.id}"] [data-testid="archive-uploaded"]`)).toMatch(/^Uploaded to case 698765432 · .* · HTTP 201$/);
    expect(await app.page.locator(`.archive-session-item[data-archive="${archives[1]!.id}"] [data-testid="archive-uploaded"]`).count()).toBe(0);
    await shot('archive-upload-list-en.png');
    const refused = app.sim.cxd!.requests.filter((r) => r.status === 401);
    expect(refused).toMatchObject([{ expectContinue: true, bodyBytes: 0 }]);
  }, 120_000);

  it('does the same in German; the token is in no page, answer or storage afterwards', async () => {
    await call('settings.set', { language: 'de' });
    await app.page.reload();
    await app.page.waitForSelector('.nav-link[data-page="archive"]');
    await expect.poll(() => app.page.getAttribute('html', 'lang')).toBe('de');
    await uploadFromResult(archives[1]!, 'de');
    await app.page.click('.nav-link[data-page="profiles"]');
    await app.page.click('.nav-link[data-page="archive"]');
    await expect.poll(() => app.page.textContent(`.archive-session-item[data-archive="${archives[1]!.id}"] [data-testid="archive-uploaded"]`)).toMatch(/^In Fall 698765433 hochgeladen · .* · HTTP 201$/);
    await shot('archive-upload-list-de.png');
    const state = await app.page.evaluate(() => [document.documentElement.outerHTML, ...[...document.querySelectorAll('input')].map((i) => i.value), JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('\n'));
    const answers = JSON.stringify([await call('archive.uploads', {}), await call('archive.list', {}), await call('cases.tokenStatus', { caseNumber: '698765433' })]);
    for (const where of [state, answers]) {
      expect(where).not.toContain(app.sim.cxd!.token);
      expect(where).not.toContain('Wrong-Tok3n-e2e');
      expect(where).not.toContain(PASSWORD);
    }
    expect(JSON.parse(answers)[0]).toMatchObject({ ok: true, value: { uploads: [{ outcome: 'uploaded', caseNumber: '698765433' }, { outcome: 'refused', httpStatus: 401 }, { outcome: 'uploaded' }, { outcome: 'refused' }] } });
    expect(problems).toEqual([]);
  }, 120_000);
});
