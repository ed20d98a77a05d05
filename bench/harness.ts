import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * Runs a measuring script in a fresh Node process (tsx only compiles; the measured code is plain
 * JS), so its peak RSS is its own; answers the JSON of its last stdout line.
 */
export async function runChild<T>(script: string, args: string[], nodeFlags: string[] = []): Promise<T> {
  const { stdout } = await execFileAsync(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...args], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

/** One measurement: the value in the benchmark's unit, and the peak RSS (bytes) of whatever was measured. */
export interface Sample {
  value: number;
  peakRssBytes?: number;
  /** Conditions the sample checked beyond its value (a soak's file descriptors and heap): false fails the benchmark. */
  ok?: boolean;
}

export interface Benchmark {
  name: string;
  description: string;
  unit: 'ms' | 'KB' | 'MB' | 'MB/s' | 'ops/s' | 'x';
  /** Lower is better for ms, KB and MB, higher for throughput. */
  target?: { max?: number; min?: number };
  defaultRuns: number;
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  sample: () => Promise<Sample>;
}

export interface BenchResult {
  name: string;
  description: string;
  unit: string;
  runs: number;
  median: number;
  min: number;
  max: number;
  peakRssMB: number | null;
  target: Benchmark['target'] | null;
  pass: boolean | null;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Peak resident set of a live child process (Linux), from /proc; null elsewhere. */
export function peakRssOf(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export async function runBenchmark(b: Benchmark, runs = b.defaultRuns): Promise<BenchResult> {
  await b.setup?.();
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < runs; i++) samples.push(await b.sample());
  } finally {
    await b.teardown?.();
  }
  const values = samples.map((s) => s.value);
  const rss = samples.map((s) => s.peakRssBytes).filter((x): x is number => x !== undefined);
  const m = median(values);
  const withinTarget = b.target ? (b.target.max === undefined || m <= b.target.max) && (b.target.min === undefined || m >= b.target.min) : null;
  const checked = samples.some((s) => s.ok !== undefined) ? samples.every((s) => s.ok !== false) : null;
  const pass = withinTarget === null ? checked : withinTarget && checked !== false;
  return {
    name: b.name,
    description: b.description,
    unit: b.unit,
    runs,
    median: round(m),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
    peakRssMB: rss.length ? round(Math.max(...rss) / 1024 / 1024) : null,
    target: b.target ?? null,
    pass,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function table(results: BenchResult[]): string {
  const rows = [
    ['benchmark', 'median', 'min', 'max', 'runs', 'peak RSS', 'target', 'ok'],
    ...results.map((r) => [
      r.name,
      `${r.median} ${r.unit}`,
      `${r.min}`,
      `${r.max}`,
      `${r.runs}`,
      r.peakRssMB === null ? '–' : `${r.peakRssMB} MB`,
      r.target ? [r.target.max !== undefined ? `≤ ${r.target.max}` : '', r.target.min !== undefined ? `≥ ${r.target.min}` : ''].join(' ').trim() + ` ${r.unit}` : '–',
      r.pass === null ? '–' : r.pass ? 'yes' : 'NO',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}
