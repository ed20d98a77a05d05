import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { killPoint, runAndKill } from '../../support/kill-child.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';
import { MANUAL_ANSWERS } from '../../fixtures/hardening/constants.js';
import { childConfig, labFolder, openAfterCrash } from './crash-check.js';

const CHILD = path.resolve(import.meta.dirname, '../../fixtures/hardening/writer-child.mjs');
const KILLS = 20;
const CHECKS = Object.keys(MANUAL_ANSWERS).length;

describe('SIGKILL while check runs are stored', () => {
  it(`${KILLS} kills at varied points: every reported run is stored whole, none half`, async () => {
    const dataDir = tempDir();
    await labFolder(dataDir);
    const reported = new Set<string>();
    let killed = 0;
    for (let k = 0; k < KILLS; k++) {
      const { afterLines, delayMs } = killPoint(k, 30, 25);
      const child = await runAndKill(CHILD, [childConfig(dataDir, 'runs')], afterLines, delayMs);
      expect(child.signal, `kill ${k} did not land: ${child.stderr}`).toBe('SIGKILL');
      killed++;
      for (const line of child.lines) reported.add(line.split(' ')[1]!);

      const core = openAfterCrash(dataDir);
      try {
        for (const id of reported) {
          const run = core.checks.get(id);
          expect(run.state, `kill ${k}: reported run ${id}`).toBe('completed');
          expect(run.checks.length).toBe(CHECKS);
        }
        // Whatever the kill interrupted is either complete or an empty run the next start marked cancelled.
        const rows = core.db.prepare('SELECT r.id, r.state, (SELECT count(*) FROM run_checks c WHERE c.run_id = r.id) AS n FROM runs r').all() as { id: string; state: string; n: number }[];
        for (const row of rows) {
          if (row.state === 'completed') expect(row.n, `run ${row.id} stored in part`).toBe(CHECKS);
          else expect(row).toMatchObject({ state: 'cancelled', n: 0 });
        }
        expect(rows.filter((r) => r.state === 'running')).toEqual([]);
      } finally {
        core.close();
      }
    }
    expect(killed).toBe(KILLS);
    expect(reported.size, 'the children never stored a run').toBeGreaterThan(KILLS);
    recordReliability('crash-kills-runs', {
      area: 'Crash and concurrency',
      measure: 'SIGKILLs of a process storing check runs, at varied points',
      value: killed,
      outcome: '0 integrity_check failures, 0 foreign key violations, 0 lost runs, 0 runs stored in part',
    });
  }, 90_000);
});
