// One `archive.upload` in its own process, so its peak RSS (VmHWM) is its own. Plain JavaScript
// against the built core in dist/ (npm run bench builds first): tsx's compiler would add ~45 MB of
// its own to the figure.   FILE ENDPOINTS CASE TOKEN → one JSON line { ms, peakRssBytes, status }
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readEndpointsFile } from '../dist/electron/core/checks/endpoints.js';
import { createCore } from '../dist/electron/core/core.js';
import { MemoryLogger } from '../dist/electron/core/logging/logger.js';
import { peakRss } from './peak-rss.mjs';

const [file, endpoints, caseNumber, token] = process.argv.slice(2);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-upload-data-'));
const core = createCore({ dataDir, transport: 'cli', secretBackend: { kind: 'passphrase', detail: 'bench', available: true }, defaultSettings: { language: 'en', theme: 'system', proxy: null }, logger: new MemoryLogger(), env: {} });
const started = performance.now();
const r = await core.dispatcher.call('archive.upload', { caseNumber, token }, { files: [file], endpoints: readEndpointsFile(endpoints) });
const ms = performance.now() - started;
core.close();
fs.rmSync(dataDir, { recursive: true, force: true });
if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
console.log(JSON.stringify({ ms, peakRssBytes: peakRss(), status: r.value.uploads[0]?.httpStatus ?? null }));
