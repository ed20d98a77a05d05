import fs from 'node:fs';
import path from 'node:path';
import { xet } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';
import { makeSelfSigned, tlsServer } from '../../support/tls.js';

const PASS = 'correct horse battery staple';

describe('xet profile / secret / vault', () => {
  let env: Record<string, string>;
  beforeEach(() => {
    env = { XET_DATA_DIR: tempDir(), XET_VAULT_PASSPHRASE: PASS };
  });

  const add = (extra: string[] = [], stdin = '') => xet(['profile', 'add', '--name', 'esa-lab', '--kind', 'esa', '--host', 'esa1.example.com', '--region', 'eu', ...extra], env, stdin);

  it('adds, lists, shows, edits, duplicates and removes a profile', async () => {
    expect((await add(['--username', 'admin', '--cluster', 'FRA', '--notes', 'lab'])).code).toBe(0);
    const list = await xet(['profile', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'esa-lab', username: 'admin', cluster: 'FRA', passwordStored: false })]);
    const edited = await xet(['profile', 'edit', 'ESA-LAB', '--host', '10.0.0.5', '--no-http', '--https-port', '8443', '--name', 'esa-prod', '--json'], env);
    expect(JSON.parse(edited.stdout)).toMatchObject({ name: 'esa-prod', host: '10.0.0.5', httpEnabled: false, httpsPort: 8443, username: 'admin', cluster: 'FRA' });
    expect((await xet(['profile', 'duplicate', 'esa-prod'], env)).stdout).toContain('"esa-prod (copy)"');
    const table = await xet(['profile', 'list'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+KIND\s+HOST\s+REGION\s+API\s+PASSWORD$/);
    expect((await xet(['profile', 'rm', 'esa-prod'], env)).code).toBe(2);
    expect((await xet(['profile', 'rm', 'esa-prod', '--yes'], env)).stdout).toContain('Deleted profile "esa-prod"');
    expect(JSON.parse((await xet(['profile', 'list', '--json'], env)).stdout).map((p: { name: string }) => p.name)).toEqual(['esa-prod (copy)']);
  });

  it('names the flag in validation errors and exits 2 without writing anything', async () => {
    const cases: [Record<string, string>, string[], RegExp][] = [
      [{ '--host': 'bad host' }, [], /--host: Not a valid DNS name/],
      [{}, ['--https-port', '99999'], /--https-port: Port must be/],
      [{}, ['--https-port', 'abc'], /--https-port: Port must be/],
      [{}, ['--pin-sha256', '12:34'], /--pin-sha256: A SHA-256 fingerprint has 64/],
      [{}, ['--ca-file', '/nonexistent/ca.pem'], /--ca-file: cannot read "\/nonexistent\/ca.pem": ENOENT/],
      [{}, ['--ca-file', 'x', '--trust-system'], /only one of --ca-file, --pin-sha256 and --trust-system/],
      [{ '--kind': 'wsa' }, [], /--kind: Choose the kind: esa \(on-premises ESA\), sma/],
      [{ '--region': 'mars' }, [], /--region: Choose the appliance’s Cisco cloud region \(NAM, EU or APJC\)/],
    ];
    for (const [over, extra, message] of cases) {
      const flags = Object.entries({ '--name': 'x', '--kind': 'esa', '--host': 'h.example', '--region': 'eu', ...over }).flat();
      const r = await xet(['profile', 'add', ...flags, ...extra], env);
      expect(r.code, message.source).toBe(2);
      expect(r.stderr, message.source).toMatch(message);
    }
    expect((await xet(['profile', 'add', '--name', 'x', '--kind', 'esa', '--host', 'h'], env)).stderr).toContain('--region is required');
    expect(JSON.parse((await xet(['profile', 'list', '--json'], env)).stdout)).toEqual([]);
  });

  it('refuses a duplicate name case-insensitively and an unknown profile', async () => {
    await add();
    const dup = await xet(['profile', 'add', '--name', 'ESA-Lab', '--kind', 'esa', '--host', 'h', '--region', 'eu'], env);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toContain('already exists');
    const missing = await xet(['profile', 'show', 'nope', '--json'], env);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('stores, reports and clears secrets read from stdin, never from a flag or a terminal', async () => {
    expect((await add(['--password-stdin'], 'pw-from-stdin\n')).code).toBe(0);
    const status = JSON.parse((await xet(['secret', 'status', 'esa-lab', '--json'], env)).stdout) as { secrets: { kind: string; stored: boolean }[] };
    expect(status.secrets.find((s) => s.kind === 'api-password')!.stored).toBe(true);
    expect((await xet(['secret', 'set', 'esa-lab', '--kind', 'cxd-token'], env, 'token-value')).code).toBe(0);
    expect((await xet(['secret', 'set', 'esa-lab', '--kind', 'root-password'], env, 'x')).stderr).toContain('--kind: Invalid option');
    expect((await xet(['secret', 'set', 'esa-lab'], env, '')).stderr).toContain('standard input was empty');
    expect((await xet(['secret', 'clear', 'esa-lab'], env)).code).toBe(0);
    expect(JSON.parse((await xet(['profile', 'show', 'esa-lab', '--json'], env)).stdout).passwordStored).toBe(false);
    expect((await xet(['profile', 'add', '--name', 'y', '--kind', 'esa', '--host', 'h', '--region', 'eu', '--password', 'x'], env)).stderr).toContain("Unknown option '--password'");
  });

  it('says how to open a locked vault when there is no terminal', async () => {
    await add();
    const r = await xet(['secret', 'set', 'esa-lab'], { XET_DATA_DIR: env.XET_DATA_DIR! }, 'pw');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/vault is (not set up yet|locked).*XET_VAULT_PASSPHRASE/);
  });

  it('asks for the vault passphrase on the terminal and retries the command', async () => {
    await add();
    const asked: string[] = [];
    const answers = [PASS, PASS];
    const r = await xet(['secret', 'set', 'esa-lab'], { XET_DATA_DIR: env.XET_DATA_DIR! }, 'pw-after-prompt', {
      promptHidden: async (q: string) => {
        asked.push(q);
        return answers.shift()!;
      },
    });
    expect(r.code).toBe(0);
    expect(asked).toEqual(['New vault passphrase (12+ characters): ', 'Repeat it: ']);
    const wrong = await xet(['secret', 'set', 'esa-lab'], { XET_DATA_DIR: env.XET_DATA_DIR! }, 'pw', { promptHidden: async () => 'wrong passphrase!!' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('Wrong vault passphrase (3 attempts)');
  });

  it('exports to a file atomically and imports it elsewhere; a bad file imports nothing', async () => {
    await add();
    const dir = tempDir();
    const file = path.join(dir, 'profiles.json');
    expect((await xet(['profile', 'export', '-o', file], env)).stdout).toContain('Exported 1 profile');
    expect(fs.readdirSync(dir)).toEqual(['profiles.json']);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const other = { ...env, XET_DATA_DIR: tempDir() };
    expect((await xet(['profile', 'import', file], other)).stdout).toContain('Imported 1 profile: esa-lab');
    const again = await xet(['profile', 'import', file], other);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('profiles[0].name ("esa-lab"): A profile named "esa-lab" already exists');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{\n "format": "xet-profiles",\n');
    const broken = await xet(['profile', 'import', path.join(dir, 'broken.json')], other);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json: not valid JSON/);
    expect((await xet(['profile', 'import', path.join(dir, 'missing.json')], other)).stderr).toContain('ENOENT');
  });

  it('pins the certificate the appliance presents after confirmation', async () => {
    const cert = makeSelfSigned('esa1.example.com');
    const server = await tlsServer(cert);
    await xet(['profile', 'add', '--name', 'pinme', '--kind', 'esa', '--host', '127.0.0.1', '--region', 'eu', '--https-port', String(server.port)], env);
    const refused = await xet(['profile', 'pin', 'pinme'], env);
    expect(refused.stdout).toContain('SHA-256:');
    expect(refused.code).toBe(2);
    const r = await xet(['profile', 'pin', 'pinme', '--yes', '--json'], env);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { certificate: { sha256: string }; profile: { trust: { mode: string; sha256: string } } };
    expect(out.profile.trust).toEqual({ mode: 'pin', sha256: out.certificate.sha256 });
    await server.close();
  });
});
