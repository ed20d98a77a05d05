import { PassphraseWrapper } from '../../../electron/core/secrets/passphrase-wrapper.js';
import { WrongKeyError, type KeyWrapper } from '../../../electron/core/secrets/key-wrapper.js';
import { createCore } from '../../../electron/core/core.js';
import { MemoryLogger } from '../../../electron/core/logging/logger.js';
import { sampleProfile, testCore, TEST_SCRYPT } from '../../support/core.js';

const PASS = 'correct horse battery staple';

/** Stands in for Electron safeStorage: a keychain-held key XORs the data key (reversible, key-dependent). */
function fakeKeychain(secret = 7): KeyWrapper {
  return {
    method: 'safe-storage',
    wrap: (k) => ({ params: { format: 'safeStorage:v1' }, wrapped: Buffer.from(k.map((b) => b ^ secret)) }),
    unwrap: (_p, w) => {
      const k = Buffer.from(w.map((b) => b ^ secret));
      if (k.length !== 32) throw new WrongKeyError();
      return k;
    },
  };
}

describe('passphrase wrapper', () => {
  it('round-trips the data key and refuses a wrong passphrase with WrongKeyError, never garbage', () => {
    const key = Buffer.alloc(32, 9);
    const { params, wrapped } = new PassphraseWrapper(PASS, TEST_SCRYPT).wrap(key);
    expect(params).toMatchObject({ kdf: 'scrypt', N: TEST_SCRYPT.N });
    expect(wrapped.equals(key)).toBe(false);
    expect(new PassphraseWrapper(PASS, TEST_SCRYPT).unwrap(params, wrapped).equals(key)).toBe(true);
    expect(() => new PassphraseWrapper('wrong horse battery staple', TEST_SCRYPT).unwrap(params, wrapped)).toThrow(WrongKeyError);
  });

  it('uses a strong scrypt work factor by default', async () => {
    const { SCRYPT_DEFAULTS } = await import('../../../electron/core/secrets/passphrase-wrapper.js');
    expect(SCRYPT_DEFAULTS.N * SCRYPT_DEFAULTS.r * 128).toBeGreaterThanOrEqual(64 * 1024 * 1024);
  });
});

describe('vault', () => {
  it('is not set up until a passphrase is chosen, and refuses secrets until then', async () => {
    const core = testCore();
    expect(core.vault.status()).toEqual({ state: 'uninitialized', methods: [], automatic: false });
    const p = core.profiles.create({ ...sampleProfile, httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, cluster: null, notes: '', trust: { mode: 'system' } });
    const r = await core.dispatcher.dispatch('secrets.set', { profileId: p.id, kind: 'api-password', value: 'pw-123456' });
    expect(r).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    core.close();
  });

  it('opens with the passphrase in another process, and says so clearly when it is wrong', async () => {
    const core = testCore();
    await core.dispatcher.dispatch('vault.setPassphrase', { passphrase: PASS });
    const created = await core.dispatcher.dispatch('profiles.create', { profile: sampleProfile, password: 'Pl@nted-pw-1' });
    expect(created).toMatchObject({ ok: true, value: { passwordStored: true } });
    const id = (created as { value: { id: string } }).value.id;
    const dir = core.paths.root;
    core.close();

    const reopen = (extra: object = {}) =>
      createCore({ dataDir: dir, transport: 'cli', secretBackend: { kind: 'passphrase', detail: '', available: true }, defaultSettings: { language: 'en', theme: 'system', proxy: null }, logger: new MemoryLogger(), scryptCost: TEST_SCRYPT, ...extra });
    const locked = reopen();
    expect(locked.vault.status().state).toBe('locked');
    expect(() => locked.secrets.reveal(id, 'api-password')).toThrow(/locked/);
    expect(() => locked.secrets.revealAll(id)).toThrow(/locked/);
    expect(await locked.dispatcher.dispatch('vault.unlock', { passphrase: 'not the passphrase' })).toMatchObject({ ok: false, error: { code: 'BAD_PASSPHRASE' } });
    expect(await locked.dispatcher.dispatch('vault.unlock', { passphrase: PASS })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(locked.secrets.reveal(id, 'api-password')).toBe('Pl@nted-pw-1');
    locked.secrets.set(id, 'cxd-token', 'Pl@nted-cxd-2');
    expect(locked.secrets.revealAll(id).sort()).toEqual(['Pl@nted-cxd-2', 'Pl@nted-pw-1']);
    locked.close();

    const viaEnv = reopen({ vaultPassphrase: PASS });
    expect(viaEnv.vault.status().state).toBe('unlocked');
    viaEnv.close();
    const wrongEnv = reopen({ vaultPassphrase: 'wrong wrong wrong' });
    expect(await wrongEnv.dispatcher.dispatch('secrets.set', { profileId: id, kind: 'api-password', value: 'x-123456' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_PASSPHRASE', message: expect.stringContaining('XET_VAULT_PASSPHRASE') },
    });
    wrongEnv.close();
  });

  it('lets the OS keychain and a passphrase open the same vault', async () => {
    const app = testCore({ keyWrappers: [fakeKeychain()] });
    const p = app.profiles.create({ ...sampleProfile, httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, cluster: null, notes: '', trust: { mode: 'system' } }, 'keychain-pw-1');
    expect(app.vault.status()).toEqual({ state: 'unlocked', methods: ['safe-storage'], automatic: true });
    await app.dispatcher.dispatch('vault.setPassphrase', { passphrase: PASS });
    expect(app.vault.status().methods).toEqual(['passphrase', 'safe-storage']);
    const dir = app.paths.root;
    app.close();
    const cli = createCore({ dataDir: dir, transport: 'cli', secretBackend: { kind: 'passphrase', detail: '', available: true }, defaultSettings: { language: 'en', theme: 'system', proxy: null }, logger: new MemoryLogger(), scryptCost: TEST_SCRYPT, vaultPassphrase: PASS });
    expect(cli.secrets.reveal(p.id, 'api-password')).toBe('keychain-pw-1');
    cli.close();
    const appAgain = createCore({ dataDir: dir, transport: 'electron', secretBackend: { kind: 'safe-storage', detail: '', available: true }, defaultSettings: { language: 'en', theme: 'system', proxy: null }, logger: new MemoryLogger(), keyWrappers: [fakeKeychain()] });
    expect(appAgain.vault.status().state).toBe('unlocked');
    expect(appAgain.secrets.reveal(p.id, 'api-password')).toBe('keychain-pw-1');
    appAgain.close();
  });

  it('adds the keychain after a passphrase unlock, so the app asks only once', async () => {
    const cli = testCore({ vaultPassphrase: PASS });
    await cli.dispatcher.dispatch('vault.setPassphrase', { passphrase: PASS });
    const dir = cli.paths.root;
    cli.close();
    const app = createCore({ dataDir: dir, transport: 'electron', secretBackend: { kind: 'safe-storage', detail: '', available: true }, defaultSettings: { language: 'en', theme: 'system', proxy: null }, logger: new MemoryLogger(), scryptCost: TEST_SCRYPT, keyWrappers: [fakeKeychain()] });
    expect(app.vault.status()).toMatchObject({ state: 'locked', methods: ['passphrase'] });
    await app.dispatcher.dispatch('vault.unlock', { passphrase: PASS });
    expect(app.vault.status().methods).toEqual(['passphrase', 'safe-storage']);
    app.close();
  });

  it('binds each ciphertext to its profile and kind: swapped rows fail their integrity check', () => {
    const core = testCore({ vaultPassphrase: PASS });
    const base = { ...sampleProfile, httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, cluster: null, notes: '', trust: { mode: 'system' as const } };
    const a = core.profiles.create({ ...base, name: 'a' }, 'password-of-a');
    const b = core.profiles.create({ ...base, name: 'b' }, 'password-of-b');
    core.db.prepare("UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE profile_id = ?), iv = (SELECT iv FROM secrets WHERE profile_id = ?), tag = (SELECT tag FROM secrets WHERE profile_id = ?) WHERE profile_id = ?").run(a.id, a.id, a.id, b.id);
    expect(() => core.secrets.reveal(b.id, 'api-password')).toThrow(/integrity/);
    expect(core.secrets.reveal(a.id, 'api-password')).toBe('password-of-a');
    core.close();
  });

  it('forgets the key on lock', async () => {
    const core = testCore({ vaultPassphrase: PASS });
    await core.dispatcher.dispatch('vault.setPassphrase', { passphrase: PASS });
    expect((await core.dispatcher.dispatch('vault.lock', {})) as unknown).toMatchObject({ ok: true, value: { state: 'locked' } });
    core.close();
  });

  it('refuses a short passphrase, naming the field', async () => {
    const core = testCore();
    expect(await core.dispatcher.dispatch('vault.setPassphrase', { passphrase: 'short' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'passphrase' } });
    core.close();
  });
});
