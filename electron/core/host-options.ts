import type { CommandName } from '../contract/names.js';
import type { Endpoints } from './checks/endpoints.js';
import type { BuildTarget } from './archive/archive-service.js';

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
  };
  /** Where the CLI writes the archive and what it takes from this disk (HAR files, `--log-file` appliance logs). */
  'archive.create': BuildTarget;
}

export type HostOptionsOf<N extends CommandName> = N extends keyof HostOptions ? HostOptions[N] : undefined;
