import type { Theme } from '../../../electron/contract/commands.js';

/** `system` follows prefers-color-scheme in CSS; light/dark pin it. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}
