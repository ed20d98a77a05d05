import { createHash } from 'node:crypto';
import tls from 'node:tls';

/** Distinct root sets kept ready; a run uses two or three (the system's, a pinned API's, a lab CA). */
const MAX_CONTEXTS = 16;
const contexts = new Map<string, tls.SecureContext>();

/**
 * The client SecureContext for a set of roots (none: the system's), made once and shared.
 * `tls.connect` otherwise builds one per connection, parsing every root again: with 50 appliances
 * checked side by side that was the largest CPU cost of a run after the handshakes themselves.
 * A context holds only trust roots and defaults here, never a client key, so sharing it is safe.
 */
export function clientContext(ca?: string | string[]): tls.SecureContext {
  const roots = ca === undefined ? [] : Array.isArray(ca) ? ca : [ca];
  const key = roots.length === 0 ? 'system' : createHash('sha256').update(roots.join('\n\0')).digest('hex');
  let context = contexts.get(key);
  if (context) {
    // Most recently used last: the oldest goes first when the map is full.
    contexts.delete(key);
    contexts.set(key, context);
    return context;
  }
  context = tls.createSecureContext(roots.length === 0 ? {} : { ca: roots });
  contexts.set(key, context);
  if (contexts.size > MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
  return context;
}

/**
 * Node's bundled Mozilla roots and nothing else (no NODE_EXTRA_CA_CERTS, no OS store): the "genuine
 * roots" against which an intercepting proxy's certificate shows as foreign. `ca` given: those roots.
 */
export function genuineRootsContext(ca?: string | string[] | null): tls.SecureContext {
  if (ca) return clientContext(ca);
  bundled ??= tls.createSecureContext({ ca: [...tls.rootCertificates] });
  return bundled;
}
let bundled: tls.SecureContext | undefined;

/** SHA-256 of a DER certificate, lower-case hex: what a pin holds. */
export function derSha256(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex');
}
