import type { MessageParams } from './result.js';

/**
 * Parameters that name another catalogue message instead of holding text: `problem` (why a file
 * was not read, `errors.regularFile.…`), `expected` and `found` (a JSON token or type,
 * `errors.harToken.…` / `errors.harType.…`). Each edge fills them in its own language before the
 * message itself, with the same parameters, so "found string" reads "gefunden: Zeichenkette".
 */
const NESTED = ['problem', 'expected', 'found'] as const;
const MESSAGE_KEY = /^(?:(?:errors|cli)\.[A-Za-z0-9_-]+|profiles\.fieldError)(?:\.[A-Za-z0-9_-]+)+$/;

/**
 * A message's parameters ready for `format` in one language (`text` renders a catalogue key in it):
 * the nested messages above filled in, and for `errors.harFile.*` the `{where}` of a HAR refusal
 * built from `locPath` (JSON path), `locEntry` (index in `log.entries`) and `locByte` (offset), so
 * "entry 3, byte 120" reads "Eintrag 3, Byte 120" in German. Only `errors.harFile.*` messages have
 * this `{where}` (elsewhere it may mean something else, as in errors.regularFile). The core builds
 * the English `message` through the same function.
 */
export function messageParams(key: string, params: MessageParams | undefined, text: (key: string, params: MessageParams) => string): MessageParams | undefined {
  if (!params) return params;
  let out = params;
  const nested = NESTED.filter((name) => typeof params[name] === 'string' && MESSAGE_KEY.test(params[name]));
  if (nested.length > 0) {
    // The nested message sees the same parameters, minus the nested ones (no loops) and any `{where}` prefix.
    const inner: MessageParams = { ...params, where: '' };
    for (const name of NESTED) delete inner[name];
    out = { ...params };
    for (const name of nested) out[name] = text(params[name] as string, inner);
  }
  if (!key.startsWith('errors.harFile.') || out.where === undefined) return out;
  const parts: string[] = [];
  if (out.locPath !== undefined) parts.push(text('errors.harLocation.path', { path: out.locPath }));
  if (out.locEntry !== undefined) parts.push(text('errors.harLocation.entry', { entry: out.locEntry }));
  if (out.locByte !== undefined) parts.push(text('errors.harLocation.byte', { byte: out.locByte }));
  return { ...out, where: parts.length > 0 ? text('errors.harLocation.list', { parts: parts.join(', ') }) : '' };
}

/** The renderer's name for {@link messageParams} (renderer/src/lib/errors.ts). */
export const withHarLocation = messageParams;
