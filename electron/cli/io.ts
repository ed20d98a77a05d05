/** What a CLI run may touch; tests pass buffers, `main.ts` passes the real process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
  isTty: boolean;
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
