import type { CollectedLogInfo } from '../../contract/appliance-logs.js';
import type { Profile } from '../../contract/profiles.js';
import { describeNetError } from '../checks/probes/probe.js';
import { LogApi, type ApiLogFile, type ApiSubscription } from './log-api.js';
import { classify, type LogCatalog } from './log-catalog.js';
import type { CleanResult } from './log-cleaner.js';
import { LogCleaners } from './log-cleaners.js';
import { LogFileError } from './log-errors.js';
import { hostKeywords } from './log-scrubber.js';
import { LogSpool } from './log-spool.js';

export interface LogImportSource {
  name: string;
  /** The raw bytes (a file on this disk, or an upload kept encrypted). */
  open(): AsyncIterable<Buffer>;
}

export interface CollectRequest {
  profile: Profile;
  /** base64(user:password), or null when no password is stored (only imports then). */
  basic: string | null;
  subscriptions: string[];
  window: { from: number; to: number };
  imports: LogImportSource[];
  perFileBytes: number;
  totalBytes: number;
  key: Buffer;
  knownSecrets: string[];
  /** Host names, API user and the user's keywords (empty when host names are included, but for the user's). */
  keywords: string[];
  includeHostnames: boolean;
  keepDomains: boolean;
  spoolDir: string;
  /** Who cleans the files (several at once on worker threads where there are cores); by default a pool for this collection. */
  cleaners?: LogCleaners;
  signal?: AbortSignal | undefined;
  onProgress?: (p: { subscription: string; file: string; filesDone: number; filesTotal: number; bytes: number }) => void;
}

export interface CollectedLog {
  subscription: string;
  file: string;
  source: 'api' | 'import';
  /** Where it came from: the API path, or "imported: <name>". */
  origin: string;
  path: string;
  spool: LogSpool;
  result: CleanResult;
}

export interface LogProblem {
  subscription: string;
  file: string;
  source: 'api' | 'import';
  problem: string;
  message: string;
}

export interface CollectResult {
  files: CollectedLog[];
  problems: LogProblem[];
  /** What the API said about the collection as a whole (CES, 404, 401/403, unreachable). */
  notices: { code: string; message: string }[];
  subscriptions: (ApiSubscription & { group: string | null; chosen: boolean })[];
  matchedFields: string[];
  window: { from: string; to: string };
  caps: { perFileBytes: number; totalBytes: number };
}

/** Which listed subscriptions the request names: `default` is the integration set of the catalogue. */
export function chooseSubscriptions(catalog: LogCatalog, subs: ApiSubscription[], wanted: string[]): Set<string> {
  const chosen = new Set<string>();
  for (const w of wanted) {
    if (w === 'default') {
      for (const s of subs) if (classify(catalog, s)?.optIn === false) chosen.add(s.name);
    } else if (subs.some((s) => s.name === w)) chosen.add(w);
  }
  return chosen;
}

/** The subscription an imported file belongs to, from its name (`api_logs.@2026….s` → the API log). */
function importSubscription(name: string): string {
  const base = name.replace(/\.(gz|current|[sc])$/g, '').replace(/\.(current|[sc])$/, '').replace(/\.@.*$/, '').replace(/\.[^.]*$/, '');
  const clean = base.replace(/[^\w.-]+/g, '_').slice(0, 64);
  return clean ? `imported-${clean}` : 'imported';
}

function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'log';
  return base.replace(/[^\w@.-]+/g, '_').replace(/^\.+/, '_').slice(0, 200) || 'log';
}

/**
 * Collects appliance logs for one archive: the chosen subscriptions' files for the window from the
 * API, and hand-imported files. Each file is cleaned completely into an encrypted spool; a file
 * that breaks is reported and dropped, the rest continues. The caller adds the spools to the
 * archive and removes them.
 */
export async function collectLogs(catalog: LogCatalog, request: CollectRequest): Promise<CollectResult> {
  const result: CollectResult = {
    files: [],
    problems: [],
    notices: [],
    subscriptions: [],
    matchedFields: [],
    window: { from: new Date(request.window.from).toISOString(), to: new Date(request.window.to).toISOString() },
    caps: { perFileBytes: request.perFileBytes, totalBytes: request.totalBytes },
  };
  const controller = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
  const hostNames = new Set<string>([request.profile.host]);
  // Its kept connections serve the listing and the downloads, and end with the collection.
  let logApi: LogApi | null = null;

  type Job = { subscription: string; file: string; source: 'api' | 'import'; origin: string; listed: ApiLogFile | null; open: () => Promise<AsyncIterable<Buffer>> };
  const jobs: Job[] = [];

  if (request.subscriptions.length > 0) {
    if (request.profile.kind === 'ces') result.notices.push({ code: 'ces', message: catalog.ces.en });
    else if (!request.basic) result.notices.push({ code: 'no-password', message: 'No API password is stored for this profile: no logs were pulled from the appliance.' });
    else {
      const api = new LogApi(request.profile, request.basic, catalog, signal);
      logApi = api;
      try {
        const subs = await api.subscriptions();
        if (!subs.ok) {
          const code = subs.status === 404 ? 'unavailable' : subs.status === 401 || subs.status === 403 ? 'forbidden' : 'unexpected';
          const why =
            code === 'unavailable'
              ? 'this AsyncOS release offers no log API (404); download the logs in the GUI (System Administration → Log Subscriptions) and add them by hand'
              : code === 'forbidden'
                ? `the API user may not read logs (${subs.status} ${subs.message}); use an administrator account or add the files by hand`
                : `unexpected answer ${subs.status} (${subs.message})`;
          result.notices.push({ code, message: `Log subscriptions could not be listed: ${why}.` });
        } else {
          result.matchedFields.push(...subs.matched);
          const chosen = chooseSubscriptions(catalog, subs.value, request.subscriptions);
          result.subscriptions = subs.value.map((s) => ({ ...s, group: classify(catalog, s)?.id ?? null, chosen: chosen.has(s.name) }));
          for (const name of request.subscriptions) {
            if (name !== 'default' && !subs.value.some((s) => s.name === name)) result.notices.push({ code: 'unknown-subscription', message: `The appliance has no log subscription named "${name}".` });
          }
          for (const sub of subs.value.filter((s) => chosen.has(s.name))) {
            const listed = await api.files(sub.name, request.window);
            if (!listed.ok) {
              result.problems.push({ subscription: sub.name, file: '', source: 'api', problem: 'download-failed', message: `its files could not be listed: ${listed.status} ${listed.message}` });
              continue;
            }
            for (const m of listed.matched) if (!result.matchedFields.includes(m)) result.matchedFields.push(m);
            for (const file of listed.value) {
              const at = api.downloadPath(sub.name, file);
              const a = api;
              jobs.push({
                subscription: sub.name,
                file: file.name,
                source: 'api',
                origin: at ? `GET ${at.split('?')[0]}` : `refused: ${file.downloadUrl ?? ''}`,
                listed: file,
                open: async () => {
                  if (!at) throw new LogFileError('foreign-url', `the listed download URL points at another host, port or scheme than the profile's API (${safeUrl(file.downloadUrl)}); it was not fetched, and no credentials were sent there`);
                  const { status, body } = await a.download(at);
                  if (status !== 200) {
                    body.resume();
                    throw new LogFileError('download-failed', `the download answered ${status}`);
                  }
                  return body as AsyncIterable<Buffer>;
                },
              });
            }
          }
          for (const n of api.certificateNames) hostNames.add(n);
        }
      } catch (error) {
        if (signal.aborted) {
          api.close();
          throw error;
        }
        result.notices.push({ code: 'unreachable', message: `The appliance's API could not be reached for logs: ${error instanceof Error && 'code' in error ? describeNetError(error) : (error as Error).message}.` });
      }
    }
  }
  for (const imp of request.imports) {
    jobs.push({ subscription: importSubscription(imp.name), file: safeFileName(imp.name), source: 'import', origin: `imported: ${safeFileName(imp.name)}`, listed: null, open: async () => imp.open() });
  }

  const keywords = [...request.keywords, ...(request.includeHostnames ? [] : hostKeywords([...hostNames]))];
  const scrub = { key: request.key, knownSecrets: request.knownSecrets, keywords, keepDomains: request.keepDomains };
  type Outcome = { spool: LogSpool; cleaned: CleanResult } | { problem: string; message: string } | null;
  const outcomes: Outcome[] = jobs.map(() => null);
  const cleaners = request.cleaners ?? new LogCleaners(jobs.length > 1 ? undefined : 1);
  // Finished files' output, and the caps of those being cleaned: a file starts beside others only
  // when all their caps and its own fit in the total, so every cap is exactly what it would be one
  // file after another.
  let finishedBytes = 0;
  let runningCaps = 0;
  let filesDone = 0;
  const running = new Set<Promise<void>>();

  const cleanOne = async (i: number, job: Job, cap: number): Promise<void> => {
    const spool = await LogSpool.create(request.spoolDir);
    try {
      const source = await job.open();
      const cleaned = await cleaners.clean(source, (d) => spool.write(d), {
        scrub,
        window: request.window,
        capBytes: cap,
        signal,
        onBytes: (bytes) => request.onProgress?.({ subscription: job.subscription, file: job.file, filesDone, filesTotal: jobs.length, bytes }),
      });
      const size = job.listed?.size ?? null;
      if (size !== null && !cleaned.capped) {
        const slack = catalog.limits.listingSlackBytes;
        const growing = /\.current$/.test(job.file);
        if (cleaned.rawBytes + slack < size || (!growing && cleaned.rawBytes > size + slack)) {
          throw new LogFileError('size-mismatch', `the listing said ${size} bytes but the download gave ${cleaned.rawBytes}: the file was not taken`);
        }
      }
      await spool.finish();
      finishedBytes += cleaned.outputBytes;
      outcomes[i] = { spool, cleaned };
    } catch (error) {
      await spool.remove();
      if (signal.aborted) return;
      if (error instanceof LogFileError) outcomes[i] = { problem: error.problem, message: error.message };
      else outcomes[i] = { problem: job.source === 'api' ? 'download-failed' : 'read-failed', message: (error as NodeJS.ErrnoException).code ? describeNetError(error) : (error as Error).message };
    } finally {
      filesDone++;
    }
  };

  try {
    for (const [i, job] of jobs.entries()) {
      while (running.size > 0 && (running.size >= cleaners.concurrency || request.totalBytes - finishedBytes - runningCaps < request.perFileBytes)) await Promise.race(running);
      if (signal.aborted) break;
      const remaining = request.totalBytes - finishedBytes - runningCaps;
      if (remaining <= 0) {
        outcomes[i] = { problem: 'total-cap', message: `left out: the total cap of ${mb(request.totalBytes)} for appliance logs was reached` };
        continue;
      }
      const cap = Math.min(request.perFileBytes, remaining);
      runningCaps += cap;
      const done: Promise<void> = cleanOne(i, job, cap).finally(() => {
        runningCaps -= cap;
        running.delete(done);
      });
      running.add(done);
    }
    await Promise.all(running);
  } finally {
    logApi?.close();
    if (!request.cleaners) await cleaners.close();
  }
  if (signal.aborted) {
    // Nothing half-collected stays behind, not even as ciphertext.
    await Promise.all(outcomes.map((o) => (o && 'spool' in o ? o.spool.remove() : undefined)));
    throw signal.reason;
  }

  // In the order of the jobs, whatever order they finished in: names, totals and lists are as one after another.
  const used = new Set<string>();
  for (const [i, job] of jobs.entries()) {
    const outcome = outcomes[i];
    if (!outcome) continue;
    if ('problem' in outcome) {
      result.problems.push({ subscription: job.subscription, file: job.file, source: job.source, problem: outcome.problem, message: outcome.message });
      continue;
    }
    // The archive holds the text: a gzip rotation goes in under its name without `.gz`.
    const file = outcome.cleaned.gzip ? job.file.replace(/\.gz$/i, '') : job.file;
    let name = `appliance-logs/${job.subscription}/${file}`;
    for (let n = 2; used.has(name); n++) name = `appliance-logs/${job.subscription}/${n}-${file}`;
    used.add(name);
    result.files.push({ subscription: job.subscription, file: job.file, source: job.source, origin: job.origin, path: name, spool: outcome.spool, result: outcome.cleaned });
  }
  request.onProgress?.({ subscription: '', file: '', filesDone: jobs.length, filesTotal: jobs.length, bytes: 0 });
  return result;
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/** The host and port of a refused URL, not its path or query (which could carry anything). */
function safeUrl(raw: string | null): string {
  try {
    const u = new URL(raw ?? '');
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'not a URL';
  }
}

/** What the archive result and the wizard show per file. */
export function collectedInfo(r: CollectResult): CollectedLogInfo[] {
  return [
    ...r.files.map((f) => ({ subscription: f.subscription, file: f.file, source: f.source, path: f.path, bytes: f.result.outputBytes, capped: f.result.capped, redactions: f.result.redactions, problem: null, message: null })),
    ...r.problems.map((p) => ({ subscription: p.subscription, file: p.file, source: p.source, path: null, bytes: 0, capped: false, redactions: {}, problem: p.problem, message: p.message })),
  ];
}
