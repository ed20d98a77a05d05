import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { generateHar, PLANTED } from '../../../bench/har-generate.js';
import { filesBelow } from '../../support/archive.js';
import { testCore } from '../../support/core.js';
import { secretForms } from '../../support/har.js';
import { tempDir } from '../../support/temp.js';

const VAULT = 'correct horse battery staple';
const STORED = 'Stored-Appliance-Pw-6630';
const CHILD = path.resolve(import.meta.dirname, '../../fixtures/archive/build-child.ts');

function partials(dir: string): string[] {
  return fs.existsSync(dir) ? filesBelow(dir).filter((f) => f.endsWith('.xet-partial')) : [];
}

describe('crash safety of the support archive', () => {
  it('SIGKILL mid-build leaves no file under a final name and no plaintext; the next start removes the partial and the database is intact', async () => {
    const dataDir = tempDir();
    const first = testCore({ dataDir, vaultPassphrase: VAULT });
    const created = await first.dispatcher.dispatch('profiles.create', { profile: { name: 'lab', kind: 'esa', host: 'esa1.corp.example', region: 'eu', username: 'admin' }, password: STORED });
    expect(created.ok).toBe(true);
    first.close();
    const harFile = path.join(tempDir(), 'big.har');
    generateHar(harFile, 60 * 1024 * 1024, 7);

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, harFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const archives = path.join(dataDir, 'tmp', 'archives');
    const lines = readline.createInterface({ input: child.stdout });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let killedAt = -1;
    for await (const _line of lines) {
      const partial = partials(archives)[0];
      if (partial && fs.statSync(path.join(archives, partial)).size > 2 * 1024 * 1024) {
        killedAt = fs.statSync(path.join(archives, partial)).size;
        child.kill('SIGKILL');
        break;
      }
    }
    await exited;
    expect(killedAt, `the build never got going: ${stderr}`).toBeGreaterThan(0);

    // Only the temp file exists, never a finished name.
    const left = filesBelow(archives);
    expect(left.length).toBe(1);
    expect(left[0]).toMatch(/\/\.xet-support-[\w-]+\.zip\.[a-f0-9]{12}\.xet-partial$/);
    // Nothing in the data folder is plaintext of the capture or a secret.
    const needles = [...Object.values(PLANTED), STORED, VAULT].flatMap(secretForms).concat(['"startedDateTime"', '"entries"']);
    for (const rel of filesBelow(dataDir)) {
      const bytes = fs.readFileSync(path.join(dataDir, rel));
      for (const n of needles) expect(bytes.includes(Buffer.from(n)), `${rel} holds ${n}`).toBe(false);
    }

    // The next start (its clock past the ten-minute grace) sweeps the dead build; the database is intact.
    const later = testCore({ dataDir, vaultPassphrase: VAULT, clock: () => new Date(Date.now() + 11 * 60 * 1000) });
    try {
      expect(filesBelow(archives)).toEqual([]);
      expect(later.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(later.profiles.list().total).toBe(1);
    } finally {
      later.close();
    }
  }, 120_000);
});
