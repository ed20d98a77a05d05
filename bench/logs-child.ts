import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { collectLogs } from '../electron/core/appliance-logs/log-collector.js';
import { loadLogCatalog } from '../electron/core/appliance-logs/log-catalog.js';
import { LogsService } from '../electron/core/appliance-logs/logs-service.js';
import { buildArchive } from '../electron/core/archive/archive-builder.js';
import { loadKnowledge } from '../electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../electron/core/paths.js';
import { peakRssOf } from './harness.js';

/**
 * One password archive of appliance log files in its own process (its peak RSS is its own):
 *   OUT PASSWORD FILE…  — each file cleaned (window, scrub with the archive key) into an encrypted
 *                          spool, then into the AES-256 zip.
 * Prints one JSON line: { ms, peakRssBytes, bytes, outputBytes }.
 */
const [output, password, ...files] = process.argv.slice(2) as [string, string, ...string[]];
const started = performance.now();
const profile = {
  id: 'bench', name: 'bench', kind: 'esa', host: 'esa1.example.com', region: 'eu', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: false,
  username: 'admin', cluster: null, notes: '', trust: { mode: 'system' } as never, passwordStored: true, createdAt: '', updatedAt: '',
} as const;
const key = randomBytes(32);
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-spool-'));
const collected = await collectLogs(loadLogCatalog(defaultResourcesDir()), {
  profile: profile as never,
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
  profile: profile as never,
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
console.log(JSON.stringify({ ms, collectMs: collectedAt - started, peakRssBytes: peakRssOf(process.pid) ?? process.resourceUsage().maxRSS * 1024, bytes: result.bytes, outputBytes: collected.files.reduce((n, f) => n + f.result.outputBytes, 0) }));
