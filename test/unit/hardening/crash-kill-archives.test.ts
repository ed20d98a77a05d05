import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateHar } from '../../../bench/har-generate.js';
import { isPartialName } from '../../../electron/core/archive/archive-output.js';
import { verifyArchive } from '../../../electron/core/archive/archive-reader.js';
import { filesBelow as below, sha256File as sha256 } from '../../support/archive.js';
import { killPoint, runAndKill } from '../../support/kill-child.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';
import { ARCHIVE_PASSWORD } from '../../fixtures/hardening/constants.js';
import { childConfig, labFolder, openAfterCrash } from './crash-check.js';

// One SIGKILL in the middle of a 60 MB build, with its plaintext checks, is test/unit/archive/crash-safety.test.ts;
// here many kills at every stage of small builds (start, compress, encrypt, rename, right after).
const CHILD = path.resolve(import.meta.dirname, '../../fixtures/hardening/writer-child.mjs');
const KILLS = 20;

const filesBelow = (dir: string): string[] => (fs.existsSync(dir) ? below(dir) : []);

describe('SIGKILL while support archives are written', () => {
  it(`${KILLS} kills at varied points: no half archive under a final name, reported ones whole, the next start sweeps the partials`, async () => {
    const dataDir = tempDir();
    await labFolder(dataDir);
    const har = path.join(tempDir(), 'capture.har');
    generateHar(har, 1024 * 1024, 11);
    const archives = path.join(dataDir, 'tmp', 'archives');
    const reported = new Map<string, string>();
    const verified = new Set<string>();
    let killed = 0;
    let partialsSeen = 0;
    for (let k = 0; k < KILLS; k++) {
      const { afterLines, delayMs } = killPoint(k, 2, 600);
      const child = await runAndKill(CHILD, [childConfig(dataDir, 'archives', { har, password: ARCHIVE_PASSWORD })], afterLines, delayMs);
      expect(child.signal, `kill ${k} did not land: ${child.stderr}`).toBe('SIGKILL');
      killed++;
      for (const line of child.lines) {
        const [, id, name, sum] = line.split(' ');
        reported.set(path.join(id!, name!), sum!);
      }
      for (const [rel, sum] of reported) expect(sha256(path.join(archives, rel)), `reported archive ${rel}`).toBe(sum);
      // Every file under a final name is a whole archive that opens and matches its manifest.
      for (const rel of filesBelow(archives)) {
        if (isPartialName(path.basename(rel))) {
          partialsSeen++;
          continue;
        }
        if (verified.has(rel)) continue;
        const result = await verifyArchive(path.join(archives, rel), { password: ARCHIVE_PASSWORD });
        expect(result.ok, `${rel} under its final name: ${result.problems.join('; ')}`).toBe(true);
        verified.add(rel);
      }
      openAfterCrash(dataDir).close();
    }
    expect(killed).toBe(KILLS);
    expect(reported.size, 'no build ever finished').toBeGreaterThan(0);
    expect(partialsSeen, 'no kill ever landed during a build').toBeGreaterThan(0);

    // The next start, past the ten-minute grace, removes what the dead builds left.
    const later = openAfterCrash(dataDir, () => new Date(Date.now() + 11 * 60 * 1000));
    try {
      expect(filesBelow(archives).filter((f) => isPartialName(path.basename(f)))).toEqual([]);
    } finally {
      later.close();
    }
    recordReliability('crash-kills-archives', {
      area: 'Crash and concurrency',
      measure: 'SIGKILLs of a process writing support archives, at varied points',
      value: killed,
      outcome: '0 half files under a final name, 0 reported archives lost or changed, 0 partials left after the next start',
    });
  }, 120_000);
});
