import path from 'node:path';
import { expect } from 'vitest';
import type { CliIo } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/program.js';
import type { Simulator } from '../fixtures/simulator/simulator.js';
import { TEST_SCRYPT } from './core.js';
import { tempDir } from './temp.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `xet` in-process with captured output; vaults it creates use the cheap test scrypt cost. */
export async function xet(args: string[], env: Record<string, string | undefined> = {}, stdin = '', extra: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => stdin,
    env: { HOME: '/nonexistent-home', ...env },
    isTty: false,
    ...extra,
  }, { scryptCost: TEST_SCRYPT });
  return { code, stdout, stderr };
}

/**
 * A fresh temp folder with a data folder in it, and the simulator's appliance added there as profile
 * "lab" through `xet profile add` (pinned, password on stdin), as a user would set it up.
 */
export async function cliLabProfile(sim: Simulator, vault: string): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = tempDir();
  const env = { XET_DATA_DIR: path.join(dir, 'data'), XET_VAULT_PASSPHRASE: vault };
  const add = await xet(
    ['profile', 'add', '--name', 'lab', '--kind', 'esa', '--host', '127.0.0.1', '--region', 'eu', '--https-port', String(sim.httpsPort), '--http-port', String(sim.httpPort), '--username', sim.username, '--pin-sha256', sim.pinnedSha256, '--password-stdin'],
    env,
    `${sim.password}\n`,
  );
  expect(add.code).toBe(0);
  return { dir, env };
}
