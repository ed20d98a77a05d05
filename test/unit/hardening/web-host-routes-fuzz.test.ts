import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { errorCodes } from '../../../electron/contract/result.js';
import { startWebHost, type WebHost } from '../../../electron/web/server.js';
import { assertProperty, listing } from '../../support/contract-fuzz.js';
import { testCore } from '../../support/core.js';
import { rawConnection, request, type Reply } from '../../support/raw-http.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';

/**
 * Everything the web host serves besides /api commands, with generated request targets: methods,
 * paths under every route, query strings, content types, and HAR upload names. Nothing may answer
 * 500 or hang up without an answer, every refusal is a typed JSON error, and a failed upload
 * leaves nothing behind.
 */

const SEED = 0x7e_b0057;

describe('web host routes fuzzing', () => {
  let core: ReturnType<typeof testCore>;
  let host: WebHost;

  beforeAll(async () => {
    core = testCore();
    const staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    host = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir, har: core.har, archive: core.archive });
  });

  afterAll(async () => {
    await host.close();
    core.close();
  });

  const STATIC_OK = new Set(['/', '/index.html', '/assets/app.js']);

  function expectTypedOrServed(r: Reply, label: string): void {
    expect(r.status, label).toBeLessThan(500);
    if (r.status === 200 && !String(r.headers['content-type']).startsWith('application/json')) return;
    if (r.status === 303) return;
    const body = r.body === '' ? null : (JSON.parse(r.body) as { ok: boolean; error?: { code: string } });
    if (r.status === 200) {
      expect(body, label).not.toBeNull();
      return;
    }
    expect(body, label).toMatchObject({ ok: false });
    expect(errorCodes, label).toContain(body!.error!.code);
  }

  const segment = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
    fc.constantFrom('..', '%2e%2e', '%2f', '%00', '%', '%zz', '%E0%A4%A', 'index.html', 'app.js', 'assets', '0123456789abcdef', '0123456789ABCDEF', 'x'.repeat(300)),
  );
  const route = fc.constantFrom('/', '/api/', '/api/events', '/files/har', '/files/har/', '/files/archive/', '/launch', '/assets/', '//', '/api/settings.get');
  const target = fc
    .tuple(route, fc.array(segment, { maxLength: 3 }), fc.option(fc.dictionary(segment, segment, { maxKeys: 3 })))
    .map(([r, segs, query]) => `${r}${segs.join('/')}${query ? `?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&')}` : ''}`);

  it('reads a request target only as a path: "//" is a path, "*" and absolute URLs are refused typed, "//host/api/…" runs nothing (found by this fuzzing)', async () => {
    const bearer = { Authorization: `Bearer ${host.token}` };
    // "//" did not parse against a base: the handler threw and the failure was logged as the host's own.
    for (const [method, target, answer] of [['GET', '//', '404 .*"code":"NOT_FOUND"'], ['OPTIONS', '*', '400 .*"code":"INVALID_REQUEST"'], ['GET', 'http://127.0.0.1/', '400 .*"code":"INVALID_REQUEST"']] as const) {
      const raw = await rawConnection(host.port, { head: `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: ${bearer.Authorization}\r\nConnection: close\r\n\r\n` });
      await raw.closed(5_000);
      expect(raw.received(), target).toMatch(new RegExp(`^HTTP/1\\.1 ${answer}`, 's'));
    }
    // Parsed against a base, this was host evil.example and path /api/settings.set, and it ran.
    const r = await request(host.port, { method: 'POST', path: '//evil.example/api/settings.set', headers: { ...bearer, 'Content-Type': 'application/json' }, body: '{"theme":"dark"}' });
    expect(r.status).toBe(405);
    expect(core.settings.get().theme).toBe('system');
    expect(core.logger.lines.filter((l) => /request failed/.test(l))).toEqual([]);
  });

  it('takes an upload under a long multi-byte name, cut to fit a file system, instead of hanging up (found by this fuzzing)', async () => {
    const har = fs.readFileSync(path.resolve(import.meta.dirname, '../../fixtures/har/chrome-export.har'));
    const upload = (name: string, body: Buffer) =>
      request(host.port, { method: 'POST', path: `/files/har?name=${encodeURIComponent(name)}`, headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' }, body: body.toString('latin1') });
    // 180 characters, 540 bytes of UTF-8: over the 255 bytes a file name may have.
    const refused = await upload(`${'日本語'.repeat(60)}.har`, Buffer.from('not json'));
    expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const taken = await upload(`${'😀'.repeat(100)}.har`, har);
    const value = (JSON.parse(taken.body) as { ok: boolean; value: { id: string; name: string } }).value;
    expect(value.name.endsWith('😀.har')).toBe(true);
    expect(Buffer.byteLength(value.name)).toBeLessThanOrEqual(200);
    await core.dispatcher.dispatch('har.remove', { id: value.id });
  });

  it('answers generated request targets on every route with a typed error or the resource, never a 500', async () => {
    let tried = 0;
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'),
        target,
        fc.constantFrom(undefined, 'application/json', 'application/octet-stream', 'text/plain', 'application/json; charset=utf-16'),
        fc.string({ maxLength: 60 }),
        async (method, pathAndQuery, type, body) => {
          // The event stream never ends: it is opened and checked by the web host tests.
          if (/^\/api\/events(\?|$)/.test(pathAndQuery) && method === 'GET') return;
          tried++;
          const r = await request(host.port, { method, path: pathAndQuery, headers: { Authorization: `Bearer ${host.token}`, ...(type ? { 'Content-Type': type } : {}) }, ...(method === 'GET' || method === 'HEAD' ? {} : { body }) });
          if (method === 'HEAD') return void expect(r.status).toBeLessThan(500);
          if (r.status === 200 && !pathAndQuery.startsWith('/api/') && !pathAndQuery.startsWith('/files/')) expect(STATIC_OK.has(pathAndQuery.split('?')[0]!), pathAndQuery).toBe(true);
          expectTypedOrServed(r, `${method} ${pathAndQuery}`);
        },
      ),
      { seed: SEED, numRuns: 600 },
    );
    expect(core.logger.lines.filter((l) => /request failed|command failed/.test(l))).toEqual([]);
    expect(tried).toBeGreaterThan(500);
    recordReliability('web-host-routes-fuzz', {
      area: 'Web host attacks',
      measure: 'generated request targets (methods, paths under every route, query strings, content types) with the token',
      value: tried,
      outcome: 'no 500, no answerless hang-up; every refusal a typed JSON error; only the renderer files served',
    });
  }, 120_000);

  it('answers an upload under any file name with a typed refusal of its content and leaves nothing behind', async () => {
    // The HAR area itself appears with the first upload; nothing may remain inside it.
    const files = () => listing(core.paths.root).filter((f) => f !== 'tmp/har/');
    const before = files();
    let tried = 0;
    await assertProperty(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 200 }), fc.constantFrom('../../x.har', '/etc/passwd', 'a\u0000b', '..', '.', 'CON', '日本語'.repeat(60), '😀'.repeat(120))), fc.uint8Array({ maxLength: 200 }), async (name, bytes) => {
        tried++;
        const r = await request(host.port, {
          method: 'POST',
          path: `/files/har?name=${encodeURIComponent(name)}`,
          headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' },
          body: Buffer.from(bytes).toString('latin1'),
        });
        expect(r.status, name).toBe(200);
        const answer = JSON.parse(r.body) as { ok: boolean; error: { code: string } };
        expect(answer.ok, name).toBe(false);
        // Not JSON at all is a file of the wrong kind; anything else is an invalid HAR.
        expect(['INVALID_REQUEST', 'UNSUPPORTED_MEDIA_TYPE'], name).toContain(answer.error.code);
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(files()).toEqual(before);
    expect(core.har.list()).toEqual([]);
    recordReliability('web-host-upload-names', {
      area: 'Web host attacks',
      measure: 'HAR uploads of junk under generated file names (any Unicode, long multi-byte names, path separators, NUL, dot names)',
      value: tried,
      outcome: 'each refused with a typed error (INVALID_REQUEST or UNSUPPORTED_MEDIA_TYPE), never a hang-up; nothing left in the data folder',
    });
  }, 120_000);
});
