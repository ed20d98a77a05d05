import { spawn } from 'node:child_process';
import readline from 'node:readline';

export interface KilledChild {
  /** Every line the child printed, including those still in the pipe when it died. */
  lines: string[];
  /** The signal that ended it: 'SIGKILL' when the test's kill did. */
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Starts `node SCRIPT ARGS`, waits for "ready" and then for `afterLines` more lines,
 * waits `delayMs` more, and SIGKILLs it: nothing in the child gets a chance to clean up or commit.
 */
export async function runAndKill(script: string, args: string[], afterLines: number, delayMs: number): Promise<KilledChild> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const lines: string[] = [];
  let ready = false;
  let armed = false;
  const rl = readline.createInterface({ input: child.stdout });
  const done = new Promise<void>((resolve) => rl.once('close', resolve));
  rl.on('line', (line) => {
    if (line === 'ready') ready = true;
    else lines.push(line);
    if (ready && !armed && lines.length >= afterLines) {
      armed = true;
      if (delayMs === 0) child.kill('SIGKILL');
      else setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  const signal = await exited;
  await done;
  return { lines, signal, stderr };
}

/** The k-th of `total` planned kill points: a number of reported writes and a delay, spread evenly. */
export function killPoint(k: number, maxLines: number, maxDelayMs: number): { afterLines: number; delayMs: number } {
  return { afterLines: (k * 7) % (maxLines + 1), delayMs: Math.round(((k * 13) % 20) * (maxDelayMs / 19)) };
}
