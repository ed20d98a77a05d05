import fs from 'node:fs/promises';
import path from 'node:path';

export const MAX_LOG_BYTES = 5 * 1024 * 1024;

/**
 * The newest log files of the data folder, at most `maxBytes` in all (the newest lines kept when a
 * file must be cut). Lines were masked when written; the archive masks them again on the way in.
 */
export async function readRecentLogs(dir: string, maxBytes = MAX_LOG_BYTES): Promise<{ name: string; text: string }[]> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter((n) => /^[\w.-]+\.log$/.test(n));
  } catch {
    return [];
  }
  const files = await Promise.all(
    names.map(async (name) => {
      const stat = await fs.stat(path.join(dir, name));
      return { name, mtime: stat.mtimeMs, size: stat.size, isFile: stat.isFile() };
    }),
  );
  const out: { name: string; text: string }[] = [];
  let budget = maxBytes;
  for (const f of files.filter((f) => f.isFile).sort((a, b) => b.mtime - a.mtime)) {
    if (budget <= 0) break;
    const take = Math.min(f.size, budget);
    const handle = await fs.open(path.join(dir, f.name), 'r');
    try {
      const buffer = Buffer.alloc(take);
      const { bytesRead } = await handle.read(buffer, 0, take, f.size - take);
      let text = buffer.subarray(0, bytesRead).toString('utf8');
      // Cut at a line start so no half line (or half of a masked value) opens the file.
      if (take < f.size) text = text.slice(text.indexOf('\n') + 1);
      out.push({ name: f.name, text });
      budget -= bytesRead;
    } finally {
      await handle.close();
    }
  }
  return out;
}
