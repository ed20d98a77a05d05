import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { readPackageInfo } from '../core/app-info.js';
import type * as CoreModule from '../core/core.js';
import type { Core } from '../core/core.js';
import type * as HostDefaults from '../core/host-defaults.js';
import { resolveDataDir } from '../core/paths.js';
import { takeVaultPassphrase } from '../core/vault-passphrase.js';
import { CommandFailed, printError, type CliCommand, type Context, type Options } from './command.js';
import { EXIT, UsageError, type CliIo } from './io.js';

const GLOBAL_OPTIONS: Options = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

/**
 * Each command module, loaded only when one of its commands runs: `xet --version` and `xet help`
 * load none, `xet har sanitize` only the HAR commands (no undici, node-forge, zip or SQLite code).
 * The order is the order of the help text.
 */
export const commandModules = {
  settings: async () => (await import('./commands/settings.js')).settingsCommands,
  profiles: async () => (await import('./commands/profiles.js')).profileCommands,
  vault: async () => (await import('./commands/vault.js')).vaultCommands,
  checks: async () => (await import('./commands/checks.js')).checkCommands,
  har: async () => (await import('./commands/har.js')).harCommands,
  archive: async () => (await import('./commands/archive.js')).archiveCommands,
} satisfies Record<string, () => Promise<CliCommand[]>>;
export type CommandModule = keyof typeof commandModules;

/** Every command, in help order (loads every command module). */
export async function loadCommands(): Promise<CliCommand[]> {
  return (await Promise.all(Object.values(commandModules).map((load) => load()))).flat();
}

/**
 * Written by `npm run build` (scripts/cli-manifest.mjs) beside the compiled program: the help text
 * and which module holds which command, so the built CLI loads one module. Run from the sources
 * (tests), there is none and every module is loaded, as before.
 */
interface CliManifest {
  help: string;
  commands: { name: string; module: CommandModule }[];
}

function readManifest(): CliManifest | null {
  try {
    return JSON.parse(fs.readFileSync(new URL('./cli-manifest.json', import.meta.url), 'utf8')) as CliManifest;
  } catch {
    return null;
  }
}

type CoreModules = [typeof CoreModule, typeof HostDefaults];

/**
 * The core's modules, which pull in SQLite, undici, node-forge and zip code: loaded when a command
 * first asks for the core. With a manifest (the built CLI) synchronously, by require() of the ES
 * modules (Node ≥ 20.19, the engines floor); from the sources, imported before the command runs.
 */
function requireCore(): CoreModules {
  const require = createRequire(import.meta.url);
  return [require('../core/core.js') as CoreModules[0], require('../core/host-defaults.js') as CoreModules[1]];
}

async function importCore(): Promise<CoreModules> {
  return Promise.all([import('../core/core.js'), import('../core/host-defaults.js')]);
}

/** The commands a manifest lists, loaded on demand: the one named by `positionals`, or null. */
async function findCommand(positionals: string[], manifest: CliManifest | null): Promise<CliCommand | null> {
  const matches = (name: string) => name.split(' ').every((w, i) => positionals[i] === w);
  const longestFirst = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  if (manifest) {
    const hit = longestFirst(manifest.commands).find((c) => matches(c.name));
    if (!hit) return null;
    return (await commandModules[hit.module]()).find((c) => c.name === hit.name) ?? null;
  }
  return longestFirst(await loadCommands()).find((c) => matches(c.name)) ?? null;
}

export function helpText(commands: CliCommand[]): string {
  const lines = commands.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return [
    'xet — Secure Email ↔ XDR troubleshooter (command line)',
    '',
    'Usage: xet [--data-dir DIR] [--json] <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Global options:',
    "  --data-dir DIR  data folder (default: $XET_DATA_DIR, else the desktop app's folder)",
    '  --json          machine-readable output: one JSON document on stdout',
    '  -h, --help      this help (or one command\'s: xet profile add --help);  -V, --version',
    '',
    'Secrets are read from standard input only. XET_VAULT_PASSPHRASE opens the credential vault;',
    'without it, xet asks on the terminal when a secret is needed.',
    '',
    'Exit codes: 0 success · 1 checks failed, findings of severity error or worse, or the environment failed',
    '            2 usage or input error (bad flag or value, unknown profile, locked vault)',
  ].join('\n');
}

/** Asks for the vault passphrase on the terminal and opens (or creates) the vault; false when no terminal. */
async function unlockInteractively(io: CliIo, core: Core): Promise<boolean> {
  if (!io.promptHidden) return false;
  const state = core.vault.status().state;
  if (state === 'uninitialized') {
    io.stderr('Secrets are kept in an encrypted vault on this computer. Choose its passphrase.\n');
    const first = await io.promptHidden('New vault passphrase (12+ characters): ');
    if ((await io.promptHidden('Repeat it: ')) !== first) throw new UsageError('the two passphrases differ; nothing stored');
    const r = await core.dispatcher.dispatch('vault.setPassphrase', { passphrase: first });
    if (!r.ok) throw new CommandFailed(r.error);
    return true;
  }
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = await core.dispatcher.dispatch('vault.unlock', { passphrase: await io.promptHidden('Vault passphrase: ') });
    if (r.ok) return true;
    if (r.error.code !== 'BAD_PASSPHRASE') throw new CommandFailed(r.error);
    io.stderr(`${r.error.message}${attempt < 3 ? ' Try again.' : ''}\n`);
  }
  throw new CommandFailed({ code: 'BAD_PASSPHRASE', message: 'Wrong vault passphrase (3 attempts).' });
}

/** Parses argv, runs one command, and answers its exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo, options: { scryptCost?: { N: number; r: number; p: number } } = {}): Promise<number> {
  let opened: Core | undefined;
  let json = argv.includes('--json');
  try {
    const first = parseArgs({ args: argv, options: GLOBAL_OPTIONS, strict: false, allowPositionals: true });
    json = first.values.json === true;
    const positionals = first.positionals;
    if (first.values.version === true || positionals[0] === 'version') {
      io.stdout(`${readPackageInfo().version}\n`);
      return EXIT.OK;
    }
    if (positionals.length === 0 || positionals[0] === 'help') {
      const asked = first.values.help === true || positionals[0] === 'help';
      const manifest = readManifest();
      (asked ? io.stdout : io.stderr)(`${manifest ? manifest.help : helpText(await loadCommands())}\n`);
      return asked ? EXIT.OK : EXIT.USAGE;
    }
    const manifest = readManifest();
    const command = await findCommand(positionals, manifest);
    if (!command) throw new UsageError(`unknown command "${positionals.join(' ')}" (see xet --help)`);
    if (first.values.help === true) {
      io.stdout(`Usage: ${command.usage}\n\n${command.summary}\n`);
      return EXIT.OK;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: { ...GLOBAL_OPTIONS, ...command.options }, strict: true, allowPositionals: true });
    } catch (error) {
      throw new UsageError(`${command.name}: ${(error as Error).message}`);
    }
    const rest = parsed.positionals.slice(command.name.split(' ').length);
    const allowed = command.positionals ?? { min: 0, max: 0, names: '' };
    if (rest.length < allowed.min) throw new UsageError(`${command.name}: missing ${allowed.names} (usage: ${command.usage})`);
    if (rest.length > allowed.max) throw new UsageError(`${command.name}: unexpected argument "${rest[allowed.max]}"`);

    const dataDir = resolveDataDir(parsed.values['data-dir'] as string | undefined, {
      platform: process.platform,
      env: io.env,
      home: io.env.HOME ?? io.env.USERPROFILE ?? '',
    });
    // Standard input is read once, so a command retried after unlocking sees the same secret.
    let stdin: Promise<string> | undefined;
    const onceIo: CliIo = { ...io, readStdin: () => (stdin ??= io.readStdin()) };
    // Taken out of the environment it came from, so nothing started later inherits it.
    const passphrase = takeVaultPassphrase(io.env);
    let modules = manifest ? null : await importCore();
    const ctx: Context = {
      io: onceIo,
      json,
      core: () => {
        if (opened) return opened;
        const [{ createCore }, { hostDefaultSettings, PASSPHRASE_BACKEND }] = (modules ??= requireCore());
        return (opened = createCore({
          dataDir,
          transport: 'cli',
          secretBackend: PASSPHRASE_BACKEND,
          defaultSettings: hostDefaultSettings(io.env),
          ...(passphrase ? { vaultPassphrase: passphrase } : {}),
          ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
        }));
      },
    };
    try {
      return await command.run(ctx, parsed.values, rest);
    } catch (error) {
      if (error instanceof CommandFailed && error.error.code === 'LOCKED' && opened && (await unlockInteractively(onceIo, opened))) {
        return await command.run(ctx, parsed.values, rest);
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof CommandFailed) return printError(io, json, error.error);
    if (error instanceof UsageError) {
      return printError(io, json, { code: 'INVALID_REQUEST', message: error.message, ...(error.field ? { field: error.field } : {}) });
    }
    const message = error instanceof Error ? error.message : String(error);
    return printError(io, json, { code: 'INTERNAL', message });
  } finally {
    opened?.close();
  }
}
