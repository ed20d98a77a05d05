import type { Page } from 'playwright-core';

/**
 * Collects what a page must not produce: console errors and warnings and uncaught exceptions go to
 * `problems`; with `bodies`, the text of every API response (the event stream excepted) goes there,
 * for the tests that search them for planted secrets.
 */
export function watchPage(page: Page, problems: string[], bodies?: string[]): void {
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  if (!bodies) return;
  page.on('response', async (r) => {
    if (r.url().includes('/api/') && !r.url().endsWith('/api/events')) bodies.push(await r.text().catch(() => ''));
  });
}
