// Run by `npm run build` after tsc: the help text and which module holds which command, beside the
// compiled CLI, so `xet --version`/`xet help` load no command module and a command loads only its own.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const program = path.resolve('dist', 'electron', 'cli', 'program.js');
const { commandModules, helpText } = await import(pathToFileURL(program).href);
const commands = [];
const all = [];
for (const [module, load] of Object.entries(commandModules)) {
  for (const c of await load()) {
    commands.push({ name: c.name, module });
    all.push(c);
  }
}
const manifest = { help: helpText(all), commands };
fs.writeFileSync(path.join(path.dirname(program), 'cli-manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
