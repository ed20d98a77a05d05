import path from 'node:path';
import type { MessageParams } from '../../contract/result.js';
import { AppError, englishText } from '../errors.js';
import type { FileProblem } from '../fs/regular-file.js';

export type HarErrorKind =
  | 'empty'
  | 'binary'
  | 'archive'
  | 'encoding'
  | 'syntax'
  | 'truncated'
  | 'structure'
  | 'missing'
  | 'type'
  | 'too-large'
  | 'too-deep'
  | 'io';

export interface HarErrorDetail {
  /** The file as the user named it (shown as given, never resolved into something else). */
  file: string;
  kind: HarErrorKind;
  /** What is wrong in English, without the file name and location (those come from the fields below). */
  problem: string;
  /** Byte offset in the file where the problem is (or where the entry holding it starts). */
  offset?: number;
  /** Index in `log.entries`, when the problem is inside an entry. */
  entry?: number;
  /** JSON path such as `log.entries[3].request.headers`. */
  path?: string;
  /**
   * The problem's catalogue key and parameters, see {@link harProblem}: `errors.harFile.…`
   * (templates `{name}…{where}`), or for a file that could not be read at all (`io`) the
   * `errors.regularFile.…` of {@link FileProblem} (templates `{where}…`).
   */
  key: `errors.harFile.${string}` | FileProblem['key'];
  params: MessageParams;
}

/** A problem from the catalogue: its English text (without file name and location) and its key. */
export function harProblem(key: `errors.harFile.${string}`, params: MessageParams = {}): { problem: string; key: `errors.harFile.${string}`; params: MessageParams } {
  return { problem: englishText(key, { ...params, name: '', where: '' }), key, params };
}

/**
 * An input file that is not a usable HAR. The message names the file, the entry, the JSON path and
 * the byte offset, so a user can find the spot in an editor (or tell TAC which export is broken).
 */
export class HarError extends AppError {
  readonly detail: HarErrorDetail;

  constructor(detail: HarErrorDetail) {
    if (detail.path !== undefined && detail.path.length > 200) detail = { ...detail, path: `${detail.path.slice(0, 100)}…${detail.path.slice(-80)}` };
    const code = detail.kind === 'archive' || detail.kind === 'binary' ? 'UNSUPPORTED_MEDIA_TYPE' : 'INVALID_REQUEST';
    const name = path.basename(detail.file);
    let params: MessageParams;
    if (detail.key.startsWith('errors.regularFile.')) params = { ...detail.params, where: `${name}: ` };
    else {
      // The location travels as parameters so each edge words it in its own language.
      params = { ...detail.params, name: `${name}: `, where: '' };
      if (detail.path !== undefined) params.locPath = detail.path;
      if (detail.entry !== undefined) params.locEntry = detail.entry;
      if (detail.offset !== undefined) params.locByte = detail.offset;
    }
    super(code, englishText(detail.key, params), undefined, { key: detail.key, params });
    this.name = 'HarError';
    this.detail = detail;
  }
}

/** JSON path text for a list of keys and indexes: `log.entries[3].request.headers`. */
export function pathText(parts: readonly (string | number)[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p)}]`;
  }
  return out;
}

/**
 * The JSON path of the value that contains character `pos` of `text`, for pointing at syntax
 * errors. A forgiving tokenizer: it only runs on the error path, over one entry.
 */
export function jsonPathAt(text: string, pos: number, prefix: (string | number)[] = []): string {
  // A string read where a key is expected only becomes the key once its colon follows: in a broken
  // entry that string may be a value (a token, a password), and the message must not quote it.
  type Frame = { kind: 'obj'; key: string | null; candidate: string | null; expectKey: boolean } | { kind: 'arr'; index: number };
  const stack: Frame[] = [];
  const end = Math.min(pos, text.length);
  let i = 0;
  while (i < end) {
    const ch = text[i]!;
    const top = stack[stack.length - 1];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        j++;
      }
      const raw = text.slice(i, Math.min(j + 1, text.length));
      if (top?.kind === 'obj' && top.expectKey) {
        try {
          top.candidate = JSON.parse(raw) as string;
        } catch {
          top.candidate = raw.slice(1, -1);
        }
      }
      i = j + 1;
      continue;
    }
    if (ch === '{') stack.push({ kind: 'obj', key: null, candidate: null, expectKey: true });
    else if (ch === '[') stack.push({ kind: 'arr', index: 0 });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ':' && top?.kind === 'obj') {
      if (top.expectKey && top.candidate !== null) top.key = top.candidate;
      top.expectKey = false;
      top.candidate = null;
    } else if (ch === ',' && top) {
      if (top.kind === 'obj') {
        top.expectKey = true;
        top.candidate = null;
      } else top.index++;
    }
    i++;
  }
  const parts: (string | number)[] = [...prefix];
  for (const f of stack) {
    if (f.kind === 'arr') parts.push(f.index);
    else if (f.key !== null) parts.push(f.key);
  }
  return pathText(parts);
}

/** Byte offset of the first byte that breaks UTF-8 in `buf` (the caller knows one exists). */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    const second = buf[i + 1]!;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return i;
    i += need + 1;
  }
  return buf.length;
}

/** How many bytes at the end of `buf` begin a UTF-8 character that is not complete yet (0–3). */
export function openUtf8Tail(buf: Uint8Array): number {
  for (let k = 1; k <= 3 && k <= buf.length; k++) {
    const b = buf[buf.length - k]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b < 0xc0) return 0;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return k < need ? k : 0;
  }
  return 0;
}

const NUMBER_OR_LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** A JSON token a syntax error names as expected or found (`errors.harToken.…`, filled in each edge's language). */
export type JsonToken =
  | 'errors.harToken.objectStart'
  | 'errors.harToken.key'
  | 'errors.harToken.keyOrClose'
  | 'errors.harToken.colon'
  | 'errors.harToken.value'
  | 'errors.harToken.valueOrClose'
  | 'errors.harToken.commaOrBrace'
  | 'errors.harToken.commaOrBracket'
  | 'errors.harToken.quote'
  | 'errors.harToken.endOfFile'
  | 'errors.harToken.endOfValue'
  | 'errors.harToken.json';

/** A JSON syntax error: where (character position) and what, as a catalogue problem (see {@link harProblem}). */
export interface JsonSyntaxError {
  pos: number;
  key: `errors.harFile.${string}`;
  params: MessageParams;
}

const codePoint = (cp: number): string => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/** What stands at `pos` as the `found` parameter: a printable ASCII character quoted, another by its code point, or the end. */
function foundAt(text: string, pos: number): MessageParams {
  if (pos >= text.length) return { found: 'errors.harToken.endOfValue' };
  const cp = text.codePointAt(pos)!;
  return cp >= 0x20 && cp < 0x7f ? { found: 'errors.harToken.char', char: String.fromCodePoint(cp) } : { found: 'errors.harToken.codePoint', code: codePoint(cp) };
}

/** The same for one byte of a file (the scanner reads bytes): printable ASCII quoted, else its hex value. */
export function foundByte(b: number): MessageParams {
  return b >= 0x20 && b < 0x7f ? { found: 'errors.harToken.char', char: String.fromCharCode(b) } : { found: 'errors.harToken.byte', hex: `0x${b.toString(16).padStart(2, '0')}` };
}

/**
 * The first JSON syntax error in `text` (null when there is none): its character position and what
 * was expected there against what was found, or what is wrong inside a string. V8's messages omit
 * the position for some errors, differ between versions and are English only; a user needs the spot,
 * in words of their language.
 */
export function syntaxErrorAt(text: string): JsonSyntaxError | null {
  const n = text.length;
  const stack: ('o' | 'a')[] = [];
  let i = 0;
  let state: 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'after' = 'value';
  const unexpected = (pos: number, expected: JsonToken): JsonSyntaxError => ({ pos, key: 'errors.harFile.unexpected', params: { expected, ...foundAt(text, pos) } });
  const inString = (pos: number, key: `errors.harFile.${string}`, params: MessageParams = {}): JsonSyntaxError => ({ pos, key, params });
  /** Reads the string whose quote is at `i` and moves `i` past it; answers the error inside it, if any. */
  const string = (): JsonSyntaxError | null => {
    let j = i + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 0x22) {
        i = j + 1;
        return null;
      }
      if (c < 0x20) return inString(j, 'errors.harFile.controlChar', { code: codePoint(c) });
      if (c === 0x5c) {
        const e = text[j + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return inString(j, 'errors.harFile.badEscape');
          j += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) return inString(j, 'errors.harFile.badEscape');
        j += 2;
        continue;
      }
      j++;
    }
    return unexpected(n, 'errors.harToken.quote');
  };
  /** What may come next in the current state. */
  const expected = (): JsonToken => {
    if (state === 'value') return 'errors.harToken.value';
    if (state === 'value-or-close') return 'errors.harToken.valueOrClose';
    if (state === 'key') return 'errors.harToken.key';
    if (state === 'key-or-close') return 'errors.harToken.keyOrClose';
    const top = stack[stack.length - 1];
    return top === 'o' ? 'errors.harToken.commaOrBrace' : top === 'a' ? 'errors.harToken.commaOrBracket' : 'errors.harToken.endOfValue';
  };
  for (;;) {
    while (i < n && ' \t\n\r'.includes(text[i]!)) i++;
    if (i >= n) return stack.length > 0 || state !== 'after' ? unexpected(n, expected()) : null;
    const ch = text[i]!;
    if (state === 'value-or-close' && ch === ']') {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (state === 'key-or-close' && ch === '}') {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (state === 'value' || state === 'value-or-close') {
      if (ch === '{') {
        stack.push('o');
        state = 'key-or-close';
        i++;
      } else if (ch === '[') {
        stack.push('a');
        state = 'value-or-close';
        i++;
      } else if (ch === '"') {
        const e = string();
        if (e) return e;
        state = 'after';
      } else {
        NUMBER_OR_LITERAL.lastIndex = i;
        if (!NUMBER_OR_LITERAL.exec(text)) return unexpected(i, expected());
        i = NUMBER_OR_LITERAL.lastIndex;
        state = 'after';
      }
      continue;
    }
    if (state === 'key' || state === 'key-or-close') {
      if (ch !== '"') return unexpected(i, expected());
      const e = string();
      if (e) return e;
      while (i < n && ' \t\n\r'.includes(text[i]!)) i++;
      if (text[i] !== ':') return unexpected(Math.min(i, n), 'errors.harToken.colon');
      i++;
      state = 'value';
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) return unexpected(i, expected());
    if (ch === ',') {
      state = top === 'o' ? 'key' : 'value';
      i++;
    } else if ((ch === '}' && top === 'o') || (ch === ']' && top === 'a')) {
      stack.pop();
      i++;
    } else return unexpected(i, expected());
  }
}

/** Character position of the first JSON syntax error in `text` (-1 when there is none), see {@link syntaxErrorAt}. */
export function firstSyntaxError(text: string): number {
  return syntaxErrorAt(text)?.pos ?? -1;
}
