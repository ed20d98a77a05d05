import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/core/store/database.js';
import type { Core } from '../../../electron/core/core.js';
import { xetProcess, type CliProcessRun } from '../../support/cli-process.js';
import { sampleProfile, testCore, TEST_SCRYPT } from '../../support/core.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';
import { startWebHostProcess, type RunningHost } from '../../support/web-host-process.js';
import { VAULT } from '../../fixtures/hardening/constants.js';

const CLI_WORKERS = 3;
const CLI_ROUNDS = 2;
const WEB_ROUNDS = 8;
const LOCKED = /database is locked|SQLITE_BUSY|busy/i;

function reopen(dataDir: string): Core {
  return testCore({ dataDir, vaultPassphrase: VAULT, scryptCost: TEST_SCRYPT });
}

async function api(host: RunningHost, command: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const res = await fetch(new URL(`/api/${command}`, host.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` },
    body: JSON.stringify(payload),
  });
  return (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

describe('the CLI and the web host on one data folder at once', () => {
  it('a transaction takes the write lock when it begins (IMMEDIATE), so a read-then-write cannot fail on a write made in between', () => {
    const file = path.join(tempDir(), 'xet.sqlite');
    const app = openDatabase(file);
    const cli = openDatabase(file, { busyTimeoutMs: 50 });
    try {
      const sneak = cli.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 'now')");
      const read = app.prepare('SELECT count(*) AS n FROM settings');
      const write = app.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('language', '\"de\"', 'now')");
      // Deferred, the other connection's write would land between the read and the write and the
      // write would fail with SQLITE_BUSY_SNAPSHOT at once; here the other connection waits instead.
      app.transaction(() => {
        read.get();
        expect(() => sneak.run()).toThrow(/locked|busy/i);
        write.run();
      })();
      sneak.run();
      expect((read.get() as { n: number }).n).toBe(2);
    } finally {
      cli.close();
      app.close();
    }
  });

  it('CLI processes add and edit profiles and secrets while the web host saves profiles, secrets and settings: no lock errors, no lost write', async () => {
    const dataDir = tempDir();
    reopen(dataDir).close();
    const host = await startWebHostProcess(dataDir, { XET_VAULT_PASSPHRASE: VAULT });
    const failures: string[] = [];
    let writes = 0;
    const cli = async (args: string[], stdin?: string) => {
      const r: CliProcessRun = await xetProcess(['--data-dir', dataDir, '--json', ...args], { env: { XET_VAULT_PASSPHRASE: VAULT }, ...(stdin !== undefined ? { stdin } : {}) });
      if (r.code !== 0) failures.push(`xet ${args.join(' ')} → ${r.code}: ${r.stderr.trim()}`);
      else writes++;
    };
    const web = async (command: string, payload: unknown) => {
      const r = await api(host, command, payload);
      if (!r.ok) failures.push(`${command} → ${r.error?.code}: ${r.error?.message}`);
      else writes++;
      return r.value as { id: string } | undefined;
    };
    try {
      const cliWorker = async (w: number) => {
        for (let i = 0; i < CLI_ROUNDS; i++) {
          const name = `cli-${w}-${i}`;
          await cli(['profile', 'add', '--name', name, '--kind', 'esa', '--host', `esa-${w}-${i}.corp.example`, '--region', 'eu', '--password-stdin'], `pw-${name}`);
          await cli(['profile', 'edit', name, '--notes', `edited-${name}`]);
          await cli(['secret', 'set', name, '--kind', 'cxd-token'], `token-${name}`);
        }
      };
      const webWorker = async () => {
        for (let i = 0; i < WEB_ROUNDS; i++) {
          const name = `web-${i}`;
          const created = await web('profiles.create', { profile: { ...sampleProfile, name, host: `web-${i}.corp.example` }, password: `pw-${name}` });
          if (created) {
            await web('profiles.update', { id: created.id, profile: { ...sampleProfile, name, host: `web-${i}.corp.example`, notes: `edited-${name}` } });
            await web('secrets.set', { profileId: created.id, kind: 'cxd-token', value: `token-${name}` });
          }
          await web('settings.set', { theme: i % 2 === 0 ? 'dark' : 'light', language: i % 2 === 0 ? 'de' : 'en' });
        }
      };
      await Promise.all([...Array.from({ length: CLI_WORKERS }, (_, w) => cliWorker(w)), webWorker()]);
    } finally {
      await host.stop();
    }
    expect(failures.filter((f) => LOCKED.test(f)), 'lock errors reached the user').toEqual([]);
    expect(failures).toEqual([]);

    const core = reopen(dataDir);
    try {
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
      const names = [
        ...Array.from({ length: CLI_WORKERS * CLI_ROUNDS }, (_, n) => `cli-${Math.floor(n / CLI_ROUNDS)}-${n % CLI_ROUNDS}`),
        ...Array.from({ length: WEB_ROUNDS }, (_, i) => `web-${i}`),
      ];
      for (const name of names) {
        const p = core.profiles.resolve(name);
        expect(p.notes, name).toBe(`edited-${name}`);
        expect(core.secrets.reveal(p.id, 'api-password'), name).toBe(`pw-${name}`);
        expect(core.secrets.reveal(p.id, 'cxd-token'), name).toBe(`token-${name}`);
      }
      expect(core.profiles.list().total).toBe(names.length);
      // The web host's last settings write is the one that stays (no CLI process wrote settings).
      expect(core.settings.get()).toMatchObject({ theme: 'light', language: 'en' });
    } finally {
      core.close();
    }
    const planned = CLI_WORKERS * CLI_ROUNDS * 3 + WEB_ROUNDS * 4;
    expect(writes).toBe(planned);
    recordReliability('concurrency-writes', {
      area: 'Crash and concurrency',
      measure: 'writes by CLI processes and the web host on one data folder at the same time',
      value: planned,
      outcome: '0 "database is locked" errors, 0 failed commands, 0 lost writes',
    });
  }, 240_000);

  it('CLI processes started at once on a fresh data folder all succeed: one creates the database and the vault, the others use them', async () => {
    const dataDir = tempDir();
    const names = ['first', 'second', 'third'];
    const runs = await Promise.all(
      names.map((name) =>
        xetProcess(['--data-dir', dataDir, '--json', 'profile', 'add', '--name', name, '--kind', 'esa', '--host', `${name}.corp.example`, '--region', 'eu', '--password-stdin'], {
          env: { XET_VAULT_PASSPHRASE: VAULT },
          stdin: `pw-${name}`,
        }),
      ),
    );
    expect(runs.map((r) => `${r.code} ${r.stderr.trim()}`)).toEqual(names.map(() => '0 '));
    const core = reopen(dataDir);
    try {
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const name of names) expect(core.secrets.reveal(core.profiles.resolve(name).id, 'api-password')).toBe(`pw-${name}`);
    } finally {
      core.close();
    }
  }, 120_000);
});
