import { startSimulator } from '../fixtures/simulator/simulator.js';
import { simProfile, useAppSession } from '../support/e2e-session.js';

const VAULT = 'e2e overview vault passphrase';
const XDR_SECRET = 'planted-xdr-client-secret-5c1e9a';

/**
 * The Overview in Chromium through the web host: three appliances (healthy, API off, wrong
 * password) of different kinds, regions and clusters; filters; Run all with a summary; the last
 * run restored on the Checks page after a reload; English and German, light and dark.
 */
describe('overview of every appliance in Chromium', () => {
  const ids: Record<string, string> = {};
  const app = useAppSession({
    dataDir: 'xet-e2e-overview-',
    env: { XET_VAULT_PASSPHRASE: VAULT },
    sim: [{ mode: 'healthy' }, { mode: 'api-off' }, { mode: 'bad-credentials' }],
    settings: { theme: 'light', language: 'en' },
    async prepare({ call, sims }) {
      const specs = [
        { name: 'esa-frankfurt', kind: 'esa', region: 'eu', cluster: 'Frankfurt' },
        { name: 'esa-dallas', kind: 'esa', region: 'nam', cluster: '' },
        { name: 'sma-munich', kind: 'sma', region: 'eu', cluster: 'Frankfurt' },
      ];
      for (const [i, s] of specs.entries()) {
        const r = await call<{ id: string }>('profiles.create', simProfile(sims[i]!, s.name, { kind: s.kind, region: s.region, cluster: s.cluster }));
        expect(r.ok, JSON.stringify(r)).toBe(true);
        ids[s.name] = r.value!.id;
      }
      expect((await call('secrets.set', { profileId: ids['esa-frankfurt'], kind: 'xdr-client-secret', value: XDR_SECRET })).ok).toBe(true);
    },
    viewport: { width: 1280, height: 800 },
    defaultTimeout: 15_000,
    watch: 'bodies',
    timeout: 60_000,
  });
  const { call, problems, bodies } = app;
  const shot = (name: string) => app.shot(name, { fullPage: true });
  const row = (name: string) => app.page.locator(`tr[data-profile="${name}"]`);

  it('is the first page once profiles exist: one row each with its credentials, filters by kind, region, cluster', async () => {
    await app.page.waitForSelector('h1:text-is("Overview")');
    expect(await app.page.getAttribute('a[data-page="overview"]', 'aria-current')).toBe('page');
    await expect.poll(() => app.page.locator('tbody tr').count()).toBe(3);
    expect(await row('esa-frankfurt').textContent()).toMatch(/API password: stored[\s\S]*XDR client secret: stored[\s\S]*Never checked/);
    expect(await row('esa-dallas').textContent()).toMatch(/XDR client secret: not stored/);
    await app.page.selectOption('#ov-kind', 'sma');
    await expect.poll(() => app.page.locator('tbody tr').count()).toBe(1);
    await app.page.selectOption('#ov-kind', '');
    await app.page.selectOption('#ov-region', 'eu');
    await app.page.selectOption('#ov-cluster', 'Frankfurt');
    expect(await app.page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.profile))).toEqual(['esa-frankfurt', 'sma-munich']);
    await app.page.click('button:text-is("Clear filters")');
    await expect.poll(() => app.page.locator('tbody tr').count()).toBe(3);
    await shot('overview-en-light-1280-before.png');
  });

  it('Run all checks every appliance with per-row progress, then a summary and each one’s top finding by title', async () => {
    await app.page.click('button.run-all');
    await app.page.waitForSelector('[data-testid="batch-summary"]', { timeout: 30_000 });
    expect(await app.page.textContent('[data-testid="batch-summary"]')).toMatch(/3 appliances checked: 1 without problems, 0 with warnings, 2 with errors, 0 not checked, 0 cancelled/);
    await expect.poll(() => row('esa-dallas').getAttribute('data-result')).toBe('error');
    expect(await row('esa-dallas').textContent()).toMatch(/Errors[\s\S]*AsyncOS API is not enabled/);
    expect(await row('esa-dallas').textContent()).not.toContain('API_PORT_CLOSED');
    expect(await row('esa-frankfurt').textContent()).toMatch(/No problems/);
    // A secret without a client ID is no XDR API client: the all-clear says how far the run reached.
    expect(await row('esa-frankfurt').locator('.ov-top').textContent()).toBe('No problems up to the Threat Response server; SSE and XDR not checked (no XDR API client)');
    expect(await row('sma-munich').getAttribute('data-result')).toBe('error');
    await app.page.selectOption('#ov-result', 'error');
    await expect.poll(() => app.page.locator('tbody tr').count()).toBe(2);
    await app.page.selectOption('#ov-result', '');
    for (const [w, h] of [[1280, 800], [1024, 700]] as const) {
      await app.page.setViewportSize({ width: w, height: h });
      await shot(`overview-en-light-${w}.png`);
    }
    await app.page.setViewportSize({ width: 1280, height: 800 });
  }, 60_000);

  it('runs only the ticked appliances, keyboard first', async () => {
    await app.page.focus(`input[aria-label="Tick esa-dallas"]`);
    await app.page.keyboard.press('Space');
    await app.page.waitForSelector('button.run-all:text-is("Run 1 ticked")');
    const before = ((await call<{ runs: unknown[] }>('runs.list', { limit: 50 })).value!.runs).length;
    await app.page.click('button.run-all');
    await expect.poll(async () => (await app.page.textContent('[data-testid="batch-summary"]')) ?? '', { timeout: 20_000 }).toMatch(/^Run all finished · 1 appliance checked/);
    expect((await call<{ runs: unknown[] }>('runs.list', { limit: 50 })).value!.runs).toHaveLength(before + 1);
  }, 40_000);

  it('Open leads to the Checks page, which shows the last stored run again after a reload', async () => {
    await row('esa-dallas').locator('a.button:has-text("Open")').click();
    await app.page.waitForSelector('h1:text-is("Guided checks")');
    await app.page.waitForSelector('[data-testid="last-run"]');
    expect(await app.page.textContent('[data-testid="last-run"]')).toMatch(/Last run .+ · 1 error · open/);
    await app.page.reload();
    await app.page.waitForSelector('[data-testid="last-run"]');
    expect(await app.page.textContent('main')).toMatch(/AsyncOS API is not enabled/);
    await shot('checks-last-run-en-light.png');
  });

  it('in German and dark: titles, results and the summary in German', async () => {
    await call('settings.set', { language: 'de', theme: 'dark' });
    await app.page.goto(new URL('/#/overview', app.host.url).href);
    await app.page.waitForSelector('h1:text-is("Übersicht")');
    await expect.poll(() => app.page.locator('tbody tr').count()).toBe(3);
    expect(await row('esa-dallas').textContent()).toMatch(/API-Passwort: gespeichert[\s\S]*Fehler[\s\S]*Die AsyncOS-API ist auf der Management-Schnittstelle nicht aktiviert/);
    expect(await row('esa-frankfurt').textContent()).toMatch(/Keine Probleme/);
    for (const [w, h] of [[1280, 800], [1024, 700]] as const) {
      await app.page.setViewportSize({ width: w, height: h });
      await shot(`overview-de-dark-${w}.png`);
    }
    await call('settings.set', { theme: 'light' });
    await app.page.waitForFunction(() => document.documentElement.dataset.theme !== 'dark');
    await shot('overview-de-light-1024.png');
    await call('settings.set', { language: 'en', theme: 'dark' });
    await app.page.waitForSelector('h1:text-is("Overview")');
    await app.page.setViewportSize({ width: 1280, height: 800 });
    await shot('overview-en-dark-1280.png');
    await app.page.goto(new URL(`/#/checks/${ids['esa-dallas']}`, app.host.url).href);
    await app.page.waitForSelector('[data-testid="last-run"]');
    await shot('checks-last-run-en-dark.png');
    await call('settings.set', { language: 'de', theme: 'light' });
    await app.page.waitForSelector('h1:text-is("Geführte Prüfungen")');
    expect(await app.page.textContent('[data-testid="last-run"]')).toMatch(/Letzter Lauf .+ · 1 Fehler · öffnen/);
    await shot('checks-last-run-de-light.png');
    await call('settings.set', { language: 'en', theme: 'light' });
  }, 40_000);

  it('Cancel all stops every appliance: queued ones never start, the summary says so', async () => {
    const slow = await startSimulator({ mode: 'slow', slowMs: 1500 });
    app.sims.push(slow);
    for (const name of ['esa-slow-1', 'esa-slow-2']) {
      const r = await call('profiles.create', simProfile(slow, name));
      expect(r.ok).toBe(true);
    }
    await app.page.goto(new URL('/#/overview', app.host.url).href);
    await expect.poll(() => app.page.locator('tbody tr').count()).toBe(5);
    await app.page.locator('input[aria-label="Tick esa-slow-1"]').check();
    await app.page.locator('input[aria-label="Tick esa-slow-2"]').check();
    await app.page.click('button.run-all:text-is("Run 2 ticked")');
    await app.page.waitForSelector('tr[data-profile="esa-slow-1"] [data-state="running"]');
    await shot('overview-en-light-running.png');
    await app.page.click('button:text-is("Cancel all")');
    await app.page.waitForSelector('[data-testid="batch-summary"]', { timeout: 20_000 });
    expect(await app.page.textContent('[data-testid="batch-summary"]')).toMatch(/Run all cancelled · 2 appliances checked: 0 without problems, 0 with warnings, 0 with errors, 0 not checked, 2 cancelled/);
    await call('settings.set', { theme: 'light' });
  }, 40_000);

  it('never shows a stored secret, and logs no errors', () => {
    expect(bodies.join('\n')).not.toContain(XDR_SECRET);
    for (const sim of app.sims) expect(bodies.join('\n')).not.toContain(sim.password);
    expect(problems).toEqual([]);
  });
});
