import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { ImportRejection, ImportResult, Profile } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import { firstInvalidUtf8, firstSyntaxError } from '../har/har-errors.js';
import { nameKey } from './profile-repo.js';
import { parseFields, toFields, type ProfilesService } from './profiles-service.js';

export const EXPORT_FORMAT = 'xet-profiles';
export const EXPORT_SCHEMA_VERSION = 1;

/** Profiles as a self-describing, versioned JSON document. Secrets are never part of it. */
export function exportProfiles(service: ProfilesService, appVersion: string, now = new Date()): { json: string; count: number } {
  const rows = service.repo.list().sort((a, b) => a.name.localeCompare(b.name));
  const doc = {
    format: EXPORT_FORMAT,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    exportedBy: `xdr-email-troubleshooter ${appVersion}`,
    note: 'Appliance profiles without any password, token or key.',
    profiles: rows.map(toFields),
  };
  return { json: `${JSON.stringify(doc, null, 2)}\n`, count: rows.length };
}

/** Line and column of a character offset, for error messages a person can follow. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/**
 * A value from the file, short, for a message. Never JSON.stringify of what the file holds: a
 * structure nested thousands deep overflows the stack, and a long string would be echoed whole.
 */
function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return '(a list)';
  if (typeof value === 'object' && value !== null) return '(an object)';
  return String(value);
}

/** Largest export file read (the contract's limit on `content`); real ones are a few KB. */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

/**
 * The text of an export file as read from disk: UTF-8, or a located refusal. Decoding would turn
 * bytes that are not UTF-8 into U+FFFD, silently changing names and notes.
 */
export function decodeImportFile(data: Buffer, fileName: string): string {
  if (!isUtf8(data)) {
    throw AppError.of('INVALID_REQUEST', 'errors.profiles.import.notUtf8', { file: fileName, byte: firstInvalidUtf8(data) }, 'content');
  }
  return data.toString('utf8');
}

function parseJson(content: string, fileName: string): unknown {
  const text = content.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw AppError.of('INVALID_REQUEST', 'errors.profiles.import.empty', { file: fileName }, 'content');
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 leaves the position out of some messages ("Unexpected token '}', … is not valid JSON").
    const located = firstSyntaxError(text);
    const pos = located >= 0 ? located : Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? text.length);
    const { line, column } = lineColumn(text, pos);
    const byte = Buffer.byteLength(content.slice(0, content.length - text.length)) + Buffer.byteLength(text.slice(0, pos));
    throw pos >= text.length
      ? AppError.of('INVALID_REQUEST', 'errors.profiles.import.jsonTruncated', { file: fileName, line }, 'content')
      : AppError.of('INVALID_REQUEST', 'errors.profiles.import.jsonInvalid', { file: fileName, line, column, byte }, 'content');
  }
}

/** A name from the file as a rejection shows it: control and direction characters escaped, long ones cut. */
function shownName(value: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const safe = value.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return safe.length > max ? `${safe.slice(0, max)}… (${value.length} characters)` : safe;
}

/**
 * Imports an export document: every entry is validated first, and either all are stored in one
 * transaction or none is, with each rejected entry's index, name, field and reason.
 */
export function importProfiles(service: ProfilesService, content: string, fileName = 'import file'): ImportResult {
  const doc = parseJson(content, fileName) as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw AppError.of('INVALID_REQUEST', 'errors.profiles.import.notObject', { file: fileName, format: EXPORT_FORMAT }, 'content');
  }
  if (doc.format !== EXPORT_FORMAT) throw AppError.of('INVALID_REQUEST', 'errors.profiles.import.wrongFormat', { file: fileName, format: EXPORT_FORMAT }, 'format');
  if (doc.schemaVersion !== EXPORT_SCHEMA_VERSION) {
    throw AppError.of('INVALID_REQUEST', 'errors.profiles.import.schemaVersion', { file: fileName, found: shownValue(doc.schemaVersion), supported: EXPORT_SCHEMA_VERSION }, 'schemaVersion');
  }
  if (!Array.isArray(doc.profiles)) throw AppError.of('INVALID_REQUEST', 'errors.profiles.import.notArray', { file: fileName }, 'profiles');

  const rejected: ImportRejection[] = [];
  const accepted: { index: number; fields: ReturnType<typeof toFields> }[] = [];
  const seen = new Map<string, number>();
  doc.profiles.forEach((entry: unknown, index) => {
    // The name as the rejection list shows it: it may be 1 MB long or hold terminal escapes.
    const name = typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' ? shownName((entry as { name: string }).name) : null;
    const parsed = parseFields(entry);
    if (!parsed.ok) {
      rejected.push({ index, name, field: parsed.field ? `profiles[${index}].${parsed.field}` : `profiles[${index}]`, message: parsed.message });
      return;
    }
    const key = nameKey(parsed.fields.name);
    if (seen.has(key)) {
      rejected.push({ index, name, field: `profiles[${index}].name`, message: `same name as entry ${seen.get(key)} in this file` });
      return;
    }
    seen.set(key, index);
    try {
      service.checkFields(parsed.fields);
      accepted.push({ index, fields: parsed.fields });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      rejected.push({ index, name, field: `profiles[${index}].${error.field ?? ''}`.replace(/\.$/, ''), message: error.message });
    }
  });
  if (rejected.length > 0) return { imported: [], rejected };

  const ids: string[] = [];
  service.repo.db.transaction(() => {
    for (const { fields } of accepted) {
      const id = randomUUID();
      service.insert(id, fields);
      ids.push(id);
    }
  })();
  const imported: Profile[] = ids.map((id) => service.get(id));
  return { imported, rejected: [] };
}
