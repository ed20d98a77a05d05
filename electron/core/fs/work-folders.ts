import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logging/logger.js';

/** A service's work folder for one item: `<root>/<16 hex>` (an archive build, a HAR session). */
const WORK_FOLDER = /^[a-f0-9]{16}$/;

/** Removes a folder and all in it; a failure is logged as `what`, never thrown (cleaning must not fail the caller). */
export function removeQuietly(dir: string, log: Logger, what: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (error) {
    log.warn(what, { error: (error as Error).message });
  }
}

/**
 * Removes the work folders below `root` a crashed or killed process left behind: those this process
 * does not hold (`inUse`) and `stale` calls stale. Answers how many went; a folder that cannot be
 * read or removed is logged as `what` and left.
 */
export function sweepWorkFolders(root: string, options: { inUse: (name: string) => boolean; stale: (dir: string) => boolean; log: Logger; what: string }): number {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!WORK_FOLDER.test(name) || options.inUse(name)) continue;
    const dir = path.join(root, name);
    try {
      if (!options.stale(dir)) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      removed++;
    } catch (error) {
      options.log.warn(options.what, { error: (error as Error).message });
    }
  }
  return removed;
}
