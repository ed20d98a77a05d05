import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startWebHost, type WebHost } from '../../../electron/web/server.js';
import { testCore } from '../../support/core.js';
import { rawConnection, readReply, request, type RawConnection, type Reply } from '../../support/raw-http.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from '../../support/web-host-process.js';

/**
 * Attacks on the web host that test/unit/web/web-host.test.ts does not cover (it has the token,
 * Origin, Host and oversized-body refusals): slow-loris clients, a thousand requests at once
 * against the real process, and request heads that are too large or not HTTP.
 */

const CHROME_HAR = path.resolve(import.meta.dirname, '../../fixtures/har/chrome-export.har');
const head = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

describe('web host under slow-loris attack (short bounds)', () => {
  const BOUND_MS = 1_500;
  /** Node sweeps expired request heads once a second; the rest is a loaded machine's slack. */
  const SLACK_MS = 3_000;
  let core: ReturnType<typeof testCore>;
  let host: WebHost;

  beforeEach(async () => {
    core = testCore();
    const staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    host = await startWebHost({
      dispatcher: core.dispatcher,
      bus: core.bus,
      log: core.log,
      staticDir,
      har: core.har,
      headersTimeoutMs: BOUND_MS,
      idleMs: BOUND_MS,
      commandBodyMs: BOUND_MS,
      heartbeatMs: 300,
    });
  });

  afterEach(async () => {
    await host.close();
    core.close();
  });

  const auth = () => [`Host: 127.0.0.1:${host.port}`, `Authorization: Bearer ${host.token}`];
  const post = (body: string) => request(host.port, { method: 'POST', path: '/api/settings.get', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body });

  it('drops heads sent a byte at a time, bodies that stall and bodies that trickle, and serves other clients meanwhile', async () => {
    const attackers: { kind: string; conn: RawConnection }[] = [];
    for (let i = 0; i < 10; i++) {
      // A header line that never ends: each byte extends it, so the socket is never idle.
      attackers.push({ kind: 'head', conn: await rawConnection(host.port, { head: head(['GET / HTTP/1.1', ...auth()]) + 'X-Loris: ', trickle: 'a', everyMs: 250 }) });
    }
    const bodyHead = (length: number) => head(['POST /api/settings.set HTTP/1.1', ...auth(), 'Content-Type: application/json', `Content-Length: ${length}`, '']);
    for (let i = 0; i < 5; i++) attackers.push({ kind: 'stalled body', conn: await rawConnection(host.port, { head: bodyHead(1000), body: '{"language":' }) });
    for (let i = 0; i < 5; i++) attackers.push({ kind: 'trickled body', conn: await rawConnection(host.port, { head: bodyHead(100_000), body: '{"theme":"', trickle: 'x', everyMs: 250 }) });

    // Other clients are served meanwhile: the first answer comes while every attacker is still connected.
    const openAtAnswer: number[] = [];
    const served = await Promise.all(
      Array.from({ length: 10 }, () =>
        post('{}').then((r) => {
          openAtAnswer.push(attackers.filter((a) => a.conn.isOpen()).length);
          return r;
        }),
      ),
    );
    expect(served.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(served.every((r) => (JSON.parse(r.body) as { ok: boolean }).ok)).toBe(true);
    expect(openAtAnswer[0]).toBe(attackers.length);

    const closedAfter = await Promise.all(attackers.map((a) => a.conn.closed(BOUND_MS + SLACK_MS + 2_000)));
    for (const [i, ms] of closedAfter.entries()) expect(ms, attackers[i]!.kind).toBeLessThanOrEqual(BOUND_MS + SLACK_MS);
    // Each was cut by its bound, not by luck: none of them got a command answered.
    for (const a of attackers) expect(a.conn.received(), a.kind).not.toMatch(/HTTP\/1\.1 200/);
    // Nothing the trickled bodies carried was applied.
    expect(core.settings.get()).toEqual({ language: 'en', theme: 'system', proxy: null });
    expect(core.logger.lines.filter((l) => /request failed/.test(l))).toEqual([]);
    const after = await post('{}');
    expect(after.status).toBe(200);

    recordReliability('web-host-slow-loris', {
      area: 'Web host attacks',
      measure: 'slow-loris connections held open (10 heads sent a byte every 250 ms, 5 bodies stalled, 5 bodies trickled a byte every 250 ms)',
      value: closedAfter.filter((ms) => ms <= BOUND_MS + SLACK_MS).length,
      outcome: 'all dropped by the server within their bound; other clients served meanwhile; nothing applied',
    });
  }, 20_000);

  it('keeps the event stream and a slow but steady HAR upload alive past every one of those bounds', async () => {
    const events: string[] = [];
    const stream = await new Promise<http.ClientRequest>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}` } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => events.push(c));
        resolve(req);
      });
      req.on('error', reject);
    });

    // The upload takes about 3 x BOUND_MS, a chunk every BOUND_MS / 3.
    const har = fs.readFileSync(CHROME_HAR);
    const upload = new Promise<Reply>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/files/har?name=slow.har',
          headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream', 'Content-Length': har.length },
        },
        (res) => readReply(res).then(resolve, reject),
      );
      req.on('error', reject);
      const parts = 9;
      const size = Math.ceil(har.length / parts);
      let i = 0;
      const tick = setInterval(() => {
        req.write(har.subarray(i * size, (i + 1) * size));
        if (++i === parts) {
          clearInterval(tick);
          req.end();
        }
      }, BOUND_MS / 3);
    });
    const uploaded = await upload;
    expect(uploaded.status).toBe(200);
    expect(JSON.parse(uploaded.body)).toMatchObject({ ok: true, value: { name: 'slow.har' } });

    await new Promise((r) => setTimeout(r, BOUND_MS));
    await core.dispatcher.dispatch('settings.set', { theme: 'dark' });
    await vi.waitFor(() => expect(events.join('')).toContain('event: settings.changed'), { timeout: 5_000 });
    expect(events.join('')).toContain(': heartbeat');
    stream.destroy();
  }, 20_000);
});

describe('web host process under load and malformed requests (real defaults)', () => {
  let host: RunningHost;
  const rss = (field: 'VmRSS' | 'VmHWM') => {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${host.child.pid}/status`, 'utf8'))?.[1];
    return Number(kb) * 1024;
  };

  beforeAll(async () => {
    host = await startWebHostProcess(tempDir('xet-attacks-'), { LANG: 'en_US.UTF-8' });
  }, 60_000);

  afterAll(async () => {
    await host.stop();
  });

  const bearer = () => ({ Authorization: `Bearer ${host.token}` });
  const json = { 'Content-Type': 'application/json' };
  const asset = () => fs.readdirSync(path.join(ROOT, 'dist', 'renderer', 'assets')).find((f) => f.endsWith('.js'))!;

  it('answers 1,000 concurrent requests each as it should, stays up, and its memory stays bounded, while slow-loris heads are dropped', async () => {
    const port = host.port;
    type Case = { name: string; send: () => Promise<Reply>; check: (r: Reply) => void };
    const typed = (status: number, code: string) => (r: Reply) => {
      expect(r.status).toBe(status);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code } });
    };
    const cases: Case[] = [
      { name: 'settings.get', send: () => request(port, { method: 'POST', path: '/api/settings.get', headers: { ...bearer(), ...json }, body: '{}' }), check: (r) => expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { language: expect.any(String) } }) },
      { name: 'profiles.list', send: () => request(port, { method: 'POST', path: '/api/profiles.list', headers: { ...bearer(), ...json }, body: '{"query":"lab"}' }), check: (r) => expect(JSON.parse(r.body)).toEqual({ ok: true, value: { profiles: [], total: 0 } }) },
      { name: 'invalid payload', send: () => request(port, { method: 'POST', path: '/api/settings.set', headers: { ...bearer(), ...json }, body: '{"theme":"neon"}' }), check: typed(200, 'INVALID_REQUEST') },
      { name: 'unknown command', send: () => request(port, { method: 'POST', path: '/api/profiles.nuke', headers: { ...bearer(), ...json }, body: '{}' }), check: typed(200, 'UNKNOWN_COMMAND') },
      { name: 'no token', send: () => request(port, { method: 'POST', path: '/api/app.info', headers: json, body: '{}' }), check: typed(401, 'UNAUTHORIZED') },
      { name: 'wrong token', send: () => request(port, { method: 'POST', path: '/api/app.info', headers: { Authorization: 'Bearer nope', ...json }, body: '{}' }), check: typed(401, 'UNAUTHORIZED') },
      { name: 'foreign Host', send: () => request(port, { method: 'POST', path: '/api/app.info', headers: { ...bearer(), ...json, Host: `evil.example:${port}` }, body: '{}' }), check: typed(421, 'FORBIDDEN') },
      { name: 'index.html', send: () => request(port, { path: '/', headers: bearer() }), check: (r) => (expect(r.status).toBe(200), expect(r.body).toMatch(/^<!doctype html>/i)) },
      { name: 'script asset', send: () => request(port, { path: `/assets/${asset()}`, headers: bearer() }), check: (r) => (expect(r.status).toBe(200), expect(r.headers['content-type']).toContain('javascript')) },
      { name: 'static without token', send: () => request(port, { path: '/' }), check: typed(401, 'UNAUTHORIZED') },
    ];
    // Warm up (first requests load code and fill caches), then measure from there.
    for (const c of cases) c.check(await c.send());
    const rssBefore = rss('VmRSS');

    const loris: RawConnection[] = [];
    for (let i = 0; i < 10; i++) loris.push(await rawConnection(port, { head: `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Loris: `, trickle: 'a', everyMs: 300 }));

    const TOTAL = 1000;
    const results = await Promise.allSettled(Array.from({ length: TOTAL }, (_, i) => cases[i % cases.length]!.send()));
    let asExpected = 0;
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (const [i, r] of results.entries()) {
      const c = cases[i % cases.length]!;
      try {
        if (r.status === 'rejected') throw r.reason;
        c.check(r.value);
        asExpected++;
        statuses.set(r.value.status, (statuses.get(r.value.status) ?? 0) + 1);
      } catch (error) {
        failures.push(`${c.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(failures.slice(0, 5)).toEqual([]);
    expect(asExpected).toBe(TOTAL);
    expect(host.child.exitCode).toBeNull();
    const rssAfter = rss('VmRSS');
    const peak = rss('VmHWM');
    expect(rssAfter - rssBefore, `RSS ${rssBefore} -> ${rssAfter}, peak ${peak}`).toBeLessThan(100 * 1024 * 1024);
    expect(peak - rssBefore).toBeLessThan(200 * 1024 * 1024);

    // Default head bound: 10 s, swept every second (Node's own sweep, every 30 s, would let them live up to 40 s). Each gets 408 and is closed.
    const closed = await Promise.all(loris.map((l) => l.closed(30_000)));
    for (const ms of closed) expect(ms).toBeLessThanOrEqual(16_000);
    for (const l of loris) expect(l.received()).toMatch(/^HTTP\/1\.1 408/);
    expect(host.child.exitCode).toBeNull();

    recordReliability('web-host-concurrent', {
      area: 'Web host attacks',
      measure: `concurrent requests to the web host process (${cases.length} kinds: authorised commands, invalid and unknown ones, no or wrong token, foreign Host, static files), while 10 slow-loris heads are open`,
      value: asExpected,
      outcome: `every one answered as it should (${statuses.get(200) ?? 0} × 200, of which ${(2 * TOTAL) / cases.length} typed INVALID_REQUEST/UNKNOWN_COMMAND; ${statuses.get(401) ?? 0} × 401; ${statuses.get(421) ?? 0} × 421); process alive, RSS growth < 100 MB; the 10 slow-loris heads answered 408 and closed within 16 s`,
    });
  }, 90_000);

  it('closes a keep-alive connection left idle after its answer within keepAliveTimeout (5 s)', async () => {
    const conn = await rawConnection(host.port, { head: `POST /api/app.info HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}` });
    const ms = await conn.closed(15_000);
    expect(conn.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*"transport":"web"/);
    expect(conn.received()).toMatch(/keep-alive/i);
    expect(ms).toBeGreaterThanOrEqual(4_500);
    expect(ms).toBeLessThanOrEqual(8_000);
  }, 20_000);

  it('answers a 100 KB header with 431 and a malformed request line with 400, and keeps serving', async () => {
    const port = host.port;
    const attempts = [
      { head: `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Big: ${'a'.repeat(100 * 1024)}\r\n\r\n`, status: 431 },
      { head: `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${Array.from({ length: 5000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`, status: 431 },
      { head: 'GARBAGE\r\n\r\n', status: 400 },
      { head: 'GET / HTTP/9.9\r\n\r\n', status: 400 },
      { head: `GET /\u0000 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`, status: 400 },
      { head: `POST /api/app.info HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n`, status: 400 },
    ];
    let answered = 0;
    for (const a of attempts) {
      const conn = await rawConnection(port, { head: a.head });
      expect(await conn.closed(5_000), a.head.slice(0, 40)).toBeLessThan(5_000);
      expect(conn.received(), a.head.slice(0, 40)).toMatch(new RegExp(`^HTTP/1\\.1 ${a.status} `));
      answered++;
    }
    expect(host.child.exitCode).toBeNull();
    const ok = await request(port, { method: 'POST', path: '/api/app.info', headers: { ...bearer(), ...json }, body: '{}' });
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { transport: 'web' } });
    recordReliability('web-host-malformed', {
      area: 'Web host attacks',
      measure: 'malformed request heads to the web host process (100 KB header, 5,000 headers, not HTTP, HTTP/9.9, NUL in the path, two Content-Lengths)',
      value: answered,
      outcome: 'each answered 431 or 400 and closed; process alive and serving',
    });
  }, 60_000);
});
