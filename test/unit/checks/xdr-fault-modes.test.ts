import { severityAtLeast } from '../../../electron/core/checks/findings.js';
import type { XdrMode } from '../../fixtures/simulator/iroh.js';
import { codes, simulatedSetup, statusOf } from '../../support/checks.js';

const XDR_CHECKS = ['xdr-auth', 'xdr-sse-device', 'xdr-module', 'xdr-module-health', 'xdr-observe'];
const REPLACED = ['sse-services', 'device-listed', 'rest-api-source'];

/** What each far-side fault must produce as the first finding, with a healthy appliance. */
const EXPECTED: [XdrMode, string][] = [
  ['xdr-client-rejected', 'XDR_CLIENT_REJECTED'],
  ['xdr-client-other-region', 'XDR_CLIENT_WRONG_REGION'],
  ['xdr-scope-missing', 'XDR_CLIENT_SCOPE_MISSING'],
  ['xdr-rate-limited', 'XDR_RATE_LIMITED'],
  ['xdr-device-missing', 'DEVICE_NOT_IN_SSE'],
  ['xdr-device-offline', 'DEVICE_OFFLINE_IN_SSE'],
  ['xdr-module-missing', 'XDR_MODULE_MISSING'],
  ['xdr-module-disabled', 'XDR_MODULE_DISABLED'],
  ['xdr-module-wrong-device', 'XDR_MODULE_WRONG_DEVICE'],
  ['xdr-module-unexpected-error', 'MODULE_UNEXPECTED_ERROR'],
];

// Each test starts a simulator (appliance, cloud and three IROH regions): key generation on a busy machine.
describe('SSE and XDR checks against the IROH simulator', { timeout: 30_000 }, () => {
  it('xdr-healthy + healthy appliance: no finding at warning or above, every XDR check passes, the manual S1/S5/V steps are not asked', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-healthy' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(run.findings.filter((f) => severityAtLeast(f.severity, 'warning'))).toEqual([]);
      expect(XDR_CHECKS.map((id) => [id, statusOf(run, id)])).toEqual(XDR_CHECKS.map((id) => [id, 'pass']));
      for (const id of REPLACED) expect(statusOf(run, id)).toBeUndefined();
      const device = run.checks.find((c) => c.id === 'xdr-sse-device')!;
      expect(device.evidence).toMatchObject({ 'device.name': 'esa1.example.com', 'device.id': 'dev-esa1', 'device.status': 'online', matchedBy: 'address 127.0.0.1' });
      expect(device.evidence['device.lastSeen']).toMatch(/^\d{4}-/);
      // 120 filler devices before the appliance: the list was paged with offset/limit.
      expect(s.sim.xdr!.requests.filter((r) => r.path === '/iroh/iroh-sse/device').length).toBe(2);
      expect(run.checks.find((c) => c.id === 'xdr-observe')!.summary.en).toMatch(/widen it/);
      // Only the profile's region was asked; one token for the whole run.
      expect(new Set(s.sim.xdr!.requests.map((r) => r.region))).toEqual(new Set(['eu']));
      expect(s.sim.xdr!.requests.filter((r) => r.path === '/iroh/oauth2/token').length).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('without a client secret the XDR checks are not planned and the manual steps stay', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-healthy', storeXdrSecret: false });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      for (const id of XDR_CHECKS) expect(statusOf(run, id)).toBeUndefined();
      for (const id of REPLACED) expect(statusOf(run, id)).toBe('needs-input');
      expect(s.sim.xdr!.requests).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it.each(EXPECTED)('%s → %s first', async (xdrMode, code) => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(codes(run)[0]).toBe(code);
      expect(run.findings[0]!.remediation.en.length).toBeGreaterThan(0);
      expect(run.findings[0]!.remediation.de.length).toBe(run.findings[0]!.remediation.en.length);
      expect(JSON.stringify(run.findings[0])).not.toMatch(/\{[a-zA-Z]+\}/);
    } finally {
      await s.close();
    }
  });

  it('xdr-token-revoked: a 401 to a fresh token fetches one new token and the run passes', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-token-revoked' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(run.findings.filter((f) => severityAtLeast(f.severity, 'warning'))).toEqual([]);
      expect(XDR_CHECKS.every((id) => statusOf(run, id) === 'pass')).toBe(true);
      expect(s.sim.xdr!.requests.filter((r) => r.path === '/iroh/oauth2/token').length).toBe(2);
    } finally {
      await s.close();
    }
  });

  it('a rejected client skips the device and module checks with the reason', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-client-rejected' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(statusOf(run, 'xdr-auth')).toBe('fail');
      for (const id of XDR_CHECKS.slice(1)) expect(statusOf(run, id)).toBe('skip');
      expect(run.checks.find((c) => c.id === 'xdr-sse-device')!.summary.en).toMatch(/Skipped: “XDR API client accepted” did not pass/);
      // Asked the other regions to tell a wrong region from a wrong secret; none accepted.
      expect(new Set(s.sim.xdr!.requests.map((r) => r.region))).toEqual(new Set(['nam', 'eu', 'apjc']));
    } finally {
      await s.close();
    }
  });

  it('xdr-client-other-region names the region that accepts the client', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-client-other-region' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      const f = run.findings[0]!;
      expect(f.cause.en).toMatch(/accepted by 127\.0\.0\.1:\d+ \(North America \(NAM\)\)/);
      expect(f.cause.en).toMatch(/must agree/);
      expect(f.cause.de).toMatch(/Nordamerika/);
    } finally {
      await s.close();
    }
  });

  it('xdr-scope-missing names the scopes to tick and does not call what they guard', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-scope-missing' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(run.findings[0]!.cause.en).toMatch(/SSE \(read\) \(sse:read\)/);
      expect(run.findings[0]!.cause.en).toMatch(/Integration \(read\)/);
      expect(statusOf(run, 'xdr-sse-device')).toBe('skip');
      expect(s.sim.xdr!.requests.filter((r) => r.auth === 'bearer')).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('xdr-rate-limited gives the Retry-After time and does not retry', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-rate-limited' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(run.findings[0]!.remediation.en[0]).toBe('Wait 120 s, then run the checks again.');
      expect(s.sim.xdr!.requests.filter((r) => r.path === '/iroh/oauth2/token').length).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('xdr-device-missing lists the other devices and folds the module’s offline error into the missing device', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-device-missing' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(codes(run)).not.toContain('DEVICE_OFFLINE_IN_SSE');
      expect(run.findings[0]!.checks).toEqual(expect.arrayContaining(['xdr-sse-device', 'xdr-module-health']));
      expect(run.checks.find((c) => c.id === 'xdr-sse-device')!.evidence.otherDevices).toContain('esa-old.example.com');
      expect(run.findings[0]!.remediation.en.join('\n')).toMatch(/Commit Changes/);
    } finally {
      await s.close();
    }
  });

  it('xdr-device-offline: the device evidence and the module’s E4017 [409] both raise DEVICE_OFFLINE_IN_SSE', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-device-offline' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(codes(run)).toEqual(['DEVICE_OFFLINE_IN_SSE']);
      expect(run.findings[0]!.checks).toEqual(['xdr-sse-device', 'xdr-module-health', 'xdr-observe']);
      expect(run.checks.find((c) => c.id === 'xdr-module-health')!.evidence).toMatchObject({ statuses: ['Secure Email (esa1): error'] });
    } finally {
      await s.close();
    }
  });

  it('api-off + xdr-module-unexpected-error puts API_PORT_CLOSED first', async () => {
    const s = await simulatedSetup({ mode: 'api-off', xdrMode: 'xdr-module-unexpected-error' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      // The module's message is explained by the closed port: shown with it, not beside it.
      expect(codes(run)).toEqual(['API_PORT_CLOSED']);
      expect(run.findings[0]!.explains?.map((e) => e.code)).toEqual(['MODULE_UNEXPECTED_ERROR']);
      expect(run.findings[0]!.checks).toEqual(expect.arrayContaining(['api-https-port', 'xdr-module-health']));
    } finally {
      await s.close();
    }
  });

  it('CES + api-off + xdr-module-unexpected-error: the CES remediation (only TAC can enable the API)', async () => {
    const s = await simulatedSetup({ mode: 'api-off', xdrMode: 'xdr-module-unexpected-error', profile: { kind: 'ces' } });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(codes(run).slice(0, 1)).toEqual(['API_PORT_CLOSED']);
      expect(run.findings[0]!.explains?.map((e) => e.code)).toEqual(['MODULE_UNEXPECTED_ERROR']);
      expect(run.findings[0]!.remediation.en[1]).toMatch(/only Cisco TAC/);
    } finally {
      await s.close();
    }
  });

  it('cloud-foreign-ca intercepts the XDR API too: CLOUD_TLS_INTERCEPTED, the client secret never sent', async () => {
    const s = await simulatedSetup({ mode: 'cloud-foreign-ca', xdrMode: 'xdr-healthy' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(codes(run)[0]).toBe('CLOUD_TLS_INTERCEPTED');
      expect(statusOf(run, 'xdr-auth')).toBe('fail');
      expect(run.checks.find((c) => c.id === 'xdr-auth')!.summary.en).toMatch(/Corp Inspection CA/);
      expect(s.sim.xdr!.requests).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('names why a check is not in the plan: replaced by the client, or needing one', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-healthy' });
    try {
      expect(() => s.core.checks.start({ profileId: s.profile.id, only: ['device-listed'] })).toThrow(/“device-listed” is answered by the XDR API client checks on this profile/);
      s.core.secrets.clear(s.profile.id, 'xdr-client-secret');
      expect(() => s.core.checks.start({ profileId: s.profile.id, only: ['xdr-auth'] })).toThrow(/“xdr-auth” needs an XDR API client \(client ID and secret\) on this profile/);
    } finally {
      await s.close();
    }
  });

  it('--only xdr-module-health pulls in its dependencies', async () => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode: 'xdr-healthy' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id, only: ['xdr-module-health'] });
      expect(run.checks.map((c) => c.id)).toEqual(['xdr-auth', 'xdr-module', 'xdr-module-health']);
      expect(run.checks.every((c) => c.status === 'pass')).toBe(true);
    } finally {
      await s.close();
    }
  });
});
