import type { CliIo } from '../../electron/cli/io.js';
import { runCli } from '../../electron/cli/program.js';
import { TEST_SCRYPT } from './core.js';

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
