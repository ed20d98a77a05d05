import type { z } from 'zod';
import type { commands as commandTable, ParsedRequestOf, RequestOf, ResponseOf } from '../contract/commands.js';
import { isCommandName, type CommandName } from '../contract/names.js';
import { fail, ok, type MessageParams, type Result } from '../contract/result.js';
import { AppError } from './errors.js';
import { isHostCommandName, type HostCommandName, type HostHandlers, type HostRequestOf, type HostResponseOf } from './host-commands.js';
import type { HostOptionsOf } from './host-options.js';
import type { Logger } from './logging/logger.js';
import { issueField } from './validation.js';

/** A command's implementation: the request already validated by the contract's schema; `host` only from a host (see host-options.ts). */
export type Handler<N extends CommandName> = (request: ParsedRequestOf<N>, host: HostOptionsOf<N> | undefined) => Promise<ResponseOf<N>> | ResponseOf<N>;
export type Handlers = { [N in CommandName]: Handler<N> };

export interface Dispatcher {
  /** For the renderer's transports (IPC, web host): anything in, a Result out, never host options. */
  dispatch(command: unknown, payload: unknown): Promise<Result<unknown>>;
  /** For hosts on this machine (the CLI): typed requests and answers, and the command's host-only options. */
  call<N extends CommandName>(command: N, payload: RequestOf<N>, host?: HostOptionsOf<N>): Promise<Result<ResponseOf<N>>>;
  /** A host-only command (host-commands.ts): no contract schema, the typed request built by the host. */
  call<N extends HostCommandName>(command: N, request: HostRequestOf<N>): Promise<Result<HostResponseOf<N>>>;
}

/** What the renderer's transports get: `dispatch` only, so no page can pass host options. */
export type RendererDispatcher = Pick<Dispatcher, 'dispatch'>;

/** Renders the first schema issue as one sentence that names the field. */
export function describeIssue(command: string, issue: z.core.$ZodIssue): { message: string; field: string | undefined } {
  const { field, detail } = issueField(issue);
  if (field === undefined) return { message: `${command}: request ${detail.replace(/^Invalid input: /, '')}`, field };
  return { message: issue.code === 'unrecognized_keys' ? `${command}: field "${field}" ${detail}` : `${command}: field "${field}": ${detail}`, field };
}

type CommandTable = typeof commandTable;

/**
 * The one place a command is validated and executed, shared by Electron IPC, the web host and
 * the CLI. Whatever happens, the caller gets a Result: never a throw, never a stack trace.
 * `handlers` may be a loader, awaited on the first contract command (host-core.ts builds the
 * services only then).
 */
export function createDispatcher(handlers: Handlers | (() => Promise<Handlers>), log: Logger, hostHandlers?: HostHandlers, schemas?: CommandTable): Dispatcher {
  // A full core passes the schemas it has loaded anyway: its commands then run without a module
  // look-up in between (the renderer's first answers come as fast as before the CLI went lazy).
  let table: CommandTable | undefined = schemas;
  /** What a handler's throw becomes: its own code and text for an AppError, else INTERNAL with a log reference. */
  function failure(command: string, error: unknown): Result<never> {
    if (error instanceof AppError) return fail(error.code, error.message, error.field, error.key ? { key: error.key, params: error.params } : undefined);
    const ref = Math.random().toString(36).slice(2, 8).toUpperCase();
    log.error('command failed', { command, ref, error: error instanceof Error ? error.stack ?? error.message : String(error) });
    return fail('INTERNAL', `Internal error while running ${command} (log reference ${ref})`);
  }
  async function run(command: unknown, payload: unknown, host: unknown): Promise<Result<unknown>> {
    if (!isCommandName(command)) {
      const shown = typeof command === 'string' ? JSON.stringify(command.slice(0, 80)) : typeof command;
      return fail('UNKNOWN_COMMAND', `Unknown command ${shown}`);
    }
    // The schemas (and zod) load with the first contract command: a host-only one needs neither.
    const commands = (table ??= (await import('../contract/commands.js')).commands);
    const parsed = commands[command].request.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const { message, field } = issue ? describeIssue(command, issue) : { message: `${command}: invalid request`, field: undefined };
      // zod's detail stays in English (the schemas' own messages are English); the sentence around
      // it is the catalogue's, so an edge shows "Feld „x“: …" in German and the CLI just the detail beside its flag.
      const detail = issue ? issueField(issue).detail : 'invalid request';
      const text: { key: string; params: MessageParams } = field === undefined ? { key: 'errors.request.invalid', params: { command, detail } } : { key: 'errors.request.field', params: { command, field, detail } };
      return fail('INVALID_REQUEST', message, field, text);
    }
    try {
      const loaded = typeof handlers === 'function' ? await handlers() : handlers;
      const handler = loaded[command] as (request: unknown, host: unknown) => unknown;
      return ok(await handler(parsed.data, host));
    } catch (error) {
      return failure(command, error);
    }
  }
  async function runHost(command: HostCommandName, request: unknown): Promise<Result<unknown>> {
    if (!hostHandlers) return fail('UNAVAILABLE', `${command} is not available in this host`);
    try {
      const handler = hostHandlers[command] as (request: unknown) => unknown;
      return ok(await handler(request));
    } catch (error) {
      return failure(command, error);
    }
  }
  return {
    dispatch: (command, payload) => run(command, payload, undefined),
    call: ((command: string, payload: unknown, host?: unknown) => (isHostCommandName(command) ? runHost(command, payload) : run(command, payload, host))) as Dispatcher['call'],
  };
}
