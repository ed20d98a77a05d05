import type { CliCommand, CommandShape, Options } from './command.js';
import type { CommandModule } from './command-modules.js';

/** A command as the manifest holds it: everything but `run`, and the module that implements it. */
export interface ManifestEntry extends CommandShape {
  options: Options;
  module: CommandModule;
}

/** The data of a command the runner needs before its code is loaded, in a fixed key order. */
export function shapeOf(command: CliCommand): Omit<ManifestEntry, 'module'> {
  return {
    name: command.name,
    usage: command.usage,
    summary: command.summary,
    ...(command.positionals ? { positionals: command.positionals } : {}),
    ...(command.flags ? { flags: command.flags } : {}),
    options: command.options,
  };
}
