import type { z } from 'zod';

/**
 * The field a schema issue is about (dotted path; for an unknown key, that key) and what is
 * wrong with it, in words a user can act on.
 */
export function issueField(issue: z.core.$ZodIssue): { field: string | undefined; detail: string } {
  if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
    return { field: [...issue.path.map(String), issue.keys[0] as string].join('.'), detail: 'is not allowed' };
  }
  const field = issue.path.map(String).join('.');
  return { field: field === '' ? undefined : field, detail: issue.message };
}
