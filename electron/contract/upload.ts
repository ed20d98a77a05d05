import { z } from 'zod';
import { ArchiveId, ArchiveTaskId, CaseNumber } from './archive.js';

/**
 * The case's CXD upload token (Support Case Manager → case → Attachments → generate token). Its format
 * is unconfirmed (tokens seen are 10–20 non-space characters): an odd shape is a warning, not a refusal.
 */
export const UploadToken = z
  .string()
  .min(1, { message: 'The upload token is empty' })
  .max(1024, { message: 'The upload token can be at most 1024 characters' })
  .refine((s) => !/[\r\n]/.test(s), { message: 'The upload token is one line' });

export const ArchiveUploadRequest = z
  .object({
    /** Names this upload in archive.uploadProgress events and archive.uploadCancel. */
    taskId: ArchiveTaskId.optional(),
    /** An archive built in this session (archive.list); the CLI passes files on disk as host options instead. */
    archiveId: ArchiveId.optional(),
    caseNumber: CaseNumber,
    /** Used for this upload only; without it, the token remembered for the case. */
    token: UploadToken.optional(),
    /** Keep the token in the vault for this case after a successful upload. */
    remember: z.boolean().default(false),
    /** The same file already went to this case: send it again anyway. */
    confirmRepeat: z.boolean().default(false),
  })
  .strict();
export type ArchiveUploadRequest = z.input<typeof ArchiveUploadRequest>;

export const uploadOutcomes = ['uploaded', 'refused', 'failed', 'cancelled'] as const;

/** One file sent (or tried) to a case's CXD. Never the token. */
export const UploadRecord = z.object({
  id: z.string(),
  caseNumber: z.string(),
  fileName: z.string(),
  bytes: z.number(),
  /** Of the bytes read from disk for the last attempt; null when none were read. */
  sha256: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  attempts: z.number(),
  /** The final HTTP status; null when no answer came (network error, stall, cancel). */
  httpStatus: z.number().nullable(),
  outcome: z.enum(uploadOutcomes),
  /** The catalogue key of the failure, for the UI to say in its own language. */
  errorKey: z.string().nullable(),
});
export type UploadRecord = z.infer<typeof UploadRecord>;

export const uploadWarningCodes = ['token-shape'] as const;

export const ArchiveUploadResult = z.object({
  uploads: z.array(UploadRecord),
  warnings: z.array(z.object({ code: z.enum(uploadWarningCodes), message: z.string() })),
  tokenRemembered: z.boolean(),
});
export type ArchiveUploadResult = z.infer<typeof ArchiveUploadResult>;

export const uploadStages = ['checking', 'connecting', 'sending', 'waiting', 'retrying', 'done'] as const;

export const UploadProgress = z.object({
  taskId: z.string(),
  stage: z.enum(uploadStages),
  fileName: z.string(),
  /** 0-based index of the file (part) and how many there are. */
  file: z.number(),
  files: z.number(),
  /** Bytes of this file the connection accepted in this attempt, and its size. */
  bytes: z.number(),
  total: z.number(),
  /** Bytes per second over the last seconds; null before there is a rate. */
  rate: z.number().nullable(),
  secondsLeft: z.number().nullable(),
  attempt: z.number(),
  maxAttempts: z.number(),
  /** Before a retry: seconds until it, and what failed (English, for logs; the UI shows the stage). */
  retryInSeconds: z.number().optional(),
});
export type UploadProgress = z.infer<typeof UploadProgress>;

export const CaseTokenStatus = z.object({ caseNumber: z.string(), stored: z.boolean(), updatedAt: z.string().nullable() });
export type CaseTokenStatus = z.infer<typeof CaseTokenStatus>;
