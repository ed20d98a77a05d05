import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { launchChromium } from '../../support/chromium.js';
import { devtoolsImportErrors } from '../../support/devtools-har.js';
import { harSchemaErrors, leaks } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/har');

// Secrets planted in a real Chromium session against a local server. Each is distinct from every
// other string of the page, so a byte search for it (and its encodings) has no false hits.
const jwt = (sub: string) =>
  `${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub, iat: 1714557600 })).toString('base64url')}.${Buffer.from(`sig-${sub}-0123456789`).toString('base64url')}`;
const PLANTED = {
  sessionCookie: 'sessQ7hL2zW9mX4v',
  csrfCookie: 'csrfK8pR3tY6uJ1n',
  bearer: jwt('bearer-user'),
  jwtHeader: jwt('asyncos-admin'),
  queryToken: 'qtokM5nB2vC8xZ4l',
  formPassword: 'FormPassw0rdSecret',
  jsonPassword: 'JsonPassw0rdSecret',
  clientSecret: 'clientSecretH3j6K9',
  loginPassphrase: 'ApplianceLoginPass1',
  responseJwt: jwt('response-body'),
  plainTextJwt: jwt('plain-text'),
  oauthCode: 'oauthCodeT4y7U0i3',
} as const;
const PROFILE_PASSWORD = 'ProfileVaultPw-91';
const INTERNAL_HOST = 'esa01.corp.example';

function page(): string {
  return `<!doctype html><html><head><title>corpus</title></head><body>
<form id="login" method="post" action="/login-form"><input name="username" value="alice"><input name="password" type="password"><button id="go">Sign in</button></form>
<script>
async function run() {
  await fetch('/api/data?access_token=${PLANTED.queryToken}&view=list', { headers: { Authorization: 'Bearer ${PLANTED.bearer}', jwtToken: '${PLANTED.jwtHeader}', 'X-Debug': '${Buffer.from(PROFILE_PASSWORD).toString('base64')}' } });
  await fetch('/esa/api/v2.0/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ data: { userName: btoa('admin'), passphrase: btoa('${PLANTED.loginPassphrase}') } }) });
  await fetch('/api/profile', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ user: 'alice', password: '${PLANTED.jsonPassword}', settings: { nested: { client_secret: '${PLANTED.clientSecret}' } } }) });
  await fetch('/api/plain');
  document.title = 'done';
}
</script></body></html>`;
}

let server: http.Server;
let origin = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    req.resume();
    req.on('end', () => {
      if (url.pathname === '/') {
        res.writeHead(200, { 'Content-Type': 'text/html', 'Set-Cookie': [`session=${PLANTED.sessionCookie}; Path=/; HttpOnly`, `csrftoken=${PLANTED.csrfCookie}; Path=/`] });
        res.end(page());
      } else if (url.pathname === '/api/data') json(200, { items: [1, 2, 3], host: INTERNAL_HOST, hint: PROFILE_PASSWORD });
      else if (url.pathname === '/esa/api/v2.0/login') json(200, { data: { userName: 'admin', role: 'admin', jwtToken: PLANTED.responseJwt } });
      else if (url.pathname === '/api/profile') json(403, { error: { code: 'E4017', message: 'There was a client error in the Secure Email module: E4017: Device is offline [409]' } });
      else if (url.pathname === '/api/plain') {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`debug dump: session token ${PLANTED.plainTextJwt} issued`);
      } else if (url.pathname === '/login-form') {
        res.writeHead(302, { Location: `/callback?code=${PLANTED.oauthCode}&state=xyz` });
        res.end();
      } else if (url.pathname === '/callback') {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html><body>signed in</body></html>');
      } else json(404, { error: 'Nothing matches the given URI' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function record(file: string): Promise<void> {
  const { browser, close } = await launchChromium();
  try {
    const context = await browser.newContext({ recordHar: { path: file, content: 'embed' } });
    const tab = await context.newPage();
    await tab.goto(`${origin}/`);
    await tab.evaluate('run()');
    await tab.waitForFunction(() => document.title === 'done');
    await tab.fill('input[name=password]', PLANTED.formPassword);
    await Promise.all([tab.waitForURL(/\/callback/), tab.click('#go')]);
    await context.close();
  } finally {
    await close();
  }
}

describe('corpus: HAR recorded from real Chromium', () => {
  it('holds every planted secret before, none of them (raw, base64, URL-encoded) after, and stays HAR 1.2', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const raw = path.join(dir, 'chromium.har');
    await record(raw);
    const secrets = [...Object.values(PLANTED), PROFILE_PASSWORD, INTERNAL_HOST];
    // The search must be able to fail: every secret is really in the recording.
    expect(leaks(raw, secrets).map((l) => l.split(' (as ')[0])).toEqual(expect.arrayContaining(secrets));

    const out = path.join(dir, 'clean.har');
    const { report } = await sanitizeHarFile(raw, out, { knownSecrets: [PROFILE_PASSWORD], keywords: [INTERNAL_HOST] });
    expect(leaks(out, secrets)).toEqual([]);
    const clean = JSON.parse(fs.readFileSync(out, 'utf8')) as { log: { entries: { request: { url: string; headers: { name: string; value: string }[]; cookies: { name: string; value: string }[] } }[] } };
    expect(harSchemaErrors(clean)).toEqual([]);
    expect(devtoolsImportErrors(clean)).toEqual([]);

    // Still useful: paths, parameter names, cookie names and harmless values stay.
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('/api/data?access_token=');
    expect(text).toContain('view=list');
    expect(text).toContain('state=xyz');
    expect(text).toContain('E4017: Device is offline [409]');
    // The same cookie value gets the same placeholder in the Cookie header and in cookies[].
    const withCookie = clean.log.entries.find((e) => e.request.cookies.some((c) => c.name === 'session'))!;
    const placeholder = withCookie.request.cookies.find((c) => c.name === 'session')!.value;
    expect(placeholder).toMatch(/^\[REDACTED:cookie:[0-9a-f]{6}\]$/);
    expect(withCookie.request.headers.find((h) => h.name.toLowerCase() === 'cookie')!.value).toContain(`session=${placeholder}`);
    for (const rule of ['authorization', 'cookie', 'header', 'query', 'form', 'json-field', 'login', 'jwt', 'secret', 'keyword', 'body-dropped'] as const) {
      expect(report.byRule[rule], rule).toBeGreaterThan(0);
    }
    expect(JSON.stringify(report)).not.toContain(PLANTED.jsonPassword);
  });

  it('without the profile, the known secret is left in place: that protection comes from the vault', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const raw = path.join(dir, 'chromium.har');
    await record(raw);
    const out = path.join(dir, 'clean.har');
    await sanitizeHarFile(raw, out, {});
    expect(leaks(out, [PROFILE_PASSWORD])).not.toEqual([]);
    expect(leaks(out, Object.values(PLANTED))).toEqual([]);
    // With bodies kept too, both copies import into DevTools.
    const kept = path.join(dir, 'kept.har');
    await sanitizeHarFile(raw, kept, { keepBodies: true });
    for (const file of [out, kept]) expect(devtoolsImportErrors(JSON.parse(fs.readFileSync(file, 'utf8'))), file).toEqual([]);
  });
});

describe('corpus: hand-made exports', () => {
  const cases = [
    {
      file: 'chrome-export.har',
      keywords: ['esa01.corp.example'],
      secrets: [
        'ChromeOauthCode98765',
        'ChromeXsrf5544',
        'ChromeSess1234567',
        'ChromeClientSecret42',
        'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjaHJvbWUtZXhwb3J0In0.Q2hyb21lRXhwb3J0U2lnbmF0dXJlMTIz',
        'ChromeApiKey0099',
        'ChromeRefresh777',
        'MIIEowIBAAKCAQEAx3fixtureKeyMaterial',
        'Chr0meBasicPass!',
        'ChromeWsToken5151',
        'ChromeJsToken3030',
        'esa01.corp.example',
      ],
      kept: ['ChromeWsProto', 'net::ERR_BLOCKED_BY_CLIENT', 'E4017: Device is offline [409]', '"_priority":"VeryHigh"', '198.51.100.7'],
    },
    {
      file: 'firefox-style.har',
      keywords: ['esa01.corp.example', 'ffadmin'],
      secrets: ['F1refoxPassphrase', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmaXJlZm94In0.RmlyZWZveFNpZ25hdHVyZTQ1Ng', 'FirefoxCookie8080', 'F1refoxFormPwd', '424242', 'FirefoxHtmlCsrf77', 'ffadmin', 'esa01.corp.example'],
      kept: ['ExpiredSignatureError.', '"name":"Firefox"', '"_securityState":"secure"', 'next=%2F'],
    },
  ];
  for (const c of cases) {
    it(`${c.file}: 0 planted secrets left, unknown fields kept, output is HAR 1.2`, async () => {
      const input = path.join(FIXTURES, c.file);
      expect(leaks(input, c.secrets).map((l) => l.split(' (as ')[0])).toEqual(expect.arrayContaining(c.secrets));
      const out = path.join(tempDir(), 'clean.har');
      await sanitizeHarFile(input, out, { keywords: c.keywords });
      expect(leaks(out, c.secrets)).toEqual([]);
      const text = fs.readFileSync(out, 'utf8');
      for (const k of c.kept) expect(text).toContain(k);
      expect(harSchemaErrors(JSON.parse(text))).toEqual([]);
      expect(devtoolsImportErrors(JSON.parse(text))).toEqual([]);
    });
  }

  it('every fixture, cleaned with and without kept bodies, imports into Chrome DevTools', async () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.har'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      for (const keepBodies of [false, true]) {
        const out = path.join(tempDir(), 'clean.har');
        await sanitizeHarFile(path.join(FIXTURES, file), out, { keepBodies, keywords: ['esa01.corp.example'] });
        expect(devtoolsImportErrors(JSON.parse(fs.readFileSync(out, 'utf8'))), `${file} keepBodies=${keepBodies}`).toEqual([]);
      }
    }
  });
});
