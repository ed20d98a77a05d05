import BetterSqlite3 from 'better-sqlite3';
import { loadMigrations, migrate } from '../../../electron/core/store/migrator.js';

describe('0005-xdr-client', () => {
  it('adds the XDR API client ID; profiles stored before it have none, and an empty ID is refused', () => {
    const d = new BetterSqlite3(':memory:');
    const all = loadMigrations();
    const at = all.findIndex((m) => m.name === '0005-xdr-client.sql');
    migrate(d, all.slice(0, at));
    const insert = (id: string, extra = '', value = '') =>
      d
        .prepare(
          `INSERT INTO profiles (id, name, name_key, kind, host, region, https_port, https_enabled, http_port, http_enabled, username, cluster, notes, trust_mode, created_at, updated_at${extra})
           VALUES ('${id}', '${id}', '${id}', 'esa', 'h', 'eu', 6443, 1, 6080, 1, 'u', NULL, '', 'system', 'now', 'now'${value})`,
        )
        .run();
    insert('old');
    migrate(d, all.slice(0, at + 1));
    expect(d.prepare("SELECT xdr_client_id FROM profiles WHERE id = 'old'").get()).toEqual({ xdr_client_id: null });
    insert('new', ', xdr_client_id', ", 'client-01'");
    expect(d.prepare("SELECT xdr_client_id FROM profiles WHERE id = 'new'").get()).toEqual({ xdr_client_id: 'client-01' });
    expect(() => d.prepare("UPDATE profiles SET xdr_client_id = '' WHERE id = 'new'").run()).toThrow(/CHECK constraint/);
  });
});
