import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startWebHost, type WebHost } from '../../../electron/web/server.js';
import { testCore } from '../../support/core.js';
import { entry, har } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const CHROME = path.resolve(import.meta.dirname, '../../fixtures/har/chrome-export.har');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request whose body is streamed from a file or a buffer. */
function send(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string; file?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (opts.file) fs.createReadStream(opts.file).pipe(req);
    else req.end(opts.body);
  });
}

const json = (r: Reply) => JSON.parse(r.body.toString('utf8')) as { ok: boolean; value?: { id: string; name: string; entries: number }; error?: { code: string; message: string } };

describe('web host HAR upload and download', () => {
  let host: WebHost;
  let core: ReturnType<typeof testCore>;
  const octet = () => ({ Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/octet-stream' });
  const harDir = () => path.join(core.paths.tmp, 'har');
  const kept = () => (fs.existsSync(harDir()) ? fs.readdirSync(harDir()) : []);

  beforeEach(async () => {
    core = testCore();
    host = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir: tempDir(), har: core.har, maxUploadBytes: 64 * 1024 });
  });

  afterEach(async () => {
    await host.close();
    core.close();
  });

  it('refuses an upload without the token, from a foreign origin or cross-site, and of the wrong type', async () => {
    const body = fs.readFileSync(CHROME);
    expect((await send(host.port, { method: 'POST', path: '/files/har', headers: { 'Content-Type': 'application/octet-stream' }, body })).status).toBe(401);
    expect((await send(host.port, { method: 'POST', path: '/files/har', headers: { ...octet(), Origin: 'http://evil.example' }, body })).status).toBe(403);
    expect((await send(host.port, { method: 'POST', path: '/files/har', headers: { ...octet(), 'Sec-Fetch-Site': 'cross-site' }, body })).status).toBe(403);
    expect((await send(host.port, { method: 'POST', path: '/files/har', headers: { ...octet(), Host: 'evil.example' }, body })).status).toBe(421);
    expect((await send(host.port, { method: 'POST', path: '/files/har', headers: { ...octet(), 'Content-Type': 'text/plain' }, body })).status).toBe(415);
    expect(kept()).toEqual([]);
    expect(core.har.list()).toEqual([]);
  });

  it('streams a file in, reviews it through the contract and serves the sanitised copy as an attachment', async () => {
    const up = await send(host.port, { method: 'POST', path: `/files/har?name=${encodeURIComponent('Capture ü.har')}`, headers: { ...octet(), Origin: `http://127.0.0.1:${host.port}` }, file: CHROME });
    expect(up.status).toBe(200);
    const answer = json(up);
    expect(answer).toMatchObject({ ok: true, value: { name: 'Capture ü.har', entries: 5 } });
    const id = answer.value!.id;
    expect(fs.readFileSync(path.join(harDir(), id, 'Capture ü.har'))).toEqual(fs.readFileSync(CHROME));

    expect((await send(host.port, { path: `/files/har/${id}`, headers: { Authorization: `Bearer ${host.token}` } })).status).toBe(409);
    expect(await core.dispatcher.dispatch('har.review', { id })).toMatchObject({ ok: true });
    expect((await send(host.port, { path: `/files/har/${id}` })).status).toBe(401);
    const down = await send(host.port, { path: `/files/har/${id}`, headers: { Authorization: `Bearer ${host.token}` } });
    expect(down.status).toBe(200);
    expect(down.headers['content-disposition']).toBe(`attachment; filename="Capture _.sanitised.har"; filename*=UTF-8''${encodeURIComponent('Capture ü.sanitised.har')}`);
    expect(down.headers['content-type']).toBe('application/json');
    const sanitised = JSON.parse(down.body.toString('utf8')) as { log: { entries: unknown[] } };
    expect(sanitised.log.entries).toHaveLength(5);
    expect(down.body.includes('BEGIN RSA PRIVATE KEY')).toBe(false);
    expect((await send(host.port, { path: '/files/har/0123456789abcdef', headers: { Authorization: `Bearer ${host.token}` } })).status).toBe(404);
  });

  it('answers a broken file with the located error and keeps nothing of it', async () => {
    const text = JSON.stringify(har([entry(), { ...entry(), request: { method: 'GET' } }]));
    const up = await send(host.port, { method: 'POST', path: '/files/har?name=broken.har', headers: octet(), body: text });
    expect(up.status).toBe(200);
    const answer = json(up);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(answer.error!.message).toMatch(/^broken\.har: .*log\.entries\[1\]\.request.*entry 1.*byte \d+/);
    const truncated = await send(host.port, { method: 'POST', path: '/files/har?name=cut.har', headers: octet(), body: text.slice(0, 200) });
    expect(json(truncated)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/^cut\.har: /) } });
    expect(kept()).toEqual([]);
  });

  it('refuses an upload over the size cap, declared or streamed, and keeps nothing', async () => {
    const big = Buffer.alloc(65 * 1024, 0x20);
    expect((await send(host.port, { method: 'POST', path: '/files/har', headers: octet(), body: big })).status).toBe(413);
    // Chunked, so the size is only known once it is too late: the stream is cut and the file removed.
    const chunked = await new Promise<number>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port: host.port, method: 'POST', path: '/files/har', headers: { Host: `127.0.0.1:${host.port}`, ...octet(), 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve(-1));
      for (let i = 0; i < 10; i++) req.write(Buffer.alloc(16 * 1024, 0x20));
      req.end();
    });
    expect([413, -1]).toContain(chunked);
    await new Promise((r) => setTimeout(r, 100));
    expect(kept()).toEqual([]);
  });

  it('cuts off a body that stalls, but waits for a slow answer once the body is in', async () => {
    const slow = testCore();
    const stalls = await startWebHost({
      dispatcher: { dispatch: async () => (await new Promise((r) => setTimeout(r, 600)), { ok: true, value: 'late' }) },
      bus: slow.bus,
      log: slow.log,
      staticDir: tempDir(),
      har: { reserve: (n: string) => slow.har.reserve(n), release: (i: string) => slow.har.release(i), sanitizedFile: (i: string) => slow.har.sanitizedFile(i), adopt: async (i: string, f: string) => (await new Promise((r) => setTimeout(r, 600)), slow.har.adopt(i, f)) },
      idleMs: 300,
    });
    try {
      const auth = { Authorization: `Bearer ${stalls.token}` };
      const answer = await send(stalls.port, { method: 'POST', path: '/api/app.info', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
      expect(JSON.parse(answer.body.toString())).toEqual({ ok: true, value: 'late' });
      const up = await send(stalls.port, { method: 'POST', path: '/files/har?name=c.har', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, file: CHROME });
      expect(json(up)).toMatchObject({ ok: true, value: { name: 'c.har' } });
      // Half a body, then silence: the connection is dropped and the partial file removed.
      const cut = await new Promise<string>((resolve) => {
        const req = http.request({ host: '127.0.0.1', port: stalls.port, method: 'POST', path: '/files/har?name=half.har', headers: { Host: `127.0.0.1:${stalls.port}`, ...auth, 'Content-Type': 'application/octet-stream', 'Content-Length': '1000' } });
        req.on('error', (e) => resolve((e as NodeJS.ErrnoException).code ?? 'error'));
        req.on('response', (res) => resolve(String(res.statusCode)));
        req.write('{"log": {');
      });
      expect(cut).toBe('ECONNRESET');
      await new Promise((r) => setTimeout(r, 100));
      expect(fs.readdirSync(path.join(slow.paths.tmp, 'har'))).toHaveLength(1);
    } finally {
      await stalls.close();
      slow.close();
    }
  });
});
