import type { Database } from 'better-sqlite3';
import type { AppInfo, SecretBackendInfo, Settings } from '../contract/commands.js';
import { readPackageInfo, type PackageInfo } from './app-info.js';
import { EventBus } from './event-bus.js';
import { useCatalogueDir } from './errors.js';
import { FileLogger, type Logger } from './logging/logger.js';
import { defaultResourcesDir, ensureDataDir, type DataPaths } from './paths.js';
import { ProfilesService } from './profiles/profiles-service.js';
import type { KeyWrapper } from './secrets/key-wrapper.js';
import { PassphraseWrapper } from './secrets/passphrase-wrapper.js';
import { SecretStore } from './secrets/secret-store.js';
import { Vault } from './secrets/vault.js';
import { SettingsService } from './settings/settings-service.js';
import { openDatabase } from './store/database.js';
import type { UploadTuning } from './upload/upload-service.js';

/** Native file dialogs, provided by the desktop app only (main opens them, never the renderer). */
export interface Dialogs {
  chooseSaveFile(options: { title: string; defaultName: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>;
  chooseOpenFile(options: { title: string; filters: { name: string; extensions: string[] }[] }): Promise<string | null>;
  /** Several files at once; an empty list when cancelled. */
  chooseOpenFiles(options: { title: string; filters: { name: string; extensions: string[] }[] }): Promise<string[]>;
  /** Opens the file manager with the file selected. */
  showInFolder?(file: string): void;
}

export interface CoreOptions {
  dataDir: string;
  transport: AppInfo['transport'];
  secretBackend: SecretBackendInfo;
  defaultSettings: Settings;
  nativeBinding?: string;
  logger?: Logger;
  clock?: () => Date;
  /** The OS-keychain wrapper in the desktop app. */
  keyWrappers?: KeyWrapper[];
  /** XET_VAULT_PASSPHRASE for the CLI and web host: unlocks (or creates) the vault without asking. */
  vaultPassphrase?: string;
  /** Lower scrypt cost for tests only. */
  scryptCost?: { N: number; r: number; p: number };
  dialogs?: Dialogs;
  /** `resources/` (runbook, findings, regions); defaults to the one beside package.json. */
  resourcesDir?: string;
  /** Lab use: an endpoints file replacing the regions' cloud endpoints for every run. */
  endpointsFile?: string;
  /** Environment for HTTPS_PROXY / NO_PROXY; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Attempts, backoff and stall bound of archive uploads (tests shorten them). */
  uploadTuning?: Partial<UploadTuning>;
}

/**
 * What every command may need and is cheap to open: the data folder, the log, the database, the
 * settings and the vault with the profiles' secrets. No knowledge, no network, no archive code:
 * core.ts builds the rest on top, host-core.ts only when a command asks for it.
 */
export interface CoreBase {
  options: CoreOptions;
  pkg: PackageInfo;
  clock: () => Date;
  resourcesDir: string;
  paths: DataPaths;
  log: Logger;
  db: Database;
  bus: EventBus;
  settings: SettingsService;
  vault: Vault;
  secrets: SecretStore;
  profiles: ProfilesService;
  close(): void;
}

/** `bus`: the host's own, when it hands it out before the base opens (host-core.ts). */
export function openCoreBase(options: CoreOptions, { bus = new EventBus() }: { bus?: EventBus } = {}): CoreBase {
  const paths = ensureDataDir(options.dataDir);
  const log = options.logger ?? new FileLogger({ dir: paths.logs, ...(options.clock ? { clock: options.clock } : {}) });
  const db = openDatabase(paths.database, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const settings = new SettingsService(db, bus, options.defaultSettings, options.clock);
  const pkg = readPackageInfo();
  const clock = options.clock ?? (() => new Date());
  if (options.vaultPassphrase) log.redactor.addSecret(options.vaultPassphrase);
  const automatic = [
    ...(options.keyWrappers ?? []),
    ...(options.vaultPassphrase ? [new PassphraseWrapper(options.vaultPassphrase, options.scryptCost)] : []),
  ];
  const vault = new Vault(db, log, { automatic, bus, ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}) });
  const secrets = new SecretStore(db, vault, log, clock);
  const profiles = new ProfilesService(db, secrets, bus, log, clock);
  const resourcesDir = options.resourcesDir ?? defaultResourcesDir();
  useCatalogueDir(resourcesDir);
  vault.tryAutomaticUnlock();
  return {
    options,
    pkg,
    clock,
    resourcesDir,
    paths,
    log,
    db,
    bus,
    settings,
    vault,
    secrets,
    profiles,
    close() {
      vault.lock();
      if (db.open) db.close();
    },
  };
}
