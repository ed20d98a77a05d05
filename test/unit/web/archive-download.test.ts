import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ArchiveInfo } from '../../../electron/contract/archive.js';
import { ProfileInput } from '../../../electron/contract/profiles.js';
import { startWebHost, type WebHost } from '../../../electron/web/server.js';
import { plantedArchiveHar } from '../../support/archive.js';
import { sampleProfile, testCore } from '../../support/core.js';
import { tempDir } from '../../support/temp.js';

const PASSWORD = 'tac-case-Ruby-Falcon-2931';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web host support archive download', () => {
  let host: WebHost;
  let core: ReturnType<typeof testCore>;
  let whole: ArchiveInfo;
  let split: ArchiveInfo;
  const auth = () => ({ Authorization: `Bearer ${host.token}` });

  beforeAll(async () => {
    core = testCore();
    const profile = core.profiles.create(ProfileInput.parse(sampleProfile));
    // Incompressible padding, so the split archive has more than one 1 MiB part.
    const har = plantedArchiveHar(path.join(tempDir(), 'capture.har'), { host: sampleProfile.host, storedPassword: 'not-stored-here', padBytes: 1_200_000 });
    const harId = (await core.har.importPath(har)).id;
    const build = async (extra: Record<string, unknown>) => {
      const r = await core.dispatcher.dispatch('archive.create', { profileId: profile.id, harIds: [harId], encryption: { mode: 'password', password: PASSWORD }, ...extra });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as ArchiveInfo;
    };
    whole = await build({ caseNumber: '698765432' });
    split = await build({ splitBytes: 1024 * 1024 });
    host = await startWebHost({ dispatcher: core.dispatcher, bus: core.bus, log: core.log, staticDir: tempDir(), har: core.har, archive: core.archive });
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    core?.close();
  });

  it('refuses without the token, with a wrong one, from a foreign origin, cross-site and for a foreign Host', async () => {
    const url = `/files/archive/${whole.id}`;
    expect((await get(host.port, url)).status).toBe(401);
    expect((await get(host.port, url, { Authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await get(host.port, url, { Cookie: `xet_session_${host.port}=wrong-token` })).status).toBe(401);
    expect((await get(host.port, url, { ...auth(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(host.port, url, { ...auth(), 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await get(host.port, url, { ...auth(), Host: 'evil.example' })).status).toBe(421);
    expect((await get(host.port, url, auth(), 'POST')).status).toBe(405);
  });

  it('answers 404 for an unknown or removed archive and for a part that does not exist', async () => {
    expect((await get(host.port, '/files/archive/0123456789abcdef', auth())).status).toBe(404);
    expect((await get(host.port, '/files/archive/not-an-id', auth())).status).toBe(404);
    expect((await get(host.port, `/files/archive/${whole.id}?part=2`, auth())).status).toBe(404);
    expect((await get(host.port, `/files/archive/${whole.id}?part=0`, auth())).status).toBe(400);
    expect((await get(host.port, `/files/archive/${whole.id}?part=x`, auth())).status).toBe(400);
  });

  it('streams the encrypted file as an attachment under its own name, byte for byte', async () => {
    const down = await get(host.port, `/files/archive/${whole.id}`, auth());
    expect(down.status).toBe(200);
    expect(down.headers['content-type']).toBe('application/octet-stream');
    expect(down.headers['content-disposition']).toBe(`attachment; filename="xet-support-case-698765432.zip"; filename*=UTF-8''xet-support-case-698765432.zip`);
    expect(down.headers['cache-control']).toBe('no-store');
    expect(Number(down.headers['content-length'])).toBe(whole.bytes);
    expect(down.body.equals(fs.readFileSync(core.archive.file(whole.id).path))).toBe(true);
    expect((await get(host.port, `/files/archive/${whole.id}?part=1`, auth())).body.equals(down.body)).toBe(true);
  });

  it('serves every part of a split archive by its number', async () => {
    expect(split.parts.length).toBeGreaterThan(1);
    for (const [i, part] of split.parts.entries()) {
      const down = await get(host.port, `/files/archive/${split.id}?part=${i + 1}`, auth());
      expect(down.status).toBe(200);
      expect(down.headers['content-disposition']).toContain(`filename="${part.name}"`);
      expect(part.name).toMatch(new RegExp(`\\.${String(i + 1).padStart(3, '0')}$`));
      expect(down.body.equals(fs.readFileSync(core.archive.file(split.id, i).path))).toBe(true);
    }
    expect((await get(host.port, `/files/archive/${split.id}?part=${split.parts.length + 1}`, auth())).status).toBe(404);
  });

  it('is gone once the archive is removed', async () => {
    expect(await core.dispatcher.dispatch('archive.remove', { id: split.id })).toMatchObject({ ok: true });
    expect((await get(host.port, `/files/archive/${split.id}?part=1`, auth())).status).toBe(404);
  });
});
