import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ProfileInput } from '../../electron/contract/profiles.js';
import type { Core } from '../../electron/core/core.js';
import { benchCore } from '../bench-core.js';
import { MemoryLogger } from '../../electron/core/logging/logger.js';
import { PassphraseWrapper } from '../../electron/core/secrets/passphrase-wrapper.js';
import type { Benchmark } from '../harness.js';

const COUNT = 10_000;
let core: Core | undefined;
let dataDir = '';


async function setup(): Promise<void> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-profiles-'));
  core = benchCore(dataDir, { logger: new MemoryLogger() });
  const c = core;
  c.db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      c.profiles.insert(
        `id-${i}`,
        ProfileInput.parse({
          name: `esa-${String(i).padStart(5, '0')}`,
          kind: i % 7 === 0 ? 'ces' : 'esa',
          host: `esa${i}.site${i % 50}.example.com`,
          region: (['nam', 'eu', 'apjc'] as const)[i % 3],
          username: `svc-${i % 13}`,
          cluster: i % 4 === 0 ? `cluster-${i % 40}` : null,
          notes: i % 10 === 0 ? `rack ${i % 97}` : '',
        }),
      );
    }
  })();
}

async function teardown(): Promise<void> {
  core?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** One `profiles.list` through the dispatcher, as the UI and CLI call it. */
async function timeList(request: object): Promise<number> {
  const t0 = performance.now();
  const r = await core!.dispatcher.dispatch('profiles.list', request);
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(r.error.message);
  return ms;
}

export const profilesList: Benchmark = {
  name: 'profiles-list-10k',
  description: `profiles.list of ${COUNT.toLocaleString('en')} profiles through the dispatcher (sorted, full objects)`,
  unit: 'ms',
  target: { max: 250 },
  defaultRuns: 15,
  setup,
  teardown,
  sample: async () => ({ value: await timeList({}), peakRssBytes: process.memoryUsage().rss }),
};

export const profilesSearch: Benchmark = {
  name: 'profiles-search-10k',
  description: `profiles.list with a query (name, host, cluster, user, notes) over ${COUNT.toLocaleString('en')} profiles`,
  unit: 'ms',
  target: { max: 100 },
  defaultRuns: 15,
  setup,
  teardown,
  sample: async () => ({ value: await timeList({ query: 'site7.' }), peakRssBytes: process.memoryUsage().rss }),
};

/** Unlocking with the production scrypt cost (N=2^17, r=8): what a user waits for once per start. */
export const vaultUnlock: Benchmark = {
  name: 'vault-unlock',
  description: 'Open the vault with its passphrase (scrypt N=2^17, r=8, p=1 → AES-256-GCM unwrap)',
  unit: 'ms',
  target: { max: 1500, min: 100 },
  defaultRuns: 5,
  async sample() {
    const passphrase = 'bench vault passphrase';
    const key = Buffer.alloc(32, 1);
    const { params, wrapped } = new PassphraseWrapper(passphrase).wrap(key);
    const t0 = performance.now();
    const back = new PassphraseWrapper(passphrase).unwrap(params, wrapped);
    const ms = performance.now() - t0;
    if (!back.equals(key)) throw new Error('vault unlock returned the wrong key');
    return { value: ms, peakRssBytes: process.memoryUsage().rss };
  },
};
