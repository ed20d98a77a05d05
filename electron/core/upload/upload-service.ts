import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { ParsedRequestOf } from '../../contract/commands.js';
import type { ArchiveUploadResult, UploadProgress, UploadRecord } from '../../contract/upload.js';
import type { Endpoints } from '../checks/endpoints.js';
import { resolveProxy, type ProxyConfig } from '../checks/proxy.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../event-bus.js';
import type { HostOptions } from '../host-options.js';
import type { Logger } from '../logging/logger.js';
import type { CaseTokenStore } from './case-secrets.js';
import { checkCiphertext } from './ciphertext-check.js';
import { putFile, type PutOutcome } from './cxd-put.js';
import { RateMeter } from './rate-meter.js';
import type { UploadRepo } from './upload-repo.js';

/** Where TAC's Customer eXperience Drive takes files over HTTPS (domain.md §7, from public upload scripts). */
export const DEFAULT_CXD = 'https://cxd.cisco.com/';

export interface UploadTuning {
  /** Tries per file, the first included. */
  maxAttempts: number;
  /** Wait before the second try; doubled before each further one. */
  backoffMs: number;
  stallMs: number;
  continueTimeoutMs: number;
}

export const DEFAULT_TUNING: UploadTuning = { maxAttempts: 4, backoffMs: 2000, stallMs: 60_000, continueTimeoutMs: 3000 };

export interface UploadServiceDeps {
  repo: UploadRepo;
  tokens: CaseTokenStore;
  bus: EventBus;
  log: Logger;
  clock: () => Date;
  env: NodeJS.ProcessEnv;
  proxySetting: () => string | null;
  /** The lab endpoints file the core was started with (web host `--endpoints`), if any. */
  endpoints: Endpoints | undefined;
  /** The parts of an archive built in this session (ArchiveService). */
  archiveFiles: (id: string) => string[];
  userAgent: string;
  tuning?: Partial<UploadTuning>;
}

/** Statuses that are answers, not accidents: sending the same bytes again cannot change them. */
const REFUSALS: Record<number, { code: AppError['code']; key: `errors.upload.${string}` }> = {
  401: { code: 'UNAUTHORIZED', key: 'errors.upload.unauthorized' },
  403: { code: 'FORBIDDEN', key: 'errors.upload.forbidden' },
  404: { code: 'NOT_FOUND', key: 'errors.upload.notFound' },
  409: { code: 'CONFLICT', key: 'errors.upload.conflict' },
  413: { code: 'TOO_LARGE', key: 'errors.upload.tooLarge' },
};

/** Tokens seen in public scripts are 10–20 non-space characters; the format is unconfirmed. */
const USUAL_TOKEN = /^\S{10,20}$/;

type Parsed = ParsedRequestOf<'archive.upload'>;
type Host = HostOptions['archive.upload'] | undefined;

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Sends support archives to the TAC case's CXD: only after they proved to be ciphertext, one file
 * after another, each retried whole on network errors, stalls and 5xx (CXD offers no resume that we
 * know of), never retried on an answer that refuses it. Every file's outcome is recorded.
 */
export class UploadService {
  private readonly running = new Map<string, AbortController>();
  private readonly tuning: UploadTuning;

  constructor(private readonly deps: UploadServiceDeps) {
    this.tuning = { ...DEFAULT_TUNING, ...deps.tuning };
  }

  list(caseNumber: string | undefined, limit: number): UploadRecord[] {
    return this.deps.repo.list(caseNumber, limit);
  }

  cancel(taskId: string): { cancelled: boolean } {
    const controller = this.running.get(taskId);
    if (!controller) return { cancelled: false };
    controller.abort();
    return { cancelled: true };
  }

  shutdown(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  private files(request: Parsed, host: Host): string[] {
    if (host?.files?.length) {
      if (request.archiveId) throw AppError.of('INVALID_REQUEST', 'errors.upload.fileAndId', {}, 'archiveId');
      return host.files;
    }
    if (!request.archiveId) throw AppError.of('INVALID_REQUEST', 'errors.upload.noArchive', {}, 'archiveId');
    return this.deps.archiveFiles(request.archiveId);
  }

  private target(host: Host): { base: URL; ca: string | null; proxy: ProxyConfig | null } {
    const endpoints = host?.endpoints ?? this.deps.endpoints;
    // The endpoints file's roots vouch only for the endpoints it names; the real CXD keeps the public roots.
    const base = endpoints?.cxd ?? new URL(DEFAULT_CXD);
    const ca = endpoints?.cxd ? endpoints.trustedCa : null;
    let proxy: ProxyConfig | null;
    try {
      proxy = resolveProxy({ option: host?.proxy ?? null, setting: this.deps.proxySetting(), env: this.deps.env, targetHost: base.hostname }, this.deps.log.redactor);
    } catch (error) {
      throw AppError.of('INVALID_REQUEST', 'errors.upload.badProxy', { detail: (error as Error).message }, 'proxy');
    }
    return { base, ca, proxy };
  }

  async upload(request: Parsed, host: Host): Promise<ArchiveUploadResult> {
    const caseNumber = request.caseNumber;
    const remembered = request.token === undefined ? this.deps.tokens.reveal(caseNumber) : null;
    const token = request.token ?? remembered;
    if (!token) throw AppError.of('INVALID_REQUEST', 'errors.upload.noToken', { case: caseNumber }, 'token');
    const redactor = this.deps.log.redactor;
    redactor.addSecret(token);
    const basic = Buffer.from(`${caseNumber}:${token}`, 'utf8').toString('base64');
    redactor.addSecret(basic);
    const warnings: ArchiveUploadResult['warnings'] = [];
    if (!USUAL_TOKEN.test(token)) warnings.push({ code: 'token-shape', message: 'The upload token does not look like the ones seen so far (10–20 characters without spaces); sending it anyway.' });
    if (request.remember && request.token !== undefined) this.deps.tokens.ready();

    const taskId = request.taskId ?? randomBytes(8).toString('hex');
    if (this.running.has(taskId)) throw AppError.of('CONFLICT', 'errors.upload.taskBusy', {}, 'taskId');
    const controller = new AbortController();
    this.running.set(taskId, controller);
    try {
      const files = this.files(request, host);
      const base: Omit<UploadProgress, 'stage' | 'fileName' | 'file' | 'bytes' | 'total'> = { taskId, files: files.length, rate: null, secondsLeft: null, attempt: 0, maxAttempts: this.tuning.maxAttempts };
      this.deps.bus.emit('archive.uploadProgress', { ...base, stage: 'checking', fileName: path.basename(files[0] ?? ''), file: 0, bytes: 0, total: 0 });
      const checked = await checkCiphertext(files);
      for (const f of checked.files) {
        const before = this.deps.repo.previous(caseNumber, f.name, f.bytes);
        if (before && !request.confirmRepeat) throw AppError.of('CONFLICT', 'errors.upload.repeat', { file: f.name, case: caseNumber, when: before.finishedAt }, 'confirmRepeat');
      }
      const { base: cxd, ca, proxy } = this.target(host);
      this.deps.log.info('upload to CXD', { caseNumber, files: checked.files.length, mode: checked.mode, server: cxd.host, proxy: proxy?.display ?? null });
      const uploads: UploadRecord[] = [];
      for (const [index, f] of checked.files.entries()) {
        const url = new URL(`home/${encodeURIComponent(f.name)}`, cxd.href.endsWith('/') ? cxd : new URL(`${cxd.href}/`));
        uploads.push(await this.sendOne({ url, ca, proxy, authorization: `Basic ${basic}`, userAgent: this.deps.userAgent }, f, index, caseNumber, controller.signal, base));
      }
      let tokenRemembered = false;
      if (request.remember && request.token !== undefined) {
        this.deps.tokens.set(caseNumber, request.token);
        tokenRemembered = true;
      }
      return { uploads, warnings, tokenRemembered: tokenRemembered || remembered !== null };
    } finally {
      this.running.delete(taskId);
    }
  }

  /** One file, tried until it is stored, refused, out of attempts or cancelled; recorded either way. */
  private async sendOne(
    target: Parameters<typeof putFile>[0],
    file: { path: string; name: string; bytes: number },
    index: number,
    caseNumber: string,
    signal: AbortSignal,
    base: Omit<UploadProgress, 'stage' | 'fileName' | 'file' | 'bytes' | 'total'>,
  ): Promise<UploadRecord> {
    const startedAt = this.deps.clock().toISOString();
    const emit = (p: Pick<UploadProgress, 'stage' | 'bytes' | 'attempt' | 'rate' | 'secondsLeft'> & { retryInSeconds?: number }) =>
      this.deps.bus.emit('archive.uploadProgress', { ...base, ...p, fileName: file.name, file: index, total: file.bytes });
    const record = (outcome: UploadRecord['outcome'], attempts: number, last: PutOutcome, errorKey: string | null): UploadRecord =>
      this.deps.repo.insert({
        id: randomBytes(8).toString('hex'),
        caseNumber,
        fileName: file.name,
        bytes: file.bytes,
        sha256: last.kind === 'status' ? last.sha256 : null,
        startedAt,
        finishedAt: this.deps.clock().toISOString(),
        attempts,
        httpStatus: last.kind === 'status' ? last.status : null,
        outcome,
        errorKey,
      });
    for (let attempt = 1; ; attempt++) {
      const meter = new RateMeter();
      let lastEmit = 0;
      let stage: UploadProgress['stage'] = 'connecting';
      const progress = (bytes: number, force = false) => {
        const now = Date.now();
        const rate = meter.add(now, bytes);
        if (!force && now - lastEmit < 200) return;
        lastEmit = now;
        emit({ stage, bytes, attempt, rate, secondsLeft: rate ? Math.ceil((file.bytes - bytes) / rate) : null });
      };
      const outcome = await putFile(target, {
        file: file.path,
        bytes: file.bytes,
        stallMs: this.tuning.stallMs,
        continueTimeoutMs: this.tuning.continueTimeoutMs,
        signal,
        onStage: (s) => {
          stage = s;
          progress(meter.bytes, true);
        },
        onBytes: (bytes) => progress(bytes),
      });
      const detail = outcome.kind === 'status' ? `HTTP ${outcome.status}` : outcome.kind === 'stall' ? `no bytes accepted for ${Math.round(this.tuning.stallMs / 1000)} s` : outcome.kind === 'network' ? outcome.detail : 'cancelled';
      this.deps.log.info('upload attempt', { file: file.name, attempt, result: detail, sent: outcome.sent });
      if (outcome.kind === 'cancelled') {
        record('cancelled', attempt, outcome, 'errors.upload.cancelled');
        throw AppError.of('UNAVAILABLE', 'errors.upload.cancelled', { file: file.name, sent: outcome.sent });
      }
      if (outcome.kind === 'status' && outcome.status >= 200 && outcome.status < 300) {
        emit({ stage: 'done', bytes: file.bytes, attempt, rate: null, secondsLeft: 0 });
        return record('uploaded', attempt, outcome, null);
      }
      if (outcome.kind === 'status' && outcome.status < 500) {
        const refusal = REFUSALS[outcome.status] ?? { code: 'FORBIDDEN' as const, key: 'errors.upload.rejected' as const };
        record('refused', attempt, outcome, refusal.key);
        throw AppError.of(refusal.code, refusal.key, { file: file.name, case: caseNumber, status: outcome.status });
      }
      if (attempt >= this.tuning.maxAttempts) {
        record('failed', attempt, outcome, 'errors.upload.failed');
        throw AppError.of('UNAVAILABLE', 'errors.upload.failed', { file: file.name, attempts: attempt, detail });
      }
      const wait = this.tuning.backoffMs * 2 ** (attempt - 1);
      emit({ stage: 'retrying', bytes: outcome.sent, attempt, rate: null, secondsLeft: null, retryInSeconds: Math.ceil(wait / 1000) });
      if (!(await sleep(wait, signal))) {
        record('cancelled', attempt, outcome, 'errors.upload.cancelled');
        throw AppError.of('UNAVAILABLE', 'errors.upload.cancelled', { file: file.name, sent: outcome.sent });
      }
    }
  }
}
