import path from 'node:path';
import type { Language } from '../../contract/commands.js';
import type { ContractError } from '../../contract/result.js';
import type { ArchiveUploadResult, UploadProgress, UploadRecord } from '../../contract/upload.js';
import { readEndpointsFile } from '../../core/checks/endpoints.js';
import { askYesNo, call, command, CommandFailed, print, printError, viaContract, wholeNumber, type CliCommand, type Context } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { cliText, sizeText } from '../text.js';
import { caseFlag } from './archive.js';

/** Refusals and failures of the upload itself (exit 1); everything else is the input's fault (exit 2). */
const UPLOAD_FAILURES = new Set(['unauthorized', 'forbidden', 'notFound', 'conflict', 'tooLarge', 'rejected', 'failed', 'cancelled'].map((k) => `errors.upload.${k}`));

function progressLine(p: UploadProgress, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Record<string, string | number>) => cliText(lang, key, params);
  const name = p.files > 1 ? `${p.file + 1}/${p.files} ${p.fileName}` : p.fileName;
  const attempt = t('cli.upload.attempt', { attempt: p.attempt, max: p.maxAttempts });
  if (p.stage === 'checking') return t('cli.upload.checking', { file: p.fileName });
  if (p.stage === 'retrying') return t('cli.upload.retrying', { file: name, attempt: p.attempt, seconds: p.retryInSeconds ?? 0 });
  if (p.stage === 'connecting') return `${name}: ${t('cli.upload.connecting')} · ${attempt}`;
  const rate = p.rate ? ` · ${sizeText(p.rate, lang)}/s` : '';
  const left = p.secondsLeft !== null && p.stage === 'sending' ? ` · ${t('cli.upload.secondsLeft', { seconds: p.secondsLeft })}` : '';
  const pct = p.total > 0 ? ` (${Math.floor((p.bytes / p.total) * 100)}%)` : '';
  const waiting = p.stage === 'waiting' ? `${t('cli.upload.waiting')} · ` : '';
  return `${name}: ${t('cli.upload.progress', { done: sizeText(p.bytes, lang), total: sizeText(p.total, lang) })}${pct}${rate}${left} · ${waiting}${attempt}`;
}

function uploadedText(caseNumber: string, r: ArchiveUploadResult, lang: Language): string {
  const lines = [cliText(lang, 'cli.upload.uploaded', { case: caseNumber })];
  for (const u of r.uploads) {
    lines.push(`  ${u.fileName} · ${sizeText(u.bytes, lang)} · SHA-256 ${u.sha256 ?? '–'} · HTTP ${u.httpStatus ?? '–'} · ${cliText(lang, 'cli.upload.attempts', { count: u.attempts })} · ${u.finishedAt}`);
  }
  for (const w of r.warnings) lines.push(cliText(lang, 'cli.upload.warning', { message: w.message }));
  if (r.tokenRemembered) lines.push(cliText(lang, 'cli.upload.tokenRemembered', { case: caseNumber }));
  lines.push('', cliText(lang, 'cli.upload.passwordSeparately'));
  return lines.join('\n');
}

function uploadsText(uploads: UploadRecord[], lang: Language): string {
  if (uploads.length === 0) return cliText(lang, 'cli.upload.none');
  return uploads
    .map((u) => `${u.finishedAt}  ${cliText(lang, 'cli.upload.case', { case: u.caseNumber })}  ${u.outcome.padEnd(9)}  HTTP ${String(u.httpStatus ?? '–').padEnd(3)}  ${String(u.attempts)}×  ${sizeText(u.bytes, lang).padStart(10)}  ${u.fileName}  ${u.sha256 ?? ''}`)
    .join('\n');
}

/** The token from standard input (one line), or asked without echo on a terminal; never a flag. */
async function readToken(ctx: Context): Promise<string> {
  if (ctx.io.isTty) {
    if (!ctx.io.promptHidden) throw UsageError.of('cli.usage.tokenNotPiped', undefined, 'token-stdin');
    return ctx.io.promptHidden(cliText(ctx.lang(), 'cli.prompt.uploadToken'));
  }
  const text = (await ctx.io.readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw UsageError.of('cli.usage.tokenEmpty', undefined, 'token-stdin');
  return text;
}

export const archiveUploadCommands: CliCommand[] = [
  command({
    name: 'archive upload',
    usage: 'xet archive upload FILE [FILE.002 …] --case SR --token-stdin [--remember] [--force] [--proxy URL] [--endpoints FILE] [--json]',
    summary: 'cli.help.archiveUpload',
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
      if (values.case === undefined) throw UsageError.of('cli.usage.caseRequired', undefined, 'case');
      const caseNumber = caseFlag(values.case);
      if (values['token-stdin'] !== true) throw UsageError.of('cli.usage.tokenStdinRequired', undefined, 'token-stdin');
      const endpointsFile = values.endpoints;
      const endpoints = endpointsFile === undefined ? undefined : await viaContract(() => readEndpointsFile(endpointsFile));
      const token = await readToken(ctx);
      const core = ctx.core();
      core.log.redactor.addSecret(token);
      const taskId = `cli-upload-${process.pid}-${Date.now()}`;
      const onSignal = () => void core.dispatcher.call('archive.uploadCancel', { taskId });
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const showProgress = !ctx.json && ctx.io.isTty;
      const unsubscribe = core.bus.subscribe((name, payload) => {
        if (!showProgress || name !== 'archive.uploadProgress' || (payload as UploadProgress).taskId !== taskId) return;
        ctx.io.stderr(`\r${progressLine(payload as UploadProgress, ctx.lang())}\x1b[K`);
      });
      const host = { files: files.map((f) => path.resolve(f)), ...(values.proxy !== undefined ? { proxy: values.proxy } : {}), ...(endpoints ? { endpoints } : {}) };
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
          const refusal = new CommandFailed({ ...result.error, key: 'cli.upload.repeatForce', message: cliText('en', 'cli.upload.repeatForce', params) });
          if (ctx.json) throw refusal;
          if (!(await askYesNo(ctx, cliText(ctx.lang(), 'cli.upload.repeatAsk', params), refusal))) throw new CommandFailed({ ...result.error, key: 'cli.upload.notSent', message: cliText('en', 'cli.upload.notSent') });
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
  }),
  command({
    name: 'archive token',
    usage: 'xet archive token --case SR [--forget] [--json]',
    summary: 'cli.help.archiveToken',
    options: { case: { type: 'string' }, forget: { type: 'boolean' } },
    run(ctx, values) {
      const caseNumber = caseFlag(values.case ?? '');
      const text = (v: { stored: boolean; updatedAt: string | null }, lang: Language) =>
        cliText(lang, v.stored ? 'cli.upload.tokenStored' : values.forget === true ? 'cli.upload.tokenForgotten' : 'cli.upload.noToken', { case: caseNumber, since: v.updatedAt ?? '–' });
      return call(ctx, values.forget === true ? 'cases.tokenClear' : 'cases.tokenStatus', { caseNumber }, text);
    },
  }),
  command({
    name: 'archive uploads',
    usage: 'xet archive uploads [--case SR] [--limit N] [--json]',
    summary: 'cli.help.archiveUploads',
    options: { case: { type: 'string' }, limit: { type: 'string' } },
    run(ctx, values) {
      const limit = wholeNumber('--limit', values.limit, 1, 500, 'limit') ?? 100;
      return call(ctx, 'archive.uploads', { ...(values.case !== undefined ? { caseNumber: values.case } : {}), limit }, (v, lang) => uploadsText(v.uploads, lang));
    },
  }),
];
