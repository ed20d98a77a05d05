import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../contract/commands.js';
import { Port, ProfileKind, RegionId, SecretKind, type CertificateInfo, type ImportResult, type Profile, type ProfileInput } from '../../contract/profiles.js';
import { writeFileAtomic } from '../../core/fs/atomic-write.js';
import { fileRefusal, readRegularFile } from '../../core/fs/regular-file.js';
import { decodeImportFile, MAX_IMPORT_BYTES } from '../../core/profiles/profile-transfer.js';
import { askYesNo, call, command, commandFailed, failure, findProfile, flagValue, hostRequest, print, request, required, viaContract, type CliCommand, type CommandShape, type Context, type Options, type ValuesOf } from '../command.js';
import { EXIT, UsageError } from '../io.js';
import { cliText, labelled, table } from '../text.js';

const PROFILE_FLAGS = {
  name: { type: 'string' },
  kind: { type: 'string' },
  host: { type: 'string' },
  region: { type: 'string' },
  'https-port': { type: 'string' },
  'no-https': { type: 'boolean' },
  'http-port': { type: 'string' },
  'no-http': { type: 'boolean' },
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'ca-file': { type: 'string' },
  'pin-sha256': { type: 'string' },
  'trust-system': { type: 'boolean' },
  cluster: { type: 'string' },
  notes: { type: 'string' },
  'xdr-client-id': { type: 'string' },
} as const;
type ProfileValues = ValuesOf<typeof PROFILE_FLAGS>;

const PROFILE_USAGE_FLAGS =
  '--name N --kind esa|sma|ces --host H --region nam|eu|apjc [--https-port P|--no-https] [--http-port P|--no-http] [--username U] [--password-stdin] [--ca-file F | --pin-sha256 FP | --trust-system] [--cluster C] [--notes T] [--xdr-client-id ID ("" removes it)]';

/** Flag → the field of `profile` it sets, so a refusal names the flag the user typed. */
const PROFILE_FIELDS = {
  '--name': 'profile.name',
  '--kind': 'profile.kind',
  '--host': 'profile.host',
  '--region': 'profile.region',
  '--https-port': 'profile.httpsPort',
  '--http-port': 'profile.httpPort',
  '--username': 'profile.username',
  '--cluster': 'profile.cluster',
  '--notes': 'profile.notes',
  '--pin-sha256': 'profile.trust.sha256',
  '--ca-file': 'profile.trust.pem',
  '--xdr-client-id': 'profile.xdrClientId',
  '--password-stdin': 'password',
} as const;

const port = (flag: string, field: string, v: string): number => flagValue(flag, field, Port, /^\d+$/.test(v) ? Number(v) : v);

function readCaFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw UsageError.of('cli.usage.cannotRead', { flag: '--ca-file', file, problem: failure(error) }, 'trust.pem');
  }
}

/** Applies the flags that were given on top of `base` (all fields for add, the stored ones for edit). */
function applyFlags(values: ProfileValues, base: ProfileInput): ProfileInput;
function applyFlags(values: ProfileValues, base: Partial<ProfileInput>): Partial<ProfileInput>;
function applyFlags(values: ProfileValues, base: Partial<ProfileInput>): Partial<ProfileInput> {
  const out: Partial<ProfileInput> = { ...base };
  if (values.name !== undefined) out.name = values.name;
  if (values.kind !== undefined) out.kind = flagValue('--kind', 'profile.kind', ProfileKind, values.kind);
  if (values.host !== undefined) out.host = values.host;
  if (values.region !== undefined) out.region = flagValue('--region', 'profile.region', RegionId, values.region);
  if (values.username !== undefined) out.username = values.username;
  if (values.notes !== undefined) out.notes = values.notes;
  if (values.cluster !== undefined) out.cluster = values.cluster;
  if (values['https-port'] !== undefined) {
    out.httpsPort = port('--https-port', 'profile.httpsPort', values['https-port']);
    out.httpsEnabled = true;
  }
  if (values['http-port'] !== undefined) {
    out.httpPort = port('--http-port', 'profile.httpPort', values['http-port']);
    out.httpEnabled = true;
  }
  if (values['xdr-client-id'] !== undefined) out.xdrClientId = values['xdr-client-id'];
  if (values['no-https'] === true) out.httpsEnabled = false;
  if (values['no-http'] === true) out.httpEnabled = false;
  const trustFlags = (['ca-file', 'pin-sha256', 'trust-system'] as const).filter((f) => values[f] !== undefined && values[f] !== false);
  if (trustFlags.length > 1) throw UsageError.of('cli.usage.oneTrust', { flags: trustFlags.map((f) => `--${f}`).join(', ') });
  if (values['ca-file'] !== undefined) out.trust = { mode: 'ca', pem: readCaFile(values['ca-file']) };
  if (values['pin-sha256'] !== undefined) out.trust = { mode: 'pin', sha256: values['pin-sha256'] };
  if (values['trust-system'] === true) out.trust = { mode: 'system' };
  return out;
}

/** Reads a secret from stdin: exactly one trailing newline is dropped, nothing else is trimmed. */
export async function readSecretFromStdin(ctx: Context, what: string): Promise<string> {
  if (ctx.io.isTty) throw UsageError.of('cli.usage.secretNotPiped', { what });
  const text = (await ctx.io.readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw UsageError.of('cli.usage.secretEmpty', { what });
  return text;
}

const KIND_LABEL = { esa: 'cli.profile.kindEsa', ces: 'cli.profile.kindCes', sma: 'cli.profile.kindSma' } as const;

function trustText(p: Profile, lang: Language): string {
  if (p.trust.mode === 'pin') return cliText(lang, 'cli.profile.trustPin', { sha256: fingerprint(p.trust.sha256) });
  if (p.trust.mode === 'ca') return cliText(lang, 'cli.profile.trustCa', { subject: p.trust.subject, until: p.trust.notAfter.slice(0, 10) });
  return cliText(lang, 'cli.profile.trustSystem');
}

/** A SHA-256 as the appliance GUI shows it: hex pairs with colons. */
const fingerprint = (sha256: string): string => sha256.match(/../g)!.join(':');

export function showProfile(p: Profile, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Record<string, string | number>) => cliText(lang, key, params);
  const state = (on: boolean) => t(on ? 'cli.profile.enabled' : 'cli.profile.disabled');
  const stored = (yes: boolean) => t(yes ? 'cli.profile.stored' : 'cli.profile.notStored');
  const xdr = p.xdrClientId ? t(p.xdrClientSecretStored ? 'cli.profile.xdrSecretStored' : 'cli.profile.xdrSecretMissing', { id: p.xdrClientId }) : '–';
  return labelled([
    [t('cli.profile.field.name'), p.name],
    [t('cli.profile.field.id'), p.id],
    [t('cli.profile.field.kind'), `${p.kind} (${t(KIND_LABEL[p.kind])})`],
    [t('cli.profile.field.host'), p.host],
    [t('cli.profile.field.region'), p.region],
    [t('cli.profile.field.api'), `HTTPS ${p.httpsPort} (${state(p.httpsEnabled)}), HTTP ${p.httpPort} (${state(p.httpEnabled)})`],
    [t('cli.profile.field.user'), p.username || '–'],
    [t('cli.profile.field.password'), stored(p.passwordStored)],
    [t('cli.profile.field.cluster'), p.cluster ?? '–'],
    [t('cli.profile.field.xdrClient'), xdr],
    [t('cli.profile.field.trust'), trustText(p, lang)],
    [t('cli.profile.field.notes'), p.notes || '–'],
    [t('cli.profile.field.created'), p.createdAt],
    [t('cli.profile.field.updated'), p.updatedAt],
  ]);
}

function listTable(profiles: Profile[], lang: Language): string {
  if (profiles.length === 0) return cliText(lang, 'cli.profile.none');
  const api = (p: Profile) => [p.httpsEnabled ? `https:${p.httpsPort}` : '', p.httpEnabled ? `http:${p.httpPort}` : ''].filter(Boolean).join(' ') || cliText(lang, 'cli.profile.apiOff');
  return table([
    cliText(lang, 'cli.profile.columns').split(' '),
    ...profiles.map((p) => [p.name, p.kind, p.host, p.region, api(p), p.passwordStored ? cliText(lang, 'cli.profile.stored') : '–']),
  ]);
}

/** The certificate `profile pin` shows before it asks. */
function certificateText(cert: CertificateInfo, lang: Language): string {
  const t = (key: `cli.${string}`, params?: Record<string, string | number>) => cliText(lang, key, params);
  const rows = labelled([
    [t('cli.profile.certSubject'), cert.subject],
    [t('cli.profile.certIssuer'), `${cert.issuer}${cert.selfSigned ? ` (${t('cli.profile.certSelfSigned')})` : ''}`],
    [t('cli.profile.certNames'), cert.subjectAltNames.join(', ') || '–'],
    [t('cli.profile.certValid'), t('cli.profile.certValidRange', { from: cert.validFrom.slice(0, 10), to: cert.validTo.slice(0, 10) })],
    ['SHA-256', fingerprint(cert.sha256)],
  ], 2);
  const trusted = cert.trustedBySystem ? t('cli.profile.certTrusted') : t('cli.profile.certNotTrusted', { reason: cert.trustError ?? '–' });
  return [t('cli.profile.certTitle', { host: cert.host, port: cert.port }), ...rows.split('\n').map((l) => `  ${l}`), `  ${trusted}`, t('cli.profile.certCompare')].join('\n');
}

const parseKind = (kind: string | undefined): SecretKind => flagValue('--kind', 'kind', SecretKind, kind ?? 'api-password');

/** `profile rm`'s question, by what goes with the profile (its stored password, its run history). */
const DELETE_QUESTION = {
  'false-false': 'cli.profile.deleteQuestion',
  'true-false': 'cli.profile.deleteQuestionPassword',
  'false-true': 'cli.profile.deleteQuestionHistory',
  'true-true': 'cli.profile.deleteQuestionBoth',
} as const;

/** Asks before `profile rm` and `profile pin` act; without a terminal only --yes goes ahead. */
const confirm = (ctx: Context, command: string, question: string, yes: boolean): Promise<boolean> => askYesNo(ctx, question, UsageError.of('cli.usage.needsYes', { command }), yes);

function importReport(result: ImportResult, file: string, lang: Language): { text: string; ok: boolean } {
  if (result.rejected.length > 0) {
    const lines = result.rejected.map((r) => `  ${r.field ?? `profiles[${r.index}]`}${r.name ? ` ("${r.name}")` : ''}: ${r.message}`);
    return { text: `${cliText(lang, 'cli.profile.importRejected', { file, count: result.rejected.length })}\n${lines.join('\n')}`, ok: false };
  }
  return { text: cliText(lang, 'cli.profile.imported', { count: result.imported.length, names: result.imported.map((p) => p.name).join(', ') || '–' }), ok: true };
}

interface ProfileCommandSpec<O extends Options> extends Omit<CommandShape, 'positionals'> {
  options: O;
  /** How the usage names the one argument (default NAME). */
  argument?: string;
  run(ctx: Context, profile: Profile, values: ValuesOf<O>): Promise<number>;
}

/** A command on one profile, named (or given by id) as its one argument: found through the dispatcher before `run`. */
export function profileCommand<const O extends Options>({ argument = 'NAME', run, ...shape }: ProfileCommandSpec<O>): CliCommand {
  return command({ ...shape, positionals: { min: 1, max: 1, names: argument }, run: async (ctx, values, [name]) => run(ctx, await findProfile(ctx, name!), values) });
}

/** `secret set` and `secret clear`: a profile by name and one secret kind (`--kind`, default the API password). */
function secretCommand(name: string, usage: string, summary: `cli.help.${string}`, act: (ctx: Context, profile: Profile, kind: SecretKind) => Promise<number>): CliCommand {
  return profileCommand({ name, usage, summary, options: { kind: { type: 'string' } }, flags: { '--kind': 'kind' }, run: (ctx, profile, values) => act(ctx, profile, parseKind(values.kind)) });
}

export const profileCommands: CliCommand[] = [
  command({
    name: 'profile add',
    usage: `xet profile add ${PROFILE_USAGE_FLAGS}`,
    summary: 'cli.help.profileAdd',
    options: PROFILE_FLAGS,
    flags: PROFILE_FIELDS,
    async run(ctx, values) {
      const name = required('profile add', '--name', values.name, 'name');
      const kind = required('profile add', '--kind', values.kind, 'kind');
      const host = required('profile add', '--host', values.host, 'host');
      const region = required('profile add', '--region', values.region, 'region');
      const profile = applyFlags(values, { name, kind: flagValue('--kind', 'profile.kind', ProfileKind, kind), host, region: flagValue('--region', 'profile.region', RegionId, region) });
      const password = values['password-stdin'] === true ? await readSecretFromStdin(ctx, '--password-stdin') : undefined;
      const created = await request(ctx, 'profiles.create', { profile, ...(password !== undefined ? { password } : {}) });
      return print(ctx, created, `${cliText(ctx.lang(), 'cli.profile.added', { name: created.name })}\n${showProfile(created, ctx.lang())}`);
    },
  }),
  command({
    name: 'profile list',
    usage: 'xet profile list [--search TEXT] [--json]',
    summary: 'cli.help.profileList',
    options: { search: { type: 'string' } },
    flags: { '--search': 'query' },
    async run(ctx, values) {
      const r = await request(ctx, 'profiles.list', values.search !== undefined ? { query: values.search } : {});
      return print(ctx, r.profiles, listTable(r.profiles, ctx.lang()));
    },
  }),
  profileCommand({
    name: 'profile show',
    usage: 'xet profile show NAME [--json]',
    summary: 'cli.help.profileShow',
    options: {},
    run: async (ctx, p) => print(ctx, p, showProfile(p, ctx.lang())),
  }),
  command({
    name: 'profile edit',
    usage: `xet profile edit NAME [${PROFILE_USAGE_FLAGS.replace(/\[--password-stdin\] /, '')}]`,
    summary: 'cli.help.profileEdit',
    options: PROFILE_FLAGS,
    flags: PROFILE_FIELDS,
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, values, [name]) {
      if (values['password-stdin'] !== undefined) throw UsageError.of('cli.usage.editPassword', undefined, 'password');
      const current = await findProfile(ctx, name!);
      const profile = applyFlags(values, await hostRequest(ctx, 'profiles.fields', { id: current.id }));
      const updated = await request(ctx, 'profiles.update', { id: current.id, profile });
      return print(ctx, updated, `${cliText(ctx.lang(), 'cli.profile.edited', { name: updated.name })}\n${showProfile(updated, ctx.lang())}`);
    },
  }),
  profileCommand({
    name: 'profile duplicate',
    usage: 'xet profile duplicate NAME [--name NEW] [--json]',
    summary: 'cli.help.profileDuplicate',
    options: { name: { type: 'string' } },
    flags: { '--name': 'name' },
    async run(ctx, source, values) {
      const copy = await request(ctx, 'profiles.duplicate', { id: source.id, ...(values.name !== undefined ? { name: values.name } : {}) });
      return print(ctx, copy, cliText(ctx.lang(), copy.passwordStored ? 'cli.profile.copiedWithPassword' : 'cli.profile.copied', { from: source.name, to: copy.name }));
    },
  }),
  profileCommand({
    name: 'profile rm',
    usage: 'xet profile rm NAME [--yes] [--delete-history] [--json]',
    summary: 'cli.help.profileRm',
    options: { yes: { type: 'boolean', short: 'y' }, 'delete-history': { type: 'boolean' } },
    async run(ctx, p, values) {
      const history = values['delete-history'] === true;
      const question = cliText(ctx.lang(), DELETE_QUESTION[`${p.passwordStored}-${history}`], { name: p.name });
      if (!(await confirm(ctx, 'profile rm', question, values.yes === true))) {
        ctx.io.stderr(`${cliText(ctx.lang(), 'cli.profile.nothingDeleted')}\n`);
        return EXIT.USAGE;
      }
      const r = await request(ctx, 'profiles.delete', { id: p.id, deleteHistory: history });
      return print(ctx, { ...r, name: p.name }, cliText(ctx.lang(), 'cli.profile.deleted', { name: p.name, count: r.secretsDeleted }));
    },
  }),
  command({
    name: 'profile export',
    usage: 'xet profile export [-o FILE]',
    summary: 'cli.help.profileExport',
    options: { output: { type: 'string', short: 'o' } },
    async run(ctx, values) {
      const { json, count } = await request(ctx, 'profiles.export', {});
      const out = values.output;
      if (out === undefined) {
        ctx.io.stdout(json);
        return EXIT.OK;
      }
      try {
        writeFileAtomic(path.resolve(out), json);
      } catch (error) {
        throw UsageError.of('cli.usage.cannotWrite', { flag: '-o', file: out, problem: failure(error) }, 'output');
      }
      return print(ctx, { path: path.resolve(out), count }, cliText(ctx.lang(), 'cli.profile.exported', { count, file: out }));
    },
  }),
  command({
    name: 'profile import',
    usage: 'xet profile import FILE [--json]',
    summary: 'cli.help.profileImport',
    options: {},
    positionals: { min: 1, max: 1, names: 'FILE' },
    async run(ctx, _values, [file]) {
      const read = await readRegularFile(file!, MAX_IMPORT_BYTES);
      if (!read.ok) throw commandFailed(fileRefusal(file!, read));
      const content = await viaContract(() => decodeImportFile(read.data, file!));
      const result = await request(ctx, 'profiles.import', { content, fileName: file });
      const report = importReport(result, file!, ctx.lang());
      if (ctx.json) ctx.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      (report.ok ? ctx.io.stdout : ctx.io.stderr)(ctx.json && report.ok ? '' : `${report.text}\n`);
      return report.ok ? EXIT.OK : EXIT.USAGE;
    },
  }),
  profileCommand({
    name: 'profile pin',
    usage: 'xet profile pin NAME [--yes] [--json]',
    summary: 'cli.help.profilePin',
    options: { yes: { type: 'boolean', short: 'y' } },
    async run(ctx, p, values) {
      const cert: CertificateInfo = await request(ctx, 'profiles.fetchCertificate', { host: p.host, port: p.httpsPort });
      const lang = ctx.lang();
      if (!ctx.json) ctx.io.stdout(`${certificateText(cert, lang)}\n`);
      if (!(await confirm(ctx, 'profile pin', cliText(lang, 'cli.profile.pinQuestion'), values.yes === true))) {
        ctx.io.stderr(`${cliText(lang, 'cli.profile.notPinned')}\n`);
        return EXIT.USAGE;
      }
      const fields = await hostRequest(ctx, 'profiles.fields', { id: p.id });
      const updated = await request(ctx, 'profiles.update', { id: p.id, profile: { ...fields, trust: { mode: 'pin', sha256: cert.sha256 } } });
      return print(ctx, { certificate: cert, profile: updated }, cliText(lang, 'cli.profile.pinned', { name: updated.name }));
    },
  }),
  secretCommand('secret set', 'xet secret set NAME [--kind api-password|xdr-client-secret|cxd-token] < secret', 'cli.help.secretSet', async (ctx, p, kind) => {
    const value = await readSecretFromStdin(ctx, 'secret set');
    const r = await request(ctx, 'secrets.set', { profileId: p.id, kind, value });
    return print(ctx, r, cliText(ctx.lang(), 'cli.profile.secretStored', { kind, name: p.name }));
  }),
  secretCommand('secret clear', 'xet secret clear NAME [--kind KIND]', 'cli.help.secretClear', async (ctx, p, kind) => {
    const r = await request(ctx, 'secrets.clear', { profileId: p.id, kind });
    return print(ctx, r, cliText(ctx.lang(), 'cli.profile.secretCleared', { kind, name: p.name }));
  }),
  profileCommand({
    name: 'secret status',
    usage: 'xet secret status NAME [--json]',
    summary: 'cli.help.secretStatus',
    options: {},
    run: (ctx, p) =>
      call(ctx, 'secrets.status', { profileId: p.id }, (r, lang) =>
        r.secrets.map((s) => `${s.kind.padEnd(18)} ${s.stored ? cliText(lang, 'cli.profile.storedSince', { when: s.updatedAt ?? '–' }) : cliText(lang, 'cli.profile.notStored')}`).join('\n'),
      ),
  }),
];
