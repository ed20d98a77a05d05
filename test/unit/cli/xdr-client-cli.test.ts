import { xet } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';

describe('xet profile --xdr-client-id and secret set --kind xdr-client-secret', () => {
  it('sets, shows and removes the client ID; a bad one names the flag and changes nothing', async () => {
    const env = { XET_DATA_DIR: tempDir(), XET_VAULT_PASSPHRASE: 'correct horse battery staple' };
    expect((await xet(['profile', 'add', '--name', 'esa-lab', '--kind', 'esa', '--host', 'esa1.example.com', '--region', 'eu', '--xdr-client-id', 'client-01'], env)).code).toBe(0);
    expect((await xet(['profile', 'show', 'esa-lab'], env)).stdout).toMatch(/XDR client:\s+client-01 \(secret not stored: xet secret set NAME --kind xdr-client-secret\)/);
    expect((await xet(['secret', 'set', 'esa-lab', '--kind', 'xdr-client-secret'], env, 'the-secret\n')).code).toBe(0);
    expect(JSON.parse((await xet(['profile', 'show', 'esa-lab', '--json'], env)).stdout)).toMatchObject({ xdrClientId: 'client-01', xdrClientSecretStored: true });
    const bad = await xet(['profile', 'edit', 'esa-lab', '--xdr-client-id', 'client 02'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--xdr-client-id: The XDR API client ID is printable ASCII without spaces/);
    expect(JSON.parse((await xet(['profile', 'show', 'esa-lab', '--json'], env)).stdout)).toMatchObject({ xdrClientId: 'client-01' });
    expect((await xet(['profile', 'edit', 'esa-lab', '--xdr-client-id', ''], env)).code).toBe(0);
    expect(JSON.parse((await xet(['profile', 'show', 'esa-lab', '--json'], env)).stdout)).toMatchObject({ xdrClientId: null, xdrClientSecretStored: true });
  });
});
