import { ProfileInput } from '../../../electron/contract/profiles.js';
import { sampleProfile, testCore } from '../../support/core.js';
import { recipientCert } from '../../support/recipient-certs.js';

/** The page shows a refused certificate at its own entry, so the field must name the right one. */
describe('archive.create names the refused recipient certificate by its place', () => {
  it('even when another certificate’s file name is the start of its name', async () => {
    const core = testCore();
    const profile = core.profiles.create(ProfileInput.parse(sampleProfile));
    const good = recipientCert().cert;
    const expired = recipientCert({ notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z') }).cert;
    const r = await core.dispatcher.dispatch('archive.create', {
      profileId: profile.id,
      encryption: { mode: 'certificate', certificates: [{ name: 'tac.pem', pem: good }, { name: 'tac.pem.old', pem: expired }] },
    });
    expect(r).toMatchObject({ ok: false, error: { field: 'encryption.certificates.1', message: expect.stringMatching(/^tac\.pem\.old: expired on 2021-01-01/) } });
    const bundle = await core.dispatcher.dispatch('archive.create', {
      profileId: profile.id,
      encryption: { mode: 'certificate', certificates: [{ name: 'a.pem', pem: good }, { name: 'a.pem (copy)', pem: good + expired }] },
    });
    expect(bundle).toMatchObject({ ok: false, error: { field: 'encryption.certificates.1', message: expect.stringMatching(/^a\.pem \(copy\) \(certificate 2\): expired/) } });
    core.close();
  });
});
