import type { Database, Statement } from 'better-sqlite3';
import type { UploadRecord } from '../../contract/upload.js';

interface Row {
  id: string;
  case_number: string;
  file_name: string;
  bytes: number;
  sha256: string | null;
  started_at: string;
  finished_at: string;
  attempts: number;
  http_status: number | null;
  outcome: UploadRecord['outcome'];
  error_key: string | null;
}

const toRecord = (r: Row): UploadRecord => ({
  id: r.id,
  caseNumber: r.case_number,
  fileName: r.file_name,
  bytes: r.bytes,
  sha256: r.sha256,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  attempts: r.attempts,
  httpStatus: r.http_status,
  outcome: r.outcome,
  errorKey: r.error_key,
});

/** The record of what went to which case: name, size, SHA-256, time, attempts, status. Never a token. */
export class UploadRepo {
  private readonly insertStmt: Statement<Row>;
  private readonly listAll: Statement<[number], Row>;
  private readonly listCase: Statement<[string, number], Row>;
  private readonly uploaded: Statement<[string, string, number], Row>;

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      `INSERT INTO uploads (id, case_number, file_name, bytes, sha256, started_at, finished_at, attempts, http_status, outcome, error_key)
       VALUES (@id, @case_number, @file_name, @bytes, @sha256, @started_at, @finished_at, @attempts, @http_status, @outcome, @error_key)`,
    );
    this.listAll = db.prepare('SELECT * FROM uploads ORDER BY finished_at DESC, rowid DESC LIMIT ?');
    this.listCase = db.prepare('SELECT * FROM uploads WHERE case_number = ? ORDER BY finished_at DESC, rowid DESC LIMIT ?');
    this.uploaded = db.prepare("SELECT * FROM uploads WHERE case_number = ? AND file_name = ? AND bytes = ? AND outcome = 'uploaded' ORDER BY finished_at DESC LIMIT 1");
  }

  insert(record: UploadRecord): UploadRecord {
    this.insertStmt.run({
      id: record.id,
      case_number: record.caseNumber,
      file_name: record.fileName,
      bytes: record.bytes,
      sha256: record.sha256,
      started_at: record.startedAt,
      finished_at: record.finishedAt,
      attempts: record.attempts,
      http_status: record.httpStatus,
      outcome: record.outcome,
      error_key: record.errorKey,
    });
    return record;
  }

  list(caseNumber: string | undefined, limit: number): UploadRecord[] {
    return (caseNumber ? this.listCase.all(caseNumber, limit) : this.listAll.all(limit)).map(toRecord);
  }

  /** The last successful upload of this file (name and size) to this case, if any. */
  previous(caseNumber: string, fileName: string, bytes: number): UploadRecord | null {
    const row = this.uploaded.get(caseNumber, fileName, bytes);
    return row ? toRecord(row) : null;
  }
}
