import fs from 'node:fs';
import path from 'node:path';
import { CaseNumber, MIN_SPLIT_BYTES, type ArchiveInfo } from '../../contract/archive.js';
import type { CollectedLogInfo } from '../../contract/appliance-logs.js';
import type { Language, RequestOf } from '../../contract/commands.js';
import type { ArchiveCredentials, VerifyResult } from '../../core/archive/archive-reader.js';
import { catalogueText } from '../../core/errors.js';
import { readRegularFile } from '../../core/fs/regular-file.js';
import { requireKeywords } from '../../core/host-commands.js';
import { command, findProfile, hostRequest, listOf, print, request, required, viaContract, type CliCommand, type Context } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { cliText, sizeText } from '../text.js';
import { archiveLogOptions, archiveLogsPart } from './logs.js';

const list = listOf;

/** `20m`, `20MB`, `1.5g`, `1048576` → bytes. */
export function parseSize(raw: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?$/i.exec(raw.trim());
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase()[0]!;
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit as 'b' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * factor);
}

/** `--case SR`: a TAC case (service request) number, refused with an example when it is none. */
export function caseFlag(value: string): string {
  if (!CaseNumber.safeParse(value).success) throw UsageError.of('cli.usage.caseNumber', { value }, 'case');
  return value;
}

/** Certificate and key files are small; a larger one is refused before it is read (it could be /dev/zero). */
const MAX_PEM_FILE_BYTES = 200_000;

/**
 * A certificate or key file as PEM text. A DER certificate becomes one PEM block: decoded as UTF-8
 * its binary bytes would be mangled into an unreadable certificate.
 */
async function readPemFile(flag: string, file: string): Promise<string> {
  const read = await readRegularFile(file, MAX_PEM_FILE_BYTES);
  if (!read.ok) throw UsageError.of('cli.usage.cannotRead', { flag, file, problem: read.key, ...read.params }, flag.replace(/^--/, ''));
  const data = read.data;
  // Said here, as the core's certificate reader says it, rather than as the schema's "too small".
  if (data.length === 0) throw UsageError.of('cli.usage.emptyFile', { name: path.basename(file) }, flag.replace(/^--/, ''));
  if (data[0] === 0x30 && !data.includes('-----BEGIN')) {
    return `-----BEGIN CERTIFICATE-----\n${data.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  }
  return data.toString('utf8');
}

/** A password from standard input (one trailing newline dropped), or asked twice on a terminal. */
async function readPassword(ctx: Context, confirm: boolean): Promise<string> {
  if (ctx.io.isTty) {
    if (!ctx.io.promptHidden) throw UsageError.of('cli.usage.passwordNotPiped', undefined, 'password-stdin');
    const first = await ctx.io.promptHidden(cliText(ctx.lang(), 'cli.prompt.archivePassword'));
    if (confirm && (await ctx.io.promptHidden(cliText(ctx.lang(), 'cli.prompt.repeat'))) !== first) throw UsageError.of('cli.usage.passwordsDiffer', undefined, 'password-stdin');
    return first;
  }
  const text = (await ctx.io.readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw UsageError.of('cli.usage.passwordEmpty', undefined, 'password-stdin');
  return text;
}

const CREDENTIAL_FLAGS = { 'password-stdin': { type: 'boolean' }, key: { type: 'string' }, cert: { type: 'string' } } as const;

async function credentials(ctx: Context, values: { 'password-stdin'?: boolean | undefined; key?: string | undefined; cert?: string | undefined }): Promise<ArchiveCredentials> {
  const { key, cert } = values;
  if (values['password-stdin'] === true) {
    if (key || cert) throw UsageError.of('cli.usage.passwordOrKey', undefined, 'password-stdin');
    return { password: await readPassword(ctx, false) };
  }
  if (!key || !cert) throw UsageError.of('cli.usage.credentials', undefined, key ? 'cert' : 'key');
  return { keyPem: await readPemFile('--key', key), certPem: await readPemFile('--cert', cert), certLabel: path.basename(cert) };
}

/** `archive verify` and `archive list`: FILE, opened with a password from standard input or a key and certificate. */
function openedArchiveCommand(name: string, summary: `cli.help.${string}`, act: (ctx: Context, file: string, credentials: ArchiveCredentials) => Promise<number>): CliCommand {
  return command({
    name,
    usage: `xet ${name} FILE (--password-stdin | --key KEY.pem --cert CERT.pem) [--json]`,
    summary,
    positionals: { min: 1, max: 1, names: 'FILE' },
    options: CREDENTIAL_FLAGS,
    run: async (ctx, values, [file]) => act(ctx, file!, await credentials(ctx, values)),
  });
}

/** An entry name from an archive, escaped when it holds what a terminal would act on. */
function nameText(name: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name) ? JSON.stringify(name) : name;
}

function createdText(info: ArchiveInfo, paths: string[], password: string | null, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Record<string, string | number>) => cliText(lang, key, params);
  const lines = [
    paths.length === 1 ? t('cli.archive.wrote', { file: paths[0]! }) : t('cli.archive.wroteParts', { count: paths.length, files: paths.join(', ') }),
    `  ${info.mode === 'password' ? 'AES-256 zip (7-Zip, WinZip)' : 'CMS EnvelopedData (openssl cms -decrypt)'} · ${sizeText(info.bytes, lang)} · SHA-256 ${info.sha256}`,
    `  ${t('cli.archive.files', { count: info.files.length + 1, files: [...info.files.map((f) => f.path), 'manifest.json'].join(', ') })}`,
  ];
  const taken = (info.applianceLogs ?? []).filter((l) => !l.problem);
  if (taken.length > 0) lines.push(`  ${t('cli.archive.logsTaken', { count: taken.length, size: sizeText(taken.reduce((n, l) => n + l.bytes, 0), lang), rules: logRulesText(taken, lang) })}`);
  if (password) lines.push('', t('cli.archive.password', { password }), `  ${t('cli.archive.passwordOnce')}`);
  for (const w of info.warnings) lines.push(t('cli.upload.warning', { message: w.message }));
  for (const n of info.applianceLogNotices ?? []) lines.push(t('cli.archive.logsNotice', { message: n.message }));
  for (const l of info.applianceLogs ?? []) if (l.problem) lines.push(t('cli.archive.logsNotTaken', { file: `${l.subscription}${l.file ? `/${l.file}` : ''}`, message: l.message ?? '' }));
  return lines.join('\n');
}

/** The collected logs' redactions summed per rule, most first, each by its name as the app shows it. */
function logRulesText(files: readonly CollectedLogInfo[], lang: Language): string {
  const totals = new Map<string, number>();
  for (const f of files) for (const [rule, n] of Object.entries(f.redactions)) totals.set(rule, (totals.get(rule) ?? 0) + n);
  const named = [...totals].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  if (named.length === 0) return cliText(lang, 'cli.archive.logsNothingReplaced');
  return named.map(([rule, n]) => `${catalogueText(`applianceLogs.rules.${rule}`, undefined, lang) ?? rule} ${new Intl.NumberFormat(lang).format(n)}`).join(', ');
}

const archiveKind = (mode: 'password' | 'certificate', lang: Language): string => cliText(lang, mode === 'password' ? 'cli.archive.kindZip' : 'cli.archive.kindCms');
const forCase = (caseNumber: string | null | undefined, lang: Language): string => (caseNumber ? cliText(lang, 'cli.archive.forCase', { case: caseNumber }) : '');

const FILE_STATUS = { ok: 'OK      ', missing: 'MISSING ', mismatch: 'MISMATCH' } as const;

function verifyText(file: string, r: VerifyResult, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Record<string, string | number>) => cliText(lang, key, params);
  const kind = archiveKind(r.mode, lang);
  const what = r.parts > 1 ? t('cli.archive.inParts', { kind, count: r.parts }) : kind;
  const made = t('cli.archive.madeBy', { when: r.manifest.createdAt, tool: `${r.manifest.tool.name} ${r.manifest.tool.version}`, forCase: forCase(r.manifest.caseNumber, lang) });
  const lines = [`${file}: ${what}, ${sizeText(r.archiveBytes, lang)}; ${made}.`];
  for (const f of r.files) lines.push(`  ${FILE_STATUS[f.status]} ${nameText(f.path)} (${t('cli.units.bytes', { count: f.bytes })})`);
  for (const u of r.unlisted) lines.push(`  UNLISTED ${nameText(u)}`);
  lines.push(r.ok ? t('cli.archive.allMatch', { count: r.files.length }) : `NOT OK: ${r.problems.join('; ')}`);
  return lines.join('\n');
}

export const archiveCommands: CliCommand[] = [
  command({
    name: 'archive create',
    usage:
      'xet archive create --profile NAME [--run ID|latest …] [--har FILE …] [--keyword K …] [--keep-bodies] [--case SR] [--notes TEXT] [--include-hostnames] [--appliance-logs default|SUB,… [--since ISO --until ISO | --hours N | --logs-run ID] [--keep-domains]] [--log-file FILE …] (--password-stdin | --generate-password | --recipient-cert PEM …) -o OUT [--split SIZE] [--json]',
    summary: 'cli.help.archiveCreate',
    options: {
      profile: { type: 'string' },
      run: { type: 'string', multiple: true },
      har: { type: 'string', multiple: true },
      keyword: { type: 'string', multiple: true },
      'keep-bodies': { type: 'boolean' },
      case: { type: 'string' },
      notes: { type: 'string' },
      'include-hostnames': { type: 'boolean' },
      'password-stdin': { type: 'boolean' },
      'generate-password': { type: 'boolean' },
      'recipient-cert': { type: 'string', multiple: true },
      output: { type: 'string', short: 'o' },
      split: { type: 'string' },
      ...archiveLogOptions,
    },
    flags: {
      '--profile': 'profileId',
      '--run': 'runIds',
      '--case': 'caseNumber',
      '--notes': 'notes',
      '--password-stdin': 'encryption.password',
      '--split': 'splitBytes',
      // --recipient-cert is left out: the core's refusal names the certificate file itself.
    },
    async run(ctx, values) {
      const profileName = required('archive create', '--profile NAME', values.profile, 'profile');
      const output = required('archive create', '-o OUT', values.output, 'output');
      const certFiles = list(values['recipient-cert']);
      const modes = [values['password-stdin'] === true, values['generate-password'] === true, certFiles.length > 0].filter(Boolean).length;
      if (modes !== 1) throw UsageError.of('cli.usage.oneEncryption', undefined, 'password-stdin');
      if (values.case !== undefined) caseFlag(values.case);
      let splitBytes: number | undefined;
      if (values.split !== undefined) {
        const size = parseSize(values.split);
        if (size === null || size < MIN_SPLIT_BYTES) throw UsageError.of('cli.usage.split', { value: values.split }, 'split');
        splitBytes = size;
      }
      const harFiles = list(values.har).map((file) => {
        if (!fs.existsSync(file)) throw UsageError.of('cli.usage.cannotRead', { flag: '--har', file, problem: 'ENOENT' }, 'har');
        return path.resolve(file);
      });
      const keywords = await viaContract(() => requireKeywords(list(values.keyword)));
      const profile = await findProfile(ctx, profileName);
      const runIds: string[] = [];
      for (const id of list(values.run)) {
        if (id !== 'latest') {
          runIds.push((await request(ctx, 'runs.get', { id }, { idPrefix: true })).id);
          continue;
        }
        const latest = (await request(ctx, 'runs.list', { profileId: profile.id, limit: 1 })).runs[0];
        if (!latest) throw UsageError.of('cli.usage.noRunsYet', { profile: profile.name }, 'run');
        runIds.push(latest.id);
      }
      const logsPart = await archiveLogsPart(values);
      if (runIds.length === 0 && harFiles.length === 0 && !logsPart) throw UsageError.of('cli.usage.nothingToSend', undefined, 'run');

      let password: string | null = null;
      let generated = false;
      let encryption: RequestOf<'archive.create'>['encryption'];
      if (values['generate-password'] === true) {
        password = (await request(ctx, 'archive.generatePassphrase', {})).passphrase;
        generated = true;
        encryption = { mode: 'password', password };
      } else if (values['password-stdin'] === true) {
        // Its strength is judged by the core (archive.create); the flag map names --password-stdin.
        password = await readPassword(ctx, true);
        encryption = { mode: 'password', password };
      } else {
        const certificates = [];
        for (const f of certFiles) certificates.push({ name: path.basename(f), pem: await readPemFile('--recipient-cert', f) });
        encryption = { mode: 'certificate', certificates };
      }
      const target = path.resolve(output);
      if (!fs.existsSync(path.dirname(target))) throw UsageError.of('cli.usage.noFolder', { flag: '-o', folder: path.dirname(target) }, 'output');
      const taskId = `cli-${process.pid}-${Date.now()}`;
      const core = ctx.core();
      // Ctrl-C stops the build cleanly: the temp file beside OUT is removed, OUT is never written.
      const onSignal = () => void request(ctx, 'archive.cancel', { taskId });
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const showProgress = !ctx.json && ctx.io.isTty;
      const unsubscribe = core.bus.on('archive.progress', (p) => {
        if (!showProgress || p.taskId !== taskId) return;
        ctx.io.stderr(`\r${p.message}${p.total > 1 ? ` · ${Math.floor((p.done / Math.max(p.total, 1)) * 100)}%` : ''}\x1b[K`);
      });
      let info: ArchiveInfo;
      try {
        info = await request(
          ctx,
          'archive.create',
          {
            taskId,
            profileId: profile.id,
            runIds,
            includeHostnames: values['include-hostnames'] === true,
            encryption,
            ...(values.case !== undefined ? { caseNumber: values.case } : {}),
            ...(values.notes !== undefined ? { notes: values.notes } : {}),
            ...(splitBytes ? { splitBytes } : {}),
            ...(logsPart ? { applianceLogs: { ...logsPart.request, keywords } } : {}),
          },
          { target, harFiles: harFiles.map((p) => ({ path: p, keywords, keepBodies: values['keep-bodies'] === true })), logFiles: logsPart?.logFiles ?? [] },
        );
      } finally {
        unsubscribe();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        if (showProgress) ctx.io.stderr('\r\x1b[K');
      }
      const paths = info.parts.map((p) => path.join(path.dirname(target), p.name));
      return print(ctx, { ...info, paths, ...(generated ? { password } : {}) }, createdText(info, paths, generated ? password : null, ctx.lang()));
    },
  }),
  openedArchiveCommand('archive verify', 'cli.help.archiveVerify', async (ctx, file, credentials) => {
    const result = await hostRequest(ctx, 'archive.verifyFile', { file: path.resolve(file), credentials });
    print(ctx, result, verifyText(file, result, ctx.lang()));
    return result.ok ? EXIT.OK : EXIT.FINDINGS;
  }),
  openedArchiveCommand('archive list', 'cli.help.archiveList', async (ctx, file, credentials) => {
    const { mode, entries, manifest } = await hostRequest(ctx, 'archive.listFile', { file: path.resolve(file), credentials });
    const p = manifest.profile;
    const lang = ctx.lang();
    const profile = `${p.label} (${p.kind.toUpperCase()}, ${p.region.toUpperCase()}${p.host ? `, ${p.host}` : ''})`;
    const lines = [
      `${file}: ${cliText(lang, 'cli.archive.listed', { kind: archiveKind(mode, lang), when: manifest.createdAt, forCase: forCase(manifest.caseNumber, lang), profile, runs: manifest.runs.length, hars: manifest.hars.length })}`,
      ...entries.map((e) => `  ${String(e.bytes).padStart(12)}  ${nameText(e.path)}`),
    ];
    return print(ctx, { mode, entries, manifest }, lines.join('\n'));
  }),
];
