import path from 'node:path';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/src/App.svelte';
import type { Api } from '../../electron/contract/api.js';
import type { ArchiveInfo } from '../../electron/contract/archive.js';
import { ProfileInput } from '../../electron/contract/profiles.js';
import type { Dialogs } from '../../electron/core/core.js';
import { i18n } from '../../renderer/src/lib/i18n.svelte.js';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { startSimulator, type Simulator } from '../fixtures/simulator/simulator.js';
import { plantedArchiveHar, PLANTED, sha256File } from '../support/archive.js';
import { VAULT_PASSPHRASE } from '../support/checks.js';
import { apiFor } from '../support/core-api.js';
import { sampleProfile, testCore } from '../support/core.js';
import { secretForms } from '../support/har.js';
import { pemToDer, recipientCert } from '../support/recipient-certs.js';
import { tempDir } from '../support/temp.js';

const heading = () => document.querySelector<HTMLHeadingElement>('#archive-step-title')!;
const next = () => fireEvent.click(screen.getByRole('button', { name: 'Next' }));

/** Everything a page shows or holds: its markup and the values of its fields. */
function pageText(): string {
  const values = [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].map((i) => i.value);
  return `${document.body.innerHTML}\n${values.join('\n')}`;
}

describe('<ArchivePage> wizard', () => {
  let sim: Simulator;
  let core: ReturnType<typeof testCore>;
  let profileId: string;
  let runs: string[];
  let har: string;
  const saveTarget = path.join(tempDir(), 'SR698765432-support.zip');
  const shown: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ mode: 'api-off' });
    const dialogs: Dialogs = {
      chooseSaveFile: async () => saveTarget,
      chooseOpenFile: async () => null,
      chooseOpenFiles: async () => [har],
      showInFolder: (file) => shown.push(file),
    };
    core = testCore({ endpointsFile: sim.endpointsFile, vaultPassphrase: VAULT_PASSPHRASE, env: {}, transport: 'electron', dialogs });
    const profile = core.profiles.create(
      { name: 'esa-frankfurt', kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: sim.username, cluster: null, notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 } } as never,
      sim.password,
    );
    profileId = profile.id;
    const older = await core.checks.run({ profileId });
    await new Promise((r) => setTimeout(r, 20));
    const newer = await core.checks.run({ profileId });
    runs = [newer.id, older.id];
    har = plantedArchiveHar(path.join(tempDir(), 'xdr-capture.har'), { host: '127.0.0.1', storedPassword: sim.password });
  }, 60_000);

  afterAll(async () => {
    core?.close();
    await sim?.close();
  });

  beforeEach(() => {
    i18n.language = 'en';
    router.go('archive');
  });

  it('walks profile and runs, HAR review, case number, a generated passphrase, build and save in the desktop app', async () => {
    render(App, { props: { api: apiFor(core) } });

    // Step 1: the newest run is chosen.
    await waitFor(() => expect(document.querySelectorAll('.archive-runs li[data-run]')).toHaveLength(2));
    expect(heading().textContent).toBe('Profile and runs');
    const boxes = runs.map((id) => document.querySelector<HTMLInputElement>(`li[data-run="${id}"] input`)!);
    expect(boxes.map((b) => b.checked)).toEqual([true, false]);
    expect(screen.getByLabelText<HTMLSelectElement>('Appliance profile').value).toBe(profileId);
    await fireEvent.click(boxes[1]!);
    expect(screen.getByText('2 runs chosen')).toBeTruthy();

    // Step 2: import through the native dialog; the new file is chosen and its report shows counts by rule.
    await next();
    await waitFor(() => expect(heading().textContent).toBe('HAR files'));
    expect(document.activeElement).toBe(heading());
    expect(screen.getByText('No HAR file imported yet. Add one below, or go on without.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Choose files…' }));
    await waitFor(() => expect(document.querySelector('.archive-rule-counts li[data-rule="cookie"]')).toBeTruthy());
    const row = document.querySelector<HTMLElement>('.archive-har')!;
    expect(within(row).getByRole<HTMLInputElement>('checkbox').checked).toBe(true);
    expect(row.querySelector('li[data-rule="authorization"]')!.textContent).toMatch(/^Authorization headers \d+$/);
    expect(row.textContent).toMatch(/\d+ values removed in \d+ of \d+ requests/);
    for (const s of [...Object.values(PLANTED), sim.password]) for (const form of secretForms(s)) expect(pageText().includes(form), form).toBe(false);

    // Step 3: appliance logs; the simulated API is off, which the step says instead of listing.
    await next();
    await waitFor(() => expect(heading().textContent).toBe('Appliance logs'));
    await fireEvent.click(screen.getByRole('button', { name: 'List the appliance’s log subscriptions' }));
    await waitFor(() => expect(document.querySelector('.logs-notice[data-notice="unreachable"]')).toBeTruthy());

    // Step 4: a letter is wrong at once; missing digits only when going on.
    await next();
    await waitFor(() => expect(heading().textContent).toBe('Case and notes'));
    const caseInput = screen.getByLabelText<HTMLInputElement>('TAC case number');
    await fireEvent.input(caseInput, { target: { value: '6987a' } });
    expect(caseInput.getAttribute('aria-invalid')).toBe('true');
    expect(document.querySelector('#archive-case-err')!.textContent).toBe('A TAC case (service request) number has 9 digits, e.g. 698765432');
    await fireEvent.input(caseInput, { target: { value: '69876543' } });
    expect(caseInput.getAttribute('aria-invalid')).toBeNull();
    await next();
    expect(heading().textContent).toBe('Case and notes');
    expect(caseInput.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(caseInput, { target: { value: '698765432' } });
    await fireEvent.input(screen.getByLabelText('Notes for TAC'), { target: { value: 'E4017 since Monday' } });
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Include host names' }).checked).toBe(false);

    // Step 5: the strength meter and its problems as you type; a weak password is refused.
    await next();
    await waitFor(() => expect(heading().textContent).toBe('Encryption'));
    const pw = screen.getByLabelText<HTMLInputElement>('Archive password');
    // Leetspeak on a product name (the old estimator called it strong); the estimator's chunk loads with the page.
    await fireEvent.input(pw, { target: { value: 'Ir0nP0rt!2024' } });
    await waitFor(() => expect(document.querySelector('.strength')!.getAttribute('data-level')).toBe('weak'));
    expect(document.querySelector('.strength-problems li[data-problem="product-word"]')!.textContent).toBe(
      'Avoid Cisco’s product names (Cisco, IronPort, AsyncOS, XDR, SecureX) and the appliance’s own host and user names.',
    );
    expect(document.querySelector('.strength-problems li[data-problem="leetspeak"]')).not.toBeNull();
    expect(screen.getByRole('meter', { name: 'Password strength' }).getAttribute('aria-valuetext')).toMatch(/^Weak, about \d+ bits$/);
    // The chosen profile's own name is one of the words the estimator knows.
    await fireEvent.input(pw, { target: { value: 'esa-frankfurt!77' } });
    expect(document.querySelector('.strength')!.getAttribute('data-level')).toBe('weak');
    expect(document.querySelector('.strength-problems li[data-problem="product-word"]')).not.toBeNull();
    await fireEvent.input(pw, { target: { value: 'password2024' } });
    expect(document.querySelector('.strength-problems li[data-problem="common-word"]')!.textContent).toBe('Avoid words from dictionaries and password lists, such as “password”, “Sommer” or names.');
    await fireEvent.click(screen.getByRole('button', { name: 'Build archive' }));
    expect(await screen.findByText('Choose a stronger password, or generate one.')).toBeTruthy();

    // Generated: shown once; leaving the step forgets it.
    await fireEvent.click(screen.getByRole('button', { name: 'Generate a strong passphrase' }));
    const box = await screen.findByTestId('generated-passphrase');
    const first = box.querySelector('code')!.textContent!;
    expect(first).toMatch(/^([a-z2-9]{5}-){5}[a-z2-9]{5}$/);
    expect(pw.value).toBe(first);
    expect(document.querySelector('.strength')!.getAttribute('data-level')).toBe('strong');
    await fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(heading().textContent).toBe('Case and notes'));
    expect(pageText().includes(first)).toBe(false);
    await next();
    await waitFor(() => expect(heading().textContent).toBe('Encryption'));
    expect(screen.getByLabelText<HTMLInputElement>('Archive password').value).toBe('');
    expect(screen.getByText('The password was cleared when you left this step. Enter it again or generate a new one.')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Generate a strong passphrase' }));
    const passphrase = (await screen.findByTestId('generated-passphrase')).querySelector('code')!.textContent!;
    expect(passphrase).not.toBe(first);

    // Build: done, with the file's facts; the passphrase is gone from the page.
    await fireEvent.click(screen.getByRole('button', { name: 'Build archive' }));
    await waitFor(() => expect(heading().textContent).toBe('Archive ready'), { timeout: 30_000 });
    expect(document.activeElement).toBe(heading());
    const info = core.archive.list()[0]!;
    expect(screen.getByTestId('archive-name').textContent).toBe('xet-support-case-698765432.zip');
    expect(screen.getByTestId('archive-sha256').textContent).toBe(info.sha256);
    expect(pageText().includes(passphrase)).toBe(false);
    expect(document.querySelector('.archive-tac code')!.textContent).toBe('curl -T "xet-support-case-698765432.zip" -u 698765432 https://cxd.cisco.com/home/');
    expect(screen.queryByRole('button', { name: 'Show in folder' })).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Save…' }));
    expect(await screen.findByText(`Saved to ${saveTarget}.`)).toBeTruthy();
    expect(sha256File(saveTarget)).toBe(info.sha256);
    await fireEvent.click(screen.getByRole('button', { name: 'Show in folder' }));
    await waitFor(() => expect(shown).toEqual([saveTarget]));
    expect(localStorage.length + sessionStorage.length).toBe(0);

    // Built in this session: listed on the first step, and opens again.
    await fireEvent.click(screen.getByRole('button', { name: 'Build another archive' }));
    await waitFor(() => expect(heading().textContent).toBe('Profile and runs'));
    await fireEvent.click(await screen.findByRole('button', { name: 'Open xet-support-case-698765432.zip' }));
    await waitFor(() => expect(heading().textContent).toBe('Archive ready'));
    expect(screen.getByTestId('archive-sha256').textContent).toBe(info.sha256);
  }, 60_000);

  it('shows a refused recipient certificate at its own entry, and a DER file travels as PEM', async () => {
    render(App, { props: { api: apiFor(core) } });
    await waitFor(() => expect(document.querySelectorAll('.archive-runs li[data-run]')).toHaveLength(2));
    for (const title of ['HAR files', 'Appliance logs', 'Case and notes', 'Encryption']) {
      await next();
      await waitFor(() => expect(heading().textContent).toBe(title));
    }
    await fireEvent.click(screen.getByRole('radio', { name: /Recipient certificate/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Build archive' }));
    expect(await screen.findByText('Add at least one recipient certificate.')).toBeTruthy();

    const good = recipientCert().cert;
    const expired = recipientCert({ notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') }).cert;
    const input = document.querySelector<HTMLInputElement>('#archive-cert-input')!;
    expect(screen.getByRole('group', { name: 'Recipient certificates' })).toBeTruthy();
    await fireEvent.change(input, { target: { files: [new File([new Uint8Array(pemToDer(good))], 'tac.der'), new File([expired], 'old-tac.pem')] } });
    await waitFor(() => expect(document.querySelectorAll('.archive-cert')).toHaveLength(2));
    await fireEvent.click(screen.getByRole('button', { name: 'Build archive' }));
    await waitFor(() => expect(document.querySelector('.archive-cert[data-cert="old-tac.pem"] .field-error')).toBeTruthy(), { timeout: 20_000 });
    expect(heading().textContent).toBe('Encryption');
    expect(document.querySelector('.archive-cert[data-cert="old-tac.pem"] .field-error')!.textContent).toMatch(/^old-tac\.pem: expired on 2021-01-01/);
    expect(document.querySelector('.archive-cert[data-cert="tac.der"] .field-error')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Remove old-tac.pem' }));
    expect(document.querySelectorAll('.archive-cert')).toHaveLength(1);
    await fireEvent.click(screen.getByRole('button', { name: 'Build archive' }));
    await waitFor(() => expect(heading().textContent).toBe('Archive ready'), { timeout: 30_000 });
    expect(screen.getByTestId('archive-name').textContent).toMatch(/^xet-support-\d{8}-\d{4}\.p7m$/);
    expect(screen.queryByText('Send the password to TAC separately, never together with the archive.')).toBeNull();
  }, 60_000);
});

describe('<ArchivePage> with a locked vault', () => {
  beforeEach(() => {
    i18n.language = 'en';
    router.go('archive');
  });

  it('asks for the vault passphrase before building (the archive masks the stored secrets), then builds', async () => {
    const dataDir = tempDir();
    const first = testCore({ dataDir, vaultPassphrase: VAULT_PASSPHRASE });
    first.profiles.create(ProfileInput.parse(sampleProfile), 'Appliance-Pa55word!');
    first.close();
    const core = testCore({ dataDir });
    expect(core.vault.status().state).toBe('locked');
    render(App, { props: { api: apiFor(core) } });
    await waitFor(() => expect(heading().textContent).toBe('Profile and runs'));
    for (const title of ['HAR files', 'Appliance logs', 'Case and notes', 'Encryption']) {
      await next();
      await waitFor(() => expect(heading().textContent).toBe(title));
    }
    await fireEvent.input(screen.getByLabelText('Archive password'), { target: { value: 'Ruby-Falcon-Harbour-2931' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Build archive' }));
    const dialog = await screen.findByRole('dialog');
    await fireEvent.input(within(dialog).getByLabelText('Vault passphrase'), { target: { value: VAULT_PASSPHRASE } });
    await fireEvent.submit(dialog.querySelector('form')!);
    await waitFor(() => expect(heading().textContent).toBe('Archive ready'), { timeout: 20_000 });
    expect(core.archive.list()).toHaveLength(1);
    core.close();
  });
});

describe('<ArchivePage> build progress and the web host', () => {
  const info: ArchiveInfo = {
    id: '0123456789abcdef',
    name: 'xet-support-case-698765432.zip',
    mode: 'password',
    bytes: 45 * 1024 * 1024,
    sha256: 'a'.repeat(64),
    parts: [1, 2, 3].map((n) => ({ name: `xet-support-case-698765432.zip.00${n}`, bytes: 15 * 1024 * 1024, sha256: String(n).repeat(64) })),
    files: [],
    createdAt: '2026-11-28T10:00:00.000Z',
    // Every part fits an e-mail, so the core warns of nothing (it warns when one part is over 20 MB).
    warnings: [],
  };

  /** The real core for everything but the build, which the test drives: progress events, then the answer. */
  function drivenApi() {
    const core = testCore();
    core.profiles.create(ProfileInput.parse(sampleProfile));
    const real = apiFor(core);
    const listeners = new Set<(p: unknown) => void>();
    const calls: { create: Record<string, unknown>[]; cancel: string[] } = { create: [], cancel: [] };
    let answer: (value: unknown) => void = () => undefined;
    const api = {
      ...real,
      archive: {
        ...real.archive,
        create: (request: Record<string, unknown>) => (calls.create.push(request), new Promise((resolve) => (answer = resolve))),
        cancel: async ({ taskId }: { taskId: string }) => (calls.cancel.push(taskId), { ok: true, value: { cancelled: true } }),
      },
      events: {
        on: (name: string, listener: (p: unknown) => void) => {
          if (name !== 'archive.progress') return real.events.on(name as never, listener as never);
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
    } as unknown as Api;
    return { core, api, calls, emit: (p: unknown) => listeners.forEach((l) => l(p)), answer: (v: unknown) => answer(v) };
  }

  async function toBuild(): Promise<void> {
    await waitFor(() => expect(heading()).toBeTruthy());
    for (const title of ['HAR files', 'Appliance logs', 'Case and notes', 'Encryption']) {
      await next();
      await waitFor(() => expect(heading().textContent).toBe(title));
    }
    await fireEvent.input(screen.getByLabelText('Archive password'), { target: { value: 'Ruby-Falcon-Harbour-2931' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Build archive' }));
    await waitFor(() => expect(heading().textContent).toBe('Building the archive'));
  }

  beforeEach(() => {
    i18n.language = 'en';
    router.go('archive');
  });

  it('moves the bar through the stages and cancels with the task id it sent', async () => {
    const d = drivenApi();
    render(App, { props: { api: d.api } });
    await toBuild();
    const taskId = d.calls.create[0]!.taskId as string;
    expect(taskId).toMatch(/^[a-zA-Z0-9-]{8,64}$/);
    expect(d.calls.create[0]!.encryption).toEqual({ mode: 'password', password: 'Ruby-Falcon-Harbour-2931' });
    expect(pageText().includes('Ruby-Falcon-Harbour-2931')).toBe(false);
    const bar = screen.getByRole('progressbar', { name: 'Support archive progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    d.emit({ taskId: 'someone-elses-task', stage: 'encrypt', done: 0, total: 1, message: '' });
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    d.emit({ taskId, stage: 'sanitise', done: 50, total: 100, message: 'Sanitising HAR 1 of 1' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('30'));
    expect(bar.getAttribute('aria-valuetext')).toBe('Cleaning HAR files · 30 %');
    expect(document.querySelector('.archive-stage[data-stage="prepare"]')!.className).toContain('archive-stage-done');
    expect(document.querySelector('.archive-stage[aria-current="step"]')!.getAttribute('data-stage')).toBe('sanitise');
    await fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(d.calls.cancel).toEqual([taskId]);
    d.answer({ ok: false, error: { code: 'CONFLICT', message: 'The archive was cancelled; nothing was saved.' } });
    await waitFor(() => expect(heading().textContent).toBe('Encryption'));
    expect(screen.getByText('Cancelled: nothing was saved.')).toBeTruthy();
    expect(screen.getByLabelText<HTMLInputElement>('Archive password').value).toBe('');
    d.core.close();
  });

  it('takes the profile from the address (#/archive/<id>, as the Checks page links it) and keeps the address on the chosen one', async () => {
    const d = drivenApi();
    const first = d.core.profiles.list().profiles[0]!;
    const second = d.core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'esa-second', host: 'esa2.example.com' }));
    router.go('archive', second.id);
    render(App, { props: { api: d.api } });
    const select = await screen.findByLabelText<HTMLSelectElement>('Appliance profile');
    await waitFor(() => expect(select.value).toBe(second.id));
    expect(screen.getByText('No stored run for this profile. You can build the archive without one, or run the checks first.')).toBeTruthy();
    await fireEvent.change(select, { target: { value: first.id } });
    await waitFor(() => expect(location.hash).toBe(`#/archive/${first.id}`));
    d.core.close();
  });

  it('in the browser: one download link per part, no e-mail warning when every part fits, and the TAC ways in German', async () => {
    const d = drivenApi();
    render(App, { props: { api: d.api } });
    await toBuild();
    d.answer({ ok: true, value: info });
    await waitFor(() => expect(heading().textContent).toBe('Archive ready'));
    const links = [...document.querySelectorAll<HTMLAnchorElement>('.archive-save a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([1, 2, 3].map((n) => `/files/archive/0123456789abcdef?part=${n}`));
    expect(links.map((a) => a.getAttribute('download'))).toEqual(info.parts.map((p) => p.name));
    expect(screen.queryByRole('button', { name: 'Save…' })).toBeNull();
    expect(document.querySelectorAll('.archive-parts tr')).toHaveLength(3);
    expect(document.querySelector('.archive-tac li[data-way="email"]')!.className).not.toContain('unfit');
    expect(document.querySelector('.archive-warning')).toBeNull();
    i18n.language = 'de';
    await waitFor(() => expect(heading().textContent).toBe('Archiv fertig'));
    expect(document.querySelector('.archive-tac h3')!.textContent).toBe('So gelangt das Archiv zum TAC');
    expect(links[0]!.textContent).toBe('xet-support-case-698765432.zip.001 herunterladen');
    d.core.close();
  });
});
