import path from 'node:path';
import type { HostCore } from '../../../electron/core/host-core.js';
import { commands, runCli } from '../../../electron/cli/program.js';
import { TEST_SCRYPT } from '../../support/core.js';
import { tempDir } from '../../support/temp.js';

const HAR = path.resolve('test/fixtures/har/chrome-export.har');
const PASS = 'correct horse battery staple';

/** The core's services: the CLI reaches them only through the dispatcher, never by name. */
const SERVICES = ['profiles', 'checks', 'secrets', 'vault', 'har', 'archive'] as const;

interface Seen {
  calls: string[];
  direct: string[];
}

/** Runs one `xet` command with the core's dispatcher instrumented and its services guarded. */
async function xetSeen(args: string[], env: Record<string, string>, stdin = ''): Promise<Seen & { code: number; stdout: string; stderr: string }> {
  const seen: Seen = { calls: [], direct: [] };
  let stdout = '';
  let stderr = '';
  const instrument = (core: HostCore) => {
    const call = core.dispatcher.call.bind(core.dispatcher) as (...a: unknown[]) => Promise<unknown>;
    core.dispatcher.call = ((name: string, ...rest: unknown[]) => {
      seen.calls.push(name);
      return call(name, ...rest);
    }) as HostCore['dispatcher']['call'];
    // The handlers hold the services themselves; the core the CLI gets has none of them to use
    // (host-core.ts), and a property added back would be counted here.
    for (const name of SERVICES) {
      if (name in core) seen.direct.push(`${name} (exposed)`);
      const service = (core as unknown as Record<string, unknown>)[name];
      Object.defineProperty(core, name, {
        get: () => {
          seen.direct.push(name);
          return service;
        },
      });
    }
  };
  const code = await runCli(
    args,
    { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => stdin, env: { HOME: '/nonexistent-home', ...env }, isTty: false },
    { scryptCost: TEST_SCRYPT, onCore: instrument },
  );
  return { ...seen, code, stdout, stderr };
}

describe('every xet command goes through the dispatcher', () => {
  it('reaches the dispatcher and never a core service directly, for each command of the program', async () => {
    const dir = tempDir();
    const env = { XET_DATA_DIR: path.join(dir, 'data'), XET_VAULT_PASSPHRASE: PASS };
    const exported = path.join(dir, 'profiles.json');
    const archive = path.join(dir, 'support.zip');
    let runId = '';
    // One invocation per command, in an order where each finds what it needs (a profile, a run, an archive).
    const cases: [string, () => string[], string?][] = [
      ['info', () => ['info']],
      ['settings get', () => ['settings', 'get']],
      ['settings set', () => ['settings', 'set', '--theme', 'dark']],
      ['profile add', () => ['profile', 'add', '--name', 'lab', '--kind', 'esa', '--host', '127.0.0.1', '--region', 'eu', '--https-port', '1']],
      ['profile list', () => ['profile', 'list']],
      ['profile show', () => ['profile', 'show', 'lab']],
      ['profile edit', () => ['profile', 'edit', 'lab', '--notes', 'lab appliance']],
      ['profile duplicate', () => ['profile', 'duplicate', 'lab', '--name', 'copy']],
      ['profile rm', () => ['profile', 'rm', 'copy', '--yes']],
      ['profile export', () => ['profile', 'export', '-o', exported]],
      ['profile import', () => ['profile', 'import', exported]],
      ['profile pin', () => ['profile', 'pin', 'lab', '--yes']],
      ['secret set', () => ['secret', 'set', 'lab', '--kind', 'cxd-token'], 'cxd-token-value-1234'],
      ['secret status', () => ['secret', 'status', 'lab']],
      ['secret clear', () => ['secret', 'clear', 'lab', '--kind', 'cxd-token']],
      ['vault status', () => ['vault', 'status']],
      ['vault set-passphrase', () => ['vault', 'set-passphrase'], PASS],
      ['check', () => ['check', 'lab', '--only', 'appliance-dns']],
      ['triage', () => ['triage', 'the coffee machine is empty']],
      ['runs list', () => ['runs', 'list', 'lab']],
      ['runs show', () => ['runs', 'show', runId.slice(0, 8)]],
      ['runs diff', () => ['runs', 'diff', runId.slice(0, 8), runId]],
      ['har validate', () => ['har', 'validate', HAR]],
      ['har sanitize', () => ['har', 'sanitize', HAR, '-o', path.join(dir, 'clean.har'), '--profile', 'lab']],
      ['har analyze', () => ['har', 'analyze', HAR, '--profile', 'lab']],
      ['archive create', () => ['archive', 'create', '--profile', 'lab', '--run', 'latest', '--generate-password', '-o', archive]],
      ['archive verify', () => ['archive', 'verify', archive, '--password-stdin'], 'not-the-password'],
      ['archive list', () => ['archive', 'list', archive, '--password-stdin'], 'not-the-password'],
      // A HAR is refused by the core's ciphertext check, before any connection: the dispatcher is reached all the same.
      ['archive upload', () => ['archive', 'upload', HAR, '--case', '698765432', '--token-stdin'], 'cxd-token-value-1234'],
      ['archive uploads', () => ['archive', 'uploads']],
      ['archive token', () => ['archive', 'token', '--case', '698765432']],
      // Nothing listens on the lab profile's port 1: the core answers that, after the dispatcher.
      ['logs list', () => ['logs', 'list', 'lab']],
    ];
    expect(cases.map(([name]) => name).sort()).toEqual(commands.map((c) => c.name).sort());
    for (const [name, argv, stdin] of cases) {
      const r = await xetSeen(argv(), env, stdin);
      expect(r.calls.length, `${name}: ${r.stderr}`).toBeGreaterThan(0);
      expect(r.direct, name).toEqual([]);
      if (name === 'check') runId = JSON.parse((await xetSeen(['runs', 'list', '--json'], env)).stdout).runs[0].id;
    }
  });

  it('shows that the instrumentation sees a command that stops before the dispatcher', async () => {
    const r = await xetSeen(['profile', 'add', '--name', 'x'], { XET_DATA_DIR: tempDir() });
    expect(r.code).toBe(2);
    expect(r.calls).toEqual([]);
  });
});
