import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listArchive, verifyArchive, type ArchiveCredentials, type VerifyResult } from '../../../electron/core/archive/archive-reader.js';
import { AppError } from '../../../electron/core/errors.js';
import { ARCHIVE_PASSWORD, archiveRecipient, craftArchive, renameInPlace } from '../../fixtures/hostile/archives.js';
import { STACK_LINE, xetChild } from '../../fixtures/hostile/cli-child.js';
import { filesBelow } from '../../support/archive.js';
import { recipientCert } from '../../support/recipient-certs.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';

let tried = 0;
let base: string;
let goodZip: string;
let goodP7m: string;
let password: ArchiveCredentials;
let certCreds: ArchiveCredentials;

beforeAll(async () => {
  base = tempDir('xet-hostile-archive-');
  password = { password: ARCHIVE_PASSWORD };
  certCreds = { certPem: archiveRecipient().cert, certLabel: 'r.pem', keyPem: archiveRecipient().key };
  const entries = [
    { name: 'README.txt', data: 'Support archive for TAC.\n'.repeat(200) },
    { name: 'runs/run-1.json', data: JSON.stringify({ id: 'r1', checks: Array.from({ length: 200 }, (_, i) => ({ i, ok: i % 3 !== 0 })) }) },
  ];
  goodZip = (await craftArchive(path.join(base, 'good.zip'), 'password', entries)).file;
  goodP7m = (await craftArchive(path.join(base, 'good.p7m'), 'certificate', entries)).file;
});

afterAll(() => {
  if (tried > 0) {
    recordReliability('hostile-archives', {
      area: 'Hostile files',
      measure: 'damaged, tampered or malicious support archives given to verify and list',
      value: tried,
      outcome: '0 crashes, every one a clear refusal or a NOT OK with its reason; 0 files written, 0 entries inflated past their declared size',
    });
  }
});

type Outcome = { result: VerifyResult; error?: undefined } | { result?: undefined; error: AppError };

/**
 * Verifies (and lists) in a folder of its own. Either answer is fine, an untyped throw is not; a
 * refusal names the file; nothing appears beside the archive, above it, or in the system temp.
 */
async function check(file: string, creds: ArchiveCredentials): Promise<Outcome> {
  const root = tempDir('xet-hostile-verify-');
  const dir = path.join(root, 'a', 'b');
  fs.mkdirSync(dir, { recursive: true });
  const copy = path.join(dir, path.basename(file));
  fs.copyFileSync(file, copy);
  let outcome: Outcome;
  try {
    outcome = { result: await verifyArchive(copy, creds) };
  } catch (error) {
    outcome = { error: error as AppError };
  }
  const listed = await listArchive(copy, creds).then(
    () => null,
    (error: unknown) => error,
  );
  tried++;
  for (const error of [outcome.error, listed]) {
    if (!error) continue;
    expect(error, String(error)).toBeInstanceOf(AppError);
    expect((error as Error).message.startsWith(`${path.basename(file)}: `), (error as Error).message).toBe(true);
    expect((error as Error).message).not.toMatch(/undefined|\[object |Cannot read properties/);
  }
  expect(filesBelow(root)).toEqual([`a/b/${path.basename(file)}`]);
  for (const canary of ['x', 'etc', 'a/x', 'a/b/x']) expect(fs.existsSync(path.join(root, canary)), canary).toBe(false);
  return outcome;
}

describe('hostile archives: damaged and tampered', () => {
  it('the untouched archives verify (so every failure below is the damage)', async () => {
    expect((await check(goodZip, password)).result?.ok).toBe(true);
    expect((await check(goodP7m, certCreds)).result?.ok).toBe(true);
  });

  for (const [kind, get] of [['zip', () => [goodZip, password] as const], ['p7m', () => [goodP7m, certCreds] as const]] as const) {
    it(`${kind}: cut at 40 places and in each of its last 48 bytes: refused or NOT OK, never read as whole`, { timeout: 60_000 }, async () => {
      const [file, creds] = get();
      const bytes = fs.readFileSync(file);
      const cuts = new Set<number>();
      for (let i = 0; i < 40; i++) cuts.add(Math.floor((bytes.length * i) / 40));
      for (let k = 1; k <= 48; k++) cuts.add(bytes.length - k);
      const dir = tempDir();
      for (const at of cuts) {
        const cut = path.join(dir, `cut-${at}.${kind}`);
        fs.writeFileSync(cut, bytes.subarray(0, at));
        const o = await check(cut, creds);
        expect(o.result?.ok ?? false, `cut at ${at}`).toBe(false);
      }
    });

    it(`${kind}: 1–3 bytes overwritten at 120 places (seed 5150): refused or NOT OK`, { timeout: 60_000 }, async () => {
      const [file, creds] = get();
      const bytes = fs.readFileSync(file);
      const dir = tempDir();
      let notOk = 0;
      const flips = fc.sample(fc.array(fc.tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }), { seed: 5150, numRuns: 120 });
      for (const [i, list] of flips.entries()) {
        const copy = Buffer.from(bytes);
        for (const [at, x] of list) copy[at] = copy[at]! ^ x;
        const f = path.join(dir, `flip-${i}.${kind}`);
        fs.writeFileSync(f, copy);
        const o = await check(f, creds);
        if (!o.result?.ok) notOk++;
      }
      // Some bytes (a timestamp, a version field the reader ignores) change nothing that is checked.
      expect(notOk).toBeGreaterThan(90);
    });
  }

  it('p7m: flips in the CMS header and in the wrapped content key are refused with the file named', { timeout: 60_000 }, async () => {
    const bytes = fs.readFileSync(goodP7m);
    const key = bytes.indexOf(Buffer.from([0x04, 0x82, 0x01, 0x00])) + 4;
    expect(key).toBeGreaterThan(100);
    const dir = tempDir();
    const spots = [...Array.from({ length: 60 }, (_, i) => i * 7), ...Array.from({ length: 30 }, (_, i) => key + i * 8)];
    for (const at of spots) {
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ 0x5a;
      const f = path.join(dir, `hdr-${at}.p7m`);
      fs.writeFileSync(f, copy);
      const o = await check(f, certCreds);
      expect(o.result?.ok ?? false, `flip at ${at}`).toBe(false);
    }
  });

  it('wrong password, wrong key, a key that is not the certificate\'s', async () => {
    const wrong = await check(goodZip, { password: 'not-the-password-at-all' });
    expect(wrong.error).toMatchObject({ code: 'BAD_PASSPHRASE', message: 'good.zip: the password does not open this archive.' });
    const stranger = recipientCert({ cn: 'Stranger' });
    expect((await check(goodP7m, { certPem: stranger.cert, certLabel: 's.pem', keyPem: stranger.key })).error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/^good\.p7m: This archive is not encrypted to s\.pem/) });
    expect((await check(goodP7m, { certPem: archiveRecipient().cert, certLabel: 'r.pem', keyPem: stranger.key })).error).toMatchObject({ message: expect.stringMatching(/^good\.p7m: The private key does not belong to r\.pem/) });
    expect((await check(goodZip, certCreds)).error?.message).toBe('good.zip: is a password archive; give --password-stdin.');
  });

  it('not archives at all: empty, a few bytes, text, a folder, a FIFO, /dev/zero', async () => {
    const dir = tempDir();
    for (const [name, data] of [['empty.zip', ''], ['pk.zip', 'PK'], ['text.zip', 'hello'], ['seq.p7m', '0\x80']] as const) {
      fs.writeFileSync(path.join(dir, name), data);
      expect((await check(path.join(dir, name), password)).error?.message, name).toMatch(new RegExp(`^${name.replace('.', '\\.')}: `));
    }
    fs.mkdirSync(path.join(dir, 'folder.zip'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.zip')]);
    for (const [file, problem] of [[path.join(dir, 'folder.zip'), 'this is a folder, not a file'], [path.join(dir, 'pipe.zip'), 'this is not a regular file (a device, pipe or socket); save it to a file first'], ['/dev/zero', 'this is not a regular file (a device, pipe or socket); save it to a file first']] as const) {
      const error = await verifyArchive(file, password).catch((e: unknown) => e);
      tried++;
      expect(error).toBeInstanceOf(AppError);
      expect((error as Error).message).toBe(`${path.basename(file)}: cannot be read (${problem}).`);
    }
  });
});

describe('hostile archives: entries that lie or would escape the folder', () => {
  const HOSTILE_NAMES: [string, Buffer, RegExp][] = [
    ['../../x', Buffer.from('../../x'), /^\.\.\/\.\.\/x climbs out of its folder \(\.\.\): extracting it could write outside the target folder$/],
    ['/etc/x', Buffer.from('/etc/x'), /^\/etc\/x is an absolute path/],
    ['C:\\x', Buffer.from('C:\\x'), /^C:\\x holds a backslash/],
    ['C:x.txt', Buffer.from('C:x.txt'), /^C:x\.txt starts with a drive letter/],
    ['..\\..\\x', Buffer.from('..\\..\\x'), /^\.\.\\\.\.\\x holds a backslash/],
    ['a/../../x', Buffer.from('a/../../x'), /^a\/\.\.\/\.\.\/x climbs out/],
    ['nul\\0.txt', Buffer.from('nul\0.txt'), /^"nul\\u0000\.txt" holds a control character/],
    ['esc\\x1b[2J', Buffer.from('esc\x1b[2J'), /^"esc\\u001b\[2J" holds a control character/],
  ];

  for (const [label, name, problem] of HOSTILE_NAMES) {
    it(`an entry named ${label} (listed in the manifest with its true hash): NOT OK, and nothing extracted`, async () => {
      const dir = tempDir();
      const placeholder = 'q'.repeat(name.length);
      const file = path.join(dir, 'names.zip');
      await craftArchive(file, 'password', [{ name: 'README.txt', data: 'hello\n' }, { name: placeholder, data: 'payload' }], (w) => w.map((e) => (e.path === placeholder ? { ...e, path: name.toString('utf8') } : e)));
      renameInPlace(file, placeholder, name);
      const o = await check(file, password);
      expect(o.result, o.error?.message).toBeDefined();
      expect(o.result!.ok).toBe(false);
      expect(o.result!.problems.some((p) => problem.test(p)), o.result!.problems.join(' | ')).toBe(true);
      // eslint-disable-next-line no-control-regex
      expect(o.result!.problems.join('\n')).not.toMatch(/[\u0000\u001b]/);
    });
  }

  it('an entry name the manifest lists as ../../x in a certificate archive (zip.js writes it as given)', async () => {
    const file = path.join(tempDir(), 'names.p7m');
    await craftArchive(file, 'certificate', [{ name: '../../x', data: 'payload' }, { name: '/etc/x', data: 'payload' }]);
    const o = await check(file, certCreds);
    expect(o.result?.ok).toBe(false);
    expect(o.result!.problems.filter((p) => /could write outside the target folder$/.test(p))).toHaveLength(2);
  });

  it('two entries with one name: NOT OK (an extractor keeps only one of them)', async () => {
    const file = path.join(tempDir(), 'dup.zip');
    await craftArchive(file, 'password', [{ name: 'report.html', data: '<p>a</p>' }, { name: 'report.htmX', data: '<p>b</p>' }], (w) => w.filter((e) => e.path === 'report.html'));
    renameInPlace(file, 'report.htmX', Buffer.from('report.html'));
    const o = await check(file, password);
    expect(o.result?.ok).toBe(false);
    expect(o.result!.problems).toContain('report.html is in the archive 2 times; an extracting tool keeps only one of them');
  });

  it('a manifest that lies: a wrong hash, a wrong size, a file that is not there, one that is not listed', async () => {
    const file = path.join(tempDir(), 'lies.zip');
    await craftArchive(file, 'password', [{ name: 'a.txt', data: 'aaa' }, { name: 'b.txt', data: 'bbb' }, { name: 'c.txt', data: 'ccc' }], (w) => [
      { ...w[0]!, sha256: '0'.repeat(64) },
      { ...w[1]!, bytes: 2 },
      { path: 'ghost.txt', bytes: 1, sha256: 'f'.repeat(64) },
    ]);
    const o = await check(file, password);
    expect(o.result?.ok).toBe(false);
    expect(o.result!.problems).toEqual([
      'a.txt: SHA-256 or size differs from the manifest (tampered or damaged)',
      'b.txt: inflates to more than the 2 bytes the manifest lists (tampered, or a zip bomb); not read further',
      'ghost.txt is listed in the manifest but missing',
      'c.txt is in the archive but not in its manifest',
    ]);
    expect(o.result!.files.map((f) => f.status)).toEqual(['mismatch', 'mismatch', 'missing']);
  });

  it('a zip bomb: 256 MiB of zeros in a few hundred KB, listed as 1 KB, stops after 1 KB instead of inflating it', { timeout: 60_000 }, async () => {
    const file = path.join(tempDir(), 'bomb.zip');
    await craftArchive(file, 'password', [{ name: 'bomb.bin', data: { zeros: 256 * 2 ** 20 } }], (w) => w.map((e) => ({ ...e, bytes: 1024 })));
    expect(fs.statSync(file).size).toBeLessThan(2 * 2 ** 20);
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const o = await check(file, password);
    const elapsed = performance.now() - started;
    expect(o.result?.problems).toEqual(['bomb.bin: inflates to more than the 1024 bytes the manifest lists (tampered, or a zip bomb); not read further']);
    expect(o.result?.files[0]?.actualBytes).toBeNull();
    // Inflating 256 MiB takes seconds; stopping at the first 128 KiB chunk takes milliseconds.
    expect(elapsed).toBeLessThan(3000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 2 ** 20);
  });
});

describe('hostile archives through the real CLI (child process, built dist/)', () => {
  it('exit 2 for what cannot be opened, 1 with the reason for what does not match; names escaped, no stack trace', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const env = { XET_DATA_DIR: path.join(dir, 'data') };
    const cut = path.join(dir, 'cut.zip');
    fs.writeFileSync(cut, fs.readFileSync(goodZip).subarray(0, 500));
    const evil = path.join(dir, 'evil.zip');
    await craftArchive(evil, 'password', [{ name: 'qqqqqqqqq', data: 'x' }], (w) => w.map((e) => ({ ...e, path: '../\u001b[2J..' })));
    renameInPlace(evil, 'qqqqqqqqq', Buffer.from('../\u001b[2J..'));
    const runs: [string[], string, number, RegExp][] = [
      [['archive', 'verify', cut, '--password-stdin'], ARCHIVE_PASSWORD, 2, /^xet: cut\.zip: the zip directory at its end is missing \(truncated, or not a zip\)\.\n$/],
      [['archive', 'verify', goodZip, '--password-stdin'], 'wrong password', 2, /^xet: good\.zip: the password does not open this archive\.\n$/],
      [['archive', 'verify', dir, '--password-stdin'], ARCHIVE_PASSWORD, 2, /^xet: xet-test-\w+: cannot be read \(this is a folder, not a file\)\.\n$/],
      [['archive', 'verify', evil, '--password-stdin'], ARCHIVE_PASSWORD, 1, /^$/],
    ];
    for (const [args, stdin, code, stderr] of runs) {
      const r = await xetChild(args, env, stdin);
      tried++;
      expect(r.timedOut).toBe(false);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(code);
      expect(r.stderr).toMatch(stderr);
      expect(r.stderr + r.stdout).not.toMatch(STACK_LINE);
      // eslint-disable-next-line no-control-regex
      expect(r.stdout + r.stderr).not.toMatch(/\u001b/);
      // Without the UTF-8 flag the name is read as CP437 (ESC shows as an arrow), as 7-Zip reads it.
      if (code === 1) expect(r.stdout, r.stdout).toMatch(/\nNOT OK: \.\.\/.\[2J\.\. climbs out of its folder \(\.\.\): extracting it could write outside the target folder; "\.\.\/\\u001b\[2J\.\." holds a control character/);
    }
    // Nothing extracted beside them; `data` is xet's own data folder (XET_DATA_DIR above), which
    // every command opens since all of them go through the core's dispatcher.
    expect(fs.readdirSync(dir).filter((f) => f !== 'data').sort()).toEqual(['cut.zip', 'evil.zip']);
  });
});
