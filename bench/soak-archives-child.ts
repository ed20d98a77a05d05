import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { peakRssOf } from './harness.js';
import { samplePoint, soakCore, type SoakPoint } from './soak-sampling.js';

/**
 * Support archives in a row in one process, as the web host builds them: one core, the HAR imported
 * once (har.importPath, as an upload or the desktop dialog does), then `archive.create` through the
 * dispatcher into the data folder's temp area, password and certificate in turn, each archive read
 * back whole (as a download does) and removed with `archive.remove` before the sample.
 *   soak-archives-child.ts HAR CERT.pem COUNT
 * Prints one JSON line: { points, ms, bytes, peakRssBytes }.
 */
const [har, certFile, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);
const PASSWORD = 'soak-Archive-Heron-4417';

const { core, dataDir } = soakCore('soak-archives');
const profileId = core.profiles.create(
  { name: 'soak', kind: 'esa', host: 'esa01.corp.example', region: 'eu', httpsPort: 6443, httpsEnabled: true, httpPort: 6080, httpEnabled: false, username: 'admin', cluster: null, notes: '', trust: { mode: 'system' } },
  'BenchAppliancePass42',
).id;
const harId = (await core.har.importPath(har)).id;
const pem = fs.readFileSync(certFile, 'utf8');

async function readWhole(file: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) bytes += (chunk as Buffer).length;
  return bytes;
}

const points: SoakPoint[] = [await samplePoint(0)];
const bytes: number[] = [];
const t0 = performance.now();
for (let i = 1; i <= count; i++) {
  const encryption = i % 2 === 1 ? { mode: 'password', password: PASSWORD } : { mode: 'certificate', certificates: [{ name: 'soak.pem', pem }] };
  const built = await core.dispatcher.dispatch('archive.create', { profileId, harIds: [harId], caseNumber: `6990${String(i).padStart(5, '0')}`, encryption });
  if (!built.ok) throw new Error(`archive.create ${i}: ${built.error.code} ${built.error.message}`);
  const { id } = built.value as { id: string };
  const file = core.archive.file(id);
  if ((await readWhole(file.path)) !== file.bytes) throw new Error(`archive ${i}: read back a different size`);
  bytes.push(file.bytes);
  const removed = await core.dispatcher.dispatch('archive.remove', { id });
  if (!removed.ok) throw new Error(`archive.remove ${i}: ${removed.error.code}`);
  points.push(await samplePoint(i));
}
const ms = performance.now() - t0;
core.close();
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(JSON.stringify({ points, ms, bytes, peakRssBytes: peakRssOf(process.pid) ?? null }));
