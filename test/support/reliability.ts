import fs from 'node:fs';
import path from 'node:path';

/**
 * A figure for the README's "Reliability" section, recorded by the test that measured it.
 * `npm test` ends with `node scripts/reliability-section.mjs --check`, which fails when the README's
 * table differs from what this run recorded; `--write` regenerates it. Figures must therefore be
 * deterministic (fixed seeds, fixed corpora): a count of what was tried and what went wrong.
 */
export interface ReliabilityFigure {
  /** Groups rows in the table, e.g. "Contract fuzzing". */
  area: string;
  /** What was done, e.g. "payloads sent through the dispatcher". */
  measure: string;
  value: number;
  /** What the outcome was, e.g. "0 crashes, 0 state changes". */
  outcome: string;
}

export const RELIABILITY_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'reliability');

/** Records one figure under a stable id (one file per id, so parallel test files never collide). */
export function recordReliability(id: string, figure: ReliabilityFigure): void {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`reliability id "${id}": use lower-case letters, digits and dashes`);
  if (!Number.isFinite(figure.value)) throw new Error(`reliability figure "${id}": value must be a finite number`);
  fs.mkdirSync(RELIABILITY_DIR, { recursive: true });
  const file = path.join(RELIABILITY_DIR, `${id}.json`);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify({ id, ...figure }, null, 2));
  fs.renameSync(temp, file);
}
