import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface RunningHost {
  child: ChildProcess;
  url: string;
  launchUrl: string;
  port: number;
  token: string;
  /** What the host wrote to stderr so far (for failure messages). */
  stderr: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the built web host (`dist/`) as its own process, exactly as `npm run web` does;
 * `extraArgs` adds options such as `--endpoints FILE`.
 */
export async function startWebHostProcess(dataDir: string, env: Record<string, string> = {}, extraArgs: string[] = []): Promise<RunningHost> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'electron', 'web', 'main.js'), '--json', '--data-dir', dataDir, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      rl.close();
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}: ${stderr}`)));
  });
  const info = JSON.parse(first) as { url: string; launchUrl: string; port: number };
  return {
    child,
    ...info,
    token: new URL(info.launchUrl).searchParams.get('token') ?? '',
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
