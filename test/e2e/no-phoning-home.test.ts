import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appRoutes, navRoutes, openRoute } from '../support/app-routes.js';
import { simProfile, useAppSession } from '../support/e2e-session.js';
import { contactedHosts, netLogEnv, readNetLog, readNetLogAll } from '../support/net-log.js';
import { recordReliability } from '../support/reliability.js';
import { tempDir } from '../support/temp.js';

const VAULT = 'e2e no-phoning-home vault passphrase';
const LANGUAGES = ['en', 'de'] as const;

/**
 * A request that left for somewhere else: anything not on the host's origin, except a data: URL
 * whose content links nowhere (Chromium's own date-picker icon is one). XML namespace names are
 * identifiers, never fetched, so they do not count as links.
 */
function leavesOrigin(url: string, origin: string): boolean {
  if (url.startsWith(origin)) return false;
  const data = /^data:([^,]*),(.*)$/s.exec(url);
  if (!data) return true;
  const body = data[1]!.endsWith(';base64') ? Buffer.from(data[2]!, 'base64').toString('utf8') : decodeURIComponent(data[2]!);
  return /(?:[a-z][a-z0-9+.-]*:)?\/\/[^\s"'<>)]+/i.test(body.replace(/\sxmlns(?::\w+)?=(["'])[^"']*\1/g, ''));
}

/**
 * The product must not phone home: the web host runs as its own process with a preload that logs
 * every connection, DNS question and datagram it attempts, and Chromium's every request (pages,
 * frames, workers, and again through CDP) is kept while every route is visited in both languages,
 * the checks run against the simulator (endpoints overridden to loopback) and a password archive
 * is built and downloaded.
 */
describe('no phoning home: the web host and the page reach nothing but 127.0.0.1', () => {
  let netLog: string;
  let dir: string;
  let profileId = '';
  let origin = '';
  const routes = appRoutes();
  const requests: string[] = [];
  const cdpRequests: string[] = [];
  /** Socket-log lines after each phase, to say which phase attempted what. */
  const marks = { pages: -1, checks: -1, archive: -1 };

  const app = useAppSession({
    dataDir: () => {
      dir = tempDir('xet-e2e-nophone-');
      netLog = path.join(dir, 'net.jsonl');
      return path.join(dir, 'data');
    },
    env: () => ({ XET_VAULT_PASSPHRASE: VAULT, ...netLogEnv(netLog) }),
    sim: { mode: 'healthy' },
    settings: { theme: 'light', language: 'en' },
    async prepare({ call, sim, host }) {
      origin = `http://127.0.0.1:${host.port}/`;
      const created = await call<{ id: string }>('profiles.create', simProfile(sim, 'esa-offline'));
      expect(created.ok, JSON.stringify(created)).toBe(true);
      profileId = created.value!.id;
    },
    viewport: { width: 1024, height: 768 },
    contextOptions: { acceptDownloads: true },
    defaultTimeout: 15_000,
    async onPage(page, context) {
      // Every page, frame and service worker of the context; dedicated workers report through their page.
      context.on('request', (r) => requests.push(r.url()));
      context.on('serviceworker', (w) => requests.push(w.url()));
      page.on('worker', (w) => requests.push(w.url()));
      page.on('websocket', (w) => requests.push(w.url()));
      // CDP sees what Playwright's events may not: data: URLs, preloads, beacons, socket handshakes.
      const cdp = await context.newCDPSession(page);
      cdp.on('Network.requestWillBeSent', (e) => cdpRequests.push(e.request.url));
      cdp.on('Network.webSocketCreated', (e) => cdpRequests.push(e.url));
      await cdp.send('Network.enable');
    },
    waitFor: 'h1:text-is("Overview")',
    timeout: 60_000,
  });
  const { call, problems } = app;

  it('the socket log sees what it must: net, tls, http, fetch, DNS (callback and promises) and UDP', () => {
    const file = path.join(dir, 'self-test.jsonl');
    const script = `
      const net = require('node:net'), tls = require('node:tls'), http = require('node:http'), dns = require('node:dns'), dgram = require('node:dgram');
      const quiet = (s) => s.on('error', () => {});
      quiet(net.connect(9, '192.0.2.1'));
      quiet(tls.connect({ host: '192.0.2.2', port: 443 }));
      quiet(http.get('http://192.0.2.3:8080/'));
      fetch('http://192.0.2.4:8081/').catch(() => {});
      dns.lookup('one.example.invalid', () => {});
      dns.promises.lookup('two.example.invalid').catch(() => {});
      new dns.promises.Resolver().resolve4('three.example.invalid').catch(() => {});
      const u = dgram.createSocket('udp4'); u.send(Buffer.from('x'), 53, '192.0.2.5', () => u.close());
      setTimeout(() => process.exit(0), 300);`;
    const r = spawnSync(process.execPath, ['-e', script], { env: { ...process.env, ...netLogEnv(file) }, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    const hosts = contactedHosts(readNetLog(file));
    for (const h of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5', 'one.example.invalid', 'two.example.invalid', 'three.example.invalid']) expect(hosts, h).toContain(h);
  });

  it('visits every route of the router in English and German without the host reaching out', async () => {
    expect(routes.length).toBeGreaterThan(0);
    expect(await navRoutes(app.page)).toEqual(routes);
    for (const language of LANGUAGES) {
      expect((await call('settings.set', { language })).ok).toBe(true);
      for (const route of routes) {
        await openRoute(app.page, app.host.url, route);
        await expect.poll(() => app.page.getAttribute('html', 'lang')).toBe(language);
        await app.page.waitForLoadState('networkidle');
      }
    }
    await call('settings.set', { language: 'en' });
    marks.pages = readNetLog(netLog).length;
    expect(readNetLog(netLog)).toEqual([]);
    // The only sockets it opened are its own listeners, bound to loopback.
    const binds = readNetLogAll(netLog).filter((a) => a.kind === 'listen');
    expect(binds.length).toBeGreaterThan(0);
    expect(contactedHosts(binds)).toEqual(['127.0.0.1']);
  });

  it('runs the checks from the Checks page: the host contacts only the simulator on 127.0.0.1', async () => {
    await openRoute(app.page, app.host.url, `checks/${profileId}`);
    await app.page.click('.run-button');
    await app.page.waitForSelector('.run-button:has-text("Run again")', { timeout: 30_000 });
    const attempts = readNetLog(netLog, marks.pages);
    marks.checks = marks.pages + attempts.length;
    // The checks really ran through the wrapped sockets: the log is not empty because nothing is logged.
    expect(attempts.filter((a) => a.kind === 'tcp').length).toBeGreaterThan(0);
    expect(contactedHosts(attempts)).toEqual(['127.0.0.1']);
    const ports = new Set([app.sim.httpsPort, app.sim.httpPort, app.sim.cloud.port]);
    for (const a of attempts) expect(a.kind === 'dns' || ports.has(a.port ?? -1), JSON.stringify(a)).toBe(true);
  });

  it('builds and downloads a password archive without a single new attempt', async () => {
    await openRoute(app.page, app.host.url, `archive/${profileId}`);
    const heading = () => app.page.textContent('#archive-step-title');
    await expect.poll(heading).toBe('Profile and runs');
    for (const title of ['HAR files', 'Appliance logs', 'Case and notes', 'Encryption']) {
      await app.page.click('.archive-nav button:text-is("Next")');
      await expect.poll(heading).toBe(title);
    }
    await app.page.click('button:text-is("Generate a strong passphrase")');
    await app.page.waitForSelector('[data-testid="generated-passphrase"]');
    await app.page.click('button:text-is("Build archive")');
    await expect.poll(heading, { timeout: 30_000 }).toBe('Archive ready');
    const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('.archive-save a')]);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    marks.archive = readNetLog(netLog).length;
    expect(readNetLog(netLog, marks.checks)).toEqual([]);
  });

  it('Chromium requested nothing but http://127.0.0.1:<port>/, by its events and by CDP', () => {
    expect(requests.length).toBeGreaterThan(routes.length);
    expect(cdpRequests.length).toBeGreaterThan(routes.length);
    expect(requests.filter((url) => leavesOrigin(url, origin))).toEqual([]);
    expect(cdpRequests.filter((url) => leavesOrigin(url, origin))).toEqual([]);
    // The rule itself: a data: URL that pulls a font or image from elsewhere is caught.
    const css = `data:text/css;base64,${Buffer.from('@font-face{src:url(https://fonts.example.com/a.woff2)}').toString('base64')}`;
    expect([leavesOrigin(css, origin), leavesOrigin('data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E', origin), leavesOrigin('http://127.0.0.1:1/', origin)]).toEqual([true, false, true]);
    expect(problems).toEqual([]);
    recordReliability('no-phoning-home', {
      area: 'No phoning home',
      measure: 'pages visited (every route in English and German) while running the checks and building a password archive, with every browser request and socket attempt of the web host observed',
      value: routes.length * LANGUAGES.length,
      outcome: '0 connections to anything but 127.0.0.1',
    });
  });
});
