import type { z } from 'zod';
import { commands, type ParsedRequestOf, type ResponseOf } from '../contract/commands.js';
import { isCommandName, type CommandName } from '../contract/names.js';
import { fail, ok, type Result } from '../contract/result.js';
import { AppError } from './errors.js';
import type { Logger } from './logging/logger.js';
import { issueField } from './validation.js';

export type Handler<N extends CommandName> = (request: ParsedRequestOf<N>) => Promise<ResponseOf<N>> | ResponseOf<N>;
export type Handlers = { [N in CommandName]: Handler<N> };

export interface Dispatcher {
  dispatch(command: unknown, payload: unknown): Promise<Result<unknown>>;
}

/** Renders the first schema issue as one sentence that names the field. */
export function describeIssue(command: string, issue: z.core.$ZodIssue): { message: string; field: string | undefined } {
  const { field, detail } = issueField(issue);
  if (field === undefined) return { message: `${command}: request ${detail.replace(/^Invalid input: /, '')}`, field };
  return { message: issue.code === 'unrecognized_keys' ? `${command}: field "${field}" ${detail}` : `${command}: field "${field}": ${detail}`, field };
}

/**
 * The one place a command is validated and executed, shared by Electron IPC, the web host and
 * the CLI. Whatever happens, the caller gets a Result: never a throw, never a stack trace.
 */
export function createDispatcher(handlers: Handlers, log: Logger): Dispatcher {
  return {
    async dispatch(command, payload) {
      if (!isCommandName(command)) {
        const shown = typeof command === 'string' ? JSON.stringify(command.slice(0, 80)) : typeof command;
        return fail('UNKNOWN_COMMAND', `Unknown command ${shown}`);
      }
      const parsed = commands[command].request.safeParse(payload === undefined ? {} : payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const { message, field } = issue ? describeIssue(command, issue) : { message: `${command}: invalid request`, field: undefined };
        return fail('INVALID_REQUEST', message, field);
      }
      try {
        const handler = handlers[command] as Handler<CommandName>;
        const value = await handler(parsed.data as never);
        return ok(value);
      } catch (error) {
        if (error instanceof AppError) return fail(error.code, error.message, error.field);
        const ref = Math.random().toString(36).slice(2, 8).toUpperCase();
        log.error('command failed', { command, ref, error: error instanceof Error ? error.stack ?? error.message : String(error) });
        return fail('INTERNAL', `Internal error while running ${command} (log reference ${ref})`);
      }
    },
  };
}
