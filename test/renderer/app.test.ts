import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../renderer/src/App.svelte';
import { i18n } from '../../renderer/src/lib/i18n.svelte.js';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { apiFor } from '../support/core-api.js';
import { testCore } from '../support/core.js';

describe('<App>', () => {
  let core: ReturnType<typeof testCore>;

  beforeEach(() => {
    core = testCore();
    router.go('profiles');
    i18n.language = 'en';
  });
  afterEach(() => core.close());

  it('shows the navigation and the profiles empty state first', async () => {
    render(App, { props: { api: apiFor(core) } });
    expect(await screen.findByRole('heading', { level: 1, name: 'Appliance profiles' })).toBeTruthy();
    const nav = screen.getByRole('navigation', { name: 'Main navigation' });
    const links = nav.querySelectorAll('a');
    expect([...links].map((a) => a.textContent?.trim())).toEqual(['Overview', 'Profiles', 'Checks', 'HAR files', 'Support archive', 'History', 'Settings']);
    expect(nav.querySelector('[aria-current="page"]')?.textContent?.trim()).toBe('Profiles');
    expect(screen.getByText('No appliance yet')).toBeTruthy();
  });

  it('navigates to every page and marks the current one', async () => {
    render(App, { props: { api: apiFor(core) } });
    await screen.findByRole('heading', { level: 1 });
    const titles: Record<string, string> = {
      Checks: 'Guided checks',
      'HAR files': 'HAR files',
      'Support archive': 'Support archive',
      History: 'History',
      Settings: 'Settings',
      Profiles: 'Appliance profiles',
    };
    for (const [link, title] of Object.entries(titles)) {
      await fireEvent.click(screen.getByRole('link', { name: link }));
      expect(await screen.findByRole('heading', { level: 1, name: title })).toBeTruthy();
      expect(screen.getByRole('link', { name: link }).getAttribute('aria-current')).toBe('page');
      expect(location.hash).toBe(`#/${router.page}`);
    }
  });

  it('starts in the stored language', async () => {
    core.settings.set({ language: 'de' });
    render(App, { props: { api: apiFor(core) } });
    expect(await screen.findByRole('heading', { level: 1, name: 'Appliance-Profile' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
  });

  it('switches to German and back from Settings, and remembers the choice', async () => {
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('link', { name: 'Settings' }));
    const select = (await screen.findByLabelText('Language')) as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: 'de' } });
    expect(await screen.findByRole('link', { name: 'Einstellungen' })).toBeTruthy();
    expect(core.settings.get().language).toBe('de');
    expect(await screen.findByText('Gespeichert.')).toBeTruthy();
    await fireEvent.change(screen.getByLabelText('Sprache'), { target: { value: 'en' } });
    expect(await screen.findByRole('link', { name: 'Settings' })).toBeTruthy();
    expect(core.settings.get().language).toBe('en');
  });

  it('applies and stores the theme', async () => {
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('link', { name: 'Settings' }));
    await fireEvent.click(await screen.findByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(document.documentElement.getAttribute('data-theme')).toBe('dark'));
    expect(core.settings.get().theme).toBe('dark');
    await fireEvent.click(screen.getByRole('radio', { name: 'Same as the system' }));
    // jsdom has no prefers-color-scheme, so "system" resolves to light here.
    await waitFor(() => expect(document.documentElement.dataset.themeChoice).toBe('system'));
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('shows what it runs on in About', async () => {
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('link', { name: 'Settings' }));
    expect(await screen.findByText(core.paths.root)).toBeTruthy();
    expect(screen.getByText('Local web host (127.0.0.1 only)')).toBeTruthy();
  });

  it('says clearly when the core is unreachable and offers to retry', async () => {
    const api = apiFor(core);
    let down = true;
    const real = api.settings.get;
    api.settings.get = async () => (down ? { ok: false, error: { code: 'UNAVAILABLE', message: 'connection refused' } } : real());
    render(App, { props: { api } });
    expect((await screen.findByRole('alert')).textContent).toContain('connection refused');
    down = false;
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Appliance profiles' })).toBeTruthy();
  });
});

describe('Settings → credential vault', () => {
  it('sets up the vault with a passphrase, then locks and unlocks it', async () => {
    const core = testCore();
    router.go('settings');
    i18n.language = 'en';
    render(App, { props: { api: apiFor(core) } });
    expect((await screen.findByTestId('vault-state')).textContent).toBe('not set up yet');
    await fireEvent.click(screen.getByRole('button', { name: 'Set vault passphrase…' }));
    await fireEvent.input(screen.getByLabelText('Vault passphrase'), { target: { value: 'settings vault pass' } });
    await fireEvent.input(screen.getByLabelText('Repeat the passphrase'), { target: { value: 'settings vault pass' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create vault' }));
    await waitFor(() => expect(screen.getByTestId('vault-state').textContent).toBe('unlocked'));
    expect(core.vault.status().methods).toEqual(['passphrase']);
    await fireEvent.click(screen.getByRole('button', { name: 'Lock now' }));
    await waitFor(() => expect(screen.getByTestId('vault-state').textContent).toBe('locked'));
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock…' }));
    await fireEvent.input(screen.getByLabelText('Vault passphrase'), { target: { value: 'wrong passphrase!' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByText('Wrong vault passphrase.')).toBeTruthy();
    await fireEvent.input(screen.getByLabelText('Vault passphrase'), { target: { value: 'settings vault pass' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await waitFor(() => expect(screen.getByTestId('vault-state').textContent).toBe('unlocked'));
    core.close();
  });
});
