import type { parseArgs, ParseArgsConfig } from 'node:util';
import type { Language, RequestOf, ResponseOf } from '../contract/commands.js';
import type { CommandName } from '../contract/names.js';
import { requestIssueKey } from '../contract/profile-issues.js';
import type { Profile } from '../contract/profiles.js';
import type { ContractError } from '../contract/result.js';
import type { HostCore } from '../core/host-core.js';
import type { HostCommandName, HostRequestOf, HostResponseOf } from '../core/host-commands.js';
import type { HostOptionsOf } from '../core/host-options.js';
import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { issueField } from '../core/validation.js';
import { EXIT, UsageError, type CliIo } from './io.js';
import { cliText, translate } from './text.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** The parsed flag values of a command, typed from its `options` (strings, booleans, lists). */
export type ValuesOf<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true; allowPositionals: true }>>['values'];

export interface Context {
  io: CliIo;
  json: boolean;
  /** Opens the data folder on first use, so `--help` and `--version` never touch it. */
  core: () => HostCore;
  /** `--lang`, else the settings language (which opens the data folder). */
  lang: () => Language;
}

export interface CommandShape {
  /** Words after `xet`, e.g. `profile add`. */
  name: string;
  usage: string;
  /** What the command does, for `--help`: a key of the catalogue (`cli.help.…`). */
  summary: `cli.help.${string}`;
  /** How many positional arguments the command takes (after its name). */
  positionals?: { min: number; max: number; names: string };
  /**
   * Flag → the request field it sets (dotted; a prefix covers the fields below it), so a refusal
   * of the core that names a field is shown with the flag the user typed.
   */
  flags?: Readonly<Record<string, string>>;
}

export interface CommandSpec<O extends Options> extends CommandShape {
  options: O;
  run(ctx: Context, values: ValuesOf<O>, positionals: string[]): Promise<number>;
}

/** A command as the runner holds it: its own option types erased (the runner parses with its options). */
export interface CliCommand extends CommandShape {
  options: Options;
  run(ctx: Context, values: Record<string, unknown>, positionals: string[]): Promise<number>;
}

/** Declares a command whose `run` sees its flags typed from `options`. */
export function command<const O extends Options>(spec: CommandSpec<O>): CliCommand {
  // The runner parses argv with exactly `spec.options`, so the values it passes have this type.
  return spec as unknown as CliCommand;
}

/**
 * One flag's value in the type its request field has (a port as a number, a kind as the enum), by
 * the contract's schema for that field, so the request is typed end to end; a refusal names the flag.
 */
export function flagValue<S extends z.ZodType>(flag: string, field: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { detail } = issueField(parsed.error.issues[0]!);
  // A profile field's refusal in the profile form's words, in the CLI's language; else zod's English detail.
  const known = requestIssueKey(field, detail);
  if (known) throw UsageError.of('cli.usage.flagProblem', { flag, problem: known.key, ...known.params }, field);
  throw UsageError.of('cli.usage.flagValue', { flag, detail }, field);
}

/** A flag the command cannot do without; `flag` as the usage writes it (`--profile NAME`). */
export function required<T>(command: string, flag: string, value: T | undefined, field: string): T {
  if (value === undefined || value === '') throw UsageError.of('cli.usage.required', { command, flag }, field);
  return value;
}

/** A flag's value that must be one of a few words (absent: undefined); the refusal lists them. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], field: string): T | undefined {
  if (value !== undefined && !(allowed as readonly string[]).includes(value)) throw UsageError.of('cli.usage.oneOf', { flag, allowed: allowed.join(', ') }, field);
  return value as T | undefined;
}

/** A flag's whole number from `min` to `max` (absent: undefined). */
export function wholeNumber(flag: string, value: string | undefined, min: number, max: number, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw UsageError.of('cli.usage.wholeNumber', { flag, min, max }, field);
  return Number(value);
}

/** A proxy URL given on the command line (credentials allowed there, never stored): refused unless http(s)://HOST:PORT. */
export function proxyFlag(value: string | undefined): string | undefined {
  if (value !== undefined && !/^https?:\/\/[^/\s]+\/?$/i.test(value)) throw UsageError.of('cli.usage.proxy', undefined, 'proxy');
  return value;
}

/**
 * Asks a yes/no question on the terminal in the CLI's language; `yes` (the command's --yes) skips
 * it. Without a terminal, `refusal` is thrown: nothing is done unasked.
 */
export async function askYesNo(ctx: Context, question: string, refusal: Error, yes = false): Promise<boolean> {
  if (yes) return true;
  if (!ctx.io.prompt) throw refusal;
  return /^(y|yes|j|ja)$/i.test((await ctx.io.prompt(cliText(ctx.lang(), 'cli.prompt.yesNo', { question }))).trim());
}

/** A repeatable flag's values as a list (absent: empty). */
export function listOf(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** A contract error on its way to the exit code; thrown by `request`, printed by the runner. */
export class CommandFailed extends Error {
  constructor(readonly error: ContractError) {
    super(error.message);
    this.name = 'CommandFailed';
  }
}

/** Runs one contract command through the shared dispatcher and answers its value, or throws CommandFailed. */
export async function request<N extends CommandName>(ctx: Context, command: N, payload: RequestOf<N>, host?: HostOptionsOf<N>): Promise<ResponseOf<N>> {
  const result = await ctx.core().dispatcher.call(command, payload, host);
  if (!result.ok) throw new CommandFailed(result.error);
  return result.value;
}

/**
 * A profile by name or id, through the dispatcher (the CLI's host option: names count too). Here
 * rather than with the profile commands, so a command that may name a profile (`har sanitize
 * --profile`) does not load their code, and the profiles' schemas with it, when it names none.
 */
export async function findProfile(ctx: Context, nameOrId: string): Promise<Profile> {
  return await request(ctx, 'profiles.get', { id: nameOrId }, { byName: true });
}

/** Why a file operation failed, as the CLI names it: the error code (ENOENT), else the message. */
export const failure = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Runs one host-only command (host-commands.ts) through the dispatcher. */
export async function hostRequest<N extends HostCommandName>(ctx: Context, command: N, payload: HostRequestOf<N>): Promise<HostResponseOf<N>> {
  const result = await ctx.core().dispatcher.call(command, payload);
  if (!result.ok) throw new CommandFailed(result.error);
  return result.value;
}

/**
 * For the core's helpers that read this host's own files (an endpoints file, an import file): their
 * AppError becomes a contract error, printed and exited like a dispatcher refusal. Services are
 * never called this way; they are reached through the dispatcher.
 */
export async function viaContract<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof AppError ? commandFailed(error) : error;
  }
}

/** A core refusal (AppError) as the runner prints a dispatcher's: code, English message, field, key and params. */
export function commandFailed(error: AppError): CommandFailed {
  return new CommandFailed({ code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}), ...(error.key ? { key: error.key } : {}), ...(error.params ? { params: error.params } : {}) });
}

/** Prints a value as JSON (with --json) or as the human text. */
export function print(ctx: Context, value: unknown, human: string): number {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
  return EXIT.OK;
}

/** Runs a contract command and prints its value: as JSON, or as `human` words it in the CLI's language. */
export async function call<N extends CommandName>(ctx: Context, command: N, payload: RequestOf<N>, human: (value: ResponseOf<N>, lang: Language) => string, host?: HostOptionsOf<N>): Promise<number> {
  const value = await request(ctx, command, payload, host);
  return print(ctx, value, human(value, ctx.lang()));
}

/** Errors the user can fix (bad input, unknown profile, locked vault) exit 2; failures of the environment exit 1. */
export function exitCodeFor(error: ContractError): number {
  return error.code === 'INTERNAL' || error.code === 'UNAVAILABLE' ? EXIT.FINDINGS : EXIT.USAGE;
}

/** The flag that set a request field, by the command's flag → field map (the longest field that covers it). */
export function flagFor(flags: Readonly<Record<string, string>> | undefined, field: string | undefined): string | undefined {
  if (!flags || !field) return undefined;
  let best: [string, string] | undefined;
  for (const [flag, target] of Object.entries(flags)) {
    if ((field === target || field.startsWith(`${target}.`)) && (!best || target.length > best[1].length)) best = [flag, target];
  }
  return best?.[0];
}

/**
 * Prints an error in the CLI's language (the catalogue text for its key, else its English message),
 * prefixed with the flag that set the offending field; with --json the error document (English
 * message, key, params) goes to stdout as well.
 */
export function printError(io: CliIo, json: boolean, error: ContractError, options: { lang?: Language; flag?: string | undefined } = {}): number {
  let shown = error.message;
  if (options.flag) {
    shown = shown.replace(/^[\w.]+: (?:field "[^"]*":? |request )/, '');
    if (error.field) shown = shown.replace(new RegExp(`^${error.field.replace(/[.]/g, '\\.')}: `), '');
  }
  const text = translate(error, options.lang ?? 'en', shown, options.flag !== undefined);
  if (json) io.stdout(`${JSON.stringify({ error: options.flag ? { ...error, flag: options.flag } : error }, null, 2)}\n`);
  io.stderr(`xet: ${options.flag ? `${options.flag}: ` : ''}${text}\n`);
  return exitCodeFor(error);
}
