/**
 * The answer shape of every command, on every transport. Error codes are stable:
 * the UI, the CLI and scripts branch on them, so never rename one.
 */
export const errorCodes = [
  'UNKNOWN_COMMAND',
  'INVALID_REQUEST',
  'NOT_FOUND',
  'CONFLICT',
  'UNAVAILABLE',
  'LOCKED',
  'BAD_PASSPHRASE',
  'FORBIDDEN',
  'UNAUTHORIZED',
  'TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface ContractError {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending request field, when one is to blame. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, field?: string): Result<never> {
  return field === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, field } };
}
