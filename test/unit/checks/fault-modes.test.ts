import { severityAtLeast } from '../../../electron/core/checks/findings.js';
import type { FaultMode } from '../../fixtures/simulator/appliance.js';
import { startSilentServer } from '../../fixtures/simulator/silent-server.js';
import { codes, simulatedSetup, statusOf } from '../../support/checks.js';

/** What each simulator fault must produce as the first (most likely) finding. */
const EXPECTED: [FaultMode, string, Record<string, unknown>?][] = [
  ['api-off', 'API_PORT_CLOSED'],
  ['http-off', 'API_HTTP_DISABLED'],
  ['bad-credentials', 'API_AUTH_REJECTED'],
  ['jwt-expiry', 'API_SESSION_EXPIRED'],
  ['old-version', 'API_VERSION_UNSUPPORTED'],
  ['slow', 'API_SLOW', { slowMs: 1500 }],
  ['clock-skew', 'CLOCK_SKEW'],
  ['resource-pressure', 'APPLIANCE_RESOURCE_PRESSURE'],
  ['changed-certificate', 'API_CERT_CHANGED'],
  ['cloud-unreachable', 'CLOUD_UNREACHABLE'],
  ['cloud-foreign-ca', 'CLOUD_TLS_INTERCEPTED'],
];

describe('checks against the appliance simulator', () => {
  it('finds nothing at warning or above on a healthy appliance, and every automatic check passes', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(run.findings.filter((f) => severityAtLeast(f.severity, 'warning'))).toEqual([]);
      const probes = run.checks.filter((c) => s.core.checks.knowledge.checkById.get(c.id)!.kind === 'probe');
      expect(probes.map((c) => [c.id, c.status]).filter(([, st]) => st !== 'pass')).toEqual([]);
      // Evidence says where the probe ran from.
      expect(run.checks.find((c) => c.id === 'api-https-port')!.evidence.vantage).toMatch(/this computer/);
      expect(run.state).toBe('completed');
    } finally {
      await s.close();
    }
  });

  it.each(EXPECTED)('%s → %s first', async (mode, code, extra) => {
    const s = await simulatedSetup({ mode, ...extra });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id, ...(mode === 'slow' ? { timeoutMs: 800 } : {}) });
      expect(codes(run)[0]).toBe(code);
      expect(run.findings[0]!.remediation.en.length).toBeGreaterThan(0);
    } finally {
      await s.close();
    }
  });

  it('never sends credentials over a connection whose pinned certificate changed', async () => {
    const s = await simulatedSetup({ mode: 'changed-certificate' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(statusOf(run, 'api-tls')).toBe('fail');
      expect(statusOf(run, 'api-auth')).toBe('skip');
      expect(run.checks.find((c) => c.id === 'api-auth')!.summary.en).toMatch(/Skipped: “AsyncOS API v2.0 available” did not pass/);
      expect(s.sim.requests.filter((r) => !r.path.startsWith('cloud:'))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('skips dependents of a failed check with the reason instead of failing them', async () => {
    const s = await simulatedSetup({ mode: 'api-off' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      for (const id of ['api-tls', 'api-version', 'api-auth', 'api-session', 'api-health', 'api-clock']) expect(statusOf(run, id)).toBe('skip');
      expect(run.checks.find((c) => c.id === 'api-tls')!.summary.de).toMatch(/Übersprungen: „HTTPS-Port der AsyncOS-API offen“/);
      expect(codes(run)).toEqual(['API_PORT_CLOSED']);
    } finally {
      await s.close();
    }
  });

  it('uses the CES remediation for a CES profile', async () => {
    const s = await simulatedSetup({ mode: 'api-off', profile: { kind: 'ces' } });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id, errorText: 'Es gab einen unerwarteten Fehler auf dem sicheren E-Mail-Modul' });
      // The pasted symptom goes with the cause the run found: one card, one severity.
      expect(codes(run)).toEqual(['API_PORT_CLOSED']);
      expect(run.findings[0]!.explains).toEqual([{ code: 'MODULE_UNEXPECTED_ERROR', title: { en: 'XDR tile: unexpected error on the Secure Email module', de: 'XDR-Kachel: unerwarteter Fehler im Secure-Email-Modul' } }]);
      expect(run.findings[0]!.checks).toEqual(['api-https-port', 'api-http-port', 'error-text']);
      expect(statusOf(run, 'error-text')).toBe('fail');
      // First the port the profile names, then what only TAC can do.
      expect(run.findings[0]!.remediation.en[0]).toMatch(new RegExp(`port in the profile \\(${s.sim.httpsPort}\\)`));
      expect(run.findings[0]!.remediation.de[0]).toMatch(/Port im Profil/);
      expect(run.findings[0]!.remediation.en[1]).toMatch(/only Cisco TAC can enable the AsyncOS API/);
      expect(run.findings[0]!.remediation.de[1]).toMatch(/nur Cisco TAC/);
    } finally {
      await s.close();
    }
  });

  it('asks for the password instead of failing when none is stored', async () => {
    const s = await simulatedSetup({ mode: 'healthy', storePassword: false });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(statusOf(run, 'api-auth')).toBe('needs-input');
      expect(statusOf(run, 'api-health')).toBe('skip');
      expect(codes(run)).toEqual(['API_CREDENTIALS_MISSING']);
    } finally {
      await s.close();
    }
  });
});

describe('token helper, manual steps and input checks', () => {
  it('reports an expired token, a token from another region and an unusual token shape', async () => {
    const s = await simulatedSetup({ mode: 'healthy', region: 'eu' });
    try {
      const created = new Date(Date.now() - 3 * 3600_000).toISOString();
      const run = await s.core.checks.run({ profileId: s.profile.id, only: ['token-format', 'token-lifetime', 'token-region'], token: { value: 'ABC-123 not hex', createdAt: created, lifetime: '1h', region: 'nam' } });
      expect(codes(run)).toEqual(['TOKEN_WRONG_REGION', 'TOKEN_EXPIRED', 'TOKEN_MALFORMED']);
      const expired = run.findings.find((f) => f.code === 'TOKEN_EXPIRED')!;
      expect(expired.cause.en).toMatch(/expired at .* \(2 h( 0 min)?/);
      expect(expired.remediation.en[0]).toContain('https://127.0.0.1:');
      expect(run.checks.find((c) => c.id === 'token-format')!.status).toBe('warn');
      expect(JSON.stringify(run)).not.toContain('ABC-123 not hex');
    } finally {
      await s.close();
    }
  });

  it('passes a fresh 32-hex token of the right region and warns when it is about to expire', async () => {
    const s = await simulatedSetup({ mode: 'healthy', region: 'apjc' });
    try {
      const fresh = await s.core.checks.run({ profileId: s.profile.id, only: ['token-format', 'token-lifetime', 'token-region'], token: { value: '0123456789abcdef0123456789abcdef', createdAt: new Date().toISOString(), lifetime: 'P1D', region: 'apjc' } });
      expect(fresh.checks.map((c) => c.status)).toEqual(['pass', 'pass', 'pass']);
      const soon = await s.core.checks.run({ profileId: s.profile.id, only: ['token-lifetime'], token: { value: '0123456789abcdef0123456789abcdef', createdAt: new Date(Date.now() - 55 * 60_000).toISOString(), lifetime: '1h' } });
      expect(codes(soon)).toEqual(['TOKEN_EXPIRES_SOON']);
    } finally {
      await s.close();
    }
  });

  it('turns manual answers into findings, and the region answer into REGION_MISMATCH', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const run = await s.core.checks.run({
        profileId: s.profile.id,
        only: ['sse-services', 'changes-committed', 'device-listed', 'dashboard-range', 'rest-api-source', 'still-failing', 'region-server'],
        answers: { 'sse-services': 'no', 'changes-committed': 'no', 'device-listed': 'yes', 'dashboard-range': 'unsure', 'rest-api-source': 'no', 'still-failing': 'yes', 'region-server': 'nam' },
      });
      expect(codes(run)).toEqual(['REGION_MISMATCH', 'SSE_SERVICES_DISABLED', 'CHANGES_NOT_COMMITTED', 'REST_API_SOURCE_NOT_GREEN', 'ESCALATE_TO_TAC']);
      expect(statusOf(run, 'dashboard-range')).toBe('needs-input');
      expect(run.findings.map((f) => f.seedStep)).toEqual(['S3', 'S1', 'S2', 'V', 'E']);
    } finally {
      await s.close();
    }
  });

  it('offers the machine-mode step only to clustered appliances', async () => {
    const s = await simulatedSetup({ mode: 'healthy', profile: { cluster: 'cl-1' } });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id, only: ['cluster-mode'], answers: { 'cluster-mode': 'no' } });
      expect(codes(run)).toEqual(['CLUSTER_MACHINE_MODE']);
      expect(run.findings[0]!.cause.en).toContain('cluster "cl-1"');
      const standalone = await simulatedSetup({ mode: 'healthy' });
      try {
        expect(standalone.core.checks.runbook({ profileId: standalone.profile.id }).map((c) => c.id)).not.toContain('cluster-mode');
        expect(() => standalone.core.checks.start({ profileId: standalone.profile.id, only: ['cluster-mode'] })).toThrow(/does not apply/);
      } finally {
        await standalone.close();
      }
    } finally {
      await s.close();
    }
  });

  it('refuses answers outside a step’s choices and unknown check ids, naming the field, before storing anything', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      expect(() => s.core.checks.start({ profileId: s.profile.id, answers: { 'sse-services': 'maybe' } })).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST', field: 'answers.sse-services' }));
      expect(() => s.core.checks.start({ profileId: s.profile.id, answers: { 'api-tls': 'yes' } })).toThrow(expect.objectContaining({ field: 'answers.api-tls' }));
      expect(() => s.core.checks.start({ profileId: s.profile.id, only: ['no-such-check'] })).toThrow(expect.objectContaining({ field: 'only' }));
      const r = await s.core.dispatcher.dispatch('checks.start', { profileId: s.profile.id, token: { value: 'x', lifetime: 'forever' } });
      expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'INVALID_REQUEST', field: 'token.lifetime' }) });
      expect(s.core.checks.list(undefined, 50).runs).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('runs `only` checks together with what they depend on', async () => {
    const s = await simulatedSetup({ mode: 'healthy' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id, only: ['api-clock'] });
      expect(run.checks.map((c) => c.id)).toEqual(['appliance-dns', 'api-https-port', 'api-tls', 'api-version', 'api-auth', 'api-clock']);
    } finally {
      await s.close();
    }
  });
});

describe('engine timing and cancellation', () => {
  it('bounds a run by the timeouts, not their sum, when nothing answers', async () => {
    const silent = await startSilentServer();
    const s = await simulatedSetup({ mode: 'healthy', profile: { httpsPort: silent.port } });
    try {
      const started = Date.now();
      const run = await s.core.checks.run({ profileId: s.profile.id, timeoutMs: 600 });
      const elapsed = Date.now() - started;
      expect(statusOf(run, 'api-tls')).toBe('fail');
      expect(run.checks.find((c) => c.id === 'api-tls')!.summary.en).toBe('No TLS handshake within 600 ms');
      expect(codes(run)[0]).toBe('API_TLS_FAILED');
      expect(run.findings[0]!.cause.en).toContain('(no answer within 600 ms)');
      expect(elapsed).toBeLessThan(600 * 3);
    } finally {
      await s.close();
      await silent.close();
    }
  });

  it('cancels a running run: finished checks are kept, the rest are skipped, and the run is stored as cancelled', async () => {
    const s = await simulatedSetup({ mode: 'slow', slowMs: 5000 });
    try {
      const progress: string[] = [];
      s.core.bus.subscribe((name, payload) => {
        if (name === 'checks.progress') progress.push((payload as { check: { id: string; state: string } }).check.state);
      });
      const { runId, done } = s.core.checks.start({ profileId: s.profile.id });
      await new Promise((r) => setTimeout(r, 300));
      expect(s.core.checks.cancel(runId)).toEqual({ cancelled: true });
      const run = await done;
      expect(run.state).toBe('cancelled');
      expect(statusOf(run, 'api-https-port')).toBe('pass');
      expect(run.checks.find((c) => c.id === 'api-version')!.summary.en).toBe('Cancelled');
      expect(progress).toContain('running');
      expect(s.core.checks.cancel(runId)).toEqual({ cancelled: false });
      expect(s.core.checks.list(s.profile.id, 10).runs[0]!.state).toBe('cancelled');
    } finally {
      await s.close();
    }
  });

  it('refuses a second run for the same profile while one is going', async () => {
    const s = await simulatedSetup({ mode: 'slow', slowMs: 2000 });
    try {
      const first = s.core.checks.start({ profileId: s.profile.id });
      expect(() => s.core.checks.start({ profileId: s.profile.id })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
      s.core.checks.cancel(first.runId);
      await first.done;
    } finally {
      await s.close();
    }
  });
});
