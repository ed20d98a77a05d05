import tls from 'node:tls';
import { parseLifetime } from '../../../electron/contract/checks.js';
import { durationText } from '../../../electron/core/checks/probes/asyncos.js';
import { tokenShape } from '../../../electron/core/checks/probes/inputs.js';
import { resolveProxy } from '../../../electron/core/checks/proxy.js';
import { Redactor } from '../../../electron/core/logging/redactor.js';
import { codes, simulatedSetup, statusOf } from '../../support/checks.js';

describe('small pieces of the checks', () => {
  it('parses token lifetimes in ISO 8601 and short forms, and refuses the rest', () => {
    expect(parseLifetime('PT1H')).toBe(3_600_000);
    expect(parseLifetime('P1DT12H')).toBe(36 * 3_600_000);
    expect(parseLifetime('p7d')).toBe(7 * 86_400_000);
    expect(parseLifetime('90m')).toBe(5_400_000);
    expect(parseLifetime('1h30m')).toBe(5_400_000);
    expect(parseLifetime(' 1w ')).toBe(604_800_000);
    for (const bad of ['', 'P', 'PT', '1 hour', 'forever', '0m', '-1h', 'h1']) expect(parseLifetime(bad), bad).toBeNull();
  });

  it('writes durations for people in both languages', () => {
    expect(durationText(600_000)).toEqual({ en: '10 min', de: '10 Min.' });
    expect(durationText(-(2 * 86_400_000 + 3 * 3_600_000))).toEqual({ en: '2 d 3 h', de: '2 T 3 Std.' });
    expect(durationText(42_000)).toEqual({ en: '42 s', de: '42 s' });
  });

  it('describes a token’s shape without repeating it', () => {
    const shape = tokenShape('ABCDEF 12');
    expect(shape.en).toBe('contains spaces or line breaks, upper-case hex');
    expect(shape.en).not.toContain('ABCDEF');
  });

  it('picks the proxy: option, then setting, then HTTPS_PROXY unless NO_PROXY exempts the host', () => {
    const r = new Redactor();
    expect(resolveProxy({ option: 'http://opt:1', setting: 'http://set:2', env: { HTTPS_PROXY: 'http://env:3' }, targetHost: 'api-sse.cisco.com' }, r)?.display).toBe('http://opt:1');
    expect(resolveProxy({ setting: 'http://set:2', env: { HTTPS_PROXY: 'http://env:3' }, targetHost: 'api-sse.cisco.com' }, r)?.source).toBe('setting');
    expect(resolveProxy({ setting: null, env: { https_proxy: 'http://env:3' }, targetHost: 'api-sse.cisco.com' }, r)?.display).toBe('http://env:3');
    expect(resolveProxy({ setting: null, env: { HTTPS_PROXY: 'http://env:3', NO_PROXY: '.cisco.com,localhost' }, targetHost: 'api-sse.cisco.com' }, r)).toBeNull();
    expect(resolveProxy({ setting: null, env: {}, targetHost: 'x' }, r)).toBeNull();
    const withAuth = resolveProxy({ setting: null, env: { HTTPS_PROXY: 'http://u:s3cr%40t@p:8080' }, targetHost: 'x' }, r)!;
    expect(withAuth.display).toBe('http://p:8080');
    expect(withAuth.authorization).toBe(`Basic ${Buffer.from('u:s3cr@t').toString('base64')}`);
    expect(r.redact('pw s3cr@t')).toBe('pw [REDACTED]');
    expect(() => resolveProxy({ option: 'socks5://p:1080', setting: null, env: {}, targetHost: 'x' }, r)).toThrow(/socks5: proxies are not supported/);
  });
});

describe('appliance trust modes', () => {
  /** The PEM of the certificate a TLS server presents. */
  function presentedPem(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
        const pem = s.getPeerX509Certificate()!.toString();
        s.destroy();
        resolve(pem);
      });
      s.on('error', reject);
    });
  }

  it('accepts the appliance through a CA certificate, and flags it untrusted for the system roots', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const pem = await presentedPem(s.sim.httpsPort);
      const viaCa = s.core.profiles.create({ ...s.core.profiles.fields(s.profile.id), name: 'via-ca', trust: { mode: 'ca', pem } } as never, s.sim.password);
      const ok = await s.core.checks.run({ profileId: viaCa.id, only: ['api-clock'] });
      expect(ok.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
      expect(ok.checks.find((c) => c.id === 'api-tls')!.summary.en).toMatch(/trusted by the profile’s CA certificate/);
      const system = s.core.profiles.create({ ...s.core.profiles.fields(s.profile.id), name: 'system', trust: { mode: 'system' } } as never, s.sim.password);
      const bad = await s.core.checks.run({ profileId: system.id, only: ['api-auth'] });
      expect(statusOf(bad, 'api-tls')).toBe('fail');
      expect(codes(bad)).toEqual(['API_CERT_UNTRUSTED']);
      expect(bad.findings[0]!.cause.en).toMatch(/does not verify against this computer’s trusted roots: (DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED)/);
      expect(s.sim.requests.filter((r) => r.path.endsWith('/login') && r.auth === 'none').length).toBe(1); // only the CA profile logged in
    } finally {
      await s.close();
    }
  });
});
