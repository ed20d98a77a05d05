import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAuthority, type Authority } from '../../fixtures/simulator/certs.js';
import { startCxd, type CxdStandIn } from '../../fixtures/simulator/cxd.js';
import { ROOT } from '../../support/web-host-process.js';

let root: Authority;
let cxd: CxdStandIn;

beforeAll(async () => {
  root = makeAuthority('Sim Cisco Cloud Root', 'Sim Cisco Systems');
  cxd = await startCxd({ mode: 'cxd-ok', issuer: root });
});
afterAll(async () => cxd?.close());

/** One PUT as a plain client would send it, optionally with Expect: 100-continue. */
function put(urlPath: string, auth: string | null, body: Buffer, expectContinue: boolean): Promise<{ status: number; continued: boolean }> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = https.request(new URL(urlPath, cxd.url), {
      method: 'PUT',
      ca: root.certPem,
      headers: { 'Content-Length': String(body.length), ...(auth ? { Authorization: `Basic ${Buffer.from(auth).toString('base64')}` } : {}), ...(expectContinue ? { Expect: '100-continue' } : {}) },
    });
    req.on('continue', () => {
      continued = true;
      req.end(body);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, continued }));
    });
    req.on('error', reject);
    if (expectContinue) req.flushHeaders();
    else req.end(body);
  });
}

describe('CXD stand-in', () => {
  it('stores a PUT to /home/<name> with the case number and token, byte for byte; refuses the rest as CXD does', async () => {
    const body = randomBytes(200_000);
    expect(await put('/home/a.zip', `698765432:${cxd.token}`, body, true)).toEqual({ status: 201, continued: true });
    const stored = cxd.stored.get('698765432/a.zip')!;
    expect(stored.sha256).toBe(createHash('sha256').update(body).digest('hex'));
    expect(fs.readFileSync(stored.path).equals(body)).toBe(true);
    // The same name again: a file on CXD cannot change.
    expect((await put('/home/a.zip', `698765432:${cxd.token}`, body, true)).status).toBe(409);
    // Wrong token, or a user that is no case number: 401 before 100 Continue, no body read.
    expect(await put('/home/b.zip', '698765432:wrong', body, true)).toEqual({ status: 401, continued: false });
    expect((await put('/home/b.zip', `admin:${cxd.token}`, body, true)).status).toBe(401);
    expect((await put('/home/b.zip', null, body, false)).status).toBe(401);
    expect((await put('/upload/b.zip', `698765432:${cxd.token}`, body, true)).status).toBe(404);
    expect(cxd.requests.filter((r) => r.status === 401 && r.expectContinue).every((r) => r.bodyBytes === 0)).toBe(true);
    expect(cxd.stored.size).toBe(1);
  });

  it('npm run sim -- --cxd-mode writes the stand-in into the endpoints file and prints its token', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/simulator/main.ts'), '--cxd-mode', 'cxd-bad-token', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`sim exited ${code}`)));
      });
      const info = JSON.parse(line) as { cxd: { mode: string; url: string; token: string }; endpointsFile: string };
      expect(info.cxd).toMatchObject({ mode: 'cxd-bad-token', url: expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/$/), token: expect.any(String) });
      expect(JSON.parse(fs.readFileSync(info.endpointsFile, 'utf8'))).toMatchObject({ cxd: info.cxd.url, trustedCaFile: expect.any(String) });
    } finally {
      // SIGTERM lets it close its servers and remove its temp folder.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    const bad = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'test/fixtures/simulator/main.ts'), '--cxd-mode', 'cxd-nope'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    bad.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    expect(await new Promise((resolve) => bad.once('exit', resolve))).toBe(2);
    expect(stderr).toMatch(/--cxd-mode: "cxd-nope" is not one of cxd-ok, cxd-bad-token, cxd-flaky, cxd-slow, cxd-stall/);
  }, 30_000);
});
