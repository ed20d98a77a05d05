import { ProfileInput } from '../../../electron/contract/profiles.js';
import { sampleProfile, testCore } from '../../support/core.js';

const PASS = 'correct horse battery staple';
const CLIENT_ID = 'client-0c3a8f6d-1b42-4b7d-9e21-5f1c2e9a0001';
const CLIENT_SECRET = 'Pl4nted-xdr-client-secret-Do-Not-Export';

describe('the XDR API client on a profile', () => {
  it('stores the client ID as a field and the secret in the vault; export and import carry the ID, never the secret', async () => {
    const from = testCore({ vaultPassphrase: PASS });
    const p = from.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'with-client', xdrClientId: `  ${CLIENT_ID} ` }));
    expect(p).toMatchObject({ xdrClientId: CLIENT_ID, xdrClientSecretStored: false });
    from.secrets.set(p.id, 'xdr-client-secret', CLIENT_SECRET);
    expect(from.profiles.get(p.id)).toMatchObject({ xdrClientSecretStored: true, passwordStored: false });
    const exported = (await from.dispatcher.dispatch('profiles.export', {})) as { ok: true; value: { json: string } };
    expect(exported.value.json).toContain(CLIENT_ID);
    expect(exported.value.json).not.toContain(CLIENT_SECRET);
    const to = testCore();
    await to.dispatcher.dispatch('profiles.import', { content: exported.value.json, fileName: 'x.json' });
    expect(to.profiles.list().profiles[0]).toMatchObject({ xdrClientId: CLIENT_ID, xdrClientSecretStored: false });
    from.close();
    to.close();
  });

  it('an empty ID removes the client; an ID with spaces or control characters is refused naming the field', async () => {
    const core = testCore({ vaultPassphrase: PASS });
    const p = core.profiles.create(ProfileInput.parse({ ...sampleProfile, xdrClientId: CLIENT_ID }));
    const cleared = (await core.dispatcher.dispatch('profiles.update', { id: p.id, profile: { ...core.profiles.fields(p.id), xdrClientId: '' } })) as { ok: true; value: { xdrClientId: string | null } };
    expect(cleared.value.xdrClientId).toBeNull();
    for (const bad of ['client 01', 'client-\u0007', 'x'.repeat(129)]) {
      const r = (await core.dispatcher.dispatch('profiles.update', { id: p.id, profile: { ...core.profiles.fields(p.id), xdrClientId: bad } })) as { ok: false; error: { field: string } };
      expect(r.ok).toBe(false);
      expect(r.error.field).toBe('profile.xdrClientId');
    }
    core.close();
  });

  it('plans the XDR checks only with both the ID and the secret; otherwise the manual S1/S5/V steps', () => {
    const core = testCore({ vaultPassphrase: PASS });
    const p = core.profiles.create(ProfileInput.parse({ ...sampleProfile, xdrClientId: CLIENT_ID }));
    const ids = () => core.checks.runbook({ profileId: p.id }).map((c) => c.id);
    expect(ids()).toContain('device-listed');
    expect(ids()).not.toContain('xdr-auth');
    core.secrets.set(p.id, 'xdr-client-secret', CLIENT_SECRET);
    expect(ids()).toEqual(expect.arrayContaining(['xdr-auth', 'xdr-sse-device', 'xdr-module', 'xdr-module-health', 'xdr-observe']));
    expect(ids()).not.toEqual(expect.arrayContaining(['sse-services']));
    expect(ids()).not.toContain('device-listed');
    expect(ids()).not.toContain('rest-api-source');
    expect(core.checks.runbook({ profileId: p.id }).find((c) => c.id === 'xdr-module')!.group).toBe('xdr');
    core.profiles.update(p.id, { ...core.profiles.fields(p.id), xdrClientId: null });
    expect(ids()).toContain('device-listed');
    core.close();
  });
});
