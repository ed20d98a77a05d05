import type { EventPayload } from '../contract/events.js';
import type { EventName } from '../contract/names.js';

export type BusListener = (name: EventName, payload: unknown) => void;

/** In-process fan-out of contract events to whichever transports are attached. */
export class EventBus {
  private readonly listeners = new Set<BusListener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(name, payload);
      } catch {
        // A broken transport must not stop the others from hearing the event.
      }
    }
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.listeners.size;
  }
}
