import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { coversCleaning, type HarCleaning, type HarFile, type HarProgress, type HarReview } from '../../contract/har.js';
import type { RegionId } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import { removeQuietly, sweepWorkFolders } from '../fs/work-folders.js';
import { fileRefusal, openRegularFile } from '../fs/regular-file.js';
import type { EventBus } from '../event-bus.js';
import type { Knowledge, Params } from '../knowledge/runbook.js';
import type { Logger } from '../logging/logger.js';
import type { ProfilesService } from '../profiles/profiles-service.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { SettingsService } from '../settings/settings-service.js';
import { analyzeHarFile, harFindingParams, harFindingTitle, type HarAnalysis } from './har-analyze.js';
import { DEFAULT_CLEANING, mergeCleaning, sameCleaning, type CleaningChange } from './har-cleaning.js';
import { validateHar } from './har-import.js';
import { sanitizeHarFile } from './har-sanitize-file.js';

export interface HarServiceDeps {
  /** `tmp/` of the data folder; imported files go to `tmp/har/<id>/`. */
  tmpDir: string;
  bus: EventBus;
  log: Logger;
  knowledge: Knowledge;
  profiles: ProfilesService;
  secrets: SecretStore;
  settings: SettingsService;
  clock?: () => Date;
}

interface Session {
  /** Its `options` are the cleaning chosen for the file, remembered across reloads and windows. */
  file: HarFile;
  dir: string;
  input: string;
  /** The sanitised copy of the last review, if any, and the options it was cleaned with. */
  sanitized: string | null;
  sanitizedWith: HarCleaning | null;
  /** What the last review found, so a finding it raised can be explained with the capture's own words. */
  analysis: HarAnalysis | null;
  running: AbortController | null;
}

const PROGRESS_EVERY_MS = 100;

/**
 * A file name safe to keep in our folder and show back: base name only, no control or path
 * characters, and short enough for any file system (255 bytes a name): at most 120 characters and
 * 200 bytes of UTF-8, cut at the front so the extension stays and never inside a character.
 */
export function safeHarName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const chars = [...base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')];
  let start = chars.length;
  for (let bytes = 0; start > 0 && chars.length - start < 120; start--) {
    bytes += Buffer.byteLength(chars[start - 1]!);
    if (bytes > 200) break;
  }
  const clean = chars.slice(start).join('').replace(/^\.+/, '').trim();
  return clean === '' ? 'capture.har' : clean;
}

/**
 * HAR captures of this session: each one copied into the data folder's temp area under a random id,
 * validated as it streams, and sanitised on request. Nothing holds a whole file in memory, and the
 * vault's secrets only ever go into the sanitiser, never into an answer or an event.
 */
export class HarService {
  private readonly sessions = new Map<string, Session>();
  /** One pseudonym key for the session, so the same cookie gets the same placeholder in every file. */
  private readonly key = randomBytes(32);
  private readonly root: string;
  private readonly clock: () => Date;

  constructor(private readonly deps: HarServiceDeps) {
    this.root = path.join(deps.tmpDir, 'har');
    this.clock = deps.clock ?? (() => new Date());
  }

  list(): HarFile[] {
    return [...this.sessions.values()].map((s) => s.file);
  }

  /** A new private folder for one capture, for callers (the web upload) that write the file themselves. */
  async reserve(name: string): Promise<{ id: string; file: string }> {
    const id = randomBytes(8).toString('hex');
    const dir = path.join(this.root, id);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    return { id, file: path.join(dir, safeHarName(name)) };
  }

  /** Drops a reserved folder whose file never arrived. */
  async release(id: string): Promise<void> {
    if (!/^[a-f0-9]{16}$/.test(id)) return;
    await fsp.rm(path.join(this.root, id), { recursive: true, force: true });
  }

  /** Validates a file already placed by `reserve`; on error the folder is removed and the located HarError thrown. */
  async adopt(id: string, file: string, signal?: AbortSignal): Promise<HarFile> {
    const dir = path.dirname(file);
    try {
      const started = Date.now();
      const summary = await validateHar(file, { ...(signal ? { signal } : {}), onProgress: this.progress(id, 'import', started, path.basename(file)) });
      const harFile: HarFile = {
        id,
        name: path.basename(file),
        bytes: summary.bytes,
        entries: summary.entries,
        pages: summary.pages,
        creator: summary.creator ? `${summary.creator.name} ${summary.creator.version}`.trim() : null,
        importedAt: this.clock().toISOString(),
        options: { ...DEFAULT_CLEANING, keywords: [], profileIds: [] },
      };
      this.sessions.set(id, { file: harFile, dir, input: file, sanitized: null, sanitizedWith: null, analysis: null, running: null });
      this.deps.bus.emit('har.changed', { ids: [id] });
      return harFile;
    } catch (error) {
      await fsp.rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Copies a file the OS dialog chose into our folder and validates it. */
  async importPath(source: string, signal?: AbortSignal): Promise<HarFile> {
    const opened = await openRegularFile(source);
    if (!opened.ok) throw fileRefusal(path.basename(source), opened);
    const { id, file } = await this.reserve(path.basename(source)).catch(async (error: unknown) => {
      await opened.handle.close();
      throw error;
    });
    try {
      await pipeline(opened.handle.createReadStream(), fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }), ...(signal ? [{ signal }] : []));
    } catch (error) {
      await this.release(id);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') throw AppError.of('INVALID_REQUEST', 'errors.har.cannotRead', { file: path.basename(source), code });
      throw error;
    }
    return this.adopt(id, file, signal);
  }

  private require(id: string): Session {
    const session = this.sessions.get(id);
    if (!session) throw AppError.of('NOT_FOUND', 'errors.har.notOpen');
    return session;
  }

  /** Throttled har.progress events; `name` is the user's file name, shown beside the bar. */
  private progress(taskId: string, stage: HarProgress['stage'], started: number, name: string): (done: number, total: number) => void {
    let last = 0;
    return (done, total) => {
      const now = Date.now();
      if (done < total && now - last < PROGRESS_EVERY_MS) return;
      last = now;
      const bytesPerSecond = Math.round(done / Math.max((now - started) / 1000, 0.001));
      this.deps.bus.emit('har.progress', { taskId, stage, done, total, bytesPerSecond, message: name });
    };
  }

  /** Every stored secret of the chosen profiles; these go into the sanitiser and nowhere else. */
  private knownSecrets(profileIds: string[]): string[] {
    return profileIds.flatMap((id) => this.deps.secrets.revealAll(this.deps.profiles.requireId(id)));
  }

  /**
   * Sanitises to a temp copy (replacing the previous one) and analyses that copy, with the file's
   * remembered options plus `change`. The merged options are remembered before the work starts, so
   * a later review (another window, a reloaded page) cannot drop them, and a save refuses a copy
   * made with less.
   */
  async review(id: string, change: CleaningChange = {}): Promise<HarReview> {
    const session = this.require(id);
    const options = mergeCleaning(session.file.options, change);
    for (const p of options.profileIds) {
      try {
        this.deps.profiles.requireId(p);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
        throw AppError.of('NOT_FOUND', 'errors.har.cleaningProfileGone', {}, 'profileIds');
      }
    }
    if (!sameCleaning(options, session.file.options)) {
      session.file = { ...session.file, options };
      this.deps.bus.emit('har.changed', { ids: [id] });
    }
    session.running?.abort();
    const controller = new AbortController();
    session.running = controller;
    const knownSecrets = this.knownSecrets(options.profileIds);
    const region = options.profileIds.length > 0 ? (this.deps.profiles.get(options.profileIds[0]!).region as RegionId) : null;
    // A folder per review, so the copy (and the waterfall's title) carries the user's file name.
    const outDir = path.join(session.dir, `review-${randomBytes(4).toString('hex')}`);
    const output = path.join(outDir, session.file.name);
    await fsp.mkdir(outDir, { mode: 0o700 });
    try {
      const sanitized = await sanitizeHarFile(session.input, output, {
        knownSecrets,
        keywords: options.keywords,
        keepBodies: options.keepBodies,
        key: this.key,
        signal: controller.signal,
        onProgress: this.progress(id, 'sanitize', Date.now(), session.file.name),
      });
      const { analysis, svg } = await analyzeHarFile(output, {
        knowledge: this.deps.knowledge,
        region,
        signal: controller.signal,
        onProgress: this.progress(id, 'analyze', Date.now(), session.file.name),
        // The report's name has the keywords masked; the picture's title shows the same.
        name: sanitized.report.input.name,
      });
      const lang = this.deps.settings.get().language;
      const findings = analysis.findingCodes.map((code) => ({ code, title: harFindingTitle(this.deps.knowledge, analysis, code, lang) }));
      // Only now does the new copy replace the last one: a failure above leaves the last one in place.
      const previous = session.sanitized;
      session.sanitized = output;
      session.sanitizedWith = options;
      session.analysis = analysis;
      if (previous) {
        await fsp.rm(path.dirname(previous), { recursive: true, force: true }).catch((error: unknown) => {
          this.deps.log.warn('could not remove an older HAR copy', { error: (error as Error).message });
        });
      }
      // The file as this copy was made: its options are the ones the copy was cleaned with.
      return { file: { ...session.file, options }, report: sanitized.report, analysis, findings, svg };
    } catch (error) {
      await fsp.rm(outDir, { recursive: true, force: true });
      if (controller.signal.aborted) throw AppError.of('CONFLICT', 'errors.har.reviewReplaced');
      throw error;
    } finally {
      if (session.running === controller) session.running = null;
    }
  }

  /** The capture's facts behind a finding its last review raised; none when the file is gone or the review did not raise it. */
  findingParams(id: string, code: string): Params {
    const analysis = this.sessions.get(id)?.analysis;
    return analysis?.findingCodes.includes(code) ? harFindingParams(this.deps.knowledge, analysis, code) : {};
  }

  /**
   * The sanitised copy of the last review and the raw capture, for the inspector: the copy is what
   * TAC will see, the raw file only gives hints of what was replaced (see har-inspect.ts).
   */
  inspectable(id: string): { cleaned: string; raw: string } {
    const session = this.require(id);
    if (!session.sanitized) throw AppError.of('CONFLICT', 'errors.harInspector.notReviewed', undefined, 'id');
    return { cleaned: session.sanitized, raw: session.input };
  }

  /** The raw capture of an imported file and its chosen cleaning, for a build that sanitises it again (the support archive). */
  source(id: string): { path: string; name: string; options: HarCleaning } {
    const session = this.require(id);
    return { path: session.input, name: session.file.name, options: session.file.options };
  }

  /** The sanitised copy of the last review (for a download or a save), only when it has every protection chosen since. */
  sanitizedFile(id: string): { path: string; name: string } {
    const session = this.require(id);
    if (!session.sanitized || !session.sanitizedWith) throw AppError.of('CONFLICT', 'errors.har.reviewFirst');
    if (!coversCleaning(session.sanitizedWith, session.file.options)) {
      throw AppError.of('CONFLICT', 'errors.har.optionsChanged');
    }
    return { path: session.sanitized, name: session.file.name.replace(/(\.har)?$/i, '.sanitised.har') };
  }

  /** Copies the sanitised file to `target` atomically (temp beside it, fsync, rename). */
  async saveTo(id: string, target: string): Promise<void> {
    const { path: source } = this.sanitizedFile(id);
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fsp.copyFile(source, temp, fs.constants.COPYFILE_EXCL);
      const handle = await fsp.open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, target);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
  }

  async remove(id: string): Promise<{ removed: true }> {
    const session = this.require(id);
    session.running?.abort();
    this.sessions.delete(id);
    await fsp.rm(session.dir, { recursive: true, force: true });
    this.deps.bus.emit('har.changed', { ids: [id] });
    return { removed: true };
  }

  /**
   * Removes copies a crashed or killed process left behind. Only folders untouched for `maxAgeMs`:
   * the desktop app and the web host may share the data folder and be running side by side.
   */
  sweepStale(maxAgeMs = 24 * 3600 * 1000): number {
    const cutoff = this.clock().getTime() - maxAgeMs;
    return sweepWorkFolders(this.root, { inUse: (name) => this.sessions.has(name), stale: (dir) => fs.statSync(dir).mtimeMs <= cutoff, log: this.deps.log, what: 'could not remove a stale HAR copy' });
  }

  /** Deletes every copy this session made (app quit). */
  shutdown(): void {
    for (const s of this.sessions.values()) {
      s.running?.abort();
      removeQuietly(s.dir, this.deps.log, 'could not remove a HAR copy');
    }
    this.sessions.clear();
  }
}
