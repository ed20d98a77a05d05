import type { FaultMode } from '../../fixtures/simulator/appliance.js';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { xet } from '../../support/cli.js';
import { tempDir } from '../../support/temp.js';

const PASS = 'correct horse battery staple';

async function withProfile(mode: FaultMode, fn: (ctx: { sim: Simulator; env: Record<string, string> }) => Promise<void>, kind = 'esa') {
  const sim = await startSimulator({ mode });
  const env = { XET_DATA_DIR: tempDir(), XET_VAULT_PASSPHRASE: PASS };
  try {
    const add = await xet(['profile', 'add', '--name', 'lab', '--kind', kind, '--host', '127.0.0.1', '--region', 'eu', '--https-port', String(sim.httpsPort), '--http-port', String(sim.httpPort), '--username', sim.username, '--pin-sha256', sim.pinnedSha256, '--password-stdin'], env, `${sim.password}\n`);
    expect(add.code).toBe(0);
    await fn({ sim, env });
  } finally {
    await sim.close();
  }
}

describe('xet check', () => {
  it('exits 0 on a healthy appliance and prints the checks', async () => {
    await withProfile('healthy', async ({ sim, env }) => {
      const r = await xet(['check', 'lab', '--endpoints', sim.endpointsFile], { ...env });
      expect(r.code).toBe(0);
      // No XDR API client: the all-clear covers the path up to Threat Response, and Next says how to go further.
      expect(r.stdout).toContain('No findings up to the Threat Response server. SSE and XDR were not checked automatically (see Next).');
      expect(r.stdout).toMatch(/PASS\s+api-clock/);
      const next = r.stdout.slice(r.stdout.indexOf('\nNext:\n'));
      expect(next).toContain('Add one: xet profile edit "lab" --xdr-client-id … && xet secret set "lab" --kind xdr-client-secret < file');
      expect(next).toMatch(/\d+ checks wait for your input/);
      // The example question is answered with its own choices (the region question takes region ids).
      expect(next).toContain('Answer a question: xet check "lab" --answer region-server=nam|eu|apjc|unsure');
      expect(next).toContain('--token-created ISO8601');
    });
  });

  it('says “No findings.” without a Next for SSE and XDR once the XDR API client checked them, and all questions are answered', async () => {
    const sim = await startSimulator({ mode: 'healthy', xdrMode: 'xdr-healthy' });
    const env = { XET_DATA_DIR: tempDir(), XET_VAULT_PASSPHRASE: PASS };
    try {
      const add = await xet(['profile', 'add', '--name', 'lab', '--kind', 'esa', '--host', '127.0.0.1', '--region', 'eu', '--https-port', String(sim.httpsPort), '--http-port', String(sim.httpPort), '--username', sim.username, '--pin-sha256', sim.pinnedSha256, '--password-stdin', '--xdr-client-id', sim.xdr!.clientId], env, `${sim.password}\n`);
      expect(add.code).toBe(0);
      expect((await xet(['secret', 'set', 'lab', '--kind', 'xdr-client-secret'], env, `${sim.xdr!.clientSecret}\n`)).code).toBe(0);
      const answers = ['region-server=eu', 'sse-services=yes', 'changes-committed=yes', 'dashboard-range=yes', 'rest-api-source=yes', 'still-failing=no'].flatMap((a) => ['--answer', a]);
      const r = await xet(['check', 'lab', '--endpoints', sim.endpointsFile, '--only', 'api-https-port,xdr-auth,xdr-sse-device,region-server', ...answers], env);
      expect(r.stdout).toMatch(/PASS\s+xdr-sse-device/);
      expect(r.stdout).toMatch(/No findings\.\n/);
      expect(r.stdout).not.toContain('Next:');
      // A run narrowed with --only to checks before the far side does not claim the profile lacks a client.
      const narrow = await xet(['check', 'lab', '--endpoints', sim.endpointsFile, '--only', 'api-https-port'], env);
      expect(narrow.stdout).toMatch(/No findings\.\n/);
      expect(narrow.stdout).not.toContain('XDR API client');
    } finally {
      await sim.close();
    }
  });

  it('exits 1 with the root cause first, in German on request, and --json gives the whole run', async () => {
    await withProfile('api-off', async ({ sim, env }) => {
      const r = await xet(['check', 'lab', '--endpoints', sim.endpointsFile, '--lang', 'de', '--error', 'Es gab einen unerwarteten Fehler auf dem sicheren E-Mail-Modul'], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/1\. CRITICAL API_PORT_CLOSED \[S6\]: Die AsyncOS-API ist auf der Management-Schnittstelle nicht aktiviert/);
      expect(r.stdout.indexOf('API_PORT_CLOSED')).toBeLessThan(r.stdout.indexOf('MODULE_UNEXPECTED_ERROR'));
      // The pasted message is shown with its cause, and the finding names the flag that fixes the profile.
      expect(r.stdout).toContain('   Erklärt: MODULE_UNEXPECTED_ERROR (XDR-Kachel: unerwarteter Fehler im Secure-Email-Modul)');
      expect(r.stdout).toContain('   Hier kann das Profil falsch sein: xet profile edit "lab" --https-port …');
      const j = await xet(['check', 'lab', '--json', '--endpoints', sim.endpointsFile, '--answer', 'sse-services=no', '--only', 'api-https-port,sse-services'], env);
      expect(j.code).toBe(1);
      const run = JSON.parse(j.stdout);
      expect(run.findings.map((f: { code: string }) => f.code)).toEqual(['API_PORT_CLOSED', 'SSE_SERVICES_DISABLED']);
      expect(run.checks.map((c: { id: string }) => c.id)).toEqual(['appliance-dns', 'api-https-port', 'sse-services']);
    });
  });

  it('exits 0 when the only findings are warnings (TOKEN_MALFORMED)', async () => {
    await withProfile('healthy', async ({ sim, env }) => {
      const r = await xet(['check', 'lab', '--json', '--endpoints', sim.endpointsFile, '--only', 'token-format', '--token', 'NOT-A-HEX-TOKEN'], env);
      expect(JSON.parse(r.stdout).findings.map((f: { code: string; severity: string }) => [f.code, f.severity])).toEqual([['TOKEN_MALFORMED', 'warning']]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('NOT-A-HEX-TOKEN');
    });
  });

  it('exits 2 naming the flag for bad input, and stores nothing', async () => {
    await withProfile('healthy', async ({ sim, env }) => {
      const cases: [string[], RegExp][] = [
        [['--token', 'abc', '--token-lifetime', 'forever'], /--token-lifetime: Lifetime must be a duration/],
        [['--token', 'abc', '--token-created', 'yesterday'], /--token-created: Creation time must be ISO 8601/],
        [['--token-region', 'eu'], /give --token too/],
        [['--answer', 'sse-services=maybe'], /Answer “maybe” for sse-services must be one of yes, no, unsure/],
        [['--answer', 'garbage'], /--answer "garbage": expected CHECK_ID=yes\|no\|unsure/],
        [['--only', 'nope'], /“nope” is not a check/],
        [['--timeout-ms', 'soon'], /--timeout-ms: "soon" is not a whole number/],
        [['--timeout-ms', '5'], /--timeout-ms: Timeout must be at least 100 ms/],
        [['--proxy', 'socks5://p:1080'], /--proxy: expected http:\/\/HOST:PORT/],
        [['--endpoints', '/nonexistent/endpoints.json'], /\/nonexistent\/endpoints\.json: ENOENT/],
      ];
      for (const [flags, message] of cases) {
        const r = await xet(['check', 'lab', '--endpoints', sim.endpointsFile, ...flags], env);
        expect({ flags, code: r.code, stderr: r.stderr }).toEqual({ flags, code: 2, stderr: expect.stringMatching(message) });
      }
      expect((await xet(['check', 'no-such-profile'], env)).code).toBe(2);
      const list = await xet(['runs', 'list', '--json'], env);
      expect(JSON.parse(list.stdout).runs).toEqual([]);
    });
  });

  it('refuses to run with a locked vault when a password is stored and there is no terminal', async () => {
    await withProfile('healthy', async ({ sim, env }) => {
      const r = await xet(['check', 'lab', '--endpoints', sim.endpointsFile], { XET_DATA_DIR: env.XET_DATA_DIR! });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/vault is locked/);
    });
  });
});

describe('xet triage and xet runs', () => {
  it('recognises a pasted German message and says so for an unknown one', async () => {
    const env = { XET_DATA_DIR: tempDir() };
    const r = await xet(['triage', 'Die Registrierung ist aufgrund eines ungültigen oder abgelaufenen Tokens fehlgeschlagen', '--json'], env);
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout);
    expect(t.matches[0].pattern).toBe('registration-token-invalid');
    expect(t.matches[0].findings.map((f: { code: string }) => f.code)).toEqual(['TOKEN_REJECTED', 'TOKEN_EXPIRED', 'TOKEN_WRONG_REGION', 'CLOUD_TLS_INTERCEPTED', 'CLOCK_SKEW', 'REGION_MISMATCH']);
    const unknown = await xet(['triage', 'the coffee machine is empty'], env);
    expect(unknown.stdout).toMatch(/^Unknown message\. .*Run all checks/);
    expect((await xet(['triage', 'x', '--kind', 'wsa'], env)).code).toBe(2);
  });

  it('lists, shows (by id prefix) and diffs runs', async () => {
    await withProfile('healthy', async ({ sim, env }) => {
      const a = JSON.parse((await xet(['check', 'lab', '--json', '--endpoints', sim.endpointsFile, '--only', 'sse-services', '--answer', 'sse-services=no'], env)).stdout);
      const b = JSON.parse((await xet(['check', 'lab', '--json', '--endpoints', sim.endpointsFile, '--only', 'sse-services', '--answer', 'sse-services=yes'], env)).stdout);
      const list = await xet(['runs', 'list', 'lab'], env);
      expect(list.stdout.split('\n')[0]).toContain(b.id.slice(0, 8));
      const show = await xet(['runs', 'show', a.id.slice(0, 8)], env);
      expect(show.stdout).toMatch(/ERROR SSE_SERVICES_DISABLED \[S1\]/);
      const diff = await xet(['runs', 'diff', a.id.slice(0, 6), b.id, '--json'], env);
      expect(JSON.parse(diff.stdout).findings.resolved.map((f: { code: string }) => f.code)).toEqual(['SSE_SERVICES_DISABLED']);
      const human = await xet(['runs', 'diff', a.id, b.id], env);
      expect(human.stdout).toMatch(/sse-services\s+fail → pass/);
      expect((await xet(['runs', 'show', 'abc'], env)).stderr).toMatch(/at least the first 4 characters/);
    });
  });
});
