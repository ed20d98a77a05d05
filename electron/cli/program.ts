import fs from 'node:fs';
import { parseArgs } from 'node:util';
// Only what every start needs is imported here: the core, the schemas and each command's code are
// loaded when a command runs (see ./command-modules.ts), so `--version` and `--help` stay fast.
import { readPackageInfo } from '../core/app-info.js';
import type { HostCore, openHostCore as OpenHostCore } from '../core/host-core.js';
import { hostDefaultSettings, PASSPHRASE_BACKEND, takeVaultPassphrase } from '../core/host-defaults.js';
import { dataPaths, resolveDataDir } from '../core/paths.js';
import type { Language } from '../contract/commands.js';
import { CommandFailed, flagFor, flagValue, printError, type CliCommand, type Context, type Options } from './command.js';
import { commandModules } from './command-modules.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { manifest } from './manifest.js';
import type { ManifestEntry } from './manifest-shape.js';
import { cliText, translate } from './text.js';

const GLOBAL_OPTIONS: Options = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

/** Every command, in the order `--help` lists them (their code is loaded by `implementation`). */
export const commands: readonly ManifestEntry[] = manifest;

/** The code of one command of the manifest, imported now. */
async function implementation(entry: ManifestEntry): Promise<CliCommand> {
  const found = (await commandModules[entry.module]()).find((c) => c.name === entry.name);
  if (!found) throw new Error(`xet ${entry.name} is in the manifest but not in its module ${entry.module} (run scripts/cli-manifest.ts)`);
  return found;
}

/** `--lang`'s value; the schema (and zod with it) is loaded only to word a refusal. */
async function langFlagValue(value: unknown): Promise<Language> {
  if (value === 'en' || value === 'de') return value;
  return flagValue('--lang', 'lang', (await import('../contract/commands.js')).Language, value);
}

/** `xet --help` in a language: every command's usage and what it does, the global options, the exit codes. */
export function helpText(lang: Language): string {
  const lines = commands.map((c) => `  ${c.usage}\n      ${cliText(lang, c.summary)}`);
  const option = (flag: string, key: `cli.help.${string}`) => `  ${flag.padEnd(16)}${cliText(lang, key)}`;
  return [
    cliText(lang, 'cli.help.title'),
    '',
    cliText(lang, 'cli.help.usage'),
    '',
    cliText(lang, 'cli.help.commands'),
    ...lines,
    '',
    cliText(lang, 'cli.help.globalOptions'),
    option('--data-dir DIR', 'cli.help.optDataDir'),
    option('--json', 'cli.help.optJson'),
    option('--lang en|de', 'cli.help.optLang'),
    option('-h, --help', 'cli.help.optHelp'),
    '',
    cliText(lang, 'cli.help.secrets'),
    '',
    cliText(lang, 'cli.help.exitCodes'),
  ].join('\n');
}

function findCommand(positionals: string[]): ManifestEntry | null {
  const byLength = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  return byLength.find((c) => c.name.split(' ').every((w, i) => positionals[i] === w)) ?? null;
}

/**
 * Why argv does not parse with a command's options, naming the first flag at fault (Node's own
 * message only for what it refuses beyond these, in English).
 */
function parseProblem(command: ManifestEntry, argv: string[], options: Options, error: unknown): UsageError {
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const params = { command: command.name, option: token.rawName };
    if (!Object.hasOwn(options, token.name)) return UsageError.of('cli.usage.unknownOption', params);
    const { type } = options[token.name]!;
    if (type === 'string' && token.value === undefined) return UsageError.of('cli.usage.missingValue', params);
    // As Node's strict parse: `--case --yes` is a forgotten value, not the value "--yes".
    if (type === 'string' && !token.inlineValue && token.value!.length > 1 && token.value!.startsWith('-')) return UsageError.of('cli.usage.ambiguousValue', params);
    if (type === 'boolean' && token.value !== undefined) return UsageError.of('cli.usage.noValue', params);
  }
  return UsageError.of('cli.usage.badArguments', { command: command.name, detail: (error as Error).message });
}

/** Asks for the vault passphrase on the terminal and opens (or creates) the vault; false when no terminal. */
async function unlockInteractively(io: CliIo, core: HostCore, lang: Language): Promise<boolean> {
  if (!io.promptHidden) return false;
  const status = await core.dispatcher.call('vault.status', {});
  const state = status.ok ? status.value.state : 'locked';
  if (state === 'uninitialized') {
    io.stderr(`${cliText(lang, 'cli.vault.choose')}\n`);
    const first = await io.promptHidden(cliText(lang, 'cli.prompt.newPassphrase'));
    if ((await io.promptHidden(cliText(lang, 'cli.prompt.repeat'))) !== first) throw UsageError.of('cli.usage.passphrasesDiffer');
    const r = await core.dispatcher.call('vault.setPassphrase', { passphrase: first });
    if (!r.ok) throw new CommandFailed(r.error);
    return true;
  }
  for (let attempt = 1; attempt <= 3; attempt++) {
    const r = await core.dispatcher.call('vault.unlock', { passphrase: await io.promptHidden(cliText(lang, 'cli.prompt.passphrase')) });
    if (r.ok) return true;
    if (r.error.code !== 'BAD_PASSPHRASE') throw new CommandFailed(r.error);
    const refusal = translate(r.error, lang, r.error.message);
    io.stderr(`${attempt < 3 ? cliText(lang, 'cli.vault.tryAgain', { message: refusal }) : refusal}\n`);
  }
  throw new CommandFailed({ code: 'BAD_PASSPHRASE', message: cliText('en', 'cli.vault.wrongThreeTimes'), key: 'cli.vault.wrongThreeTimes' });
}

export interface RunOptions {
  scryptCost?: { N: number; r: number; p: number };
  /** Sees the core as soon as a command opens it (tests instrument its dispatcher). */
  onCore?: (core: HostCore) => void;
}

/** Parses argv, runs one command, and answers its exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo, options: RunOptions = {}): Promise<number> {
  let opened: HostCore | undefined;
  let json = argv.includes('--json');
  let lang: Language | undefined;
  let command: ManifestEntry | null = null;
  let dataDir: string | undefined;
  // Standard input is read once, so a command retried after unlocking sees the same secret.
  let stdin: Promise<string> | undefined;
  const onceIo: CliIo = { ...io, readStdin: () => (stdin ??= io.readStdin()) };
  // Taken out of the environment it came from, so nothing started later inherits it.
  const passphrase = takeVaultPassphrase(io.env);
  // Loaded before a command runs (or an error's language needs the settings), so `open` stays synchronous.
  let openCore: typeof OpenHostCore | undefined;
  const loadCore = async () => {
    openCore ??= (await import('../core/host-core.js')).openHostCore;
  };
  const open = (): HostCore => {
    if (opened) return opened;
    if (!openCore) throw new Error('the core is opened before it was loaded');
    opened = openCore({
      dataDir: dataDir!,
      transport: 'cli',
      secretBackend: PASSPHRASE_BACKEND,
      defaultSettings: hostDefaultSettings(io.env),
      ...(passphrase ? { vaultPassphrase: passphrase } : {}),
      ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    });
    options.onCore?.(opened);
    return opened;
  };
  // The language errors are shown in: --lang, else the settings'. A refusal before the command
  // loaded the core reads them only from a database that exists (a fresh one would say the default);
  // reading creates, migrates and changes nothing (HostCore.language).
  const errorLang = async (): Promise<Language> => {
    if (lang) return lang;
    try {
      if (opened || (dataDir !== undefined && fs.existsSync(dataPaths(dataDir).database))) {
        await loadCore();
        return open().language();
      }
      return hostDefaultSettings(io.env).language;
    } catch {
      return 'en';
    }
  };
  try {
    const first = parseArgs({ args: argv, options: GLOBAL_OPTIONS, strict: false, allowPositionals: true });
    json = first.values.json === true;
    const langFlag = first.values.lang;
    if (langFlag !== undefined) lang = await langFlagValue(langFlag);
    const dataDirFlag = first.values['data-dir'];
    dataDir = resolveDataDir(typeof dataDirFlag === 'string' ? dataDirFlag : undefined, {
      platform: process.platform,
      env: io.env,
      home: io.env.HOME ?? io.env.USERPROFILE ?? '',
    });
    const positionals = first.positionals;
    if (first.values.version === true || positionals[0] === 'version') {
      io.stdout(`${readPackageInfo().version}\n`);
      return EXIT.OK;
    }
    // Help never opens the data folder: its language is --lang, else the locale's.
    const helpLang = lang ?? hostDefaultSettings(io.env).language;
    if (positionals.length === 0 || positionals[0] === 'help') {
      const asked = first.values.help === true || positionals[0] === 'help';
      (asked ? io.stdout : io.stderr)(`${helpText(helpLang)}\n`);
      return asked ? EXIT.OK : EXIT.USAGE;
    }
    command = findCommand(positionals);
    if (!command) throw UsageError.of('cli.usage.unknownCommand', { command: positionals.join(' ') });
    if (first.values.help === true) {
      io.stdout(`${cliText(helpLang, 'cli.help.commandUsage', { usage: command.usage })}\n\n${cliText(helpLang, command.summary)}\n`);
      return EXIT.OK;
    }
    const commandOptions = { ...GLOBAL_OPTIONS, ...command.options };
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options: commandOptions, strict: true, allowPositionals: true });
    } catch (error) {
      throw parseProblem(command, argv, commandOptions, error);
    }
    const rest = parsed.positionals.slice(command.name.split(' ').length);
    const allowed = command.positionals ?? { min: 0, max: 0, names: '' };
    if (rest.length < allowed.min) throw UsageError.of('cli.usage.missingArgument', { command: command.name, names: allowed.names, usage: command.usage });
    if (rest.length > allowed.max) throw UsageError.of('cli.usage.unexpectedArgument', { command: command.name, argument: rest[allowed.max]! });

    const code = await implementation(command);
    await loadCore();
    const ctx: Context = { io: onceIo, json, core: open, lang: () => lang ?? open().language() };
    try {
      return await code.run(ctx, parsed.values, rest);
    } catch (error) {
      if (error instanceof CommandFailed && error.error.code === 'LOCKED' && opened && (await unlockInteractively(onceIo, opened, ctx.lang()))) {
        return await code.run(ctx, parsed.values, rest);
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof CommandFailed) {
      // NOT_FOUND names what a positional argument pointed at, not a flag.
      const flag = error.error.code === 'NOT_FOUND' ? undefined : flagFor(command?.flags, error.error.field);
      const shownIn = await errorLang();
      const code = printError(io, json, error.error, { lang: shownIn, flag });
      if (error.error.code === 'LOCKED') io.stderr(`${cliText(shownIn, 'cli.vault.lockedHint')}\n`);
      return code;
    }
    if (error instanceof UsageError) return printError(io, json, error.toContractError(), { lang: await errorLang() });
    const message = error instanceof Error ? error.message : String(error);
    return printError(io, json, { code: 'INTERNAL', message }, { lang: await errorLang() });
  } finally {
    opened?.close();
  }
}
