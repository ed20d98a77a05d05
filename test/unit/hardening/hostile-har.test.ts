import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeHarFile } from '../../../electron/core/har/har-analyze.js';
import { HarError } from '../../../electron/core/har/har-errors.js';
import { validateHar } from '../../../electron/core/har/har-import.js';
import { sanitizeHarFile } from '../../../electron/core/har/har-sanitize-file.js';
import { loadKnowledge, type Knowledge } from '../../../electron/core/knowledge/runbook.js';
import { defaultResourcesDir } from '../../../electron/core/paths.js';
import { STACK_LINE, xetChild } from '../../fixtures/hostile/cli-child.js';
import { baseHar, byteFlips, garbage, handmade, PLANTED_SECRET, truncations, type HostileHar } from '../../fixtures/hostile/har.js';
import { harSchemaErrors } from '../../support/har.js';
import { recordReliability } from '../../support/reliability.js';
import { tempDir } from '../../support/temp.js';

let knowledge: Knowledge;
let tried = 0;

beforeAll(() => {
  knowledge = loadKnowledge(defaultResourcesDir());
});

afterAll(() => {
  // Only a complete run records its figure: every file below was tried and held to its expectation.
  if (tried > 0) {
    recordReliability('hostile-har', {
      area: 'Hostile files',
      measure: 'broken or malicious HAR files read by validate, analyze and sanitize',
      value: tried,
      outcome: '0 crashes, every one a clear error or a valid copy; 0 files written outside the temp folder',
    });
  }
});

type Outcome = { ok: true } | { ok: false; error: unknown };

async function outcome(work: () => Promise<unknown>): Promise<Outcome> {
  try {
    await work();
    return { ok: true };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Feeds one file to validate, analyze and sanitize. A refusal must be a HarError naming the file
 * (and the expected kind and path), the same from all three; nothing may be left in the output
 * folder, the input folder must be unchanged, and a canary path beside them must not appear.
 */
async function tryHar(c: HostileHar, write: (file: string) => void = (file) => fs.writeFileSync(file, c.data), sanitize = true): Promise<'accepted' | 'refused'> {
  return (await tryHarError(c, write, sanitize)) === null ? 'accepted' : 'refused';
}

/** As `tryHar`; answers the refusal (null when accepted). */
async function tryHarError(c: HostileHar, write: (file: string) => void = (file) => fs.writeFileSync(file, c.data), sanitize = true): Promise<HarError | null> {
  const root = tempDir('xet-hostile-har-');
  const inDir = path.join(root, 'in');
  const outDir = path.join(root, 'out');
  fs.mkdirSync(inDir);
  fs.mkdirSync(outDir);
  const file = path.join(inDir, c.name);
  write(file);
  const before = fs.readdirSync(inDir);
  const out = path.join(outDir, 'clean.har');
  const results = [await outcome(() => validateHar(file)), await outcome(() => analyzeHarFile(file, { knowledge, region: null }))];
  // Sanitising writes (and fsyncs) a copy: the generated corpora run it on every accepted file and
  // on a fixed share of the refused ones, to keep the run short on a shared machine.
  if (sanitize || results[0]!.ok) results.push(await outcome(() => sanitizeHarFile(file, out)));
  tried++;
  const label = `${c.name}: ${results.map((r) => (r.ok ? 'ok' : String((r.error as Error).message).slice(0, 160))).join(' | ')}`;
  expect(results.every((r) => r.ok === results[0]!.ok), label).toBe(true);
  expect(fs.readdirSync(inDir), label).toEqual(before);
  expect(fs.existsSync(path.join(root, 'x')), label).toBe(false);
  expect(fs.readdirSync(root).sort(), label).toEqual(['in', 'out']);
  if (results[0]!.ok) {
    expect(c.expect, label).not.toBe('refused');
    expect(results, label).toHaveLength(3);
    // An accepted file gives a copy that is HAR 1.2, without the planted secret.
    const copy = fs.readFileSync(out, 'utf8');
    expect(harSchemaErrors(JSON.parse(copy)), label).toEqual([]);
    expect(copy, label).not.toContain(PLANTED_SECRET);
    expect(fs.readdirSync(outDir), label).toEqual(['clean.har']);
    return null;
  }
  expect(c.expect, label).not.toBe('accepted');
  for (const r of results) {
    const error = (r as { error: unknown }).error;
    expect(error, label).toBeInstanceOf(HarError);
    const e = error as HarError;
    expect(e.message.startsWith(`${c.name}: `), label).toBe(true);
    expect(e.message, label).not.toMatch(/undefined|\[object |NaN/);
    expect(e.message.length, label).toBeLessThan(400);
    if (c.kinds) expect(c.kinds, label).toContain(e.detail.kind);
    if (c.path) expect(e.detail.path, label).toBe(c.path);
    if (e.detail.offset !== undefined) expect(e.detail.offset, label).toBeLessThanOrEqual(c.data.length);
    expect(e.message, label).toBe((results[0] as { error: Error }).error.message);
  }
  expect(fs.readdirSync(outDir), label).toEqual([]);
  return (results[0] as { error: HarError }).error;
}

describe('hostile HAR files: generated corpus', () => {
  const text = baseHar();

  it('the base capture is accepted (so every refusal below is the damage, not the base)', async () => {
    expect(await tryHar({ name: 'base.har', data: Buffer.from(text), expect: 'accepted' })).toBe('accepted');
  });

  it('cut after every 13th byte and each of the first and last 40: refused as truncated, at the byte where it ends', { timeout: 120_000 }, async () => {
    const cases = truncations(text, 13);
    expect(cases.length).toBeGreaterThan(250);
    const whole = Buffer.from(text.trimEnd());
    for (const [i, c] of cases.entries()) {
      // A cut that only drops trailing white space leaves a complete file.
      if (c.data.length >= whole.length && c.data.subarray(0, whole.length).equals(whole)) {
        expect(await tryHar({ ...c, expect: 'accepted' })).toBe('accepted');
        continue;
      }
      const e = await tryHarError(c, undefined, i % 4 === 0);
      expect(e, c.name).not.toBeNull();
      if (e!.detail.kind === 'truncated') expect(e!.detail.offset, c.name).toBe(c.data.length);
    }
  });

  it('1–4 bytes overwritten at 300 places drawn from seed 20261128: each one read or refused, never a crash', { timeout: 120_000 }, async () => {
    const counts = { accepted: 0, refused: 0 };
    for (const [i, c] of byteFlips(text, 20261128, 300).entries()) counts[await tryHar(c, undefined, i % 4 === 0)]++;
    // Both outcomes occur, so neither branch of the checks is dead.
    expect(counts.refused).toBeGreaterThan(200);
    expect(counts.accepted).toBeGreaterThan(0);
  });

  it('random bytes (seed 7), alone or behind a JSON start: refused', { timeout: 60_000 }, async () => {
    for (const [i, c] of garbage(7, 150).entries()) expect(await tryHar(c, undefined, i % 4 === 0)).toBe('refused');
  });
});

describe('hostile HAR files: hand-made cases', () => {
  for (const c of handmade()) {
    it(`${c.name}: ${c.expect}${c.kinds ? ` (${c.kinds.join('/')})` : ''}`, async () => {
      expect(await tryHar(c)).toBe(c.expect);
    });
  }

  it('__proto__ keys stay data: kept in the copy, Object.prototype untouched', async () => {
    const c = handmade().find((h) => h.name === 'proto-in-entry.har')!;
    const dir = tempDir();
    const file = path.join(dir, c.name);
    fs.writeFileSync(file, c.data);
    await sanitizeHarFile(file, path.join(dir, 'out.har'));
    const copy = JSON.parse(fs.readFileSync(path.join(dir, 'out.har'), 'utf8')) as { log: { entries: Record<string, unknown>[] } };
    expect(Object.hasOwn(copy.log.entries[0]!, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a duplicate key shadowing a secret: the shadowed value never reaches the copy', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'dup.har');
    const text = baseHar().replace(`"value": "Bearer ${PLANTED_SECRET}"`, `"value": "Bearer ${PLANTED_SECRET}", "value": "harmless"`);
    expect(text).toContain('"harmless"');
    fs.writeFileSync(file, text);
    await sanitizeHarFile(file, path.join(dir, 'out.har'));
    expect(fs.readFileSync(path.join(dir, 'out.har'), 'utf8')).not.toContain(PLANTED_SECRET);
  });
});

describe('hostile HAR files: things that are not files', () => {
  it('a folder named like a capture', async () => {
    const c: HostileHar = { name: 'folder.har', data: Buffer.alloc(0), expect: 'refused', kinds: ['io'] };
    expect(await tryHar(c, (file) => fs.mkdirSync(file))).toBe('refused');
    expect((await validateHar(path.join(tempDir(), '..', path.basename(tempDir()))).catch((e: unknown) => e) as Error).message).toMatch(/: this is a folder, not a file$/);
  });

  it('a FIFO with no writer is refused at once instead of waiting forever', async () => {
    const c: HostileHar = { name: 'pipe.har', data: Buffer.alloc(0), expect: 'refused', kinds: ['io'] };
    const started = Date.now();
    expect(await tryHar(c, (file) => execFileSync('mkfifo', [file]))).toBe('refused');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('/dev/zero (endless) and /dev/null are refused as devices, not read', async () => {
    for (const device of ['/dev/zero', '/dev/null', '/dev/urandom']) {
      const e = (await validateHar(device).catch((error: unknown) => error)) as HarError;
      tried++;
      expect(e).toBeInstanceOf(HarError);
      expect(e.message).toBe(`${path.basename(device)}: this is not a regular file (a device, pipe or socket); save it to a file first`);
    }
  });

  it('a missing file and a symlink loop', async () => {
    const dir = tempDir();
    fs.symlinkSync(path.join(dir, 'loop.har'), path.join(dir, 'loop.har'));
    for (const [name, code] of [['missing.har', 'ENOENT'], ['loop.har', 'ELOOP']] as const) {
      const e = (await validateHar(path.join(dir, name)).catch((error: unknown) => error)) as HarError;
      tried++;
      expect(e).toBeInstanceOf(HarError);
      expect(e.message).toBe(`${name}: cannot open the file (${code})`);
    }
  });
});

describe('hostile HAR files through the real CLI (child process, built dist/)', () => {
  it('refusals exit 2 with the file named on stderr, no stack trace, nothing written', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const text = baseHar();
    const files: [string, (file: string) => void, RegExp][] = [
      ['cut.har', (f) => fs.writeFileSync(f, text.slice(0, 500)), /^xet: cut\.har: truncated: the file ends in the middle of entry 0 \(at log\.entries\[0\], entry 0, byte 500\)\n$/],
      ['deep.har', (f) => fs.writeFileSync(f, text.replace('"cache": {}', `"cache": ${'['.repeat(100_000)}`)), /^xet: deep\.har: nesting deeper than 1000 levels \(at log\.entries\[0\]\.cache.*, entry 0, byte \d+\)\n$/],
      ['folder.har', (f) => fs.mkdirSync(f), /^xet: folder\.har: this is a folder, not a file\n$/],
      ['pipe.har', (f) => execFileSync('mkfifo', [f]), /^xet: pipe\.har: this is not a regular file \(a device, pipe or socket\); save it to a file first\n$/],
      ['inf.har', (f) => fs.writeFileSync(f, text.replace('"time": 12.5', '"time": 1e999')), /^xet: inf\.har: must be a number \(found a number beyond JSON’s range\) \(at log\.entries\[0\]\.time, entry 0, byte \d+\)\n$/],
      ['bin.har', (f) => fs.writeFileSync(f, Buffer.from([0x00, 0xff, 0x13, 0x37])), /^xet: bin\.har: this is a binary file, not a HAR file \(byte 0x00 where JSON text should start\) \(byte 0\)\n$/],
    ];
    for (const [name, make, message] of files) {
      const input = path.join(dir, name);
      make(input);
      // Each child starts a whole Node and core: sanitize for every file, analyze for two.
      for (const args of [['har', 'sanitize', input, '-o', path.join(dir, 'out.har')], ...(name === 'cut.har' || name === 'pipe.har' ? [['har', 'analyze', input]] : [])]) {
        const r = await xetChild(args, { XET_DATA_DIR: path.join(dir, 'data') });
        tried++;
        expect(r.timedOut, `${name} ${args[1]}`).toBe(false);
        expect(r.code, `${name} ${args[1]}: ${r.stderr}`).toBe(2);
        expect(r.stderr, name).toMatch(message);
        expect(r.stderr).not.toMatch(STACK_LINE);
        expect(r.stdout).toBe('');
      }
    }
    expect(fs.readdirSync(dir).filter((f) => !files.some(([n]) => n === f) && f !== 'data')).toEqual([]);
  });
});
