import { createHash, X509Certificate } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { hostKind, ProfileInput } from '../../../electron/contract/profiles.js';
import { sampleProfile, testCore } from '../../support/core.js';
import { makeSelfSigned, tlsServer } from '../../support/tls.js';

const PASS = 'correct horse battery staple';

async function create(core: ReturnType<typeof testCore>, profile: Record<string, unknown>, password?: string) {
  return core.dispatcher.dispatch('profiles.create', { profile: { ...sampleProfile, ...profile }, ...(password ? { password } : {}) });
}

describe('profile validation', () => {
  it.each([
    ['esa1.example.com', 'dns'],
    ['ESA-01', 'dns'],
    ['10.0.0.1', 'ipv4'],
    ['2001:db8::1', 'ipv6'],
    ['::1', 'ipv6'],
    ['xn--bcher-kva.example', 'dns'],
  ])('accepts host %s as %s', (host, kind) => {
    expect(hostKind(host.toLowerCase())).toBe(kind);
  });

  it.each(['bad host', '-lead.example.com', 'a..b', '10.0.0.256', '1.2.3', 'esa_1.example.com', 'fe80::1%eth0', 'http://esa1', 'a'.repeat(64) + '.com', ''])(
    'rejects host %j naming the field',
    async (host) => {
      const core = testCore();
      expect(await create(core, { host })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'profile.host' } });
      core.close();
    },
  );

  it('strips IPv6 brackets and lower-cases hosts', () => {
    expect(ProfileInput.parse({ ...sampleProfile, host: ' [2001:DB8::1] ' }).host).toBe('2001:db8::1');
  });

  it.each([
    [{ httpsPort: 0 }, 'profile.httpsPort'],
    [{ httpPort: 65536 }, 'profile.httpPort'],
    [{ httpsPort: 44.5 }, 'profile.httpsPort'],
    [{ httpsPort: '6443' }, 'profile.httpsPort'],
    [{ name: '' }, 'profile.name'],
    [{ name: '   ' }, 'profile.name'],
    [{ name: 'x'.repeat(65) }, 'profile.name'],
    [{ name: 'tab\u0007bell' }, 'profile.name'],
    [{ kind: 'wsa' }, 'profile.kind'],
    [{ region: 'mars' }, 'profile.region'],
    [{ trust: { mode: 'insecure' } }, 'profile.trust.mode'],
    [{ trust: { mode: 'pin', sha256: 'abc' } }, 'profile.trust.sha256'],
    [{ trust: { mode: 'ca', pem: 'hello' } }, 'profile.trust.pem'],
    [{ secretField: 1 }, 'profile.secretField'],
  ])('rejects %j at %s', async (patch, field) => {
    const core = testCore();
    const r = await create(core, patch);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field } });
    expect(core.profiles.repo.count()).toBe(0);
    core.close();
  });

  it('rejects a CA file that is PEM-shaped but not a certificate', async () => {
    const core = testCore();
    const r = await create(core, { trust: { mode: 'ca', pem: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'trust.pem' } });
    core.close();
  });

  it('keeps names unique without regard to case', async () => {
    const core = testCore();
    expect(await create(core, { name: 'Ärger-ESA' })).toMatchObject({ ok: true });
    expect(await create(core, { name: 'ärger-esa' })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } });
    core.close();
  });

  it('stores hostile, emoji and right-to-left strings literally', async () => {
    const core = testCore();
    const names = ["'; DROP TABLE profiles; --", 'ESA 📧🔥', 'שרת דואר', '<script>alert(1)</script>', 'Robert"); --'];
    for (const name of names) expect(await create(core, { name, notes: `${name}\n${name}` })).toMatchObject({ ok: true, value: { name } });
    const listed = core.profiles.list().profiles.map((p) => p.name);
    expect(listed.sort()).toEqual([...names].sort());
    expect(core.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'profiles'").pluck().get()).toBe(1);
    expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    core.close();
  });

  it('fills in the documented defaults', async () => {
    const core = testCore();
    const r = (await create(core, {})) as { ok: true; value: Record<string, unknown> };
    expect(r.value).toMatchObject({ httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: true, cluster: null, notes: '', trust: { mode: 'system' }, passwordStored: false });
    core.close();
  });
});

describe('profile operations', () => {
  it('lists sorted by name and searches name, host, cluster, user and notes', async () => {
    const core = testCore();
    await create(core, { name: 'zeta', host: 'z.example.com' });
    await create(core, { name: 'Alpha', host: 'mail.corp.example', cluster: 'Frankfurt' });
    await create(core, { name: 'beta 10', notes: 'lab box' });
    await create(core, { name: 'beta 9', username: 'svc-xdr' });
    expect(core.profiles.list().profiles.map((p) => p.name)).toEqual(['Alpha', 'beta 9', 'beta 10', 'zeta']);
    const search = async (query: string) => ((await core.dispatcher.dispatch('profiles.list', { query })) as { value: { profiles: { name: string }[]; total: number } }).value;
    expect((await search('CORP')).profiles.map((p) => p.name)).toEqual(['Alpha']);
    expect((await search('frankfurt')).profiles.map((p) => p.name)).toEqual(['Alpha']);
    expect((await search('LAB')).profiles.map((p) => p.name)).toEqual(['beta 10']);
    expect((await search('svc-')).profiles.map((p) => p.name)).toEqual(['beta 9']);
    expect((await search('nothing')).total).toBe(4);
    core.close();
  });

  it('updates fields, keeps the secret, and refuses a rename onto another profile', async () => {
    const core = testCore({ vaultPassphrase: PASS });
    const a = core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'a' }), 'secret-a-123');
    core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'b' }));
    const r = await core.dispatcher.dispatch('profiles.update', { id: a.id, profile: { ...sampleProfile, name: 'a2', host: '192.0.2.7', httpEnabled: false } });
    expect(r).toMatchObject({ ok: true, value: { name: 'a2', host: '192.0.2.7', httpEnabled: false, passwordStored: true, createdAt: a.createdAt } });
    expect(await core.dispatcher.dispatch('profiles.update', { id: a.id, profile: { ...sampleProfile, name: 'B' } })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await core.dispatcher.dispatch('profiles.update', { id: 'missing', profile: sampleProfile })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    core.close();
  });

  it('duplicates with a free name and re-encrypted secrets; without the vault the copy has none', async () => {
    const core = testCore();
    core.vault.setPassphrase(PASS);
    const a = core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'cluster-1' }), 'cluster-pw-1');
    const copy1 = core.profiles.duplicate(a.id);
    const copy2 = core.profiles.duplicate(a.id);
    expect([copy1.name, copy2.name]).toEqual(['cluster-1 (copy)', 'cluster-1 (copy 2)']);
    expect(core.secrets.reveal(copy1.id, 'api-password')).toBe('cluster-pw-1');
    core.vault.lock();
    const copy3 = core.profiles.duplicate(a.id, 'cluster-2');
    expect(copy3).toMatchObject({ name: 'cluster-2', passwordStored: false });
    core.close();
  });

  it('deletes a profile together with its secrets', async () => {
    const core = testCore({ vaultPassphrase: PASS });
    const a = core.profiles.create(ProfileInput.parse(sampleProfile), 'delete-me-pw');
    expect(await core.dispatcher.dispatch('profiles.delete', { id: a.id, deleteHistory: true })).toEqual({ ok: true, value: { deleted: true, secretsDeleted: 1, historyDeleted: 0 } });
    expect(core.db.prepare('SELECT count(*) FROM secrets').pluck().get()).toBe(0);
    expect(await core.dispatcher.dispatch('profiles.get', { id: a.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    core.close();
  });

  it('stores a CA trust and reports its subject and expiry', async () => {
    const core = testCore();
    const { cert } = makeSelfSigned('corp-ca.example');
    const r = (await create(core, { trust: { mode: 'ca', pem: cert } })) as { ok: true; value: { trust: Record<string, string> } };
    expect(r.value.trust).toMatchObject({ mode: 'ca', subject: expect.stringContaining('CN=corp-ca.example'), sha256: createHash('sha256').update(new X509Certificate(cert).raw).digest('hex') });
    core.close();
  });
});

describe('fetching the appliance certificate for pinning', () => {
  it('reads subject, issuer, names, validity and SHA-256 from a real TLS server', async () => {
    const cert = makeSelfSigned('esa1.example.com');
    const server = await tlsServer(cert);
    const core = testCore();
    const r = (await core.dispatcher.dispatch('profiles.fetchCertificate', { host: '127.0.0.1', port: server.port })) as { ok: true; value: Record<string, unknown> };
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({
      sha256: createHash('sha256').update(new X509Certificate(cert.cert).raw).digest('hex'),
      subject: expect.stringContaining('CN=esa1.example.com'),
      selfSigned: true,
      trustedBySystem: false,
      subjectAltNames: expect.arrayContaining(['DNS:esa1.example.com']),
    });
    expect(r.value.trustError).toBeTruthy();
    await server.close();
    core.close();
  });

  it('explains a closed port as a disabled API', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const core = testCore();
    const r = await core.dispatcher.dispatch('profiles.fetchCertificate', { host: '127.0.0.1', port });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('connection refused') } });
    core.close();
  });
});
