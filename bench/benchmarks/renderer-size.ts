import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Benchmark } from '../harness.js';
import { ROOT } from '../../test/support/web-host-process.js';

/** JS the renderer loads before first paint: the module scripts and preloads named in index.html. */
export function initialScripts(rendererDir: string): string[] {
  const html = fs.readFileSync(path.join(rendererDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]!);
  return [...new Set(refs)].map((r) => path.join(rendererDir, r.replace(/^\.\//, '')));
}

export const rendererSize: Benchmark = {
  name: 'renderer-initial-js-gzip',
  description: 'Initial JavaScript of the renderer, gzip -9, summed over index.html’s scripts',
  unit: 'KB',
  target: { max: 150 },
  defaultRuns: 1,
  async sample() {
    const files = initialScripts(path.join(ROOT, 'dist', 'renderer'));
    if (files.length === 0) throw new Error('No scripts found in dist/renderer/index.html; run npm run build');
    const bytes = files.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length, 0);
    return { value: bytes / 1024 };
  },
};
