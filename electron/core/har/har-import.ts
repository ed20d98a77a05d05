import type { DeferredString } from './har-deferred.js';
import { HarError } from './har-errors.js';
import { readHarFile, type ReadOptions } from './har-reader.js';
import type { HarEntry } from './har-types.js';
import { checkEntry, checkLogField, HarStructureError, missingLogFields } from './har-validate.js';

/** Receives a HAR whose every part has been checked; calls arrive in document order. */
export interface HarVisitor {
  rootField?(key: string, value: unknown): void;
  logStart?(): void;
  /** A field of `log` other than `entries` (also the required ones that were missing, just before `logEnd`). */
  logField?(key: string, value: unknown): void;
  entriesStart?(): void;
  /** `raw` is the entry's JSON text as read; `deferred` the bodies kept out of it (`ReadOptions.deferBodies`). */
  entry?(entry: HarEntry, index: number, offset: number, raw: string, deferred?: DeferredString[]): void;
  entriesEnd?(count: number): void;
  logEnd?(): void;
  drain?(): Promise<void> | void;
}

export interface ImportOptions extends ReadOptions {
  /** Fill HAR 1.2 fields that exporters sometimes leave out (see har-validate.ts); default true. */
  repair?: boolean;
}

export interface ImportSummary {
  bytes: number;
  entries: number;
  pages: number;
  bom: boolean;
  creator: { name: string; version: string } | null;
  browser: { name: string; version: string } | null;
  version: string | null;
  /** Fields that were missing or off and were filled (first 50), and how many in all. */
  repairs: string[];
  repairCount: number;
}

const MAX_LISTED_REPAIRS = 50;

/**
 * Reads and checks a HAR file as a stream: every entry is validated before the visitor sees it, and
 * any problem becomes a HarError naming the file, entry, JSON path and byte offset.
 */
export async function importHar(file: string, visitor: HarVisitor, options: ImportOptions = {}): Promise<ImportSummary> {
  const repair = options.repair ?? true;
  const seen = new Set<string>();
  const summary: ImportSummary = { bytes: 0, entries: 0, pages: 0, bom: false, creator: null, browser: null, version: null, repairs: [], repairCount: 0 };
  const noteRepairs = (list: string[]) => {
    summary.repairCount += list.length;
    for (const r of list) if (summary.repairs.length < MAX_LISTED_REPAIRS) summary.repairs.push(r);
  };
  let logOffset = 0;
  const asHarError = (error: unknown, offset: number, entry?: number): never => {
    if (error instanceof HarStructureError) {
      const { kind, problem, key, params, path } = error.issue;
      throw new HarError({ file, kind, problem, key, params, path, offset, ...(entry !== undefined ? { entry } : {}) });
    }
    throw error;
  };
  const result = await readHarFile(
    file,
    {
      rootField: (key, value) => visitor.rootField?.(key, value),
      logStart: (offset) => {
        logOffset = offset;
        visitor.logStart?.();
      },
      logField: (key, value, offset) => {
        try {
          noteRepairs(checkLogField(key, value, repair));
        } catch (error) {
          asHarError(error, offset);
        }
        seen.add(key);
        const named = value as { name?: string; version?: string };
        if (key === 'creator') summary.creator = { name: String(named.name), version: String(named.version ?? '') };
        if (key === 'browser') summary.browser = { name: String(named.name), version: String(named.version ?? '') };
        if (key === 'version') summary.version = value as string;
        if (key === 'pages') summary.pages = (value as unknown[]).length;
        visitor.logField?.(key, value);
      },
      entriesStart: () => visitor.entriesStart?.(),
      entry: (value, index, offset, raw, deferred) => {
        try {
          noteRepairs(checkEntry(value, index, repair));
        } catch (error) {
          asHarError(error, offset, index);
        }
        visitor.entry?.(value as HarEntry, index, offset, raw, deferred);
      },
      entriesEnd: (count) => visitor.entriesEnd?.(count),
      logEnd: () => {
        for (const { key, value } of missingLogFields(seen)) {
          noteRepairs([`log.${key}: missing; set to a neutral value`]);
          visitor.logField?.(key, value);
        }
        visitor.logEnd?.();
      },
      drain: () => visitor.drain?.(),
    },
    options,
  ).catch((error: unknown) => {
    if (error instanceof HarStructureError) asHarError(error, logOffset);
    throw error;
  });
  summary.bytes = result.bytes;
  summary.entries = result.entries;
  summary.bom = result.bom;
  return summary;
}

/** Reads the whole file only to check it: the summary, or a HarError. */
export function validateHar(file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  return importHar(file, {}, { ...options, repair: false });
}
