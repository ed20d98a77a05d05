import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ImportSummary } from './har-import.js';
import type { RedactionReport } from './har-report.js';
import { sanitizeHarTo, type SanitizeStreamOptions } from './har-sanitize-stream.js';

export type SanitizeFileOptions = SanitizeStreamOptions;

export interface SanitizeFileResult {
  report: RedactionReport;
  summary: ImportSummary;
  output: string;
  outputBytes: number;
}

/**
 * Reads `input` as a stream, sanitises every entry and writes the result to `output` atomically: a
 * temp file beside it (0600), fsynced, then renamed. On any error the temp file is removed, so the
 * final name never holds a partial or unsanitised file.
 */
export async function sanitizeHarFile(input: string, output: string, options: SanitizeFileOptions = {}): Promise<SanitizeFileResult> {
  const dir = path.dirname(path.resolve(output));
  const temp = path.join(dir, `.${path.basename(output)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o600);
  let closed = false;
  try {
    const result = await sanitizeHarTo(
      input,
      async (data) => {
        await handle.write(data);
      },
      options,
    );
    await handle.sync();
    await handle.close();
    closed = true;
    await fs.rename(temp, output);
    return { ...result, output };
  } catch (error) {
    if (!closed) await handle.close().catch(() => undefined);
    await fs.rm(temp, { force: true });
    throw error;
  }
}
