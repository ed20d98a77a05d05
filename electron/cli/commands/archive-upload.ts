import path from 'node:path';
import { CaseNumber } from '../../contract/archive.js';
import type { ContractError } from '../../contract/result.js';
import type { ArchiveUploadResult, UploadProgress, UploadRecord } from '../../contract/upload.js';
import { readEndpointsFile } from '../../core/checks/endpoints.js';
import { call, CommandFailed, print, printError, viaContract, type CliCommand, type Context } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import type { Language } from '../../contract/commands.js';
import { cliText } from '../text.js';

/** Refusals and failures of the upload itself (exit 1); everything else is the input's fault (exit 2). */
const UPLOAD_FAILURES = new Set(['unauthorized', 'forbidden', 'notFound', 'conflict', 'tooLarge', 'rejected', 'failed', 'cancelled'].map((k) => `errors.upload.${k}`));

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

function progressLine(p: UploadProgress): string {
  const part = p.files > 1 ? `${p.file + 1}/${p.files} ` : '';
  const attempt = `attempt ${p.attempt}/${p.maxAttempts}`;
  if (p.stage === 'checking') return `checking ${p.fileName} is an encrypted archive…`;
  if (p.stage === 'retrying') return `${part}${p.fileName}: attempt ${p.attempt} failed; trying again in ${p.retryInSeconds ?? 0} s`;
  if (p.stage === 'connecting') return `${part}${p.fileName}: connecting · ${attempt}`;
  const rate = p.rate ? ` · ${mib(p.rate)}/s` : '';
  const left = p.secondsLeft !== null && p.stage === 'sending' ? ` · ${p.secondsLeft} s left` : '';
  const pct = p.total > 0 ? ` (${Math.floor((p.bytes / p.total) * 100)}%)` : '';
  return `${part}${p.fileName}: ${mib(p.bytes)} of ${mib(p.total)}${pct}${rate}${left} · ${p.stage === 'waiting' ? 'waiting for CXD · ' : ''}${attempt}`;
}

function uploadedText(caseNumber: string, r: ArchiveUploadResult, lang: Language): string {
  const lines = [cliText(lang, 'cli.upload.uploaded', { case: caseNumber })];
  for (const u of r.uploads) {
    lines.push(`  ${u.fileName} · ${mib(u.bytes)} · SHA-256 ${u.sha256 ?? '–'} · HTTP ${u.httpStatus ?? '–'} · ${cliText(lang, 'cli.upload.attempts', { count: u.attempts })} · ${u.finishedAt}`);
  }
  for (const w of r.warnings) lines.push(cliText(lang, 'cli.upload.warning', { message: w.message }));
  if (r.tokenRemembered) lines.push(cliText(lang, 'cli.upload.tokenRemembered', { case: caseNumber }));
  lines.push('', cliText(lang, 'cli.upload.passwordSeparately'));
  return lines.join('\n');
}

function uploadsText(uploads: UploadRecord[], lang: Language): string {
  if (uploads.length === 0) return cliText(lang, 'cli.upload.none');
  return uploads
    .map((u) => `${u.finishedAt}  case ${u.caseNumber}  ${u.outcome.padEnd(9)}  HTTP ${String(u.httpStatus ?? '–').padEnd(3)}  ${String(u.attempts)}×  ${mib(u.bytes).padStart(10)}  ${u.fileName}  ${u.sha256 ?? ''}`)
    .join('\n');
}

/** The token from standard input (one line), or asked without echo on a terminal; never a flag. */
async function readToken(ctx: Context): Promise<string> {
  if (ctx.io.isTty) {
    if (!ctx.io.promptHidden) throw new UsageError('--token-stdin: pipe the upload token in (… | xet archive upload …)', 'token-stdin');
    return ctx.io.promptHidden('CXD upload token: ');
  }
  const text = (await ctx.io.readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw new UsageError('--token-stdin: standard input is empty; pipe the case’s upload token in', 'token-stdin');
  return text;
}

export const archiveUploadCommands: CliCommand[] = [
  {
    name: 'archive upload',
    usage: 'xet archive upload FILE [FILE.002 …] --case SR --token-stdin [--remember] [--force] [--proxy URL] [--endpoints FILE] [--json]',
    summary:
      'Upload a support archive (every part of a split one: give the .001) to the TAC case’s Customer eXperience Drive over HTTPS, the upload token read from standard input. Only this product’s ciphertext archives are sent (a plain zip, a HAR or an empty file is refused before any connection). Network errors, stalls and 5xx are retried; a refused case number or token is not. --remember keeps the token for the case in the vault; --force sends a file already uploaded to the case again. Exit 0 uploaded, 1 refused or failed, 2 usage or input error.',
    positionals: { min: 1, max: 999, names: 'FILE' },
    options: {
      case: { type: 'string' },
      'token-stdin': { type: 'boolean' },
      remember: { type: 'boolean' },
      force: { type: 'boolean' },
      proxy: { type: 'string' },
      endpoints: { type: 'string' },
    },
    async run(ctx, values, files) {
      const caseNumber = values.case === undefined ? undefined : String(values.case);
      if (!caseNumber) throw new UsageError('archive upload: --case SR is required (the TAC case / service request number)', 'case');
      if (!CaseNumber.safeParse(caseNumber).success) throw new UsageError(`--case "${caseNumber}": a TAC case (service request) number has 9 digits, e.g. 698765432`, 'case');
      if (values['token-stdin'] !== true) throw new UsageError('archive upload: give --token-stdin and pipe the case’s upload token in (it is never taken as a flag)', 'token-stdin');
      const endpoints = values.endpoints === undefined ? undefined : await viaContract(() => readEndpointsFile(String(values.endpoints)));
      const token = await readToken(ctx);
      const core = ctx.core();
      core.log.redactor.addSecret(token);
      const taskId = `cli-upload-${process.pid}-${Date.now()}`;
      const onSignal = () => core.uploads.cancel(taskId);
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const showProgress = !ctx.json && ctx.io.isTty;
      const unsubscribe = core.bus.subscribe((name, payload) => {
        if (!showProgress || name !== 'archive.uploadProgress' || (payload as UploadProgress).taskId !== taskId) return;
        ctx.io.stderr(`\r${progressLine(payload as UploadProgress)}\x1b[K`);
      });
      const host = { files: files.map((f) => path.resolve(f)), ...(values.proxy !== undefined ? { proxy: String(values.proxy) } : {}), ...(endpoints ? { endpoints } : {}) };
      const send = (confirmRepeat: boolean) =>
        core.dispatcher.call('archive.upload', { taskId, caseNumber, token, remember: values.remember === true, confirmRepeat }, host);
      const fail = (error: ContractError): number => {
        const code = printError(ctx.io, ctx.json, error, { lang: ctx.lang() });
        return error.key && UPLOAD_FAILURES.has(error.key) ? EXIT.FINDINGS : code;
      };
      try {
        let result = await send(values.force === true);
        if (!result.ok && result.error.key === 'errors.upload.repeat') {
          const params = result.error.params ?? {};
          if (!ctx.io.prompt || ctx.json) throw new CommandFailed({ ...result.error, key: 'cli.upload.repeatForce', message: cliText('en', 'cli.upload.repeatForce', params) });
          const yes = /^y(es)?$/i.test((await ctx.io.prompt(`${cliText(ctx.lang(), 'cli.upload.repeatAsk', params)} [y/N] `)).trim());
          if (!yes) throw new CommandFailed({ ...result.error, key: 'cli.upload.notSent', message: cliText('en', 'cli.upload.notSent') });
          result = await send(true);
        }
        if (!result.ok) return fail(result.error);
        return print(ctx, result.value, uploadedText(caseNumber, result.value, ctx.lang()));
      } finally {
        unsubscribe();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (showProgress) ctx.io.stderr('\r\x1b[K');
      }
    },
  },
  {
    name: 'archive token',
    usage: 'xet archive token --case SR [--forget] [--json]',
    summary: 'Whether an upload token is remembered for a TAC case (never its value); --forget removes it.',
    options: { case: { type: 'string' }, forget: { type: 'boolean' } },
    run(ctx, values) {
      const caseNumber = values.case === undefined ? '' : String(values.case);
      if (!CaseNumber.safeParse(caseNumber).success) throw new UsageError(`--case "${caseNumber}": a TAC case (service request) number has 9 digits, e.g. 698765432`, 'case');
      const text = (v: { stored: boolean; updatedAt: string | null }) =>
        v.stored ? `An upload token is remembered for case ${caseNumber} (since ${v.updatedAt}).` : values.forget === true ? `No upload token is remembered for case ${caseNumber} now.` : `No upload token is remembered for case ${caseNumber}.`;
      return call(ctx, values.forget === true ? 'cases.tokenClear' : 'cases.tokenStatus', { caseNumber }, text);
    },
  },
  {
    name: 'archive uploads',
    usage: 'xet archive uploads [--case SR] [--limit N] [--json]',
    summary: 'Support archives sent to TAC cases, newest first: time, case, outcome, HTTP status, attempts, size, file name and SHA-256 (never the token).',
    options: { case: { type: 'string' }, limit: { type: 'string' } },
    run(ctx, values) {
      const limit = values.limit === undefined ? 100 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError(`--limit "${String(values.limit)}": give a whole number from 1 to 500`, 'limit');
      return call(ctx, 'archive.uploads', { ...(values.case !== undefined ? { caseNumber: String(values.case) } : {}), limit }, (v) => uploadsText(v.uploads, ctx.lang()));
    },
  },
];
