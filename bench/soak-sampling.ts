import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Core, CoreOptions } from '../electron/core/core.js';
import { benchCore } from './bench-core.js';
import { median } from './harness.js';

/**
 * Soak measurements: the same work many times in one process, sampled as it goes. A leak shows as a
 * curve that keeps climbing after warm-up; a flat one is the target.
 */
export interface SoakPoint {
  /** Runs (or archives) finished when the sample was taken; 0 is the baseline after setup. */
  n: number;
  rssMB: number;
  heapMB: number;
  fds: number;
}

export interface Flatness {
  rssMB: number;
  heapMB: number;
  fds: number;
}

/** The targets of every soak: no descriptor left behind, memory within a few MB of where it settled. */
export const SOAK_TARGETS = { rssMB: 5, heapMB: 5, fds: 1 } as const;

const MB = 2 ** 20;

/** Open file descriptors of this process (Linux /proc); the directory read itself holds one, in every count alike. */
export function openFds(): number {
  return fs.readdirSync('/proc/self/fd').length;
}

/**
 * RSS and heap after a forced full GC (node --expose-gc), and open descriptors. A socket destroyed
 * a moment ago is closed a turn or two of the event loop later: that short wait is not a leak's hiding place.
 */
export async function samplePoint(n: number): Promise<SoakPoint> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('a soak samples after a forced GC: run it with node --expose-gc');
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  gc();
  const m = process.memoryUsage();
  return { n, rssMB: m.rss / MB, heapMB: m.heapUsed / MB, fds: openFds() };
}

/** Median of the last quarter minus median of the second (the first is warm-up), baseline excluded. */
export function flatness(points: SoakPoint[]): Flatness {
  const measured = points.filter((p) => p.n > 0);
  const q = Math.floor(measured.length / 4);
  if (q < 1) throw new Error(`a flatness needs at least 4 samples after the baseline, got ${measured.length}`);
  const second = measured.slice(q, 2 * q);
  const last = measured.slice(measured.length - q);
  const growth = (pick: (p: SoakPoint) => number) => median(last.map(pick)) - median(second.map(pick));
  return { rssMB: growth((p) => p.rssMB), heapMB: growth((p) => p.heapMB), fds: growth((p) => p.fds) };
}

export function flat(f: Flatness): boolean {
  return f.rssMB <= SOAK_TARGETS.rssMB && f.heapMB <= SOAK_TARGETS.heapMB && Math.abs(f.fds) <= SOAK_TARGETS.fds;
}

const BARS = '▁▂▃▄▅▆▇█';

function sparkline(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return values.map((v) => BARS[hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]).join('');
}

const signed = (n: number, digits: number) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;

/** The curve (one row per sample, sparklines over min–max) and the flatness against the targets. */
export function soakReport(points: SoakPoint[], what: string): string {
  const f = flatness(points);
  const rows = points.map((p) => `    ${String(p.n).padStart(5)}  ${p.rssMB.toFixed(1).padStart(7)}  ${p.heapMB.toFixed(1).padStart(7)}  ${String(p.fds).padStart(4)}`);
  const line = (label: string, values: number[], digits: number) => `    ${label.padEnd(7)} ${sparkline(values)}  ${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)}`;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'NO');
  return [
    `    ${what.padStart(5)}   RSS MB  heap MB   fds`,
    ...rows,
    line('RSS MB', points.map((p) => p.rssMB), 1),
    line('heap MB', points.map((p) => p.heapMB), 1),
    line('fds', points.map((p) => p.fds), 0),
    `    flatness (median of the last quarter − median of the second): RSS ${signed(f.rssMB, 2)} MB (≤ ${SOAK_TARGETS.rssMB}) ${verdict(f.rssMB <= SOAK_TARGETS.rssMB)}` +
      ` · heap ${signed(f.heapMB, 2)} MB (≤ ${SOAK_TARGETS.heapMB}) ${verdict(f.heapMB <= SOAK_TARGETS.heapMB)}` +
      ` · fds ${signed(f.fds, 1)} (±${SOAK_TARGETS.fds}) ${verdict(Math.abs(f.fds) <= SOAK_TARGETS.fds)}`,
  ].join('\n');
}

/** The core a soak child runs, as the web host builds it, in a fresh data folder (the child removes it). */
export function soakCore(name: string, extra: Partial<CoreOptions> = {}): { core: Core; dataDir: string } {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `xet-${name}-`));
  const core = benchCore(dataDir, { transport: 'web', secretBackend: { kind: 'passphrase', detail: 'soak', available: true }, vaultPassphrase: 'soak vault passphrase', ...extra });
  return { core, dataDir };
}
