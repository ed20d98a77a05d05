import type { Answers, Evidence, TokenInput } from '../../../contract/checks.js';
import type { ProfileFields } from '../../../contract/profiles.js';
import type { CheckDef, Knowledge, Params, ProbeDef } from '../../knowledge/runbook.js';
import type { Endpoints } from '../endpoints.js';
import type { ProxyConfig } from '../proxy.js';
import type { XdrSession } from '../xdr/xdr-session.js';
import type { ApiConnections } from './api-connections.js';

/** What every AsyncOS API probe after the login needs: where the API is and how to authenticate. */
export interface ApiSession {
  base: URL | null;
  jwt: string | null;
  basic: string | null;
  user: string;
  /** How the appliance certificate was accepted by api-tls: pinned fingerprint, CA, or system roots. */
  tls: { pin?: string; ca?: string } | null;
  /** The run's idle, verified API connections (keep-alive); without it every call opens its own. */
  connections?: ApiConnections;
}

export interface ProbeContext {
  check: CheckDef;
  profile: ProfileFields & { id: string };
  signal: AbortSignal;
  timeoutMs: number;
  endpoints: Endpoints;
  proxy: ProxyConfig | null;
  /** Filled by api-auth, read by the probes that depend on it. */
  session: ApiSession;
  token: TokenInput | undefined;
  answers: Answers;
  errorText: string | undefined;
  /** The stored API password; throws LOCKED when the vault is locked. Never put it in evidence. */
  password(): string | null;
  clock(): Date;
  /** Registers a credential the probe obtained (JWT, Basic value) so no output can carry it. */
  protect(secret: string): void;
  knowledge: Knowledge;
  /** The XDR API client's state for this run (token, device list, email modules). */
  xdr: XdrSession;
  /** A line for the log (trace ids of the XDR API); passes the redactor like every log line. */
  note(message: string, fields: Record<string, unknown>): void;
}

export interface ProbeResult {
  /** A key of the check's `outcomes` in runbook.json. */
  outcome: string;
  params?: Params;
  evidence?: Evidence;
  /** Findings the probe raises beyond its outcome's (pasted error text). */
  raises?: { code: string; params?: Params; causes?: string[] }[];
}

export type Probe<T extends ProbeDef = ProbeDef> = (ctx: ProbeContext, def: T) => Promise<ProbeResult>;

/** Every network probe says where it ran from: TAC reads these results without the admin's context. */
export const VANTAGE = 'this computer (where the troubleshooter runs), not the appliance';

/** Rejects when the signal aborts, so a probe blocked in a call that cannot be cancelled still ends. */
export function abortable<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

export function errorCode(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ?? (e instanceof Error ? e.message : String(error));
}

/** A short, human reason for a socket or DNS error. */
export function describeNetError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset by the peer';
    case 'EHOSTUNREACH':
      return 'no route to host';
    case 'ENETUNREACH':
      return 'network unreachable';
    case 'ENOTFOUND':
      return 'name not found (NXDOMAIN)';
    case 'EAI_AGAIN':
      return 'DNS server did not answer (EAI_AGAIN)';
    case 'ETIMEDOUT':
      return 'timed out';
    default:
      return e?.code ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(error);
  }
}
