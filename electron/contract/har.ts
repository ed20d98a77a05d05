import { z } from 'zod';
import { ProfileId } from './profiles.js';

/**
 * The cleaning options chosen for one imported file, remembered by the app (not the page): every
 * review and save of that file uses at least these. Keywords are the user's own words, shown back
 * to them here so the options survive a reload; they never appear in a report, analysis or copy.
 */
export const HarCleaning = z.object({
  keywords: z.array(z.string()),
  profileIds: z.array(z.string()),
  keepBodies: z.boolean(),
});
export type HarCleaning = z.infer<typeof HarCleaning>;

/** Whether a copy cleaned with `copy` protects at least as much as `chosen` asks for (keywords match without case). */
export function coversCleaning(copy: HarCleaning, chosen: HarCleaning): boolean {
  const copyKeywords = new Set(copy.keywords.map((k) => k.toLowerCase()));
  return chosen.keywords.every((k) => copyKeywords.has(k.toLowerCase())) && chosen.profileIds.every((p) => copy.profileIds.includes(p)) && (!copy.keepBodies || chosen.keepBodies);
}

/** An imported HAR capture, kept in the data folder's temp area until removed or the app quits. */
export const HarFile = z.object({
  id: z.string(),
  name: z.string(),
  bytes: z.number(),
  entries: z.number(),
  pages: z.number(),
  creator: z.string().nullable(),
  importedAt: z.string(),
  options: HarCleaning,
});
export type HarFile = z.infer<typeof HarFile>;

export const HarId = z.string().regex(/^[a-f0-9]{16}$/, { message: 'Not a HAR id' });

const count = z.number().nonnegative();

/** What the sanitiser removed: counts, JSON paths and fingerprints, never values. */
export const HarRedactionReport = z.object({
  format: z.literal('xet-har-redaction-report'),
  version: z.literal(1),
  input: z.object({ name: z.string(), bytes: count, entries: count, pages: count, creator: z.string().nullable() }),
  output: z.object({ bytes: count }).nullable(),
  options: z.object({ keepBodies: z.boolean(), knownSecrets: count, keywords: count }),
  totals: z.object({ redactions: count, entriesTouched: count, bodiesDropped: count, repairs: count }),
  byRule: z.record(z.string(), count),
  byLocation: z.record(z.string(), count),
  paths: z.array(
    z.object({ path: z.string(), rule: z.string(), location: z.string(), count, entries: z.array(z.number()), fingerprints: z.array(z.string()) }),
  ),
  examples: z.array(z.object({ rule: z.string(), name: z.string(), placeholder: z.string() })),
  repairs: z.array(z.string()),
  notes: z.array(z.string()),
});
export type HarRedactionReport = z.infer<typeof HarRedactionReport>;

const RequestRef = z.object({
  index: z.number(),
  startedDateTime: z.string(),
  method: z.string(),
  url: z.string(),
  host: z.string(),
  status: z.number(),
  statusText: z.string(),
  timeMs: z.number(),
  error: z.string().nullable(),
});

const RegionHost = z.object({ host: z.string(), region: z.string(), role: z.string(), count: z.number(), firstIndex: z.number() });

export const HarAnalysis = z.object({
  entries: z.number(),
  startedAt: z.string().nullable(),
  durationMs: z.number(),
  hosts: z.array(z.object({ host: z.string(), count: z.number() })),
  failedCount: z.number(),
  failed: z.array(RequestRef),
  moduleErrors: z.array(
    z.object({
      index: z.number(),
      url: z.string(),
      status: z.number(),
      excerpt: z.string(),
      code: z.string().nullable(),
      httpStatus: z.number().nullable(),
      pattern: z.string().nullable(),
      detail: z.string().nullable(),
      raises: z.array(z.string()),
      candidates: z.array(z.string()),
    }),
  ),
  regions: z.object({ expected: z.string().nullable(), seen: z.array(z.string()), hosts: z.array(RegionHost), otherRegion: z.array(RegionHost) }),
  slowest: z.array(RequestRef),
  findingCodes: z.array(z.string()),
});
export type HarAnalysis = z.infer<typeof HarAnalysis>;

export const MAX_HAR_KEYWORDS = 100;
export const MAX_HAR_PROFILES = 20;

/**
 * A review with the file's remembered options plus what this request adds. Protection is only
 * taken away by naming it: `removeKeywords`, `removeProfileIds`, or `keepBodies: true` (the user
 * ticked "keep bodies"); leaving a field out never weakens the cleaning.
 */
export const HarReviewRequest = z
  .object({
    id: HarId,
    keywords: z
      .array(
        z
          .string()
          .max(200)
          .transform((s) => s.trim())
          .refine((s) => s.length >= 4, { message: 'Keywords need at least 4 characters (shorter ones would scrub ordinary text)' }),
      )
      .max(MAX_HAR_KEYWORDS)
      .default([]),
    profileIds: z.array(ProfileId).max(MAX_HAR_PROFILES).default([]),
    keepBodies: z.boolean().optional(),
    removeKeywords: z.array(z.string().max(200)).max(MAX_HAR_KEYWORDS).default([]),
    removeProfileIds: z.array(z.string().max(64)).max(MAX_HAR_PROFILES).default([]),
  })
  .strict();
export type HarReviewRequest = z.output<typeof HarReviewRequest>;

export const HarReview = z.object({
  file: HarFile,
  report: HarRedactionReport,
  analysis: HarAnalysis,
  /** Finding titles for the codes the analysis raised (in the app's language). */
  findings: z.array(z.object({ code: z.string(), title: z.string() })),
  /** The waterfall picture (our own SVG; show it as an image, never as markup). */
  svg: z.string(),
});
export type HarReview = z.infer<typeof HarReview>;

/** Bytes read of a HAR being imported or sanitised. */
export const HarProgress = z.object({
  taskId: z.string(),
  stage: z.enum(['import', 'sanitize', 'analyze']),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  bytesPerSecond: z.number().nonnegative(),
  /** The file's name as the user gave it. */
  message: z.string().optional(),
});
export type HarProgress = z.infer<typeof HarProgress>;
