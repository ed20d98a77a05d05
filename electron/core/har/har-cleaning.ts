import { coversCleaning, MAX_HAR_KEYWORDS, MAX_HAR_PROFILES, type HarCleaning } from '../../contract/har.js';
import { AppError } from '../errors.js';

export const DEFAULT_CLEANING: HarCleaning = { keywords: [], profileIds: [], keepBodies: false };

/** What a review asks for on top of the remembered options (see HarReviewRequest). */
export interface CleaningChange {
  keywords?: string[];
  profileIds?: string[];
  keepBodies?: boolean | undefined;
  removeKeywords?: string[];
  removeProfileIds?: string[];
}

// Keywords are matched without regard to case, so "ESA01.corp" and "esa01.corp" are one keyword.
const fold = (k: string) => k.toLowerCase();

/**
 * The options a review uses: the remembered ones, plus the added keywords and profiles, minus those
 * the user removed by name. `keepBodies` changes only when the request says so.
 */
export function mergeCleaning(current: HarCleaning, change: CleaningChange): HarCleaning {
  const removedKeywords = new Set((change.removeKeywords ?? []).map((k) => fold(k.trim())));
  const removedProfiles = new Set(change.removeProfileIds ?? []);
  const keywords: string[] = [];
  for (const k of [...current.keywords, ...(change.keywords ?? [])]) {
    if (!removedKeywords.has(fold(k)) && !keywords.some((seen) => fold(seen) === fold(k))) keywords.push(k);
  }
  const profileIds = [...new Set([...current.profileIds, ...(change.profileIds ?? [])])].filter((p) => !removedProfiles.has(p));
  if (keywords.length > MAX_HAR_KEYWORDS) throw AppError.of('INVALID_REQUEST', 'errors.har.tooManyKeywords', { max: MAX_HAR_KEYWORDS }, 'keywords');
  if (profileIds.length > MAX_HAR_PROFILES) throw AppError.of('INVALID_REQUEST', 'errors.har.tooManyProfiles', { max: MAX_HAR_PROFILES }, 'profileIds');
  return { keywords, profileIds, keepBodies: change.keepBodies ?? current.keepBodies };
}

export function sameCleaning(a: HarCleaning, b: HarCleaning): boolean {
  return coversCleaning(a, b) && coversCleaning(b, a) && a.keepBodies === b.keepBodies;
}
