import type { Api } from '../../electron/contract/api.js';
import type { EventName } from '../../electron/contract/names.js';
import type { EventPayload } from '../../electron/contract/events.js';
import type { Core } from '../../electron/core/core.js';
import { apiFor } from '../support/core-api.js';

/**
 * The contract API on a real core, plus a hand on the event channel: tests emit progress and
 * finish events themselves, in the order and at the moment they choose.
 */
export function controlledApi(core: Core): { api: Api; emit: <E extends EventName>(name: E, payload: EventPayload<E>) => void } {
  const real = apiFor(core);
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api: Api = {
    ...real,
    events: {
      on(name, listener) {
        // Core events still arrive (profiles.changed, settings.changed); checks events come only from the test.
        const off = name.startsWith('checks.') ? () => undefined : real.events.on(name, listener);
        let set = listeners.get(name);
        if (!set) listeners.set(name, (set = new Set()));
        set.add(listener as (payload: unknown) => void);
        return () => {
          off();
          set.delete(listener as (payload: unknown) => void);
        };
      },
    },
  };
  return {
    api,
    emit(name, payload) {
      for (const l of listeners.get(name) ?? []) l(payload);
    },
  };
}
