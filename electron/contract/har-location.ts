import type { MessageParams } from './result.js';

/**
 * Where in a HAR file a refusal points: `locPath` (JSON path), `locEntry` (index in `log.entries`)
 * and `locByte` (offset) travel as parameters, and `{where}` in the message is built from them in
 * the language of the edge that shows it (errors.harLocation.*), so "entry 3, byte 120" reads
 * "Eintrag 3, Byte 120" in German. Only `errors.harFile.*` messages have this `{where}` (elsewhere it may mean
 * something else, as in errors.regularFile). Core builds the English `message` through the same function.
 */
export function withHarLocation(key: string, params: MessageParams | undefined, text: (key: string, params: MessageParams) => string): MessageParams | undefined {
  if (!key.startsWith('errors.harFile.') || params?.where === undefined) return params;
  const parts: string[] = [];
  if (params.locPath !== undefined) parts.push(text('errors.harLocation.path', { path: params.locPath }));
  if (params.locEntry !== undefined) parts.push(text('errors.harLocation.entry', { entry: params.locEntry }));
  if (params.locByte !== undefined) parts.push(text('errors.harLocation.byte', { byte: params.locByte }));
  return { ...params, where: parts.length > 0 ? text('errors.harLocation.list', { parts: parts.join(', ') }) : '' };
}
