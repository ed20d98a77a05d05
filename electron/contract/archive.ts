import { z } from 'zod';
import { RunSummary } from './checks.js';
import { HarId } from './har.js';
import { ArchiveApplianceLogs, CollectedLogInfo } from './appliance-logs.js';
import { ProfileId, ProfileKind, RegionId } from './profiles.js';

/** A Cisco TAC service request number: nine digits (e.g. 698765432). */
export const CaseNumber = z.string().regex(/^\d{9}$/, { message: 'A TAC case (service request) number has 9 digits, e.g. 698765432' });

export const ArchiveTaskId = z.string().regex(/^[a-zA-Z0-9-]{8,64}$/, { message: 'Not a task id' });
export const ArchiveId = z.string().regex(/^[a-f0-9]{16}$/, { message: 'Not an archive id' });

export const CertificateInput = z
  .object({
    /** The file name the user chose, for messages. */
    name: z.string().min(1).max(255),
    pem: z.string().min(1).max(200_000, { message: 'A certificate file can be at most 200 KB' }),
  })
  .strict();

export const ArchiveEncryption = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('password'), password: z.string().max(1024, { message: 'The password can be at most 1024 characters' }) }).strict(),
  z.object({ mode: z.literal('certificate'), certificates: z.array(CertificateInput).min(1, { message: 'Add at least one recipient certificate' }).max(10) }).strict(),
]);
export type ArchiveEncryption = z.infer<typeof ArchiveEncryption>;

export const MIN_SPLIT_BYTES = 1024 * 1024;

export const ArchiveCreateRequest = z
  .object({
    /** Names this build in archive.progress events and archive.cancel. */
    taskId: ArchiveTaskId.optional(),
    profileId: ProfileId,
    runIds: z.array(z.string().min(1).max(64)).max(50, { message: 'At most 50 runs per archive' }).default([]),
    /** HAR files imported in this session (har.list); sanitised again on the way in, with the options chosen for each. */
    harIds: z.array(HarId).max(20, { message: 'At most 20 HAR files per archive' }).default([]),
    caseNumber: CaseNumber.optional(),
    notes: z.string().max(10_000, { message: 'Notes can be at most 10000 characters' }).optional(),
    includeHostnames: z.boolean().default(false),
    encryption: ArchiveEncryption,
    splitBytes: z.number().int().min(MIN_SPLIT_BYTES, { message: 'Parts must be at least 1 MiB' }).optional(),
    /** The appliance's own logs: pulled through its API and/or imported by hand, cleaned on the way in. */
    applianceLogs: ArchiveApplianceLogs.optional(),
  })
  .strict();
export type ArchiveCreateRequest = z.input<typeof ArchiveCreateRequest>;

export const archiveFileKinds = ['readme', 'report', 'results', 'har', 'redaction', 'logs', 'appliance-logs'] as const;

export const ManifestFile = z.object({
  path: z.string(),
  kind: z.enum(archiveFileKinds),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const ManifestHar = z.object({
  path: z.string(),
  reportPath: z.string(),
  entries: z.number().int().nonnegative(),
  inputBytes: z.number().int().nonnegative(),
  redactions: z.number().int().nonnegative(),
  bodiesDropped: z.number().int().nonnegative(),
  findingCodes: z.array(z.string()),
});

/** What the archive holds, inside the encryption. Never a secret; host names only when the user chose so. */
export const Manifest = z.object({
  format: z.literal('xet-support-archive'),
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  caseNumber: z.string().nullable(),
  notes: z.string().nullable(),
  profile: z.object({
    label: z.string(),
    kind: ProfileKind,
    region: RegionId,
    host: z.string().nullable(),
    httpsPort: z.number().nullable(),
    httpPort: z.number().nullable(),
    hostnamesIncluded: z.boolean(),
  }),
  encryption: z.object({ mode: z.enum(['password', 'certificate']), recipients: z.array(z.object({ subject: z.string(), sha256: z.string() })) }),
  runs: z.array(RunSummary),
  hars: z.array(ManifestHar),
  redaction: z.object({ files: z.number(), redactions: z.number(), bodiesDropped: z.number(), byRule: z.record(z.string(), z.number()) }),
  /** Every file of the archive except this manifest. */
  files: z.array(ManifestFile),
  /** The appliance logs part: each file with where it came from, its cut and its redaction counts. */
  applianceLogs: z
    .object({
      window: z.object({ from: z.string(), to: z.string() }),
      caps: z.object({ perFileBytes: z.number(), totalBytes: z.number() }),
      files: z.array(z.object({ path: z.string(), subscription: z.string(), source: z.enum(['api', 'import']), origin: z.string(), bytes: z.number(), sha256: z.string(), capped: z.boolean(), redactions: z.record(z.string(), z.number()) })),
      problems: z.array(z.object({ subscription: z.string(), file: z.string(), problem: z.string(), message: z.string() })),
      notices: z.array(z.object({ code: z.string(), message: z.string() })),
    })
    .optional(),
});
export type Manifest = z.infer<typeof Manifest>;

export const ArchivePart = z.object({ name: z.string(), bytes: z.number(), sha256: z.string() });

/** A finished archive: encrypted, in the data folder's temp area until saved or removed. */
export const ArchiveInfo = z.object({
  id: ArchiveId,
  name: z.string(),
  mode: z.enum(['password', 'certificate']),
  bytes: z.number(),
  sha256: z.string(),
  /** With splitting: the parts in order (`.001`, `.002`, …); otherwise one entry, the file itself. */
  parts: z.array(ArchivePart),
  files: z.array(ManifestFile),
  createdAt: z.string(),
  /** Stable codes for the UI to say in its own language; the message is the core's English. */
  warnings: z.array(z.object({ code: z.enum(['over-email-limit']), message: z.string() })),
  /** Per appliance log file: collected (with its redaction counts) or refused (with why). */
  applianceLogs: z.array(CollectedLogInfo).optional(),
  applianceLogNotices: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
});
export type ArchiveInfo = z.infer<typeof ArchiveInfo>;

export const archiveStages = ['prepare', 'sanitise', 'report', 'compress', 'encrypt', 'done'] as const;
export const ArchiveProgress = z.object({
  taskId: z.string(),
  stage: z.enum(archiveStages),
  /** Bytes (or items) done and expected in this stage. */
  done: z.number(),
  total: z.number(),
  message: z.string(),
});
export type ArchiveProgress = z.infer<typeof ArchiveProgress>;
