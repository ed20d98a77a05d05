import fs from 'node:fs';
import path from 'node:path';
import { checkAgainstManifest, leaksBelow, PLANTED, plantedArchiveHar, sevenZip, sha256File } from '../support/archive.js';
import { secretForms } from '../support/har.js';
import { recipientCert } from '../support/recipient-certs.js';
import { tempDir } from '../support/temp.js';
import { archiveWizard, completedRun, simProfile, useAppSession } from '../support/e2e-session.js';

const VAULT = 'e2e archive vault passphrase';
const CASE = '698765432';

/**
 * Journey 4 in Chromium through the web host: a profile against the simulator with two runs, a
 * planted HAR uploaded in the wizard, a generated passphrase, the download opened by the real 7-Zip.
 */
describe('support archive wizard in Chromium', () => {
  let dir: string;
  let profileId = '';
  const app = useAppSession({
    dataDir: 'xet-e2e-archive-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: { mode: 'api-off' },
    settings: { theme: 'light', language: 'en' },
    async prepare({ call, sim }) {
      dir = tempDir('xet-e2e-archive-files-');
      const created = await call<{ id: string }>('profiles.create', simProfile(sim, 'esa-frankfurt'));
      expect(created.ok, JSON.stringify(created)).toBe(true);
      profileId = created.value!.id;
      await completedRun(call, profileId);
      await completedRun(call, profileId);
    },
    viewport: { width: 1024, height: 768 },
    contextOptions: { acceptDownloads: true },
    clipboard: true,
    defaultTimeout: 15_000,
    waitFor: 'h1:text-is("Overview")',
    timeout: 90_000,
  });
  const { call, problems } = app;
  // Bar widths and colours transition.
  const shot = (name: string) => app.tallShot(name, { scrollTop: true, settleMs: 250 });
  const { heading, next } = archiveWizard(app);

  /** What a page holds: its markup, every field's value and both storages. */
  const pageState = () =>
    app.page.evaluate(() => {
      const values = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].map((i) => i.value);
      return [document.documentElement.outerHTML, ...values, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })].join('\n');
    });

  it('walks the wizard, builds a password archive, downloads it and 7-Zip opens it with the generated passphrase', async () => {
    const har = plantedArchiveHar(path.join(dir, 'xdr-capture.har'), { host: '127.0.0.1', storedPassword: app.sim.password, padBytes: 300_000 });
    await app.page.click('.nav-link[data-page="archive"]');
    await app.page.waitForSelector('h1:text-is("Support archive")');
    await expect.poll(heading).toBe('Profile and runs');
    // The runs list loads after the heading: wait for both rows before counting the ticked one.
    await expect.poll(() => app.page.locator('.archive-runs li[data-run]').count()).toBe(2);
    await expect.poll(() => app.page.locator('.archive-runs li[data-run] input:checked').count()).toBe(1);
    await shot('archive-step1-en-light.png');

    await next('HAR files');
    expect(await app.page.evaluate(() => document.activeElement?.id)).toBe('archive-step-title');
    await app.page.setInputFiles('[data-testid="har-file-input"]', har);
    await app.page.waitForSelector('.archive-har .archive-rule-counts li[data-rule="cookie"]');
    expect(await app.page.isChecked('.archive-har input[type=checkbox]')).toBe(true);
    await shot('archive-step2-en-light.png');

    await next('Appliance logs');
    await next('Case and notes');
    await app.page.fill('#archive-case', '6987x');
    expect(await app.page.textContent('#archive-case-err')).toBe('A TAC case (service request) number has 9 digits, e.g. 698765432');
    await app.page.fill('#archive-case', CASE);
    expect(await app.page.textContent('#archive-case-err')).toBe('');
    await app.page.fill('#archive-notes', 'XDR shows E4017 (device offline) since Monday.');
    expect(await app.page.isChecked('text=Include host names')).toBe(false);
    await shot('archive-step3-en-light.png');

    await next('Encryption');
    await app.page.fill('#archive-password', 'Summer2024!');
    await app.page.waitForSelector('.strength-problems li[data-problem="too-short"]');
    expect(await app.page.getAttribute('[role=meter]', 'aria-valuetext')).toMatch(/^Weak, about \d+ bits$/);
    await shot('archive-step4-weak-en-light.png');
    await app.page.click('button:text-is("Generate a strong passphrase")');
    await app.page.waitForSelector('[data-testid="generated-passphrase"]');
    const passphrase = (await app.page.textContent('.archive-passphrase'))!;
    expect(passphrase).toMatch(/^([a-z2-9]{5}-){5}[a-z2-9]{5}$/);
    await app.page.click('[data-testid="generated-passphrase"] button:text-is("Copy")');
    await app.page.waitForSelector('[data-testid="generated-passphrase"] .copied:text-is("Copied to the clipboard.")');
    expect(await app.page.evaluate(() => navigator.clipboard.readText())).toBe(passphrase);
    await shot('archive-step4-generated-en-light.png');

    // Leaving the step forgets it: not in the markup, any field or storage.
    await app.page.click('.archive-nav button:text-is("Back")');
    await expect.poll(heading).toBe('Case and notes');
    for (const form of secretForms(passphrase)) expect((await pageState()).includes(form), form).toBe(false);
    await next('Encryption');
    expect(await app.page.inputValue('#archive-password')).toBe('');
    await app.page.click('button:text-is("Generate a strong passphrase")');
    await app.page.waitForSelector('[data-testid="generated-passphrase"]');
    const password = (await app.page.textContent('.archive-passphrase'))!;
    expect(password).not.toBe(passphrase);

    await app.page.click('button:text-is("Build archive")');
    await expect.poll(heading, { timeout: 30_000 }).toBe('Archive ready');
    for (const form of [...secretForms(password), ...secretForms(passphrase)]) expect((await pageState()).includes(form), form).toBe(false);
    expect(await app.page.textContent('[data-testid="archive-name"]')).toBe(`xet-support-case-${CASE}.zip`);
    const sha = (await app.page.textContent('[data-testid="archive-sha256"]'))!;
    await shot('archive-result-en-light.png');

    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click(`.archive-save a:text-is("Download xet-support-case-${CASE}.zip")`)]);
    expect(download.suggestedFilename()).toBe(`xet-support-case-${CASE}.zip`);
    const zip = path.join(dir, download.suggestedFilename());
    await download.saveAs(zip);
    expect(sha256File(zip)).toBe(sha);

    const tested = sevenZip(['t', `-p${password}`, zip]);
    expect(tested.status, tested.out).toBe(0);
    expect(tested.out).toContain('Everything is Ok');
    expect(sevenZip(['t', '-pwrong-password-here', zip]).status).not.toBe(0);
    const out = path.join(dir, 'extracted');
    const extracted = sevenZip(['x', `-p${password}`, `-o${out}`, zip]);
    expect(extracted.status, extracted.out).toBe(0);
    const manifest = checkAgainstManifest(out);
    expect(manifest.caseNumber).toBe(CASE);
    expect(manifest.runs).toHaveLength(1);
    expect(manifest.hars).toHaveLength(1);
    expect(manifest.profile.hostnamesIncluded).toBe(false);
    expect(leaksBelow(out, [...Object.values(PLANTED), app.sim.password, VAULT, password])).toEqual([]);
    expect(problems).toEqual([]);
  }, 90_000);

  it('after a reload the archive built before is listed and opens again; a refused recipient certificate shows at its own entry', async () => {
    await app.page.reload();
    await expect.poll(heading).toBe('Profile and runs');
    expect(await app.page.textContent('.archive-session')).toContain(`xet-support-case-${CASE}.zip`);
    await shot('archive-session-en-light.png');
    await app.page.click(`.archive-session button[aria-label="Open xet-support-case-${CASE}.zip"]`);
    await expect.poll(heading).toBe('Archive ready');
    expect(await app.page.getAttribute('.archive-save a', 'href')).toMatch(/^\/files\/archive\/[a-f0-9]{16}$/);
    expect(await app.page.textContent('.archive-tac code')).toContain(`-u ${CASE} `);
    await app.page.click('button:text-is("Build another archive")');
    await expect.poll(heading).toBe('Profile and runs');
    await next('HAR files');
    await next('Appliance logs');
    await next('Case and notes');
    await next('Encryption');
    await app.page.check('input[name="archive-mode"][value="certificate"]');
    const good = path.join(dir, 'tac-recipient.pem');
    const signing = path.join(dir, 'signing-only.pem');
    fs.writeFileSync(good, recipientCert().cert);
    fs.writeFileSync(signing, recipientCert({ cn: 'Signing only', keyUsage: { digitalSignature: true } }).cert);
    await app.page.setInputFiles('#archive-cert-input', [good, signing]);
    await app.page.waitForSelector('.archive-cert[data-cert="signing-only.pem"]');
    await app.page.click('button:text-is("Build archive")');
    await app.page.waitForSelector('.archive-cert[data-cert="signing-only.pem"] .field-error', { timeout: 30_000 });
    expect(await heading()).toBe('Encryption');
    expect(await app.page.textContent('.archive-cert[data-cert="signing-only.pem"] .field-error')).toMatch(/^signing-only\.pem: does not allow key encipherment/);
    expect(await app.page.locator('.archive-cert[data-cert="tac-recipient.pem"] .field-error').count()).toBe(0);
    await shot('archive-certificate-error-en-light.png');
    expect(problems).toEqual([]);
  }, 60_000);

  it('a capture over 20 MB: the bar runs through every stage, the result warns about e-mail, and split parts download and open', async () => {
    const big = plantedArchiveHar(path.join(dir, 'long-session.har'), { host: '127.0.0.1', storedPassword: app.sim.password, padBytes: 21 * 1024 * 1024 });
    await app.page.click('button:text-is("Back")');
    await expect.poll(heading).toBe('Case and notes');
    await app.page.click('.archive-steps button:has-text("HAR files")');
    await expect.poll(heading).toBe('HAR files');
    await app.page.setInputFiles('[data-testid="har-file-input"]', big);
    await app.page.waitForSelector('.archive-har[data-har] >> text=long-session.har');
    await expect.poll(() => app.page.locator('.archive-har .archive-rule-counts').count(), { timeout: 30_000 }).toBe(2);
    await next('Appliance logs');
    await next('Case and notes');
    await app.page.fill('#archive-case', CASE);
    await next('Encryption');
    await app.page.check('input[name="archive-mode"][value="password"]');
    const password = 'Harbour-Falcon-Ruby-2931-tac';
    await app.page.fill('#archive-password', password);

    // The answer is held back until the picture is taken: the bar has had every stage by then.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await app.page.route('**/api/archive.create', async (route) => {
      const response = await route.fetch({ timeout: 60_000 });
      await held;
      await route.fulfill({ response });
    });
    await app.page.click('button:text-is("Build archive")');
    await expect.poll(heading).toBe('Building the archive');
    await expect.poll(() => app.page.getAttribute('[role=progressbar]', 'aria-valuenow'), { timeout: 60_000 }).toBe('100');
    expect(await app.page.locator('.archive-stage-done').count()).toBe(5);
    await shot('archive-building-en-light.png');
    release();
    await expect.poll(heading, { timeout: 30_000 }).toBe('Archive ready');
    await app.page.unroute('**/api/archive.create');
    expect(await app.page.textContent('.archive-warning')).toMatch(/^At \d+\.\d MiB the archive is over the 20 MB e-mail limit/);
    expect(await app.page.getAttribute('.archive-tac li[data-way="email"]', 'class')).toContain('unfit');
    await shot('archive-result-large-en-light.png');

    // Again, split into 10 MB parts: one download per part, and 7-Zip opens the set from its first part.
    await app.page.click('button:text-is("Build another archive")');
    await expect.poll(heading).toBe('Profile and runs');
    await next('HAR files');
    await next('Appliance logs');
    await next('Case and notes');
    await app.page.fill('#archive-case', CASE);
    await next('Encryption');
    await app.page.fill('#archive-password', password);
    await app.page.check('text=Split into parts for channels with a size limit');
    await app.page.fill('#archive-split-mb', '10');
    await app.page.click('button:text-is("Build archive")');
    await expect.poll(heading, { timeout: 60_000 }).toBe('Archive ready');
    const links = app.page.locator('.archive-save a');
    const count = await links.count();
    expect(count).toBeGreaterThanOrEqual(3);
    expect(await app.page.locator('.archive-warning').count()).toBe(0);
    await shot('archive-result-split-en-light.png');
    const partsDir = path.join(dir, 'parts');
    fs.mkdirSync(partsDir);
    for (let i = 0; i < count; i++) {
      const [download] = await Promise.all([app.page.waitForEvent('download'), links.nth(i).click()]);
      expect(download.suggestedFilename()).toBe(`xet-support-case-${CASE}.zip.${String(i + 1).padStart(3, '0')}`);
      await download.saveAs(path.join(partsDir, download.suggestedFilename()));
    }
    const tested = sevenZip(['t', `-p${password}`, path.join(partsDir, `xet-support-case-${CASE}.zip.001`)]);
    expect(tested.status, tested.out).toBe(0);
    expect(tested.out).toContain('Everything is Ok');
    expect(problems).toEqual([]);
  }, 120_000);

  for (const [language, theme] of [
    ['en', 'dark'],
    ['de', 'light'],
    ['de', 'dark'],
  ] as const) {
    it(`reads in ${language === 'de' ? 'German' : 'English'}, ${theme} theme`, async () => {
      await call('settings.set', { language, theme });
      await app.page.goto(new URL('/#/archive', app.host.url).href);
      await app.page.reload();
      const de = language === 'de';
      await expect.poll(heading).toBe(de ? 'Profil und Läufe' : 'Profile and runs');
      await next(de ? 'HAR-Dateien' : 'HAR files');
      await app.page.waitForSelector('.archive-har .archive-rule-counts');
      await shot(`archive-step2-${language}-${theme}.png`);
      await next(de ? 'Appliance-Logs' : 'Appliance logs');
      await next(de ? 'Fall und Notizen' : 'Case and notes');
      await app.page.fill('#archive-case', CASE);
      await next(de ? 'Verschlüsselung' : 'Encryption');
      // Leetspeak on a product name, which the estimator sees through in either language.
      await app.page.fill('#archive-password', 'Ir0nP0rt!2024');
      await app.page.waitForSelector('.strength-problems li[data-problem="leetspeak"]');
      expect(await app.page.getAttribute('.strength', 'data-level')).toBe('weak');
      expect(await app.page.textContent('.strength-problems li[data-problem="product-word"]')).toBe(
        de
          ? 'Vermeiden Sie Cisco-Produktnamen (Cisco, IronPort, AsyncOS, XDR, SecureX) sowie den Host- und Benutzernamen der Appliance.'
          : 'Avoid Cisco’s product names (Cisco, IronPort, AsyncOS, XDR, SecureX) and the appliance’s own host and user names.',
      );
      await shot(`archive-step4-weak-${language}-${theme}.png`);
      await app.page.click(`button:text-is("${de ? 'Starke Passphrase erzeugen' : 'Generate a strong passphrase'}")`);
      await app.page.waitForSelector('[data-testid="generated-passphrase"]');
      await shot(`archive-step4-generated-${language}-${theme}.png`);
      await app.page.click('.archive-nav button.button:not(.secondary)');
      await expect.poll(heading, { timeout: 30_000 }).toBe(de ? 'Archiv fertig' : 'Archive ready');
      await shot(`archive-result-${language}-${theme}.png`);
      expect(problems).toEqual([]);
    }, 60_000);
  }
});
