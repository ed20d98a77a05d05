import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCore, TEST_SCRYPT } from '../../support/core.js';
import { killPoint, runAndKill } from '../../support/kill-child.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';
import { THEMES, VAULT } from '../../fixtures/hardening/constants.js';
import { childConfig, openAfterCrash } from './crash-check.js';

const CHILD = path.resolve(import.meta.dirname, '../../fixtures/hardening/writer-child.mjs');
const KILLS = 20;

describe('SIGKILL during profile saves', () => {
  it(`${KILLS} kills at varied points: the database stays intact and every reported save is there`, async () => {
    const dataDir = tempDir();
    testCore({ dataDir, vaultPassphrase: VAULT, scryptCost: TEST_SCRYPT }).close();
    const created = new Set<string>();
    const edited = new Map<string, string>();
    let unreported = 0;
    let killed = 0;
    for (let k = 0; k < KILLS; k++) {
      const { afterLines, delayMs } = killPoint(k, 12, 40);
      const child = await runAndKill(CHILD, [childConfig(dataDir, 'profiles')], afterLines, delayMs);
      expect(child.signal, `kill ${k} did not land: ${child.stderr}`).toBe('SIGKILL');
      killed++;
      let lastTheme: string | null = null;
      for (const line of child.lines) {
        const [what, a, b] = line.split(' ');
        if (what === 'created') created.add(a!);
        else if (what === 'edited') edited.set(a!, b!);
        else if (what === 'settings') lastTheme = a!;
      }

      const core = openAfterCrash(dataDir);
      try {
        const profiles = core.profiles.list().profiles.filter((p) => p.name !== 'lab');
        const names = new Set(profiles.map((p) => p.name));
        for (const name of created) expect(names.has(name), `kill ${k}: reported save of ${name} is lost`).toBe(true);
        // The write in flight at the kill is all there or not at all: a profile never lacks the password saved with it.
        for (const p of profiles) {
          expect(core.secrets.reveal(p.id, 'api-password'), `kill ${k}: ${p.name} lost its password`).toBe(`pw-${p.name}`);
          if (edited.has(p.name)) expect(p.notes).toBe(edited.get(p.name));
          else expect(['new', `edited-${p.name}`]).toContain(p.notes);
        }
        // At most the one write in flight at each kill may have committed without being reported.
        const nowUnreported = profiles.length - created.size;
        expect(nowUnreported - unreported).toBeLessThanOrEqual(1);
        unreported = nowUnreported;
        if (lastTheme) {
          const next = THEMES[(THEMES.indexOf(lastTheme as (typeof THEMES)[number]) + 1) % THEMES.length];
          expect([lastTheme, next]).toContain(core.settings.get().theme);
        }
      } finally {
        core.close();
      }
    }
    expect(killed).toBe(KILLS);
    expect(created.size, 'the children never got to save anything').toBeGreaterThan(KILLS);
    recordReliability('crash-kills-profiles', {
      area: 'Crash and concurrency',
      measure: 'SIGKILLs of a process saving profiles, secrets and settings, at varied points',
      value: killed,
      outcome: '0 integrity_check failures, 0 foreign key violations, 0 lost commits, 0 torn saves',
    });
  }, 90_000);
});
