/** What a CLI run may touch; tests pass buffers, `main.ts` passes the real process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  /** Whether standard input is a terminal (secrets are then never read from it). */
  isTty: boolean;
  /** Asks on the terminal; absent when there is none (scripts, CI). */
  prompt?: (question: string) => Promise<string>;
  /** Asks on the terminal without echo, for passphrases. */
  promptHidden?: (question: string) => Promise<string>;
}

export const EXIT = {
  /** Success. */
  OK: 0,
  /** The command ran and found problems (check failures, findings of severity error or worse). */
  FINDINGS: 1,
  /** Usage or input error: bad flag, bad file, invalid value, unknown profile. */
  USAGE: 2,
} as const;

export class UsageError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
