import type { Theme } from '../../../electron/contract/commands.js';

const DARK = '(prefers-color-scheme: dark)';
let followSystem: (() => void) | null = null;

/**
 * Sets `data-theme` on <html> to the theme in force; `system` follows the OS and keeps following
 * it when the OS switches. The CSS knows only light and dark.
 */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  const query = typeof window.matchMedia === 'function' ? window.matchMedia(DARK) : null;
  if (followSystem && query) query.removeEventListener('change', followSystem);
  followSystem = null;
  root.dataset.themeChoice = theme;
  if (theme !== 'system') {
    root.dataset.theme = theme;
    return;
  }
  const resolve = () => (root.dataset.theme = query?.matches ? 'dark' : 'light');
  resolve();
  if (query) {
    followSystem = resolve;
    query.addEventListener('change', resolve);
  }
}
