import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import fs from 'node:fs';
import { faultModes } from '../../fixtures/simulator/appliance.js';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';

interface Reply {
  status: number;
  body: Record<string, unknown>;
  fingerprint?: string;
}

/** A plain client for the simulator; trusts the appliance's self-signed certificate by fingerprint afterwards. */
function call(sim: Simulator, opts: { transport?: 'https' | 'http'; method?: string; path: string; headers?: Record<string, string>; body?: unknown }): Promise<Reply> {
  const transport = opts.transport ?? 'https';
  return new Promise((resolve, reject) => {
    const lib = transport === 'https' ? https : http;
    const req = lib.request(
      {
        host: '127.0.0.1',
        port: transport === 'https' ? sim.httpsPort : sim.httpPort,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { 'Content-Type': 'application/json', ...opts.headers },
        ...(transport === 'https' ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        // Read the peer certificate now: after 'end' the socket may already be released.
        const peer = transport === 'https' ? (res.socket as tls.TLSSocket).getPeerX509Certificate() : undefined;
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, ...(peer ? { fingerprint: createHash('sha256').update(peer.raw).digest('hex') } : {}) });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(JSON.stringify(opts.body));
    req.end();
  });
}

const basic = (sim: Simulator, pass = sim.password) => ({ Authorization: `Basic ${Buffer.from(`${sim.username}:${pass}`).toString('base64')}` });
const login = (sim: Simulator, pass = sim.password, version = 'v2.0') =>
  call(sim, { method: 'POST', path: `/esa/api/${version}/login`, body: { data: { userName: Buffer.from(sim.username).toString('base64'), passphrase: Buffer.from(pass).toString('base64') } } });

function connectRefused(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

function cloudHandshake(sim: Simulator): Promise<{ authorized: boolean; issuer: string; error: string | null }> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port: sim.cloud.port, servername: 'api.eu.sse.itd.cisco.com', ca: [sim.cloud.genuineRoot.certPem], rejectUnauthorized: false }, () => {
      const issuer = s.getPeerX509Certificate()?.issuer ?? '';
      resolve({ authorized: s.authorized, issuer, error: s.authorizationError ? String(s.authorizationError) : null });
      s.destroy();
    });
    s.on('error', reject);
  });
}

describe('appliance simulator', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('lists every fault mode the checks must recognise', () => {
    expect([...faultModes].sort()).toEqual(
      ['api-off', 'bad-credentials', 'changed-certificate', 'clock-skew', 'cloud-foreign-ca', 'cloud-unreachable', 'healthy', 'http-off', 'jwt-expiry', 'old-version', 'resource-pressure', 'slow'].sort(),
    );
  });

  it('healthy: JWT login, privileges, health and time over HTTPS; Basic auth; HTTP; genuine cloud TLS', async () => {
    sim = await startSimulator();
    const l = await login(sim);
    expect(l.status).toBe(200);
    const data = l.body.data as { userName: string; role: string; jwtToken: string };
    expect(data).toMatchObject({ userName: 'admin', role: 'Administrator' });
    expect(data.jwtToken.split('.')).toHaveLength(3);
    expect(l.fingerprint).toBe(sim.pinnedSha256);
    const jwt = { jwtToken: data.jwtToken };
    expect((await call(sim, { path: '/esa/api/v2.0/login/privileges', headers: jwt })).body.data).toEqual(expect.arrayContaining(['e_cfg_monitoring']));
    expect((await call(sim, { path: '/esa/api/v2.0/health', headers: basic(sim) })).body.data).toMatchObject({ resource_conservation: 0, percentage_cpu_load: 12 });
    const time = (await call(sim, { path: '/esa/api/v2.0/config/system_time?device_type=esa', headers: jwt })).body.data as { time: string; timezone: string };
    expect(Math.abs(Date.parse(time.time) - Date.now())).toBeLessThan(5000);
    expect((await call(sim, { transport: 'http', path: '/esa/api/v2.0/health', headers: basic(sim) })).status).toBe(200);
    expect(await cloudHandshake(sim)).toMatchObject({ authorized: true, issuer: expect.stringContaining('Sim Cisco Cloud Root') });
    expect(JSON.parse(fs.readFileSync(sim.endpointsFile, 'utf8'))).toMatchObject({ threatResponse: `https://127.0.0.1:${sim.cloud.port}/`, trustedCaFile: expect.any(String) });
    expect(sim.requests.filter((r) => r.auth === 'jwt')).toHaveLength(2);
  });

  it('answers the documented errors: no auth, unknown URI, v1.0 gone', async () => {
    sim = await startSimulator();
    expect(await call(sim, { path: '/esa/api/v2.0/health' })).toMatchObject({ status: 401, body: { error: { message: 'Unauthorized.', code: '401' } } });
    expect(await call(sim, { path: '/esa/api/v2.0/nope', headers: basic(sim) })).toMatchObject({ status: 404, body: { error: { message: 'Nothing matches the given URI' } } });
    expect((await call(sim, { path: '/esa/api/v1.0/health', headers: basic(sim) })).status).toBe(404);
  });

  it('api-off: nothing listens on either port', async () => {
    sim = await startSimulator({ mode: 'api-off' });
    expect(await connectRefused(sim.httpsPort)).toBe('ECONNREFUSED');
    expect(await connectRefused(sim.httpPort)).toBe('ECONNREFUSED');
  });

  it('http-off: HTTPS answers, HTTP does not', async () => {
    sim = await startSimulator({ mode: 'http-off' });
    expect((await call(sim, { path: '/esa/api/v2.0/health', headers: basic(sim) })).status).toBe(200);
    await expect(call(sim, { transport: 'http', path: '/esa/api/v2.0/health' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('bad-credentials: login and Basic auth are refused as documented', async () => {
    sim = await startSimulator({ mode: 'bad-credentials' });
    expect(await login(sim)).toMatchObject({ status: 401, body: { error: { message: 'Invalid username or passphrase.' } } });
    expect((await call(sim, { path: '/esa/api/v2.0/health', headers: basic(sim) })).status).toBe(401);
  });

  it('rejects a wrong password in healthy mode too', async () => {
    sim = await startSimulator();
    expect((await login(sim, 'wrong')).status).toBe(401);
  });

  it('jwt-expiry: the token from login is refused with ExpiredSignatureError', async () => {
    sim = await startSimulator({ mode: 'jwt-expiry' });
    const token = ((await login(sim)).body.data as { jwtToken: string }).jwtToken;
    expect(await call(sim, { path: '/esa/api/v2.0/health', headers: { jwtToken: token } })).toMatchObject({ status: 401, body: { error: { message: 'ExpiredSignatureError.' } } });
  });

  it('old-version: only v1.0 answers', async () => {
    sim = await startSimulator({ mode: 'old-version' });
    expect((await login(sim)).status).toBe(404);
    expect((await login(sim, sim.password, 'v1.0')).status).toBe(200);
  });

  it('slow: every answer is delayed', async () => {
    sim = await startSimulator({ mode: 'slow', slowMs: 300 });
    const t0 = Date.now();
    await call(sim, { path: '/esa/api/v2.0/health', headers: basic(sim) });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('clock-skew: the appliance clock runs ahead', async () => {
    sim = await startSimulator({ mode: 'clock-skew', clockSkewSeconds: 900 });
    const time = ((await call(sim, { path: '/esa/api/v2.0/config/system_time?device_type=esa', headers: basic(sim) })).body.data as { time: string }).time;
    expect((Date.parse(time) - Date.now()) / 1000).toBeGreaterThan(880);
  });

  it('resource-pressure: health reports conservation mode and high load', async () => {
    sim = await startSimulator({ mode: 'resource-pressure' });
    expect((await call(sim, { path: '/esa/api/v2.0/health', headers: basic(sim) })).body.data).toMatchObject({ resource_conservation: 1, percentage_cpu_load: 97 });
  });

  it('changed-certificate: the appliance presents a certificate other than the pinned one', async () => {
    sim = await startSimulator({ mode: 'changed-certificate' });
    const r = await call(sim, { path: '/esa/api/v2.0/health', headers: basic(sim) });
    expect(r.fingerprint).toBe(sim.presentedSha256);
    expect(sim.presentedSha256).not.toBe(sim.pinnedSha256);
  });

  it('cloud-unreachable: the Threat Response stand-in refuses connections', async () => {
    sim = await startSimulator({ mode: 'cloud-unreachable' });
    expect(await connectRefused(sim.cloud.port)).toBe('ECONNREFUSED');
  });

  it('cloud-foreign-ca: the cloud endpoint is intercepted by a foreign CA', async () => {
    sim = await startSimulator({ mode: 'cloud-foreign-ca' });
    const hs = await cloudHandshake(sim);
    expect(hs.authorized).toBe(false);
    expect(hs.issuer).toContain('Corp Inspection CA');
    expect(sim.cloud.presentedIssuer).toBe('Corp Inspection CA');
  });

  it('serves the SMA API under /sma/', async () => {
    sim = await startSimulator({ kind: 'sma' });
    expect((await call(sim, { path: '/sma/api/v2.0/health', headers: basic(sim) })).status).toBe(200);
    expect((await call(sim, { path: '/esa/api/v2.0/health', headers: basic(sim) })).status).toBe(404);
  });
});
