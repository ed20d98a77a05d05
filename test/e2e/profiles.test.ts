import { useAppSession } from '../support/e2e-session.js';
import { makeSelfSigned, tlsServer } from '../support/tls.js';

const PASSWORD = 'E2E-planted-Pw!';
const VAULT = 'e2e vault passphrase';

describe('profiles in Chromium', () => {
  const app = useAppSession({
    dataDir: 'xet-e2e-profiles-',
    viewport: { width: 1024, height: 700 },
    defaultTimeout: 8000,
    watch: 'none',
    onPage(page, _context, { bodies, problems }) {
      page.on('response', async (r) => {
        // The event stream never ends; every other API response is kept to check for leaks.
        if (r.url().includes('/api/') && !r.url().endsWith('/api/events')) bodies.push(await r.text().catch(() => ''));
      });
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
    },
    waitFor: 'h1:text-is("Appliance profiles")',
  });
  const { bodies, problems } = app;

  it('explains profiles when there are none', async () => {
    expect(await app.page.textContent('.empty-state')).toContain('A profile tells the troubleshooter how to reach one appliance');
    await app.shot('profiles-empty.png');
  });

  it('validates inline, naming each field, before anything is sent', async () => {
    await app.page.click('.empty-actions button');
    await app.page.fill('#pf-name', 'esa-lab');
    await app.page.fill('#pf-host', 'bad host');
    await app.page.fill('#pf-https-port', '99999');
    await app.page.click('#pf-username');
    expect(await app.page.textContent('#pf-host-err')).toBe('Not a valid DNS name, IPv4 or IPv6 address');
    expect(await app.page.textContent('#pf-https-port-err')).toBe('Port must be a whole number from 1 to 65535');
    expect(await app.page.getAttribute('#pf-host', 'aria-invalid')).toBe('true');
    const sent = bodies.length;
    await app.page.click('button[type=submit]');
    expect(await app.page.textContent('.profile-form [role=status]')).toContain('Check the highlighted fields');
    expect(bodies.filter((b) => b.includes('esa-lab'))).toHaveLength(0);
    expect(bodies.length).toBe(sent);
    await app.shot('profiles-validation.png');
  });

  it('creates a profile, asks once for a vault passphrase, and shows the password only as stored', async () => {
    await app.page.fill('#pf-host', 'esa1.example.com');
    await app.page.fill('#pf-https-port', '6443');
    await app.page.fill('#pf-username', 'admin');
    await app.page.fill('#pf-password', PASSWORD);
    // No region is assumed for a new profile: the user picks it.
    expect(await app.page.inputValue('#pf-region')).toBe('');
    await app.page.selectOption('#pf-region', 'eu');
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('[role=dialog]:has-text("Choose a vault passphrase")');
    await app.shot('profiles-vault.png');
    await app.page.fill('#vault-passphrase', VAULT);
    await app.page.fill('#vault-repeat', VAULT);
    await app.page.click('[role=dialog] button[type=submit]');
    await app.page.waitForSelector('[data-testid=password-stored]');
    expect(await app.page.textContent('.profile-list')).toContain('esa-lab');
    expect(await app.page.inputValue('#pf-username')).toBe('admin');
    expect(await app.page.$('#pf-password')).toBeNull();
    expect(await app.page.content()).not.toContain(PASSWORD);
    await app.shot('profiles-saved.png');
  });

  it('edits a profile and keeps its password', async () => {
    await app.page.fill('#pf-host', '192.0.2.20');
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('.profile-list :text("192.0.2.20")');
    expect(await app.page.$('[data-testid=password-stored]')).not.toBeNull();
  });

  it('pins the appliance certificate fetched over TLS', async () => {
    const server = await tlsServer(makeSelfSigned('esa1.example.com'));
    await app.page.fill('#pf-host', '127.0.0.1');
    await app.page.fill('#pf-https-port', String(server.port));
    await app.page.click('button:has-text("Fetch certificate from the appliance")');
    const shown = (await app.page.textContent('[data-testid=fetched-fingerprint]'))!;
    const fingerprint = shown.replaceAll(':', '').toLowerCase();
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    await app.shot('profiles-certificate.png');
    await app.page.click('button:has-text("Trust this certificate")');
    // The field shows the fingerprint as the card did (grouped, as the appliance GUI shows it).
    expect(await app.page.inputValue('#pf-pin')).toBe(shown);
    expect(await app.page.textContent('[data-testid=pin-summary]')).toMatch(/^Pinned ✓ CN=esa1\.example\.com, valid until \d{1,2} \w{3} \d{4}$/);
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('text=Saved.');
    await server.close();
  });

  it('duplicates a profile with its password', async () => {
    await app.page.click('button:has-text("Duplicate")');
    await app.page.waitForSelector('h2:has-text("esa-lab (copy)")');
    expect(await app.page.$('[data-testid=password-stored]')).not.toBeNull();
    expect(await app.page.locator('.profile-item').count()).toBe(2);
  });

  it('deletes after confirmation', async () => {
    await app.page.click('button:has-text("Delete…")');
    await app.page.waitForSelector('[role=dialog]:has-text("Delete “esa-lab (copy)”?")');
    await app.shot('profiles-delete.png');
    await app.page.click('[role=dialog] button:has-text("Delete")');
    await app.page.waitForSelector('text=Deleted “esa-lab (copy)”.');
    expect(await app.page.locator('.profile-item').count()).toBe(1);
  });

  it('searches the list and shows names literally', async () => {
    await app.page.click('button:has-text("Add appliance")');
    await app.page.fill('#pf-name', '<b>Robert"); DROP TABLE profiles; --</b> 📧');
    await app.page.fill('#pf-host', 'ces.example.com');
    await app.page.click('.segment:has-text("CES")');
    await app.page.selectOption('#pf-region', 'nam');
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('.profile-item:has-text("DROP TABLE")');
    expect(await app.page.locator('.profile-item b').count()).toBe(0);
    await app.page.fill('#profile-search', 'ces.example');
    await app.page.waitForFunction(() => document.querySelectorAll('.profile-item').length === 1);
    expect(await app.page.textContent('.profile-item')).toContain('📧');
    await app.page.fill('#profile-search', '');
    await app.page.waitForFunction(() => document.querySelectorAll('.profile-item').length === 2);
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
