import fs from 'node:fs';
import path from 'node:path';
import { seedSteps } from '../../../electron/contract/checks.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { tempDir } from '../../support/temp.js';

const RESOURCES = defaultResourcesDir();
const knowledge = loadKnowledge(RESOURCES);

/** The codes issue #4 requires; each must exist with text in both languages. */
const REQUIRED = [
  'APPLIANCE_UNREACHABLE', 'API_PORT_CLOSED', 'API_HTTP_DISABLED', 'API_AUTH_REJECTED', 'API_VERSION_UNSUPPORTED', 'API_CERT_CHANGED',
  'CLOCK_SKEW', 'APPLIANCE_RESOURCE_PRESSURE', 'CLOUD_DNS_FAILED', 'CLOUD_UNREACHABLE', 'CLOUD_TLS_INTERCEPTED', 'REGION_MISMATCH',
  'TOKEN_EXPIRED', 'TOKEN_WRONG_REGION', 'TOKEN_MALFORMED', 'SSE_SERVICES_DISABLED', 'CHANGES_NOT_COMMITTED', 'DASHBOARD_RANGE_TOO_SHORT',
  'DEVICE_OFFLINE_IN_SSE', 'MODULE_UNEXPECTED_ERROR', 'REST_API_SOURCE_NOT_GREEN', 'ESCALATE_TO_TAC', 'CLUSTER_MACHINE_MODE',
];

/** A copy of resources/ whose one file the test may break. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits arbitrary JSON on purpose
function brokenCopy(file: string, edit: (data: any) => void): string {
  const dir = tempDir();
  fs.cpSync(RESOURCES, dir, { recursive: true });
  const target = path.join(dir, file);
  const data = JSON.parse(fs.readFileSync(target, 'utf8'));
  edit(data);
  fs.writeFileSync(target, JSON.stringify(data));
  return dir;
}

describe('runbook, finding catalog and error patterns (resources/)', () => {
  it('covers every step of the article (S1–S6, V, E) with at least one check and one finding', () => {
    for (const step of seedSteps) {
      const checks = knowledge.runbook.checks.filter((c) => c.seedSteps.includes(step)).map((c) => c.id);
      const findings = [...knowledge.findings.values()].filter((f) => f.seedStep === step).map((f) => f.code);
      expect({ step, hasCheck: checks.length > 0, hasFinding: findings.length > 0 }).toEqual({ step, hasCheck: true, hasFinding: true });
      // The finding of a step must be reachable from a check of the runbook (or a pasted message).
      const raisable = new Set([
        ...knowledge.runbook.checks.flatMap((c) => Object.values(c.outcomes).flatMap((o) => o.raises ?? [])),
        ...knowledge.patterns.flatMap((p) => p.raises),
      ]);
      expect(findings.some((code) => raisable.has(code))).toBe(true);
    }
  });

  it('has every required finding code, with title, cause and steps in English and German', () => {
    for (const code of REQUIRED) {
      const f = knowledge.findings.get(code);
      expect(f, code).toBeDefined();
      expect(f!.title.en && f!.title.de && f!.cause.en && f!.cause.de).toBeTruthy();
      expect(f!.remediation.en.length).toBe(f!.remediation.de.length);
    }
  });

  it('gives CES a remediation of its own where the customer cannot act (S6: only TAC can enable the API)', () => {
    for (const code of ['API_PORT_CLOSED', 'API_HTTP_DISABLED', 'MODULE_UNEXPECTED_ERROR']) {
      const ces = knowledge.findings.get(code)!.ces!;
      expect(ces.en.join(' ')).toMatch(/only Cisco TAC/);
      expect(ces.de.join(' ')).toMatch(/nur Cisco TAC/);
    }
  });

  it('raises every finding from somewhere: a check outcome, a pasted message, or as a candidate cause', () => {
    const used = new Set([
      ...knowledge.runbook.checks.flatMap((c) => Object.values(c.outcomes).flatMap((o) => o.raises ?? [])),
      ...knowledge.patterns.flatMap((p) => [...p.raises, ...p.candidates, ...Object.values(p.byStatus ?? {}).flatMap((h) => h.candidates)]),
    ]);
    expect([...knowledge.findings.keys()].filter((code) => !used.has(code))).toEqual([]);
  });

  it('includes the article’s four messages in both languages', () => {
    const phrases = knowledge.patterns.flatMap((p) => [...(p.phrases?.en ?? []), ...(p.phrases?.de ?? [])]).join('\n');
    for (const text of ['invalid or expired token', 'ungültigen oder abgelaufenen tokens', 'try again later', 'versuchen sie es später erneut', 'device is offline', 'gerät ist offline', 'unexpected error on the secure email module', 'unerwarteten fehler auf dem sicheren e-mail-modul']) {
      expect(phrases).toContain(text);
    }
  });

  it('names the file and the path when the data is broken', () => {
    const unknownFinding = brokenCopy('runbook.json', (d) => (d.checks[1].outcomes.refused.raises = ['NO_SUCH_CODE']));
    expect(() => loadKnowledge(unknownFinding)).toThrow(/runbook\.json: checks\.1\.outcomes\.refused\.raises\.0: unknown finding NO_SUCH_CODE/);

    const cycle = brokenCopy('runbook.json', (d) => (d.checks[0].dependsOn = ['api-auth']));
    expect(() => loadKnowledge(cycle)).toThrow(/runbook\.json: checks: dependency cycle/);

    const noPass = brokenCopy('runbook.json', (d) => delete d.checks[2].outcomes.pass);
    expect(() => loadKnowledge(noPass)).toThrow(/runbook\.json: checks\.2\.outcomes: check api-http-port has no "pass" outcome/);

    const badSeverity = brokenCopy('findings.json', (d) => (d.findings[3].severity = 'fatal'));
    expect(() => loadKnowledge(badSeverity)).toThrow(/findings\.json: findings\.3\.severity/);

    const missingGerman = brokenCopy('findings.json', (d) => delete d.findings[0].title.de);
    expect(() => loadKnowledge(missingGerman)).toThrow(/findings\.json: findings\.0\.title\.de/);

    const badRegex = brokenCopy('error-patterns.json', (d) => (d.patterns[4].regex.de = '(unclosed'));
    expect(() => loadKnowledge(badRegex)).toThrow(/error-patterns\.json: patterns\.4\.regex\.de/);

    const dir = tempDir();
    fs.cpSync(RESOURCES, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'runbook.json'), '{ "schemaVersion": 1, ');
    expect(() => loadKnowledge(dir)).toThrow(/runbook\.json: .*JSON/);
  });
});
