import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark } from '../harness.js';
import { median } from '../harness.js';

const XET = path.join(import.meta.dirname, '..', '..', 'bin', 'xet.js');
const ROUNDS = 7;
let dir = '';

/** Wall time of one process from spawn to exit (ms); the built CLI, as a user starts it. */
function wall(args: string[]): number {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: 'ignore', env: { ...process.env, XET_DATA_DIR: path.join(dir, 'data') } });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Medians of interleaved runs (so a noisy neighbour slows all of them alike): `node -e 0` first. */
function interleaved(commands: string[][]): number[] {
  const times = commands.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) commands.forEach((c, k) => times[k]!.push(wall(c)));
  return times.map(median);
}

/** A small capture (~20 KB): JSON API calls with bearer tokens and cookies, as a support case has. */
function smallHar(file: string): number {
  const entries = [];
  for (let i = 0; entries.length < 9; i++) {
    entries.push({
      startedDateTime: '2026-01-05T10:00:00.000Z',
      time: 20 + i,
      request: {
        method: 'GET',
        url: `https://visibility.amp.cisco.com/iroh/iroh-enrich/observe/observables?page=${i}`,
        httpVersion: 'HTTP/2',
        headers: [{ name: 'Authorization', value: `Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJiZW5jaC0ke2l9In0.c2lnbmF0dXJl${i}` }, { name: 'Accept', value: 'application/json' }],
        cookies: [{ name: 'session', value: `s${i}-QzX81mfk2` }],
        queryString: [{ name: 'page', value: String(i) }],
        headersSize: -1,
        bodySize: 0,
      },
      response: {
        status: 200,
        statusText: 'OK',
        httpVersion: 'HTTP/2',
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        cookies: [],
        content: { size: 400, mimeType: 'application/json', text: JSON.stringify({ data: Array.from({ length: 6 }, (_, k) => ({ id: `obs-${i}-${k}`, type: 'sha256', value: 'a'.repeat(64), access_token: `tok-${i}-${k}` })) }) },
        redirectURL: '',
        headersSize: -1,
        bodySize: 400,
      },
      cache: {},
      timings: { send: 1, wait: 15, receive: 2 },
    });
  }
  const text = JSON.stringify({ log: { version: '1.2', creator: { name: 'bench', version: '1' }, pages: [], entries } }, null, 2);
  fs.writeFileSync(file, text);
  return text.length;
}

/** Setup and teardown of each benchmark here: a fresh scratch folder in `dir`, removed afterwards. */
const scratchDir: Pick<Benchmark, 'setup' | 'teardown'> = {
  async setup() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-start-'));
  },
  async teardown() {
    fs.rmSync(dir, { recursive: true, force: true });
  },
};

/** `xet --version` and `xet help` against `node -e 0` (the floor of any Node CLI), same run. */
export const cliStart: Benchmark = {
  name: 'cli-start',
  description: 'xet --version and xet help (built CLI, fresh process each): ms, the slower median of the two; target ≤ 1.5× the median of node -e 0 in the same interleaved run',
  unit: 'ms',
  defaultRuns: 3,
  ...scratchDir,
  async sample() {
    const [node, version, help] = interleaved([['-e', '0'], [XET, '--version'], [XET, 'help']]) as [number, number, number];
    const ms = Math.max(version, help);
    cliStart.target = { max: Math.round(node * 1.5) };
    console.log(`\n  node -e 0 ${node.toFixed(0)} ms · xet --version ${version.toFixed(0)} ms (${(version / node).toFixed(2)}×) · xet help ${help.toFixed(0)} ms (${(help / node).toFixed(2)}×) · target ≤ 1.5×`);
    return { value: ms };
  },
};

/** `xet har sanitize` of a ~20 KB capture, start to exit, against `node -e 0`. */
export const cliHarSanitizeSmall: Benchmark = {
  name: 'cli-har-sanitize-20kb',
  description: 'xet har sanitize of a ~20 KB HAR (built CLI, fresh process, start to exit): ms; target ≤ 2× the median of node -e 0 in the same interleaved run',
  unit: 'ms',
  defaultRuns: 3,
  ...scratchDir,
  async sample() {
    const input = path.join(dir, 'small.har');
    const bytes = smallHar(input);
    const out = path.join(dir, 'clean.har');
    const [node, sanitize] = interleaved([['-e', '0'], [XET, 'har', 'sanitize', input, '-o', out]]) as [number, number];
    cliHarSanitizeSmall.target = { max: Math.round(node * 2) };
    console.log(`\n  node -e 0 ${node.toFixed(0)} ms · xet har sanitize (${(bytes / 1024).toFixed(0)} KB) ${sanitize.toFixed(0)} ms = ${(sanitize / node).toFixed(2)}× · target ≤ 2×`);
    return { value: sanitize };
  },
};
