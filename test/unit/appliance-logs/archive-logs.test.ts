import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveInfo, Manifest } from '../../../electron/contract/archive.js';
import { checkAgainstManifest, filesBelow, leaksBelow, sevenZip } from '../../support/archive.js';
import { simulatedSetup } from '../../support/checks.js';
import { tempDir } from '../../support/temp.js';
import { makeSelfSigned } from '../../support/tls.js';
import { fileText, plantedValues } from '../../fixtures/simulator/appliance-logs.js';
import type { LogsMode } from '../../fixtures/simulator/appliance-logs.js';

const PASSWORD = 'tac-case-Ruby-Falcon-2931';
const DEFAULTS = ['ctr_logs', 'api_logs', 'updater_logs', 'cli_logs', 'gui_logs', 'system_logs', 'xdr_errors'];

type Setup = Awaited<ReturnType<typeof simulatedSetup>>;

async function create(setup: Setup, request: Record<string, unknown>, host?: Record<string, unknown>): Promise<ArchiveInfo> {
  const answer = await setup.core.dispatcher.call('archive.create', { profileId: setup.profile.id, encryption: { mode: 'password', password: PASSWORD }, ...request } as never, host as never);
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.value;
}

function extract(setup: Setup, info: ArchiveInfo): string {
  const out = tempDir();
  const x = sevenZip(['x', `-p${PASSWORD}`, `-o${out}`, setup.core.archive.file(info.id).path]);
  expect(x.status, x.out).toBe(0);
  return out;
}

/** Spool files left in this core's spool folder (it exists only once something was spooled). */
function spools(setup: Setup): string[] {
  return fs.existsSync(setup.core.logs.spoolDir) ? fs.readdirSync(setup.core.logs.spoolDir) : [];
}

function planted(setup: Setup): string[] {
  const v = plantedValues({ password: setup.sim.password, username: setup.sim.username, hostname: setup.sim.hostname });
  return [v.password, v.jwt, v.basic, ...v.addresses, ...v.keyLines];
}

describe('appliance logs from the simulator in a password archive (7-Zip)', () => {
  let setup: Setup;
  let info: ArchiveInfo;
  let dir: string;
  let manifest: Manifest;

  beforeAll(async () => {
    setup = await simulatedSetup({});
    info = await create(setup, { applianceLogs: { subscriptions: ['default'] } });
    dir = extract(setup, info);
    manifest = checkAgainstManifest(dir);
  }, 60_000);
  afterAll(async () => setup?.close());

  it('holds the default subscriptions’ files for the last 24 h under appliance-logs/<subscription>/, each in the manifest with size and SHA-256', () => {
    const logs = filesBelow(dir).filter((f) => f.startsWith('appliance-logs/'));
    const subs = [...new Set(logs.map((f) => f.split('/')[1]))].sort();
    expect(subs).toEqual([...DEFAULTS].sort());
    // Four files over four days; the last 24 h touch the last two (the `.current` and the one before).
    expect(info.applianceLogs!.filter((f) => f.problem !== null)).toEqual([]);
    expect(logs).toHaveLength(DEFAULTS.length * 2);
    expect(logs).toContain('appliance-logs/xdr_errors/errors.current');
    for (const f of logs) expect(manifest.files.find((m) => m.path === f)).toMatchObject({ kind: 'appliance-logs', sha256: expect.stringMatching(/^[a-f0-9]{64}$/) });
    expect(manifest.applianceLogs!.files.every((f) => f.source === 'api' && f.origin.startsWith('GET /esa/api/v2.0/logs/'))).toBe(true);
    expect(info.applianceLogs!.every((f) => f.problem === null)).toBe(true);
  });

  it('cuts every file to the window: no line older than 24 h besides the header', () => {
    const from = Date.parse(manifest.applianceLogs!.window.from);
    for (const f of manifest.applianceLogs!.files) {
      const text = fs.readFileSync(path.join(dir, f.path), 'utf8');
      expect(text).toContain('Time offset from UTC: 3600 seconds');
      const lines = text.split('\n').filter((l) => l && !/Begin Logfile|Version: |Time offset/.test(l));
      // A record's continuation lines carry no time: here only the pasted key, as one placeholder.
      for (const line of lines.filter((l) => !/^[A-Z][a-z]{2} /.test(l))) expect(line, f.path).toMatch(/^\[REDACTED:pem:[0-9a-f]{6}\]$/);
      for (const line of lines.filter((l) => /^[A-Z][a-z]{2} /.test(l))) {
        const local = Date.parse(`${line.slice(4, 24)} UTC`);
        expect(local - 3600_000, line).toBeGreaterThanOrEqual(from - 1000);
      }
    }
  });

  it('contains none of the planted values (password, JWT, Basic value, addresses, host name, API user) in any encoding, and says what it redacted per file', () => {
    expect(leaksBelow(dir, planted(setup), [setup.sim.hostname, 'esa1'])).toEqual([]);
    const logText = manifest.applianceLogs!.files.map((f) => fs.readFileSync(path.join(dir, f.path), 'utf8')).join('');
    expect(logText).not.toMatch(/User admin|user:admin|user admin/);
    const api = manifest.applianceLogs!.files.find((f) => f.path === 'appliance-logs/api_logs/api.current')!;
    expect(api.redactions).toMatchObject({ jwt: expect.any(Number), authorization: expect.any(Number) });
    const report = fs.readFileSync(path.join(dir, 'report.html'), 'utf8');
    expect(report).toContain('<h2>Appliance logs</h2>');
    expect(report).toContain('appliance-logs/cli_logs/cli.current');
    expect(report).toMatch(/AsyncOS API/);
  });
});

describe('appliance logs in a certificate archive (openssl cms), with mail logs ticked and hand imports', () => {
  let setup: Setup;
  beforeAll(async () => {
    setup = await simulatedSetup({});
  }, 60_000);
  afterAll(async () => setup?.close());

  it('decrypts with openssl cms; a hand-imported gzip rotation is cleaned in, a cut gzip is refused with its message, the rest is built', async () => {
    const work = tempDir();
    const tac = makeSelfSigned('TAC Recipient');
    fs.writeFileSync(path.join(work, 'cert.pem'), tac.cert);
    fs.writeFileSync(path.join(work, 'key.pem'), tac.key);
    const o = { mode: 'healthy' as const, kind: 'esa' as const, username: setup.sim.username, password: setup.sim.password, hostname: setup.sim.hostname, offsetSeconds: 3600, hugeBytes: 0, slowChunkMs: 0 };
    const now = Date.now();
    const gz = zlib.gzipSync(Buffer.from(fileText('mail_logs', { from: now - 20 * 3600_000, to: now - 3600_000 }, o)));
    fs.writeFileSync(path.join(work, 'mail.@20261201T000000.s.gz'), gz);
    fs.writeFileSync(path.join(work, 'cut.@20261201T000000.s.gz'), gz.subarray(0, gz.length - 40));
    const info = await create(
      setup,
      { encryption: { mode: 'certificate', certificates: [{ name: 'tac.pem', pem: tac.cert }] }, applianceLogs: { subscriptions: ['default', 'mail_logs'], window: { hours: 24 } } },
      { logFiles: [path.join(work, 'mail.@20261201T000000.s.gz'), path.join(work, 'cut.@20261201T000000.s.gz')] },
    );
    const p7m = setup.core.archive.file(info.id).path;
    execFileSync('openssl', ['cms', '-decrypt', '-inform', 'DER', '-in', p7m, '-recip', path.join(work, 'cert.pem'), '-inkey', path.join(work, 'key.pem'), '-out', path.join(work, 'inner.zip')]);
    const out = tempDir();
    expect(sevenZip(['x', `-o${out}`, path.join(work, 'inner.zip')]).status).toBe(0);
    const manifest = checkAgainstManifest(out);
    const files = filesBelow(out);
    expect(files).toContain('appliance-logs/mail_logs/mail.current');
    expect(files).toContain('appliance-logs/imported-mail/mail.@20261201T000000.s');
    expect(files.some((f) => f.includes('cut.@'))).toBe(false);
    expect(manifest.applianceLogs!.problems).toEqual([expect.objectContaining({ file: 'cut.@20261201T000000.s.gz', problem: 'gzip-cut', message: expect.stringMatching(/cut short/) })]);
    const imported = manifest.applianceLogs!.files.find((f) => f.source === 'import')!;
    expect(imported.origin).toBe('imported: mail.@20261201T000000.s.gz');
    expect(imported.redactions['email-local']).toBeGreaterThan(0);
    expect(leaksBelow(out, planted(setup), [setup.sim.hostname])).toEqual([]);
    const text = fs.readFileSync(path.join(out, 'appliance-logs/imported-mail/mail.@20261201T000000.s'), 'utf8');
    expect(text).toMatch(/^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4} Info: MID \d+ ICID \d+ From: <\[REDACTED:email-local:[0-9a-f]{6}\]@\[REDACTED:email-domain:[0-9a-f]{6}\]>/m);
  }, 60_000);
});

describe('log fault modes: a clear message, and the rest of the archive is built', () => {
  const cases: [LogsMode, (info: ArchiveInfo) => void][] = [
    ['logs-unavailable', (info) => expect(info.applianceLogNotices).toEqual([expect.objectContaining({ code: 'unavailable', message: expect.stringMatching(/no log API \(404\).*System Administration → Log Subscriptions/) })])],
    ['logs-forbidden', (info) => expect(info.applianceLogNotices).toEqual([expect.objectContaining({ code: 'forbidden', message: expect.stringMatching(/may not read logs \(403/) })])],
    [
      'logs-foreign-url',
      (info) => {
        const refused = info.applianceLogs!.filter((f) => f.problem === 'foreign-url');
        expect(refused.map((f) => f.subscription)).toEqual(['ctr_logs', 'ctr_logs']);
        expect(refused[0]!.message).toMatch(/another host.*https:\/\/logs\.elsewhere\.example:8443.*no credentials were sent/);
        expect(info.applianceLogs!.filter((f) => f.problem === null)).toHaveLength(12);
      },
    ],
    [
      'logs-size-lie',
      (info) => {
        expect(info.applianceLogs!.filter((f) => f.problem !== null)).toEqual([expect.objectContaining({ subscription: 'cli_logs', problem: 'size-mismatch', message: expect.stringMatching(/listing said \d+ bytes but the download gave \d+/) })]);
      },
    ],
    [
      'logs-huge',
      (info) => {
        const huge = info.applianceLogs!.find((f) => f.file === 'api.current')!;
        expect(huge).toMatchObject({ capped: true, problem: null });
        expect(huge.bytes).toBeLessThanOrEqual(1024 * 1024);
      },
    ],
  ];
  for (const [mode, expectation] of cases) {
    it(mode, async () => {
      const setup = await simulatedSetup({ logsMode: mode, logsHugeBytes: 64 * 1024 * 1024 });
      try {
        const run = await setup.core.checks.run({ profileId: setup.profile.id });
        const info = await create(setup, { runIds: [run.id], applianceLogs: { subscriptions: ['default'], perFileMb: 1 } });
        expectation(info);
        const dir = extract(setup, info);
        checkAgainstManifest(dir);
        expect(filesBelow(dir)).toContain('results/run-01.json');
        // Only the logs part: run evidence quotes the certificate's names, which is the checks' business.
        if (fs.existsSync(path.join(dir, 'appliance-logs'))) expect(leaksBelow(path.join(dir, 'appliance-logs'), planted(setup), [setup.sim.hostname])).toEqual([]);
        expect(spools(setup)).toEqual([]);
      } finally {
        await setup.close();
      }
    }, 60_000);
  }

  it('logs-slow: cancel during collection stops it, nothing is saved, no spool is left', async () => {
    const setup = await simulatedSetup({ logsMode: 'logs-slow' });
    try {
      let seen = false;
      const off = setup.core.bus.on('logs.progress', () => {
        if (!seen) {
          seen = true;
          setup.core.archive.cancel('slow-task-1');
        }
      });
      const answer = await setup.core.dispatcher.call('archive.create', { taskId: 'slow-task-1', profileId: setup.profile.id, encryption: { mode: 'password', password: PASSWORD }, applianceLogs: { subscriptions: ['default'] } });
      off();
      expect(answer.ok).toBe(false);
      expect(seen).toBe(true);
      expect(setup.core.archive.list()).toEqual([]);
      expect(spools(setup)).toEqual([]);
    } finally {
      await setup.close();
    }
  }, 60_000);

  it('a changed certificate stops before any credential is sent: no log request reaches the appliance', async () => {
    const setup = await simulatedSetup({ mode: 'changed-certificate' });
    try {
      const info = await create(setup, { applianceLogs: { subscriptions: ['default'] } });
      expect(info.applianceLogNotices).toEqual([expect.objectContaining({ code: 'unreachable', message: expect.stringMatching(/no longer matches the pinned fingerprint; nothing was sent/) })]);
      expect(setup.sim.requests.filter((q) => q.path.includes('/logs'))).toEqual([]);
    } finally {
      await setup.close();
    }
  });

  it('CES: says plainly that the API offers no logs and TAC pulls them over the support tunnel', async () => {
    const setup = await simulatedSetup({ profile: { kind: 'ces' } });
    try {
      const listed = await setup.core.dispatcher.call('logs.list', { profileId: setup.profile.id });
      expect(listed.ok && listed.value.notice).toMatchObject({ code: 'ces', message: expect.stringMatching(/support tunnel/) });
    } finally {
      await setup.close();
    }
  });
});
