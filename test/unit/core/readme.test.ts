import fs from 'node:fs';
import path from 'node:path';
// @ts-expect-error plain ES module script without types
import { findingCodesTable } from '../../../scripts/finding-codes.mjs';
import { loadCommands } from '../../../electron/cli/program.js';
import { readPackageInfo } from '../../../electron/core/app-info.js';

const readme = fs.readFileSync(path.join(readPackageInfo().root, 'README.md'), 'utf8');

describe('README', () => {
  it('holds the finding-code table exactly as the catalog generates it', () => {
    const block = /<!-- finding-codes:start -->\n([\s\S]*?)\n<!-- finding-codes:end -->/.exec(readme)?.[1];
    expect(block).toBe((findingCodesTable as () => string)());
  });

  it('documents every CLI command', async () => {
    for (const c of await loadCommands()) expect(readme, c.name).toContain(`xet ${c.name}`);
  });
});
