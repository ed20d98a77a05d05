import { runCli } from '../../electron/cli/program.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `xet` in-process with captured output and the given environment. */
export async function xet(args: string[], env: Record<string, string | undefined> = {}, stdin = ''): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: async () => stdin,
    env: { HOME: '/nonexistent-home', ...env },
    isTty: false,
  });
  return { code, stdout, stderr };
}
