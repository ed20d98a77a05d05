import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveCreateRequest, ArchiveInfo } from '../../contract/archive.js';
import type { Run } from '../../contract/checks.js';
import type { Profile } from '../../contract/profiles.js';
import { MIN_PASSWORD_BITS, passwordContext } from '../../contract/passphrase-strength.js';
import type { z } from 'zod';
import { AppError } from '../errors.js';
import { removeQuietly, sweepWorkFolders } from '../fs/work-folders.js';
import type { EventBus } from '../event-bus.js';
import type { Knowledge } from '../knowledge/runbook.js';
import type { Logger } from '../logging/logger.js';
import type { ProfilesService } from '../profiles/profiles-service.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { buildArchive, type HarSource } from './archive-builder.js';
import { isPartialName, partName } from './archive-output.js';
import { generatePassphrase } from './passphrase.js';
import { archivePasswordStrength } from './password-estimator.js';
import { loadRecipients, type Recipient } from './recipient-cert.js';
import { collectedInfo, collectLogs, type CollectResult } from '../appliance-logs/log-collector.js';
import { LogsService } from '../appliance-logs/logs-service.js';
import { Identifiers } from './identifiers.js';

export const EMAIL_LIMIT_BYTES = 20 * 1024 * 1024;

export type ParsedCreate = z.output<typeof ArchiveCreateRequest>;

function ids(profile: Profile, request: ParsedCreate, secrets: string[]): Identifiers {
  return new Identifiers(profile, request.includeHostnames, secrets);
}

export interface ArchiveServiceDeps {
  tmpDir: string;
  logsDir: string;
  bus: EventBus;
  log: Logger;
  knowledge: Knowledge;
  profiles: ProfilesService;
  secrets: SecretStore;
  runs: { get(id: string): Run; resolveRunId(idOrPrefix: string): string };
  /** The raw capture and the cleaning options chosen for an imported HAR (HarService). */
  harSource(id: string): HarSource;
  tool: { name: string; version: string };
  clock?: () => Date;
  /** The appliance log collector; without it an archive takes no appliance logs. */
  logs?: LogsService;
}

/** Where a build goes and what it takes that the contract cannot carry (CLI: paths on disk). Without a target: the temp area. */
export interface BuildTarget {
  target?: string;
  harFiles?: HarSource[];
  /** Hand-downloaded appliance log files on this disk (CLI `--log-file`): read, cleaned, never copied. */
  logFiles?: string[];
}

interface Built {
  info: ArchiveInfo;
  dir: string;
  paths: string[];
  /** Where the user saved it last (for "show in folder"). */
  savedTo: string | null;
}

/**
 * A password good enough to protect the archive, or a refusal that says what to change. `profile`
 * gives the appliance's own names, which make a password weak (zxcvbn user inputs).
 */
export async function requireStrongPassword(password: string, field = 'encryption.password', profile?: { name?: string; host?: string; username?: string }): Promise<void> {
  const strength = await archivePasswordStrength(password, passwordContext(profile));
  if (strength.acceptable) return;
  throw AppError.of('INVALID_REQUEST', 'errors.archive.passwordWeak', { bits: strength.bits, min: MIN_PASSWORD_BITS }, field);
}

/**
 * Support archives: built into the data folder's temp area (desktop app and web host, then saved or
 * downloaded) or straight to a path (CLI). Only encrypted bytes are ever written.
 */
export class ArchiveService {
  private readonly built = new Map<string, Built>();
  private readonly running = new Map<string, AbortController>();
  private readonly root: string;
  private readonly clock: () => Date;

  constructor(private readonly deps: ArchiveServiceDeps) {
    this.root = path.join(deps.tmpDir, 'archives');
    this.clock = deps.clock ?? (() => new Date());
  }

  generatePassphrase(): { passphrase: string; bits: number } {
    return generatePassphrase();
  }

  private recipients(request: ParsedCreate): Recipient[] | null {
    if (request.encryption.mode !== 'certificate') return null;
    const certs = request.encryption.certificates;
    try {
      return loadRecipients(
        certs.map((c) => ({ label: c.name, data: Buffer.from(c.pem, 'utf8') })),
        this.clock(),
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const index = certs.findIndex((c) => error.message.startsWith(`${c.name}: `) || error.message.startsWith(`${c.name} (certificate `));
      throw new AppError(error.code, error.message, index >= 0 ? `encryption.certificates.${index}` : 'encryption.certificates', error.key ? { key: error.key, params: error.params } : undefined);
    }
  }

  /** A default file name without host names: the case number or the date. */
  fileName(request: Pick<ParsedCreate, 'caseNumber' | 'encryption'>): string {
    const stamp = this.clock().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    return `xet-support-${request.caseNumber ? `case-${request.caseNumber}` : stamp}.${request.encryption.mode === 'certificate' ? 'p7m' : 'zip'}`;
  }

  /** Builds an archive from a request the dispatcher has validated; without a target it goes to the temp area and is listed until saved or removed. */
  async create(request: ParsedCreate, destination?: BuildTarget): Promise<ArchiveInfo> {
    const profile = this.deps.profiles.get(request.profileId);
    if (request.encryption.mode === 'password') await requireStrongPassword(request.encryption.password, undefined, profile);
    const recipients = this.recipients(request);
    const runs = request.runIds.map((id, i) => {
      let run: Run;
      try {
        run = this.deps.runs.get(this.deps.runs.resolveRunId(id));
      } catch (error) {
        // The field names the run; the text stays the core's (its key too, so it is translated).
        if (error instanceof AppError) throw new AppError(error.code, `runIds.${i}: ${error.message}`, `runIds.${i}`, error.key ? { key: error.key, params: error.params } : undefined);
        throw error;
      }
      if (run.profileId !== profile.id) throw AppError.of('INVALID_REQUEST', 'errors.archive.runOfOtherProfile', { index: i, run: run.id.slice(0, 8), profile: run.profileName }, `runIds.${i}`);
      return run;
    });
    const hars = [...request.harIds.map((id) => this.deps.harSource(id)), ...(destination?.harFiles ?? [])];
    const id = randomBytes(8).toString('hex');
    const taskId = request.taskId ?? id;
    if (this.running.has(taskId)) throw AppError.of('CONFLICT', 'errors.archive.taskBusy');
    const dir = destination?.target ? null : path.join(this.root, id);
    if (dir) await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    const target = destination?.target ?? path.join(dir!, this.fileName(request));
    const controller = new AbortController();
    this.running.set(taskId, controller);
    const startedAt = this.clock();
    const key = randomBytes(32);
    let logs: CollectResult | null = null;
    try {
      logs = await this.collect(request, profile, destination?.logFiles ?? [], key, taskId, controller.signal);
      const result = await buildArchive({
        key,
        applianceLogs: logs,
        target,
        encryption: request.encryption.mode === 'password' ? { mode: 'password', password: request.encryption.password } : { mode: 'certificate', recipients: recipients! },
        splitBytes: request.splitBytes,
        profile,
        includeHostnames: request.includeHostnames,
        caseNumber: request.caseNumber,
        notes: request.notes,
        runs,
        hars,
        knownSecrets: this.deps.secrets.revealAll(profile.id),
        logsDir: this.deps.logsDir,
        knowledge: this.deps.knowledge,
        tool: this.deps.tool,
        now: startedAt,
        signal: controller.signal,
        onProgress: (p) => this.deps.bus.emit('archive.progress', { taskId, ...p }),
      });
      const warnings: ArchiveInfo['warnings'] = [];
      // Parts small enough can still go by e-mail, one per message; one too big cannot.
      if (result.parts.some((p) => p.bytes > EMAIL_LIMIT_BYTES)) {
        const size = (Math.max(...result.parts.map((p) => p.bytes)) / 1024 / 1024).toFixed(1);
        const what = result.parts.length > 1 ? `A part is ${size} MB` : `The archive is ${size} MB`;
        warnings.push({ code: 'over-email-limit', message: `${what}, over the 20 MB e-mail limit: upload it to the TAC case or to CXD instead, or split it into smaller parts.` });
      }
      const info: ArchiveInfo = {
        id,
        name: path.basename(target),
        mode: request.encryption.mode,
        bytes: result.bytes,
        sha256: result.sha256,
        parts: result.parts.map((p) => ({ name: path.basename(p.path), bytes: p.bytes, sha256: p.sha256 })),
        files: result.manifest.files,
        createdAt: startedAt.toISOString(),
        warnings,
        ...(logs ? { applianceLogs: collectedInfo(logs).map((l) => ({ ...l, message: l.message === null ? null : ids(profile, request, this.deps.secrets.revealAll(profile.id)).scrub(l.message) })), applianceLogNotices: logs.notices } : {}),
      };
      this.deps.log.info('support archive built', { id, mode: info.mode, bytes: info.bytes, parts: info.parts.length, runs: runs.length, hars: hars.length });
      if (dir) this.built.set(id, { info, dir, paths: result.parts.map((p) => p.path), savedTo: null });
      return info;
    } catch (error) {
      if (dir) await fsp.rm(dir, { recursive: true, force: true });
      throw error;
    } finally {
      this.running.delete(taskId);
      for (const f of logs?.files ?? []) await f.spool.remove();
    }
  }

  /** Collects and cleans the appliance logs (with the archive's pseudonym key) into encrypted spools. */
  private async collect(request: ParsedCreate, profile: Profile, logFiles: string[], key: Buffer, taskId: string, signal: AbortSignal): Promise<CollectResult | null> {
    const want = request.applianceLogs;
    if (!want && logFiles.length === 0) return null;
    const logs = this.deps.logs;
    if (!logs) throw AppError.of('UNAVAILABLE', 'errors.applianceLogs.unavailable');
    const opts = want ?? { subscriptions: [], window: {}, importIds: [], keepDomains: false, keywords: [] };
    const window = logs.window(opts.window, profile.id);
    const imports = [...opts.importIds.map((id, i) => logs.importSource(id, i)), ...logFiles.map((f) => LogsService.fileSource(f))];
    const limits = logs.catalog.limits;
    const secrets = this.deps.secrets.revealAll(profile.id);
    return await collectLogs(logs.catalog, {
      profile,
      basic: opts.subscriptions.length > 0 && profile.kind !== 'ces' ? logs.basic(profile) : null,
      subscriptions: opts.subscriptions,
      window,
      imports,
      perFileBytes: opts.perFileMb ? opts.perFileMb * 1024 * 1024 : limits.perFileBytes,
      totalBytes: opts.totalMb ? opts.totalMb * 1024 * 1024 : limits.totalBytes,
      key,
      knownSecrets: secrets,
      keywords: [...opts.keywords, ...ids(profile, request, secrets).keywords()],
      includeHostnames: request.includeHostnames,
      keepDomains: opts.keepDomains,
      spoolDir: logs.spoolDir,
      signal,
      onProgress: (p) => this.deps.bus.emit('logs.progress', { taskId, ...p }),
    });
  }

  cancel(taskId: string): { cancelled: boolean } {
    const controller = this.running.get(taskId);
    if (!controller) return { cancelled: false };
    controller.abort();
    return { cancelled: true };
  }

  list(): ArchiveInfo[] {
    return [...this.built.values()].map((b) => b.info);
  }

  private require(id: string): Built {
    const built = this.built.get(id);
    if (!built) throw AppError.of('NOT_FOUND', 'errors.archive.gone');
    return built;
  }

  /** The file of part `index` (0 when not split), for a download. */
  file(id: string, index = 0): { path: string; name: string; bytes: number } {
    const built = this.require(id);
    const file = built.paths[index];
    if (!file) throw AppError.of('NOT_FOUND', 'errors.archive.noSuchPart', { count: built.paths.length });
    return { path: file, name: path.basename(file), bytes: built.info.parts[index]!.bytes };
  }

  /** Every part's file in the temp area, in order (for the upload; never sent to a transport). */
  partPaths(id: string): string[] {
    return [...this.require(id).paths];
  }

  /** Copies the archive (every part) to `target` atomically: temp beside it, fsync, rename. */
  async saveTo(id: string, target: string): Promise<string[]> {
    const built = this.require(id);
    const finals = built.paths.length === 1 ? [target] : built.paths.map((_, i) => partName(target.replace(/\.\d{3}$/, ''), i));
    const temps = finals.map((f) => path.join(path.dirname(f), `.${path.basename(f)}.${randomBytes(6).toString('hex')}.xet-partial`));
    try {
      for (const [i, source] of built.paths.entries()) {
        await fsp.copyFile(source, temps[i]!, fs.constants.COPYFILE_EXCL);
        const handle = await fsp.open(temps[i]!, 'r+');
        try {
          await handle.sync();
        } finally {
          await handle.close();
        }
      }
      for (const [i, temp] of temps.entries()) await fsp.rename(temp, finals[i]!);
      built.savedTo = finals[0]!;
      return finals;
    } catch (error) {
      for (const temp of temps) await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  /** The first file of the last save, for "show in folder" (the renderer never sends a path). */
  savedPath(id: string): string {
    const built = this.require(id);
    if (!built.savedTo) throw AppError.of('CONFLICT', 'errors.archive.saveFirst');
    return built.savedTo;
  }

  async remove(id: string): Promise<{ removed: true }> {
    const built = this.require(id);
    this.built.delete(id);
    await fsp.rm(built.dir, { recursive: true, force: true });
    return { removed: true };
  }

  /** Removes archives and partial files a killed process left in the temp area (any age: they are never reused). */
  sweepStale(): number {
    return sweepWorkFolders(this.root, {
      inUse: (name) => this.built.has(name),
      // A partial file nobody wrote to for 10 minutes belongs to a build that died (another process
      // sharing the data folder may be writing a fresh one); a finished archive a day old to an earlier session.
      stale: (dir) => {
        const now = this.clock().getTime();
        const deadPartial = fs.readdirSync(dir).some((f) => isPartialName(f) && fs.statSync(path.join(dir, f)).mtimeMs < now - 10 * 60 * 1000);
        return deadPartial || fs.statSync(dir).mtimeMs < now - 24 * 3600 * 1000;
      },
      log: this.deps.log,
      what: 'could not remove a stale archive',
    });
  }

  shutdown(): void {
    for (const controller of this.running.values()) controller.abort();
    for (const built of this.built.values()) removeQuietly(built.dir, this.deps.log, 'could not remove an archive copy');
    this.built.clear();
  }
}
