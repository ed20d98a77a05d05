import fs from 'node:fs';
import path from 'node:path';
import { CaseNumber, MIN_SPLIT_BYTES, type ArchiveInfo } from '../../contract/archive.js';
import type { RequestOf } from '../../contract/commands.js';
import type { ArchiveCredentials, VerifyResult } from '../../core/archive/archive-reader.js';
import { readRegularFile } from '../../core/fs/regular-file.js';
import { MIN_KEYWORD_LENGTH } from '../../core/host-commands.js';
import { command, hostRequest, listOf, print, request, type CliCommand, type Context } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { findProfile } from './profiles.js';
import { count } from '../../core/english.js';
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

/** Certificate and key files are small; a larger one is refused before it is read (it could be /dev/zero). */
const MAX_PEM_FILE_BYTES = 200_000;

/**
 * A certificate or key file as PEM text. A DER certificate becomes one PEM block: decoded as UTF-8
 * its binary bytes would be mangled into an unreadable certificate.
 */
async function readPemFile(flag: string, file: string): Promise<string> {
  const read = await readRegularFile(file, MAX_PEM_FILE_BYTES);
  if (!read.ok) throw new UsageError(`${flag}: cannot read "${file}": ${read.problem}`, flag.replace(/^--/, ''));
  const data = read.data;
  // Said here, as the core's certificate reader says it, rather than as the schema's "too small".
  if (data.length === 0) throw new UsageError(`${path.basename(file)}: is empty (0 bytes).`, flag.replace(/^--/, ''));
  if (data[0] === 0x30 && !data.includes('-----BEGIN')) {
    return `-----BEGIN CERTIFICATE-----\n${data.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  }
  return data.toString('utf8');
}

/** A password from standard input (one trailing newline dropped), or asked twice on a terminal. */
async function readPassword(ctx: Context, confirm: boolean): Promise<string> {
  if (ctx.io.isTty) {
    if (!ctx.io.promptHidden) throw new UsageError('--password-stdin: pipe the password in (echo … | xet …)', 'password-stdin');
    const first = await ctx.io.promptHidden('Archive password: ');
    if (confirm && (await ctx.io.promptHidden('Repeat it: ')) !== first) throw new UsageError('the two passwords differ; nothing written', 'password-stdin');
    return first;
  }
  const text = (await ctx.io.readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw new UsageError('--password-stdin: standard input is empty', 'password-stdin');
  return text;
}

const CREDENTIAL_FLAGS = { 'password-stdin': { type: 'boolean' }, key: { type: 'string' }, cert: { type: 'string' } } as const;

async function credentials(ctx: Context, values: { 'password-stdin'?: boolean | undefined; key?: string | undefined; cert?: string | undefined }): Promise<ArchiveCredentials> {
  const { key, cert } = values;
  if (values['password-stdin'] === true) {
    if (key || cert) throw new UsageError('give --password-stdin or --key with --cert, not both', 'password-stdin');
    return { password: await readPassword(ctx, false) };
  }
  if (!key || !cert) throw new UsageError('give --password-stdin (password archive) or --key KEY.pem --cert CERT.pem (certificate archive)', key ? 'cert' : 'key');
  return { keyPem: await readPemFile('--key', key), certPem: await readPemFile('--cert', cert), certLabel: path.basename(cert) };
}

/** An entry name from an archive, escaped when it holds what a terminal would act on. */
function nameText(name: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name) ? JSON.stringify(name) : name;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${bytes} bytes`;
}

function createdText(info: ArchiveInfo, paths: string[], password: string | null): string {
  const lines = [
    `Wrote ${paths.length === 1 ? paths[0] : `${paths.length} parts: ${paths.join(', ')}`}`,
    `  ${info.mode === 'password' ? 'AES-256 zip (7-Zip, WinZip)' : 'CMS EnvelopedData (openssl cms -decrypt)'} · ${sizeText(info.bytes)} · SHA-256 ${info.sha256}`,
    `  ${info.files.length + 1} files: ${[...info.files.map((f) => f.path), 'manifest.json'].join(', ')}`,
  ];
  if (password) lines.push('', `Password: ${password}`, '  Shown once and not stored. Send it to TAC separately from the archive (e.g. in the case notes, not in the same e-mail).');
  for (const w of info.warnings) lines.push(`warning: ${w.message}`);
  for (const n of info.applianceLogNotices ?? []) lines.push(`appliance logs: ${n.message}`);
  for (const l of info.applianceLogs ?? []) if (l.problem) lines.push(`appliance logs: ${l.subscription}${l.file ? `/${l.file}` : ''} not taken: ${l.message}`);
  return lines.join('\n');
}

function verifyText(file: string, r: VerifyResult): string {
  const lines = [
    `${file}: ${r.mode === 'password' ? 'AES-256 zip' : 'CMS archive'}${r.parts > 1 ? ` in ${r.parts} parts` : ''}, ${sizeText(r.archiveBytes)}; made ${r.manifest.createdAt} by ${r.manifest.tool.name} ${r.manifest.tool.version}${r.manifest.caseNumber ? ` for case ${r.manifest.caseNumber}` : ''}.`,
  ];
  for (const f of r.files) lines.push(`  ${f.status === 'ok' ? 'OK      ' : f.status === 'missing' ? 'MISSING ' : 'MISMATCH'} ${nameText(f.path)} (${f.bytes} bytes)`);
  for (const u of r.unlisted) lines.push(`  UNLISTED ${nameText(u)}`);
  lines.push(r.ok ? `Every file matches its SHA-256 in manifest.json (${r.files.length} files).` : `NOT OK: ${r.problems.join('; ')}`);
  return lines.join('\n');
}

export const archiveCommands: CliCommand[] = [
  command({
    name: 'archive create',
    usage:
      'xet archive create --profile NAME [--run ID|latest …] [--har FILE …] [--keyword K …] [--keep-bodies] [--case SR] [--notes TEXT] [--include-hostnames] [--appliance-logs default|SUB,… [--since ISO --until ISO | --hours N | --logs-run ID] [--keep-domains]] [--log-file FILE …] (--password-stdin | --generate-password | --recipient-cert PEM …) -o OUT [--split SIZE] [--json]',
    summary:
      'Build the encrypted support archive for TAC: report.html, the runs, sanitised HARs (sanitised again here; raw HARs never enter), the redaction report, masked logs and a manifest with every SHA-256. A password gives an AES-256 zip (7-Zip, WinZip); --recipient-cert gives a CMS .p7m for OpenSSL. Host names, the API user and the profile name are replaced unless --include-hostnames. --split 20m cuts it into .001, .002 … parts. --appliance-logs pulls the appliance’s own logs for the window (default: the last 24 h) through its API, --log-file adds hand-downloaded ones; both are cleaned like HAR files and go only into the archive.',
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
      const profileName = values.profile;
      if (!profileName) throw new UsageError('archive create: --profile NAME is required', 'profile');
      const output = values.output;
      if (!output) throw new UsageError('archive create: -o OUT is required', 'output');
      const certFiles = list(values['recipient-cert']);
      const modes = [values['password-stdin'] === true, values['generate-password'] === true, certFiles.length > 0].filter(Boolean).length;
      if (modes !== 1) throw new UsageError('archive create: choose exactly one of --password-stdin, --generate-password or --recipient-cert PEM', 'password-stdin');
      if (values.case !== undefined && !CaseNumber.safeParse(values.case).success) {
        throw new UsageError(`--case "${values.case}": a TAC case (service request) number has 9 digits, e.g. 698765432`, 'case');
      }
      let splitBytes: number | undefined;
      if (values.split !== undefined) {
        const size = parseSize(values.split);
        if (size === null || size < MIN_SPLIT_BYTES) throw new UsageError(`--split "${values.split}": give a size of at least 1m, e.g. 20m or 1g`, 'split');
        splitBytes = size;
      }
      const harFiles = list(values.har).map((file) => {
        if (!fs.existsSync(file)) throw new UsageError(`--har: cannot read "${file}": ENOENT`, 'har');
        return path.resolve(file);
      });
      const keywords = list(values.keyword).map((k) => k.trim());
      const short = keywords.find((k) => k.length < MIN_KEYWORD_LENGTH);
      if (short !== undefined) throw new UsageError(`--keyword "${short}": keywords need at least ${MIN_KEYWORD_LENGTH} characters (shorter ones would scrub ordinary text)`, 'keyword');
      const profile = await findProfile(ctx, profileName);
      const runIds: string[] = [];
      for (const id of list(values.run)) {
        if (id !== 'latest') {
          runIds.push((await request(ctx, 'runs.get', { id }, { idPrefix: true })).id);
          continue;
        }
        const latest = (await request(ctx, 'runs.list', { profileId: profile.id, limit: 1 })).runs[0];
        if (!latest) throw new UsageError(`--run latest: profile "${profile.name}" has no stored runs yet (xet check --profile "${profile.name}")`, 'run');
        runIds.push(latest.id);
      }
      const logsPart = archiveLogsPart(values);
      if (runIds.length === 0 && harFiles.length === 0 && !logsPart) throw new UsageError('archive create: nothing to send; add --run latest (or a run id) and/or --har FILE', 'run');

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
      if (!fs.existsSync(path.dirname(target))) throw new UsageError(`-o: folder "${path.dirname(target)}" does not exist`, 'output');
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
      return print(ctx, { ...info, paths, ...(generated ? { password } : {}) }, createdText(info, paths, generated ? password : null));
    },
  }),
  command({
    name: 'archive verify',
    usage: 'xet archive verify FILE (--password-stdin | --key KEY.pem --cert CERT.pem) [--json]',
    summary:
      'Decrypt a support archive in memory (no plaintext is written) and check every file against its SHA-256 in manifest.json. For split archives give the .001 part. Exit 0 when all match, 1 when something differs, 2 when it cannot be opened (wrong password or key, truncated, not an archive).',
    positionals: { min: 1, max: 1, names: 'FILE' },
    options: CREDENTIAL_FLAGS,
    async run(ctx, values, [file]) {
      const creds = await credentials(ctx, values);
      const result = await hostRequest(ctx, 'archive.verifyFile', { file: path.resolve(file!), credentials: creds });
      print(ctx, result, verifyText(file!, result));
      return result.ok ? EXIT.OK : EXIT.FINDINGS;
    },
  }),
  command({
    name: 'archive list',
    usage: 'xet archive list FILE (--password-stdin | --key KEY.pem --cert CERT.pem) [--json]',
    summary: 'List what a support archive holds (after decrypting its manifest): every file with its size, and the case, profile summary and runs it was made for.',
    positionals: { min: 1, max: 1, names: 'FILE' },
    options: CREDENTIAL_FLAGS,
    async run(ctx, values, [file]) {
      const creds = await credentials(ctx, values);
      const { mode, entries, manifest } = await hostRequest(ctx, 'archive.listFile', { file: path.resolve(file!), credentials: creds });
      const p = manifest.profile;
      const lines = [
        `${file}: ${mode === 'password' ? 'AES-256 zip' : 'CMS archive'} made ${manifest.createdAt}${manifest.caseNumber ? ` for case ${manifest.caseNumber}` : ''}; profile ${p.label} (${p.kind.toUpperCase()}, ${p.region.toUpperCase()}${p.host ? `, ${p.host}` : ''}); ${count(manifest.runs.length, 'run')}, ${count(manifest.hars.length, 'HAR file')}.`,
        ...entries.map((e) => `  ${String(e.bytes).padStart(12)}  ${nameText(e.path)}`),
      ];
      return print(ctx, { mode, entries, manifest }, lines.join('\n'));
    },
  }),
];
