import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { emptyForm, formFromProfile, toInput, validate } from '../../renderer/src/lib/profile-form.js';
import App from '../../renderer/src/App.svelte';
import { i18n, t } from '../../renderer/src/lib/i18n.svelte.js';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { apiFor } from '../support/core-api.js';
import { sampleProfile, testCore } from '../support/core.js';
import { groupFingerprint, ProfileInput } from '../../electron/contract/profiles.js';

describe('profile form model', () => {
  it('reports errors per field from the contract schema', () => {
    const f = { ...emptyForm(), name: '', host: 'bad host', httpsPort: '0', httpPort: 'abc', trustMode: 'pin' as const, pin: 'xyz' };
    // A new profile has no region until the user picks one: none is assumed.
    expect(Object.keys(validate(f)).sort()).toEqual(['host', 'httpPort', 'httpsPort', 'name', 'region', 'trust.sha256']);
    expect(validate({ ...emptyForm(), name: 'ok', host: 'esa.example.com', region: 'eu' })).toEqual({});
  });

  it('words each field error from the catalogue, in the UI language, never in the schema English', () => {
    const f = { ...emptyForm(), name: '', host: 'bad host', httpsPort: '0', trustMode: 'pin' as const, pin: 'xyz', username: 'a'.repeat(200) };
    i18n.language = 'de';
    const de = validate(f, t);
    i18n.language = 'en';
    const en = validate(f, t);
    expect(de).toEqual({
      name: 'Geben Sie dem Profil einen Namen',
      host: 'Kein gültiger DNS-Name und keine gültige IPv4- oder IPv6-Adresse',
      region: 'Wählen Sie die Cisco-Cloud-Region der Appliance (NAM, EU oder APJC)',
      httpsPort: 'Der Port muss eine ganze Zahl von 1 bis 65535 sein',
      'trust.sha256': 'Ein SHA-256-Fingerabdruck hat 64 Hexadezimalziffern (Doppelpunkte erlaubt)',
      username: 'Höchstens 128 Zeichen',
    });
    // English stays what the schema (and so the CLI) says, where the schema has the words.
    expect(en.host).toBe('Not a valid DNS name, IPv4 or IPv6 address');
    expect(en.region).toBe('Choose the appliance’s Cisco cloud region (NAM, EU or APJC)');
  });

  it('shows a pinned fingerprint grouped as the certificate card showed it, and stores plain hex', () => {
    const core = testCore();
    const p = core.profiles.create(ProfileInput.parse({ ...sampleProfile, trust: { mode: 'pin', sha256: 'AB:'.repeat(31) + 'AB' } }));
    expect(p.trust).toEqual({ mode: 'pin', sha256: 'ab'.repeat(32) });
    expect(formFromProfile(p).pin).toBe(groupFingerprint('ab'.repeat(32)));
    expect(formFromProfile(p).pin).toMatch(/^AB(:AB){31}$/);
    core.close();
  });

  it('round-trips a stored profile through the form unchanged', () => {
    const core = testCore();
    const p = core.profiles.create(ProfileInput.parse({ ...sampleProfile, cluster: 'FRA', notes: 'n', httpEnabled: false, trust: { mode: 'pin', sha256: 'ab'.repeat(32) } }));
    expect(ProfileInput.parse(toInput(formFromProfile(p)))).toEqual(ProfileInput.parse({ ...sampleProfile, cluster: 'FRA', notes: 'n', httpEnabled: false, trust: { mode: 'pin', sha256: 'ab'.repeat(32) } }));
    core.close();
  });
});

describe('<ProfilesPage> with a real core', () => {
  beforeEach(() => {
    router.go('profiles');
    i18n.language = 'en';
  });

  it('creates a profile from the form and lists it, the password shown only as stored', async () => {
    const core = testCore({ vaultPassphrase: 'component test passphrase' });
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Add appliance' }));
    await fireEvent.input(screen.getByLabelText('Profile name'), { target: { value: 'lab-esa' } });
    await fireEvent.input(screen.getByLabelText('Management host'), { target: { value: 'ESA.Example.com' } });
    await fireEvent.change(screen.getByLabelText('Cisco cloud region'), { target: { value: 'eu' } });
    await fireEvent.input(screen.getByLabelText('API password'), { target: { value: 'component-pw-1' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create profile' }));
    expect(await screen.findByTestId('password-stored')).toBeTruthy();
    expect(core.profiles.list().profiles).toEqual([expect.objectContaining({ name: 'lab-esa', host: 'esa.example.com', passwordStored: true })]);
    expect(document.body.innerHTML).not.toContain('component-pw-1');
    core.close();
  });

  it('shows a field error and sends nothing for an invalid host', async () => {
    const core = testCore();
    render(App, { props: { api: apiFor(core) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Add appliance' }));
    await fireEvent.input(screen.getByLabelText('Profile name'), { target: { value: 'x' } });
    await fireEvent.input(screen.getByLabelText('Management host'), { target: { value: 'not a host' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create profile' }));
    await waitFor(() => expect(screen.getByText('Not a valid DNS name, IPv4 or IPv6 address')).toBeTruthy());
    expect(core.profiles.repo.count()).toBe(0);
    core.close();
  });
});
