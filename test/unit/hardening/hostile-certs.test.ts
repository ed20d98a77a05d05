import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileInput } from '../../../electron/contract/profiles.js';
import { loadRecipients } from '../../../electron/core/archive/recipient-cert.js';
import { AppError } from '../../../electron/core/errors.js';
import { flippedCerts, handmadeCerts, otherKeyCerts, truncatedCerts, type HostileCert } from '../../fixtures/hostile/certs.js';
import { STACK_LINE, xetChild } from '../../fixtures/hostile/cli-child.js';
import { sampleProfile, testCore } from '../../support/core.js';
import { entry, har } from '../../support/har.js';
import { pemToDer, recipientCert } from '../../support/recipient-certs.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';

let tried = 0;
let others: HostileCert[] = [];

beforeAll(() => {
  others = otherKeyCerts(tempDir());
});

afterAll(() => {
  if (tried > 0) {
    recordReliability('hostile-certificates', {
      area: 'Hostile files',
      measure: 'broken, unfit or malicious recipient certificate files',
      value: tried,
      outcome: '0 crashes, every unfit one refused with the file named; 0 files written',
    });
  }
});

function refusal(c: { name: string; data: Buffer }): AppError {
  let error: unknown = null;
  try {
    loadRecipients([{ label: c.name, data: c.data }]);
  } catch (e) {
    error = e;
  }
  tried++;
  expect(error, c.name).toBeInstanceOf(AppError);
  const e = error as AppError;
  expect(e.code).toBe('INVALID_REQUEST');
  expect(e.message.startsWith(`${c.name}: `) || e.message.startsWith(`${c.name} (certificate `), e.message).toBe(true);
  expect(e.message.length).toBeLessThan(300);
  return e;
}

describe('hostile recipient certificates: refused, naming the file', () => {
  it('other key types, small RSA and a key where the certificate belongs', () => {
    expect(others).toHaveLength(6);
    for (const c of others) expect(refusal(c).message.slice(c.name.length + 2), c.name).toMatch(c.message);
  });

  for (const c of handmadeCerts()) {
    it(c.name, () => {
      expect(refusal(c).message.slice(c.name.length + 2)).toMatch(c.message);
    });
  }

  it('a good certificate cut every 23 bytes (DER) and 46 characters (PEM): each refused', () => {
    const cases = truncatedCerts(23);
    expect(cases.length).toBeGreaterThan(40);
    for (const c of cases) expect(refusal(c).message.slice(c.name.length + 2), c.name).toMatch(c.message);
  });

  it('200 copies with 1–3 bytes overwritten (seed 1128): read or refused with the file named, never another error', () => {
    let refused = 0;
    for (const { der, name } of flippedCerts(1128, 200)) {
      try {
        loadRecipients([{ label: name, data: der }]);
      } catch (error) {
        expect(error, name).toBeInstanceOf(AppError);
        expect((error as Error).message.startsWith(`${name}: `), (error as Error).message).toBe(true);
        refused++;
      }
      tried++;
    }
    // A flip in the signature or a name's text leaves a readable certificate; many others do not
    // (the key is new each run, so the share varies a little; the count of files tried does not).
    expect(refused).toBeGreaterThan(40);
    expect(refused).toBeLessThan(200);
  });

  it('a bundle: the bad certificate is named by its place; a certificate with its key beside it is read', () => {
    const good = recipientCert().cert;
    const expired = recipientCert({ notBefore: new Date(Date.now() - 9e9), notAfter: new Date(Date.now() - 9e8) }).cert;
    expect(refusal({ name: 'bundle.pem', data: Buffer.from(good + expired) }).message).toMatch(/^bundle\.pem \(certificate 2\): expired on/);
    const withKey = recipientCert();
    expect(loadRecipients([{ label: 'both.pem', data: Buffer.from(withKey.key + withKey.cert) }])).toHaveLength(1);
  });
});

describe('hostile recipient certificates through the archive service: refused at their entry, nothing written', () => {
  it('each refusal names encryption.certificates.N, and the target folder stays empty', async () => {
    const core = testCore();
    const profile = core.profiles.create(ProfileInput.parse(sampleProfile));
    const dir = tempDir();
    const harFile = path.join(dir, 'capture.har');
    fs.writeFileSync(harFile, JSON.stringify(har([entry()])));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const good = recipientCert().cert;
    for (const c of [...handmadeCerts(), ...others]) {
      const pem = c.data.toString('utf8');
      if (pem.length === 0) continue;
      const error = await core.archive
        .create(
          { profileId: profile.id, runIds: [], harIds: [], includeHostnames: false, encryption: { mode: 'certificate', certificates: [{ name: 'good.pem', pem: good }, { name: c.name, pem }] } },
          { target: path.join(out, 'a.p7m'), harFiles: [{ path: harFile, keywords: [], keepBodies: false }] },
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      tried++;
      expect(error, c.name).toBeInstanceOf(AppError);
      expect((error as AppError).field, c.name).toBe('encryption.certificates.1');
      expect((error as AppError).message.startsWith(`${c.name}`), c.name).toBe(true);
      expect(fs.readdirSync(out), c.name).toEqual([]);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(['capture.har', 'out']);
    expect(fs.existsSync(path.join(core.paths.tmp, 'archives')) ? fs.readdirSync(path.join(core.paths.tmp, 'archives')) : []).toEqual([]);
    core.close();
  });
});

describe('hostile recipient certificates through the real CLI (child process, built dist/)', () => {
  it('exit 2 with the file named, no stack trace, no archive; a DER certificate is read, not mangled', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const env = { XET_DATA_DIR: path.join(dir, 'data') };
    expect((await xetChild(['profile', 'add', '--name', 'lab', '--kind', 'esa', '--host', 'esa1.example.com', '--region', 'eu'], env)).code).toBe(0);
    const harFile = path.join(dir, 'capture.har');
    fs.writeFileSync(harFile, JSON.stringify(har([entry()])));
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const hand = handmadeCerts();
    const cases: [string, Buffer | string, RegExp][] = [
      ['expired.pem', hand.find((c) => c.name === 'expired.pem')!.data, /^xet: expired\.pem: expired on .*\n$/],
      ['ec-p256.pem', others[0]!.data, /^xet: ec-p256\.pem: holds an EC key, not RSA; archives can only be encrypted to RSA certificates\.\n$/],
      ['private-key.pem', hand.find((c) => c.name === 'private-key.pem')!.data, /^xet: private-key\.pem: holds no certificate \(PEM blocks: PRIVATE KEY\)/],
      ['empty.pem', Buffer.alloc(0), /^xet: empty\.pem: is empty \(0 bytes\)\.\n$|^xet: encryption\.certificates\.0\.pem: /],
      ['huge.pem', Buffer.alloc(5 * 1024 * 1024, 0x41), /^xet: --recipient-cert: cannot read ".*huge\.pem": the file is too large \(5242880 bytes; at most 200000 are read\)\n$/],
      ['/dev/zero', '', /^xet: --recipient-cert: cannot read "\/dev\/zero": this is not a regular file \(a device, pipe or socket\); save it to a file first\n$/],
    ];
    for (const [name, data, message] of cases) {
      const file = name.startsWith('/') ? name : path.join(dir, name);
      if (!name.startsWith('/')) fs.writeFileSync(file, data);
      const r = await xetChild(['archive', 'create', '--profile', 'lab', '--har', harFile, '--recipient-cert', file, '-o', path.join(out, 'a.p7m')], env);
      tried++;
      expect(r.timedOut, name).toBe(false);
      expect(r.code, `${name}: ${r.stderr}`).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(fs.readdirSync(out), name).toEqual([]);
    }
    // A DER file (binary) was decoded as UTF-8 and refused as unreadable; it makes an archive now.
    const der = path.join(dir, 'tac.der');
    fs.writeFileSync(der, pemToDer(recipientCert().cert));
    const r = await xetChild(['archive', 'create', '--profile', 'lab', '--har', harFile, '--recipient-cert', der, '-o', path.join(out, 'a.p7m')], env);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['a.p7m']);
  });
});
