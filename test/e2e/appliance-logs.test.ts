import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileText } from '../fixtures/simulator/appliance-logs.js';
import { tempDir } from '../support/temp.js';
import { archiveWizard, simProfile, useAppSession } from '../support/e2e-session.js';

const VAULT = 'e2e logs vault passphrase';

/** The wizard's appliance-logs step in Chromium through the web host, against the simulator's log API. */
describe('archive wizard: appliance logs step in Chromium', () => {
  const app = useAppSession({
    dataDir: 'xet-e2e-logs-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: {},
    settings: { theme: 'light', language: 'en' },
    async prepare({ call, sim }) {
      const created = await call('profiles.create', simProfile(sim, 'esa-frankfurt'));
      expect(created.ok).toBe(true);
    },
    viewport: { width: 1024, height: 768 },
    defaultTimeout: 15_000,
    watch: 'none',
    onPage(page, _context, { problems }) {
      page.on('pageerror', (e) => problems.push(e.message));
    },
    waitFor: 'h1:text-is("Overview")',
    timeout: 90_000,
  });
  const { call, problems } = app;
  const shot = (name: string) => app.tallShot(name);
  const { heading, next } = archiveWizard(app);

  it('lists the subscriptions with types and file counts, defaults ticked, takes a dropped gzip and shows per-file redactions after the build', async () => {
    await app.page.click('.nav-link[data-page="archive"]');
    await expect.poll(heading).toBe('Profile and runs');
    await next('HAR files');
    await next('Appliance logs');
    // Nothing is asked of the appliance until the user lists its logs.
    expect(await app.page.locator('.logs-table').count()).toBe(0);
    await app.page.click('.logs-list-button');
    await app.page.waitForSelector('.logs-table tr[data-subscription="xdr_errors"]');
    expect(await app.page.isChecked('tr[data-subscription="xdr_errors"] input')).toBe(true);
    expect(await app.page.isChecked('tr[data-subscription="mail_logs"] input')).toBe(false);
    expect(await app.page.textContent('tr[data-subscription="xdr_errors"]')).toMatch(/Error Logs\s*2 files/);
    const gz = path.join(tempDir(), 'mail.@20261201T000000.s.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fileText('mail_logs', { from: Date.now() - 5 * 3600_000, to: Date.now() }, { mode: 'healthy', kind: 'esa', username: app.sim.username, password: app.sim.password, hostname: app.sim.hostname, offsetSeconds: 3600, hugeBytes: 0, slowChunkMs: 0 })));
    await app.page.setInputFiles('.logs-drop + input[type=file]', gz);
    await app.page.waitForSelector('.logs-imports li >> text=mail.@20261201T000000.s.gz');
    await shot('archive-logs-step-en-light.png');

    await next('Case and notes');
    await next('Encryption');
    await app.page.click('button:text-is("Generate a strong passphrase")');
    await app.page.click('button:text-is("Build archive")');
    await app.page.waitForSelector('.logs-result tr[data-log]', { timeout: 60_000 });
    expect(await app.page.locator('.logs-result tr[data-log]').count()).toBe(15);
    // Each rule by its name, its code on the item (as manifest.json and report.html give it).
    expect(await app.page.textContent('.logs-result tr[data-log="appliance-logs/api_logs/api.current"] li[data-rule="jwt"]')).toMatch(/^JSON Web Tokens \d+$/);
    // The key pasted at the CLI, as one placeholder.
    expect(await app.page.textContent('.logs-result tr[data-log="appliance-logs/cli_logs/cli.current"] li[data-rule="pem"]')).toBe('Private keys 1');
    expect(await app.page.textContent('.logs-result tr[data-log="appliance-logs/gui_logs/gui.current"] li[data-rule="keyword"]')).toMatch(/^Host names, API user and your words \d+$/);
    const text = await app.page.textContent('body');
    for (const planted of [app.sim.password, 'alice.jones@customer-corp.example', app.sim.hostname]) expect(text).not.toContain(planted);
    await shot('archive-logs-result-en-light.png');
  }, 120_000);

  it('in German', async () => {
    await call('settings.set', { language: 'de' });
    await app.page.reload();
    await expect.poll(heading).toBe('Profil und Läufe');
    await next('HAR-Dateien');
    await next('Appliance-Logs');
    await app.page.click('.logs-list-button');
    await app.page.waitForSelector('.logs-table tr[data-subscription="ctr_logs"]');
    expect(await app.page.textContent('.archive-logs-subscriptions legend')).toBe('Protokollabonnements der Appliance');
    await shot('archive-logs-step-de-light.png');
    await next('Fall und Notizen');
    await next('Verschlüsselung');
    await app.page.click('button:text-is("Starke Passphrase erzeugen")');
    await app.page.click('button:text-is("Archiv erstellen")');
    await app.page.waitForSelector('.logs-result tr[data-log]', { timeout: 60_000 });
    expect(await app.page.textContent('.logs-result tr[data-log="appliance-logs/cli_logs/cli.current"] li[data-rule="pem"]')).toBe('Private Schlüssel 1');
    expect(await app.page.textContent('.logs-result tr[data-log="appliance-logs/system_logs/system.current"] li[data-rule="email-domain"]')).toMatch(/^Adressen \(Domain\) \d+$/);
    await shot('archive-logs-result-de-light.png');
    expect(problems).toEqual([]);
  }, 120_000);
});
