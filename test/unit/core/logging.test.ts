import fs from 'node:fs';
import path from 'node:path';
import { FileLogger } from '../../../electron/core/logging/logger.js';
import { encodedForms, Redactor } from '../../../electron/core/logging/redactor.js';
import { tempDir } from '../../support/temp.js';

const SECRET = 'Pl@nted-S3cret/+=?&"x';

describe('redactor', () => {
  it('masks a registered secret in raw, base64, base64url, URL- and JSON-escaped form', () => {
    const r = new Redactor();
    r.addSecret(SECRET);
    for (const form of encodedForms(SECRET)) {
      expect(r.redact(`before ${form} after`)).toBe('before [REDACTED] after');
    }
    expect(r.redact(JSON.stringify({ nested: { deep: [SECRET] } }))).not.toContain(SECRET);
  });

  it('masks bearer/basic credentials and JWTs nobody registered', () => {
    const r = new Redactor();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXZhbHVl';
    const out = r.redact(`Authorization: Bearer abcdefghijklmnop jwtToken=${jwt} Basic YWRtaW46cGFzc3dvcmQ=`);
    expect(out).not.toContain('abcdefghijklmnop');
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('YWRtaW46cGFzc3dvcmQ=');
  });

  it('masks a held secret until its release, counting holders; one also added for good stays masked', () => {
    const r = new Redactor();
    const releaseA = r.hold(SECRET);
    const releaseB = r.hold(SECRET);
    expect(r.redact(`x ${SECRET} y`)).toBe('x [REDACTED] y');
    releaseA();
    releaseA();
    expect(r.redact(`x ${SECRET} y`)).toBe('x [REDACTED] y');
    releaseB();
    expect(r.size).toBe(0);
    expect(r.redact(`x ${SECRET} y`)).toBe(`x ${SECRET} y`);
    const release = r.hold('kept-for-good-1234');
    r.addSecret('kept-for-good-1234');
    release();
    expect(r.redact('a kept-for-good-1234 b')).toBe('a [REDACTED] b');
  });

  it('ignores secrets too short to mask safely', () => {
    const r = new Redactor();
    r.addSecret('ab');
    expect(r.size).toBe(0);
    expect(r.redact('ab cd')).toBe('ab cd');
  });
});

describe('FileLogger', () => {
  it('writes JSON lines with the secret masked wherever it hides in the fields', () => {
    const dir = tempDir();
    const log = new FileLogger({ dir, clock: () => new Date('2026-01-02T03:04:05Z') });
    log.redactor.addSecret(SECRET);
    log.info('login', { user: 'admin', header: `Basic ${Buffer.from(`admin:${SECRET}`).toString('base64')}`, body: { password: SECRET } });
    const text = fs.readFileSync(path.join(dir, 'xet.log'), 'utf8');
    const line = JSON.parse(text.trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ ts: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'login', user: 'admin' });
    for (const form of encodedForms(SECRET)) expect(text).not.toContain(form);
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = tempDir();
    const log = new FileLogger({ dir, maxBytes: 2000, maxFiles: 3 });
    for (let i = 0; i < 200; i++) log.info('line', { i, pad: 'x'.repeat(50) });
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['xet.1.log', 'xet.2.log', 'xet.log']);
    for (const f of files) expect(fs.statSync(path.join(dir, f)).size).toBeLessThanOrEqual(2000);
    const newest = fs.readFileSync(path.join(dir, 'xet.log'), 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(newest)).toMatchObject({ i: 199 });
    expect(log.files()).toHaveLength(3);
  });

  it('respects the level threshold and creates files private to the user', () => {
    const dir = tempDir();
    const log = new FileLogger({ dir, level: 'warn' });
    log.info('hidden');
    log.warn('shown');
    const text = fs.readFileSync(path.join(dir, 'xet.log'), 'utf8');
    expect(text).not.toContain('hidden');
    expect(text).toContain('shown');
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, 'xet.log')).mode & 0o777).toBe(0o600);
  });
});

describe('FileLogger robustness', () => {
  it('recreates a log folder that was removed while running, and never throws', () => {
    const dir = path.join(tempDir(), 'logs');
    const log = new FileLogger({ dir });
    log.info('one');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(() => log.info('two')).not.toThrow();
    expect(fs.readFileSync(path.join(dir, 'xet.log'), 'utf8')).toContain('"two"');
  });

  it('keeps going when the log cannot be written at all', () => {
    const dir = tempDir();
    const log = new FileLogger({ dir });
    fs.mkdirSync(path.join(dir, 'xet.log.blocker'));
    fs.rmSync(path.join(dir, 'xet.log'), { force: true });
    fs.renameSync(path.join(dir, 'xet.log.blocker'), path.join(dir, 'xet.log'));
    expect(() => log.error('cannot land')).not.toThrow();
  });
});
