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
