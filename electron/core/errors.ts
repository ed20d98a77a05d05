import type { ErrorCode } from '../contract/result.js';

/** An expected failure with a stable code; its message is safe to show to the user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }
}
