-- Appliance profiles, the credential vault's wrapped data keys, and encrypted secrets.
CREATE TABLE profiles (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  -- Case-insensitive uniqueness: the service stores the name's Unicode case fold here.
  name_key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('esa', 'sma', 'ces')),
  host TEXT NOT NULL,
  region TEXT NOT NULL CHECK (region IN ('nam', 'eu', 'apjc')),
  https_port INTEGER NOT NULL CHECK (https_port BETWEEN 1 AND 65535),
  https_enabled INTEGER NOT NULL CHECK (https_enabled IN (0, 1)),
  http_port INTEGER NOT NULL CHECK (http_port BETWEEN 1 AND 65535),
  http_enabled INTEGER NOT NULL CHECK (http_enabled IN (0, 1)),
  username TEXT NOT NULL,
  cluster TEXT,
  notes TEXT NOT NULL,
  trust_mode TEXT NOT NULL CHECK (trust_mode IN ('system', 'pin', 'ca')),
  trust_sha256 TEXT CHECK (trust_sha256 IS NULL OR length(trust_sha256) = 64),
  trust_ca_pem TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((trust_mode = 'system' AND trust_sha256 IS NULL AND trust_ca_pem IS NULL)
      OR (trust_mode = 'pin' AND trust_sha256 IS NOT NULL AND trust_ca_pem IS NULL)
      OR (trust_mode = 'ca' AND trust_ca_pem IS NOT NULL))
) STRICT;

-- The vault's data key, wrapped once per unlock method (passphrase, OS keychain).
CREATE TABLE vault_keys (
  method TEXT PRIMARY KEY NOT NULL CHECK (method IN ('passphrase', 'safe-storage')),
  format INTEGER NOT NULL,
  params TEXT NOT NULL CHECK (json_valid(params)),
  wrapped BLOB NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

-- Secrets, AES-256-GCM under the data key, bound to their profile and kind by the AAD.
CREATE TABLE secrets (
  profile_id TEXT NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('api-password', 'xdr-client-secret', 'cxd-token')),
  format INTEGER NOT NULL,
  iv BLOB NOT NULL,
  tag BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (profile_id, kind)
) STRICT;
