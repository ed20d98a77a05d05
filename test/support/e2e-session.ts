import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../fixtures/simulator/simulator.js';
import { launchChromium } from './chromium.js';
import { watchPage } from './page-watch.js';
import { tempDir } from './temp.js';
import { ROOT, startWebHostProcess, type RunningHost } from './web-host-process.js';

/** Where the e2e tests put their screenshots. */
export const SHOTS = path.join(ROOT, 'test-results', 'e2e');

/** What the web host answers on `/api/<command>`. */
export interface ApiResult<T = unknown> {
  ok: boolean;
  value?: T;
  error?: { message: string; code?: string };
}

export type Call = <T = unknown>(command: string, body: unknown) => Promise<ApiResult<T>>;

/** POSTs `/api/<command>` to the host with its bearer token, as the renderer does. */
export function apiCaller(host: () => RunningHost): Call {
  return async <T>(command: string, body: unknown) => {
    const h = host();
    const res = await fetch(new URL(`/api/${command}`, h.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.token}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as ApiResult<T>;
  };
}

/** `profiles.create`'s body for an ESA profile on the simulator, its certificate pinned. */
export function simProfile(sim: Simulator, name: string, profile: Record<string, unknown> = {}) {
  return {
    profile: { name, kind: 'esa', host: '127.0.0.1', region: 'eu', httpsPort: sim.httpsPort, httpsEnabled: true, httpPort: sim.httpPort, httpEnabled: true, username: sim.username, cluster: '', notes: '', trust: { mode: 'pin', sha256: sim.pinnedSha256 }, ...profile },
    password: sim.password,
  };
}

/** Starts the checks of a profile through the API and waits (outside a test, so no expect.poll) until the run completes. */
export async function completedRun(call: Call, profileId: string): Promise<string> {
  const started = await call<{ runId: string }>('checks.start', { profileId });
  expect(started.ok, JSON.stringify(started)).toBe(true);
  const runId = started.value!.runId;
  for (let i = 0; i < 300; i++) {
    const runs = (await call<{ runs: { id: string; state: string }[] }>('runs.list', { profileId })).value!.runs;
    if (runs.find((r) => r.id === runId)?.state === 'completed') return runId;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not complete`);
}

export interface AppSessionOptions {
  /** The host's data folder: a tempDir prefix, or a function that names the folder (called in beforeAll). */
  dataDir: string | (() => string);
  /** Environment for the host, after `LANG=en_US.UTF-8`. */
  env?: Record<string, string> | (() => Record<string, string>);
  /** Simulators to start before the host (one or several, started together). */
  sim?: SimulatorOptions | SimulatorOptions[];
  /** Host options; by default `--endpoints` of the first simulator when there is one. */
  args?: (sims: Simulator[]) => string[];
  /** `settings.set` right after the host started. */
  settings?: { theme?: 'light' | 'dark'; language?: 'en' | 'de' };
  /** Runs after the host started (and the settings are set), before the browser: profiles, runs, files. */
  prepare?: (session: AppSession) => Promise<void>;
  viewport: { width: number; height: number };
  /** More options for the browser context (acceptDownloads, …). */
  contextOptions?: Omit<BrowserContextOptions, 'viewport'>;
  /** Clipboard read/write for the host's origin. */
  clipboard?: boolean;
  /** page.setDefaultTimeout; Playwright's own default when not given. */
  defaultTimeout?: number;
  /** watchPage into `problems` (and with 'bodies' the API responses into `bodies`), or nothing. */
  watch?: 'problems' | 'bodies' | 'none';
  /** Runs once the page exists, before it opens the launch URL: more listeners. */
  onPage?: (page: Page, context: BrowserContext, session: AppSession) => Promise<void> | void;
  /** A selector to wait for after opening the launch URL. */
  waitFor?: string;
  /** The beforeAll hook's timeout. */
  timeout?: number;
}

export interface AppSession {
  readonly host: RunningHost;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The first simulator, and all of them. */
  readonly sim: Simulator;
  readonly sims: Simulator[];
  /** What watchPage collected (see `watch`). */
  readonly problems: string[];
  readonly bodies: string[];
  readonly call: Call;
  /** A screenshot into SHOTS. */
  shot(name: string, options?: { fullPage?: boolean }): Promise<Buffer>;
  /**
   * The whole page: the app scrolls inside its main column, so the viewport grows to show it all
   * (then back to the session's). `settleMs` waits for transitions; `scrollTop` scrolls everything up first.
   */
  tallShot(name: string, options?: { settleMs?: number; scrollTop?: boolean }): Promise<void>;
}

/**
 * One web host (with its simulators) and one Chromium page on its launch URL for a describe block:
 * registers the beforeAll that starts them and the afterAll that stops them, and returns the
 * session, whose fields are there from beforeAll on.
 */
export function useAppSession(options: AppSessionOptions): AppSession {
  let host: RunningHost | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let closeBrowser: (() => Promise<void>) | undefined;
  let sims: Simulator[] = [];
  const problems: string[] = [];
  const bodies: string[] = [];
  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`the e2e session has no ${what} yet (use it from beforeAll on)`);
    return value;
  };
  const call = apiCaller(() => started('host', host));

  const session: AppSession = {
    get host() {
      return started('host', host);
    },
    get browser() {
      return started('browser', browser);
    },
    get context() {
      return started('context', context);
    },
    get page() {
      return started('page', page);
    },
    get sim() {
      return started('simulator', sims[0]);
    },
    get sims() {
      return sims;
    },
    problems,
    bodies,
    call,
    shot: (name, shotOptions = {}) => session.page.screenshot({ path: path.join(SHOTS, name), ...shotOptions }),
    async tallShot(name, { settleMs = 0, scrollTop = false } = {}) {
      const p = session.page;
      if (scrollTop) await p.evaluate(() => document.querySelectorAll('*').forEach((el) => (el.scrollTop = 0)));
      const height = await p.evaluate(() => {
        const main = document.querySelector('main')!;
        return main.scrollHeight + main.getBoundingClientRect().top;
      });
      await p.setViewportSize({ width: options.viewport.width, height: Math.max(700, Math.ceil(height)) });
      if (settleMs) await p.waitForTimeout(settleMs);
      await p.screenshot({ path: path.join(SHOTS, name) });
      await p.setViewportSize(options.viewport);
    },
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const simOptions = options.sim === undefined ? [] : Array.isArray(options.sim) ? options.sim : [options.sim];
    sims = await Promise.all(simOptions.map((o) => startSimulator(o)));
    const dataDir = typeof options.dataDir === 'function' ? options.dataDir() : tempDir(options.dataDir);
    const env = typeof options.env === 'function' ? options.env() : (options.env ?? {});
    const args = options.args ? options.args(sims) : sims[0] ? ['--endpoints', sims[0].endpointsFile] : [];
    host = await startWebHostProcess(dataDir, { LANG: 'en_US.UTF-8', ...env }, args);
    if (options.settings) {
      const set = await call('settings.set', options.settings);
      expect(set.ok, JSON.stringify(set)).toBe(true);
    }
    await options.prepare?.(session);
    ({ browser, close: closeBrowser } = await launchChromium());
    context = await browser.newContext({ viewport: options.viewport, ...options.contextOptions });
    if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: host.url });
    page = await context.newPage();
    if (options.defaultTimeout) page.setDefaultTimeout(options.defaultTimeout);
    const watch = options.watch ?? 'problems';
    if (watch !== 'none') watchPage(page, problems, watch === 'bodies' ? bodies : undefined);
    await options.onPage?.(page, context, session);
    await page.goto(host.launchUrl);
    if (options.waitFor) await page.waitForSelector(options.waitFor);
  }, options.timeout);

  afterAll(async () => {
    if (host && host.child.exitCode !== null) console.error('web host exited', host.child.exitCode, host.child.signalCode, host.stderr());
    await closeBrowser?.();
    await host?.stop();
    await Promise.all(sims.map((s) => s.close()));
  });

  return session;
}

/** The archive wizard of a session's page: the current step's title, and Next until the step titled `title` shows. */
export function archiveWizard(session: AppSession) {
  const heading = () => session.page.textContent('#archive-step-title');
  async function next(title: string): Promise<void> {
    await session.page.click('.archive-nav button:text-is("Next"), .archive-nav button:text-is("Weiter")');
    await expect.poll(heading).toBe(title);
  }
  return { heading, next };
}
