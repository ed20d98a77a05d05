import { z } from 'zod';
import type { CommandName } from './names.js';
import {
  CertificateInfo,
  ImportResult,
  Passphrase,
  Port,
  Profile,
  ProfileId,
  ProfileInput,
  ProfileKind,
  SecretKind,
  SecretStatus,
  SecretValue,
  Host,
  VaultStatus,
} from './profiles.js';
import { HarFile, HarId, HarReview, HarReviewRequest } from './har.js';
import { CheckDefinition, FindingExplanation, Run, RunDiff, RunOptions, RunSummary, TriageResult } from './checks.js';
import { ArchiveCreateRequest, ArchiveId, ArchiveInfo, ArchiveTaskId, CaseNumber } from './archive.js';
import { ArchiveUploadRequest, ArchiveUploadResult, CaseTokenStatus, UploadRecord } from './upload.js';
import { BatchStartRequest, BatchState, OverviewRow } from './overview.js';
import { HarEntries, HarEntryDetail, HarEntryRequest } from './har-inspector.js';
import { LogImportId, LogImportInfo, LogsListRequest, LogsListResponse } from './appliance-logs.js';
import { languages } from './i18n.js';

export { languages };
export const themes = ['system', 'light', 'dark'] as const;

export const Language = z.enum(languages);
export type Language = z.infer<typeof Language>;
export const Theme = z.enum(themes);
export type Theme = z.infer<typeof Theme>;

/** An HTTP(S) proxy for the checks' cloud probes; credentials in it are treated as secrets. */
export const ProxyUrl = z
  .string()
  .max(2048)
  .transform((s) => s.trim())
  .refine(
    (s) => {
      try {
        const u = new URL(s);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '' && (u.pathname === '/' || u.pathname === '');
      } catch {
        return false;
      }
    },
    { message: 'Proxy must be an http:// or https:// URL such as http://proxy.example.com:3128' },
  )
  // Settings are stored in clear; a proxy password belongs in HTTPS_PROXY for the session, not on disk.
  .refine((s) => !/^[a-z]+:\/\/[^/?#]*@/i.test(s), { message: 'Leave user name and password out of the proxy URL: they would be stored unencrypted' });

export const Settings = z.object({
  language: Language,
  theme: Theme,
  /** Proxy for cloud probes; null = use HTTPS_PROXY from the environment, if any. */
  proxy: ProxyUrl.nullable(),
});
export type Settings = z.infer<typeof Settings>;

export const SecretBackendInfo = z.object({
  /** `safe-storage`: the OS keychain through Electron; `passphrase`: the CLI / web host vault. */
  kind: z.enum(['safe-storage', 'passphrase']),
  /** Human-readable backend detail, e.g. `gnome_libsecret` or `scrypt + AES-256-GCM`. */
  detail: z.string(),
  available: z.boolean(),
});
export type SecretBackendInfo = z.infer<typeof SecretBackendInfo>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  transport: z.enum(['electron', 'web', 'cli']),
  platform: z.string(),
  secretBackend: SecretBackendInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

const Empty = z.object({}).strict();

interface CommandDef {
  request: z.ZodType;
  response: z.ZodType;
  /** One line for `--help`, docs and the README. */
  summary: string;
}

/** Every command the UI can call. Requests are validated at the boundary; responses are typed. */
export const commands = {
  'app.info': {
    request: Empty,
    response: AppInfo,
    summary: 'Version, data folder and the secret backend in use.',
  },
  'settings.get': {
    request: Empty,
    response: Settings,
    summary: 'The current language and theme.',
  },
  'settings.set': {
    request: Settings.partial().strict(),
    response: Settings,
    summary: 'Change language and/or theme; answers the settings now in force.',
  },
  'profiles.list': {
    request: z.object({ query: z.string().max(200).optional() }).strict(),
    response: z.object({ profiles: z.array(Profile), total: z.number() }),
    summary: 'Profiles sorted by name; `query` matches name, host, cluster, user and notes.',
  },
  'profiles.get': {
    request: z.object({ id: ProfileId }).strict(),
    response: Profile,
    summary: 'One profile.',
  },
  'profiles.create': {
    request: z.object({ profile: ProfileInput, password: SecretValue.optional() }).strict(),
    response: Profile,
    summary: 'Create a profile, optionally storing its API password in the vault in the same step.',
  },
  'profiles.update': {
    request: z.object({ id: ProfileId, profile: ProfileInput }).strict(),
    response: Profile,
    summary: 'Replace a profile’s fields (secrets are kept).',
  },
  'profiles.duplicate': {
    request: z.object({ id: ProfileId, name: z.string().max(64).optional() }).strict(),
    response: Profile,
    summary: 'Copy a profile under a new name; its secrets come along when the vault is unlocked.',
  },
  'profiles.delete': {
    request: z.object({ id: ProfileId, deleteHistory: z.boolean().default(false) }).strict(),
    response: z.object({ deleted: z.literal(true), secretsDeleted: z.number(), historyDeleted: z.number() }),
    summary: 'Delete a profile and its secrets; its run history too when confirmed.',
  },
  'profiles.export': {
    request: z.object({}).strict(),
    response: z.object({ json: z.string(), count: z.number() }),
    summary: 'All profiles as schema-versioned JSON, never with secrets.',
  },
  'profiles.import': {
    request: z.object({ content: z.string().max(16 * 1024 * 1024), fileName: z.string().max(260).optional() }).strict(),
    response: ImportResult,
    summary: 'Import an export file: all entries or none; every rejected entry says why.',
  },
  'profiles.exportDialog': {
    request: z.object({}).strict(),
    response: z.object({ saved: z.boolean(), path: z.string().nullable(), count: z.number() }),
    summary: 'Desktop app: export through the native save dialog.',
  },
  'profiles.importDialog': {
    request: z.object({}).strict(),
    response: ImportResult.extend({ cancelled: z.boolean() }),
    summary: 'Desktop app: import through the native open dialog.',
  },
  'profiles.fetchCertificate': {
    request: z.object({ host: Host, port: Port }).strict(),
    response: CertificateInfo,
    summary: 'Connect once to the appliance and show its certificate, so the user can compare and pin it.',
  },
  'secrets.status': {
    request: z.object({ profileId: ProfileId }).strict(),
    response: z.object({ secrets: z.array(SecretStatus) }),
    summary: 'Which secrets are stored for a profile (never their values).',
  },
  'secrets.set': {
    request: z.object({ profileId: ProfileId, kind: SecretKind, value: SecretValue }).strict(),
    response: SecretStatus,
    summary: 'Store or replace a secret; write-only.',
  },
  'secrets.clear': {
    request: z.object({ profileId: ProfileId, kind: SecretKind }).strict(),
    response: SecretStatus,
    summary: 'Remove a stored secret.',
  },
  'vault.status': {
    request: z.object({}).strict(),
    response: VaultStatus,
    summary: 'Whether the credential vault exists, is locked, and how it unlocks.',
  },
  'vault.unlock': {
    request: z.object({ passphrase: z.string().min(1).max(1024) }).strict(),
    response: VaultStatus,
    summary: 'Unlock the vault with its passphrase.',
  },
  'vault.setPassphrase': {
    request: z.object({ passphrase: Passphrase }).strict(),
    response: VaultStatus,
    summary: 'Create the vault with a passphrase, or add/replace the passphrase of an unlocked vault.',
  },
  'vault.lock': {
    request: z.object({}).strict(),
    response: VaultStatus,
    summary: 'Forget the vault key until the next unlock.',
  },
  'checks.runbook': {
    request: z.object({ profileId: ProfileId.optional(), kind: ProfileKind.optional() }).strict(),
    response: z.object({ checks: z.array(CheckDefinition) }),
    summary: 'The runbook’s checks (for one appliance kind), with titles, help and manual-step choices.',
  },
  'checks.start': {
    request: RunOptions,
    response: z.object({ runId: z.string(), total: z.number() }),
    summary: 'Start the checks for a profile; progress arrives as checks.progress events, the end as checks.finished.',
  },
  'checks.cancel': {
    request: z.object({ runId: z.string().max(64) }).strict(),
    response: z.object({ cancelled: z.boolean() }),
    summary: 'Cancel a running check run; finished checks are kept, the rest are marked skipped.',
  },
  'checks.answer': {
    request: z.object({ runId: z.string().max(64), checkId: z.string().max(64), answer: z.string().min(1).max(32) }).strict(),
    response: Run,
    summary: 'Answer a manual step of a stored run; the findings are evaluated again.',
  },
  'checks.triage': {
    request: z
      .object({ text: z.string().max(20_000, { message: 'The error text can be at most 20000 characters' }), kind: ProfileKind.optional(), profileId: ProfileId.optional() })
      .strict(),
    response: TriageResult,
    summary: 'Match a pasted error message (English or German) to findings and the checks to run.',
  },
  'checks.explain': {
    request: z
      .object({ code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/, { message: 'Not a finding code' }), profileId: ProfileId.optional(), harId: HarId.optional() })
      .strict(),
    response: FindingExplanation,
    summary: 'One finding of the catalogue explained for a profile (its facts, fix links and the checks that confirm it); with harId, filled from that HAR file’s last review.',
  },
  'runs.list': {
    request: z.object({ profileId: ProfileId.optional(), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    response: z.object({ runs: z.array(RunSummary) }),
    summary: 'Stored runs, newest first, for one profile or all.',
  },
  'runs.get': {
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    response: Run,
    summary: 'One stored run with its check results and findings.',
  },
  'runs.diff': {
    request: z.object({ before: z.string().min(1).max(64), after: z.string().min(1).max(64) }).strict(),
    response: RunDiff,
    summary: 'What changed between two runs: checks whose status changed, findings new and resolved.',
  },
  'runs.delete': {
    request: z.object({ id: z.string().min(1).max(64) }).strict(),
    response: z.object({ deleted: z.literal(true) }),
    summary: 'Delete one stored run.',
  },
  'har.importDialog': {
    request: z.object({}).strict(),
    response: z.object({ cancelled: z.boolean(), files: z.array(HarFile), errors: z.array(z.object({ name: z.string(), code: z.string(), message: z.string() })) }),
    summary: 'Desktop app: choose HAR files in the native open dialog; each is copied to the data folder and validated (progress as har.progress).',
  },
  'har.list': {
    request: z.object({}).strict(),
    response: z.object({ files: z.array(HarFile) }),
    summary: 'The HAR files imported in this session.',
  },
  'har.review': {
    request: HarReviewRequest,
    response: HarReview,
    summary: 'Sanitise an imported HAR (optionally with keywords and the chosen profiles’ stored secrets) and answer the redaction report, the analysis and the waterfall.',
  },
  'har.saveDialog': {
    request: z.object({ id: HarId }).strict(),
    response: z.object({ saved: z.boolean(), path: z.string().nullable() }),
    summary: 'Desktop app: save the sanitised copy of the last review through the native save dialog.',
  },
  'har.remove': {
    request: z.object({ id: HarId }).strict(),
    response: z.object({ removed: z.literal(true) }),
    summary: 'Forget an imported HAR and delete its copies from the data folder.',
  },
  'archive.create': {
    request: ArchiveCreateRequest,
    response: ArchiveInfo,
    summary: 'Build an encrypted support archive (password AES zip or CMS to recipient certificates) into the data folder; progress as archive.progress. HARs are sanitised again on the way in.',
  },
  'archive.cancel': {
    request: z.object({ taskId: ArchiveTaskId }).strict(),
    response: z.object({ cancelled: z.boolean() }),
    summary: 'Cancel an archive being built; its temp file is removed and nothing is saved.',
  },
  'archive.list': {
    request: z.object({}).strict(),
    response: z.object({ archives: z.array(ArchiveInfo) }),
    summary: 'Archives built in this session and not yet removed.',
  },
  'archive.saveDialog': {
    request: z.object({ id: ArchiveId }).strict(),
    response: z.object({ saved: z.boolean(), paths: z.array(z.string()) }),
    summary: 'Desktop app: save an archive (every part) through the native save dialog.',
  },
  'archive.showInFolder': {
    request: z.object({ id: ArchiveId }).strict(),
    response: z.object({ shown: z.boolean() }),
    summary: 'Desktop app: show the saved archive in the file manager.',
  },
  'archive.remove': {
    request: z.object({ id: ArchiveId }).strict(),
    response: z.object({ removed: z.literal(true) }),
    summary: 'Delete a built archive from the data folder.',
  },
  'archive.generatePassphrase': {
    request: z.object({}).strict(),
    response: z.object({ passphrase: z.string(), bits: z.number() }),
    summary: 'A strong random archive password (about 148 bits), shown once for the user to send to TAC separately.',
  },
  'archive.upload': {
    request: ArchiveUploadRequest,
    response: ArchiveUploadResult,
    summary:
      'Upload a support archive built in this session (every part of a split one) to the TAC case’s CXD over HTTPS, after checking it is ciphertext; progress as archive.uploadProgress. The token is used once unless remembered for the case.',
  },
  'archive.uploadCancel': {
    request: z.object({ taskId: ArchiveTaskId }).strict(),
    response: z.object({ cancelled: z.boolean() }),
    summary: 'Stop an upload at once; TAC may hold a partial file.',
  },
  'archive.uploads': {
    request: z.object({ caseNumber: CaseNumber.optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    response: z.object({ uploads: z.array(UploadRecord) }),
    summary: 'Uploads to TAC cases, newest first: file, size, SHA-256, case, time, attempts, HTTP status (never the token).',
  },
  'cases.tokenStatus': {
    request: z.object({ caseNumber: CaseNumber }).strict(),
    response: CaseTokenStatus,
    summary: 'Whether an upload token is remembered for a case (never its value).',
  },
  'cases.tokenClear': {
    request: z.object({ caseNumber: CaseNumber }).strict(),
    response: CaseTokenStatus,
    summary: 'Forget the upload token remembered for a case.',
  },
  'overview.list': {
    request: z.object({}).strict(),
    response: z.object({ rows: z.array(OverviewRow) }),
    summary: 'Every profile with its last run (result, top finding by title, stale after a day) and whether its API password and XDR client secret are stored.',
  },
  'checks.startAll': {
    request: BatchStartRequest,
    response: BatchState,
    summary: 'Run the checks of the ticked profiles (or all matching kind/region/cluster), a few at a time; each change arrives as checks.batch.',
  },
  'checks.cancelAll': {
    request: z.object({ batchId: z.string().max(64) }).strict(),
    response: z.object({ cancelled: z.boolean() }),
    summary: 'Stop a batch: queued appliances are not started, running ones are cancelled.',
  },
  'checks.batchStatus': {
    request: z.object({ batchId: z.string().max(64).optional() }).strict(),
    response: z.object({ batch: BatchState.nullable() }),
    summary: 'The running or last batch of this session (or the named one), null when there is none.',
  },
  'runs.latest': {
    request: z.object({ profileId: ProfileId }).strict(),
    response: z.object({ run: Run.nullable() }),
    summary: 'The last stored run of a profile with its checks and findings, null when it has none.',
  },
  'har.entries': {
    request: z.object({ id: HarId }).strict(),
    response: HarEntries,
    summary: 'Every request of the sanitised copy of the last review for the inspector: start, duration, timings, status, failed, XDR API or not.',
  },
  'har.entry': {
    request: HarEntryRequest,
    response: HarEntryDetail,
    summary: 'One request and response of the sanitised copy, each placeholder with its rule; with original, a hint of each value it replaced (never the value).',
  },
  'logs.list': {
    request: LogsListRequest,
    response: LogsListResponse,
    summary: 'The appliance log subscriptions (type, default group) and their files for a window (default: the last 24 h), through the AsyncOS API with the profile’s credentials and trust. Nothing is downloaded.',
  },
  'logs.importDialog': {
    request: z.object({}).strict(),
    response: z.object({ cancelled: z.boolean(), files: z.array(LogImportInfo) }),
    summary: 'Desktop app: add hand-downloaded appliance log files (plain, .current/.s/.c, gzip); kept encrypted until an archive cleans them.',
  },
  'logs.importList': {
    request: z.object({}).strict(),
    response: z.object({ files: z.array(LogImportInfo) }),
    summary: 'The hand-imported appliance log files of this session (web host: uploaded to /files/appliance-log).',
  },
  'logs.importRemove': {
    request: z.object({ id: LogImportId }).strict(),
    response: z.object({ removed: z.boolean() }),
    summary: 'Forget a hand-imported appliance log file; its encrypted copy is deleted.',
  },
} as const satisfies { [N in CommandName]: CommandDef };

// Both directions: a name without a definition or a definition without a name fails to compile.
type _NoExtraCommands = keyof typeof commands extends CommandName ? true : never;
export const _commandsComplete: _NoExtraCommands = true;

export type Commands = typeof commands;
export type RequestOf<N extends CommandName> = z.input<Commands[N]['request']>;
export type ParsedRequestOf<N extends CommandName> = z.output<Commands[N]['request']>;
export type ResponseOf<N extends CommandName> = z.output<Commands[N]['response']>;
