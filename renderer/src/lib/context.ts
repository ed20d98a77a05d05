import { getContext, setContext } from 'svelte';
import type { Api } from '../../../electron/contract/api.js';

const API = Symbol('api');

export function provideApi(api: Api): void {
  setContext(API, api);
}

/** The contract API given to the app at mount; components never reach for a global. */
export function useApi(): Api {
  const api = getContext<Api | undefined>(API);
  if (!api) throw new Error('useApi() called outside <App>: no API in context');
  return api;
}

export const API_CONTEXT_KEY = API;
