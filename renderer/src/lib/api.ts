import { buildApi, type Api, type Invoke, type Subscribe } from '../../../electron/contract/api.js';
import type { EventName } from '../../../electron/contract/names.js';
import type { Result } from '../../../electron/contract/result.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI is served by the loopback web host. */
    xet?: Api;
  }
}

/**
 * The contract over the loopback web host: commands are JSON POSTs, events arrive as
 * Server-Sent Events. The session cookie carries the launch token.
 */
export function createWebApi(base = ''): Api {
  const invoke: Invoke = async (command, request) => {
    try {
      const res = await fetch(`${base}/api/${command}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request ?? {}),
        credentials: 'same-origin',
      });
      return (await res.json()) as Result<unknown>;
    } catch (error) {
      return { ok: false, error: { code: 'UNAVAILABLE', message: error instanceof Error ? error.message : String(error) } };
    }
  };

  let source: EventSource | null = null;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const subscribe: Subscribe = (name, listener) => {
    source ??= new EventSource(`${base}/api/events`);
    let set = listeners.get(name);
    if (!set) {
      const fresh = new Set<(payload: unknown) => void>();
      listeners.set(name, fresh);
      source.addEventListener(name, (event) => {
        const payload: unknown = JSON.parse((event as MessageEvent<string>).data);
        for (const l of fresh) l(payload);
      });
      set = fresh;
    }
    set.add(listener);
    return () => set.delete(listener);
  };
  return buildApi(invoke, subscribe);
}

/** The preload's API inside Electron, the web host's otherwise. */
export function pickApi(): Api {
  return window.xet ?? createWebApi();
}
