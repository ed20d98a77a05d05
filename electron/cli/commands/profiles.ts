import fs from 'node:fs';
import path from 'node:path';
import { Port, ProfileKind, RegionId, SecretKind, type CertificateInfo, type ImportResult, type Profile, type ProfileInput } from '../../contract/profiles.js';
import { writeFileAtomic } from '../../core/fs/atomic-write.js';
import { readRegularFile } from '../../core/fs/regular-file.js';
import { decodeImportFile, MAX_IMPORT_BYTES } from '../../core/profiles/profile-transfer.js';
import { command, flagValue, hostRequest, print, request, viaContract, type CliCommand, type Context, type ValuesOf } from '../command.js';
import { EXIT, UsageError } from '../io.js';

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
    throw new UsageError(`--ca-file: cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'trust.pem');
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
  if (trustFlags.length > 1) throw new UsageError(`give only one of --ca-file, --pin-sha256 and --trust-system (got ${trustFlags.map((f) => `--${f}`).join(', ')})`);
  if (values['ca-file'] !== undefined) out.trust = { mode: 'ca', pem: readCaFile(values['ca-file']) };
  if (values['pin-sha256'] !== undefined) out.trust = { mode: 'pin', sha256: values['pin-sha256'] };
  if (values['trust-system'] === true) out.trust = { mode: 'system' };
  return out;
}

/** Reads a secret from stdin: exactly one trailing newline is dropped, nothing else is trimmed. */
export async function readSecretFromStdin(ctx: Context, what: string): Promise<string> {
  if (ctx.io.isTty) throw new UsageError(`${what}: pipe the secret on standard input (it is never taken from a flag)`);
  const text = (await ctx.io.readStdin()).replace(/\r?\n$/, '');
  if (text === '') throw new UsageError(`${what}: standard input was empty`);
  return text;
}

const KIND_LABEL = { esa: 'on-premises ESA', ces: 'cloud CES', sma: 'SMA (Secure Email and Web Manager)' } as const;

function trustText(p: Profile): string {
  if (p.trust.mode === 'pin') return `pinned certificate, SHA-256 ${p.trust.sha256.match(/../g)!.join(':')}`;
  if (p.trust.mode === 'ca') return `CA ${p.trust.subject} (valid until ${p.trust.notAfter.slice(0, 10)})`;
  return 'this computer’s trusted root certificates';
}

export function showProfile(p: Profile): string {
  const api = [`HTTPS ${p.httpsPort} (${p.httpsEnabled ? 'enabled' : 'disabled'})`, `HTTP ${p.httpPort} (${p.httpEnabled ? 'enabled' : 'disabled'})`].join(', ');
  return [
    ['name', p.name],
    ['id', p.id],
    ['kind', `${p.kind} (${KIND_LABEL[p.kind]})`],
    ['host', p.host],
    ['region', p.region],
    ['AsyncOS API', api],
    ['user', p.username || '–'],
    ['password', p.passwordStored ? 'stored' : 'not stored'],
    ['cluster', p.cluster ?? '–'],
    ['XDR client', p.xdrClientId ? `${p.xdrClientId} (secret ${p.xdrClientSecretStored ? 'stored' : 'not stored: xet secret set NAME --kind xdr-client-secret'})` : '–'],
    ['trust', trustText(p)],
    ['notes', p.notes || '–'],
    ['created', p.createdAt],
    ['updated', p.updatedAt],
  ]
    .map(([k, v]) => `${`${k}:`.padEnd(13)}${v}`)
    .join('\n');
}

function listTable(profiles: Profile[]): string {
  if (profiles.length === 0) return 'No profiles. Add one with: xet profile add --name N --kind esa --host H --region eu';
  const rows = [
    ['NAME', 'KIND', 'HOST', 'REGION', 'API', 'PASSWORD'],
    ...profiles.map((p) => [
      p.name,
      p.kind,
      p.host,
      p.region,
      [p.httpsEnabled ? `https:${p.httpsPort}` : '', p.httpEnabled ? `http:${p.httpPort}` : ''].filter(Boolean).join(' ') || 'off',
      p.passwordStored ? 'stored' : '–',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return rows.map((r) => r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join('  ').trimEnd()).join('\n');
}

/** A profile by name or id, through the dispatcher (the CLI's host option: names count too). */
export async function findProfile(ctx: Context, nameOrId: string): Promise<Profile> {
  return await request(ctx, 'profiles.get', { id: nameOrId }, { byName: true });
}

const parseKind = (kind: string | undefined): SecretKind => flagValue('--kind', 'kind', SecretKind, kind ?? 'api-password');

async function confirm(ctx: Context, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!ctx.io.prompt) throw new UsageError(`${question.replace(/\?.*$/, '')}: refusing without --yes when not run in a terminal`);
  return /^(y|yes|j|ja)$/i.test((await ctx.io.prompt(`${question} [y/N] `)).trim());
}

function importReport(result: ImportResult, file: string): { text: string; ok: boolean } {
  if (result.rejected.length > 0) {
    const lines = result.rejected.map((r) => `  ${r.field ?? `profiles[${r.index}]`}${r.name ? ` ("${r.name}")` : ''}: ${r.message}`);
    return { text: `${file}: nothing imported; ${result.rejected.length} entr${result.rejected.length === 1 ? 'y was' : 'ies were'} rejected:\n${lines.join('\n')}`, ok: false };
  }
  return { text: `Imported ${result.imported.length} profile${result.imported.length === 1 ? '' : 's'}: ${result.imported.map((p) => p.name).join(', ') || '–'}`, ok: true };
}

/** `secret set` and `secret clear`: a profile by name and one secret kind (`--kind`, default the API password). */
function secretCommand(name: string, usage: string, summary: string, act: (ctx: Context, profile: Profile, kind: SecretKind) => Promise<number>): CliCommand {
  return command({
    name,
    usage,
    summary,
    options: { kind: { type: 'string' } },
    flags: { '--kind': 'kind' },
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, values, [profileName]) {
      const kind = parseKind(values.kind);
      return act(ctx, await findProfile(ctx, profileName!), kind);
    },
  });
}

export const profileCommands: CliCommand[] = [
  command({
    name: 'profile add',
    usage: `xet profile add ${PROFILE_USAGE_FLAGS}`,
    summary: 'Add an appliance profile; --password-stdin stores its API password in the vault.',
    options: PROFILE_FLAGS,
    flags: PROFILE_FIELDS,
    async run(ctx, values) {
      const { name, kind, host, region } = values;
      if (name === undefined) throw new UsageError('profile add: --name is required', 'name');
      if (kind === undefined) throw new UsageError('profile add: --kind is required', 'kind');
      if (host === undefined) throw new UsageError('profile add: --host is required', 'host');
      if (region === undefined) throw new UsageError('profile add: --region is required', 'region');
      const profile = applyFlags(values, { name, kind: flagValue('--kind', 'profile.kind', ProfileKind, kind), host, region: flagValue('--region', 'profile.region', RegionId, region) });
      const password = values['password-stdin'] === true ? await readSecretFromStdin(ctx, '--password-stdin') : undefined;
      const created = await request(ctx, 'profiles.create', { profile, ...(password !== undefined ? { password } : {}) });
      return print(ctx, created, `Added profile "${created.name}".\n${showProfile(created)}`);
    },
  }),
  command({
    name: 'profile list',
    usage: 'xet profile list [--search TEXT] [--json]',
    summary: 'List profiles by name; --search matches name, host, cluster, user and notes.',
    options: { search: { type: 'string' } },
    flags: { '--search': 'query' },
    async run(ctx, values) {
      const r = await request(ctx, 'profiles.list', values.search !== undefined ? { query: values.search } : {});
      return print(ctx, r.profiles, listTable(r.profiles));
    },
  }),
  command({
    name: 'profile show',
    usage: 'xet profile show NAME [--json]',
    summary: 'Show one profile (never its secrets).',
    options: {},
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, _values, [name]) {
      const p = await findProfile(ctx, name!);
      return print(ctx, p, showProfile(p));
    },
  }),
  command({
    name: 'profile edit',
    usage: `xet profile edit NAME [${PROFILE_USAGE_FLAGS.replace(/\[--password-stdin\] /, '')}]`,
    summary: 'Change the given fields of a profile; --name renames it.',
    options: PROFILE_FLAGS,
    flags: PROFILE_FIELDS,
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, values, [name]) {
      if (values['password-stdin'] !== undefined) throw new UsageError('profile edit: use `xet secret set NAME` to change the password');
      const current = await findProfile(ctx, name!);
      const profile = applyFlags(values, await hostRequest(ctx, 'profiles.fields', { id: current.id }));
      const updated = await request(ctx, 'profiles.update', { id: current.id, profile });
      return print(ctx, updated, `Updated profile "${updated.name}".\n${showProfile(updated)}`);
    },
  }),
  command({
    name: 'profile duplicate',
    usage: 'xet profile duplicate NAME [--name NEW] [--json]',
    summary: 'Copy a profile (its secrets too when the vault is unlocked).',
    options: { name: { type: 'string' } },
    flags: { '--name': 'name' },
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, values, [name]) {
      const source = await findProfile(ctx, name!);
      const copy = await request(ctx, 'profiles.duplicate', { id: source.id, ...(values.name !== undefined ? { name: values.name } : {}) });
      return print(ctx, copy, `Copied "${source.name}" to "${copy.name}"${copy.passwordStored ? ' with its password' : ''}.`);
    },
  }),
  command({
    name: 'profile rm',
    usage: 'xet profile rm NAME [--yes] [--delete-history] [--json]',
    summary: 'Delete a profile and its stored secrets (asks first unless --yes).',
    options: { yes: { type: 'boolean', short: 'y' }, 'delete-history': { type: 'boolean' } },
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, values, [name]) {
      const p = await findProfile(ctx, name!);
      const history = values['delete-history'] === true;
      if (!(await confirm(ctx, `Delete profile "${p.name}"${p.passwordStored ? ' and its stored password' : ''}${history ? ' and its run history' : ''}?`, values.yes === true))) {
        ctx.io.stderr('Nothing deleted.\n');
        return EXIT.USAGE;
      }
      const r = await request(ctx, 'profiles.delete', { id: p.id, deleteHistory: history });
      return print(ctx, { ...r, name: p.name }, `Deleted profile "${p.name}" (${r.secretsDeleted} secret${r.secretsDeleted === 1 ? '' : 's'}).`);
    },
  }),
  command({
    name: 'profile export',
    usage: 'xet profile export [-o FILE]',
    summary: 'Write all profiles as JSON (never secrets) to FILE or standard output.',
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
        throw new UsageError(`-o: cannot write "${out}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      return print(ctx, { path: path.resolve(out), count }, `Exported ${count} profile${count === 1 ? '' : 's'} to ${out}`);
    },
  }),
  command({
    name: 'profile import',
    usage: 'xet profile import FILE [--json]',
    summary: 'Import profiles from an export file: all or none, each rejected entry explained.',
    options: {},
    positionals: { min: 1, max: 1, names: 'FILE' },
    async run(ctx, _values, [file]) {
      const read = await readRegularFile(file!, MAX_IMPORT_BYTES);
      if (!read.ok) throw new UsageError(`${file}: ${read.problem}`);
      const content = await viaContract(() => decodeImportFile(read.data, file!));
      const result = await request(ctx, 'profiles.import', { content, fileName: file });
      const report = importReport(result, file!);
      if (ctx.json) ctx.io.stdout(`${JSON.stringify(result, null, 2)}\n`);
      (report.ok ? ctx.io.stdout : ctx.io.stderr)(ctx.json && report.ok ? '' : `${report.text}\n`);
      return report.ok ? EXIT.OK : EXIT.USAGE;
    },
  }),
  command({
    name: 'profile pin',
    usage: 'xet profile pin NAME [--yes] [--json]',
    summary: 'Read the appliance’s HTTPS certificate, show it, and pin its SHA-256 fingerprint after you confirm.',
    options: { yes: { type: 'boolean', short: 'y' } },
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, values, [name]) {
      const p = await findProfile(ctx, name!);
      const cert: CertificateInfo = await request(ctx, 'profiles.fetchCertificate', { host: p.host, port: p.httpsPort });
      const shown = [
        `Certificate presented by ${cert.host}:${cert.port}`,
        `  subject:  ${cert.subject}`,
        `  issuer:   ${cert.issuer}${cert.selfSigned ? ' (self-signed)' : ''}`,
        `  names:    ${cert.subjectAltNames.join(', ') || '–'}`,
        `  valid:    ${cert.validFrom.slice(0, 10)} to ${cert.validTo.slice(0, 10)}`,
        `  SHA-256:  ${cert.sha256.match(/../g)!.join(':')}`,
        `  trusted by this computer: ${cert.trustedBySystem ? 'yes' : `no (${cert.trustError})`}`,
        'Compare the fingerprint with the appliance GUI (Network → Certificates) before you trust it.',
      ].join('\n');
      if (!ctx.json) ctx.io.stdout(`${shown}\n`);
      if (!(await confirm(ctx, 'Pin this certificate for the profile?', values.yes === true))) {
        ctx.io.stderr('Not pinned.\n');
        return EXIT.USAGE;
      }
      const fields = await hostRequest(ctx, 'profiles.fields', { id: p.id });
      const updated = await request(ctx, 'profiles.update', { id: p.id, profile: { ...fields, trust: { mode: 'pin', sha256: cert.sha256 } } });
      return print(ctx, { certificate: cert, profile: updated }, `Pinned. Profile "${updated.name}" now trusts only this certificate.`);
    },
  }),
  secretCommand('secret set', 'xet secret set NAME [--kind api-password|xdr-client-secret|cxd-token] < secret', 'Store or replace a secret for a profile, read from standard input.', async (ctx, p, kind) => {
    const value = await readSecretFromStdin(ctx, 'secret set');
    const r = await request(ctx, 'secrets.set', { profileId: p.id, kind, value });
    return print(ctx, r, `Stored ${kind} for "${p.name}".`);
  }),
  secretCommand('secret clear', 'xet secret clear NAME [--kind KIND]', 'Remove a stored secret.', async (ctx, p, kind) => {
    const r = await request(ctx, 'secrets.clear', { profileId: p.id, kind });
    return print(ctx, r, `Cleared ${kind} for "${p.name}".`);
  }),
  command({
    name: 'secret status',
    usage: 'xet secret status NAME [--json]',
    summary: 'Which secrets are stored for a profile (never their values).',
    options: {},
    positionals: { min: 1, max: 1, names: 'NAME' },
    async run(ctx, _values, [name]) {
      const p = await findProfile(ctx, name!);
      const r = await request(ctx, 'secrets.status', { profileId: p.id });
      return print(ctx, r, r.secrets.map((s) => `${s.kind.padEnd(18)} ${s.stored ? `stored (${s.updatedAt})` : 'not stored'}`).join('\n'));
    },
  }),
];
