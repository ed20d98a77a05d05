import type { ProfileFields, RegionId } from '../contract/profiles.js';
import type { ArchiveCredentials, listArchive, VerifyResult } from './archive/archive-reader.js';
import { AppError } from './errors.js';
import type { HarAnalysis } from './har/har-analyze.js';
import type { ImportSummary } from './har/har-import.js';
import type { SanitizeFileResult } from './har/har-sanitize-file.js';
import type { Knowledge } from './knowledge/runbook.js';
import type { ProfilesService } from './profiles/profiles-service.js';
import type { SecretStore } from './secrets/secret-store.js';
import type { Vault } from './secrets/vault.js';

type OnProgress = (read: number, total: number) => void;

/** Keywords scrub ordinary text when they are short; the same floor as the HAR page's. */
export const MIN_KEYWORD_LENGTH = 4;

/**
 * Commands only a host on this machine can run, because they work on files of this disk (a HAR to
 * validate, an archive to verify) or answer what the renderer must never see (a profile's stored
 * fields with its CA PEM). They are not in the contract: `Dispatcher.dispatch`, the renderer's only
 * way in, does not know their names, so a page can never reach them; hosts call them through
 * `Dispatcher.call` like any contract command (same Result, same error mapping, same logging).
 * Requests are typed here rather than parsed: they are built by the host's own code, not sent by a page.
 */
export interface HostCommands {
  'profiles.fields': { request: { id: string }; response: ProfileFields };
  'har.validateFile': { request: { file: string; onProgress?: OnProgress | undefined }; response: ImportSummary };
  'har.sanitizeFile': {
    request: { input: string; output: string; profileIds: string[]; keywords: string[]; keepBodies: boolean; signal?: AbortSignal | undefined; onProgress?: OnProgress | undefined };
    response: SanitizeFileResult;
  };
  'har.analyzeFile': {
    request: { file: string; profileId?: string | undefined; region?: string | undefined };
    /** `titles`: each finding's title, filled, in both languages (the host picks one). */
    response: { analysis: HarAnalysis; svg: string; titles: Record<string, { en: string; de: string }> };
  };
  'archive.verifyFile': { request: { file: string; credentials: ArchiveCredentials }; response: VerifyResult };
  'archive.listFile': { request: { file: string; credentials: ArchiveCredentials }; response: Awaited<ReturnType<typeof listArchive>> };
}

export type HostCommandName = keyof HostCommands;
export type HostRequestOf<N extends HostCommandName> = HostCommands[N]['request'];
export type HostResponseOf<N extends HostCommandName> = HostCommands[N]['response'];
export type HostHandlers = { [N in HostCommandName]: (request: HostRequestOf<N>) => Promise<HostResponseOf<N>> | HostResponseOf<N> };

export const hostCommandNames = ['profiles.fields', 'har.validateFile', 'har.sanitizeFile', 'har.analyzeFile', 'archive.verifyFile', 'archive.listFile'] as const satisfies readonly HostCommandName[];

export function isHostCommandName(value: unknown): value is HostCommandName {
  return typeof value === 'string' && (hostCommandNames as readonly string[]).includes(value);
}

/** What the host commands read of the store: the profiles, their secrets and the vault. */
export interface HostStore {
  profiles: ProfilesService;
  secrets: SecretStore;
  vault: Vault;
}

export interface HostCommandDeps {
  /** Loaded on first use: only `har.analyzeFile` needs it. */
  knowledge: () => Knowledge | Promise<Knowledge>;
  /**
   * Asked for only when a command needs a profile's data, so a host that opens the store on
   * demand (host-core.ts) does not open it for a HAR without profiles or an archive to verify.
   */
  store: () => HostStore | Promise<HostStore>;
}

/** Keywords to scrub, trimmed; one too short to scrub safely is refused (the host's HAR and archive flags alike). */
export function requireKeywords(keywords: string[]): string[] {
  const trimmed = keywords.map((k) => k.trim());
  const short = trimmed.find((k) => k.length < MIN_KEYWORD_LENGTH);
  if (short !== undefined) throw AppError.of('INVALID_REQUEST', 'errors.har.keywordShort', { keyword: short, min: MIN_KEYWORD_LENGTH }, 'keywords');
  return trimmed;
}

const WRITE_PROBLEMS = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'EISDIR']);

/**
 * Each handler imports its code when it runs, so a host that runs one command (the CLI) loads
 * only that command's: `har.sanitizeFile` never loads the archive reader (zip, node-forge).
 */
export function createHostHandlers(deps: HostCommandDeps): HostHandlers {
  return {
    'profiles.fields': async ({ id }) => {
      const { profiles } = await deps.store();
      return profiles.fields(profiles.requireId(id));
    },
    'har.validateFile': async ({ file, onProgress }) => (await import('./har/har-import.js')).validateHar(file, onProgress ? { onProgress } : {}),
    'har.sanitizeFile': async ({ input, output, profileIds, keywords, keepBodies, signal, onProgress }) => {
      const words = requireKeywords(keywords);
      // The vault must be open to scrub a profile's secrets: LOCKED lets the host ask and retry.
      let knownSecrets: string[] = [];
      if (profileIds.length > 0) {
        const { profiles, secrets } = await deps.store();
        knownSecrets = profileIds.flatMap((id) => secrets.revealAll(profiles.requireId(id)));
      }
      const { sanitizeHarFile } = await import('./har/har-sanitize-file.js');
      try {
        return await sanitizeHarFile(input, output, { knownSecrets, keywords: words, keepBodies, ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) });
      } catch (error) {
        if (signal?.aborted) throw AppError.of('CONFLICT', 'errors.har.interrupted', { file: output });
        const code = (error as NodeJS.ErrnoException).code;
        if (!(error instanceof AppError) && code && WRITE_PROBLEMS.has(code)) throw AppError.of('INVALID_REQUEST', 'errors.files.cannotWrite', { file: output, problem: code }, 'output');
        throw error;
      }
    },
    'har.analyzeFile': async ({ file, profileId, region }) => {
      const [{ regionIds }, { analyzeHarFile, harFindingTitle }, { Redactor }] = await Promise.all([import('../contract/profiles.js'), import('./har/har-analyze.js'), import('./logging/redactor.js')]);
      if (region !== undefined && !(regionIds as readonly string[]).includes(region)) throw AppError.of('INVALID_REQUEST', 'errors.har.badRegion', { region, regions: regionIds.join(', ') }, 'region');
      if (region !== undefined && profileId !== undefined) throw AppError.of('INVALID_REQUEST', 'errors.har.profileOrRegion', {}, 'region');
      const redactor = new Redactor();
      let expected = region as RegionId | undefined;
      if (profileId !== undefined) {
        const { profiles, secrets, vault } = await deps.store();
        const profile = profiles.get(profiles.requireId(profileId));
        expected = profile.region;
        // Quotes from the capture are scrubbed of the profile's secrets when the vault is open; the
        // analysis does not need them, so a locked vault is no reason to stop.
        if (vault.status().state === 'unlocked') for (const secret of secrets.revealAll(profile.id)) redactor.addSecret(secret);
      }
      const knowledge = await deps.knowledge();
      const { analysis, svg } = await analyzeHarFile(file, { knowledge, region: expected ?? null, scrub: (t) => redactor.redact(t) });
      const titles: Record<string, { en: string; de: string }> = {};
      for (const code of analysis.findingCodes) titles[code] = { en: harFindingTitle(knowledge, analysis, code, 'en'), de: harFindingTitle(knowledge, analysis, code, 'de') };
      return { analysis, svg, titles };
    },
    'archive.verifyFile': async ({ file, credentials }) => (await import('./archive/archive-reader.js')).verifyArchive(file, credentials),
    'archive.listFile': async ({ file, credentials }) => (await import('./archive/archive-reader.js')).listArchive(file, credentials),
  };
}
