import fs from 'node:fs';
import path from 'node:path';
import { messageParams } from '../contract/har-location.js';
import { format, lookup, type Dictionary } from '../contract/i18n.js';
import type { ErrorCode, MessageParams } from '../contract/result.js';
import { defaultResourcesDir } from './paths.js';

const catalogues = new Map<string, Dictionary>();
let catalogueDir: string | undefined;

/** Where `i18n/<lang>.json` lives when it is not the `resources/` beside package.json (the packaged app). */
export function useCatalogueDir(resourcesDir: string): void {
  if (resourcesDir !== catalogueDir) catalogues.clear();
  catalogueDir = resourcesDir;
}

/** The catalogue of one language, read once (core messages are rendered in English for logs and `message`; the CLI shows its language). */
export function catalogue(language: 'en' | 'de'): Dictionary {
  let dict = catalogues.get(language);
  if (!dict) catalogues.set(language, (dict = JSON.parse(fs.readFileSync(path.join(catalogueDir ?? defaultResourcesDir(), 'i18n', `${language}.json`), 'utf8')) as Dictionary));
  return dict;
}

/**
 * A catalogue message in a language, `{name}` filled from params (nested messages and a HAR
 * refusal's location first, see `messageParams`); undefined when the key is missing.
 */
export function catalogueText(key: string, params: MessageParams | undefined, language: 'en' | 'de'): string | undefined {
  const template = lookup(catalogue(language), key);
  return template === undefined ? undefined : format(template, messageParams(key, params, (k, p) => catalogueText(k, p, language) ?? k), language);
}

/** A catalogue message in English, `{name}` filled from params; the key itself when it is missing. */
export function englishText(key: string, params?: MessageParams): string {
  return catalogueText(key, params, 'en') ?? key;
}

/** An expected failure with a stable code; its message is safe to show to the user. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  /** Catalogue key and parameters, so each edge can show the message in its own language. */
  readonly key: string | undefined;
  readonly params: MessageParams | undefined;

  constructor(code: ErrorCode, message: string, field?: string, text?: { key: string; params?: MessageParams | undefined }) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
    this.key = text?.key;
    this.params = text?.params;
  }

  /**
   * The way to raise a user-facing error: a key under `errors.` in resources/i18n/<lang>.json and
   * its parameters; the English text becomes `message`.
   */
  static of(code: ErrorCode, key: `errors.${string}`, params?: MessageParams, field?: string): AppError {
    return new AppError(code, englishText(key, params), field, { key, ...(params ? { params } : {}) });
  }
}
