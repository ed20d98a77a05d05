import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ProfileInput, type Profile, type ProfileFields } from '../../contract/profiles.js';
import { AppError } from '../errors.js';
import type { EventBus } from '../event-bus.js';
import type { Logger } from '../logging/logger.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { issueField } from '../validation.js';
import { describeCaPem } from './certificate.js';
import { nameKey, ProfileRepo, type ProfileRow } from './profile-repo.js';

export function toProfile(row: ProfileRow): Profile {
  const trust: Profile['trust'] =
    row.trust_mode === 'pin'
      ? { mode: 'pin', sha256: row.trust_sha256! }
      : row.trust_mode === 'ca'
        ? { mode: 'ca', ...describeCaPem(row.trust_ca_pem!), pem: row.trust_ca_pem! }
        : { mode: 'system' };
  return { id: row.id, ...toFields(row), trust, xdrClientId: row.xdr_client_id, passwordStored: row.password_stored === 1, xdrClientSecretStored: row.xdr_secret_stored === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** The fields of a profile in input form: what export writes and `profiles.update` accepts. */
export function toFields(row: ProfileRow): ProfileFields {
  return {
    name: row.name,
    kind: row.kind,
    host: row.host,
    region: row.region,
    httpsPort: row.https_port,
    httpsEnabled: row.https_enabled === 1,
    httpPort: row.http_port,
    httpEnabled: row.http_enabled === 1,
    username: row.username,
    cluster: row.cluster,
    notes: row.notes,
    trust:
      row.trust_mode === 'pin' ? { mode: 'pin', sha256: row.trust_sha256! } : row.trust_mode === 'ca' ? { mode: 'ca', pem: row.trust_ca_pem! } : { mode: 'system' },
    xdrClientId: row.xdr_client_id,
  };
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Appliance profiles: validation beyond the schema (unique names, CA files), search, copy, delete. */
export class ProfilesService {
  readonly repo: ProfileRepo;

  constructor(
    private readonly db: ProfileRepo['db'],
    private readonly secrets: SecretStore,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.repo = new ProfileRepo(db);
  }

  list(query?: string): { profiles: Profile[]; total: number } {
    const rows = this.repo.list();
    const q = query?.trim().toLowerCase();
    const hits = q ? rows.filter((r) => `${r.name}\n${r.host}\n${r.cluster ?? ''}\n${r.username}\n${r.notes}`.toLowerCase().includes(q)) : rows;
    return { profiles: hits.sort((a, b) => collator.compare(a.name, b.name) || a.name.localeCompare(b.name)).map(toProfile), total: rows.length };
  }

  get(id: string): Profile {
    return toProfile(this.row(id));
  }

  /** The id of an existing profile, or NOT_FOUND; cheaper than `get` when only existence matters. */
  requireId(id: string): string {
    return this.row(id).id;
  }

  /** The stored fields in input form, ready to change and pass to `update`. */
  fields(id: string): ProfileFields {
    return toFields(this.row(id));
  }

  /** Looks a profile up by id, or by name for the CLI. */
  resolve(idOrName: string): Profile {
    const row = this.repo.get(idOrName) ?? this.repo.findByName(idOrName);
    if (!row) throw AppError.of('NOT_FOUND', 'errors.profiles.noSuchName', { name: idOrName }, 'name');
    return toProfile(row);
  }

  create(fields: ProfileFields, password?: string): Profile {
    const id = randomUUID();
    // Not inside the transaction: creating the vault runs scrypt, and other processes sharing the
    // database would wait that long for its write lock.
    if (password !== undefined) this.secrets.ready();
    this.db.transaction(() => {
      this.insert(id, fields);
      if (password !== undefined) this.secrets.set(id, 'api-password', password);
    })();
    this.log.info('profile created', { id });
    this.bus.emit('profiles.changed', { ids: [id] });
    return this.get(id);
  }

  update(id: string, fields: ProfileFields): Profile {
    const current = this.row(id);
    this.checkFields(fields, id);
    this.repo.update({ ...this.toRow(id, fields, current.created_at), updated_at: this.clock().toISOString() });
    this.log.info('profile updated', { id });
    this.bus.emit('profiles.changed', { ids: [id] });
    return this.get(id);
  }

  duplicate(id: string, name?: string): Profile {
    const source = this.row(id);
    const fields = { ...toFields(source), name: name?.trim() || this.freeCopyName(source.name) };
    const copyId = randomUUID();
    let copied = 0;
    this.db.transaction(() => {
      this.insert(copyId, fields);
      try {
        copied = this.secrets.copyAll(id, copyId);
      } catch (error) {
        // A locked vault only means the copy starts without secrets; say so in the log.
        if (!(error instanceof AppError && error.code === 'LOCKED')) throw error;
      }
    })();
    this.log.info('profile duplicated', { from: id, to: copyId, secretsCopied: copied });
    this.bus.emit('profiles.changed', { ids: [copyId] });
    return this.get(copyId);
  }

  /** Deletes the profile and its secrets; its runs stay (profile_id set NULL) unless the caller deleted them first. */
  delete(id: string): { deleted: true; secretsDeleted: number } {
    this.row(id);
    let secretsDeleted = 0;
    this.db.transaction(() => {
      secretsDeleted = this.secrets.status(id).filter((s) => s.stored).length;
      this.repo.delete(id);
    })();
    this.log.info('profile deleted', { id, secretsDeleted });
    this.bus.emit('profiles.changed', { ids: [id] });
    return { deleted: true, secretsDeleted };
  }

  /** Inserts validated fields; the caller provides the transaction when it needs one. */
  insert(id: string, fields: ProfileFields): void {
    this.checkFields(fields);
    const now = this.clock().toISOString();
    this.repo.insert({ ...this.toRow(id, fields, now), updated_at: now });
  }

  /** Throws a field-named error for what the schema cannot know: name taken, unreadable CA file. */
  checkFields(fields: ProfileFields, selfId?: string): void {
    const clash = this.repo.findByName(fields.name);
    if (clash && clash.id !== selfId) throw AppError.of('CONFLICT', 'errors.profiles.nameTaken', { name: clash.name }, 'name');
    if (fields.trust.mode === 'ca') describeCaPem(fields.trust.pem);
  }

  private row(id: string): ProfileRow {
    const row = this.repo.get(id);
    if (!row) throw AppError.of('NOT_FOUND', 'errors.profiles.noSuchId', { id }, 'id');
    return row;
  }

  private toRow(id: string, f: ProfileFields, createdAt: string): Omit<ProfileRow, 'password_stored' | 'xdr_secret_stored' | 'updated_at'> {
    return {
      id,
      name: f.name,
      name_key: nameKey(f.name),
      kind: f.kind,
      host: f.host,
      region: f.region,
      https_port: f.httpsPort,
      https_enabled: f.httpsEnabled ? 1 : 0,
      http_port: f.httpPort,
      http_enabled: f.httpEnabled ? 1 : 0,
      username: f.username,
      cluster: f.cluster,
      notes: f.notes,
      trust_mode: f.trust.mode,
      trust_sha256: f.trust.mode === 'pin' ? f.trust.sha256 : null,
      trust_ca_pem: f.trust.mode === 'ca' ? f.trust.pem.trim() : null,
      xdr_client_id: f.xdrClientId ?? null,
      created_at: createdAt,
    };
  }

  private freeCopyName(base: string): string {
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? ' (copy)' : ` (copy ${n})`;
      const candidate = `${base.slice(0, 64 - suffix.length)}${suffix}`;
      if (!this.repo.findByName(candidate)) return candidate;
    }
  }
}

/** Parses profile fields with the contract schema; a failure names the field. */
export function parseFields(input: unknown): { ok: true; fields: ProfileFields } | { ok: false; field: string | null; message: string } {
  const parsed = ProfileInput.safeParse(input);
  if (parsed.success) return { ok: true, fields: parsed.data };
  const { field, detail } = issueField(parsed.error.issues[0] as z.core.$ZodIssue);
  return { ok: false, field: field ?? null, message: parsed.error.issues[0]?.code === 'unrecognized_keys' ? `field "${field}" ${detail}` : detail };
}
