import { BrowserWindow, dialog, shell } from 'electron';
import type { Dialogs } from '../core/core.js';

/** Native open/save dialogs, parented to the focused window. Paths come from the OS, never the renderer. */
export function nativeDialogs(): Dialogs {
  const parent = () => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  return {
    async chooseSaveFile({ title, defaultName, filters }) {
      const win = parent();
      const options = { title, defaultPath: defaultName, filters, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
      const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseOpenFile({ title, filters }) {
      const win = parent();
      const options = { title, filters, properties: ['openFile' as const] };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseOpenFiles({ title, filters }) {
      const win = parent();
      const options = { title, filters, properties: ['openFile' as const, 'multiSelections' as const] };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    showInFolder(file) {
      shell.showItemInFolder(file);
    },
  };
}
