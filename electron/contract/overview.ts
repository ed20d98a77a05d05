import { z } from 'zod';
import { Localized, RunSummary, Severity } from './checks.js';
import { Profile, ProfileId, ProfileKind, RegionId } from './profiles.js';

/** A run older than this is marked stale on the overview: the appliance may have changed since. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

/** The result of a profile's last run as the overview filters it. */
export const overviewResults = ['none', 'ok', 'warning', 'error', 'cancelled', 'running'] as const;
export const OverviewResult = z.enum(overviewResults);
export type OverviewResult = z.infer<typeof OverviewResult>;

/** One appliance on the overview: the profile, its last stored run, and which secrets are stored. */
export const OverviewRow = z.object({
  profile: Profile,
  lastRun: RunSummary.nullable(),
  result: OverviewResult,
  /** The first (most likely) finding of the last run, by title: the code alone means nothing to an admin. */
  topFinding: z.object({ code: z.string(), severity: Severity, title: Localized }).nullable(),
  /** The last run is over a day old. */
  stale: z.boolean(),
  secrets: z.object({ apiPassword: z.boolean(), xdrClientSecret: z.boolean() }),
});
export type OverviewRow = z.infer<typeof OverviewRow>;

export const MAX_BATCH_CONCURRENCY = 16;
export const DEFAULT_BATCH_CONCURRENCY = 4;

/** Which profiles a batch runs: the ticked ones, else every profile matching the filters. */
export const BatchStartRequest = z
  .object({
    profileIds: z.array(ProfileId).max(1000).optional(),
    kind: ProfileKind.optional(),
    region: RegionId.optional(),
    cluster: z.string().max(64).optional(),
    concurrency: z.number().int().min(1).max(MAX_BATCH_CONCURRENCY, { message: `Concurrency can be at most ${MAX_BATCH_CONCURRENCY}` }).default(DEFAULT_BATCH_CONCURRENCY),
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
  })
  .strict();
export type BatchStartRequest = z.input<typeof BatchStartRequest>;

export const batchItemStates = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export const BatchItemState = z.enum(batchItemStates);

export const BatchItem = z.object({
  profileId: z.string(),
  profileName: z.string(),
  state: BatchItemState,
  runId: z.string().nullable(),
  done: z.number(),
  total: z.number(),
  /** The stored run's summary once it has finished (or was cancelled). */
  summary: RunSummary.nullable(),
  /** Why the run could not start or failed (catalogue key and parameters when it has them). */
  error: z.object({ code: z.string(), message: z.string(), key: z.string().optional(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() }).nullable(),
});
export type BatchItem = z.infer<typeof BatchItem>;

/** A batch's state: sent whole with every change (a few dozen rows), so a reloaded page catches up at once. */
export const BatchState = z.object({
  batchId: z.string(),
  state: z.enum(['running', 'finished', 'cancelled']),
  concurrency: z.number(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  items: z.array(BatchItem),
});
export type BatchState = z.infer<typeof BatchState>;
