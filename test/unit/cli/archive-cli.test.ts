import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSize } from '../../../electron/cli/commands/archive.js';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { leaksBelow, PLANTED, plantedArchiveHar, sevenZip, checkAgainstManifest } from '../../support/archive.js';
import { cliLabProfile, xet } from '../../support/cli.js';
import { makeSelfSigned } from '../../support/tls.js';

const VAULT = 'correct horse battery staple';
const ARCHIVE_PASSWORD = 'tac-upload-Quartz-Heron-8812';

let sim: Simulator;
let env: Record<string, string>;
let harFile: string;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ mode: 'healthy' });
  ({ dir, env } = await cliLabProfile(sim, VAULT));
  expect((await xet(['check', 'lab', '--endpoints', sim.endpointsFile], env)).code).toBe(0);
  harFile = plantedArchiveHar(path.join(dir, 'capture.har'), { host: '127.0.0.1', storedPassword: sim.password });
}, 60_000);

afterAll(async () => sim?.close());

describe('xet archive', () => {
  it('create --password-stdin writes an AES zip 7-Zip opens; verify and list read it; a wrong password exits 2', async () => {
    const out = path.join(dir, 'support.zip');
    const r = await xet(['archive', 'create', '--profile', 'lab', '--run', 'latest', '--har', harFile, '--case', '698765432', '--password-stdin', '-o', out], env, `${ARCHIVE_PASSWORD}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/AES-256 zip .* SHA-256 [a-f0-9]{64}/);
    expect(r.stdout).not.toContain(ARCHIVE_PASSWORD);
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    const x = path.join(dir, 'x');
    expect(sevenZip(['x', `-p${ARCHIVE_PASSWORD}`, `-o${x}`, out]).status).toBe(0);
    const manifest = checkAgainstManifest(x);
    expect(manifest.caseNumber).toBe('698765432');
    expect(leaksBelow(x, [sim.password, VAULT, ARCHIVE_PASSWORD, ...Object.values(PLANTED)])).toEqual([]);

    const v = await xet(['archive', 'verify', out, '--password-stdin'], env, `${ARCHIVE_PASSWORD}\n`);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/Every file matches its SHA-256/);
    const l = await xet(['archive', 'list', out, '--password-stdin', '--json'], env, ARCHIVE_PASSWORD);
    expect(JSON.parse(l.stdout).entries.map((e: { path: string }) => e.path)).toContain('har/capture-01.har');
    const wrong = await xet(['archive', 'verify', out, '--password-stdin'], env, 'not-it\n');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/support\.zip: the password does not open this archive/);
  }, 60_000);

  it('--generate-password shows the password once; --recipient-cert makes a .p7m that verify opens with the key', async () => {
    const out = path.join(dir, 'gen.zip');
    const r = await xet(['archive', 'create', '--profile', 'lab', '--run', 'latest', '--generate-password', '-o', out, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as { password: string; paths: string[] };
    expect(answer.password).toMatch(/^([a-z2-9]{5}-){5}[a-z2-9]{5}$/);
    expect(sevenZip(['t', `-p${answer.password}`, out]).status).toBe(0);

    const tac = makeSelfSigned('TAC Recipient');
    fs.writeFileSync(path.join(dir, 'tac.pem'), tac.cert);
    fs.writeFileSync(path.join(dir, 'tac.key'), tac.key);
    const p7m = path.join(dir, 'support.p7m');
    const c = await xet(['archive', 'create', '--profile', 'lab', '--har', harFile, '--recipient-cert', path.join(dir, 'tac.pem'), '-o', p7m], env);
    expect(c.code, c.stderr).toBe(0);
    const v = await xet(['archive', 'verify', p7m, '--key', path.join(dir, 'tac.key'), '--cert', path.join(dir, 'tac.pem')], env);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/CMS archive/);
  }, 60_000);

  it('exits 2 naming the flag for bad input, and writes nothing', async () => {
    const out = path.join(dir, 'bad.zip');
    const cases: [string[], string, RegExp][] = [
      [['--run', 'latest', '-o', out], ARCHIVE_PASSWORD, /choose exactly one of --password-stdin/],
      [['--run', 'latest', '--password-stdin', '-o', out], 'password123', /too weak/],
      [['--run', 'latest', '--password-stdin', '-o', out, '--split', '10k'], ARCHIVE_PASSWORD, /--split "10k": give a size of at least 1m/],
      [['--run', 'latest', '--password-stdin', '-o', out, '--case', 'SR-1'], ARCHIVE_PASSWORD, /--case "SR-1": a TAC case .* 9 digits/],
      [['--password-stdin', '-o', out], ARCHIVE_PASSWORD, /nothing to send/],
      [['--run', 'latest', '--har', path.join(dir, 'missing.har'), '--password-stdin', '-o', out], ARCHIVE_PASSWORD, /--har: cannot read .*missing\.har/],
      [['--run', 'latest', '--recipient-cert', harFile, '-o', out], '', /capture\.har: is neither a PEM nor a DER certificate/],
      [['--run', 'latest', '--password-stdin', '-o', path.join(dir, 'no-such-dir', 'x.zip')], ARCHIVE_PASSWORD, /folder .* does not exist/],
    ];
    for (const [args, stdin, message] of cases) {
      const r = await xet(['archive', 'create', '--profile', 'lab', ...args], env, stdin);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
  }, 60_000);

  it('parses sizes', () => {
    expect(parseSize('20m')).toBe(20 * 1024 ** 2);
    expect(parseSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('2048')).toBe(2048);
    expect(parseSize('12 MiB')).toBe(12 * 1024 ** 2);
    expect(parseSize('lots')).toBeNull();
  });
});
