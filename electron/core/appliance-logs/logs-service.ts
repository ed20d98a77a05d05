import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LogsListRequest, type LogsListResponse, type LogWindow } from '../../contract/appliance-logs.js';
import type { Run } from '../../contract/checks.js';
import type { Profile } from '../../contract/profiles.js';
import { describeNetError } from '../checks/probes/probe.js';
import { AppError } from '../errors.js';
import { openRegularFile } from '../fs/regular-file.js';
import type { ProfilesService } from '../profiles/profiles-service.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { LogApi } from './log-api.js';
import { classify, type LogCatalog } from './log-catalog.js';
import type { LogImportSource } from './log-collector.js';
import { LogFileError } from './log-errors.js';
import { LogSpool } from './log-spool.js';

const HOUR = 3600_000;
/** Largest hand-imported log file (kept encrypted until an archive cleans it). */
export const MAX_LOG_IMPORT_BYTES = 2 * 1024 ** 3;

export interface LogsServiceDeps {
  tmpDir: string;
  catalog: LogCatalog;
  profiles: ProfilesService;
  secrets: SecretStore;
  runs: { get(id: string): Run; resolveRunId(idOrPrefix: string): string };
  clock: () => Date;
}

interface Imported {
  id: string;
  name: string;
  bytes: number;
  spool: LogSpool;
}

/**
 * Appliance logs outside an archive build: what the API offers for a window (logs.list), and
 * hand-downloaded files uploaded in this session, kept only as encrypted spools until an archive
 * takes them (they are cleaned then, with that archive's pseudonym key).
 */
export class LogsService {
  readonly spoolDir: string;
  private readonly imports = new Map<string, Imported>();

  constructor(private readonly deps: LogsServiceDeps) {
    // One folder per process: a sweep can tell a dead process's spools from a live one's by the pid.
    this.spoolDir = path.join(deps.tmpDir, 'appliance-logs', `${process.pid}-${randomBytes(4).toString('hex')}`);
  }

  get catalog(): LogCatalog {
    return this.deps.catalog;
  }

  /** The window in UTC ms: explicit since/until, the last N hours, around a run (1 h before, 1 h after), or the last 24 h. */
  window(w: LogWindow, profileId?: string): { from: number; to: number } {
    const now = this.deps.clock().getTime();
    if (w.runId) {
      const run = this.deps.runs.get(this.deps.runs.resolveRunId(w.runId));
      if (profileId && run.profileId !== profileId) throw AppError.of('INVALID_REQUEST', 'errors.applianceLogs.runOfOtherProfile', { run: run.id.slice(0, 8) }, 'window.runId');
      const start = Date.parse(run.startedAt);
      const end = run.finishedAt ? Date.parse(run.finishedAt) : start;
      return { from: start - HOUR, to: end + HOUR };
    }
    const to = w.until ? Date.parse(w.until) : now;
    const from = w.since ? Date.parse(w.since) : to - (w.hours ?? 24) * HOUR;
    if (from >= to) throw AppError.of('INVALID_REQUEST', 'errors.applianceLogs.emptyWindow', { since: new Date(from).toISOString(), until: new Date(to).toISOString() }, 'window.since');
    return { from, to };
  }

  basic(profile: Profile): string | null {
    const password = this.deps.secrets.reveal(profile.id, 'api-password');
    if (!profile.username || password === null) return null;
    return Buffer.from(`${profile.username}:${password}`, 'utf8').toString('base64');
  }

  async list(raw: unknown, signal?: AbortSignal): Promise<LogsListResponse> {
    const request = LogsListRequest.parse(raw);
    const profile = this.deps.profiles.get(request.profileId);
    const w = this.window(request.window, profile.id);
    const window = { from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString() };
    const empty = (code: NonNullable<LogsListResponse['notice']>['code'], message: string, messageDe?: string): LogsListResponse => ({ available: false, notice: { code, message, ...(messageDe ? { messageDe } : {}) }, window, subscriptions: [] });
    if (profile.kind === 'ces') return empty('ces', this.deps.catalog.ces.en, this.deps.catalog.ces.de);
    const basic = this.basic(profile);
    if (!basic) return empty('no-password', 'No API user or password is stored for this profile: store one to list the appliance logs, or add downloaded files by hand.');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error('timed out')), 30_000);
    const api = new LogApi(profile, basic, this.deps.catalog, signal ? AbortSignal.any([signal, controller.signal]) : controller.signal);
    try {
      const subs = await api.subscriptions();
      if (!subs.ok) {
        if (subs.status === 404) return empty('unavailable', 'This AsyncOS release offers no log API (404 on the log paths): download the logs in the GUI (System Administration → Log Subscriptions) and add them by hand.');
        if (subs.status === 401 || subs.status === 403) return empty('forbidden', `The API user may not read the log subscriptions (${subs.status} ${subs.message}).`);
        return empty('unreachable', `Unexpected answer ${subs.status} (${subs.message}).`);
      }
      const out: LogsListResponse['subscriptions'] = [];
      for (const s of subs.value) {
        const c = classify(this.deps.catalog, s);
        const files = await api.files(s.name, w);
        out.push({
          name: s.name,
          type: s.type,
          retrieval: s.retrieval,
          group: c?.id ?? null,
          matchedBy: c?.by ?? null,
          isDefault: c !== null && !c.optIn,
          files: files.ok ? files.value.map((f) => ({ name: f.name, size: f.size, modified: f.modified })) : [],
          problem: files.ok ? null : `${files.status} ${files.message}`,
        });
      }
      return { available: true, notice: null, window, subscriptions: out };
    } catch (error) {
      if (error instanceof AppError) throw error;
      return empty('unreachable', `The appliance's API could not be reached: ${describeNetError(error)}.`);
    } finally {
      clearTimeout(timer);
      api.close();
    }
  }

  /** Stores an uploaded file encrypted; it is cleaned only when an archive takes it. */
  async importStream(name: string, source: AsyncIterable<Buffer>, maxBytes: number): Promise<{ id: string; name: string; bytes: number }> {
    const spool = await LogSpool.create(this.spoolDir);
    try {
      for await (const chunk of source) {
        if (spool.bytes + chunk.length > maxBytes) throw AppError.of('TOO_LARGE', 'errors.applianceLogs.importTooLarge', { name, max: Math.round(maxBytes / 1024 / 1024) });
        await spool.write(chunk);
      }
      await spool.finish();
    } catch (error) {
      await spool.remove();
      throw error;
    }
    const id = randomBytes(8).toString('hex');
    const base = path.basename(name.replace(/\\/g, '/')).slice(0, 200) || 'log';
    this.imports.set(id, { id, name: base, bytes: spool.bytes, spool });
    return { id, name: base, bytes: spool.bytes };
  }

  importList(): { id: string; name: string; bytes: number }[] {
    return [...this.imports.values()].map(({ id, name, bytes }) => ({ id, name, bytes }));
  }

  async importRemove(id: string): Promise<{ removed: boolean }> {
    const found = this.imports.get(id);
    if (!found) return { removed: false };
    this.imports.delete(id);
    await found.spool.remove();
    return { removed: true };
  }

  /** An upload as an import source for the collector. */
  importSource(id: string, index: number): LogImportSource {
    const found = this.imports.get(id);
    if (!found) throw AppError.of('NOT_FOUND', 'errors.applianceLogs.importGone', {}, `applianceLogs.importIds.${index}`);
    return { name: found.name, open: () => found.spool.read() };
  }

  /**
   * A file on this disk (CLI `--log-file`): read as it is, never copied. Only a regular file: a
   * folder, device or pipe (which could block or never end) is that file's problem, said plainly.
   */
  static fileSource(file: string): LogImportSource {
    return {
      name: path.basename(file),
      async *open() {
        const opened = await openRegularFile(file);
        if (!opened.ok) throw new LogFileError('read-failed', opened.problem);
        yield* opened.handle.createReadStream({ highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>;
      },
    };
  }

  /** Spools a killed process left behind (ciphertext whose key died with it): folders of pids that are gone. */
  sweepStale(): number {
    const root = path.dirname(this.spoolDir);
    let removed = 0;
    let names: string[];
    try {
      names = fs.readdirSync(root);
    } catch {
      return 0;
    }
    for (const name of names) {
      const pid = Number(/^(\d+)-[a-f0-9]{8}$/.exec(name)?.[1]);
      if (!pid || pid === process.pid || alive(pid)) continue;
      fs.rmSync(path.join(root, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  shutdown(): void {
    this.imports.clear();
    fs.rmSync(this.spoolDir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
