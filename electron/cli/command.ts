import type { ParseArgsConfig } from 'node:util';
import type { ResponseOf } from '../contract/commands.js';
import type { CommandName } from '../contract/names.js';
import type { ContractError } from '../contract/result.js';
import type { Core } from '../core/core.js';
import { AppError } from '../core/errors.js';
import { EXIT, type CliIo } from './io.js';

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Context {
  io: CliIo;
  json: boolean;
  /** Opens the data folder on first use, so `--help` and `--version` never touch it. */
  core: () => Core;
}

export interface CliCommand {
  /** Words after `xet`, e.g. `profile add`. */
  name: string;
  usage: string;
  summary: string;
  options: Options;
  /** How many positional arguments the command takes (after its name). */
  positionals?: { min: number; max: number; names: string };
  run(ctx: Context, values: Values, positionals: string[]): Promise<number>;
}

/** A contract error on its way to the exit code; thrown by `request`, printed by the runner. */
export class CommandFailed extends Error {
  constructor(readonly error: ContractError) {
    super(error.message);
    this.name = 'CommandFailed';
  }
}

/** Runs one contract command through the shared dispatcher and answers its value, or throws CommandFailed. */
export async function request<N extends CommandName>(ctx: Context, command: N, payload: unknown): Promise<ResponseOf<N>> {
  const result = await ctx.core().dispatcher.dispatch(command, payload);
  if (!result.ok) throw new CommandFailed(result.error);
  return result.value as ResponseOf<N>;
}

/** Core service errors (AppError, HarError) become contract errors, so they print and exit like dispatcher errors. */
export async function viaContract<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw new CommandFailed({ code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) });
    throw error;
  }
}

/** Prints a value as JSON (with --json) or as the human text. */
export function print(ctx: Context, value: unknown, human: string): number {
  ctx.io.stdout(ctx.json ? `${JSON.stringify(value, null, 2)}\n` : `${human}\n`);
  return EXIT.OK;
}

/** Runs a contract command and prints its value. */
export async function call<N extends CommandName>(ctx: Context, command: N, payload: unknown, human: (value: ResponseOf<N>) => string): Promise<number> {
  const value = await request(ctx, command, payload);
  return print(ctx, value, human(value));
}

/** Errors the user can fix (bad input, unknown profile, locked vault) exit 2; failures of the environment exit 1. */
export function exitCodeFor(error: ContractError): number {
  return error.code === 'INTERNAL' || error.code === 'UNAVAILABLE' ? EXIT.FINDINGS : EXIT.USAGE;
}

export function printError(io: CliIo, json: boolean, error: ContractError): number {
  if (json) io.stdout(`${JSON.stringify({ error }, null, 2)}\n`);
  io.stderr(`xet: ${error.message}\n`);
  return exitCodeFor(error);
}
