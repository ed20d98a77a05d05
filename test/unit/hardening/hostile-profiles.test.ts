import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ProfileInput } from '../../../electron/contract/profiles.js';
import { STACK_LINE, xetChild } from '../../fixtures/hostile/cli-child.js';
import { exportDoc, GOOD_ENTRY, handmadeProfiles, mutatedEntries, PLANTED_IMPORT_SECRET } from '../../fixtures/hostile/profiles.js';
import { sampleProfile, testCore } from '../../support/core.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';

let tried = 0;

afterAll(() => {
  if (tried > 0) {
    recordReliability('hostile-profile-import', {
      area: 'Hostile files',
      measure: 'broken or malicious profile import files',
      value: tried,
      outcome: '0 crashes; each stored whole or refused with the file or the entry and field named, every table unchanged after a refusal',
    });
  }
});

/** Every table's rows, in order: the database "exactly as before" is this, compared whole. */
function snapshot(db: Database): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[];
  return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
}

function coreWithProfiles() {
  const core = testCore();
  core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'Existing-A' }));
  core.profiles.create(ProfileInput.parse({ ...sampleProfile, name: 'existing-b', kind: 'ces', host: 'ces.example.com' }));
  return core;
}

type ImportAnswer = { ok: true; value: { imported: { id: string; name: string }[]; rejected: { index: number; name: string | null; field: string | null; message: string }[] } } | { ok: false; error: { code: string; message: string; field?: string } };

describe('hostile profile import files: refused whole or entry by entry, the database untouched', () => {
  const core = coreWithProfiles();
  afterAll(() => core.close());

  for (const c of handmadeProfiles()) {
    it(c.name, async () => {
      const before = snapshot(core.db);
      const answer = (await core.dispatcher.dispatch('profiles.import', { content: String(c.content), fileName: 'f.json' })) as ImportAnswer;
      tried++;
      expect(snapshot(core.db)).toBe(before);
      if (c.field) {
        expect(answer.ok).toBe(true);
        const value = (answer as Extract<ImportAnswer, { ok: true }>).value;
        expect(value.imported).toEqual([]);
        const rejection = value.rejected.find((r) => r.field === c.field);
        expect(rejection, JSON.stringify(value.rejected).slice(0, 300)).toBeDefined();
        expect(rejection!.message).toMatch(c.message);
        // What the list shows back is short and holds no control or direction character.
        for (const r of value.rejected) {
          // eslint-disable-next-line no-control-regex
          expect(`${r.name ?? ''}${r.message}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
          expect((r.name ?? '').length).toBeLessThan(120);
          expect(r.message.length).toBeLessThan(300);
        }
      } else {
        expect(answer.ok, JSON.stringify(answer).slice(0, 300)).toBe(false);
        const error = (answer as Extract<ImportAnswer, { ok: false }>).error;
        expect(error.code).toBe('INVALID_REQUEST');
        expect(error.message).toMatch(c.message);
        expect(error.message.length).toBeLessThan(300);
      }
      expect(JSON.stringify(answer)).not.toContain(PLANTED_IMPORT_SECRET);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('the export cut after every 7th character: refused as invalid JSON, nothing stored', async () => {
    const text = exportDoc([GOOD_ENTRY, { ...GOOD_ENTRY, name: 'Gerät-ü', notes: 'Zeile 1\nZeile 2' }]);
    const before = snapshot(core.db);
    let cuts = 0;
    for (let at = 0; at < text.length - 1; at += 7) {
      const answer = (await core.dispatcher.dispatch('profiles.import', { content: text.slice(0, at), fileName: 'cut.json' })) as ImportAnswer;
      tried++;
      cuts++;
      expect(answer.ok, `cut at ${at}`).toBe(false);
      expect((answer as Extract<ImportAnswer, { ok: false }>).error.message, `cut at ${at}`).toMatch(/^cut\.json: (the file is empty|not valid JSON at the end, line \d+ \(truncated\?\))$/);
    }
    expect(cuts).toBeGreaterThan(30);
    expect(snapshot(core.db)).toBe(before);
  });

  it('one field of one entry replaced by 300 values drawn from seed 424242: all three entries stored, or none', { timeout: 60_000 }, async () => {
    let stored = 0;
    let refused = 0;
    for (const content of mutatedEntries(424242, 300)) {
      const before = snapshot(core.db);
      const count = core.profiles.repo.count();
      const answer = (await core.dispatcher.dispatch('profiles.import', { content, fileName: 'm.json' })) as ImportAnswer;
      tried++;
      expect(answer.ok).toBe(true);
      const value = (answer as Extract<ImportAnswer, { ok: true }>).value;
      if (value.rejected.length > 0) {
        refused++;
        expect(value.imported).toEqual([]);
        expect(snapshot(core.db)).toBe(before);
        expect(value.rejected.every((r) => r.field?.startsWith('profiles[1]'))).toBe(true);
      } else {
        stored++;
        expect(value.imported.map((p) => p.name)).toEqual(expect.arrayContaining(['imported-1', 'imported-3']));
        expect(value.imported).toHaveLength(3);
        expect(core.profiles.repo.count()).toBe(count + 3);
        // Back to the two stored profiles for the next file.
        for (const p of value.imported) core.profiles.delete(p.id);
      }
    }
    expect(refused).toBeGreaterThan(100);
    expect(stored).toBeGreaterThan(5);
  });

  it('more than 16 MiB of content is refused at the boundary, naming the field', async () => {
    const before = snapshot(core.db);
    const answer = (await core.dispatcher.dispatch('profiles.import', { content: exportDoc([{ ...GOOD_ENTRY, notes: 'n'.repeat(16 * 1024 * 1024) }]), fileName: 'big.json' })) as ImportAnswer;
    tried++;
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'content' } });
    expect(snapshot(core.db)).toBe(before);
  });
});

describe('hostile profile import files through the real CLI (child process, built dist/)', () => {
  it('exit 2, the file and the entry named on stderr, no stack trace, the database unchanged', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const data = path.join(dir, 'data');
    const env = { XET_DATA_DIR: data };
    expect((await xetChild(['profile', 'add', '--name', 'Existing-A', '--kind', 'esa', '--host', 'esa1.example.com', '--region', 'eu'], env)).code).toBe(0);
    const list = async () => (await xetChild(['profile', 'list', '--json'], env)).stdout;
    const before = await list();
    expect(before).toContain('Existing-A');
    const files: [string, string | Buffer | null, RegExp][] = [
      ['cut.json', exportDoc([GOOD_ENTRY]).slice(0, 50), /^xet: .*cut\.json: not valid JSON at the end, line \d+ \(truncated\?\)\n$/],
      ['latin1.json', Buffer.from(exportDoc([{ ...GOOD_ENTRY, name: 'Gerät' }]), 'latin1'), /^xet: .*latin1\.json: not UTF-8 text \(byte \d+\); profile exports are UTF-8 JSON\n$/],
      ['rtl.json', exportDoc([{ ...GOOD_ENTRY, name: 'lab\u202Egnp.exe' }]), /^.*rtl\.json: nothing imported; 1 entry was rejected:\n {2}profiles\[0\]\.name \("lab\\u202egnp\.exe"\): Name contains text-direction control characters/],
      ['escape.json', exportDoc([{ ...GOOD_ENTRY, name: `\u001b[2J\u001b]0;owned\u0007${'x'.repeat(200_000)}` }]), /^.*escape\.json: nothing imported; 1 entry was rejected:\n {2}profiles\[0\]\.name \("\\u001b\[2J\\u001b\]0;owned\\u0007x+… \(200014 characters\)"\): Name can be at most 64 characters\n$/],
      ['secret.json', exportDoc([{ ...GOOD_ENTRY, password: PLANTED_IMPORT_SECRET }]), /^.*secret\.json: nothing imported; 1 entry was rejected:\n {2}profiles\[0\]\.password \("imported-1"\): field "password" is not allowed\n$/],
      ['huge.json', Buffer.alloc(17 * 1024 * 1024, 0x20), /^xet: .*huge\.json: the file is too large \(17825792 bytes; at most 16777216 are read\)\n$/],
      ['folder.json', null, /^xet: .*folder\.json: this is a folder, not a file\n$/],
    ];
    for (const [name, content, message] of files) {
      const file = path.join(dir, name);
      if (content === null) fs.mkdirSync(file);
      else fs.writeFileSync(file, content);
      const r = await xetChild(['profile', 'import', file], env);
      tried++;
      expect(r.timedOut, name).toBe(false);
      expect(r.code, `${name}: ${r.stderr.slice(0, 300)}`).toBe(2);
      expect(r.stderr, name).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stderr + r.stdout).not.toContain(PLANTED_IMPORT_SECRET);
      // eslint-disable-next-line no-control-regex
      expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    }
    expect(await list()).toBe(before);
  });
});
