import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../electron/contract/profiles.js';
import { Identifiers } from '../../../electron/core/archive/identifiers.js';

function profile(over: Partial<Profile>): Profile {
  return {
    id: 'p1', name: 'Frankfurt ESA', kind: 'esa', host: 'esa1.corp.example', region: 'eu', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: false,
    username: 'xdr-api', cluster: null, notes: '', trust: { mode: 'system' } as Profile['trust'], passwordStored: true, xdrClientId: null, xdrClientSecretStored: false, createdAt: '', updatedAt: '', ...over,
  };
}

describe('identifiers in an archive', () => {
  it('replaces host, first label, API user and profile name in values, never in keys, and masks stored secrets', () => {
    const ids = new Identifiers(profile({}), false, ['St0red-Secret-99']);
    const doc = { files: 'esa1.corp.example', 'esa1.corp.example': 1, list: ['ESA1 answered', 'user xdr-api logged in', 'see Frankfurt ESA', 'pw St0red-Secret-99'] };
    expect(ids.scrubDeep(doc)).toEqual({
      files: 'appliance-host.invalid',
      'esa1.corp.example': 1,
      list: ['appliance-host answered', 'user [api-user] logged in', 'see profile-1', 'pw [REDACTED]'],
    });
    expect(ids.keywords()).toEqual(['esa1.corp.example', 'xdr-api', 'Frankfurt ESA']);
  });

  it('keeps JSON structure, hashes and fingerprints intact whatever the names are', () => {
    // A profile named like a JSON key, a host whose first label is a hex word.
    const ids = new Identifiers(profile({ name: 'files', host: 'beef.corp.example' }), false, []);
    const fingerprint = '0badbeef'.repeat(8);
    expect(ids.scrubDeep({ files: [{ sha256: fingerprint }] })).toEqual({ files: [{ sha256: fingerprint }] });
    const log = `${JSON.stringify({ msg: 'connected to beef.corp.example', files: 2 })}\nplain line beef.corp.example\n`;
    const out = ids.scrubLog(log).split('\n');
    expect(JSON.parse(out[0]!)).toEqual({ msg: 'connected to appliance-host.invalid', files: 2 });
    expect(out[1]).toBe('plain line appliance-host.invalid');
  });

  it('changes nothing but secrets when host names are to be included', () => {
    const ids = new Identifiers(profile({}), true, ['St0red-Secret-99']);
    expect(ids.scrub('esa1.corp.example as xdr-api: St0red-Secret-99')).toBe('esa1.corp.example as xdr-api: [REDACTED]');
    expect(ids.keywords()).toEqual([]);
    expect(ids.profileSummary()).toMatchObject({ label: 'Frankfurt ESA', host: 'esa1.corp.example', httpsPort: 6443, httpPort: null, hostnamesIncluded: true });
  });
});
