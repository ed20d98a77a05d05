import { buildApi, type Api } from '../../electron/contract/api.js';
import type { Core } from '../../electron/core/core.js';

/** The contract API wired straight to a real core, as the preload wires it to IPC. */
export function apiFor(core: Core): Api {
  return buildApi(
    (command, request) => core.dispatcher.dispatch(command, request),
    (name, listener) =>
      core.bus.subscribe((event, payload) => {
        if (event === name) listener(payload);
      }),
  );
}
