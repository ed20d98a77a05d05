import { randomUUID } from 'node:crypto';
import type { ImportRejection, ImportResult, Profile } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
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

function parseJson(content: string, fileName: string): unknown {
  const text = content.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new AppError('INVALID_REQUEST', `${fileName}: the file is empty`, 'content');
  try {
    return JSON.parse(text);
  } catch (error) {
    const pos = /position (\d+)/.exec((error as Error).message)?.[1];
    const where = pos === undefined ? 'at the end (truncated?)' : (({ line, column }) => `at line ${line}, column ${column} (byte ${pos})`)(lineColumn(text, Number(pos)));
    throw new AppError('INVALID_REQUEST', `${fileName}: not valid JSON ${where}`, 'content');
  }
}

/**
 * Imports an export document: every entry is validated first, and either all are stored in one
 * transaction or none is, with each rejected entry's index, name, field and reason.
 */
export function importProfiles(service: ProfilesService, content: string, fileName = 'import file'): ImportResult {
  const doc = parseJson(content, fileName) as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new AppError('INVALID_REQUEST', `${fileName}: expected a JSON object with "format": "${EXPORT_FORMAT}"`, 'content');
  }
  if (doc.format !== EXPORT_FORMAT) throw new AppError('INVALID_REQUEST', `${fileName}: "format" must be "${EXPORT_FORMAT}" (is this a profile export?)`, 'format');
  if (doc.schemaVersion !== EXPORT_SCHEMA_VERSION) {
    throw new AppError('INVALID_REQUEST', `${fileName}: schemaVersion ${shownValue(doc.schemaVersion)} is not supported (this version reads ${EXPORT_SCHEMA_VERSION})`, 'schemaVersion');
  }
  if (!Array.isArray(doc.profiles)) throw new AppError('INVALID_REQUEST', `${fileName}: "profiles" must be an array`, 'profiles');

  const rejected: ImportRejection[] = [];
  const accepted: { index: number; fields: ReturnType<typeof toFields> }[] = [];
  const seen = new Map<string, number>();
  doc.profiles.forEach((entry: unknown, index) => {
    const name = typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' ? ((entry as { name: string }).name as string) : null;
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
