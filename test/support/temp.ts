import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, expect } from 'vitest';

const perTest: string[] = [];
const perFile: string[] = [];

/**
 * A fresh temp folder. Made inside a test, it is removed after that test; made in a hook such as
 * beforeAll, it lives until the end of the file.
 */
export function tempDir(prefix = 'xet-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  (expect.getState().currentTestName === undefined ? perFile : perTest).push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of perTest.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

afterAll(() => {
  for (const dir of perFile.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Paths that exist but are no regular file, with the words the app refuses each with: `dir`
 * itself (a folder) and a FIFO made in it (which would block a reader that waits for a writer).
 */
export function notRegularFiles(dir: string): (readonly [string, string])[] {
  const fifo = path.join(dir, 'pipe.log');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  return [
    [dir, 'this is a folder, not a file'],
    [fifo, 'this is not a regular file (a device, pipe or socket); save it to a file first'],
  ];
}
