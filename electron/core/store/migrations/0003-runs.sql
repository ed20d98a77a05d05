-- Check runs with their per-check results and findings. A run outlives its profile unless the user
-- deletes the history with it: profile_id becomes NULL and the copied name/kind/region stay.
CREATE TABLE runs (
  id TEXT PRIMARY KEY NOT NULL,
  profile_id TEXT REFERENCES profiles (id) ON DELETE SET NULL,
  profile_name TEXT NOT NULL,
  profile_kind TEXT NOT NULL CHECK (profile_kind IN ('esa', 'sma', 'ces')),
  region TEXT NOT NULL CHECK (region IN ('nam', 'eu', 'apjc')),
  state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'cancelled')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  duration_ms INTEGER,
  worst_severity TEXT CHECK (worst_severity IS NULL OR worst_severity IN ('critical', 'error', 'warning', 'info')),
  -- Denormalised for the run list (one indexed query, no joins): status counts and finding codes in order.
  counts TEXT NOT NULL CHECK (json_valid(counts)),
  finding_codes TEXT NOT NULL CHECK (json_valid(finding_codes)),
  -- Context for the report: answers to manual steps, endpoints, proxy (never credentials).
  context TEXT NOT NULL CHECK (json_valid(context))
) STRICT;

-- "Latest runs of this profile" is the History page's query: one index serves it.
CREATE INDEX runs_by_profile ON runs (profile_id, started_at DESC);
CREATE INDEX runs_by_start ON runs (started_at DESC);

CREATE TABLE run_checks (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  check_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'warn', 'skip', 'needs-input', 'error')),
  outcome TEXT,
  duration_ms INTEGER NOT NULL,
  summary TEXT NOT NULL CHECK (json_valid(summary)),
  evidence TEXT NOT NULL CHECK (json_valid(evidence)),
  -- The findings this check raised, with their parameters, so answers can re-evaluate a stored run.
  raised TEXT NOT NULL CHECK (json_valid(raised)),
  PRIMARY KEY (run_id, check_id)
) STRICT;

CREATE TABLE run_findings (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  ordinal INTEGER NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('critical', 'error', 'warning', 'info')),
  finding TEXT NOT NULL CHECK (json_valid(finding)),
  PRIMARY KEY (run_id, code)
) STRICT;
