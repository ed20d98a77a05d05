import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandName } from '../contract/names.js';
import type { ResponseOf } from '../contract/commands.js';
import type { ContractError } from '../contract/result.js';
import { readPackageInfo } from '../core/app-info.js';
import { createCore, type Core } from '../core/core.js';
import { hostDefaultSettings, PASSPHRASE_BACKEND } from '../core/host-defaults.js';
import { resolveDataDir } from '../core/paths.js';
import { EXIT, UsageError, type CliIo } from './io.js';

type Options = NonNullable<ParseArgsConfig['options']>;

interface Context {
  io: CliIo;
  json: boolean;
  /** Opens the data folder on first use, so `--help` and `--version` never touch it. */
  core: () => Core;
  args: string[];
}

interface CliCommand {
  name: string;
  usage: string;
  summary: string;
  options: Options;
  run(ctx: Context, values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

const GLOBAL_OPTIONS: Options = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
};

/** Runs one contract command and prints its value (or its error) in the chosen format. */
async function call<N extends CommandName>(
  ctx: Context,
  command: N,
  request: unknown,
  human: (value: ResponseOf<N>) => string,
): Promise<number> {
  const result = await ctx.core().dispatcher.dispatch(command, request);
  if (!result.ok) return printError(ctx.io, ctx.json, result.error);
  const value = result.value as ResponseOf<N>;
  ctx.io.stdout(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : `${human(value)}\n`);
  return EXIT.OK;
}

export function printError(io: CliIo, json: boolean, error: ContractError): number {
  if (json) io.stdout(`${JSON.stringify({ error }, null, 2)}\n`);
  io.stderr(`xet: ${error.message}\n`);
  return error.code === 'INTERNAL' || error.code === 'UNAVAILABLE' ? EXIT.FINDINGS : EXIT.USAGE;
}

const commands: CliCommand[] = [
  {
    name: 'info',
    usage: 'xet info [--json]',
    summary: 'Show version, data folder and secret backend.',
    options: {},
    run: (ctx) =>
      call(ctx, 'app.info', {}, (v) =>
        [`${v.name} ${v.version}`, `data folder:    ${v.dataDir}`, `secret backend: ${v.secretBackend.detail}${v.secretBackend.available ? '' : ' (not set up)'}`].join('\n'),
      ),
  },
  {
    name: 'settings get',
    usage: 'xet settings get [--json]',
    summary: 'Show the language and theme the desktop app uses.',
    options: {},
    run: (ctx) => call(ctx, 'settings.get', {}, (v) => `language: ${v.language}\ntheme:    ${v.theme}`),
  },
  {
    name: 'settings set',
    usage: 'xet settings set [--language en|de] [--theme system|light|dark] [--json]',
    summary: 'Change the language and/or theme.',
    options: { language: { type: 'string' }, theme: { type: 'string' } },
    run: (ctx, values) => {
      const request: Record<string, unknown> = {};
      if (values.language !== undefined) request.language = values.language;
      if (values.theme !== undefined) request.theme = values.theme;
      if (Object.keys(request).length === 0) throw new UsageError('settings set: give --language and/or --theme');
      return call(ctx, 'settings.set', request, (v) => `language: ${v.language}\ntheme:    ${v.theme}`);
    },
  },
];

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    'xet — Secure Email ↔ XDR troubleshooter (command line)',
    '',
    'Usage: xet [--data-dir DIR] [--json] <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    '  --data-dir DIR  data folder (default: $XET_DATA_DIR, else the desktop app\'s folder)',
    '  --json          machine-readable output: one JSON document on stdout',
    '  -h, --help      this help;  -V, --version  print the version',
    '',
    'Exit codes: 0 success · 1 checks failed or findings of severity error or worse · 2 usage or input error',
  ].join('\n');
}

function findCommand(positionals: string[]): { command: CliCommand; rest: string[] } | null {
  for (const command of [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)) {
    const words = command.name.split(' ');
    if (words.every((w, i) => positionals[i] === w)) return { command, rest: positionals.slice(words.length) };
  }
  return null;
}

/** Parses argv, runs one command, and answers its exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let opened: Core | undefined;
  let json = argv.includes('--json');
  try {
    const first = parseArgs({ args: argv, options: GLOBAL_OPTIONS, strict: false, allowPositionals: true });
    json = first.values.json === true;
    if (first.values.version === true) {
      io.stdout(`${readPackageInfo().version}\n`);
      return EXIT.OK;
    }
    const positionals = first.positionals;
    if (positionals.length === 0 || positionals[0] === 'help') {
      const asked = first.values.help === true || positionals[0] === 'help';
      (asked ? io.stdout : io.stderr)(`${helpText()}\n`);
      return asked ? EXIT.OK : EXIT.USAGE;
    }
    if (positionals[0] === 'version') {
      io.stdout(`${readPackageInfo().version}\n`);
      return EXIT.OK;
    }
    const found = findCommand(positionals);
    if (!found) throw new UsageError(`unknown command "${positionals.join(' ')}" (see xet --help)`);
    const { command } = found;
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
    const dataDir = resolveDataDir(parsed.values['data-dir'] as string | undefined, {
      platform: process.platform,
      env: io.env,
      home: io.env.HOME ?? io.env.USERPROFILE ?? '',
    });
    const ctx: Context = {
      io,
      json,
      args: rest,
      core: () =>
        (opened ??= createCore({
          dataDir,
          transport: 'cli',
          secretBackend: PASSPHRASE_BACKEND,
          defaultSettings: hostDefaultSettings(io.env),
        })),
    };
    return await command.run(ctx, parsed.values, rest);
  } catch (error) {
    if (error instanceof UsageError) {
      return printError(io, json, { code: 'INVALID_REQUEST', message: error.message, ...(error.field ? { field: error.field } : {}) });
    }
    const message = error instanceof Error ? error.message : String(error);
    if (json) io.stdout(`${JSON.stringify({ error: { code: 'INTERNAL', message } }, null, 2)}\n`);
    io.stderr(`xet: ${message}\n`);
    return EXIT.USAGE;
  } finally {
    opened?.close();
  }
}
