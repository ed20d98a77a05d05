import { z } from 'zod';
import { Settings } from './commands.js';
import { VaultStatus } from './profiles.js';
import { CheckFinished, CheckProgress } from './checks.js';
import type { EventName } from './names.js';
import { HarProgress } from './har.js';
import { ArchiveProgress } from './archive.js';
import { UploadProgress } from './upload.js';
import { BatchState } from './overview.js';
import { LogsProgress } from './appliance-logs.js';

export const events = {
  'settings.changed': Settings,
  /** Something in the profile list changed (created, updated, deleted, imported, secret stored). */
  'profiles.changed': z.object({ ids: z.array(z.string()) }),
  'vault.changed': VaultStatus,
  /** One check started or finished in a run. */
  'checks.progress': CheckProgress,
  /** A run completed or was cancelled; its results are stored. */
  'checks.finished': CheckFinished,
  /** Bytes read of a HAR being imported, sanitised or analysed. */
  'har.progress': HarProgress,
  /** The list of imported HAR files changed. */
  'har.changed': z.object({ ids: z.array(z.string()) }),
  /** Stages of a support archive being built. */
  'archive.progress': ArchiveProgress,
  /** Bytes of a support archive going to a TAC case's CXD, attempt by attempt. */
  'archive.uploadProgress': UploadProgress,
  /** An appliance of a batch run changed state (queued, running, done…); the whole batch each time. */
  'checks.batch': BatchState,
  /** Files and bytes of the appliance logs being collected for an archive, per subscription. */
  'logs.progress': LogsProgress,
} as const satisfies { [E in EventName]: z.ZodType };

type _NoExtraEvents = keyof typeof events extends EventName ? true : never;
export const _eventsComplete: _NoExtraEvents = true;

export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
