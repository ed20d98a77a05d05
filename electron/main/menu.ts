import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { Language } from '../contract/commands.js';
import { format, lookup, type Dictionary } from '../contract/i18n.js';
import type { RegionsFile } from '../core/knowledge/regions.js';

export interface MenuDeps {
  dictionaries: Record<Language, Dictionary>;
  regions: RegionsFile;
  /** Opens an allow-listed portal in the system browser (external-links.ts). */
  openPortal: (url: string) => void;
  platform: NodeJS.Platform;
}

/** The native menu in the UI language; rebuilt whenever the language changes. */
export function buildMenuTemplate(language: Language, deps: MenuDeps): MenuItemConstructorOptions[] {
  const t = (key: string, params?: Record<string, string>) =>
    format(lookup(deps.dictionaries[language], `menu.${key}`) ?? lookup(deps.dictionaries.en, `menu.${key}`) ?? key, params, language);
  const portals: MenuItemConstructorOptions[] = deps.regions.regions.flatMap((r) => [
    { label: t('ssePortal', { region: r.id.toUpperCase() }), click: () => deps.openPortal(`https://${r.sseAdminPortal.host}/`) },
    { label: t('xdrPortal', { region: r.id.toUpperCase() }), click: () => deps.openPortal(`https://${r.xdrPortal.host}/`) },
  ]);
  // macOS shows the application menu first and keeps Quit there.
  const first: MenuItemConstructorOptions =
    deps.platform === 'darwin' ? { role: 'appMenu' } : { label: t('file'), submenu: [{ role: 'quit', label: t('quit') }] };
  return [
    first,
    {
      label: t('edit'),
      submenu: [
        { role: 'undo', label: t('undo') },
        { role: 'redo', label: t('redo') },
        { type: 'separator' },
        { role: 'cut', label: t('cut') },
        { role: 'copy', label: t('copy') },
        { role: 'paste', label: t('paste') },
        { role: 'selectAll', label: t('selectAll') },
      ],
    },
    {
      label: t('view'),
      submenu: [
        { role: 'zoomIn', label: t('zoomIn') },
        { role: 'zoomOut', label: t('zoomOut') },
        { role: 'resetZoom', label: t('resetZoom') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t('fullscreen') },
      ],
    },
    { label: t('help'), submenu: portals },
  ];
}

export function applyMenu(language: Language, deps: MenuDeps): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(language, deps)));
}
