import type { Database } from 'better-sqlite3';
import type { AppInfo, SecretBackendInfo, Settings } from '../contract/commands.js';
import { readPackageInfo } from './app-info.js';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatcher.js';
import { EventBus } from './event-bus.js';
import { FileLogger, type Logger } from './logging/logger.js';
import { ensureDataDir, type DataPaths } from './paths.js';
import { SettingsService } from './settings/settings-service.js';
import { openDatabase } from './store/database.js';

export interface CoreOptions {
  dataDir: string;
  transport: AppInfo['transport'];
  secretBackend: SecretBackendInfo;
  defaultSettings: Settings;
  nativeBinding?: string;
  logger?: Logger;
  clock?: () => Date;
}

export interface Core {
  dispatcher: Dispatcher;
  bus: EventBus;
  log: Logger;
  paths: DataPaths;
  db: Database;
  settings: SettingsService;
  close(): void;
}

/**
 * Builds every core service from its ports. The composition roots (Electron main, web host, CLI)
 * differ only in the options they pass here.
 */
export function createCore(options: CoreOptions): Core {
  const paths = ensureDataDir(options.dataDir);
  const log = options.logger ?? new FileLogger({ dir: paths.logs, ...(options.clock ? { clock: options.clock } : {}) });
  const db = openDatabase(paths.database, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const bus = new EventBus();
  const settings = new SettingsService(db, bus, options.defaultSettings, options.clock);
  const pkg = readPackageInfo();

  const handlers: Handlers = {
    'app.info': () => ({
      name: pkg.productName,
      version: pkg.version,
      dataDir: paths.root,
      transport: options.transport,
      platform: process.platform,
      secretBackend: options.secretBackend,
    }),
    'settings.get': () => settings.get(),
    'settings.set': (request) => settings.set(request),
  };

  return {
    dispatcher: createDispatcher(handlers, log),
    bus,
    log,
    paths,
    db,
    settings,
    close() {
      if (db.open) db.close();
    },
  };
}
