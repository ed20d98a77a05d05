import fs from 'node:fs';
import path from 'node:path';
import { cleanup, render, screen, waitFor } from '@testing-library/svelte';
import { profileFormFields, type ProfileFormField } from '../../electron/contract/checks.js';
import { ProfileInput } from '../../electron/contract/profiles.js';
import { defaultResourcesDir } from '../../electron/core/paths.js';
import App from '../../renderer/src/App.svelte';
import { PROFILE_FIELD_TARGETS, editProfileHref, profileFieldElement } from '../../renderer/src/lib/fix-links.js';
import { i18n } from '../../renderer/src/lib/i18n.svelte.js';
import { router } from '../../renderer/src/lib/router.svelte.js';
import { apiFor } from '../support/core-api.js';
import { sampleProfile, testCore } from '../support/core.js';

const catalogue = JSON.parse(fs.readFileSync(path.join(defaultResourcesDir(), 'findings.json'), 'utf8')) as { findings: { code: string; fix?: { profileField?: string } }[] };
const named = [...new Set(catalogue.findings.map((f) => f.fix?.profileField).filter((f): f is string => f !== undefined))];

describe('a finding’s "Edit profile" lands on the named field of the profile form', () => {
  const core = testCore({ vaultPassphrase: 'fix links renderer test' });
  // One profile with a stored password and secret (Replace buttons), one without (inputs), pinned trust.
  const stored = core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'stored', xdrClientId: 'client-0123', trust: { mode: 'pin', sha256: 'ab'.repeat(32) } }), 'pw-stored');
  core.secrets.set(stored.id, 'xdr-client-secret', 'secret-stored');
  const bare = core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'bare', cluster: 'FRA' }));

  beforeEach(() => {
    i18n.language = 'en';
  });
  afterEach(() => cleanup());
  afterAll(() => core.close());

  it('knows a place in the form for every field the catalogue names', () => {
    expect(named.length).toBeGreaterThanOrEqual(6);
    for (const field of named) expect(profileFormFields as readonly string[], field).toContain(field);
    expect(Object.keys(PROFILE_FIELD_TARGETS).sort()).toEqual([...profileFormFields].sort());
  });

  for (const field of profileFormFields) {
    for (const profile of [stored, bare]) {
      it(`${field} (${profile.name}): the form opens with the field focused and says why`, async () => {
        location.hash = editProfileHref(profile.id, field as ProfileFormField);
        router.go('profiles', `${profile.id}/edit/${field}`);
        render(App, { props: { api: apiFor(core) } });
        await screen.findByRole('heading', { name: `Edit “${profile.name}”` });
        await waitFor(() => {
          const target = profileFieldElement(field as ProfileFormField);
          expect(target, `${field} is in the form`).not.toBeNull();
          expect(document.activeElement).toBe(target);
        });
        expect(document.querySelector('.status-line')!.textContent).toMatch(/^A finding points at the /);
      });
    }
  }

  it('focuses the stored password’s Replace button, the new password’s input otherwise', async () => {
    router.go('profiles', `${stored.id}/edit/password`);
    render(App, { props: { api: apiFor(core) } });
    await waitFor(() => expect((document.activeElement as HTMLElement | null)?.textContent).toBe('Replace'));
    cleanup();
    router.go('profiles', `${bare.id}/edit/password`);
    render(App, { props: { api: apiFor(core) } });
    await waitFor(() => expect(document.activeElement?.id).toBe('pf-password'));
  });
});
