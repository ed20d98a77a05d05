import { openCoreBase, type CoreBase, type CoreOptions } from './core-base.js';
import type { Services } from './core.js';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatcher.js';
import { createHostHandlers } from './host-commands.js';
import type { Knowledge } from './knowledge/runbook.js';

/**
 * The core as a host that runs one command and exits (the CLI) holds it: the dispatcher and the
 * base (settings, bus, log). No service is reachable but through the dispatcher.
 */
export type HostCore = Pick<CoreBase, 'bus' | 'log' | 'paths' | 'settings'> & { dispatcher: Dispatcher; close(): void };

/**
 * Opens the base now and the rest of the core (checks, HAR, archives, uploads, logs and the
 * knowledge they read; undici, node-forge and zip with them) on the first contract command.
 * Host-only commands (host-commands.ts) run on the base, so `xet har sanitize` loads none of it.
 * Same dispatcher, same handlers as createCore: only when they are built differs.
 */
export function openHostCore(options: CoreOptions): HostCore {
  const base = openCoreBase(options);
  let composed: Promise<{ services: Services; knowledge: Knowledge; handlers: Handlers }> | undefined;
  let services: Services | undefined;
  const compose = () =>
    (composed ??= import('./core.js').then(({ composeServices }) => {
      const built = composeServices(base);
      services = built.services;
      return built;
    }));
  let loaded: Knowledge | undefined;
  const knowledge = async () => (loaded ??= composed ? (await composed).knowledge : (await import('./knowledge/runbook.js')).loadKnowledge(base.resourcesDir));
  return {
    dispatcher: createDispatcher(async () => (await compose()).handlers, base.log, createHostHandlers({ ...base, knowledge })),
    bus: base.bus,
    log: base.log,
    paths: base.paths,
    settings: base.settings,
    close() {
      if (services) services.close();
      else base.close();
    },
  };
}
