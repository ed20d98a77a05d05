import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/src/App.svelte';
import { i18n } from '../../renderer/src/lib/i18n.svelte.js';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { simulatedSetup } from '../support/checks.js';
import { apiFor } from '../support/core-api.js';
import { testCore } from '../support/core.js';

const items = () => [...document.querySelectorAll<HTMLElement>('.run-item')];

describe('<HistoryPage> with stored runs', () => {
  let setup: Awaited<ReturnType<typeof simulatedSetup>>;
  let first: string;
  let second: string;

  beforeAll(async () => {
    setup = await simulatedSetup({ mode: 'api-off' });
    first = (await setup.core.checks.run({ profileId: setup.profile.id, answers: { 'sse-services': 'no' } })).id;
    // Started times are ISO strings to the millisecond; keep the two runs apart.
    await new Promise((r) => setTimeout(r, 20));
    second = (await setup.core.checks.run({ profileId: setup.profile.id, answers: { 'sse-services': 'yes', 'device-listed': 'no' } })).id;
  });
  afterAll(() => setup.close());

  beforeEach(() => {
    i18n.language = 'en';
    router.go('history');
  });

  it('lists runs newest first with state, worst severity, counts and finding codes', async () => {
    render(App, { props: { api: apiFor(setup.core) } });
    await waitFor(() => expect(items()).toHaveLength(2));
    expect(items().map((i) => i.dataset.run)).toEqual([second, first]);
    const newest = items()[0]!;
    expect(within(newest).getByText('Completed')).toBeTruthy();
    expect(within(newest).getByText('Critical')).toBeTruthy();
    expect(newest.querySelector('.count-fail')!.textContent).toBe('Failed 3');
    expect(within(newest).getByText('DEVICE_OFFLINE_IN_SSE')).toBeTruthy();
    expect(within(items()[1]!).getByText('SSE_SERVICES_DISABLED')).toBeTruthy();
    expect(within(newest).getByText(setup.profile.name)).toBeTruthy();
  });

  it('filters by profile', async () => {
    const other = setup.core.profiles.create({ ...setup.core.profiles.fields(setup.profile.id), name: 'other-esa' } as never);
    render(App, { props: { api: apiFor(setup.core) } });
    await waitFor(() => expect(items()).toHaveLength(2));
    const select = (await screen.findByLabelText('Appliance')) as HTMLSelectElement;
    await waitFor(() => expect(select.options).toHaveLength(3));
    await fireEvent.change(select, { target: { value: other.id } });
    expect(await screen.findByText('No runs for this appliance yet.')).toBeTruthy();
    await fireEvent.change(select, { target: { value: setup.profile.id } });
    await waitFor(() => expect(items()).toHaveLength(2));
    setup.core.profiles.delete(other.id);
  });

  it('opens a run with its findings and checks', async () => {
    render(App, { props: { api: apiFor(setup.core) } });
    await waitFor(() => expect(items()).toHaveLength(2));
    await fireEvent.click(within(items()[1]!).getByRole('link'));
    await waitFor(() => expect(document.querySelector('.run-detail .finding.headline')).toBeTruthy());
    expect(router.param).toBe(first);
    expect(document.querySelector('.finding.headline')!.getAttribute('data-code')).toBe('API_PORT_CLOSED');
    expect(document.querySelector('.findings details[data-code="SSE_SERVICES_DISABLED"]')).toBeTruthy();
    expect(document.querySelector<HTMLElement>('.check-row[data-check="api-https-port"]')!.dataset.state).toBe('fail');
    expect(screen.getByText('AsyncOS API HTTPS port open')).toBeTruthy();
    expect(document.querySelector<HTMLElement>('.manual-card[data-check="sse-services"]')!.dataset.state).toBe('fail');
    await fireEvent.click(screen.getByRole('link', { name: /All runs/ }));
    await waitFor(() => expect(items()).toHaveLength(2));
  });

  it('compares two selected runs: checks that changed, findings new, resolved and unchanged', async () => {
    render(App, { props: { api: apiFor(setup.core) } });
    await waitFor(() => expect(items()).toHaveLength(2));
    const compare = screen.getByRole('button', { name: 'Compare' }) as HTMLButtonElement;
    expect(compare.disabled).toBe(true);
    for (const item of items()) await fireEvent.click(within(item).getByRole('checkbox'));
    expect(screen.getByText(/^Two runs picked: Compare shows what changed/)).toBeTruthy();
    await fireEvent.click(compare);
    await waitFor(() => expect(document.querySelector('.run-diff')).toBeTruthy());
    // Older run first, whichever order they were picked in.
    expect(router.param).toBe(`compare/${first}/${second}`);
    const block = (kind: string) => document.querySelector<HTMLElement>(`.diff-${kind}`)!;
    await waitFor(() => expect(within(block('unchanged')).getByText('AsyncOS API is not enabled on the management interface')).toBeTruthy());
    expect(within(block('resolved')).getByText('SSE cloud services for XDR are not enabled')).toBeTruthy();
    expect(within(block('new')).getByText('The appliance is no longer registered in SSE')).toBeTruthy();
    const rows = [...document.querySelectorAll<HTMLElement>('.diff-table tbody tr')];
    expect(rows.map((r) => r.dataset.check).sort()).toEqual(['device-listed', 'sse-services']);
    const sse = rows.find((r) => r.dataset.check === 'sse-services')!;
    expect(within(sse).getByText('SSE cloud services enabled')).toBeTruthy();
    expect([...sse.querySelectorAll('.status')].map((s) => s.textContent?.trim())).toEqual(['Failed', 'Passed']);
  });

  it('deletes a run only after confirmation', async () => {
    render(App, { props: { api: apiFor(setup.core) } });
    await waitFor(() => expect(items()).toHaveLength(2));
    await fireEvent.click(within(items()[1]!).getByRole('button', { name: /Delete the run of/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this run?' });
    await fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(setup.core.checks.list(setup.profile.id, 10).runs).toHaveLength(2);
    await fireEvent.click(within(items()[1]!).getByRole('button', { name: /Delete the run of/ }));
    await fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(items()).toHaveLength(1));
    expect(setup.core.checks.list(setup.profile.id, 10).runs.map((r) => r.id)).toEqual([second]);
    expect(screen.getByText(/Deleted the run of/)).toBeTruthy();
  });
});

describe('<HistoryPage> empty', () => {
  it('explains that runs appear after checks and links there', async () => {
    const core = testCore();
    i18n.language = 'en';
    router.go('history');
    render(App, { props: { api: apiFor(core) } });
    expect(await screen.findByText('No runs yet')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Go to Checks' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Guided checks' })).toBeTruthy();
    core.close();
  });
});

describe('Settings → proxy', () => {
  it('shows the contract’s message under the field and stores a valid proxy', async () => {
    const core = testCore();
    i18n.language = 'en';
    router.go('settings');
    render(App, { props: { api: apiFor(core) } });
    const input = await screen.findByLabelText('Proxy for cloud checks');
    await fireEvent.input(input, { target: { value: 'ftp://proxy.example.com' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save proxy' }));
    expect(await screen.findByText('Proxy must be an http:// or https:// URL such as http://proxy.example.com:3128')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    await fireEvent.input(input, { target: { value: 'http://jonas:secret@proxy.corp.example:3128' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save proxy' }));
    expect(await screen.findByText(/Leave user name and password out of the proxy URL/)).toBeTruthy();
    expect(core.settings.get().proxy).toBeNull();
    await fireEvent.input(input, { target: { value: 'http://proxy.corp.example:3128' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save proxy' }));
    expect(await screen.findByText('Proxy saved.')).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(core.settings.get().proxy).toBe('http://proxy.corp.example:3128');
    await fireEvent.input(input, { target: { value: '' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save proxy' }));
    expect(await screen.findByText(/Proxy removed/)).toBeTruthy();
    expect(core.settings.get().proxy).toBeNull();
    core.close();
  });
});
