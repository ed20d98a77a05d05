import fs from 'node:fs';
import type { z } from 'zod';

/**
 * A data file of `resources/` read and checked against its schema: a broken one names the file and
 * the path inside it that is wrong (the files ship with the app, so this is a build error, in English).
 */
export function readResourceFile<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}
