import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildArchive } from '../dist/electron/core/archive/archive-builder.js';
import { ArchiveOutput } from '../dist/electron/core/archive/archive-output.js';
import { ZipStream } from '../dist/electron/core/archive/zip-stream.js';
import { loadRecipients } from '../dist/electron/core/archive/recipient-cert.js';
import { loadKnowledge } from '../dist/electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../dist/electron/core/paths.js';
import { peakRss } from './peak-rss.mjs';

// Plain JavaScript against the built core in dist/ (npm run bench builds first), as the app and the
// CLI run it: under tsx the same archive measured ~60 MB more peak RSS (its compiler) and 3-9 % slower.
/**
 * One support archive built in its own process, so its peak RSS (VmHWM) is its own:
 *   password IN OUT PASSWORD      — AES-256 zip of the HAR, sanitised on the way in
 *   certificate IN OUT CERT.pem   — CMS EnvelopedData around the zip
 *   container IN OUT CERT.pem     — only the container: the raw file zipped into the CMS envelope, for reference
 * Prints one JSON line: { ms, peakRssBytes, bytes }.
 */
const [mode, input, output, extra] = process.argv.slice(2);
const started = performance.now();

async function containerOnly() {
  const out = await ArchiveOutput.open(output, { recipients: loadRecipients([{ label: 'cert.pem', data: fs.readFileSync(extra) }]) });
  const zip = new ZipStream(out, { password: null, modified: new Date() });
  await zip.addStream('capture.har', async (write) => {
    for await (const chunk of fs.createReadStream(input, { highWaterMark: 512 * 1024 })) await write(chunk);
  });
  await zip.close();
  return out.commit();
}

const result = mode === 'container' ? await containerOnly() : await buildArchive({
  target: output,
  encryption: mode === 'password' ? { mode: 'password', password: extra } : { mode: 'certificate', recipients: loadRecipients([{ label: 'cert.pem', data: fs.readFileSync(extra) }]) },
  profile: {
    id: 'bench', name: 'bench', kind: 'esa', host: 'esa01.corp.example', region: 'eu', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: false,
    username: 'admin', cluster: null, notes: '', trust: { mode: 'system' }, passwordStored: true, xdrClientId: null, xdrClientSecretStored: false, createdAt: '', updatedAt: '',
  },
  includeHostnames: false,
  runs: [],
  hars: [{ path: input, keywords: [], keepBodies: false }],
  knownSecrets: ['BenchAppliancePass42'],
  logsDir: null,
  knowledge: loadKnowledge(defaultResourcesDir()),
  tool: { name: 'bench', version: '0' },
  now: new Date(),
});
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, peakRssBytes: peakRss(), bytes: result.bytes }));
