import { withHarLocation } from '../../../electron/contract/har-location.js';
import type { ContractError } from '../../../electron/contract/result.js';
import { t, type Key } from './i18n.svelte.js';

/**
 * An error in the user's language: from the catalogue when the core named its key
 * (`errors.…`), else the English message it sent.
 */
export function errorMessage(error: Pick<ContractError, 'message' | 'key' | 'params'>): string {
  if (error.key) {
    const text = t(error.key as Key, withHarLocation(error.key, error.params, (key, params) => t(key as Key, params)));
    if (text !== error.key) return text;
  }
  return error.message;
}

/**
 * The message of an error shown next to its field: the dispatcher prefixes schema messages
 * with `command: field "x": `, which the field's own place already says.
 */
export function fieldMessage(error: Pick<ContractError, 'message' | 'field' | 'key' | 'params'>): string {
  // A schema refusal: the field's own place says which field, so only zod's detail is shown.
  if (error.field && error.key === 'errors.request.field' && error.params?.detail !== undefined) return String(error.params.detail);
  const message = errorMessage(error);
  if (!error.field || error.key) return message;
  const prefix = /^[\w.]+: field "[^"]*": /.exec(message);
  return prefix ? message.slice(prefix[0].length) : message;
}
