import { ProfileInput } from '../../../electron/contract/profiles.js';
import { sampleProfile, testCore } from '../../support/core.js';
import { makeSelfSigned } from '../../support/tls.js';

const PASS = 'correct horse battery staple';
const SECRET = 'Export-Must-Not-Contain-This-1!';

describe('profile export and import', () => {
  it('round-trips every field into another data folder, never carrying a secret', async () => {
    const from = testCore({ vaultPassphrase: PASS });
    const { cert } = makeSelfSigned('corp-ca.example');
    from.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'a', cluster: 'FRA', notes: 'n1\nn2', trust: { mode: 'ca', pem: cert } }), SECRET);
    from.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'b', kind: 'ces', host: '2001:db8::5', region: 'apjc', httpEnabled: false, trust: { mode: 'pin', sha256: 'AB'.repeat(32) } }));
    const exported = (await from.dispatcher.dispatch('profiles.export', {})) as { ok: true; value: { json: string; count: number } };
    expect(exported.value.count).toBe(2);
    const doc = JSON.parse(exported.value.json) as Record<string, unknown>;
    expect(doc).toMatchObject({ format: 'xet-profiles', schemaVersion: 1 });
    for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), encodeURIComponent(SECRET)]) expect(exported.value.json).not.toContain(form);
    expect(exported.value.json).not.toMatch(/password"|passphrase|secret"/i);

    const to = testCore();
    const imported = (await to.dispatcher.dispatch('profiles.import', { content: exported.value.json, fileName: 'x.json' })) as { ok: true; value: { imported: unknown[]; rejected: unknown[] } };
    expect(imported.value.rejected).toEqual([]);
    const strip = (p: Record<string, unknown>) => ({ ...p, id: undefined, createdAt: undefined, updatedAt: undefined, passwordStored: undefined });
    expect(to.profiles.list().profiles.map(strip)).toEqual(from.profiles.list().profiles.map(strip));
    expect(to.profiles.list().profiles.every((p) => !p.passwordStored)).toBe(true);
    from.close();
    to.close();
  });

  it('imports nothing when any entry is bad, and explains each rejected entry', async () => {
    const core = testCore();
    core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'exists' }));
    const content = JSON.stringify({
      format: 'xet-profiles',
      schemaVersion: 1,
      profiles: [
        { ...sampleProfile, name: 'good-1' },
        { ...sampleProfile, name: 'bad-port', httpsPort: 0 },
        { ...sampleProfile, name: 'EXISTS' },
        { ...sampleProfile, name: 'dup' },
        { ...sampleProfile, name: 'DUP' },
        { ...sampleProfile, name: 'bad-host', host: 'no spaces please' },
        'not an object',
        { ...sampleProfile, name: 'smuggled', password: 'x' },
      ],
    });
    const r = (await core.dispatcher.dispatch('profiles.import', { content, fileName: 'in.json' })) as { ok: true; value: { imported: unknown[]; rejected: { index: number; field: string; message: string }[] } };
    expect(r.value.imported).toEqual([]);
    expect(r.value.rejected.map((x) => [x.index, x.field])).toEqual([
      [1, 'profiles[1].httpsPort'],
      [2, 'profiles[2].name'],
      [4, 'profiles[4].name'],
      [5, 'profiles[5].host'],
      [6, 'profiles[6]'],
      [7, 'profiles[7].password'],
    ]);
    expect(r.value.rejected[1]!.message).toContain('already exists');
    expect(r.value.rejected[2]!.message).toContain('same name as entry 3');
    expect(core.profiles.list().profiles.map((p) => p.name)).toEqual(['exists']);
    core.close();
  });

  it.each([
    ['', /empty/],
    ['\uFEFF', /empty/],
    ['{"format": "xet-profiles", "schemaVersion": 1, "profiles": [', /not valid JSON/],
    ['{\n  "format": "xet-profiles",\n  oops\n}', /line 3, column 3/],
    ['[]', /expected a JSON object/],
    ['{"format":"something-else","schemaVersion":1,"profiles":[]}', /"format" must be "xet-profiles"/],
    ['{"format":"xet-profiles","schemaVersion":99,"profiles":[]}', /schemaVersion 99 is not supported/],
    ['{"format":"xet-profiles","schemaVersion":1,"profiles":{}}', /"profiles" must be an array/],
  ])('refuses %j with a message naming the file and place', async (content, message) => {
    const core = testCore();
    const r = await core.dispatcher.dispatch('profiles.import', { content, fileName: 'backup.json' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/^backup\.json: /) } });
    expect((r as { error: { message: string } }).error.message).toMatch(message);
    core.close();
  });

  it('accepts a file with a byte-order mark', async () => {
    const core = testCore();
    const r = await core.dispatcher.dispatch('profiles.import', { content: `\uFEFF${JSON.stringify({ format: 'xet-profiles', schemaVersion: 1, profiles: [sampleProfile] })}` });
    expect(r).toMatchObject({ ok: true, value: { rejected: [] } });
    core.close();
  });

  it('offers the native dialogs only where there are any', async () => {
    const core = testCore();
    expect(await core.dispatcher.dispatch('profiles.exportDialog', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    core.close();
  });
});

describe('native dialogs (desktop app)', () => {
  it('exports through the save dialog atomically and imports through the open dialog', async () => {
    const { tempDir } = await import('../../support/temp.js');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const dir = tempDir();
    const target = path.join(dir, 'chosen.json');
    let nextOpen: string | null = null;
    const dialogs = {
      chooseSaveFile: async () => target,
      chooseOpenFile: async () => nextOpen,
      chooseOpenFiles: async () => [],
    };
    const from = testCore({ dialogs });
    from.profiles.create(ProfileInput.parse(sampleProfile));
    expect(await from.dispatcher.dispatch('profiles.exportDialog', {})).toEqual({ ok: true, value: { saved: true, path: target, count: 1 } });
    expect(fs.readdirSync(dir)).toEqual(['chosen.json']);
    const to = testCore({ dialogs });
    expect(await to.dispatcher.dispatch('profiles.importDialog', {})).toEqual({ ok: true, value: { cancelled: true, imported: [], rejected: [] } });
    nextOpen = target;
    expect(await to.dispatcher.dispatch('profiles.importDialog', {})).toMatchObject({ ok: true, value: { cancelled: false, rejected: [], imported: [{ name: 'esa-lab' }] } });
    from.close();
    to.close();
  });
});
