import fs from 'node:fs';

/**
 * Writes a HAR of realistic shape, as Chrome DevTools exports it (pretty-printed): XDR JSON API
 * calls with cookies and bearer JWTs, AsyncOS logins, OAuth callbacks, JS/CSS/HTML, base64 images.
 * Deterministic (seeded), streamed to disk, any size. Answers the secrets it planted.
 */

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export const PLANTED = {
  session: 'benchSessionCookie9QzX',
  bearer: `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"bench-user","scope":"xdr"}').toString('base64url')}.YmVuY2gtc2lnbmF0dXJlLWJ5dGVz`,
  passphrase: 'BenchAppliancePass42',
  oauthCode: 'benchOauthCodeR7t2',
  apiKey: 'benchApiKeyW3e8',
};

export function generateHar(file: string, targetBytes: number, seed = 1): { entries: number; bytes: number } {
  const rand = rng(seed);
  const word = (n: number) => Array.from({ length: n }, () => ALNUM[Math.floor(rand() * ALNUM.length)]).join('');
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const jsPool = Array.from({ length: 12 }, () => {
    const parts: string[] = [];
    const size = 30_000 + Math.floor(rand() * 250_000);
    for (let n = 0; n < size; ) {
      const line = `function ${word(6)}(a,b){var c=a.${word(5)}("${word(12)}");if(c&&b>${Math.floor(rand() * 999)}){return c.map(function(d){return d.${word(4)}+"${word(8)}"})}return null}\n`;
      parts.push(line);
      n += line.length;
    }
    return parts.join('');
  });
  const cssPool = Array.from({ length: 8 }, () => Array.from({ length: 200 + Math.floor(rand() * 800) }, () => `.${word(8)}{margin:${Math.floor(rand() * 20)}px;color:#${word(6)}}`).join('\n'));
  const htmlPool = Array.from({ length: 6 }, () => `<!doctype html><html><head><meta name="csrf-token" content="${word(32)}"></head><body>${Array.from({ length: 400 }, () => `<div class="${word(6)}">${word(40)}</div>`).join('')}</body></html>`);
  const imgPool = Array.from({ length: 10 }, () => Buffer.from(Array.from({ length: 5_000 + Math.floor(rand() * 70_000) }, () => Math.floor(rand() * 256))).toString('base64'));
  const jsonPool = Array.from({ length: 16 }, () =>
    JSON.stringify({
      data: Array.from({ length: 5 + Math.floor(rand() * 120) }, (_, k) => ({ id: `${word(8)}-${k}`, type: pick(['sighting', 'judgement', 'indicator']), observable: { type: 'ip', value: `198.51.100.${k % 255}` }, severity: pick(['High', 'Medium', 'Low']), timestamp: '2024-05-01T10:00:00.000Z', description: word(60) })),
      meta: { total: 100, next: null },
    }),
  );
  const chromeHeaders = (host: string) => [
    { name: ':authority', value: host },
    { name: ':method', value: 'GET' },
    { name: 'accept', value: 'application/json, text/plain, */*' },
    { name: 'accept-encoding', value: 'gzip, deflate, br, zstd' },
    { name: 'accept-language', value: 'en-US,en;q=0.9,de;q=0.8' },
    { name: 'sec-ch-ua', value: '"Chromium";v="130", "Not?A_Brand";v="99"' },
    { name: 'sec-fetch-dest', value: 'empty' },
    { name: 'sec-fetch-mode', value: 'cors' },
    { name: 'user-agent', value: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36' },
  ];
  const responseHeaders = (mime: string) => [
    { name: 'content-type', value: mime },
    { name: 'date', value: 'Wed, 01 May 2024 10:00:00 GMT' },
    { name: 'server', value: 'nginx' },
    { name: 'strict-transport-security', value: 'max-age=31536000; includeSubDomains' },
    { name: 'x-request-id', value: word(24) },
    { name: 'cache-control', value: 'no-store' },
  ];
  /** Static resources between the API calls (below 0.55) and the OAuth redirects (from 0.9), by the share `upTo` ends at. */
  const ASSETS = [
    { upTo: 0.63, mimeType: 'application/javascript', pool: jsPool, resourceType: 'script', base64: false },
    { upTo: 0.68, mimeType: 'text/css', pool: cssPool, resourceType: 'stylesheet', base64: false },
    { upTo: 0.72, mimeType: 'text/html', pool: htmlPool, resourceType: 'document', base64: false },
    { upTo: 0.9, mimeType: 'image/png', pool: imgPool, resourceType: 'image', base64: true },
  ];
  let time = Date.UTC(2024, 4, 1, 10, 0, 0);
  const make = (i: number) => {
    time += Math.floor(rand() * 40);
    const kind = rand();
    const host = pick(['xdr.eu.security.cisco.com', 'visibility.eu.amp.cisco.com', 'cdn.xdr.example', 'esa01.corp.example:6443']);
    const base = {
      _initiator: { type: 'script', stack: { callFrames: [{ functionName: word(6), scriptId: String(i % 90), url: `https://${host}/static/app.${word(8)}.js`, lineNumber: 1, columnNumber: Math.floor(rand() * 9999) }] } },
      _priority: 'High',
      _resourceType: 'fetch',
      cache: {},
      _connectionId: String(1000 + (i % 50)),
      pageref: 'page_1',
      serverIPAddress: '203.0.113.10',
      startedDateTime: new Date(time).toISOString(),
      time: 5 + rand() * 400,
      timings: { blocked: rand() * 3, dns: -1, ssl: -1, connect: -1, send: 0.2, wait: rand() * 300, receive: rand() * 40, _blocked_queueing: rand() },
    };
    const reqHeaders = chromeHeaders(host);
    const request = { method: 'GET', url: `https://${host}/iroh/iroh-enrich/observe/${word(10)}?limit=100&offset=${i}`, httpVersion: 'http/2.0', headers: reqHeaders, queryString: [{ name: 'limit', value: '100' }, { name: 'offset', value: String(i) }], cookies: [] as { name: string; value: string }[], headersSize: -1, bodySize: 0 } as Record<string, unknown>;
    const response = { status: 200, statusText: '', httpVersion: 'http/2.0', headers: responseHeaders('application/json'), cookies: [] as unknown[], content: { size: 0, mimeType: 'application/json', text: '' } as Record<string, unknown>, redirectURL: '', headersSize: -1, bodySize: -1, _transferSize: 900, _error: null };
    const content = response.content;
    if (kind < 0.55) {
      reqHeaders.push({ name: 'authorization', value: `Bearer ${PLANTED.bearer}` }, { name: 'cookie', value: `XSRF-TOKEN=${word(20)}; session=${PLANTED.session}; _ga=GA1.1.${word(9)}` });
      (request.cookies as unknown[]).push({ name: 'XSRF-TOKEN', value: word(20) }, { name: 'session', value: PLANTED.session });
      content.text = pick(jsonPool);
      if (rand() < 0.05) response.status = pick([401, 409, 500]);
    } else if (kind < 0.9) {
      const asset = ASSETS.find((x) => kind < x.upTo)!;
      content.mimeType = asset.mimeType;
      content.text = pick(asset.pool);
      if (asset.base64) content.encoding = 'base64';
      base._resourceType = asset.resourceType;
    } else if (kind < 0.95) {
      request.url = `https://xdr.eu.security.cisco.com/callback?code=${PLANTED.oauthCode}&state=${word(16)}`;
      request.queryString = [{ name: 'code', value: PLANTED.oauthCode }, { name: 'state', value: word(16) }];
      response.status = 302;
      response.headers.push({ name: 'location', value: `https://xdr.eu.security.cisco.com/#access_token=${PLANTED.bearer}&token_type=Bearer` }, { name: 'set-cookie', value: `session=${PLANTED.session}; Path=/; Secure; HttpOnly` });
      content.text = '';
    } else if (kind < 0.97) {
      request.method = 'POST';
      request.url = 'https://esa01.corp.example:6443/esa/api/v2.0/login';
      request.postData = { mimeType: 'application/json', text: JSON.stringify({ data: { userName: Buffer.from('admin').toString('base64'), passphrase: Buffer.from(PLANTED.passphrase).toString('base64') } }) };
      content.text = JSON.stringify({ data: { userName: 'admin', role: 'admin', jwtToken: PLANTED.bearer, email: ['admin@corp.example'] } });
    } else {
      reqHeaders.push({ name: 'x-api-key', value: PLANTED.apiKey });
      request.method = 'POST';
      request.postData = { mimeType: 'application/json', text: JSON.stringify({ query: word(80), client_secret: word(24), options: { page: i } }) };
      content.text = JSON.stringify({ errors: [{ code: 'E4017', message: 'There was a client error in the Secure Email module: E4017: Device is offline [409]' }] });
      response.status = 409;
    }
    content.size = (content.text as string).length;
    return { ...base, request, response };
  };
  const fd = fs.openSync(file, 'w');
  let bytes = 0;
  const put = (s: string) => {
    const b = Buffer.from(s);
    fs.writeSync(fd, b);
    bytes += b.length;
  };
  put(`{\n  "log": {\n    "version": "1.2",\n    "creator": { "name": "WebInspector", "version": "537.36" },\n    "pages": [{ "startedDateTime": "2024-05-01T10:00:00.000Z", "id": "page_1", "title": "https://xdr.eu.security.cisco.com/", "pageTimings": { "onContentLoad": 800, "onLoad": 1500 } }],\n    "entries": [`);
  let n = 0;
  let batch: string[] = [];
  let batchLength = 0;
  while (bytes + batchLength < targetBytes) {
    const text = `${n === 0 ? '\n' : ',\n'}      ${JSON.stringify(make(n), null, 2).replace(/\n/g, '\n      ')}`;
    batch.push(text);
    batchLength += text.length;
    n++;
    if (batchLength > 8 * 2 ** 20) {
      put(batch.join(''));
      batch = [];
      batchLength = 0;
    }
  }
  put(`${batch.join('')}\n    ]\n  }\n}\n`);
  fs.closeSync(fd);
  return { entries: n, bytes };
}
