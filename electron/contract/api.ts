import type { RequestOf, ResponseOf } from './commands.js';
import type { EventPayload } from './events.js';
import { commandNames, eventNames, type CommandName, type EventName } from './names.js';
import type { Result } from './result.js';

type DomainOf<N extends string> = N extends `${infer D}.${string}` ? D : never;
type Domains = DomainOf<CommandName>;

/** Commands whose request has only optional fields may be called without an argument. */
type Args<N extends CommandName> = Record<never, never> extends RequestOf<N> ? [request?: RequestOf<N>] : [request: RequestOf<N>];

export type CommandFn<N extends CommandName> = (...args: Args<N>) => Promise<Result<ResponseOf<N>>>;

export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

export interface EventsApi {
  /** Subscribe to one contract event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: EventListener<E>): () => void;
}

/**
 * What the renderer talks to: `api.settings.set({ language: 'de' })`. The preload and the
 * web client both build exactly this object, so a missing or misspelled command is a compile error.
 */
export type Api = {
  [D in Domains]: {
    [N in CommandName as N extends `${D}.${infer M}` ? M : never]: CommandFn<N>;
  };
} & { events: EventsApi };

export type Invoke = (command: CommandName, request: unknown) => Promise<Result<unknown>>;
export type Subscribe = (name: EventName, listener: (payload: unknown) => void) => () => void;

/** Builds the grouped API object from one transport's invoke and subscribe functions. */
export function buildApi(invoke: Invoke, subscribe: Subscribe): Api {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of commandNames) {
    const [domain, method] = name.split('.') as [string, string];
    api[domain] ??= {};
    api[domain][method] = (request?: unknown) => invoke(name, request ?? {});
  }
  const events: EventsApi = {
    on(name, listener) {
      if (!(eventNames as readonly string[]).includes(name)) throw new TypeError(`Unknown event: ${String(name)}`);
      return subscribe(name, listener as (payload: unknown) => void);
    },
  };
  return { ...api, events } as unknown as Api;
}
