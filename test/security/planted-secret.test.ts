import fs from 'node:fs';
import path from 'node:path';
import { filesUnder, leaks, postApi, recordingXet, xetCombined as xet } from '../support/planted-secret.js';
import { tempDir } from '../support/temp.js';
import { startWebHostProcess } from '../support/web-host-process.js';

// Known values planted through every door; afterwards none may be found anywhere they should not be.
const CLI_PASSWORD = 'Pl4nted-CLI-pw/+=?&"ü';
const WEB_PASSWORD = 'Pl4nted-WEB-pw#%<>{}ß';
const REPLACED_PASSWORD = 'Pl4nted-SET-pw!:@$';
const VAULT_PASSPHRASE = 'Pl4nted vault passphrase 2026';
const ARCHIVE_PASSWORD = 'Pl4nted-ARCHIVE-pw~Quokka-91';
const PLANTED = [CLI_PASSWORD, WEB_PASSWORD, REPLACED_PASSWORD, VAULT_PASSPHRASE, ARCHIVE_PASSWORD];

describe('a planted secret appears nowhere it should not', () => {
  it('through the CLI and the web host: not in the database, WAL, SHM, logs, CLI output or any HTTP response', async () => {
    const dataDir = tempDir('xet-planted-');
    const env = { XET_DATA_DIR: dataDir, XET_VAULT_PASSPHRASE: VAULT_PASSPHRASE };
    const { run, outputs } = recordingXet(env);

    expect((await run(['profile', 'add', '--name', 'cli-esa', '--kind', 'esa', '--host', 'esa1.example.com', '--region', 'eu', '--username', 'admin', '--password-stdin', '--json'], `${CLI_PASSWORD}\n`)).code).toBe(0);
    for (const args of [
      ['profile', 'list', '--json'],
      ['profile', 'show', 'cli-esa', '--json'],
      ['profile', 'show', 'cli-esa'],
      ['secret', 'status', 'cli-esa', '--json'],
      ['profile', 'export'],
      ['profile', 'duplicate', 'cli-esa', '--json'],
      ['info', '--json'],
      ['vault', 'status', '--json'],
    ]) {
      expect((await run(args)).code, args.join(' ')).toBe(0);
    }
    expect(outputs.join('\n')).toContain('"passwordStored": true');
    expect((await run(['secret', 'set', 'cli-esa'], REPLACED_PASSWORD)).code).toBe(0);

    const host = await startWebHostProcess(dataDir, { XET_VAULT_PASSPHRASE: VAULT_PASSPHRASE });
    const responses: string[] = [];
    const call = async (command: string, body: unknown) => {
      const text = await postApi(host.port, host.token, command, typeof body === 'string' ? body : JSON.stringify(body));
      responses.push(text);
      return JSON.parse(text.slice(text.indexOf('\n') + 1)) as { ok: boolean; value: { id: string } };
    };
    const created = await call('profiles.create', { profile: { name: 'web-esa', kind: 'esa', host: '192.0.2.10', region: 'nam' }, password: WEB_PASSWORD });
    expect(created, JSON.stringify(created)).toMatchObject({ ok: true });
    await call('secrets.set', { profileId: created.value.id, kind: 'xdr-client-secret', value: WEB_PASSWORD });
    await call('secrets.status', { profileId: created.value.id });
    await call('profiles.list', {});
    await call('profiles.get', { id: created.value.id });
    await call('profiles.export', {});
    await call('vault.status', {});
    // Failing requests that carry a secret must not echo it back.
    await call('secrets.set', { profileId: created.value.id, kind: 'api-password', value: WEB_PASSWORD, extra: WEB_PASSWORD });
    await call('secrets.set', `{"profileId":"${created.value.id}","kind":"api-password","value":"${WEB_PASSWORD}"`);
    await call('vault.unlock', { passphrase: `${VAULT_PASSPHRASE}x` });
    await call('secrets.set', { profileId: 'no-such-profile', kind: 'api-password', value: WEB_PASSWORD });
    // A support archive with a password, and failing requests that carry one.
    const archive = await call('archive.create', { profileId: created.value.id, caseNumber: '698765432', encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
    expect(archive, JSON.stringify(archive)).toMatchObject({ ok: true });
    await call('archive.create', { profileId: created.value.id, encryption: { mode: 'password', password: ARCHIVE_PASSWORD }, extra: ARCHIVE_PASSWORD });
    await call('archive.create', { profileId: 'no-such-profile', encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
    await call('archive.create', `{"profileId":"${created.value.id}","encryption":{"mode":"password","password":"${ARCHIVE_PASSWORD}"`);

    const whileRunning = filesUnder(dataDir).flatMap((f) => leaks(PLANTED, fs.readFileSync(f), path.relative(dataDir, f)));
    expect(filesUnder(dataDir).map((f) => path.basename(f))).toEqual(expect.arrayContaining(['xet.sqlite', 'xet.log']));
    await host.stop();
    const afterStop = filesUnder(dataDir).flatMap((f) => leaks(PLANTED, fs.readFileSync(f), path.relative(dataDir, f)));

    expect(whileRunning).toEqual([]);
    expect(afterStop).toEqual([]);
    expect(outputs.flatMap((o, i) => leaks(PLANTED, o, `cli output ${i}`))).toEqual([]);
    expect(responses.flatMap((r, i) => leaks(PLANTED, r, `web response ${i}`))).toEqual([]);

    // And the secrets really were stored: the CLI can use them (status only; values never leave core).
    const status = await xet(['secret', 'status', 'web-esa', '--json'], env);
    expect(JSON.parse(status.out)).toMatchObject({ secrets: expect.arrayContaining([{ kind: 'api-password', stored: true, updatedAt: expect.any(String) }]) });
  }, 120_000);
});
