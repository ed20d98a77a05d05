import type { EventPayload } from '../contract/events.js';
import type { EventName } from '../contract/names.js';

/** One event as a listener receives it: the name, and that event's payload type (narrowed by the name). */
export type BusEvent = { [E in EventName]: [name: E, payload: EventPayload<E>] }[EventName];
export type BusListener = (...event: BusEvent) => unknown;

/** In-process fan-out of contract events to whichever transports are attached. */
export class EventBus {
  private readonly listeners = new Set<BusListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        (listener as (name: EventName, payload: unknown) => void)(name, payload);
      } catch {
        // A broken transport must not stop the others from hearing the event.
      }
    }
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to one event only. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.subscribe((event, payload) => {
      if (event === name) (listener as (payload: unknown) => void)(payload);
    });
  }

  get size(): number {
    return this.listeners.size;
  }
}
