import { CaseNumber, MIN_SPLIT_BYTES, type ArchiveProgress, type ArchiveCreateRequest } from '../../../electron/contract/archive.js';

export type WizardStep = 1 | 2 | 3 | 4 | 5;

export const MAX_HARS = 20;
const MIB = 1024 * 1024;

/** The build stages as they happen (the core reports them in this order; `done` ends it). */
export const buildStages = ['prepare', 'sanitise', 'compress', 'report', 'encrypt'] as const satisfies readonly ArchiveProgress['stage'][];

/**
 * A case number as the user types it: `invalid` as soon as it cannot become nine digits (a letter,
 * a tenth digit), `incomplete` while digits are missing (an error only once the field is left).
 * Valid means what the contract's CaseNumber accepts; empty is fine (the number is optional).
 */
export function caseNumberState(raw: string): 'empty' | 'valid' | 'incomplete' | 'invalid' {
  const value = raw.trim();
  if (value === '') return 'empty';
  if (CaseNumber.safeParse(value).success) return 'valid';
  return /^\d{1,8}$/.test(value) ? 'incomplete' : 'invalid';
}

/** How far the whole build is, 0–100: each stage is an equal share, filled by its own done/total. */
export function buildPercent(p: Pick<ArchiveProgress, 'stage' | 'done' | 'total'> | null): number {
  if (!p) return 0;
  if (p.stage === 'done') return 100;
  const index = buildStages.indexOf(p.stage);
  const within = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  return Math.min(99, Math.floor(((index + within) / buildStages.length) * 100));
}

/** Each stage's state for the list under the bar. */
export function stageStates(current: ArchiveProgress['stage'] | null): { stage: (typeof buildStages)[number]; state: 'done' | 'current' | 'pending' }[] {
  const at = current === 'done' ? buildStages.length : current ? buildStages.indexOf(current) : -1;
  return buildStages.map((stage, i) => ({ stage, state: i < at ? 'done' : i === at ? 'current' : 'pending' }));
}

/** Part size in whole MB (MiB, like the e-mail limit) → bytes, or null when it is no such number. */
export function splitBytesFrom(mb: string): number | null {
  const value = mb.trim();
  if (!/^\d{1,6}$/.test(value)) return null;
  const bytes = Number(value) * MIB;
  return bytes >= MIN_SPLIT_BYTES ? bytes : null;
}

/** Which wizard step holds a field the core named in an error. */
export function stepOfField(field: string | undefined): WizardStep | null {
  if (!field) return null;
  if (field === 'profileId' || field.startsWith('runIds')) return 1;
  if (field.startsWith('harIds')) return 2;
  if (field.startsWith('applianceLogs')) return 3;
  if (field === 'caseNumber' || field === 'notes' || field === 'includeHostnames') return 4;
  if (field.startsWith('encryption') || field === 'splitBytes') return 5;
  return null;
}

/** The index of the certificate a core error names (`encryption.certificates.2`), or null. */
export function certificateIndex(field: string | undefined): number | null {
  const m = /^encryption\.certificates\.(\d+)$/.exec(field ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * A chosen certificate file as the contract carries it: PEM text as it is; a DER file (binary) as
 * PEM, so its bytes survive the trip as text.
 */
export async function certificateFromFile(file: Pick<File, 'name' | 'arrayBuffer'>): Promise<{ name: string; pem: string }> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('-----BEGIN')) return { name: file.name, pem: text };
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const lines = btoa(binary).match(/.{1,64}/g) ?? [];
  return { name: file.name, pem: `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n` };
}

/** Errors shown at the encryption step's fields. */
export interface EncryptionErrors {
  password?: string | undefined;
  /** About the list as a whole (none chosen, too many). */
  certificates?: string | undefined;
  /** By the certificate's place in the list. */
  certificate?: Record<number, string>;
  split?: string | undefined;
}

export interface WizardChoices {
  profileId: string;
  runIds: string[];
  harIds: string[];
  caseNumber: string;
  notes: string;
  includeHostnames: boolean;
  mode: 'password' | 'certificate';
  password: string;
  certificates: { name: string; pem: string }[];
  splitBytes: number | null;
  applianceLogs?: ArchiveCreateRequest['applianceLogs'];
}

/** The archive.create request for what the wizard holds; empty optional fields are left out. */
export function createRequest(taskId: string, c: WizardChoices): ArchiveCreateRequest {
  const caseNumber = c.caseNumber.trim();
  const notes = c.notes.trim();
  return {
    taskId,
    profileId: c.profileId,
    runIds: c.runIds,
    harIds: c.harIds,
    ...(caseNumber ? { caseNumber } : {}),
    ...(notes ? { notes } : {}),
    includeHostnames: c.includeHostnames,
    encryption: c.mode === 'password' ? { mode: 'password', password: c.password } : { mode: 'certificate', certificates: c.certificates },
    ...(c.splitBytes !== null ? { splitBytes: c.splitBytes } : {}),
    ...(c.applianceLogs ? { applianceLogs: c.applianceLogs } : {}),
  };
}

/**
 * Words that name a secret, in English and German, as people write them in notes: "password:",
 * "Passwort =", "pw is", "Kennwort lautet", "token:" …
 */
const SECRET_WORD = String.raw`pass(?:word|wort|phrase|wd)?|pwd|pw|kennwort|secret|geheimnis|token|api[-_ ]?key|client[-_ ]?secret|credentials?|zugangsdaten`;
const SECRET_IN_NOTES = new RegExp(String.raw`(?:^|[^\p{L}\p{N}])(${SECRET_WORD})\s*(?:[:=]|\s(?:is|ist|lautet|was|war)\b)\s*["'„“”‚‘’]?(\S{4,})`, 'iu');

/**
 * The secret-naming word when the notes look as if they hold a password ("password: Summer2024!"),
 * else null. The notes go into the report as written, so the wizard warns before they do; a word
 * alone ("the password was reset") is no warning, only a word followed by what looks like a value.
 */
export function passwordInNotes(notes: string): string | null {
  for (const line of notes.split(/\r?\n/)) {
    const m = SECRET_IN_NOTES.exec(line);
    // "Password: see the case" is a reference, not a value: at least one digit or symbol makes it one.
    if (m && /[\d\W_]/u.test(m[2]!.replace(/[.,;:!?)]+$/, ''))) return m[1]!;
  }
  return null;
}

/** A task id for archive.progress and archive.cancel (the contract wants 8–64 of [a-zA-Z0-9-]). */
export function newTaskId(): string {
  return `archive-${crypto.randomUUID()}`;
}

/** Where the web host serves a built archive: the whole file, or part n (from 1) of a split one. */
export function archiveDownloadUrl(id: string, part?: number, base = ''): string {
  return `${base}/files/archive/${encodeURIComponent(id)}${part === undefined ? '' : `?part=${part}`}`;
}
