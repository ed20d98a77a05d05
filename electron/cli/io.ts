import type { ContractError, MessageParams } from '../contract/result.js';
import { englishText } from '../core/errors.js';

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

/**
 * A usage or input error the user can fix (exit 2): a `cli.usage.…` message of the catalogue and
 * its parameters, shown in the CLI's language; `message` is its English text (for --json and logs).
 * There is no constructor taking text, so every refusal has its German beside its English.
 */
export class UsageError extends Error {
  private constructor(
    readonly key: `cli.usage.${string}`,
    readonly params: MessageParams | undefined,
    readonly field: string | undefined,
  ) {
    super(englishText(key, params));
    this.name = 'UsageError';
  }

  static of(key: `cli.usage.${string}`, params?: MessageParams, field?: string): UsageError {
    return new UsageError(key, params, field);
  }

  /** As the contract's error document: printed like a dispatcher refusal, same JSON shape. */
  toContractError(): ContractError {
    return { code: 'INVALID_REQUEST', message: this.message, ...(this.field ? { field: this.field } : {}), key: this.key, ...(this.params ? { params: this.params } : {}) };
  }
}
