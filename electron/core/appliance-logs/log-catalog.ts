import path from 'node:path';
import { z } from 'zod';
import { readResourceFile } from '../knowledge/resource-file.js';

const ApiPaths = z
  .object({
    subscriptions: z.string().regex(/^\/(esa|sma)\/api\/v2\.0\//),
    files: z.string().includes('{subscription}'),
    download: z.string().includes('{subscription}').includes('{file}'),
  })
  .strict();

const Names = z.array(z.string().min(1)).min(1);
const Match = z.object({ id: z.string().regex(/^[a-z-]+$/), types: Names, names: Names }).strict();

export const ApplianceLogsFile = z
  .object({
    schemaVersion: z.literal(1),
    note: z.string().optional(),
    api: z.object({ esa: ApiPaths, sma: ApiPaths, query: z.object({ start: z.string().min(1), end: z.string().min(1) }).strict() }).strict(),
    fields: z
      .object({
        subscription: z.object({ name: Names, type: Names, retrieval: Names }).strict(),
        file: z.object({ name: Names, size: Names, modified: Names, downloadUrl: Names, hash: Names }).strict(),
      })
      .strict(),
    defaults: z.array(Match).min(1),
    optIn: z.array(Match),
    ces: z.object({ en: z.string().min(1), de: z.string().min(1) }).strict(),
    limits: z
      .object({
        perFileBytes: z.number().int().positive(),
        totalBytes: z.number().int().positive(),
        listingSlackBytes: z.number().int().nonnegative(),
        maxFilesPerSubscription: z.number().int().positive(),
      })
      .strict(),
  })
  .strict();
export type LogCatalog = z.infer<typeof ApplianceLogsFile>;

/** Loads and validates `resources/appliance-logs.json`; a broken file names the path that is wrong. */
export function loadLogCatalog(resourcesDir: string): LogCatalog {
  return readResourceFile(path.join(resourcesDir, 'appliance-logs.json'), ApplianceLogsFile);
}

const fold = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, ' ').trim();

/** The first value under any of the field-name variants, and which variant matched. */
export function field(record: Record<string, unknown>, variants: readonly string[]): { value: unknown; matched: string | null } {
  for (const v of variants) if (record[v] !== undefined && record[v] !== null) return { value: record[v], matched: v };
  return { value: undefined, matched: null };
}

/**
 * Which default (or opt-in) group a subscription belongs to: by its type first (AsyncOS names
 * types, admins name subscriptions), then by the name candidates. `by` says which one matched.
 */
export function classify(catalog: LogCatalog, sub: { name: string; type: string }): { id: string; optIn: boolean; by: 'type' | 'name' } | null {
  const groups = [...catalog.defaults.map((g) => ({ g, optIn: false })), ...catalog.optIn.map((g) => ({ g, optIn: true }))];
  const type = fold(sub.type);
  for (const { g, optIn } of groups) if (type && g.types.some((t) => fold(t) === type)) return { id: g.id, optIn, by: 'type' };
  const name = fold(sub.name);
  for (const { g, optIn } of groups) if (g.names.some((n) => fold(n) === name)) return { id: g.id, optIn, by: 'name' };
  return null;
}
