import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanLog } from '../../../electron/core/appliance-logs/log-cleaner.js';
import { LogCleaners, type CleanJob } from '../../../electron/core/appliance-logs/log-cleaners.js';
import { LogFileError } from '../../../electron/core/appliance-logs/log-errors.js';
import { hostKeywords, LogScrubber } from '../../../electron/core/appliance-logs/log-scrubber.js';
import { fileText, logHeader, logLine, plantedValues, SIM_SUBSCRIPTIONS } from '../../fixtures/simulator/appliance-logs.js';

// The worker threads run the built cleaner (`npm test` builds first): the same code the app and
// the CLI run. Each file's output must be byte for byte what cleaning it in this thread gives.
const BUILT = path.join(import.meta.dirname, '..', '..', '..', 'dist', 'electron', 'core', 'appliance-logs', 'log-clean-worker.js');

const o = { mode: 'healthy' as const, kind: 'esa' as const, username: 'admin', password: 'Sim-Passw0rd!', hostname: 'esa1.example.com', offsetSeconds: 3600, hugeBytes: 0, slowChunkMs: 0 };
const planted = plantedValues(o);
const key = randomBytes(32);
const scrub = { key, knownSecrets: [o.password], keywords: hostKeywords(['esa1.example.com']).concat('admin'), keepDomains: false };
const now = Date.UTC(2026, 11, 1, 12, 0, 0);
const HOUR = 3600_000;

async function* chunks(data: Buffer, size = 7919, seen?: { returned: boolean; read: number }): AsyncGenerator<Buffer> {
  try {
    for (let i = 0; i < data.length; i += size) {
      if (seen) seen.read += Math.min(size, data.length - i);
      // A fresh buffer per chunk, as a file or socket gives (a slice of a shared one is copied before it is handed over).
      yield i % 2 ? Buffer.from(data.subarray(i, i + size)) : data.subarray(i, i + size);
    }
  } finally {
    if (seen) seen.returned = true;
  }
}

async function viaPool(pool: LogCleaners, data: Buffer, job: Partial<CleanJob> = {}, seen?: { returned: boolean; read: number }) {
  const out: Buffer[] = [];
  const result = await pool.clean(chunks(data, 7919, seen), async (d) => void out.push(Buffer.from(d)), { scrub, window: null, capBytes: 1 << 30, ...job });
  return { result, bytes: Buffer.concat(out) };
}

async function inThread(data: Buffer, window: { from: number; to: number } | null = null, capBytes = 1 << 30) {
  const out: Buffer[] = [];
  const result = await cleanLog(chunks(data), async (d) => void out.push(d), { window, capBytes, scrubber: new LogScrubber(scrub) });
  return { result, bytes: Buffer.concat(out) };
}

describe('log cleaners on worker threads', () => {
  const pools: LogCleaners[] = [];
  const pool = (concurrency = 2) => {
    expect(fs.existsSync(BUILT), `${BUILT} (run npm run build first)`).toBe(true);
    const p = new LogCleaners(concurrency, pathToFileURL(BUILT));
    pools.push(p);
    return p;
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });
  const files = SIM_SUBSCRIPTIONS.map((s) => Buffer.from(fileText(s.name, { from: now - 30 * HOUR, to: now }, o)));

  it('cleans two files at once, each byte for byte as in this thread, one of them on a worker', async () => {
    const p = pool();
    expect(p.threaded).toBe(true);
    const window = { from: now - 24 * HOUR, to: now };
    for (let i = 0; i + 1 < files.length; i += 2) {
      const [a, b] = await Promise.all([viaPool(p, files[i]!, { window }), viaPool(p, zlib.gzipSync(files[i + 1]!), { window })]);
      const [ea, eb] = await Promise.all([inThread(files[i]!, window), inThread(zlib.gzipSync(files[i + 1]!), window)]);
      expect(a.bytes.equals(ea.bytes)).toBe(true);
      expect(b.bytes.equals(eb.bytes)).toBe(true);
      expect(a.result).toEqual(ea.result);
      expect(b.result).toEqual(eb.result);
      for (const v of [planted.password, planted.jwt, ...planted.addresses, ...planted.keyLines]) expect(b.bytes.toString()).not.toContain(v);
    }
    // The second of two at once went to a worker, which is kept for the next file.
    expect((p as unknown as { all: Set<unknown> }).all.size).toBe(1);
  });

  it("reports a file's own problem as in this thread and keeps the worker for the next file", async () => {
    const p = pool();
    const binary = Buffer.concat([Buffer.from(logHeader(now, o)), Buffer.from([0, 1, 2, 3])]);
    const [good, bad] = await Promise.allSettled([viaPool(p, files[0]!), viaPool(p, binary)]);
    expect(good.status).toBe('fulfilled');
    expect(bad.status).toBe('rejected');
    const error = (bad as PromiseRejectedResult).reason as LogFileError;
    expect(error).toBeInstanceOf(LogFileError);
    const expected = (await inThread(binary).catch((e: unknown) => e)) as LogFileError;
    expect([error.problem, error.message]).toEqual([expected.problem, expected.message]);
    const [, next] = await Promise.all([viaPool(p, files[1]!), viaPool(p, files[2]!)]);
    expect(next.bytes.equals((await inThread(files[2]!)).bytes)).toBe(true);
  });

  it('stops reading the source when the cap is reached on the worker', async () => {
    const p = pool();
    const big = Buffer.from(`${logHeader(now, o)}${Array.from({ length: 40_000 }, (_, i) => logLine('api_logs', now, i, o)).join('\n')}\n`);
    const seen = { returned: false, read: 0 };
    const [, capped] = await Promise.all([viaPool(p, files[0]!), viaPool(p, big, { capBytes: 64 * 1024 }, seen)]);
    expect(capped.result.capped).toBe(true);
    expect(capped.bytes.length).toBeLessThanOrEqual(64 * 1024);
    expect(capped.bytes.equals((await inThread(big, null, 64 * 1024)).bytes)).toBe(true);
    expect(seen.returned).toBe(true);
    expect(seen.read).toBeLessThan(big.length / 4);
  });

  it('gives back the error of a source that fails, and an abort ends the worker at once', async () => {
    const p = pool();
    async function* failing(): AsyncGenerator<Buffer> {
      yield files[0]!.subarray(0, 5000);
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    }
    const hold = viaPool(p, files[1]!);
    const failed = await p.clean(failing(), async () => undefined, { scrub, window: null, capBytes: 1 << 30 }).catch((e: unknown) => e);
    await hold;
    expect((failed as NodeJS.ErrnoException).code).toBe('ECONNRESET');

    const controller = new AbortController();
    async function* endless(): AsyncGenerator<Buffer> {
      yield Buffer.from(logHeader(now, o));
      for (let i = 0; ; i++) {
        if (i === 50) controller.abort(new Error('cancelled by the user'));
        yield Buffer.from(`${logLine('api_logs', now, i, o)}\n`);
        await new Promise((r) => setImmediate(r));
      }
    }
    const hold2 = viaPool(p, files[1]!);
    const aborted = await p.clean(endless(), async () => undefined, { scrub, window: null, capBytes: 1 << 30, signal: controller.signal }).catch((e: unknown) => e);
    await hold2;
    expect((aborted as Error).message).toBe('cancelled by the user');
    // The aborted worker is gone; the pool starts another for the next file.
    const [, again] = await Promise.all([viaPool(p, files[2]!), viaPool(p, files[3]!)]);
    expect(again.bytes.equals((await inThread(files[3]!)).bytes)).toBe(true);
  });

  it('cleans in this thread alone when asked for one at a time, or when no worker can start', async () => {
    const one = pool(1);
    expect(one.threaded).toBe(false);
    const none = new LogCleaners(2, pathToFileURL(path.join(path.dirname(BUILT), 'no-such-worker.js')));
    pools.push(none);
    const [a, b] = await Promise.all([viaPool(none, files[0]!), viaPool(none, files[1]!)]);
    expect(none.threaded).toBe(false);
    expect(a.bytes.equals((await inThread(files[0]!)).bytes)).toBe(true);
    expect(b.bytes.equals((await inThread(files[1]!)).bytes)).toBe(true);
  });
});
