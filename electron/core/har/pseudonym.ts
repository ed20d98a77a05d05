import { createHmac, randomBytes } from 'node:crypto';
import { placeholder, TAG_LENGTH } from './placeholder.js';

// Re-exported where they were first defined, for callers that import them from here.
export { PLACEHOLDER, urlPlaceholder } from './placeholder.js';

/**
 * Keyed, consistent pseudonyms: the same value always becomes the same `[REDACTED:<rule>:<6 hex>]`
 * within one run (one key), so a reader can follow a session across requests and files without
 * seeing it. HMAC-SHA256 with a key that never leaves the device: without the key, the 24-bit tag
 * cannot be checked against guesses.
 */
export class Pseudonyms {
  private readonly cache = new Map<string, string>();

  constructor(private readonly key: Buffer = randomBytes(32)) {
    if (key.length < 16) throw new Error('pseudonym key must be at least 16 bytes');
  }

  /** The 6-hex tag of a value (what the report shows instead of the value). */
  fingerprint(value: string): string {
    let fp = this.cache.get(value);
    if (fp === undefined) {
      fp = createHmac('sha256', this.key).update(value).digest('hex').slice(0, TAG_LENGTH);
      if (this.cache.size >= 50_000) this.cache.clear();
      if (value.length <= 4096) this.cache.set(value, fp);
    }
    return fp;
  }

  /** The tag of a value given as its UTF-8 bytes (a body never made a string): the same as `fingerprint` of that string. */
  fingerprintBytes(utf8: Uint8Array): string {
    return createHmac('sha256', this.key).update(utf8).digest('hex').slice(0, TAG_LENGTH);
  }

  placeholder(rule: string, value: string): string {
    return placeholder(rule, this.fingerprint(value));
  }
}
