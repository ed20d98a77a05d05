import fs from 'node:fs';
import path from 'node:path';
import { profileFormFields, type Finding } from '../../../electron/contract/checks.js';
import { ProfileInput, regionIds } from '../../../electron/contract/profiles.js';
import { alignSymptomRows, buildFindings, resolveFix } from '../../../electron/core/checks/findings.js';
import type { CheckRecord } from '../../../electron/core/checks/engine.js';
import { genericParams } from '../../../electron/core/checks/triage.js';
import { externalHostAllowList } from '../../../electron/core/knowledge/regions.js';
import { loadKnowledge } from '../../../electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import type { Dialogs } from '../../../electron/core/core.js';
import { codes, simulatedSetup, statusOf } from '../../support/checks.js';
import { sampleProfile, testCore } from '../../support/core.js';
import { entry, har } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const RESOURCES = defaultResourcesDir();
const knowledge = loadKnowledge(RESOURCES);
const catalogue = JSON.parse(fs.readFileSync(path.join(RESOURCES, 'findings.json'), 'utf8')) as { findings: { code: string; fix?: { profileField?: string; question?: string; portal?: string } }[] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test edits arbitrary JSON on purpose
function brokenFindings(edit: (data: any) => void): string {
  const dir = tempDir();
  fs.cpSync(RESOURCES, dir, { recursive: true });
  const target = path.join(dir, 'findings.json');
  const data = JSON.parse(fs.readFileSync(target, 'utf8'));
  edit(data);
  fs.writeFileSync(target, JSON.stringify(data));
  return dir;
}

const index = (code: string) => catalogue.findings.findIndex((f) => f.code === code);

describe('what fixes a finding (resources/findings.json "fix")', () => {
  it('names only fields of the profile form, manual steps of the runbook and allow-listed portal front pages', () => {
    const allow = externalHostAllowList(knowledge.regions);
    const withFix = catalogue.findings.filter((f) => f.fix);
    expect(withFix.length).toBeGreaterThanOrEqual(25);
    for (const f of withFix) {
      if (f.fix!.profileField !== undefined) expect(profileFormFields, f.code).toContain(f.fix!.profileField);
      if (f.fix!.question !== undefined) expect(knowledge.checkById.get(f.fix!.question)?.kind, f.code).toBe('manual');
      for (const region of regionIds) {
        const portal = resolveFix(knowledge, f.code, region)?.portal;
        if (f.fix!.portal === undefined) expect(portal, f.code).toBeUndefined();
        else {
          expect(portal, `${f.code} ${region}`).toBeDefined();
          const url = new URL(portal!.url);
          expect(url.protocol).toBe('https:');
          expect(allow.has(url.hostname), `${f.code}: ${portal!.url}`).toBe(true);
          expect(url.href, 'the desktop app opens front pages only').toBe(`https://${url.hostname}/`);
          expect(portal!.host).toBe(url.hostname);
        }
      }
    }
  });

  it('resolves a region portal for the profile’s region and a fixed page without one', () => {
    expect(resolveFix(knowledge, 'SSE_SERVICES_DISABLED', 'eu')).toEqual({ question: 'sse-services', portal: { kind: 'sse', url: 'https://admin.eu.sse.itd.cisco.com/', host: 'admin.eu.sse.itd.cisco.com' } });
    expect(resolveFix(knowledge, 'REST_API_SOURCE_NOT_GREEN', 'nam')?.portal?.url).toBe('https://xdr.us.security.cisco.com/');
    // No region known (a finding shown without a profile): no region portal rather than a guess.
    expect(resolveFix(knowledge, 'TOKEN_EXPIRED', null)).toBeUndefined();
    expect(resolveFix(knowledge, 'ESCALATE_TO_TAC', null)).toEqual({ question: 'still-failing', portal: { kind: 'support', url: 'https://mycase.cloudapps.cisco.com/', host: 'mycase.cloudapps.cisco.com' } });
    expect(resolveFix(knowledge, 'API_PORT_CLOSED', 'eu')).toEqual({ profileField: 'httpsPort' });
    expect(resolveFix(knowledge, 'CLOCK_SKEW', 'eu')).toBeUndefined();
  });

  it('refuses at load a fix naming an unknown step, a probe, a host off the allow-list, a deep link or an unknown field', () => {
    const cases: [(d: { findings: { fix?: unknown }[] }) => void, RegExp][] = [
      [(d) => (d.findings[index('SSE_SERVICES_DISABLED')]!.fix = { question: 'no-such-step' }), /findings\.json: findings\.\d+\.fix\.question: no-such-step is not a manual step/],
      [(d) => (d.findings[index('API_PORT_CLOSED')]!.fix = { question: 'api-https-port' }), /fix\.question: api-https-port is not a manual step/],
      [(d) => (d.findings[index('ESCALATE_TO_TAC')]!.fix = { portal: 'https://evil.example.com/' }), /fix\.portal: https:\/\/evil\.example\.com\/ is not the front page of an allow-listed host/],
      [(d) => (d.findings[index('ESCALATE_TO_TAC')]!.fix = { portal: 'https://mycase.cloudapps.cisco.com/case/new' }), /fix\.portal: .* is not the front page/],
      [(d) => (d.findings[index('ESCALATE_TO_TAC')]!.fix = { portal: 'http://mycase.cloudapps.cisco.com/' }), /fix\.portal/],
      [(d) => (d.findings[index('API_PORT_CLOSED')]!.fix = { profileField: 'colour' }), /fix\.profileField/],
      [(d) => (d.findings[index('API_PORT_CLOSED')]!.fix = {}), /a fix names a profile field, a question or a portal/],
    ];
    for (const [edit, message] of cases) expect(() => loadKnowledge(brokenFindings(edit))).toThrow(message);
  });

  it('API_PORT_CLOSED says first that the profile’s port may be wrong, then how to enable the API (English and German)', () => {
    const f = knowledge.findings.get('API_PORT_CLOSED')!;
    expect(f.remediation.en[0]).toMatch(/^First check the port in the profile: it names \{httpsPort\}/);
    expect(f.remediation.de[0]).toMatch(/^Prüfen Sie zuerst den Port im Profil: Dort ist \{httpsPort\}/);
    expect(f.remediation.en[1]).toMatch(/If the port is right, the API is not enabled/);
    expect(f.remediation.de[1]).toMatch(/Stimmt der Port, ist die API nicht aktiviert/);
    expect(f.ces!.en[0]).toMatch(/port in the profile/);
    expect(f.ces!.de[0]).toMatch(/Port im Profil/);
  });
});

describe('one cause, one severity', () => {
  const base = { ...genericParams(knowledge), region: 'eu' };
  const raised = (code: string, check: string, causes?: string[]) => ({ code, check, params: {}, ...(causes ? { causes } : {}) });

  it('shows a pasted message with the cause the run found, and alone when none was found', () => {
    const pasted = raised('MODULE_UNEXPECTED_ERROR', 'error-text', ['API_PORT_CLOSED', 'API_HTTP_DISABLED', 'API_AUTH_REJECTED']);
    const found = buildFindings(knowledge, [raised('API_PORT_CLOSED', 'api-https-port'), raised('API_HTTP_DISABLED', 'api-http-port'), pasted], base, 'esa');
    expect(found.map((f) => f.code)).toEqual(['API_PORT_CLOSED']);
    expect(found[0]!.checks).toEqual(['api-https-port', 'api-http-port', 'error-text']);
    expect(found[0]!.explains).toEqual([{ code: 'MODULE_UNEXPECTED_ERROR', title: knowledge.findings.get('MODULE_UNEXPECTED_ERROR')!.title }]);
    expect(found[0]!.fix).toEqual({ profileField: 'httpsPort' });

    const alone = buildFindings(knowledge, [pasted], base, 'esa');
    expect(alone.map((f) => [f.code, f.severity, f.explains])).toEqual([['MODULE_UNEXPECTED_ERROR', 'error', undefined]]);
  });

  it('gives the pasted-message row the status of the finding it belongs to', () => {
    const row = (status: 'warn' | 'pass', raisedCodes: ReturnType<typeof raised>[]): CheckRecord => ({
      result: { id: 'error-text', status, outcome: null, durationMs: 0, summary: { en: '', de: '' }, evidence: {} },
      raised: raisedCodes,
    });
    const pasted = raised('MODULE_UNEXPECTED_ERROR', 'error-text', ['API_PORT_CLOSED']);
    const critical: Finding[] = buildFindings(knowledge, [raised('API_PORT_CLOSED', 'api-https-port'), pasted], base, 'esa');
    expect(alignSymptomRows(knowledge, [row('warn', [pasted])], critical)[0]!.result.status).toBe('fail');
    const token = raised('TOKEN_MALFORMED', 'error-text');
    const warning = buildFindings(knowledge, [token], base, 'esa');
    expect(alignSymptomRows(knowledge, [row('warn', [token])], warning)[0]!.result.status).toBe('warn');
    // A row that raised nothing keeps its own verdict.
    expect(alignSymptomRows(knowledge, [row('warn', [])], critical)[0]!.result.status).toBe('warn');
  });

  it('in a real run the row, the top finding and the stored summary agree', async () => {
    const s = await simulatedSetup({ mode: 'api-off' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id, errorText: 'There was an unexpected error on the Secure Email module' });
      expect(codes(run)).toEqual(['API_PORT_CLOSED']);
      expect(statusOf(run, 'error-text')).toBe('fail');
      expect(run.findings[0]!.severity).toBe('critical');
      expect(run.counts.warn).toBe(0);
      // Answering a manual step keeps the row aligned (it is re-evaluated and stored with the findings).
      const answered = await s.core.checks.answer(run.id, 'sse-services', 'no');
      expect(statusOf(answered, 'error-text')).toBe('fail');
      expect(s.core.checks.get(run.id).checks.find((c) => c.id === 'error-text')!.status).toBe('fail');
    } finally {
      await s.close();
    }
  });
});

describe('findings explained on their own (checks.explain) and runs listed with titles', () => {
  it('explains a code for a profile: its facts, fix links and the checks that confirm it', async () => {
    const core = testCore();
    try {
      const p = core.profiles.create(ProfileInput.parse({ ...sampleProfile, httpsPort: 7443 }));
      const r = await core.dispatcher.dispatch('checks.explain', { code: 'API_PORT_CLOSED', profileId: p.id });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const { finding, checks } = (r as { value: { finding: Finding; checks: { id: string }[] } }).value;
      expect(finding.remediation.en[0]).toContain('it names 7443 as the AsyncOS API HTTPS port');
      expect(finding.fix).toEqual({ profileField: 'httpsPort' });
      expect(checks.map((c) => c.id)).toEqual(['api-https-port']);

      const device = (await core.dispatcher.dispatch('checks.explain', { code: 'DEVICE_OFFLINE_IN_SSE', profileId: p.id })) as { value: { finding: Finding; checks: { id: string }[] } };
      expect(device.value.finding.fix).toEqual({ question: 'device-listed', portal: { kind: 'sse', url: 'https://admin.eu.sse.itd.cisco.com/', host: 'admin.eu.sse.itd.cisco.com' } });
      expect(device.value.checks.map((c) => c.id)).toEqual(['device-listed', 'cloud-https']);

      // Without a profile: general words, no region portal.
      const general = (await core.dispatcher.dispatch('checks.explain', { code: 'TOKEN_REJECTED' })) as { value: { finding: Finding } };
      expect(general.value.finding.title.en).toBe('Registration failed: invalid or expired token');
      expect(general.value.finding.fix).toBeUndefined();

      expect(await core.dispatcher.dispatch('checks.explain', { code: 'NO_SUCH_CODE' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'code' } });
      expect(await core.dispatcher.dispatch('checks.explain', { code: 'lower-case' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    } finally {
      core.close();
    }
  });

  it('explains a finding a HAR file raised with the capture’s own words', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'forbidden.har');
    const message = 'There was a client error in the Secure Email module: Forbidden [403]';
    fs.writeFileSync(file, JSON.stringify(har([entry({ response: { status: 502, statusText: 'Bad Gateway', content: { size: 80, mimeType: 'application/json', text: JSON.stringify({ errors: [{ message }] }) } } })])));
    const dialogs: Dialogs = { chooseSaveFile: async () => null, chooseOpenFile: async () => file, chooseOpenFiles: async () => [file] };
    const core = testCore({ dialogs });
    try {
      const imported = (await core.dispatcher.dispatch('har.importDialog', {})) as { value: { files: { id: string }[] } };
      const harId = imported.value.files[0]!.id;
      const review = (await core.dispatcher.dispatch('har.review', { id: harId })) as { ok: boolean; value: { analysis: { findingCodes: string[] } } };
      expect(review.value.analysis.findingCodes).toEqual(['MODULE_CLIENT_ERROR']);
      const r = (await core.dispatcher.dispatch('checks.explain', { code: 'MODULE_CLIENT_ERROR', harId })) as { value: { finding: Finding } };
      expect(r.value.finding.title.en).toBe('XDR module error: Forbidden [403]');
      // A code the capture did not raise, or a file gone, is explained in general words.
      const other = (await core.dispatcher.dispatch('checks.explain', { code: 'MODULE_CLIENT_ERROR', harId: '0123456789abcdef' })) as { value: { finding: Finding } };
      expect(other.value.finding.title.en).not.toContain('Forbidden');
      expect(other.value.finding.title.en).not.toMatch(/\{\w+\}/);
    } finally {
      core.close();
    }
  });

  it('lists runs with their findings’ titles, in order, and each stored finding with today’s fix links', async () => {
    const s = await simulatedSetup({ mode: 'api-off' });
    try {
      const run = await s.core.checks.run({ profileId: s.profile.id, answers: { 'sse-services': 'no' } });
      const [summary] = s.core.checks.list(s.profile.id, 5).runs;
      expect(summary!.findingTitles).toEqual([
        { code: 'API_PORT_CLOSED', severity: 'critical', title: knowledge.findings.get('API_PORT_CLOSED')!.title },
        { code: 'SSE_SERVICES_DISABLED', severity: 'error', title: knowledge.findings.get('SSE_SERVICES_DISABLED')!.title },
      ]);
      expect(run.findings.map((f) => f.fix)).toEqual([{ profileField: 'httpsPort' }, resolveFix(knowledge, 'SSE_SERVICES_DISABLED', 'eu')]);
      // A finding stored before fix links existed gets them when read.
      s.core.db.prepare("UPDATE run_findings SET finding = json_remove(finding, '$.fix') WHERE run_id = ?").run(run.id);
      expect(s.core.checks.get(run.id).findings.map((f) => f.fix?.portal?.host)).toEqual([undefined, 'admin.eu.sse.itd.cisco.com']);
    } finally {
      await s.close();
    }
  });
});
