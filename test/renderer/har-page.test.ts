import fs from 'node:fs';
import path from 'node:path';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import App from '../../renderer/src/App.svelte';
import { ProfileInput } from '../../electron/contract/profiles.js';
import type { Dialogs } from '../../electron/core/core.js';
import { i18n } from '../../renderer/src/lib/i18n.svelte.js';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { apiFor } from '../support/core-api.js';
import { sampleProfile, testCore } from '../support/core.js';
import { entry, har, leaks } from '../support/har.js';
import { tempDir } from '../support/temp.js';

const CHROME = path.resolve(import.meta.dirname, '../fixtures/har/chrome-export.har');
const PASSWORD = 'Appliance-Pa55word!';

describe('<HarPage> in the desktop app', () => {
  beforeEach(() => {
    i18n.language = 'en';
    router.go('har');
  });

  it('imports through the dialog, shows the report by rule with name → placeholder, findings and the inspector in place of the static waterfall, and saves', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'saved.har');
    const planted = path.join(dir, 'planted.har');
    fs.writeFileSync(
      planted,
      JSON.stringify(har([entry({ request: { postData: { mimeType: 'application/json', text: JSON.stringify({ note: `pw ${PASSWORD}` }) } } })])),
    );
    let open = [CHROME];
    const dialogs: Dialogs = { chooseSaveFile: async () => target, chooseOpenFile: async () => null, chooseOpenFiles: async () => open };
    const core = testCore({ transport: 'electron', dialogs, vaultPassphrase: 'renderer test vault' });
    core.profiles.create(ProfileInput.parse(sampleProfile), PASSWORD);
    render(App, { props: { api: apiFor(core) } });

    expect(await screen.findByText('No HAR file imported')).toBeTruthy();
    await fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await waitFor(() => expect(document.querySelector('.har-report')).toBeTruthy());
    expect(screen.getByText('Review before saving: chrome-export.har')).toBeTruthy();
    const auth = document.querySelector<HTMLElement>('.har-rule[data-rule="authorization"]')!;
    expect(within(auth).getByText('Authorization headers')).toBeTruthy();
    expect(auth.querySelector('.har-examples li')!.textContent).toMatch(/^authorization → \[REDACTED:authorization:[0-9a-f]{6}\]$/i);
    expect(document.querySelector('.har-findings li[data-code="DEVICE_OFFLINE_IN_SSE"] a .finding-code')!.textContent).toBe('DEVICE_OFFLINE_IN_SSE');
    // The inspector (loaded on first use) takes the static picture's place in the app.
    await waitFor(() => expect(document.querySelector('.har-inspector button.hi-row')).toBeTruthy(), { timeout: 5000 });
    expect(document.querySelector('img.har-waterfall')).toBeNull();

    await fireEvent.click(screen.getByRole('button', { name: 'Save sanitised copy…' }));
    await waitFor(() => expect(screen.getByText(`Sanitised copy saved to ${target}.`)).toBeTruthy());
    expect(fs.existsSync(target)).toBe(true);

    // A second file, reviewed with the profile's stored password and a keyword.
    open = [planted];
    await fireEvent.click(screen.getByRole('button', { name: 'Choose files…' }));
    await waitFor(() => expect(screen.getByText('Review before saving: planted.har')).toBeTruthy());
    await waitFor(() => expect(document.querySelector('.har-report')).toBeTruthy());
    await fireEvent.click(screen.getByRole('checkbox', { name: /esa-lab/ }));
    await fireEvent.input(screen.getByLabelText('Extra words to remove'), { target: { value: 'xdr.eu.security.cisco.com' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Clean again with these options' }));
    await waitFor(() => expect(document.querySelector('.har-rule[data-rule="secret"]')).toBeTruthy());
    expect(document.querySelector('.har-rule[data-rule="keyword"]')).toBeTruthy();
    expect(document.body.innerHTML.includes(PASSWORD)).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: 'Save sanitised copy…' }));
    await waitFor(() => expect(leaks(target, [PASSWORD])).toEqual([]));
    expect(screen.getAllByRole('listitem').filter((li) => li.classList.contains('har-file'))).toHaveLength(2);
    core.close();
    // The inspector component is compiled on first use here, which takes a while on a busy machine.
  }, 20_000);

  it('the app remembers each file’s options: after a reload the keyword and the profile still apply, until removed by name', async () => {
    const KEYWORD = 'esa-internal.corp.example';
    const dir = tempDir();
    const planted = path.join(dir, 'planted.har');
    fs.writeFileSync(
      planted,
      JSON.stringify(har([entry({ request: { url: `https://${KEYWORD}/x`, postData: { mimeType: 'application/json', text: JSON.stringify({ note: `pw ${PASSWORD}` }) } } })])),
    );
    const target = path.join(dir, 'saved.har');
    const dialogs: Dialogs = { chooseSaveFile: async () => target, chooseOpenFile: async () => null, chooseOpenFiles: async () => [planted] };
    const core = testCore({ transport: 'electron', dialogs, vaultPassphrase: 'renderer test vault' });
    core.profiles.create(ProfileInput.parse(sampleProfile), PASSWORD);
    const first = render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await waitFor(() => expect(document.querySelector('.har-report')).toBeTruthy());
    await fireEvent.click(screen.getByRole('checkbox', { name: /esa-lab/ }));
    await fireEvent.input(screen.getByLabelText('Extra words to remove'), { target: { value: KEYWORD } });
    await fireEvent.click(screen.getByRole('button', { name: 'Clean again with these options' }));
    await waitFor(() => expect(document.querySelector('.har-rule[data-rule="keyword"]')).toBeTruthy());
    expect(screen.getByLabelText<HTMLTextAreaElement>('Extra words to remove').value).toBe('');
    expect(document.querySelector('.har-keyword-chips')!.textContent).toContain(KEYWORD);

    // A reload: a fresh page on the same app, nothing in its state. Review sends only the file's id.
    first.unmount();
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Review' }));
    await waitFor(() => expect(document.querySelector('.har-rule[data-rule="keyword"]')).toBeTruthy());
    expect(document.querySelector('.har-rule[data-rule="secret"]')).toBeTruthy();
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: /esa-lab/ }).checked).toBe(true);
    expect(document.querySelector('.har-keyword-chips')!.textContent).toContain(KEYWORD);
    await fireEvent.click(screen.getByRole('button', { name: 'Save sanitised copy…' }));
    await waitFor(() => expect(fs.existsSync(target)).toBe(true));
    expect(leaks(target, [PASSWORD, KEYWORD])).toEqual([]);

    // Another window adds a word: this page follows, and no longer offers its older copy.
    const id = core.har.list()[0]!.id;
    expect(await core.dispatcher.dispatch('har.review', { id, keywords: ['second-word'] })).toMatchObject({ ok: true });
    await waitFor(() => expect(document.querySelector('.har-keyword-chips')!.textContent).toContain('second-word'));
    expect(screen.queryByRole('button', { name: 'Save sanitised copy…' })).toBeNull();
    expect(screen.getByText('The options changed since this copy was made: clean again before saving.')).toBeTruthy();

    // Removing the keyword is an explicit action on it.
    await fireEvent.click(screen.getByRole('button', { name: `Stop removing “${KEYWORD}”` }));
    await waitFor(() => expect(document.querySelector('.har-keyword-chips')!.textContent).not.toContain(KEYWORD));
    await waitFor(() => expect(document.querySelector('.har-rule[data-rule="keyword"]')).toBeNull());
    expect(document.querySelector('.har-rule[data-rule="secret"]')).toBeTruthy();
    expect(core.har.list()[0]!.options).toEqual({ keywords: ['second-word'], profileIds: [expect.any(String)], keepBodies: false });
    expect(screen.getByRole('button', { name: 'Save sanitised copy…' })).toBeTruthy();
    core.close();
  });

  it('asks to unlock the vault when a chosen profile’s secrets are locked away', async () => {
    const dialogs: Dialogs = { chooseSaveFile: async () => null, chooseOpenFile: async () => null, chooseOpenFiles: async () => [CHROME] };
    // The secret is stored by a process that had the passphrase; this one starts with the vault locked.
    const dataDir = tempDir();
    const first = testCore({ dataDir, vaultPassphrase: 'renderer test vault' });
    first.profiles.create(ProfileInput.parse(sampleProfile), PASSWORD);
    first.close();
    const core = testCore({ dataDir, transport: 'electron', dialogs });
    expect(core.vault.status().state).toBe('locked');
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await waitFor(() => expect(document.querySelector('.har-report')).toBeTruthy());
    await fireEvent.click(screen.getByRole('checkbox', { name: /esa-lab/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Clean again with these options' }));
    expect(await screen.findByText('Unlock the vault in Settings to use stored secrets.')).toBeTruthy();
    core.close();
  });

  it('shows the located error of a broken file', async () => {
    const dir = tempDir();
    const broken = path.join(dir, 'broken.har');
    fs.writeFileSync(broken, '{"log": {"version": "1.2", "entries": [');
    const dialogs: Dialogs = { chooseSaveFile: async () => null, chooseOpenFile: async () => null, chooseOpenFiles: async () => [broken] };
    const core = testCore({ transport: 'electron', dialogs });
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await waitFor(() => expect(document.querySelector('.har-problem')?.textContent).toMatch(/^broken\.har: .*byte \d+/));
    core.close();
  });
});
