import type { Language } from '../contract/commands.js';
import type { CoreBase, CoreOptions } from './core-base.js';
import type { Services } from './core.js';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatcher.js';
import { useCatalogueDir } from './errors.js';
import { EventBus } from './event-bus.js';
import { createHostHandlers } from './host-commands.js';
import type { Knowledge } from './knowledge/runbook.js';
import { FileLogger, type Logger } from './logging/logger.js';
import { dataPaths, defaultResourcesDir, ensureDataDir, type DataPaths } from './paths.js';
import { storedLanguage } from './settings/stored-language.js';

/**
 * The core as a host that runs one command and exits (the CLI) holds it: the dispatcher, the bus,
 * the log and the settings language. No service is reachable but through the dispatcher.
 */
export interface HostCore {
  dispatcher: Dispatcher;
  bus: EventBus;
  log: Logger;
  paths: DataPaths;
  /** The settings language (the locale's while nothing is stored); learning it creates nothing. */
  language(): Language;
  close(): void;
}

/** A logger made on its first line: the data folder is created when something is logged, not before. */
function loggerOnFirstUse(make: () => Logger): Logger {
  let log: Logger | undefined;
  const made = () => (log ??= make());
  return {
    debug: (msg, fields) => made().debug(msg, fields),
    info: (msg, fields) => made().info(msg, fields),
    warn: (msg, fields) => made().warn(msg, fields),
    error: (msg, fields) => made().error(msg, fields),
    get redactor() {
      return made().redactor;
    },
  };
}

/**
 * Opens nothing yet. The base (the data folder, the database, the vault and the profiles; zod and
 * better-sqlite3 with them) opens on the first command that needs it, the rest of the core
 * (checks, HAR, archives, uploads, logs and the knowledge they read; undici, node-forge and zip
 * with them) on the first contract command. Host-only commands (host-commands.ts) open the base
 * only for a profile's data, so `xet har sanitize` without --profile opens neither, and its
 * language is read from the settings without opening the store for it. Same dispatcher, same
 * handlers as createCore: only when they are built differs.
 */
export function openHostCore(options: CoreOptions): HostCore {
  const paths = dataPaths(options.dataDir);
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  useCatalogueDir(resourcesDir);
  const bus = new EventBus();
  const log =
    options.logger ??
    loggerOnFirstUse(() => {
      const made = new FileLogger({ dir: ensureDataDir(options.dataDir).logs, ...(options.clock ? { clock: options.clock } : {}) });
      if (options.vaultPassphrase) made.redactor.addSecret(options.vaultPassphrase);
      return made;
    });
  let base: CoreBase | undefined;
  let opening: Promise<CoreBase> | undefined;
  const openBase = () => (opening ??= import('./core-base.js').then(({ openCoreBase }) => (base = openCoreBase({ ...options, logger: log }, { bus }))));
  let composed: Promise<{ services: Services; knowledge: Knowledge; handlers: Handlers }> | undefined;
  let services: Services | undefined;
  const compose = () =>
    (composed ??= Promise.all([import('./core.js'), openBase()]).then(([{ composeServices }, opened]) => {
      const built = composeServices(opened);
      services = built.services;
      return built;
    }));
  let loaded: Knowledge | undefined;
  const knowledge = async () => (loaded ??= composed ? (await composed).knowledge : (await import('./knowledge/runbook.js')).loadKnowledge(resourcesDir));
  let stored: Language | undefined;
  return {
    dispatcher: createDispatcher(async () => (await compose()).handlers, log, createHostHandlers({ store: openBase, knowledge })),
    bus,
    log,
    paths,
    language: () => (base ? base.settings.get().language : (stored ??= storedLanguage(paths.database, options.defaultSettings.language, options.nativeBinding))),
    close() {
      if (services) services.close();
      else base?.close();
    },
  };
}
