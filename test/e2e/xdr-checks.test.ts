import { useAppSession } from '../support/e2e-session.js';

const VAULT = 'e2e xdr vault passphrase';

/**
 * The far side in Chromium: an XDR API client added to a profile in the form, a run against the
 * IROH simulator (device offline in SSE), the "XDR and SSE" group, the finding with its steps, German too.
 */
describe('XDR and SSE checks in Chromium', () => {
  let id = '';
  const app = useAppSession({
    dataDir: 'xet-e2e-xdr-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: { mode: 'healthy', xdrMode: 'xdr-device-offline' },
    settings: { theme: 'light', language: 'en' },
    async prepare({ call, sim }) {
      const r = await call('profiles.create', {
        profile: { name: 'lab-esa', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpPort: sim.httpPort, username: sim.username, trust: { mode: 'pin', sha256: sim.pinnedSha256 } },
        password: sim.password,
      });
      id = (r.value as { id: string }).id;
    },
    viewport: { width: 1024, height: 800 },
    defaultTimeout: 15_000,
    watch: 'bodies',
    waitFor: 'h1:text-is("Overview")',
  });
  const { call, shot, problems, bodies } = app;

  it('says on the Checks page that no client is set, and the manual SSE questions stay', async () => {
    await app.page.goto(new URL(`/#/checks/${id}`, app.host.url).href);
    await app.page.waitForSelector('[data-testid=xdr-client-status]');
    expect(await app.page.textContent('[data-testid=xdr-client-status]')).toContain('XDR API client: none — add one to check SSE and XDR automatically');
    expect(await app.page.locator('.manual-card').count()).toBeGreaterThanOrEqual(6);
    expect(await app.page.locator('[data-group=xdr]').count()).toBe(0);
  });

  it('adds the API client in the profile form: explanation, scopes, portal link, write-only secret', async () => {
    await app.page.click('[data-testid=xdr-client-status] a');
    await app.page.waitForSelector('#pf-xdr-client-id');
    const fieldset = await app.page.textContent('[data-testid=xdr-client]');
    expect(fieldset).toContain('Integration (read), SSE (read) and Enrich:Read');
    expect(await app.page.getAttribute('[data-testid=xdr-client] a', 'href')).toBe('https://xdr.eu.security.cisco.com/');
    await app.page.fill('#pf-xdr-client-id', 'client 1');
    await app.page.locator('#pf-xdr-client-id').blur();
    await app.page.waitForSelector('#pf-xdr-client-id-err:has-text("printable ASCII")');
    await app.page.fill('#pf-xdr-client-id', app.sim.xdr!.clientId);
    await app.page.fill('#pf-xdr-secret', app.sim.xdr!.clientSecret);
    await app.page.locator('[data-testid=xdr-client]').scrollIntoViewIfNeeded();
    await shot('xdr-profile-form-en.png');
    // Save stores the client ID with the profile and the secret in the vault.
    await app.page.click('button[type=submit]');
    await app.page.waitForSelector('[data-testid=xdr-secret-stored]');
    expect(await app.page.inputValue('#pf-xdr-client-id')).toBe(app.sim.xdr!.clientId);
    await app.page.locator('[data-testid=xdr-client]').scrollIntoViewIfNeeded();
    await shot('xdr-profile-stored-en.png');
  });

  it('runs the XDR and SSE group with the other checks and shows the finding with its steps', async () => {
    await app.page.goto(new URL(`/#/checks/${id}`, app.host.url).href);
    await app.page.waitForSelector('[data-group=xdr]');
    expect(await app.page.textContent('[data-testid=xdr-client-status]')).toContain('stored');
    expect(await app.page.textContent('#group-xdr')).toBe('XDR and SSE (through the XDR API client)');
    expect(await app.page.locator('.manual-card[data-check=device-listed], [data-check=device-listed]').count()).toBe(0);
    await app.page.click('.run-button');
    await app.page.waitForSelector('.check-row[data-check="xdr-sse-device"][data-state="fail"]', { timeout: 30_000 });
    await app.page.waitForSelector('.finding[data-code="DEVICE_OFFLINE_IN_SSE"]', { timeout: 30_000 });
    // Once done the bar is full: the plan's checks count (the manual steps the client replaces are not in it), not the runbook's.
    await app.page.waitForSelector('.progress-text:has-text("checks done in")', { timeout: 30_000 });
    const bar = app.page.locator('.run-progress [role=progressbar]');
    expect(await bar.getAttribute('aria-valuenow')).toBe(await bar.getAttribute('aria-valuemax'));
    const finding = await app.page.textContent('.finding[data-code="DEVICE_OFFLINE_IN_SSE"]');
    expect(finding).toContain('Devices');
    expect(await app.page.locator('.finding[data-code="DEVICE_OFFLINE_IN_SSE"] .finding-steps li').count()).toBeGreaterThanOrEqual(3);
    expect(await app.page.getAttribute('.check-row[data-check="xdr-auth"]', 'data-state')).toBe('pass');
    await shot('xdr-findings-en.png');
    await app.page.locator('[data-group=xdr]').scrollIntoViewIfNeeded();
    await shot('xdr-group-en.png');
  });

  it('reads in German', async () => {
    await call('settings.set', { language: 'de' });
    await app.page.waitForSelector('#group-xdr:text-is("XDR und SSE (über den XDR-API-Client)")');
    await app.page.waitForSelector('.finding[data-code="DEVICE_OFFLINE_IN_SSE"] h3:text-is("Die Appliance ist in SSE nicht mehr registriert")');
    await app.page.locator('.finding[data-code="DEVICE_OFFLINE_IN_SSE"]').scrollIntoViewIfNeeded();
    await shot('xdr-findings-de.png');
    await app.page.locator('[data-group=xdr]').scrollIntoViewIfNeeded();
    await shot('xdr-group-de.png');
    await app.page.goto(new URL(`/#/profiles/${id}`, app.host.url).href);
    await app.page.waitForSelector('[data-testid=xdr-client]');
    await app.page.locator('[data-testid=xdr-client]').scrollIntoViewIfNeeded();
    await shot('xdr-profile-form-de.png');
    await call('settings.set', { language: 'en' });
  });

  it('never hands the client secret or an access token to the page, and logs no console problems', () => {
    const tokens = app.sim.xdr!.requests.filter((r) => r.auth === 'bearer').map((r) => r.credential);
    for (const secret of [app.sim.xdr!.clientSecret, ...tokens]) expect(bodies.join('\n')).not.toContain(secret);
    expect(problems).toEqual([]);
  });
});
