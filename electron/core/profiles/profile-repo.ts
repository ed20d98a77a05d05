import type { Database, Statement } from 'better-sqlite3';
import type { ProfileFields } from '../../contract/profiles.js';

export interface ProfileRow {
  id: string;
  name: string;
  name_key: string;
  kind: ProfileFields['kind'];
  host: string;
  region: ProfileFields['region'];
  https_port: number;
  https_enabled: number;
  http_port: number;
  http_enabled: number;
  username: string;
  cluster: string | null;
  notes: string;
  trust_mode: 'system' | 'pin' | 'ca';
  trust_sha256: string | null;
  trust_ca_pem: string | null;
  xdr_client_id: string | null;
  created_at: string;
  updated_at: string;
  password_stored: number;
  xdr_secret_stored: number;
}

/** Case-insensitive identity of a profile name (Unicode-aware, so "ÄRGER" equals "ärger"). */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase('und').normalize('NFKC');
}

const COLUMNS = `p.id, p.name, p.name_key, p.kind, p.host, p.region, p.https_port, p.https_enabled, p.http_port, p.http_enabled,
  p.username, p.cluster, p.notes, p.trust_mode, p.trust_sha256, p.trust_ca_pem, p.xdr_client_id, p.created_at, p.updated_at,
  EXISTS (SELECT 1 FROM secrets s WHERE s.profile_id = p.id AND s.kind = 'api-password') AS password_stored,
  EXISTS (SELECT 1 FROM secrets s WHERE s.profile_id = p.id AND s.kind = 'xdr-client-secret') AS xdr_secret_stored`;

type Params = Omit<ProfileRow, 'password_stored' | 'xdr_secret_stored'>;

/** SQL for profiles and nothing else: prepared once, parameters bound, never concatenated. */
export class ProfileRepo {
  private readonly all: Statement<[], ProfileRow>;
  private readonly byId: Statement<[string], ProfileRow>;
  private readonly byKey: Statement<[string], ProfileRow>;
  private readonly insertStmt: Statement<Params>;
  private readonly updateStmt: Statement<Params>;
  private readonly deleteStmt: Statement<[string]>;
  private readonly countStmt: Statement<[], { n: number }>;

  constructor(readonly db: Database) {
    this.all = db.prepare(`SELECT ${COLUMNS} FROM profiles p`);
    this.byId = db.prepare(`SELECT ${COLUMNS} FROM profiles p WHERE p.id = ?`);
    this.byKey = db.prepare(`SELECT ${COLUMNS} FROM profiles p WHERE p.name_key = ?`);
    const cols = 'id, name, name_key, kind, host, region, https_port, https_enabled, http_port, http_enabled, username, cluster, notes, trust_mode, trust_sha256, trust_ca_pem, xdr_client_id, created_at, updated_at';
    this.insertStmt = db.prepare(`INSERT INTO profiles (${cols}) VALUES (${cols.split(', ').map((c) => `@${c}`).join(', ')})`);
    this.updateStmt = db.prepare(
      `UPDATE profiles SET ${cols
        .split(', ')
        .filter((c) => c !== 'id' && c !== 'created_at')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE id = @id`,
    );
    this.deleteStmt = db.prepare('DELETE FROM profiles WHERE id = ?');
    this.countStmt = db.prepare('SELECT count(*) AS n FROM profiles');
  }

  list(): ProfileRow[] {
    return this.all.all();
  }

  get(id: string): ProfileRow | undefined {
    return this.byId.get(id);
  }

  findByName(name: string): ProfileRow | undefined {
    return this.byKey.get(nameKey(name));
  }

  insert(row: Params): void {
    this.insertStmt.run(row);
  }

  update(row: Params): number {
    return this.updateStmt.run(row).changes;
  }

  delete(id: string): number {
    return this.deleteStmt.run(id).changes;
  }

  count(): number {
    return this.countStmt.get()!.n;
  }
}
