import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedForms } from '../../../electron/core/logging/redactor.js';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { sha256File } from '../../support/archive.js';
import { cliLabProfile, xet } from '../../support/cli.js';
import { filesUnder } from '../../support/planted-secret.js';
import { cxdBeside } from '../../support/upload.js';

const VAULT = 'correct horse battery staple';
const ARCHIVE_PASSWORD = 'tac-upload-Quartz-Heron-8812';
const CASE = '698765432';

let sim: Simulator;
let env: Record<string, string>;
let dir: string;
let archive: string;

beforeAll(async () => {
  sim = await startSimulator({ mode: 'healthy', cxdMode: 'cxd-ok' });
  ({ dir, env } = await cliLabProfile(sim, VAULT));
  expect((await xet(['check', 'lab', '--endpoints', sim.endpointsFile], env)).code).toBe(0);
  archive = path.join(dir, 'support.zip');
  const created = await xet(['archive', 'create', '--profile', 'lab', '--run', 'latest', '--case', CASE, '--password-stdin', '-o', archive], env, `${ARCHIVE_PASSWORD}\n`);
  expect(created.code, created.stderr).toBe(0);
}, 60_000);

afterAll(async () => sim?.close());

describe('xet archive upload', () => {
  it('uploads through the endpoints file written by the simulator, lists it, and asks before sending the same file again', async () => {
    const token = sim.cxd!.token;
    const r = await xet(['archive', 'upload', archive, '--case', CASE, '--token-stdin', '--endpoints', sim.endpointsFile], env, `${token}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`support\\.zip · .* · SHA-256 ${sha256File(archive)} · HTTP 201 · 1 attempt`));
    expect(r.stdout).toContain('Send the archive password to TAC separately');
    expect(sim.cxd!.stored.get(`${CASE}/support.zip`)?.sha256).toBe(sha256File(archive));

    const list = await xet(['archive', 'uploads', '--json'], env);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ uploads: [{ caseNumber: CASE, fileName: 'support.zip', outcome: 'uploaded', httpStatus: 201, attempts: 1, sha256: sha256File(archive) }] });
    expect((await xet(['archive', 'uploads'], env)).stdout).toMatch(/case 698765432 {2}uploaded +HTTP 201/);

    const again = await xet(['archive', 'upload', archive, '--case', CASE, '--token-stdin', '--endpoints', sim.endpointsFile], env, `${token}\n`);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already uploaded to case 698765432 .*--force/);
    // On a terminal it asks; "n" sends nothing.
    const asked: string[] = [];
    const no = await xet(['archive', 'upload', archive, '--case', CASE, '--token-stdin', '--endpoints', sim.endpointsFile], env, `${token}\n`, { prompt: async (q) => (asked.push(q), 'n') });
    expect(asked[0]).toMatch(/Send it again\? \[y\/N\]/);
    expect(no.code).toBe(2);
    expect(sim.cxd!.requests).toHaveLength(1);
    // --force sends; CXD answers that a file cannot change (409): refused, exit 1.
    const forced = await xet(['archive', 'upload', archive, '--case', CASE, '--token-stdin', '--force', '--endpoints', sim.endpointsFile], env, `${token}\n`);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/HTTP 409/);
  });

  it('--remember keeps the token for the case in the vault; xet archive token shows and forgets it', async () => {
    const { cxd, endpointsFile } = await cxdBeside(sim, 'cxd-ok');
    const other = '698765439';
    try {
      const r = await xet(['archive', 'upload', archive, '--case', other, '--token-stdin', '--remember', '--endpoints', endpointsFile], env, `${cxd.token}\n`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`remembered for case ${other}`);
      expect((await xet(['archive', 'token', '--case', other], env)).stdout).toMatch(/An upload token is remembered for case 698765439/);
      expect((await xet(['archive', 'token', '--case', other, '--forget'], env)).stdout).toMatch(/No upload token is remembered for case 698765439 now/);
      expect(await xet(['--json', 'archive', 'token', '--case', other], env)).toMatchObject({ code: 0, stdout: expect.stringContaining('"stored": false') });
      expect((await xet(['archive', 'token', '--case', '1'], env)).code).toBe(2);
    } finally {
      await cxd.close();
    }
  });

  it('on a terminal it asks for the token without echo and shows progress on stderr', async () => {
    const { cxd, endpointsFile } = await cxdBeside(sim, 'cxd-ok');
    const asked: string[] = [];
    try {
      const r = await xet(['archive', 'upload', archive, '--case', '698765438', '--token-stdin', '--endpoints', endpointsFile], env, '', {
        isTty: true,
        promptHidden: async (q) => (asked.push(q), cxd.token),
      });
      expect(r.code, r.stderr).toBe(0);
      expect(asked).toEqual(['CXD upload token: ']);
      expect(r.stderr).toContain('checking support.zip is an encrypted archive');
      expect(r.stderr).toMatch(/support\.zip: connecting · attempt 1\/4/);
      // The last progress line is wiped when the command ends.
      expect(r.stderr.endsWith('\r\u001b[K')).toBe(true);
      expect(r.stderr + r.stdout).not.toContain(cxd.token);
    } finally {
      await cxd.close();
    }
  });

  it('a refused token exits 1 at once; the token and the archive password appear in no output, log or database file', async () => {
    const { cxd, endpointsFile } = await cxdBeside(sim, 'cxd-bad-token');
    const token = 'Pl4nted-CXD-token';
    try {
      const r = await xet(['--json', 'archive', 'upload', archive, '--case', CASE, '--token-stdin', '--force', '--endpoints', endpointsFile], env, `${token}\n`);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'UNAUTHORIZED', key: 'errors.upload.unauthorized' } });
      expect(cxd.requests).toMatchObject([{ status: 401, bodyBytes: 0 }]);
      const uploads = await xet(['--json', 'archive', 'uploads'], env);
      const outputs = [r.stdout, r.stderr, uploads.stdout, uploads.stderr].join('\n');
      const files = filesUnder(env.XET_DATA_DIR!).map((f) => [f, fs.readFileSync(f)] as const);
      const leaks: string[] = [];
      for (const secret of [token, ARCHIVE_PASSWORD]) {
        for (const form of encodedForms(secret)) {
          if (outputs.includes(form)) leaks.push(`output: ${form}`);
          for (const [f, bytes] of files) if (bytes.includes(form)) leaks.push(`${f}: ${form}`);
        }
      }
      expect(leaks).toEqual([]);
    } finally {
      await cxd.close();
    }
  });

  it('usage and input errors exit 2 before any connection: no --case, a bad one, no --token-stdin, empty stdin, a HAR', async () => {
    const harFile = path.join(dir, 'capture.har');
    fs.writeFileSync(harFile, JSON.stringify({ log: { version: '1.2', creator: { name: 'x', version: '1' }, entries: [] } }));
    const before = sim.cxd!.requests.length;
    const base = ['archive', 'upload', archive, '--endpoints', sim.endpointsFile];
    expect(await xet([...base, '--token-stdin'], env, 'tok\n')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--case SR is required/) });
    expect(await xet([...base, '--case', '12345', '--token-stdin'], env, 'tok\n')).toMatchObject({ code: 2, stderr: expect.stringMatching(/9 digits/) });
    expect(await xet([...base, '--case', CASE], env, 'tok\n')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--token-stdin/) });
    expect(await xet([...base, '--case', CASE, '--token-stdin'], env, '')).toMatchObject({ code: 2, stderr: expect.stringMatching(/standard input is empty/) });
    expect(await xet(['archive', 'upload', harFile, '--case', CASE, '--token-stdin', '--endpoints', sim.endpointsFile], env, 'SimCxdTok3n42\n')).toMatchObject({ code: 2, stderr: expect.stringMatching(/capture\.har: is a JSON or HAR file/) });
    expect(await xet([...base, '--case', CASE, '--token', 'x'], env)).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown option '--token'/) });
    expect(sim.cxd!.requests.length).toBe(before);
  });
});
