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

/** Parameters of a translated message (`{name}` placeholders in the catalogue). */
export type MessageParams = Record<string, string | number>;

export interface ContractError {
  code: ErrorCode;
  /** The message in English: for logs, scripts and any edge without the catalogue. */
  message: string;
  /** Dotted path of the offending request field, when one is to blame. */
  field?: string;
  /**
   * Catalogue key (`errors.…` in resources/i18n/<lang>.json; the CLI's own refusals `cli.…`) and its
   * parameters: each edge (renderer, menu, CLI) shows the message in its own language from these;
   * `message` is the English rendering.
   */
  key?: string;
  params?: MessageParams;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, field?: string, text?: { key: string; params?: MessageParams | undefined }): Result<never> {
  const error: ContractError = { code, message };
  if (field !== undefined) error.field = field;
  if (text) {
    error.key = text.key;
    if (text.params && Object.keys(text.params).length > 0) error.params = text.params;
  }
  return { ok: false, error };
}
