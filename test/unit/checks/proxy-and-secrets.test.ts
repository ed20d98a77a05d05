import fs from 'node:fs';
import path from 'node:path';
import { encodedForms } from '../../../electron/core/logging/redactor.js';
import { startSimulator } from '../../fixtures/simulator/simulator.js';
import { statusOf, VAULT_PASSPHRASE } from '../../support/checks.js';
import { testCore } from '../../support/core.js';
import { connectProxy } from '../../support/connect-proxy.js';
import { filesUnder } from '../../support/planted-secret.js';
import { tempDir } from '../../support/temp.js';

const PROXY_USER = 'corp-user';
const PROXY_PASSWORD = 'Pl4nted-proxy-pw!';
const TOKEN = '0123456789abcdef0123456789abcdef';


describe('cloud probes through an HTTP proxy', () => {
  it('tunnels TLS and HTTPS through HTTPS_PROXY with credentials, and shows the proxy without them', async () => {
    const basic = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
    const proxy = await connectProxy({ requireAuth: basic });
    const sim = await startSimulator({ mode: 'healthy' });
    const core = testCore({ endpointsFile: sim.endpointsFile, env: { HTTPS_PROXY: `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.port}` } });
    try {
      const profile = core.profiles.create({ name: 'p', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 } });
      const run = await core.checks.run({ profileId: profile.id, only: ['cloud-tls', 'cloud-https'] });
      expect(run.checks.map((c) => [c.id, c.status, c.summary.en])).toEqual([['cloud-dns', 'pass', expect.any(String)], ['cloud-tls', 'pass', expect.any(String)], ['cloud-https', 'pass', expect.any(String)]]);
      expect(run.checks[0]!.summary.en).toBe('127.0.0.1 is an IP address; no lookup needed');
      expect(proxy.seen.map((s) => s.target)).toEqual([`127.0.0.1:${sim.cloud.port}`, `127.0.0.1:${sim.cloud.port}`]);
      expect(proxy.seen.every((s) => s.auth === basic)).toBe(true);
      expect(run.proxy).toBe(`http://127.0.0.1:${proxy.port} (HTTPS_PROXY)`);
      expect(run.checks[2]!.summary.en).toContain(`via proxy http://127.0.0.1:${proxy.port}`);
      const text = JSON.stringify(run) + core.logger.lines.join('\n');
      for (const form of encodedForms(PROXY_PASSWORD)) expect(text).not.toContain(form);
    } finally {
      core.close();
      await sim.close();
      await proxy.close();
    }
  });

  it('uses the proxy from Settings, and reports a refusing proxy as CLOUD_UNREACHABLE naming it', async () => {
    const proxy = await connectProxy({ refuse: true });
    const sim = await startSimulator({ mode: 'healthy' });
    const core = testCore({ endpointsFile: sim.endpointsFile, env: {} });
    try {
      core.settings.set({ proxy: `http://127.0.0.1:${proxy.port}` });
      const profile = core.profiles.create({ name: 'p', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'system' } });
      const run = await core.checks.run({ profileId: profile.id, only: ['cloud-tls'] });
      expect(statusOf(run, 'cloud-tls')).toBe('fail');
      expect(run.checks[1]!.summary.en).toMatch(/not reachable via proxy http:\/\/127\.0\.0\.1:\d+: .*407/);
      expect(run.findings.map((f) => f.code)).toEqual(['CLOUD_UNREACHABLE']);
      expect(proxy.seen.length).toBe(1);
      const bad = await core.dispatcher.dispatch('settings.set', { proxy: 'http://user:secret@proxy:3128' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'proxy', message: expect.stringMatching(/stored unencrypted/) } });
    } finally {
      core.close();
      await sim.close();
      await proxy.close();
    }
  });
});

describe('planted secrets in a check run', () => {
  it('never writes the API password, the registration token, the proxy password or the appliance JWT to the database, the logs or the results', async () => {
    const sim = await startSimulator({ mode: 'jwt-expiry', password: 'Pl4nted-API-pw:/+=ü' });
    const proxy = await connectProxy();
    const dataDir = tempDir();
    const core = testCore({ dataDir, logger: undefined, vaultPassphrase: VAULT_PASSPHRASE, endpointsFile: sim.endpointsFile, env: { HTTPS_PROXY: `http://${PROXY_USER}:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.port}` } });
    let runJson: string;
    try {
      const profile = core.profiles.create(
        { name: 'p', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: 'admin', cluster: null, notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 } },
        sim.password,
      );
      const run = await core.checks.run({ profileId: profile.id, token: { value: TOKEN, createdAt: new Date().toISOString(), lifetime: '1h', region: 'eu' }, errorText: `token ${TOKEN} failed` });
      expect(statusOf(run, 'api-session')).toBe('warn'); // the JWT was issued and used
      runJson = JSON.stringify(run) + JSON.stringify(core.checks.list(undefined, 10)) + JSON.stringify(await core.checks.answer(run.id, 'device-listed', 'no'));
    } finally {
      core.close();
      await sim.close();
      await proxy.close();
    }
    const haystacks: [string, Buffer][] = [['run JSON', Buffer.from(runJson)], ...filesUnder(dataDir).map((f) => [f, fs.readFileSync(f)] as [string, Buffer])];
    expect(haystacks.some(([f]) => f.endsWith('.jsonl') || f.includes(`${path.sep}logs${path.sep}`))).toBe(true);
    const leaks: string[] = [];
    for (const [where, bytes] of haystacks) {
      for (const secret of [sim.password, TOKEN, PROXY_PASSWORD]) for (const form of encodedForms(secret)) if (bytes.includes(form)) leaks.push(`${where}: ${form}`);
      if (/eyJ[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{6,}\./.test(bytes.toString('latin1'))) leaks.push(`${where}: JWT`);
    }
    expect(leaks).toEqual([]);
  });
});
