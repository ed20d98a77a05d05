import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectLogs } from '../dist/electron/core/appliance-logs/log-collector.js';
import { loadLogCatalog } from '../dist/electron/core/appliance-logs/log-catalog.js';
import { LogsService } from '../dist/electron/core/appliance-logs/logs-service.js';
import { buildArchive } from '../dist/electron/core/archive/archive-builder.js';
import { loadKnowledge } from '../dist/electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../dist/electron/core/paths.js';
import { peakRss } from './peak-rss.mjs';

// Plain JavaScript against the built core in dist/ (npm run bench builds first), as the app and the
// CLI run it, log-cleaning worker thread included: tsx's compiler would add ~55 MB of its own.
/**
 * One password archive of appliance log files in its own process (its peak RSS, workers included, is its own):
 *   OUT PASSWORD FILE…  — each file cleaned (window, scrub with the archive key) into an encrypted
 *                          spool, then into the AES-256 zip.
 * Prints one JSON line: { ms, peakRssBytes, bytes, outputBytes }.
 */
const [output, password, ...files] = process.argv.slice(2);
const started = performance.now();
const profile = {
  id: 'bench', name: 'bench', kind: 'esa', host: 'esa1.example.com', region: 'eu', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: false,
  username: 'admin', cluster: null, notes: '', trust: { mode: 'system' }, passwordStored: true, createdAt: '', updatedAt: '',
};
const key = randomBytes(32);
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-spool-'));
const collected = await collectLogs(loadLogCatalog(defaultResourcesDir()), {
  profile,
  basic: null,
  subscriptions: [],
  window: { from: 0, to: Date.now() + 86_400_000 },
  imports: files.map((f) => LogsService.fileSource(f)),
  perFileBytes: 1024 ** 3,
  totalBytes: 8 * 1024 ** 3,
  key,
  knownSecrets: ['Sim-Passw0rd!'],
  keywords: ['esa1.example.com', 'admin'],
  includeHostnames: false,
  keepDomains: false,
  spoolDir,
});
if (collected.problems.length) throw new Error(JSON.stringify(collected.problems));
const collectedAt = performance.now();
const result = await buildArchive({
  target: output,
  encryption: { mode: 'password', password },
  profile,
  includeHostnames: false,
  runs: [],
  hars: [],
  knownSecrets: ['Sim-Passw0rd!'],
  logsDir: null,
  knowledge: loadKnowledge(defaultResourcesDir()),
  tool: { name: 'bench', version: '0' },
  now: new Date(),
  key,
  applianceLogs: collected,
});
fs.rmSync(spoolDir, { recursive: true, force: true });
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, collectMs: collectedAt - started, peakRssBytes: peakRss(), bytes: result.bytes, outputBytes: collected.files.reduce((n, f) => n + f.result.outputBytes, 0) }));
