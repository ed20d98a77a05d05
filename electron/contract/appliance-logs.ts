import { z } from 'zod';
import { ProfileId } from './profiles.js';

const Iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'Not an ISO 8601 date/time, e.g. 2026-12-01T08:00:00Z' });
const SubscriptionName = z.string().regex(/^[\w.-]{1,128}$/, { message: 'Not a log subscription name' });

/** The longest `hours` window: 90 days. */
export const MAX_LOG_HOURS = 24 * 90;

/** The time window logs are cut to: explicit, the last N hours, or around a stored check run. Default: the last 24 h. */
export const LogWindow = z
  .object({
    since: Iso.optional(),
    until: Iso.optional(),
    hours: z.number().int().min(1).max(MAX_LOG_HOURS).optional(),
    runId: z.string().min(1).max(64).optional(),
  })
  .strict();
export type LogWindow = z.infer<typeof LogWindow>;

export const LogsListRequest = z.object({ profileId: ProfileId, window: LogWindow.default({}) }).strict();

export const LogSubscriptionInfo = z.object({
  name: z.string(),
  type: z.string(),
  retrieval: z.string().nullable(),
  /** The default group (ctr, sse, api, …) it matched, by type or by name; null: not an integration log. */
  group: z.string().nullable(),
  matchedBy: z.enum(['type', 'name']).nullable(),
  /** Ticked by default (integration logs; mail logs only when the user ticks them). */
  isDefault: z.boolean(),
  files: z.array(z.object({ name: z.string(), size: z.number().nullable(), modified: z.string().nullable() })),
  /** Why its files could not be listed, when they could not. */
  problem: z.string().nullable(),
});
export type LogSubscriptionInfo = z.infer<typeof LogSubscriptionInfo>;

export const LogsListResponse = z.object({
  available: z.boolean(),
  /** Why nothing can be listed (CES, an older release without the log API, missing privileges). */
  notice: z.object({ code: z.enum(['ces', 'unavailable', 'forbidden', 'unreachable', 'no-password']), message: z.string(), messageDe: z.string().optional() }).nullable(),
  window: z.object({ from: z.string(), to: z.string() }),
  subscriptions: z.array(LogSubscriptionInfo),
});
export type LogsListResponse = z.infer<typeof LogsListResponse>;

export const LogImportId = z.string().regex(/^[a-f0-9]{16}$/, { message: 'Not a log import id' });

/** What archive.create takes for the appliance-logs part. */
export const ArchiveApplianceLogs = z
  .object({
    /** `default` (the integration set) and/or subscription names; [] takes none from the API. */
    subscriptions: z.array(z.union([z.literal('default'), SubscriptionName])).max(50).default(['default']),
    window: LogWindow.default({}),
    /** Hand-downloaded files uploaded in this session (logs.import). */
    importIds: z.array(LogImportId).max(50).default([]),
    keepDomains: z.boolean().default(false),
    /** Words to scrub from the logs besides host names and the API user (internal names), at least 4 characters. */
    keywords: z.array(z.string().min(4).max(200)).max(50).default([]),
    perFileMb: z.number().int().min(1).max(2048).optional(),
    totalMb: z.number().int().min(1).max(8192).optional(),
  })
  .strict();
export type ArchiveApplianceLogs = z.input<typeof ArchiveApplianceLogs>;

export const LogImportInfo = z.object({ id: LogImportId, name: z.string(), bytes: z.number() });

export const LogsProgress = z.object({
  taskId: z.string(),
  subscription: z.string(),
  file: z.string(),
  filesDone: z.number().int().nonnegative(),
  filesTotal: z.number().int().nonnegative(),
  bytes: z.number().nonnegative(),
});
export type LogsProgress = z.infer<typeof LogsProgress>;

/** One collected (or refused) file, as the archive result and the wizard show it. */
export const CollectedLogInfo = z.object({
  subscription: z.string(),
  file: z.string(),
  source: z.enum(['api', 'import']),
  path: z.string().nullable(),
  bytes: z.number(),
  capped: z.boolean(),
  redactions: z.record(z.string(), z.number()),
  problem: z.string().nullable(),
  message: z.string().nullable(),
});
export type CollectedLogInfo = z.infer<typeof CollectedLogInfo>;
