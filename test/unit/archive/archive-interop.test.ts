import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveInfo } from '../../../electron/contract/archive.js';
import type { Run } from '../../../electron/contract/checks.js';
import { verifyArchive } from '../../../electron/core/archive/archive-reader.js';
import { AppError } from '../../../electron/core/errors.js';
import { checkAgainstManifest, filesBelow, leaksBelow, PLANTED, plantedArchiveHar, sevenZip } from '../../support/archive.js';
import { simulatedSetup, VAULT_PASSPHRASE } from '../../support/checks.js';
import { entry, har, harSchemaErrors } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';
import { makeSelfSigned } from '../../support/tls.js';

const ARCHIVE_PASSWORD = 'tac-case-Ruby-Falcon-2931';
const HOST = 'localhost';

let setup: Awaited<ReturnType<typeof simulatedSetup>>;
let run: Run;
let harId: string;
let secrets: string[];

beforeAll(async () => {
  setup = await simulatedSetup({ profile: { host: HOST, name: 'Frankfurt ESA' } });
  run = await setup.core.checks.run({ profileId: setup.profile.id });
  const harFile = plantedArchiveHar(path.join(tempDir(), 'capture.har'), { host: HOST, storedPassword: setup.sim.password, padBytes: 2_500_000 });
  harId = (await setup.core.har.importPath(harFile)).id;
  // A log line that (against every rule) carries the stored password and the host: the archive masks both again.
  fs.writeFileSync(path.join(setup.core.paths.logs, 'xet.log'), `${JSON.stringify({ level: 'warn', msg: `leaked ${setup.sim.password} at ${HOST}` })}\n`);
  secrets = [setup.sim.password, VAULT_PASSPHRASE, ARCHIVE_PASSWORD, ...Object.values(PLANTED)];
}, 60_000);

afterAll(async () => setup?.close());

async function create(request: Record<string, unknown>): Promise<ArchiveInfo> {
  const answer = await setup.core.dispatcher.dispatch('archive.create', { profileId: setup.profile.id, runIds: [run.id], harIds: [harId], ...request });
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value as ArchiveInfo;
}

function expectAppError(promise: Promise<unknown>, code: string, message: RegExp) {
  return expect(promise).rejects.toSatisfy((e: unknown) => e instanceof AppError && e.code === code && message.test(e.message));
}

describe('password archive (WinZip AES-256) opened by stock 7-Zip', () => {
  let info: ArchiveInfo;
  let file: string;
  let out: string;

  beforeAll(async () => {
    info = await create({ caseNumber: '698765432', notes: 'Module shows E4017 since Monday', encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
    file = setup.core.archive.file(info.id).path;
    out = tempDir();
  }, 60_000);

  it('7z tests it, lists every entry as AES-256, and extracts files that match the manifest', () => {
    expect(info.name).toBe('xet-support-case-698765432.zip');
    const t = sevenZip(['t', `-p${ARCHIVE_PASSWORD}`, file]);
    expect(t.status, t.out).toBe(0);
    expect(t.out).toContain('Everything is Ok');
    const listing = sevenZip(['l', '-slt', `-p${ARCHIVE_PASSWORD}`, file]).out;
    const methods = [...listing.matchAll(/^Method = (.*)$/gm)].map((m) => m[1]);
    expect(methods.length).toBe(info.files.length + 1);
    for (const m of methods) expect(m).toMatch(/^AES-256/);
    expect(sevenZip(['x', `-p${ARCHIVE_PASSWORD}`, `-o${out}`, file]).status).toBe(0);
    const manifest = checkAgainstManifest(out);
    expect(filesBelow(out).sort()).toEqual(['README.txt', 'har/capture-01.har', 'logs/xet.log', 'manifest.json', 'redaction-report.json', 'report.html', 'results/run-01.json']);
    expect(fs.readFileSync(path.join(out, 'logs/xet.log'), 'utf8')).toContain('leaked [REDACTED] at appliance-host.invalid');
    expect(manifest).toMatchObject({ format: 'xet-support-archive', caseNumber: '698765432', profile: { kind: 'esa', region: 'eu', host: null, hostnamesIncluded: false }, runs: [{ id: run.id }] });
    expect(manifest.hars[0]).toMatchObject({ path: 'har/capture-01.har', findingCodes: ['DEVICE_OFFLINE_IN_SSE'] });
    expect(manifest.hars[0]!.redactions).toBeGreaterThan(4);
  });

  it('leaves the archive password nowhere: not in the logs, the database or its WAL, the temp area', () => {
    const logged = setup.core.logger.lines.join('\n');
    expect(logged).toContain('support archive built');
    for (const form of [ARCHIVE_PASSWORD, Buffer.from(ARCHIVE_PASSWORD).toString('base64'), encodeURIComponent(ARCHIVE_PASSWORD)]) {
      expect(logged).not.toContain(form);
      for (const rel of filesBelow(setup.core.paths.root)) {
        if (rel.startsWith('tmp/har/')) continue; // the raw captures the user imported
        expect(fs.readFileSync(path.join(setup.core.paths.root, rel)).includes(Buffer.from(form)), rel).toBe(false);
      }
    }
  });

  it('holds no planted secret, in any form, and no host name, in any file', () => {
    expect(leaksBelow(out, secrets, [HOST])).toEqual([]);
    // Entry names leak nothing either (they are fixed, not taken from user input).
    expect(sevenZip(['l', `-p${ARCHIVE_PASSWORD}`, file]).out.toLowerCase()).not.toContain(HOST);
  });

  it('holds a sanitised HAR that is still HAR 1.2, and a script-free report with the findings first', () => {
    const capture = JSON.parse(fs.readFileSync(path.join(out, 'har/capture-01.har'), 'utf8'));
    expect(harSchemaErrors(capture)).toEqual([]);
    const report = fs.readFileSync(path.join(out, 'report.html'), 'utf8');
    expect(report).not.toMatch(/<script/i);
    expect(report).toContain("default-src 'none'");
    expect(report.indexOf('DEVICE_OFFLINE_IN_SSE')).toBeLessThan(report.indexOf('<h2>Checks</h2>'));
    expect(report).toContain('<svg');
    expect(report).toContain('Module shows E4017 since Monday');
  });

  it('verifies with xet archive verify: every hash checked; a wrong password, a flipped byte and a cut file are clear errors', async () => {
    const result = await verifyArchive(file, { password: ARCHIVE_PASSWORD });
    expect(result.ok).toBe(true);
    expect(result.files.every((f) => f.status === 'ok')).toBe(true);
    expect(result.files.length).toBe(info.files.length);

    await expectAppError(verifyArchive(file, { password: 'not-the-password-123' }), 'BAD_PASSPHRASE', /password does not open/);

    // A flipped byte anywhere in the entries' data: the HMAC, the inflater (which can fail first on
    // the altered plaintext) or the manifest's hash notices it, and each says tampered or damaged.
    const tampered = path.join(tempDir(), 'tampered.zip');
    const original = fs.readFileSync(file);
    for (let k = 1; k <= 45; k++) {
      const bytes = Buffer.from(original);
      const at = Math.floor((bytes.length * k) / 50);
      bytes[at] = bytes[at]! ^ 0xff;
      fs.writeFileSync(tampered, bytes);
      const t = await verifyArchive(tampered, { password: ARCHIVE_PASSWORD }).catch((e: unknown) => e);
      if (t instanceof AppError) expect(t.message, `byte ${at}`).toMatch(/integrity|tampered|damaged|zip directory/);
      else expect((t as { ok: boolean; problems: string[] }).problems.join('\n'), `byte ${at}`).toMatch(/tampered or damaged/);
    }

    const cut = path.join(tempDir(), 'cut.zip');
    fs.writeFileSync(cut, original.subarray(0, Math.floor(original.length / 2)));
    await expectAppError(verifyArchive(cut, { password: ARCHIVE_PASSWORD }), 'INVALID_REQUEST', /truncated/);
  }, 60_000);
});

describe('certificate archive (CMS EnvelopedData) opened by stock OpenSSL', () => {
  it('splits into parts that join and decrypt with openssl cms, unzip -t accepts the result, and verify reads the parts', async () => {
    const dir = tempDir();
    const tac = makeSelfSigned('TAC Recipient');
    const other = makeSelfSigned('Someone Else');
    fs.writeFileSync(path.join(dir, 'cert.pem'), tac.cert);
    fs.writeFileSync(path.join(dir, 'key.pem'), tac.key);
    const info = await create({ includeHostnames: true, splitBytes: 1024 * 1024, encryption: { mode: 'certificate', certificates: [{ name: 'tac.pem', pem: tac.cert }, { name: 'other.pem', pem: other.cert }] } });
    expect(info.parts.length).toBeGreaterThanOrEqual(2);
    expect(info.parts.map((p) => p.name)).toEqual(info.parts.map((_, i) => `${info.name}.${String(i + 1).padStart(3, '0')}`));
    const parts = info.parts.map((_, i) => setup.core.archive.file(info.id, i).path);
    const joined = path.join(dir, 'joined.p7m');
    fs.writeFileSync(joined, Buffer.concat(parts.map((p) => fs.readFileSync(p))));
    execFileSync('openssl', ['cms', '-decrypt', '-inform', 'DER', '-in', joined, '-recip', path.join(dir, 'cert.pem'), '-inkey', path.join(dir, 'key.pem'), '-out', path.join(dir, 'inner.zip')]);
    const unzipTest = spawnSync('unzip', ['-t', path.join(dir, 'inner.zip')], { encoding: 'utf8' });
    expect(unzipTest.status, unzipTest.stdout).toBe(0);
    const out = path.join(dir, 'x');
    expect(spawnSync('unzip', ['-q', path.join(dir, 'inner.zip'), '-d', out]).status).toBe(0);
    const manifest = checkAgainstManifest(out);
    expect(manifest.profile).toMatchObject({ host: HOST, label: 'Frankfurt ESA', hostnamesIncluded: true });
    expect(manifest.encryption.recipients.map((r) => r.subject)).toEqual([expect.stringContaining('TAC Recipient'), expect.stringContaining('Someone Else')]);
    expect(leaksBelow(out, secrets)).toEqual([]);
    // Host names were chosen in: the same check that finds none above finds them here.
    expect(leaksBelow(out, [], [HOST]).length).toBeGreaterThan(0);

    const verified = await verifyArchive(parts[0]!, { certPem: tac.cert, certLabel: 'cert.pem', keyPem: tac.key });
    expect(verified).toMatchObject({ ok: true, mode: 'certificate', parts: info.parts.length });

    const stranger = makeSelfSigned('Stranger');
    await expectAppError(verifyArchive(parts[0]!, { certPem: stranger.cert, certLabel: 'stranger.pem', keyPem: stranger.key }), 'FORBIDDEN', /not encrypted to stranger\.pem/);
    await expectAppError(verifyArchive(parts[0]!, { certPem: tac.cert, certLabel: 'cert.pem', keyPem: other.key }), 'INVALID_REQUEST', /does not belong to cert\.pem/);
    await expectAppError(verifyArchive(parts[1]!, { certPem: tac.cert, certLabel: 'cert.pem', keyPem: tac.key }), 'INVALID_REQUEST', /first part/);
  }, 60_000);
});

describe('cleaning chosen on the HAR page goes into the archive', () => {
  it('keywords and the stored secrets of other profiles ticked for a file are scrubbed from its archived copy', async () => {
    const OTHER_SECRET = 'Other-Profile-Secret-5521';
    const KEYWORD = 'mail-gw-07.corp.example';
    const created = await setup.core.dispatcher.dispatch('profiles.create', { profile: { name: 'other-esa', kind: 'esa', host: 'esa7.example.com', region: 'eu', username: 'api' }, password: OTHER_SECRET });
    const otherId = (created as { value: { id: string } }).value.id;
    const file = path.join(tempDir(), 'other.har');
    fs.writeFileSync(file, JSON.stringify(har([entry({ request: { url: `https://${KEYWORD}/x`, postData: { mimeType: 'text/plain', text: `note ${OTHER_SECRET}` } } })])));
    const id = (await setup.core.har.importPath(file)).id;
    expect(await setup.core.dispatcher.dispatch('har.review', { id, keywords: [KEYWORD], profileIds: [otherId] })).toMatchObject({ ok: true });
    const info = await create({ runIds: [], harIds: [id], encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
    const out = tempDir();
    expect(sevenZip(['x', `-p${ARCHIVE_PASSWORD}`, `-o${out}`, setup.core.archive.file(info.id).path]).status).toBe(0);
    expect(leaksBelow(out, [OTHER_SECRET], [KEYWORD])).toEqual([]);
    expect(fs.readFileSync(path.join(out, 'har/capture-01.har'), 'utf8')).toContain('[REDACTED:');
  }, 60_000);
});

describe('size', () => {
  it('flags an archive over the 20 MB e-mail limit and suggests the upload or splitting', async () => {
    const file = plantedArchiveHar(path.join(tempDir(), 'big.har'), { host: HOST, storedPassword: setup.sim.password, padBytes: 21 * 1024 * 1024 });
    const id = (await setup.core.har.importPath(file)).id;
    const info = await create({ runIds: [], harIds: [id], encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
    expect(info.bytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(info.warnings).toEqual([{ code: 'over-email-limit', message: expect.stringMatching(/^The archive is 2\d\.\d MB, over the 20 MB e-mail limit: upload it to the TAC case or to CXD instead, or split it into smaller parts\.$/) }]);
    const small = await create({ runIds: [run.id], harIds: [], encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
    expect(small.warnings).toEqual([]);
  }, 90_000);
});

describe('refusals name the field and leave nothing behind', () => {
  it('a weak password, a run of another profile, a bad certificate, a cancelled build', async () => {
    const dispatch = (req: Record<string, unknown>) => setup.core.dispatcher.dispatch('archive.create', { profileId: setup.profile.id, runIds: [run.id], ...req });
    expect(await dispatch({ encryption: { mode: 'password', password: 'Password123!' } })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'encryption.password', message: expect.stringMatching(/too weak.*dictionary words/) } });
    // The core applies the same estimator as the UI: leetspeak on a product name, and the profile's own name.
    for (const password of ['Ir0nP0rt!2024', `${setup.profile.name}-${setup.profile.name}!1`]) {
      expect(await dispatch({ encryption: { mode: 'password', password } }), password).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST', field: 'encryption.password', key: 'errors.archive.passwordWeak', params: { min: 40 } },
      });
    }
    expect(await dispatch({ caseNumber: '12', encryption: { mode: 'password', password: ARCHIVE_PASSWORD } })).toMatchObject({ ok: false, error: { field: 'caseNumber' } });
    expect(await dispatch({ encryption: { mode: 'certificate', certificates: [{ name: 'key.pem', pem: makeSelfSigned().key }] } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', field: 'encryption.certificates.0', message: expect.stringMatching(/^key\.pem: holds no certificate/) },
    });
    const created = await setup.core.dispatcher.dispatch('profiles.create', { profile: { name: 'other', kind: 'esa', host: 'esa9.example.com', region: 'eu', username: 'admin' } });
    const otherProfile = (created as { value: { id: string } }).value;
    expect(await setup.core.dispatcher.dispatch('archive.create', { profileId: otherProfile.id, runIds: [run.id], encryption: { mode: 'password', password: ARCHIVE_PASSWORD } })).toMatchObject({
      ok: false,
      error: { field: 'runIds.0', message: expect.stringMatching(/another profile/) },
    });

    const before = fs.readdirSync(path.join(setup.core.paths.tmp, 'archives'));
    const unsubscribe = setup.core.bus.subscribe((name, payload) => {
      if (name === 'archive.progress' && (payload as { stage: string }).stage === 'sanitise') setup.core.archive.cancel('cancel-me-1234');
    });
    const cancelled = await dispatch({ taskId: 'cancel-me-1234', harIds: [harId], encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
    unsubscribe();
    expect(cancelled).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/cancelled/) } });
    expect(fs.readdirSync(path.join(setup.core.paths.tmp, 'archives'))).toEqual(before);
  }, 60_000);
});
