import type { RedactionLocation } from './har-report.js';
import type { Site } from './text-scrubber.js';

/** One step of a JSON path as the report writes it: `.name`, `["odd name"]`, or `[]` for any array index. */
export function seg(key: string | number): string {
  return typeof key === 'number' ? '[]' : /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** A Site whose path is built only when a rule fires (read synchronously, while `stack` still holds it). */
class LazySite implements Site {
  constructor(
    readonly entry: number,
    readonly location: RedactionLocation,
    private readonly base: string,
    private readonly stack: readonly (string | number)[] | undefined,
    readonly paramRule: Site['paramRule'],
  ) {}

  get path(): string {
    const stack = this.stack;
    if (!stack || stack.length === 0) return this.base;
    let out = this.base;
    for (const key of stack) out += seg(key);
    return out;
  }
}

export function site(entry: number, location: RedactionLocation, base: string, stack?: readonly (string | number)[], paramRule?: Site['paramRule']): Site {
  return new LazySite(entry, location, base, stack, paramRule);
}
