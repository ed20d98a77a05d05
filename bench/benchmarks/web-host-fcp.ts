import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../test/support/chromium.js';
import { startWebHostProcess } from '../../test/support/web-host-process.js';
import { peakRssOf, type Benchmark } from '../harness.js';

// A string, not a function: tsx's name helpers would not exist inside the page.
const FIRST_PAINT_EPOCH = `new Promise((resolve) => {
  const done = (e) => resolve(performance.timeOrigin + e.startTime);
  const seen = performance.getEntriesByName('first-contentful-paint')[0];
  if (seen) return done(seen);
  new PerformanceObserver((list) => {
    const fcp = list.getEntriesByName('first-contentful-paint')[0];
    if (fcp) done(fcp);
  }).observe({ type: 'paint', buffered: true });
})`;

let browser: Browser | undefined;
let closeBrowser: (() => Promise<void>) | undefined;

/**
 * Wall clock from spawning `node dist/electron/web/main.js` (cold: new process, new data folder)
 * to the first contentful paint of the UI in an already running Chromium.
 */
export const webHostFcp: Benchmark = {
  name: 'web-host-cold-start-to-fcp',
  description: 'Spawn the web host with a fresh data folder → first contentful paint in Chromium',
  unit: 'ms',
  target: { max: 2000 },
  defaultRuns: 7,
  async setup() {
    ({ browser, close: closeBrowser } = await launchChromium());
  },
  async teardown() {
    await closeBrowser?.();
  },
  async sample() {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xet-bench-'));
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const started = Date.now();
    const host = await startWebHostProcess(dataDir);
    try {
      await page.goto(host.launchUrl);
      const paintEpoch = (await page.evaluate(FIRST_PAINT_EPOCH)) as number;
      await page.waitForSelector('h1');
      return { value: paintEpoch - started, peakRssBytes: peakRssOf(host.child.pid!) };
    } finally {
      await context.close();
      await host.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
