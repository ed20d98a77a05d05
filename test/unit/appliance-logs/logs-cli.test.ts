import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { fileText, plantedValues } from '../../fixtures/simulator/appliance-logs.js';
import { checkAgainstManifest, filesBelow, leaksBelow, sevenZip } from '../../support/archive.js';
import { cliLabProfile, xet } from '../../support/cli.js';
import { notRegularFiles, tempDir } from '../../support/temp.js';

const VAULT = 'correct horse battery staple';
const PASSWORD = 'tac-upload-Quartz-Heron-8812';

let sim: Simulator;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ mode: 'healthy' });
  ({ dir, env } = await cliLabProfile(sim, VAULT));
}, 60_000);

afterAll(async () => sim?.close());

describe('xet logs and archive create --appliance-logs', () => {
  it('logs list shows the subscriptions with types, defaults ticked (the renamed error log by its type), and the files of the window', async () => {
    const r = await xet(['logs', 'list', 'lab', '--hours', '24'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\[x\] xdr_errors {2}Error Logs {2}Manual Download {2}2 files {2}\(default group error, matched by type\)$/m);
    expect(r.stdout).toMatch(/^\[ \] mail_logs {2}IronPort Text Mail Logs/m);
    expect(r.stdout).toContain('errors.current');
    const json = JSON.parse((await xet(['logs', 'list', 'lab', '--since', new Date(Date.now() - 100 * 3600_000).toISOString(), '--json'], env)).stdout) as { subscriptions: { name: string; files: unknown[] }[] };
    expect(json.subscriptions.find((s) => s.name === 'system_logs')!.files).toHaveLength(4);
    const bad = await xet(['logs', 'list', 'lab', '--since', 'yesterday'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--since "yesterday": give an ISO 8601 time/);
    // Out of range is said by the flag, in the CLI's words, not as the request schema's field.
    for (const hours of ['0', '2161']) {
      const out = await xet(['logs', 'list', 'lab', '--hours', hours], env);
      expect(out.code).toBe(2);
      expect(out.stderr).toBe(`xet: --hours "${hours}": give a whole number of hours from 1 to 2160 (90 days), e.g. 24\n`);
    }
    expect(sim.requests.filter((q) => q.path.includes('/logs')).every((q) => q.transport === 'https' && q.auth === 'basic')).toBe(true);
  });

  it('archive create --appliance-logs default --hours 100 --log-file takes the gzip rotation from the API and a hand import; nothing planted leaks', async () => {
    const o = { mode: 'healthy' as const, kind: 'esa' as const, username: sim.username, password: sim.password, hostname: sim.hostname, offsetSeconds: 3600, hugeBytes: 0, slowChunkMs: 0 };
    const local = path.join(dir, 'cli.@20261201T000000.s');
    fs.writeFileSync(local, fileText('cli_logs', { from: Date.now() - 5 * 3600_000, to: Date.now() }, o));
    const notLog = path.join(dir, 'notes.txt.gz');
    fs.writeFileSync(notLog, zlib.gzipSync('just some notes\n'));
    const out = path.join(dir, 'with-logs.zip');
    const r = await xet(['archive', 'create', '--profile', 'lab', '--appliance-logs', 'default', '--hours', '100', '--log-file', local, '--log-file', notLog, '--password-stdin', '-o', out], env, `${PASSWORD}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/appliance logs: imported-notes\/notes\.txt\.gz not taken: no AsyncOS time-stamped line/);
    // What went in, and what was replaced in it, by the names the app uses; the key pasted at the CLI as one.
    expect(r.stdout).toMatch(/^ {2}appliance logs: \d+ files, [\d.,]+ (bytes|MiB); replaced: .*Addresses \(domain\) \d+/m);
    // Four CLI audit logs from the appliance and one imported by hand, each with its pasted key.
    expect(r.stdout).toMatch(/replaced: .*Private keys 5\b/);
    const x = tempDir();
    expect(sevenZip(['x', `-p${PASSWORD}`, `-o${x}`, out]).status).toBe(0);
    const manifest = checkAgainstManifest(x);
    // The oldest system log is a gzip rotation on the appliance: it goes in as text, under its name without .gz.
    expect(manifest.applianceLogs!.files.find((f) => f.origin.endsWith('.s.gz'))).toMatchObject({ subscription: 'system_logs', path: expect.stringMatching(/\.s$/) });
    const files = filesBelow(x);
    expect(files.some((f) => /system_logs\/system\.@\d{8}T\d{6}\.s$/.test(f))).toBe(true);
    expect(files).toContain('appliance-logs/imported-cli/cli.@20261201T000000.s');
    const v = plantedValues({ password: sim.password, username: sim.username, hostname: sim.hostname });
    expect(leaksBelow(path.join(x, 'appliance-logs'), [v.password, v.jwt, v.basic, ...v.addresses, ...v.keyLines], [sim.hostname])).toEqual([]);
    expect(fs.readdirSync(dir).filter((f) => f.includes('xet-partial'))).toEqual([]);

    // A folder or a pipe given as a log file: said before anything is collected, nothing written.
    for (const [file, why] of notRegularFiles(dir)) {
      const refused = await xet(['archive', 'create', '--profile', 'lab', '--log-file', file, '--password-stdin', '-o', path.join(dir, 'refused.zip')], env, `${PASSWORD}\n`);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(`xet: --log-file: cannot read "${file}": ${why}\n`);
      expect(fs.existsSync(path.join(dir, 'refused.zip'))).toBe(false);
    }

    const german = await xet(['--lang', 'de', 'archive', 'create', '--profile', 'lab', '--appliance-logs', 'cli_logs', '--hours', '24', '--password-stdin', '-o', path.join(dir, 'de.zip')], env, `${PASSWORD}\n`);
    expect(german.code, german.stderr).toBe(0);
    expect(german.stdout).toMatch(/^ {2}Appliance-Logs: 2 Dateien, [\d.]+ Byte; ersetzt: .*Private Schlüssel 1\b/m);
    expect(german.stdout).not.toContain(sim.password);
  });
});
