import { isUtf8 } from 'node:buffer';

/**
 * Text that is base64 (or base64url) of something the rules can read: JSON, a form body, or
 * `user:password`. Such a body or value is opaque to every text rule, so a `text/plain` login body
 * holding base64 of `{"passphrase":…}` kept its secret. Recognised strictly (the whole text is one
 * canonical encoding of valid UTF-8 text of one of those shapes) and within bounds, and written
 * back the same way (alphabet and padding kept), so the copy still decodes.
 */

export interface Encoding {
  alphabet: 'base64' | 'base64url';
  padded: boolean;
}

export type DecodedKind = 'json' | 'form' | 'userpass';

export interface Decoded {
  encoding: Encoding;
  kind: DecodedKind;
  text: string;
}

/** Shorter encodings hold no field worth a name (`{"a":1}` is 12 characters). */
export const MIN_ENCODED = 12;
/** Larger encoded texts are left to the known-secret search (bodies this size are files, not logins). */
export const MAX_ENCODED = 4 * 2 ** 20;
/** Layers of encoding unwrapped (base64 in a JSON string in base64 is two). */
export const MAX_LAYERS = 3;

const STANDARD = /^[A-Za-z0-9+/]+={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]+={0,2}$/;
// A form body: name=value pairs joined by `&`, names of URL-safe characters, no spaces or controls.
const FORM = /^[\w.~%*!+-]+=[^&\s]*(?:&[\w.~%*!+-]+=[^&\s]*)*$/;
// `user:password`: one colon, nothing blank, not a URL (`https://…`) or a time of day.
const USER_PASS = /^([^\s:]{1,256}):(?!\/\/)(\S{1,1024})$/;

function charClass(text: string): Encoding['alphabet'] | null {
  if (STANDARD.test(text)) return 'base64';
  if (URL_SAFE.test(text)) return 'base64url';
  return null;
}

/**
 * Whether decoded bytes are text a person or a program wrote: no control characters, and (when
 * `whole`, not a prefix that may end inside a character) valid UTF-8.
 */
function isText(bytes: Buffer, whole: boolean): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
    if (b === 0x7f) return false;
  }
  return !whole || isUtf8(bytes);
}

function kindOf(text: string): DecodedKind | null {
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') {
    try {
      const doc = JSON.parse(text) as unknown;
      return doc !== null && typeof doc === 'object' ? 'json' : null;
    } catch {
      return null;
    }
  }
  if (text.includes('=') && FORM.test(text)) return 'form';
  if (text.includes(':') && USER_PASS.test(text)) return 'userpass';
  return null;
}

export function encode(text: string, encoding: Encoding): string {
  const out = Buffer.from(text, 'utf8').toString(encoding.alphabet);
  // Node writes base64 padded and base64url unpadded: the original's choice wins.
  const bare = out.replace(/=+$/, '');
  return encoding.padded ? bare + '='.repeat((4 - (bare.length % 4)) % 4) : bare;
}

/**
 * The decoded text when `text` is plausibly an encoded JSON document, form body or `user:password`;
 * null for anything else (plain words, hex digests, images and other binary, over the bounds).
 */
export function decodeEncoded(text: string): Decoded | null {
  const n = text.length;
  if (n < MIN_ENCODED || n > MAX_ENCODED || n % 4 === 1) return null;
  // A look at the first characters and bytes before the whole text: most long base64 is binary,
  // and most long text is not base64 at all (the full character test cost 8 % of a run on images).
  const head = charClass(n > 64 ? text.slice(0, 64) : text);
  if (head === null || !isText(Buffer.from(text.slice(0, 64), head), false)) return null;
  const alphabet = charClass(text);
  if (alphabet === null) return null;
  const padded = text.endsWith('=');
  if (padded && n % 4 !== 0) return null;
  const bytes = Buffer.from(text, alphabet);
  if (!isText(bytes, true)) return null;
  const plain = bytes.toString('utf8');
  const encoding: Encoding = { alphabet, padded };
  // Canonical only: Node's decoder skips stray characters, so the text must be what encoding gives back.
  if (encode(plain, encoding) !== text) return null;
  const kind = kindOf(plain);
  return kind === null ? null : { encoding, kind, text: plain };
}
