-- Support archives sent to TAC cases (CXD): one row per file and try, never the token.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY NOT NULL,
  case_number TEXT NOT NULL,
  file_name TEXT NOT NULL,
  bytes INTEGER NOT NULL CHECK (bytes >= 0),
  sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  attempts INTEGER NOT NULL CHECK (attempts >= 0),
  http_status INTEGER,
  outcome TEXT NOT NULL CHECK (outcome IN ('uploaded', 'refused', 'failed', 'cancelled')),
  error_key TEXT
) STRICT;
CREATE INDEX uploads_by_case_file ON uploads (case_number, file_name);
CREATE INDEX uploads_by_time ON uploads (finished_at);

-- Secrets that belong to a TAC case rather than a profile (the CXD upload token), AES-256-GCM under
-- the vault's data key like `secrets`, bound to their case and kind by the AAD.
CREATE TABLE case_secrets (
  case_number TEXT NOT NULL CHECK (length(case_number) BETWEEN 1 AND 32),
  kind TEXT NOT NULL CHECK (kind IN ('cxd-token')),
  format INTEGER NOT NULL,
  iv BLOB NOT NULL,
  tag BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (case_number, kind)
) STRICT;
