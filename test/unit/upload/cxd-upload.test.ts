import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveInfo } from '../../../electron/contract/archive.js';
import type { UploadProgress } from '../../../electron/contract/upload.js';
import { readEndpointsFile } from '../../../electron/core/checks/endpoints.js';
import type { Core } from '../../../electron/core/core.js';
import { encodedForms } from '../../../electron/core/logging/redactor.js';
import { plantedArchiveHar, sha256File } from '../../support/archive.js';
import { simulatedSetup, VAULT_PASSPHRASE } from '../../support/checks.js';
import { connectProxy } from '../../support/connect-proxy.js';
import { testCore } from '../../support/core.js';
import { filesUnder } from '../../support/planted-secret.js';
import { recipientCert } from '../../support/recipient-certs.js';
import { tempDir } from '../../support/temp.js';
import { cxdBeside } from '../../support/upload.js';

const CASE = '698765432';
const ARCHIVE_PASSWORD = 'tac-upload-Ruby-Falcon-2931';
const TUNING = { maxAttempts: 3, backoffMs: 50, stallMs: 1500, continueTimeoutMs: 1000 };

let setup: Awaited<ReturnType<typeof simulatedSetup>>;
let whole: string[];
let split: string[];
let cms: string[];

beforeAll(async () => {
  setup = await simulatedSetup();
  const run = await setup.core.checks.run({ profileId: setup.profile.id });
  const build = async (extra: Record<string, unknown>): Promise<ArchiveInfo> => {
    const r = await setup.core.dispatcher.dispatch('archive.create', { profileId: setup.profile.id, runIds: [run.id], caseNumber: CASE, encryption: { mode: 'password', password: ARCHIVE_PASSWORD }, ...extra });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as ArchiveInfo;
  };
  whole = setup.core.archive.partPaths((await build({})).id);
  // A HAR with 3 MB of incompressible data makes the archive several 1 MiB parts.
  const harFile = plantedArchiveHar(path.join(tempDir(), 'capture.har'), { host: '127.0.0.1', storedPassword: setup.sim.password, padBytes: 3_000_000 });
  const harId = (await setup.core.har.importPath(harFile)).id;
  split = setup.core.archive.partPaths((await build({ harIds: [harId], splitBytes: 1024 * 1024 })).id);
  cms = setup.core.archive.partPaths((await build({ encryption: { mode: 'certificate', certificates: [{ name: 'tac.pem', pem: recipientCert().cert }] } })).id);
}, 60_000);

afterAll(async () => setup?.close());

function uploadCore(overrides: Parameters<typeof testCore>[0] = {}): Core & { logger: { lines: unknown[] } } {
  return testCore({ vaultPassphrase: VAULT_PASSPHRASE, env: {}, uploadTuning: TUNING, ...overrides }) as never;
}

async function upload(core: Core, endpointsFile: string, files: string[], extra: Record<string, unknown> = {}, host: Record<string, unknown> = {}) {
  return core.dispatcher.call('archive.upload', { caseNumber: CASE, token: 'SimCxdTok3n42', ...extra } as never, { files, endpoints: readEndpointsFile(endpointsFile), ...host });
}

describe('archive upload to CXD', () => {
  it('stores one file byte for byte, with Expect: 100-continue, progress events and a record', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    const core = uploadCore();
    const events: UploadProgress[] = [];
    core.bus.subscribe((name, payload) => name === 'archive.uploadProgress' && events.push(payload as UploadProgress));
    try {
      const r = await upload(core, endpointsFile, whole);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const name = path.basename(whole[0]!);
      expect(cxd.stored.get(`${CASE}/${name}`)?.sha256).toBe(sha256File(whole[0]!));
      expect(cxd.requests).toMatchObject([{ method: 'PUT', path: `/home/${name}`, caseNumber: CASE, authOk: true, expectContinue: true, status: 201 }]);
      if (!r.ok) return;
      expect(r.value.uploads).toMatchObject([{ fileName: name, caseNumber: CASE, bytes: fs.statSync(whole[0]!).size, sha256: sha256File(whole[0]!), attempts: 1, httpStatus: 201, outcome: 'uploaded' }]);
      expect(r.value.warnings).toEqual([]);
      expect(events.map((e) => e.stage)).toEqual(expect.arrayContaining(['checking', 'connecting', 'sending', 'done']));
      expect(events.at(-1)).toMatchObject({ stage: 'done', bytes: fs.statSync(whole[0]!).size, attempt: 1 });
      expect((await core.dispatcher.call('archive.uploads', {})).ok && (await core.dispatcher.call('archive.uploads', { caseNumber: CASE }))).toMatchObject({ ok: true, value: { uploads: [{ fileName: name, outcome: 'uploaded' }] } });
      // The same file to the same case again: asked first, then CXD's own answer (a file cannot change).
      expect(await upload(core, endpointsFile, whole)).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.upload.repeat', field: 'confirmRepeat' } });
      expect(cxd.requests).toHaveLength(1);
      expect(await upload(core, endpointsFile, whole, { confirmRepeat: true })).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'errors.upload.conflict' } });
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it('sends every part of a split archive, each byte-identical', async () => {
    expect(split.length).toBeGreaterThan(1);
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    const core = uploadCore();
    try {
      const r = await upload(core, endpointsFile, [split[0]!]);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      for (const part of split) expect(cxd.stored.get(`${CASE}/${path.basename(part)}`)?.sha256, part).toBe(sha256File(part));
      expect(cxd.requests.map((q) => q.path)).toEqual(split.map((p) => `/home/${path.basename(p)}`));
      // The parts named one by one must be those parts in order.
      expect(await upload(core, endpointsFile, [split[0]!, split[2] ?? split[1]!, split[1]!], { confirmRepeat: true })).toMatchObject({ ok: false, error: { key: 'errors.upload.partsMismatch' } });
      expect(await upload(core, endpointsFile, [split[1]!])).toMatchObject({ ok: false, error: { key: 'errors.upload.firstPart' } });
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it('sends a certificate (CMS) archive, and refuses one cut short before any connection', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    const core = uploadCore();
    try {
      expect(path.basename(cms[0]!)).toMatch(/\.p7m$/);
      const r = await upload(core, endpointsFile, cms);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(cxd.stored.get(`${CASE}/${path.basename(cms[0]!)}`)?.sha256).toBe(sha256File(cms[0]!));
      const cut = path.join(tempDir(), 'cut.p7m');
      fs.writeFileSync(cut, fs.readFileSync(cms[0]!).subarray(0, 40));
      expect(await upload(core, endpointsFile, [cut])).toMatchObject({ ok: false, error: { key: 'errors.upload.damagedCms', params: { file: 'cut.p7m' } } });
      expect(cxd.requests).toHaveLength(1);
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it('takes the proxy from Settings, else HTTPS_PROXY unless NO_PROXY exempts the host', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    const proxy = await connectProxy();
    const viaEnv = uploadCore({ env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}` } });
    const exempt = uploadCore({ env: { HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`, NO_PROXY: 'localhost,127.0.0.1' } });
    const viaSetting = uploadCore();
    try {
      expect((await upload(viaEnv, endpointsFile, whole)).ok).toBe(true);
      expect(proxy.seen).toHaveLength(1);
      expect((await upload(exempt, endpointsFile, cms)).ok).toBe(true);
      expect(proxy.seen).toHaveLength(1);
      viaSetting.settings.set({ proxy: `http://127.0.0.1:${proxy.port}` });
      expect((await upload(viaSetting, endpointsFile, [split[0]!])).ok).toBe(true);
      // One tunnel per file: the whole archive, then each part of the split one.
      expect(proxy.seen.map((s) => s.target)).toEqual(Array.from({ length: 1 + split.length }, () => `127.0.0.1:${cxd.port}`));
    } finally {
      viaEnv.close();
      exempt.close();
      viaSetting.close();
      await cxd.close();
      await proxy.close();
    }
  });

  it('a refused token fails at once: 401, no retry, no body byte sent', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-bad-token');
    const core = uploadCore();
    try {
      const r = await upload(core, endpointsFile, whole, { token: 'wrong token with spaces' });
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', key: 'errors.upload.unauthorized', params: { case: CASE } } });
      expect(cxd.requests).toMatchObject([{ expectContinue: true, status: 401, bodyBytes: 0 }]);
      expect((await core.dispatcher.call('archive.uploads', {})) as unknown).toMatchObject({ ok: true, value: { uploads: [{ outcome: 'refused', httpStatus: 401, attempts: 1, sha256: null, errorKey: 'errors.upload.unauthorized' }] } });
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it.each(['drop', '503'] as const)('flaky CXD (%s on the first attempt) stores the file on a later attempt', async (flaky) => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-flaky', { flaky });
    const core = uploadCore();
    const stages: string[] = [];
    core.bus.subscribe((name, payload) => name === 'archive.uploadProgress' && stages.push(`${(payload as UploadProgress).stage}:${(payload as UploadProgress).attempt}`));
    try {
      const r = await upload(core, endpointsFile, whole);
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true, value: { uploads: [{ attempts: 2, httpStatus: 201, outcome: 'uploaded' }] } });
      expect(cxd.stored.get(`${CASE}/${path.basename(whole[0]!)}`)?.sha256).toBe(sha256File(whole[0]!));
      expect(cxd.requests.length).toBe(2);
      expect(stages).toContain('retrying:1');
      expect(stages).toContain('done:2');
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it('a CXD that stops reading is cut by the stall bound, retried, then reported', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-stall');
    const core = uploadCore({ uploadTuning: { ...TUNING, maxAttempts: 2 } });
    try {
      const r = await upload(core, endpointsFile, [split[0]!]);
      expect(r).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', key: 'errors.upload.failed', params: { attempts: 2, detail: 'no bytes accepted for 2 s' } } });
      expect(cxd.requests.length).toBe(2);
      expect(cxd.stored.size).toBe(0);
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it('cancel stops at once and says TAC may hold a partial file', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-slow', { slowBytesPerSecond: 256 * 1024 });
    const core = uploadCore();
    core.bus.subscribe((name, payload) => {
      const p = payload as UploadProgress;
      if (name === 'archive.uploadProgress' && (p.stage === 'sending' || p.stage === 'waiting') && p.bytes > 0) void core.dispatcher.dispatch('archive.uploadCancel', { taskId: 'upload-task-1' });
    });
    try {
      const r = await upload(core, endpointsFile, [split[0]!], { taskId: 'upload-task-1' });
      expect(r).toMatchObject({ ok: false, error: { key: 'errors.upload.cancelled', message: expect.stringMatching(/TAC may hold a partial file/) } });
      expect(cxd.stored.size).toBe(0);
      expect((await core.dispatcher.call('archive.uploads', {})) as unknown).toMatchObject({ ok: true, value: { uploads: [{ outcome: 'cancelled' }] } });
    } finally {
      core.close();
      await cxd.close();
    }
  }, 15_000);

  it('refuses a plaintext zip, a ZipCrypto zip, a HAR, an empty file and a folder before any connection', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    const core = uploadCore();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{}');
    fs.writeFileSync(path.join(dir, 'report.html'), '<p>plain</p>');
    execFileSync('7z', ['a', '-tzip', path.join(dir, 'plain.zip'), path.join(dir, 'manifest.json'), path.join(dir, 'report.html')], { stdio: 'ignore' });
    execFileSync('7z', ['a', '-tzip', '-pweak-password-1', '-mem=ZipCrypto', path.join(dir, 'weak.zip'), path.join(dir, 'manifest.json')], { stdio: 'ignore' });
    fs.writeFileSync(path.join(dir, 'capture.har'), JSON.stringify({ log: { version: '1.2', entries: [] } }));
    fs.writeFileSync(path.join(dir, 'empty.zip'), '');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    try {
      const cases: [string, string][] = [
        ['plain.zip', 'errors.upload.plaintextZip'],
        ['weak.zip', 'errors.upload.zipCrypto'],
        ['capture.har', 'errors.upload.json'],
        ['empty.zip', 'errors.upload.empty'],
        ['notes.txt', 'errors.upload.notArchive'],
      ];
      for (const [file, key] of cases) expect(await upload(core, endpointsFile, [path.join(dir, file)]), file).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', key, field: 'file', params: { file } } });
      expect(await upload(core, endpointsFile, [dir])).toMatchObject({ ok: false, error: { key: 'errors.upload.unreadable' } });
      expect(cxd.requests).toEqual([]);
      expect((await core.dispatcher.call('archive.uploads', {})) as unknown).toMatchObject({ ok: true, value: { uploads: [] } });
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it('goes through a CONNECT proxy (--proxy with credentials) and trusts the endpoints file’s root for "cxd" only', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    const proxy = await connectProxy({ requireAuth: `Basic ${Buffer.from('corp:Pl4nted-proxy-pw!').toString('base64')}` });
    const core = uploadCore();
    try {
      const r = await upload(core, endpointsFile, whole, {}, { proxy: `http://corp:Pl4nted-proxy-pw!@127.0.0.1:${proxy.port}` });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(proxy.seen.map((s) => s.target)).toEqual([`127.0.0.1:${cxd.port}`]);
      // Without the endpoints file's root the stand-in's certificate is not genuine: refused, never ignored.
      const bare = tempDir();
      fs.writeFileSync(path.join(bare, 'e.json'), JSON.stringify({ ...JSON.parse(fs.readFileSync(endpointsFile, 'utf8')), trustedCaFile: undefined }));
      const untrusted = await upload(core, path.join(bare, 'e.json'), [split[0]!]);
      expect(untrusted).toMatchObject({ ok: false, error: { key: 'errors.upload.failed', params: { detail: expect.stringMatching(/certificate/i) } } });
      expect(cxd.stored.has(`${CASE}/${path.basename(split[0]!)}`)).toBe(false);
    } finally {
      core.close();
      await cxd.close();
      await proxy.close();
    }
  });

  it('remembers the token for the case only when asked, uses it without one, clears it; secrets land nowhere', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    const dataDir = tempDir();
    const core = uploadCore({ dataDir, logger: undefined });
    const token = cxd.token;
    try {
      expect(await core.dispatcher.call('cases.tokenStatus', { caseNumber: CASE })).toMatchObject({ ok: true, value: { stored: false } });
      const first = await upload(core, endpointsFile, whole, { token, remember: true });
      expect(first).toMatchObject({ ok: true, value: { tokenRemembered: true } });
      expect(await core.dispatcher.call('cases.tokenStatus', { caseNumber: CASE })).toMatchObject({ ok: true, value: { stored: true } });
      const second = await upload(core, endpointsFile, [split[0]!], { token: undefined });
      expect(second, JSON.stringify(second)).toMatchObject({ ok: true, value: { tokenRemembered: true } });
      expect(await core.dispatcher.call('cases.tokenClear', { caseNumber: CASE })).toMatchObject({ ok: true, value: { stored: false } });
      expect(await upload(core, endpointsFile, whole, { token: undefined, confirmRepeat: true })).toMatchObject({ ok: false, error: { key: 'errors.upload.noToken', field: 'token' } });
      // A 401 with the token in hand logs nothing of it either.
      await upload(core, endpointsFile, whole, { token: `${token}-x`, confirmRepeat: true });
      const answers = JSON.stringify([first, second, await core.dispatcher.call('archive.uploads', {})]);
      const haystacks: [string, Buffer][] = [['answers', Buffer.from(answers)], ...filesUnder(dataDir).map((f) => [f, fs.readFileSync(f)] as [string, Buffer])];
      expect(haystacks.some(([f]) => f.endsWith('-wal'))).toBe(true);
      const leaks: string[] = [];
      for (const [where, bytes] of haystacks) for (const secret of [token, ARCHIVE_PASSWORD, VAULT_PASSPHRASE]) for (const form of encodedForms(secret)) if (bytes.includes(form)) leaks.push(`${where}: ${form}`);
      expect(leaks).toEqual([]);
    } finally {
      core.close();
      await cxd.close();
    }
    const after = filesUnder(dataDir).map((f) => fs.readFileSync(f));
    for (const bytes of after) for (const form of encodedForms(token)) expect(bytes.includes(form)).toBe(false);
  });

  it('an unusual token shape is a warning; a bad case number is refused by the contract', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok', { token: 'a token with spaces in it' });
    const core = uploadCore();
    try {
      expect(await upload(core, endpointsFile, whole, { token: 'a token with spaces in it' })).toMatchObject({ ok: true, value: { warnings: [{ code: 'token-shape' }] } });
      expect(await upload(core, endpointsFile, whole, { caseNumber: '12345' })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'caseNumber' } });
      // The renderer's transport cannot name files: without an archive id there is nothing to send.
      expect(await core.dispatcher.dispatch('archive.upload', { caseNumber: CASE, token: 'SimCxdTok3n42', files: whole })).toMatchObject({ ok: false, error: { field: 'files' } });
      expect(await core.dispatcher.dispatch('archive.upload', { caseNumber: CASE, token: 'SimCxdTok3n42' })).toMatchObject({ ok: false, error: { key: 'errors.upload.noArchive' } });
    } finally {
      core.close();
      await cxd.close();
    }
  });

  it('uploads an archive built in this session by its id', async () => {
    const { cxd, endpointsFile } = await cxdBeside(setup.sim, 'cxd-ok');
    try {
      const [archive] = setup.core.archive.list();
      const r = await setup.core.dispatcher.call('archive.upload', { archiveId: archive!.id, caseNumber: CASE, token: cxd.token }, { endpoints: readEndpointsFile(endpointsFile) });
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true, value: { uploads: [{ fileName: archive!.parts[0]!.name, sha256: archive!.parts[0]!.sha256 }] } });
    } finally {
      await cxd.close();
    }
  });
});
