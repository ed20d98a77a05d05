import type { z } from 'zod';

/**
 * The field a schema issue is about (dotted path; for an unknown key, that key) and what is
 * wrong with it, in words a user can act on.
 */
export function issueField(issue: z.core.$ZodIssue): { field: string | undefined; detail: string } {
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    return { field: [...issue.path, issue.keys[0] as string].map(shownKey).join('.'), detail: 'is not allowed' };
  }
  const field = issue.path.map(shownKey).join('.');
  return { field: field === '' ? undefined : field, detail: issue.message };
}

/** Keys come from the request: an unknown one is named by its start, never echoed whole (it may be megabytes long). */
function shownKey(key: PropertyKey): string {
  const text = String(key);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
