import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import type { Finding, Run } from '../../electron/contract/checks.js';
import App from '../../renderer/src/App.svelte';
import { findingAsText, localInputToIso } from '../../renderer/src/lib/checks-view.js';
import { i18n } from '../../renderer/src/lib/i18n.svelte.js';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { tokenFromForm } from '../../renderer/src/lib/token-form.js';
import { simulatedSetup, VAULT_PASSPHRASE } from '../support/checks.js';
import { apiFor } from '../support/core-api.js';
import { sampleProfile, testCore } from '../support/core.js';
import { controlledApi } from './controlled-api.js';

const row = (id: string) => document.querySelector<HTMLElement>(`.check-row[data-check="${id}"]`);
const card = (id: string) => document.querySelector<HTMLElement>(`.manual-card[data-check="${id}"]`);
const progressbar = () => screen.getByRole('progressbar');
/** Finding codes in the order the page shows them: the headline, then the others. */
const shownCodes = () => [...document.querySelectorAll('.findings .finding.headline, .findings details[data-code]')].map((e) => e.getAttribute('data-code'));

function finding(code: string, severity: Finding['severity'], title: string): Finding {
  return { code, severity, seedStep: 'S6', title: { en: title, de: `${title} (de)` }, cause: { en: `cause of ${code}`, de: `Ursache ${code}` }, remediation: { en: [`fix ${code} first`, `then check ${code}`], de: [`zuerst ${code}`, `dann ${code}`] }, checks: [] };
}

/**
 * Renders the app on the Checks page with events under the test's control, starts a run, and
 * finishes it with `run` (which `runs.get` then returns too).
 */
async function finishedRun(core: ReturnType<typeof testCore>, profileId: string, run: Run): Promise<void> {
  const { api, emit } = controlledApi(core);
  api.checks = { ...api.checks, start: vi.fn(async () => ({ ok: true as const, value: { runId: run.id, total: 1 } })) };
  api.runs = { ...api.runs, get: vi.fn(async () => ({ ok: true as const, value: run })) };
  render(App, { props: { api } });
  await fireEvent.click(await screen.findByRole('button', { name: 'Run checks' }));
  await waitFor(() => expect(screen.getByRole('button', { name: 'Cancel run' })).toBeTruthy());
  emit('checks.finished', { runId: run.id, profileId, summary: run });
}

describe('checks view helpers', () => {
  it('turns a datetime-local value into ISO 8601 with this computer’s offset', () => {
    const iso = localInputToIso('2026-11-27T09:30')!;
    expect(iso).toMatch(/^2026-11-27T09:30:00[+-]\d{2}:\d{2}$/);
    expect(new Date(iso).getTime()).toBe(new Date(2026, 10, 27, 9, 30).getTime());
    expect(localInputToIso('yesterday')).toBeUndefined();
  });

  it('validates the token with the contract schema and names the request field', () => {
    expect(tokenFromForm({ value: '', createdAt: '', lifetime: '', region: '' })).toEqual({ token: undefined, errors: {} });
    expect(Object.keys(tokenFromForm({ value: 'abc', createdAt: '', lifetime: 'soon', region: '' }).errors)).toEqual(['token.lifetime']);
    expect(Object.keys(tokenFromForm({ value: '', createdAt: '', lifetime: '1h', region: '' }).errors)).toEqual(['token.value']);
    expect(tokenFromForm({ value: 'abc', createdAt: '2026-11-27T09:30', lifetime: '90m', region: 'eu' }).token).toMatchObject({ value: 'abc', lifetime: '90m', region: 'eu' });
  });

  it('renders a finding as plain text with numbered steps', () => {
    const text = findingAsText(finding('X', 'critical', 'Title'), 'en', { severity: 'Severity: Critical', step: 'Step S6', cause: 'Cause', remediation: 'What to do' });
    expect(text).toBe('Title\nSeverity: Critical · Step S6\n\nCause: cause of X\n\nWhat to do:\n1. fix X first\n2. then check X\n');
  });
});

describe('<ChecksPage> with events under the test’s control', () => {
  let core: ReturnType<typeof testCore>;
  let profileId: string;

  beforeEach(() => {
    core = testCore();
    profileId = core.profiles.create({ ...sampleProfile, httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, cluster: null, notes: '', trust: { mode: 'system' } } as never).id;
    router.go('checks', profileId);
    i18n.language = 'en';
  });
  afterEach(() => core.close());

  it('shows the runbook rows before a run, all not run yet', async () => {
    render(App, { props: { api: apiFor(core) } });
    await waitFor(() => expect(row('api-https-port')).toBeTruthy());
    expect(row('api-https-port')!.dataset.state).toBe('pending');
    expect(within(row('api-https-port')!).getByText('Not run')).toBeTruthy();
    expect(screen.getByText('AsyncOS API HTTPS port open')).toBeTruthy();
    expect(card('sse-services')).toBeTruthy();
    expect(within(card('sse-services')!).getAllByRole('button').map((b) => b.textContent?.trim())).toEqual(['Yes', 'No', 'Not sure']);
    expect(within(card('region-server')!).getAllByRole('button').map((b) => b.textContent?.trim())).toContain('api.eu.sse.itd.cisco.com (EU)');
    expect(progressbar().getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByText(/23 checks ready/)).toBeTruthy();
  });

  it('updates rows and the progress bar from progress events, takes early events, ignores other runs, and shows findings in the order returned', async () => {
    const { api, emit } = controlledApi(core);
    let release!: (v: { ok: true; value: { runId: string; total: number } }) => void;
    const started = vi.fn(() => new Promise<{ ok: true; value: { runId: string; total: number } }>((resolve) => (release = resolve)));
    const findings = [finding('API_PORT_CLOSED', 'critical', 'AsyncOS API is off'), finding('TOKEN_EXPIRED', 'error', 'Token expired'), finding('DASHBOARD_RANGE_TOO_SHORT', 'warning', 'Range too short'), finding('ESCALATE_TO_TAC', 'info', 'Ask TAC')];
    const run = { id: 'run-1', profileId, state: 'completed', checks: [{ id: 'appliance-dns', status: 'pass', outcome: 'literal', durationMs: 3, summary: { en: 'resolved fine', de: 'gut aufgelöst' }, evidence: { host: 'esa1' } }], findings, answers: {}, durationMs: 1200 } as unknown as Run;
    api.checks = { ...api.checks, start: started as never };
    api.runs = { ...api.runs, get: vi.fn(async () => ({ ok: true as const, value: run })) };
    render(App, { props: { api } });
    await waitFor(() => expect(row('appliance-dns')).toBeTruthy());

    await fireEvent.click(screen.getByRole('button', { name: 'Run checks' }));
    expect(started).toHaveBeenCalledWith(expect.objectContaining({ profileId, answers: {} }));
    // Events overtake the answer to checks.start: they wait for it.
    emit('checks.progress', { runId: 'run-1', profileId, done: 0, total: 3, check: { id: 'appliance-dns', state: 'running', result: null } });
    release({ ok: true, value: { runId: 'run-1', total: 3 } });
    await waitFor(() => expect(row('appliance-dns')!.dataset.state).toBe('running'));
    expect(screen.getByRole('button', { name: 'Cancel run' })).toBeTruthy();

    emit('checks.progress', { runId: 'other-run', profileId, done: 1, total: 3, check: { id: 'appliance-dns', state: 'fail', result: null } });
    emit('checks.progress', { runId: 'run-1', profileId, done: 1, total: 3, check: { id: 'appliance-dns', state: 'pass', result: run.checks[0]! } });
    await waitFor(() => expect(row('appliance-dns')!.dataset.state).toBe('pass'));
    expect(within(row('appliance-dns')!).getByText('resolved fine')).toBeTruthy();
    expect(within(row('appliance-dns')!).getByText('Passed')).toBeTruthy();
    expect(progressbar().getAttribute('aria-valuenow')).toBe('1');
    expect(progressbar().getAttribute('aria-valuemax')).toBe('3');
    expect(screen.getByText('1 of 3 checks done')).toBeTruthy();

    await fireEvent.click(within(row('appliance-dns')!).getByRole('button', { name: /Details/ }));
    expect(within(row('appliance-dns')!).getByRole('table')).toBeTruthy();
    expect(within(row('appliance-dns')!).getByText('esa1')).toBeTruthy();

    emit('checks.finished', { runId: 'run-1', profileId, summary: run });
    await waitFor(() => expect(document.querySelector('.finding.headline')).toBeTruthy());
    expect(shownCodes()).toEqual(['API_PORT_CLOSED', 'TOKEN_EXPIRED', 'DASHBOARD_RANGE_TOO_SHORT', 'ESCALATE_TO_TAC']);
    const headline = document.querySelector<HTMLElement>('.finding.headline')!;
    expect(within(headline).getByText('Most likely root cause')).toBeTruthy();
    expect(within(headline).getByRole('heading', { name: 'AsyncOS API is off' })).toBeTruthy();
    expect(within(headline).getByText('Critical')).toBeTruthy();
    expect(within(headline).getByText('Step S6 · AsyncOS API')).toBeTruthy();
    expect([...headline.querySelectorAll('ol li')].map((li) => li.textContent)).toEqual(['fix API_PORT_CLOSED first', 'then check API_PORT_CLOSED']);
    expect(screen.getByText('Also found (3)')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'View in History' }).getAttribute('href')).toBe('#/history/run-1');

    i18n.language = 'de';
    await waitFor(() => expect(within(headline).getByRole('heading', { name: 'AsyncOS API is off (de)' })).toBeTruthy());
    expect(within(headline).getByText('Wahrscheinlichste Ursache')).toBeTruthy();
  });

  it('says clearly when nothing is wrong', async () => {
    // The profile's XDR API client signed in, so SSE and XDR were checked too.
    const xdrAuth = { id: 'xdr-auth', status: 'pass', outcome: null, durationMs: 5, summary: { en: 'Token', de: 'Token' }, evidence: {} };
    const run = { id: 'r', profileId, state: 'completed', checks: [xdrAuth], findings: [finding('TOKEN_EXPIRES_SOON', 'info', 'Token expires soon')], answers: {}, durationMs: 10 } as unknown as Run;
    await finishedRun(core, profileId, run);
    expect(await screen.findByRole('heading', { name: 'No problems found' })).toBeTruthy();
    expect(screen.getByText('None of the checks found a problem in the path from this appliance to Cisco XDR.')).toBeTruthy();
    expect(screen.queryByTestId('add-xdr-client')).toBeNull();
    expect(document.querySelector('.finding.headline')).toBeNull();
    expect(screen.getByText('Token expires soon')).toBeTruthy();
  });

  it('without an XDR API client, the all-clear covers the path up to Threat Response only and leads to adding one', async () => {
    // No client: the runbook left the XDR checks out, or xdr-auth was skipped for want of a secret.
    const skipped = { id: 'xdr-auth', status: 'skip', outcome: 'no-client', durationMs: 0, summary: { en: 'No secret', de: 'Kein Secret' }, evidence: {} };
    const run = { id: 'r', profileId, state: 'completed', checks: [skipped], findings: [], answers: {}, durationMs: 10 } as unknown as Run;
    await finishedRun(core, profileId, run);
    expect(await screen.findByRole('heading', { name: 'No problems found up to the Threat Response server' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'No problems found' })).toBeNull();
    const add = screen.getByTestId('add-xdr-client');
    expect(add.textContent).toBe('Add an XDR API client');
    expect(add.getAttribute('href')).toBe(`#/profiles/${profileId}/edit/xdrClientId`);

    i18n.language = 'de';
    expect(await screen.findByRole('heading', { name: 'Bis zum Threat-Response-Server keine Probleme gefunden' })).toBeTruthy();
    expect(screen.getByTestId('add-xdr-client').textContent).toBe('XDR-API-Client hinzufügen');
  });

  it('a run from before the profile had its XDR API client says so, and asks for a new run instead of a client', async () => {
    core.close();
    core = testCore({ vaultPassphrase: 'checks page renderer test' });
    profileId = core.profiles.create({ ...sampleProfile, httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, cluster: null, notes: '', trust: { mode: 'system' }, xdrClientId: 'client-0123abcd' } as never).id;
    core.secrets.set(profileId, 'xdr-client-secret', 'client-secret-planted-7f3a');
    router.go('checks', profileId);
    // A run without the XDR checks: made before the client was added.
    const run = { id: 'r', profileId, state: 'completed', checks: [], findings: [], answers: {}, durationMs: 10 } as unknown as Run;
    await finishedRun(core, profileId, run);
    expect(await screen.findByRole('heading', { name: 'No problems found up to the Threat Response server' })).toBeTruthy();
    expect(screen.getByText(/The profile has an XDR API client now: run the checks again/)).toBeTruthy();
    expect(screen.queryByTestId('add-xdr-client')).toBeNull();
    expect(document.body.innerHTML).not.toContain('client-secret-planted-7f3a');
  });

  it('copies the headline’s steps as plain text and confirms it', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const run = { id: 'r', profileId, state: 'completed', checks: [], findings: [finding('API_PORT_CLOSED', 'critical', 'AsyncOS API is off')], answers: {}, durationMs: 10 } as unknown as Run;
    await finishedRun(core, profileId, run);
    await fireEvent.click(await screen.findByRole('button', { name: 'Copy steps' }));
    expect(await screen.findByText('Copied to the clipboard.')).toBeTruthy();
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('AsyncOS API is off\nSeverity: Critical · Step S6 · AsyncOS API'));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('\n1. fix API_PORT_CLOSED first\n2. then check API_PORT_CLOSED\n'));
  });

  it('shows token errors under their fields, from the form and from the core, and sends nothing invalid', async () => {
    const { api } = controlledApi(core);
    const start = vi.fn(async () => ({ ok: false as const, error: { code: 'INVALID_REQUEST' as const, message: 'Region says no', field: 'token.region' } }));
    api.checks = { ...api.checks, start };
    render(App, { props: { api } });
    await fireEvent.click(await screen.findByText('Registration token'));
    await fireEvent.input(screen.getByLabelText('Token'), { target: { value: 'abcdef' } });
    await fireEvent.input(screen.getByLabelText('Lifetime'), { target: { value: 'a while' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Run checks' }));
    expect(await screen.findByText('Lifetime must be a duration such as 1h, 90m, 7d or PT1H')).toBeTruthy();
    expect(screen.getByLabelText('Lifetime').getAttribute('aria-invalid')).toBe('true');
    expect(start).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText('Lifetime'), { target: { value: '7d' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Run checks' }));
    expect(await screen.findByText('Region says no')).toBeTruthy();
    expect(screen.getByLabelText('Generated in the SSE portal of').getAttribute('aria-invalid')).toBe('true');
    expect(start).toHaveBeenCalledWith(expect.objectContaining({ token: { value: 'abcdef', lifetime: '7d' } }));
    // The token is a password field and never appears as text.
    expect(screen.getByLabelText('Token').getAttribute('type')).toBe('password');
    expect(document.body.textContent).not.toContain('abcdef');
  });

  it('shows what the pasted error means, and says so when it is unknown', async () => {
    render(App, { props: { api: apiFor(core) } });
    const box = await screen.findByLabelText('Message from XDR, SSE or the appliance');
    await fireEvent.input(box, { target: { value: 'E4017: Gerät ist offline [409]' } });
    const triage = screen.getByTestId('triage');
    await waitFor(() => expect(triage.querySelector('.triage-match')).toBeTruthy(), { timeout: 3000 });
    expect(triage.textContent).toContain('Recognised:');
    expect(triage.textContent).toContain('German');
    expect(triage.textContent).toContain('The appliance is no longer registered in SSE');
    expect(triage.textContent).toContain('Appliance listed in SSE');
    await fireEvent.input(box, { target: { value: 'the printer is on fire' } });
    await waitFor(() => expect(triage.textContent).toContain('Not a message the troubleshooter knows.'), { timeout: 3000 });
  });
});

describe('<ChecksPage> for a CES tenant', () => {
  it('recognises the German tile message, says only TAC can enable the API, and offers the support archive', async () => {
    const core = testCore();
    const ces = core.profiles.create({ ...sampleProfile, name: 'ces-tenant', kind: 'ces', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, cluster: null, notes: '', trust: { mode: 'system' } } as never);
    i18n.language = 'en';
    router.go('checks', ces.id);
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.input(await screen.findByLabelText('Message from XDR, SSE or the appliance'), { target: { value: 'Es gab einen unerwarteten Fehler auf dem sicheren E-Mail-Modul' } });
    const triage = screen.getByTestId('triage');
    await waitFor(() => expect(triage.querySelector('details[data-code="API_PORT_CLOSED"]')).toBeTruthy(), { timeout: 3000 });
    expect(triage.querySelector('details[data-code="API_PORT_CLOSED"]')!.textContent).toContain('only Cisco TAC can enable the AsyncOS API');
    await fireEvent.click(within(triage).getByRole('link', { name: 'Build a support archive for TAC' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Support archive' })).toBeTruthy();
    core.close();
  });
});

describe('<ChecksPage> against the appliance simulator', () => {
  beforeEach(() => {
    i18n.language = 'en';
  });

  it('runs the checks, puts the root cause on top, and re-evaluates findings when a manual step is answered', async () => {
    const setup = await simulatedSetup({ mode: 'api-off' });
    router.go('checks', setup.profile.id);
    const api = apiFor(setup.core);
    const answer = vi.spyOn(api.checks, 'answer');
    render(App, { props: { api } });
    await waitFor(() => expect(card('sse-services')).toBeTruthy());
    // Answered before the run: it goes into the run.
    await fireEvent.click(within(card('changes-committed')!).getByRole('button', { name: 'Yes' }));
    expect(within(card('changes-committed')!).getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed')).toBe('true');
    await fireEvent.click(screen.getByRole('button', { name: 'Run checks' }));
    await waitFor(() => expect(document.querySelector('.finding.headline')).toBeTruthy(), { timeout: 15_000 });
    expect(document.querySelector('.finding.headline')!.getAttribute('data-code')).toBe('API_PORT_CLOSED');
    expect(screen.getByRole('heading', { name: 'AsyncOS API is not enabled on the management interface' })).toBeTruthy();
    expect(row('api-https-port')!.dataset.state).toBe('fail');
    expect(row('api-tls')!.dataset.state).toBe('skip');
    expect(card('changes-committed')!.dataset.state).toBe('pass');

    const runId = setup.core.checks.list(setup.profile.id, 1).runs[0]!.id;
    expect(setup.core.checks.get(runId).answers).toEqual({ 'changes-committed': 'yes' });
    expect(shownCodes()).toEqual(setup.core.checks.get(runId).findings.map((f) => f.code));

    await fireEvent.click(within(card('sse-services')!).getByRole('button', { name: 'No' }));
    expect(answer).toHaveBeenCalledWith({ runId, checkId: 'sse-services', answer: 'no' });
    await waitFor(() => expect(document.querySelector('.findings [data-code="SSE_SERVICES_DISABLED"]')).toBeTruthy());
    expect(card('sse-services')!.dataset.state).toBe('fail');
    expect(shownCodes()).toEqual(setup.core.checks.get(runId).findings.map((f) => f.code));
    expect(within(card('sse-services')!).getByRole('button', { name: 'No' }).getAttribute('aria-pressed')).toBe('true');
    await setup.close();
  });

  it('asks for the vault passphrase before a run needs the stored password', async () => {
    const setup = await simulatedSetup({ mode: 'healthy' });
    setup.core.vault.lock();
    router.go('checks', setup.profile.id);
    render(App, { props: { api: apiFor(setup.core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Run checks' }));
    expect(await screen.findByRole('dialog', { name: 'Unlock the credential vault' })).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Vault passphrase'), { target: { value: VAULT_PASSPHRASE } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(row('api-auth')?.dataset.state).toBe('pass'), { timeout: 15_000 });
    expect(setup.core.vault.status().state).toBe('unlocked');
    await setup.close();
  });

  it('does not start when the vault dialog is dismissed, and says why', async () => {
    const setup = await simulatedSetup({ mode: 'healthy' });
    setup.core.vault.lock();
    router.go('checks', setup.profile.id);
    render(App, { props: { api: apiFor(setup.core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Run checks' }));
    await fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect((await screen.findByRole('alert')).textContent).toContain('unlock the credential vault');
    expect(setup.core.checks.list(setup.profile.id, 5).runs).toHaveLength(0);
    await setup.close();
  });

  it('offers the way to Profiles when there is no appliance yet', async () => {
    const core = testCore();
    router.go('checks');
    render(App, { props: { api: apiFor(core) } });
    expect(await screen.findByText('Nothing to check yet')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Go to Profiles' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Appliance profiles' })).toBeTruthy();
    core.close();
  });
});
