import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { COMMAND_CHANNEL_PREFIX, EVENT_CHANNEL } from '../contract/ipc-channels.js';
import { commandNames } from '../contract/names.js';
import { fail } from '../contract/result.js';
import type { RendererDispatcher } from '../core/dispatcher.js';
import type { EventBus } from '../core/event-bus.js';
import type { Logger } from '../core/logging/logger.js';
import { APP_HOST, APP_SCHEME } from './app-protocol.js';


/** Only the top frame of one of our own windows, showing our own `app://` origin, may call in. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, ours: ReadonlySet<number>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!ours.has(event.sender.id)) return false;
  try {
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * One IPC channel per contract command (no generic channel), all funnelled into the shared
 * dispatcher after the sender check. Events go only to our own windows.
 */
export function registerIpc(dispatcher: RendererDispatcher, bus: EventBus, windows: () => WebContents[], log: Logger): () => void {
  const ours = () => new Set(windows().map((w) => w.id));
  for (const name of commandNames) {
    ipcMain.handle(`${COMMAND_CHANNEL_PREFIX}${name}`, async (event, payload: unknown) => {
      if (!isTrustedSender(event, ours())) {
        log.warn('IPC call refused: untrusted sender', { command: name, url: event.senderFrame?.url ?? null });
        return fail('FORBIDDEN', 'This window is not allowed to call the troubleshooter');
      }
      return dispatcher.dispatch(name, payload);
    });
  }
  const unsubscribe = bus.subscribe((name, payload) => {
    for (const contents of windows()) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
    }
  });
  return () => {
    unsubscribe();
    for (const name of commandNames) ipcMain.removeHandler(`${COMMAND_CHANNEL_PREFIX}${name}`);
  };
}
