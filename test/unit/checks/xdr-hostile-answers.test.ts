import { jsonDepth, retryAfterSeconds } from '../../../electron/core/checks/xdr/iroh-client.js';
import type { XdrMode } from '../../fixtures/simulator/iroh.js';
import { codes, simulatedSetup, statusOf } from '../../support/checks.js';

/** Hostile or broken answers of the SSE device list, and what the finding must say about each. */
const HOSTILE: [XdrMode, RegExp][] = [
  ['xdr-answer-html', /HTML page instead of JSON/],
  ['xdr-answer-not-json', /not JSON/],
  ['xdr-answer-huge', /over the 4194304-byte limit/],
  ['xdr-answer-deep', /nested deeper than 64 levels/],
  ['xdr-answer-wrong-types', /the answer is not a list/],
  ['xdr-answer-redirect', /HTTP 302 redirect to collector\.attacker\.example\.net, not followed/],
];

describe('hostile XDR API answers', { timeout: 30_000 }, () => {
  it.each(HOSTILE)('%s → XDR_API_UNEXPECTED_ANSWER naming the call, never a crash', async (xdrMode, detail) => {
    const s = await simulatedSetup({ mode: 'healthy', xdrMode });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id });
      expect(run.state).toBe('completed');
      expect(statusOf(run, 'xdr-sse-device')).toBe('fail');
      const check = run.checks.find((c) => c.id === 'xdr-sse-device')!;
      expect(check.outcome).toBe('unexpected');
      expect(check.summary.en).toMatch(/^GET \/iroh\/iroh-sse\/device: unexpected answer: /);
      expect(check.summary.en).toMatch(detail);
      expect(codes(run)).toContain('XDR_API_UNEXPECTED_ANSWER');
      const finding = run.findings.find((f) => f.code === 'XDR_API_UNEXPECTED_ANSWER')!;
      expect(finding.cause.en).toMatch(/GET \/iroh\/iroh-sse\/device on 127\.0\.0\.1:\d+/);
      expect(run.checks.some((c) => c.outcome === 'exception')).toBe(false);
      // The redirect is never followed: one request for the list, none anywhere else.
      expect(s.sim.xdr!.requests.filter((r) => r.path === '/iroh/iroh-sse/device').length).toBe(1);
    } finally {
      await s.close();
    }
  });

  it('counts JSON nesting without recursion and stops past the limit', () => {
    expect(jsonDepth('{"a": [1, {"b": "[[[[["}]}', 64)).toBe(3);
    expect(jsonDepth('['.repeat(1_000_000), 64)).toBe(65);
    expect(jsonDepth('"\\"[" ', 64)).toBe(0);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(new Date(Date.parse('2026-01-01T00:02:00Z')).toUTCString(), Date.parse('2026-01-01T00:00:00Z'))).toBe(120);
    expect(retryAfterSeconds('soon')).toBeNull();
    expect(retryAfterSeconds(undefined)).toBeNull();
  });
});
