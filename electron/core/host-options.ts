import type { CommandName } from '../contract/names.js';
import type { BuildTarget } from './archive/archive-service.js';
import type { Endpoints } from './checks/endpoints.js';

/**
 * Options that only a host on this machine may pass with a command: the CLI's flags (a proxy with
 * credentials for this session, a lab endpoints file, file paths on this disk) and the composition
 * roots. They travel beside the request, never in it: the renderer's transports (Electron IPC and
 * the web host) call `Dispatcher.dispatch`, which has no way to set them, so a page can never
 * choose a proxy, an endpoint or a path. Each command that takes some lists them here.
 */
export interface HostOptions {
  'checks.start': {
    /** A proxy from `--proxy` (user:password@ allowed: never stored, masked in logs). */
    proxy?: string | undefined;
    /** A lab endpoints file read by the host (`--endpoints FILE`). */
    endpoints?: Endpoints | undefined;
    /** Answer only when the run has finished and is stored (the CLI prints it then; the app follows events). */
    wait?: boolean | undefined;
  };
  'archive.upload': {
    /** Archive files on this disk (`xet archive upload FILE …`): one archive, or every part of a split one. */
    files?: string[] | undefined;
    /** A proxy from `--proxy` (credentials allowed: never stored, masked in logs). */
    proxy?: string | undefined;
    /** A lab endpoints file read by the host (`--endpoints FILE`); its "cxd" replaces https://cxd.cisco.com/. */
    endpoints?: Endpoints | undefined;
  };
  /** The same for every run of a batch. */
  'checks.startAll': HostOptions['checks.start'];
  /** The CLI names profiles by name as well as by id. */
  'profiles.get': { byName?: boolean | undefined };
  /** The CLI accepts the first characters of a run id (at least 4, unique). */
  'runs.get': { idPrefix?: boolean | undefined };
  'runs.diff': { idPrefix?: boolean | undefined };
  /** Where the CLI writes the archive and what it takes from this disk (HAR files, `--log-file` appliance logs). */
  'archive.create': BuildTarget;
}

export type HostOptionsOf<N extends CommandName> = N extends keyof HostOptions ? HostOptions[N] : undefined;
