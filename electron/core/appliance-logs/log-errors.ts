/** Why one log file could not be taken: a stable code (the UI says it in its language) and English detail. */
export const logFileProblems = ['empty', 'binary', 'not-a-log', 'invalid-utf8', 'gzip-cut', 'gzip-broken', 'size-mismatch', 'download-failed', 'foreign-url', 'read-failed', 'total-cap'] as const;
export type LogFileProblem = (typeof logFileProblems)[number];

export class LogFileError extends Error {
  constructor(
    readonly problem: LogFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'LogFileError';
  }
}
