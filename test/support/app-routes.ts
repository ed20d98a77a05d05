import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './web-host-process.js';

const ROUTER = path.join(ROOT, 'renderer', 'src', 'lib', 'router.svelte.ts');

/**
 * The renderer's routes, read from the router's own `pages` list (the file uses runes and cannot be
 * imported outside Svelte), so a page added there is visited by every test that walks the app.
 */
export function appRoutes(): string[] {
  const source = fs.readFileSync(ROUTER, 'utf8');
  const list = /export const pages = \[([^\]]*)\] as const;/.exec(source);
  if (!list) throw new Error(`${ROUTER}: no "export const pages = [...] as const" to read the routes from`);
  const routes = [...list[1]!.matchAll(/'([a-z][a-z0-9-]*)'/g)].map((m) => m[1]!);
  if (routes.length === 0) throw new Error(`${ROUTER}: the pages list is empty`);
  return routes;
}

/** The routes the running app's navigation links to, in order. */
export function navRoutes(page: Page): Promise<string[]> {
  return page.$$eval('nav a[data-page]', (links) => links.map((a) => (a as HTMLElement).dataset.page ?? ''));
}

/** Opens a route (`checks` or `checks/<profile id>`) by its address and waits for the page's heading. */
export async function openRoute(page: Page, base: string, route: string): Promise<void> {
  await page.goto(new URL(`/#/${route}`, base).href);
  await page.waitForSelector(`nav a[data-page="${route.split('/')[0]}"][aria-current="page"]`);
  await page.waitForSelector('main h1');
}
