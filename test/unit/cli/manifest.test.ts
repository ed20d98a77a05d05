import { commandModules, type CommandModule } from '../../../electron/cli/command-modules.js';
import { manifest } from '../../../electron/cli/manifest.js';
import { shapeOf } from '../../../electron/cli/manifest-shape.js';

describe('the CLI command manifest', () => {
  it('holds exactly what the command modules declare, in their order (regenerate: npx tsx scripts/cli-manifest.ts)', async () => {
    const declared = [];
    for (const module of Object.keys(commandModules) as CommandModule[]) {
      for (const command of await commandModules[module]()) declared.push({ ...shapeOf(command), module });
    }
    expect(manifest).toEqual(declared);
  });

  it('names each command once', () => {
    const names = manifest.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
