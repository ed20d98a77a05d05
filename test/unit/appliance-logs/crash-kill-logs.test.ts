import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../fixtures/simulator/simulator.js';
import { fileText, plantedValues } from '../../fixtures/simulator/appliance-logs.js';
import { filesBelow, leaksBelow } from '../../support/archive.js';
import { testCore } from '../../support/core.js';
import { runAndKill } from '../../support/kill-child.js';
import { tempDir } from '../../support/temp.js';

const CHILD = path.resolve(import.meta.dirname, '../../fixtures/hardening/logs-child.mjs');
const VAULT = 'kill logs vault passphrase';

let sim: Simulator;
beforeAll(async () => {
  // Slow downloads: the kills land while files are being fetched, cleaned and spooled.
  sim = await startSimulator({ logsMode: 'logs-slow' });
}, 30_000);
afterAll(async () => sim?.close());

describe('SIGKILL during appliance log collection', () => {
  it('leaves no plaintext of any collected or imported log in the data folder; the next start sweeps the dead spools', async () => {
    const dataDir = tempDir();
    const o = { mode: 'healthy' as const, kind: 'esa' as const, username: sim.username, password: sim.password, hostname: sim.hostname, offsetSeconds: 3600, hugeBytes: 0, slowChunkMs: 0 };
    // The hand import lives outside the data folder (the user's own file); only what the app writes is checked.
    const logFile = path.join(tempDir(), 'mail.@20261201T000000.s');
    fs.writeFileSync(logFile, fileText('mail_logs', { from: Date.now() - 3 * 3600_000, to: Date.now() }, o));
    const config = JSON.stringify({ dataDir, vault: VAULT, port: sim.httpsPort, pin: sim.pinnedSha256, user: sim.username, password: sim.password, archivePassword: 'kill-Logs-Heron-4471-x', logFile });
    const v = plantedValues(o);
    const markers = ['CTR: heartbeat', 'sse_connectord: retrying', 'MID 1000 ICID', 'Begin Logfile', 'Time offset from UTC'];
    const spoolRoot = path.join(dataDir, 'tmp', 'appliance-logs');
    let progressed = 0;
    // Four planned kill points, spread over a collection; then, if the last one happened to land between
    // two collections (nothing spooled), more kills at the moment a file is being cleaned, so the sweep
    // below always has a dead process's spool to remove. A child's start sweeps the previous one's.
    for (let k = 0; k < 8; k++) {
      const planned = k < 4;
      const child = await runAndKill(CHILD, [config], planned ? 2 + k * 3 : 1, planned ? 50 * k : 0);
      expect(child.signal, child.stderr).toBe('SIGKILL');
      progressed += child.lines.filter((l) => l.startsWith('progress ')).length;
      expect(leaksBelow(dataDir, [v.password, v.jwt, v.basic, ...v.addresses, ...v.keyLines, ...markers]), `after kill ${k}`).toEqual([]);
      const spooled = filesBelow(spoolRoot).length > 0;
      if (k >= 3 && spooled) break;
    }
    expect(progressed).toBeGreaterThan(0);
    expect(filesBelow(spoolRoot).length, 'no kill landed while spooling').toBeGreaterThan(0);
    const core = testCore({ dataDir, vaultPassphrase: VAULT });
    try {
      expect(filesBelow(spoolRoot).filter((f) => !f.startsWith(`${process.pid}-`))).toEqual([]);
    } finally {
      core.close();
    }
  }, 120_000);
});
