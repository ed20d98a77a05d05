import type { ContractError } from '../../../electron/contract/result.js';

/**
 * The message of an error shown next to its field: the dispatcher prefixes schema messages
 * with `command: field "x": `, which the field's own place already says.
 */
export function fieldMessage(error: Pick<ContractError, 'message' | 'field'>): string {
  if (!error.field) return error.message;
  const prefix = /^[\w.]+: field "[^"]*": /.exec(error.message);
  return prefix ? error.message.slice(prefix[0].length) : error.message;
}
