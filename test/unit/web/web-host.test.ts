import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { startWebHost, type WebHost } from '../../../electron/web/server.js';
import { testCore } from '../../support/core.js';
import { request } from '../../support/raw-http.js';
import { tempDir } from '../../support/temp.js';

describe('web host', () => {
  let host: WebHost;
  let core: ReturnType<typeof testCore>;
  let staticDir: string;
  const bearer = () => ({ Authorization: `Bearer ${host.token}` });
  const json = { 'Content-Type': 'application/json' };

  beforeEach(async () => {
    core = testCore();
    staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    fs.mkdirSync(path.join(staticDir, 'assets'));
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(staticDir), `${path.basename(staticDir)}-secret.txt`), 'outside');
    host = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir });
  });

  afterEach(async () => {
    await host.close();
    core.close();
    fs.rmSync(path.join(path.dirname(staticDir), `${path.basename(staticDir)}-secret.txt`), { force: true });
  });

  it('listens on 127.0.0.1 only, with a fresh 256-bit token', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
    const other = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir });
    expect(other.token).not.toBe(host.token);
    await other.close();
    // Nothing answers on another local address of this machine.
    const reached = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.2', port: host.port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });

  it('runs a command for a request that carries the token', async () => {
    const r = await request(host.port, { method: 'POST', path: '/api/settings.set', headers: { ...bearer(), ...json }, body: '{"language":"de"}' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, value: { language: 'de', theme: 'system', proxy: null } });
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('refuses requests without the token, with a wrong token, or with the token only in the URL', async () => {
    const attempts = [
      { method: 'POST', path: '/api/settings.get', headers: json, body: '{}' },
      { method: 'POST', path: '/api/settings.get', headers: { ...json, Authorization: 'Bearer wrong' }, body: '{}' },
      { method: 'POST', path: `/api/settings.get?token=${host.token}`, headers: json, body: '{}' },
      { path: '/' },
      { path: '/assets/app.js' },
      { path: '/api/events' },
      { path: '/launch?token=nope' },
    ];
    for (const a of attempts) {
      const r = await request(host.port, a);
      expect(r.status, a.path).toBe(401);
      expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    }
  });

  it('refuses a foreign Origin even with the right token', async () => {
    for (const origin of ['http://evil.example', `http://127.0.0.1:${host.port + 1}`, 'null', `https://127.0.0.1:${host.port}`]) {
      const r = await request(host.port, { method: 'POST', path: '/api/settings.get', headers: { ...bearer(), ...json, Origin: origin }, body: '{}' });
      expect(r.status, origin).toBe(403);
    }
    const sameOrigin = await request(host.port, {
      method: 'POST',
      path: '/api/settings.get',
      headers: { ...bearer(), ...json, Origin: `http://127.0.0.1:${host.port}` },
      body: '{}',
    });
    expect(sameOrigin.status).toBe(200);
  });

  it('refuses a cross-site fetch announced by Sec-Fetch-Site', async () => {
    const r = await request(host.port, { method: 'POST', path: '/api/settings.get', headers: { ...bearer(), ...json, 'Sec-Fetch-Site': 'cross-site' }, body: '{}' });
    expect(r.status).toBe(403);
  });

  it('refuses a Host header that does not name this server (DNS rebinding)', async () => {
    for (const h of ['evil.example', `evil.example:${host.port}`, '127.0.0.1', `127.0.0.1:${host.port + 1}`, `localhost.evil.example:${host.port}`]) {
      const r = await request(host.port, { method: 'POST', path: '/api/settings.get', headers: { ...bearer(), ...json, Host: h }, body: '{}' });
      expect(r.status, h).toBe(421);
    }
  });

  it('trades the launch token for a strict session cookie that then opens the UI', async () => {
    const launch = await request(host.port, { path: `/launch?token=${host.token}` });
    expect(launch.status).toBe(303);
    expect(launch.headers.location).toBe('/');
    const cookie = launch.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^xet_session_${host.port}=`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const jar = cookie.split(';')[0]!;
    const page = await request(host.port, { path: '/', headers: { Cookie: jar } });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    const api = await request(host.port, { method: 'POST', path: '/api/app.info', headers: { Cookie: jar, ...json }, body: '{}' });
    expect(JSON.parse(api.body)).toMatchObject({ ok: true, value: { transport: 'web' } });
  });

  it('never serves a file outside the renderer folder', async () => {
    const name = `${path.basename(staticDir)}-secret.txt`;
    for (const p of [`/../${name}`, `/%2e%2e/${name}`, `/assets/..%2f..%2f${name}`, '/%00index.html', '/assets/%5c..%5c..%5cx', '/%E0%A4%A']) {
      const r = await request(host.port, { path: p, headers: bearer() });
      expect([400, 404], p).toContain(r.status);
      expect(r.body).not.toContain('outside');
    }
  });

  it('answers typed errors for unknown commands and bad payloads, never a 500', async () => {
    const unknown = await request(host.port, { method: 'POST', path: '/api/profiles.nuke', headers: { ...bearer(), ...json }, body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
    const bad = await request(host.port, { method: 'POST', path: '/api/settings.set', headers: { ...bearer(), ...json }, body: '{"theme":1}' });
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'theme' } });
    const broken = await request(host.port, { method: 'POST', path: '/api/settings.set', headers: { ...bearer(), ...json }, body: '{"theme":' });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const wrongType = await request(host.port, { method: 'POST', path: '/api/settings.get', headers: { ...bearer(), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(wrongType.status).toBe(415);
    const wrongMethod = await request(host.port, { method: 'GET', path: '/api/settings.get', headers: bearer() });
    expect(wrongMethod.status).toBe(405);
  });

  it('refuses an oversized body without reading it into memory', async () => {
    const big = JSON.stringify({ language: 'x'.repeat(2 * 1024 * 1024) });
    const r = await request(host.port, { method: 'POST', path: '/api/settings.set', headers: { ...bearer(), ...json }, body: big });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'TOO_LARGE' } });
  });

  it('streams contract events to an authenticated client', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Host: `127.0.0.1:${host.port}`, ...bearer() } }, (res) => {
        expect(res.headers['content-type']).toContain('text/event-stream');
        let text = '';
        res.setEncoding('utf8');
        let asked = false;
        res.on('data', (chunk: string) => {
          text += chunk;
          if (!asked && text.includes(': connected')) {
            asked = true;
            void core.dispatcher.dispatch('settings.set', { theme: 'dark', proxy: null });
          }
          if (text.includes('event: settings.changed')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
    });
    expect(received).toContain('event: settings.changed\ndata: {"language":"en","theme":"dark","proxy":null}');
  });

  it('drops an event that comes after a stream was ended by the host stopping, instead of writing after its end', async () => {
    const other = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir });
    const writes: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: other.port, path: '/api/events', headers: { Host: `127.0.0.1:${other.port}`, Authorization: `Bearer ${other.token}` } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          writes.push(chunk);
          if (chunk.includes(': connected')) resolve();
        });
        res.on('error', () => undefined);
      });
      req.on('error', () => undefined);
      setTimeout(() => reject(new Error('no stream')), 5000).unref();
    });
    // The stream is ended; its 'close' has not come yet when the event is emitted.
    const closing = other.close();
    expect(() => core.bus.emit('settings.changed', { language: 'en', theme: 'light', proxy: null })).not.toThrow();
    await closing;
    expect(writes.join('')).not.toContain('event: settings.changed');
  });
});
