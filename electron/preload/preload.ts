import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from '../contract/api.js';
import { COMMAND_CHANNEL_PREFIX, EVENT_CHANNEL } from '../contract/ipc-channels.js';
import { isEventName, type EventName } from '../contract/names.js';
import type { Result } from '../contract/result.js';


const listeners = new Map<EventName, Set<(payload: unknown) => void>>();

ipcRenderer.on(EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (!isEventName(name)) return;
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

/**
 * Exactly the contract's commands, grouped by domain, plus typed event subscription.
 * No ipcRenderer, no generic invoke, no Node globals reach the page.
 */
const api = buildApi(
  (command, request) => ipcRenderer.invoke(`${COMMAND_CHANNEL_PREFIX}${command}`, request) as Promise<Result<unknown>>,
  (name, listener) => {
    let set = listeners.get(name);
    if (!set) listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  },
);

contextBridge.exposeInMainWorld('xet', api);
