import type { Database } from 'better-sqlite3';
import { openCoreBase, type CoreBase, type CoreOptions, type Dialogs } from './core-base.js';
import { createDispatcher, type Dispatcher, type Handlers } from './dispatcher.js';
import { commands } from '../contract/commands.js';
import type { EventBus } from './event-bus.js';
import type { Logger } from './logging/logger.js';
import type { DataPaths } from './paths.js';
import { ChecksService } from './checks/checks-service.js';
import { readEndpointsFile } from './checks/endpoints.js';
import { loadKnowledge, type Knowledge } from './knowledge/runbook.js';
import { AppError } from './errors.js';
import { writeFileAtomic } from './fs/atomic-write.js';
import { fileRefusal, readRegularFile } from './fs/regular-file.js';
import { fetchCertificate } from './profiles/certificate.js';
import { decodeImportFile, exportProfiles, importProfiles, MAX_IMPORT_BYTES } from './profiles/profile-transfer.js';
import type { ProfilesService } from './profiles/profiles-service.js';
import type { SecretStore } from './secrets/secret-store.js';
import type { Vault } from './secrets/vault.js';
import type { SettingsService } from './settings/settings-service.js';
import { HarService } from './har/har-service.js';
import { createHostHandlers } from './host-commands.js';
import { ArchiveService } from './archive/archive-service.js';
import { CaseTokenStore } from './upload/case-secrets.js';
import { UploadRepo } from './upload/upload-repo.js';
import { UploadService } from './upload/upload-service.js';
import { BatchRunner } from './checks/batch-runner.js';
import { overviewRows } from './checks/overview.js';
import { inspectorEntry, inspectorRows } from './har/har-inspect.js';
import path from 'node:path';
import fs from 'node:fs';
import { loadLogCatalog } from './appliance-logs/log-catalog.js';
import { LogsService, MAX_LOG_IMPORT_BYTES } from './appliance-logs/logs-service.js';

export type { CoreOptions, Dialogs } from './core-base.js';

export interface Core {
  dispatcher: Dispatcher;
  bus: EventBus;
  log: Logger;
  paths: DataPaths;
  db: Database;
  settings: SettingsService;
  vault: Vault;
  secrets: SecretStore;
  profiles: ProfilesService;
  checks: ChecksService;
  har: HarService;
  archive: ArchiveService;
  uploads: UploadService;
  logs: LogsService;
  close(): void;
}

/**
 * Builds every core service from its ports. The composition roots (Electron main, web host, CLI)
 * differ only in the options they pass here.
 */
export function createCore(options: CoreOptions): Core {
  const base = openCoreBase(options);
  const { services, handlers, knowledge } = composeServices(base);
  return { ...services, dispatcher: createDispatcher(handlers, base.log, createHostHandlers({ store: () => base, knowledge: () => knowledge }), commands) };
}

/** The services beyond the base, and every contract command's handler over them. */
export type Services = Omit<Core, 'dispatcher'>;

/** Builds the rest of the core on an open base (createCore; host-core.ts when a command needs it). */
export function composeServices(base: CoreBase): { services: Services; handlers: Handlers; knowledge: Knowledge } {
  const { options, paths, log, db, bus, settings, vault, secrets, profiles, pkg, clock, resourcesDir } = base;
  const knowledge = loadKnowledge(resourcesDir);
  const labEndpoints = options.endpointsFile ? readEndpointsFile(options.endpointsFile) : undefined;
  const checks = new ChecksService({
    db,
    knowledge,
    profiles,
    secrets,
    settings,
    bus,
    log,
    clock,
    env: options.env ?? process.env,
    endpoints: labEndpoints,
  });
  const har = new HarService({ tmpDir: paths.tmp, bus, log, knowledge, profiles, secrets, settings, clock });
  har.sweepStale();
  const batches = new BatchRunner({ checks, profiles, vault, bus, log, clock });
  const logs = new LogsService({ tmpDir: paths.tmp, catalog: loadLogCatalog(resourcesDir), profiles, secrets, runs: checks, clock });
  logs.sweepStale();
  const archive = new ArchiveService({
    logs,
    tmpDir: paths.tmp,
    logsDir: paths.logs,
    bus,
    log,
    knowledge,
    profiles,
    secrets,
    runs: checks,
    harSource: (id) => {
      // The options chosen on the HAR page go into the archive too: it never cleans with less
      // (the stored secrets of the profiles ticked there included).
      const { path: file, options } = har.source(id);
      const knownSecrets = options.profileIds.flatMap((pid) => secrets.revealAll(profiles.requireId(pid)));
      return { path: file, keywords: options.keywords, keepBodies: options.keepBodies, knownSecrets };
    },
    tool: { name: pkg.productName, version: pkg.version },
    clock,
  });
  archive.sweepStale();
  const caseTokens = new CaseTokenStore(db, vault, log, clock);
  const uploads = new UploadService({
    repo: new UploadRepo(db),
    tokens: caseTokens,
    bus,
    log,
    clock,
    env: options.env ?? process.env,
    proxySetting: () => settings.get().proxy,
    endpoints: labEndpoints,
    archiveFiles: (id) => archive.partPaths(id),
    userAgent: `xet-troubleshooter/${pkg.version}`,
    ...(options.uploadTuning ? { tuning: options.uploadTuning } : {}),
  });
  const dialogs = (): Dialogs => {
    if (!options.dialogs) throw AppError.of('UNAVAILABLE', 'errors.host.noDialogs');
    return options.dialogs;
  };
  const fileFilters = [{ name: 'JSON', extensions: ['json'] }];
  const harFilters = [{ name: 'HAR', extensions: ['har', 'json'] }];
  const importAndAnnounce = (content: string, fileName?: string) => {
    const result = importProfiles(profiles, content, fileName);
    if (result.imported.length > 0) bus.emit('profiles.changed', { ids: result.imported.map((p) => p.id) });
    return result;
  };

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
    'profiles.list': ({ query }) => profiles.list(query),
    'profiles.get': ({ id }, host) => (host?.byName ? profiles.resolve(id) : profiles.get(id)),
    'profiles.create': ({ profile, password }) => profiles.create(profile, password),
    'profiles.update': ({ id, profile }) => profiles.update(id, profile),
    'profiles.duplicate': ({ id, name }) => profiles.duplicate(id, name),
    'profiles.delete': ({ id, deleteHistory }) => {
      const historyDeleted = deleteHistory ? checks.deleteProfileHistory(profiles.requireId(id)) : 0;
      return { ...profiles.delete(id), historyDeleted };
    },
    'profiles.export': () => exportProfiles(profiles, pkg.version, clock()),
    'profiles.import': ({ content, fileName }) => importAndAnnounce(content, fileName),
    'profiles.exportDialog': async () => {
      const { json, count } = exportProfiles(profiles, pkg.version, clock());
      const file = await dialogs().chooseSaveFile({ title: 'Export profiles', defaultName: 'xet-profiles.json', filters: fileFilters });
      if (!file) return { saved: false, path: null, count };
      writeFileAtomic(file, json);
      return { saved: true, path: file, count };
    },
    'profiles.importDialog': async () => {
      const file = await dialogs().chooseOpenFile({ title: 'Import profiles', filters: fileFilters });
      if (!file) return { cancelled: true, imported: [], rejected: [] };
      const read = await readRegularFile(file, MAX_IMPORT_BYTES);
      if (!read.ok) throw fileRefusal(path.basename(file), read, 'content');
      return { cancelled: false, ...importAndAnnounce(decodeImportFile(read.data, path.basename(file)), path.basename(file)) };
    },
    'profiles.fetchCertificate': ({ host, port }) => fetchCertificate(host, port),
    'secrets.status': ({ profileId }) => ({ secrets: secrets.status(profiles.requireId(profileId)) }),
    'secrets.set': ({ profileId, kind, value }) => {
      const state = secrets.set(profiles.requireId(profileId), kind, value);
      bus.emit('profiles.changed', { ids: [profileId] });
      return state;
    },
    'secrets.clear': ({ profileId, kind }) => {
      const state = secrets.clear(profiles.requireId(profileId), kind);
      bus.emit('profiles.changed', { ids: [profileId] });
      return state;
    },
    'vault.status': () => vault.status(),
    'vault.unlock': ({ passphrase }) => vault.unlock(passphrase),
    'vault.setPassphrase': ({ passphrase }) => vault.setPassphrase(passphrase),
    'vault.lock': () => vault.lock(),
    'checks.runbook': ({ profileId, kind }) => ({ checks: checks.runbook({ profileId, kind }) }),
    'checks.start': async (request, host) => {
      const { runId, total, done } = checks.start(request, host);
      if (host?.wait) await done;
      return { runId, total };
    },
    'checks.cancel': ({ runId }) => checks.cancel(runId),
    'checks.answer': ({ runId, checkId, answer }) => checks.answer(runId, checkId, answer),
    'checks.triage': ({ text, kind, profileId }) => checks.triage(text, kind, profileId),
    'checks.explain': ({ code, profileId, harId }) => checks.explain(code, profileId, harId ? har.findingParams(harId, code) : {}),
    'runs.list': ({ profileId, limit }) => checks.list(profileId, limit),
    'runs.get': ({ id }, host) => checks.get(host?.idPrefix ? checks.resolveRunId(id) : id),
    'runs.diff': ({ before, after }, host) => (host?.idPrefix ? checks.diff(checks.resolveRunId(before), checks.resolveRunId(after)) : checks.diff(before, after)),
    'runs.delete': ({ id }) => checks.delete(id),
    'har.importDialog': async () => {
      const chosen = await dialogs().chooseOpenFiles({ title: 'Import HAR files', filters: harFilters });
      const files = [];
      const errors = [];
      for (const file of chosen) {
        try {
          files.push(await har.importPath(file));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          errors.push({ name: path.basename(file), code: error.code, message: error.message });
        }
      }
      return { cancelled: chosen.length === 0, files, errors };
    },
    'har.list': () => ({ files: har.list() }),
    'har.review': ({ id, ...change }) => har.review(id, change),
    'har.saveDialog': async ({ id }) => {
      const { name } = har.sanitizedFile(id);
      const file = await dialogs().chooseSaveFile({ title: 'Save sanitised HAR', defaultName: name, filters: harFilters });
      if (!file) return { saved: false, path: null };
      await har.saveTo(id, file);
      return { saved: true, path: file };
    },
    'har.remove': ({ id }) => har.remove(id),
    'archive.create': (request, host) => archive.create(request, host),
    'archive.cancel': ({ taskId }) => archive.cancel(taskId),
    'archive.list': () => ({ archives: archive.list() }),
    'archive.saveDialog': async ({ id }) => {
      const { name } = archive.file(id);
      const partOne = /\.001$/.test(name);
      const defaultName = partOne ? name.replace(/\.001$/, '') : name;
      const extension = defaultName.endsWith('.p7m') ? 'p7m' : 'zip';
      const file = await dialogs().chooseSaveFile({ title: 'Save support archive', defaultName, filters: [{ name: extension === 'p7m' ? 'CMS (.p7m)' : 'Zip', extensions: [extension] }] });
      if (!file) return { saved: false, paths: [] };
      return { saved: true, paths: await archive.saveTo(id, file) };
    },
    'archive.showInFolder': ({ id }) => {
      const show = dialogs().showInFolder;
      if (!show) throw AppError.of('UNAVAILABLE', 'errors.host.noShowInFolder');
      show(archive.savedPath(id));
      return { shown: true };
    },
    'archive.remove': ({ id }) => archive.remove(id),
    'archive.generatePassphrase': () => archive.generatePassphrase(),
    'archive.upload': (request, host) => uploads.upload(request, host),
    'archive.uploadCancel': ({ taskId }) => uploads.cancel(taskId),
    'archive.uploads': ({ caseNumber, limit }) => ({ uploads: uploads.list(caseNumber, limit) }),
    'cases.tokenStatus': ({ caseNumber }) => caseTokens.status(caseNumber),
    'cases.tokenClear': ({ caseNumber }) => caseTokens.clear(caseNumber),
    'overview.list': () => ({ rows: overviewRows({ checks, profiles, secrets, clock }) }),
    'checks.startAll': (request, host) => batches.start(request, host),
    'checks.cancelAll': ({ batchId }) => batches.cancel(batchId),
    'checks.batchStatus': ({ batchId }) => ({ batch: batches.status(batchId) }),
    'runs.latest': ({ profileId }) => {
      const last = checks.list(profileId, 1).runs[0];
      return { run: last ? checks.get(last.id) : null };
    },
    'har.entries': ({ id }) => inspectorRows(har.inspectable(id).cleaned, knowledge),
    'har.entry': ({ id, index, original }) => {
      const files = har.inspectable(id);
      return inspectorEntry(files.cleaned, original ? files.raw : null, index);
    },
    'logs.list': (request) => logs.list(request),
    'logs.importDialog': async () => {
      const chosen = await dialogs().chooseOpenFiles({ title: 'Add appliance log files', filters: [{ name: 'AsyncOS logs', extensions: ['current', 's', 'c', 'gz', 'log', 'txt'] }, { name: 'All files', extensions: ['*'] }] });
      const files = [];
      for (const file of chosen) files.push(await logs.importStream(path.basename(file), fs.createReadStream(file), MAX_LOG_IMPORT_BYTES));
      return { cancelled: chosen.length === 0, files };
    },
    'logs.importList': () => ({ files: logs.importList() }),
    'logs.importRemove': ({ id }) => logs.importRemove(id),
  };
  const services: Services = {
    bus,
    log,
    paths,
    db,
    settings,
    vault,
    secrets,
    profiles,
    checks,
    har,
    archive,
    uploads,
    logs,
    close() {
      uploads.shutdown();
      batches.shutdown();
      checks.shutdown();
      archive.shutdown();
      logs.shutdown();
      har.shutdown();
      base.close();
    },
  };
  return { services, handlers, knowledge };
}
