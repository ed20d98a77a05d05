import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startSimulator } from '../fixtures/simulator/simulator.js';
import { sevenZip } from '../support/archive.js';
import { filesUnder, leaks, postApi, recordingXet } from '../support/planted-secret.js';
import { tempDir } from '../support/temp.js';
import { startWebHostProcess } from '../support/web-host-process.js';

const VAULT_PASSPHRASE = 'Pl4nted vault passphrase for XDR 2026';
const ARCHIVE_PASSWORD = 'Pl4nted-XDR-ARCHIVE-pw~Wombat-73';

describe('the XDR client secret and access token appear nowhere they should not', () => {
  it('through the CLI and the web host: not in the DB, WAL, logs, run evidence, events, CLI output, HTTP answers or the archive', async () => {
    // xdr-token-revoked: two access tokens per run (the first cut short), xdr-device-offline would add findings; healthy keeps evidence full.
    const sim = await startSimulator({ mode: 'healthy', xdrMode: 'xdr-token-revoked' });
    const dataDir = tempDir('xet-xdr-planted-');
    const env = { XET_DATA_DIR: dataDir, XET_VAULT_PASSPHRASE: VAULT_PASSPHRASE };
    const { run, outputs } = recordingXet(env);
    try {
      const add = ['profile', 'add', '--name', 'xdr-esa', '--kind', 'esa', '--host', '127.0.0.1', '--region', 'eu', '--https-port', String(sim.httpsPort), '--http-port', String(sim.httpPort)];
      expect((await run([...add, '--username', sim.username, '--pin-sha256', sim.pinnedSha256, '--password-stdin', '--xdr-client-id', sim.xdr!.clientId], `${sim.password}\n`)).code).toBe(0);
      expect((await run(['secret', 'set', 'xdr-esa', '--kind', 'xdr-client-secret'], `${sim.xdr!.clientSecret}\n`)).code).toBe(0);
      const check = await run(['check', 'xdr-esa', '--endpoints', sim.endpointsFile, '--json']);
      expect(check.code, check.out).toBe(0);
      const result = JSON.parse(check.out) as { checks: { id: string; status: string }[] };
      expect(result.checks.filter((c) => c.id.startsWith('xdr-')).map((c) => c.status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
      for (const args of [['check', 'xdr-esa', '--endpoints', sim.endpointsFile], ['runs', 'list', '--json'], ['runs', 'show', 'latest', '--json'], ['profile', 'show', 'xdr-esa'], ['profile', 'export'], ['secret', 'status', 'xdr-esa', '--json']]) {
        await run(args);
      }
      expect(outputs.join('\n')).toContain(sim.xdr!.clientId);

      const host = await startWebHostProcess(dataDir, { XET_VAULT_PASSPHRASE: VAULT_PASSPHRASE }, ['--endpoints', sim.endpointsFile]);
      const responses: string[] = [];
      const call = async (command: string, body: unknown) => {
        const text = await postApi(host.port, host.token, command, JSON.stringify(body));
        responses.push(text);
        return JSON.parse(text.slice(text.indexOf('\n') + 1)) as { ok: boolean; value: Record<string, unknown> };
      };
      const events: string[] = [];
      const stream = http.get({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: { Host: `127.0.0.1:${host.port}`, Authorization: `Bearer ${host.token}` } }, (res) => res.on('data', (d: Buffer) => events.push(d.toString())));
      stream.on('error', () => undefined);
      const profiles = (await call('profiles.list', {})).value.profiles as { id: string; xdrClientSecretStored: boolean }[];
      expect(profiles[0]!.xdrClientSecretStored).toBe(true);
      const id = profiles[0]!.id;
      await call('secrets.set', { profileId: id, kind: 'xdr-client-secret', value: sim.xdr!.clientSecret });
      const started = await call('checks.start', { profileId: id });
      expect(started, JSON.stringify(started)).toMatchObject({ ok: true });
      const runId = started.value.runId as string;
      for (let i = 0; i < 100; i++) {
        const r = await call('runs.get', { id: runId });
        if (r.value.state !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await call('checks.runbook', { profileId: id });
      await call('profiles.get', { id });
      await call('profiles.export', {});
      const archive = await call('archive.create', { profileId: id, runIds: [runId], encryption: { mode: 'password', password: ARCHIVE_PASSWORD } });
      expect(archive, JSON.stringify(archive)).toMatchObject({ ok: true });
      stream.destroy();
      const whileRunning = filesUnder(dataDir);
      const opened = tempDir('xet-xdr-archive-');
      const archiveFile = whileRunning.find((f) => f.endsWith('.zip'));
      expect(archiveFile, whileRunning.join('\n')).toBeDefined();
      expect(sevenZip(['x', `-p${ARCHIVE_PASSWORD}`, `-o${opened}`, archiveFile!]).status).toBe(0);
      const runningLeaks = whileRunning.filter((f) => fs.existsSync(f)).map((f) => [f, fs.readFileSync(f)] as const);
      await host.stop();

      // The planted values: the client secret, and every access token the IROH stand-ins issued.
      const tokens = [...new Set(sim.xdr!.requests.filter((r) => r.auth === 'bearer').map((r) => r.credential))];
      expect(tokens.length).toBeGreaterThanOrEqual(4);
      const planted = [sim.xdr!.clientSecret, ...tokens];
      const report = fs.readFileSync(filesUnder(opened).find((f) => f.endsWith('report.html'))!, 'utf8');
      expect(report).toContain('xdr-module-health');
      // SSE device and XDR module names are replaced like host names (host names not included).
      const results = filesUnder(opened).map((f) => fs.readFileSync(f, 'utf8')).join('\n');
      for (const name of ['esa1.example.com', 'wsa7.branch.example.com', 'esa-old.example.com', 'Secure Email (esa1)']) expect(results).not.toContain(name);
      expect(results).toMatch(/sse-device-\d+/);
      expect(results).toMatch(/xdr-module-\d+/);

      expect(runningLeaks.flatMap(([f, data]) => leaks(planted, data, `while running: ${path.relative(dataDir, f)}`))).toEqual([]);
      expect(filesUnder(dataDir).flatMap((f) => leaks(planted, fs.readFileSync(f), path.relative(dataDir, f)))).toEqual([]);
      expect(filesUnder(opened).flatMap((f) => leaks(planted, fs.readFileSync(f), `archive ${path.relative(opened, f)}`))).toEqual([]);
      expect(outputs.flatMap((o, i) => leaks(planted, o, `cli output ${i}`))).toEqual([]);
      expect(responses.flatMap((r, i) => leaks(planted, r, `web response ${i}`))).toEqual([]);
      expect(leaks(planted, events.join(''), 'events')).toEqual([]);
      expect(events.join('')).toContain('xdr-auth');
    } finally {
      await sim.close();
    }
  }, 180_000);
});
